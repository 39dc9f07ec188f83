"""Fitting and checking :mod:`vitron_agent.perception.segment_names` on tuning material only: the
recognition set's tuning half, the ``fit`` halves of ``recognition_fresh.py`` and ``recognition_s13.py``,
and every tuning photo asked for names a model knows that it does not hold (false finds).

    python benchmarks/recognition_segments.py [--oracle] [--asks N]

Per expression whose name the classifier knows: the classifier's summed probability for the name's
classes on the truth's box (as the cheap proposals ask) and, with ``--oracle``, on the truth's own
pixels (the rest grey); then the best named segment's score and whether its box hits the truth (IoU
>= 0.5). Then, for thresholds 0.1-0.5: hits and wrong finds on the expressions, and false finds on
the absent names, so the threshold is chosen where false finds stay rare.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

SET = Path(__file__).resolve().parent / "recognition"
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


def _wanted(sentence: str) -> frozenset[int]:
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.name_finder import head_noun, imagenet_kinds
    from vitron_agent.perception.wordnet_names import classes_for

    head, name = head_noun(sentence), named(sentence)
    coco, inet, _ = classes_for(head) if head else (frozenset(), frozenset(), None)
    labels = tuple(dict.fromkeys((*(name.labels if name else ()), *sorted(coco))))
    if not inet and head and labels:
        inet = imagenet_kinds(head, labels)
    return frozenset(inet)


def _cases() -> list[tuple[str, str, np.ndarray, np.ndarray]]:
    """(source, sentence, pixels, truth mask) of the tuning material."""
    from recognition_fresh import build_cases as fresh
    from recognition_s13 import build_cases as s13

    from vitron_agent.cli.eval_report import read_rgb
    from vitron_agent.evaluation.photos import fetch_photos, load_manifest
    from vitron_agent.evaluation.refcoco import load_refset

    by_id = fetch_photos(SET / "photos.json", log=lambda *a, **k: None)
    photos = {p["file"]: by_id[p["id"]] for p in load_manifest(SET / "photos.json")["photos"]}
    rs = load_refset(SET / "tune" / "refs.json", SET / "tune" / "instances.json")
    cache: dict[str, np.ndarray] = {}
    out = [
        ("tune", e.sentence, cache.setdefault(e.file_name, read_rgb(photos[e.file_name])), e.mask())
        for e in rs.expressions
    ]
    out += [("fresh", c.sentence, c.image, c.truth) for i, c in enumerate(fresh()) if i % 2 == 0]
    out += [("s13", c.sentence, c.image, c.truth) for i, c in enumerate(s13()) if i % 2 == 0]
    return out


def _box(m: np.ndarray) -> tuple[float, float, float, float]:
    ys, xs = np.nonzero(m)
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def main(oracle: bool = False, asks: int = 12) -> int:
    from vitron_agent.perception.classifier import class_probabilities
    from vitron_agent.perception.detector import box_iou
    from vitron_agent.perception.segment_names import masked_probabilities, named_segments

    rows = []  # (score of the best segment, hit?)
    ms = []
    for src, sentence, px, truth in _cases():
        wanted = _wanted(sentence)
        if not wanted or not truth.any():
            continue
        idx = sorted(wanted)
        gt = _box(truth)
        on_box = float(class_probabilities(px, gt)[idx].sum())
        own = f" own {float(masked_probabilities(px, truth)[idx].sum()):.2f}" if oracle else ""
        t0 = time.perf_counter()
        found = named_segments(px, wanted, min_score=0.0)
        ms.append(1000 * (time.perf_counter() - t0))
        best = found[0] if found else None
        iou = box_iou(_xyxy(best[0]), gt) if best else 0.0
        rows.append((best[0].score if best else 0.0, iou >= 0.5))
        said = f"{best[0].label} {best[0].score:.2f} IoU {iou:.2f}" if best else "none"
        print(f"{src:5s} {sentence!r:36s} box {on_box:.2f}{own} -> {said}", flush=True)
    absent = _absent(asks)
    print(f"\n{len(rows)} expressions, {len(absent)} absent asks; median {np.median(ms):.0f} ms a look")
    for t in THRESHOLDS:
        hits = sum(s >= t and h for s, h in rows)
        wrong = sum(s >= t and not h for s, h in rows)
        false = sum(s >= t for s in absent)
        print(f"threshold {t:.2f}: hits {hits}/{len(rows)}, wrong finds {wrong}, false finds {false}/{len(absent)}")
    return 0


def _xyxy(d) -> tuple[float, float, float, float]:
    return (d.box.x1, d.box.y1, d.box.x2, d.box.y2)


def _absent(asks: int) -> list[float]:
    """The best named segment's score for names each tuning photo does not hold (as
    ``recognition_zoom.py``'s absent asks: the tuning half's names and common ones, ``asks`` a photo)."""
    import json

    from recognition_zoom import COMMON

    from vitron_agent.cli.eval_report import read_rgb
    from vitron_agent.evaluation.photos import fetch_photos, load_manifest
    from vitron_agent.perception.segment_names import named_segments
    from vitron_agent.perception.wordnet_names import classes_for, matches

    by_id = fetch_photos(SET / "photos.json", log=lambda *a, **k: None)
    photos = {p["file"]: by_id[p["id"]] for p in load_manifest(SET / "photos.json")["photos"]}
    data = json.loads((SET / "tune" / "instances.json").read_text())
    cats = {c["id"]: c["name"] for c in data["categories"]}
    files = {im["id"]: im["file_name"] for im in data["images"]}
    present: dict[str, set[str]] = {f: set() for f in files.values()}
    for a in data["annotations"]:
        present[files[a["image_id"]]].add(cats[a["category_id"]])
    names = sorted({n for s in present.values() for n in s} | set(COMMON.split()))
    names = [n for n in names if classes_for(n.replace(" ", "_"))[1]]
    rng = np.random.default_rng(3)
    scores = []
    for f, there in present.items():
        gone = [n for n in names if n not in there and not any(matches(n, p) or matches(p, n) for p in there)]
        gone = [gone[i] for i in sorted(rng.choice(len(gone), min(asks, len(gone)), replace=False))]
        px = read_rgb(photos[f])
        for n in gone:
            found = named_segments(px, classes_for(n.replace(" ", "_"))[1], min_score=0.0)
            s = found[0][0].score if found else 0.0
            scores.append(s)
            if s >= 0.2:
                print(f"  absent {n!r} in {f}: {found[0][0].label} {s:.2f}", flush=True)
    return scores


if __name__ == "__main__":
    args = sys.argv[1:]
    asks = int(args[args.index("--asks") + 1]) if "--asks" in args else 12
    sys.exit(main("--oracle" in args, asks))
