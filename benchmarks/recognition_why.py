"""Why each tuning-half referring expression missed: one line an expression with what the resolver
did (refused / wrong region / low IoU / right region but a poor mask), its box IoU and mask IoU, and
the method or refusal it gave, then the misses counted by reason.

    python benchmarks/recognition_why.py            # tune half, one line an expression
    python benchmarks/recognition_why.py heldout    # the counts by reason only

The held-out half's per-item output must not be looked at (benchmarks/recognition/README.md): for it
only the aggregate counts are printed.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

from vitron_agent.cli.eval_report import read_rgb
from vitron_agent.core.errors import ToolFailed
from vitron_agent.evaluation.harness import box_iou, mask_iou
from vitron_agent.evaluation.photos import fetch_photos, load_manifest
from vitron_agent.evaluation.refcoco import load_refset
from vitron_agent.perception import recognise

SET = Path(__file__).resolve().parent / "recognition"


def why(e, pixels: np.ndarray) -> tuple[str, float, float, str]:
    """(reason, box IoU, mask IoU, what the resolver said)."""
    truth = e.mask()
    try:
        res = recognise.resolve(pixels, e.sentence, guess=True)
    except ToolFailed as exc:
        return "refused", 0.0, 0.0, str(exc)[:160]
    mask = np.asarray(res.mask, bool)
    inter, union = mask_iou(mask if mask.shape == truth.shape else None, truth)
    m_iou = inter / union if union else 0.0
    if res.detections:
        d = res.detections[0].box
        box = (d.x1, d.y1, d.x2, d.y2)
    else:
        ys, xs = np.nonzero(mask)
        box = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) if len(xs) else None
    b_iou = box_iou(box, e.box) if box is not None else 0.0
    sure = "" if res.sure else "[unsure] "
    if b_iou >= 0.5:
        reason = "hit" if m_iou >= 0.5 else "hit, poor mask"
    elif b_iou >= 0.2 or m_iou >= 0.2:
        reason = "low IoU"
    else:
        reason = "wrong region"
    return reason, b_iou, m_iou, sure + res.method[:160]


def _way(said: str) -> str:
    """Which part of the resolver answered, from its method's words."""
    first = said.removeprefix("[unsure] ").split(";")[0]
    if (
        "recognised" in first and "stuff" not in first
    ):  # the detector's answer, whatever the rest says of the classifier
        return "detector"
    for key, way in (
        ("round lobes", "parts"),
        ("colour and texture", "stuff piece"),
        ("closer look", "zoom"),
        ("guess", "salient guess"),
        ("only weakly", "weak detector find"),
        ("selective search", "region search"),
        ("classifier", "classifier"),
        ("stuff", "stuff"),
        ("face", "face"),
    ):
        if key in said:
            return way
    return "detector"


def _refusal(said: str) -> str:
    """What kind of refusal, from its words."""
    for key, kind in (
        ("none of my models has a name", "no model has the name"),
        ("cannot pick out its", "a part of a whole found"),
        ("parts of a", "an animal's face part"),
        ("stuff heuristic", "stuff not found there"),
        ("I found no", "a name a model knows, not found"),
        ("face", "no face"),
    ):
        if key in said:
            return kind
    return "other"


def main(half: str = "tune") -> int:
    if half not in ("tune", "heldout"):
        print("usage: recognition_why.py [tune|heldout]", file=sys.stderr)
        return 2
    by_id = fetch_photos(SET / "photos.json", log=lambda *a, **k: None)
    photos = {p["file"]: by_id[p["id"]] for p in load_manifest(SET / "photos.json")["photos"]}
    refset = load_refset(SET / half / "refs.json", SET / half / "instances.json")
    counts: Counter[str] = Counter()
    by_way: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    cache: dict[str, np.ndarray] = {}
    for e in refset.expressions:
        pixels = cache.setdefault(e.file_name, read_rgb(photos[e.file_name]))
        reason, b, m, said = why(e, pixels)
        counts[reason] += 1
        if reason == "refused":
            refusals[_refusal(said)] += 1
        else:
            by_way[f"{reason} ({'unsure' if said.startswith('[unsure]') else 'sure'}, {_way(said)})"] += 1
        if half == "tune":  # the held-out half: the counts only, never an item
            print(f"{reason:15s} box {b:.2f} mask {m:.2f}  {e.file_name[:-4]:16s} {e.sentence!r:34s} {said}")
    print(f"{half}: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    for word in ("sure", "unsure"):
        mine = {k: v for k, v in by_way.items() if f"({word}," in k}
        right = sum(v for k, v in mine.items() if k.startswith("hit"))
        print(f"{half}: {word} answers right (box IoU >= 0.5): {right} of {sum(mine.values())}")
    print(f"{half}, refusals: " + ", ".join(f"{k} {v}" for k, v in refusals.most_common()))
    print(f"{half}, answers by how they were found: " + ", ".join(f"{k} {v}" for k, v in sorted(by_way.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
