"""What "look where the name points, then zoom" finds, what it costs, and how often it finds a name
that is not there -- side by side with the resolver's cheap proposals, on the tuning half only.

    python benchmarks/recognition_zoom.py            # all three tables
    python benchmarks/recognition_zoom.py --only absent|small|tune

- tune: every tuning-half expression whose name the classifier knows (ImageNet classes through
  WordNet): the cheap proposals' hit (:func:`~vitron_agent.perception.name_finder.classifier_proposals`
  and the detector) beside the zoom's (:func:`~vitron_agent.perception.name_zoom.by_zoom`), box IoU
  >= 0.5 with the hand box;
- small: montages built with a fixed seed from the tuning half's traced objects that the classifier
  knows (a cheetah, a cat, a tripod, a bird, a dog, a boat, a cup, a helmet, a motorcycle, a rocket),
  each pasted 8 % and 14 % of the picture's shorter side tall into three tuning photos that hold none
  of them: the cheap proposals' hit, the zoom's hit and the resolver's answer;
- absent: every tuning photo asked for each name a model knows that it does not hold (the tuning
  half's other objects' names and 15 common ones): how often the zoom finds one anyway (a false find),
  said sure or unsure; the rate of a wrong "found" must stay near zero. ``--asks N`` names a photo
  (a fixed-seed sample of them; default 16, 0 for every one).

Milliseconds are medians of the zoom's own clock, beside detect + classify on the same photos
(ratios: the machine is shared); report them with ``uptime``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recognition_counts import SET, _annotations, _cutout, _paste, _photos  # noqa: E402

OBJECTS = {  # annotation key -> the word asked
    "astro_helmet": "helmet",
    "tripod": "tripod",
    "cat": "cat",
    "cup": "cup",
    "moto": "motorcycle",
    "nuthatch": "bird",
    "dog_up": "dog",
    "boat1": "boat",
    "cheetah_head": "cheetah",
    "rocket": "rocket",
}
BACKGROUNDS = ("meadow.png", "stream.png", "sunset.png")
COMMON = "squirrel lemon butterfly ladybird goldfish banana umbrella guitar teapot laptop zebra pizza broom mushroom jellyfish"


def _iou(a, b) -> float:
    from vitron_agent.evaluation.harness import box_iou

    return box_iou(a, b)


def _xyxy(d) -> tuple[float, float, float, float]:
    return (d.box.x1, d.box.y1, d.box.x2, d.box.y2)


def _cheap(image: np.ndarray, word: str, truth) -> bool:
    """Whether the cheap path (the detector's boxes of the word's COCO classes, then the classifier's
    proposals) puts a box on ``truth`` (IoU >= 0.5) first."""
    from vitron_agent.perception.detector import MIN_SCORE, detect_objects, label_score
    from vitron_agent.perception.name_finder import classifier_proposals
    from vitron_agent.perception.wordnet_names import classes_for

    coco, imagenet = classes_for(word)[:2]
    found = detect_objects(image)
    mine = [d for d in found if any(label_score(d, lab) >= MIN_SCORE for lab in coco)]
    if mine:
        return _iou(_xyxy(mine[0]), truth) >= 0.5
    hits = classifier_proposals(image, found, imagenet) if imagenet else []
    return bool(hits) and _iou(_xyxy(hits[0]), truth) >= 0.5


def _zoom(image: np.ndarray, word: str, truth) -> tuple[str, float]:
    """('hit sure' | 'hit unsure' | 'wrong sure' | 'wrong unsure' | 'none', ms) of by_zoom on its own."""
    from vitron_agent.perception.detector import Named, detect_objects
    from vitron_agent.perception.name_zoom import by_zoom
    from vitron_agent.perception.wordnet_names import classes_for

    imagenet = classes_for(word)[1]
    found = detect_objects(image)
    t0 = time.perf_counter()
    res = by_zoom(image, found, imagenet, Named((), word, False), f"the {word}", False)
    ms = (time.perf_counter() - t0) * 1000
    if res is None:
        return "none", ms
    right = truth is not None and _iou(_xyxy(res.detections[0]), truth) >= 0.5
    return f"{'hit' if right else 'wrong'} {'sure' if res.sure else 'unsure'}", ms


def small_cases(photos: dict, anns: dict) -> list[tuple[str, str, np.ndarray, tuple]]:
    """(case name, word, picture, pasted XYXY box) for every object, background and size."""
    rng = np.random.default_rng(7)
    cases = []
    for key, word in OBJECTS.items():
        ann = anns[key]
        crop, mask = _cutout(photos[ann["file"]], ann)
        for bg in BACKGROUNDS:
            for share in (0.08, 0.14):
                canvas = photos[bg].copy()
                h, w = canvas.shape[:2]
                tall = int(share * min(h, w))
                wide = int(crop.shape[1] * tall / crop.shape[0])
                x, y = int(rng.uniform(0.05, 0.95) * (w - wide)), int(rng.uniform(0.05, 0.95) * (h - tall))
                box = _paste(canvas, crop, mask, x, y, tall, bool(rng.integers(2)))
                if box is not None:
                    cases.append((f"{word} in {bg[:-4]} {share:.0%}", word, canvas, box))
    return cases


def run_small(photos: dict, anns: dict) -> dict:
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.perception import recognise

    rows, ms = [], []
    for name, word, img, box in small_cases(photos, anns):
        cheap = _cheap(img, word, box)
        zoom, t = _zoom(img, word, box)
        ms.append(t)
        try:
            res = recognise.resolve(img, f"the {word}", with_mask=False)
            said = ("hit" if _iou(_xyxy(res.detections[0]), box) >= 0.5 else "wrong") if res.detections else "wrong"
            said += " sure" if res.sure else " unsure"
        except ToolFailed:
            said = "refused"
        rows.append((name, cheap, zoom, said))
        print(f"  {name:32s} cheap {'hit' if cheap else '-':4s} zoom {zoom:13s} resolver {said}", flush=True)
    n = len(rows)
    out = {
        "cases": n,
        "cheap hits": sum(r[1] for r in rows),
        "zoom hits": sum(r[2].startswith("hit") for r in rows),
        "zoom hits sure": sum(r[2] == "hit sure" for r in rows),
        "zoom wrong sure": sum(r[2] == "wrong sure" for r in rows),
        "zoom wrong unsure": sum(r[2] == "wrong unsure" for r in rows),
        "zoom hits the cheap path missed": sum(r[2].startswith("hit") and not r[1] for r in rows),
        "resolver hits": sum(r[3].startswith("hit") for r in rows),
        "resolver wrong sure": sum(r[3] == "wrong sure" for r in rows),
        "zoom ms median": round(float(np.median(ms)), 1),
    }
    return out


def run_absent(photos: dict, asks: int = 16) -> dict:
    from vitron_agent.perception.wordnet_names import classes_for, matches

    data = json.loads((SET / "tune" / "instances.json").read_text())
    cats = {c["id"]: c["name"] for c in data["categories"]}
    files = {im["id"]: im["file_name"] for im in data["images"]}
    present: dict[str, set[str]] = {f: set() for f in files.values()}
    for a in data["annotations"]:
        present[files[a["image_id"]]].add(cats[a["category_id"]])
    tune_names = sorted({n for s in present.values() for n in s})
    names = [n for n in [*tune_names, *COMMON.split()] if classes_for(n.replace(" ", "_"))[1]]
    counts = {"asked": 0, "none": 0, "wrong unsure": 0, "wrong sure": 0}
    ms = []
    rng = np.random.default_rng(3)
    for f, there in present.items():
        absent = [n for n in names if n not in there and not any(matches(n, p) or matches(p, n) for p in there)]
        if asks:
            absent = [absent[i] for i in sorted(rng.choice(len(absent), min(asks, len(absent)), replace=False))]
        for n in absent:
            got, t = _zoom(photos[f], n.replace(" ", "_"), None)
            ms.append(t)
            counts["asked"] += 1
            counts[got] = counts.get(got, 0) + 1
            if got != "none":
                print(f"  false find: {n!r} in {f} ({got})", flush=True)
    counts["false finds %"] = round(100 * (counts["wrong unsure"] + counts["wrong sure"]) / max(1, counts["asked"]), 1)
    counts["zoom ms median"] = round(float(np.median(ms)), 1) if ms else 0.0
    return counts


def run_tune(photos: dict) -> dict:
    from vitron_agent.evaluation.refcoco import load_refset
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.wordnet_names import classes_for

    refset = load_refset(SET / "tune" / "refs.json", SET / "tune" / "instances.json")
    out = {"asked": 0, "cheap hits": 0, "zoom hits": 0, "zoom wrong": 0, "zoom hits the cheap path missed": 0}
    for e in refset.expressions:
        head = head_noun(e.sentence)
        if not head or not classes_for(head)[1]:
            continue
        img = photos[e.file_name]
        cheap = _cheap(img, head, e.box)
        zoom, _ = _zoom(img, head, e.box)
        out["asked"] += 1
        out["cheap hits"] += cheap
        out["zoom hits"] += zoom.startswith("hit")
        out["zoom wrong"] += zoom.startswith("wrong")
        out["zoom hits the cheap path missed"] += zoom.startswith("hit") and not cheap
        print(f"  {e.file_name[:-4]:14s} {e.sentence!r:34s} cheap {'hit' if cheap else '-':4s} zoom {zoom}", flush=True)
    return out


def baseline_ms(photos: dict) -> float:
    """Median ms of detect + classify (the default path) on the tuning photos, uncached."""
    from vitron_agent.perception.classifier import classify
    from vitron_agent.perception.detector import detect_objects

    ms = []
    for img in list(photos.values())[:8]:
        fresh = img.copy()
        fresh.flags.writeable = False
        t0 = time.perf_counter()
        detect_objects(fresh)
        classify(fresh, None, 5)
        ms.append((time.perf_counter() - t0) * 1000)
    return float(np.median(ms))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=("absent", "small", "tune"))
    ap.add_argument("--asks", type=int, default=16, help="absent names asked a photo (0: every one)")
    args = ap.parse_args(argv)
    photos = _photos("tune")
    anns = _annotations()
    base = baseline_ms(photos)
    print(f"detect + classify, median of 8 tuning photos: {base:.0f} ms")
    for part in ("tune", "small", "absent"):
        if args.only in (None, part):
            print(f"{part}:")
            got = {
                "tune": lambda: run_tune(photos),
                "small": lambda: run_small(photos, anns),
                "absent": lambda: run_absent(photos, args.asks),
            }[part]()
            print(f"{part}: " + ", ".join(f"{k} {v}" for k, v in got.items()))
            if "zoom ms median" in got:
                print(f"{part}: zoom cost {got['zoom ms median'] / max(base, 1e-6):.1f}x detect + classify")
    return 0


if __name__ == "__main__":
    sys.exit(main())
