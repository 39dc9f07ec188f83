"""Why the resolver misses, by class (issue 42's diagnosis): for each referring expression of a half,

    a  the name no model here gives, even on the thing's own box (the detector's boxes there, the
       classifier's top 5 on the hand box: what WordNet says the head noun names);
    b  the right kind of thing found, but the wrong one of several (the answer's box is another
       labelled thing of the same category);
    c  the right place but a poor mask (mask IoU < 0.5: box-shaped, cut along a box edge, thin
       parts lost, neighbours swallowed); counted apart for hits (the box right, the mask poor) and
       misses (the answer overlaps the thing: one holds at least half of the other);
    d  refused though a model gives the name on the thing's own box;
    e  something else (a wrong place, the name known).

    python benchmarks/recognition_classes.py           # tune half: one line an expression, then counts
    python benchmarks/recognition_classes.py heldout   # the held-out half: the counts only, never an item

The held-out half's items are never printed (benchmarks/recognition/README.md).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
SET = Path(__file__).resolve().parent / "recognition"


def named_on_own_box(pixels: np.ndarray, sentence: str, box: tuple) -> bool:
    """Whether a model gives the sentence's name on the thing's own box: a detection of one of its
    COCO labels there (box IoU >= 0.5), or one of its ImageNet classes in the classifier's top 5."""
    from vitron_agent.evaluation.harness import box_iou
    from vitron_agent.perception.classifier import classify_indices
    from vitron_agent.perception.detector import MIN_SCORE, detect_objects, label_score, named
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.wordnet_names import classes_for, coco_above

    head = head_noun(sentence)
    coco, imagenet = classes_for(head)[:2] if head else (frozenset(), frozenset())
    name = named(sentence)
    labels = {*coco, *(name.labels if name else ()), *(coco_above(head) if head else ())}
    for d in detect_objects(pixels):
        if (
            any(label_score(d, lab) >= MIN_SCORE for lab in labels)
            and box_iou((d.box.x1, d.box.y1, d.box.x2, d.box.y2), box) >= 0.5
        ):
            return True
    return bool(imagenet) and any(i in imagenet for i, _ in classify_indices(pixels, box, k=5))


def _answer(pixels: np.ndarray, sentence: str):
    """(box or None, mask or None, sure, how it was found) of the resolver as the evaluation runs it."""
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.perception import recognise

    try:
        res = recognise.resolve(pixels, sentence, guess=True)
    except ToolFailed:
        return None, None, None, ""
    from recognition_why import _way

    mask = np.asarray(res.mask, bool)
    way = _way(("" if res.sure else "[unsure] ") + res.method)
    if res.detections:
        d = res.detections[0].box
        return (d.x1, d.y1, d.x2, d.y2), mask, res.sure, way
    ys, xs = np.nonzero(mask)
    return ((xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) if len(xs) else None), mask, res.sure, way


def _overlap(box: tuple, truth: tuple) -> str:
    """How an answer's box that overlaps the labelled box misses it: 'too big' (it holds most of the
    thing), 'too small' (a part of it), or 'shifted'."""
    ix = max(0.0, min(box[2], truth[2]) - max(box[0], truth[0])) * max(
        0.0, min(box[3], truth[3]) - max(box[1], truth[1])
    )
    area = (box[2] - box[0]) * (box[3] - box[1])
    t_area = (truth[2] - truth[0]) * (truth[3] - truth[1])
    if ix >= 0.8 * t_area:
        return "too big"
    return "too small" if ix >= 0.8 * area else "shifted"


def classify_miss(e, pixels: np.ndarray, same_kind: list[tuple]) -> tuple[str, float, float, bool | None, str]:
    """(class, box IoU, mask IoU, sure, detail: how it was found and, for a right place, how the box
    misses) of one expression; ``same_kind``: the boxes of the other labelled things of its category
    in its picture."""
    from vitron_agent.evaluation.harness import box_iou

    truth = e.mask()
    box, mask, sure, way = _answer(pixels, e.sentence)
    if box is None:
        named = named_on_own_box(pixels, e.sentence, e.box)
        return ("d refused, a model names it" if named else "a refused, no model names it"), 0.0, 0.0, None, ""
    m = mask if mask is not None and mask.shape == truth.shape else np.zeros_like(truth)
    inter, union = int((m & truth).sum()), int((m | truth).sum())
    m_iou = inter / union if union else 0.0
    b_iou = box_iou(box, e.box)
    how = f"{'sure' if sure else 'unsure'} {way}"
    if b_iou >= 0.5:
        return ("hit" if m_iou >= 0.5 else "hit, c poor mask"), b_iou, m_iou, sure, how
    if any(box_iou(box, o) >= 0.5 for o in same_kind):
        return "b wrong instance", b_iou, m_iou, sure, how
    if inter and (inter >= 0.5 * truth.sum() or inter >= 0.5 * max(1, m.sum())):
        return "c right place, poor mask or box", b_iou, m_iou, sure, f"{how}, {_overlap(box, e.box)}"
    if not named_on_own_box(pixels, e.sentence, e.box):
        return "a wrong place, no model names it", b_iou, m_iou, sure, how
    return "e wrong place, a model names it", b_iou, m_iou, sure, how


def _others(half: str) -> dict[int, list[tuple[int, int, tuple]]]:
    """Per image id: (annotation id, category id, XYXY box) of every labelled thing."""
    data = json.loads((SET / half / "instances.json").read_text())
    out: dict[int, list] = {}
    for a in data["annotations"]:
        x, y, w, h = a["bbox"]
        out.setdefault(a["image_id"], []).append((a["id"], a["category_id"], (x, y, x + w, y + h)))
    return out


def main(half: str = "tune") -> int:
    from vitron_agent.cli.eval_report import read_rgb
    from vitron_agent.evaluation.photos import fetch_photos, load_manifest
    from vitron_agent.evaluation.refcoco import load_refset

    if half not in ("tune", "heldout"):
        print("usage: recognition_classes.py [tune|heldout]", file=sys.stderr)
        return 2
    by_id = fetch_photos(SET / "photos.json", log=lambda *a, **k: None)
    photos = {p["file"]: by_id[p["id"]] for p in load_manifest(SET / "photos.json")["photos"]}
    refset = load_refset(SET / half / "refs.json", SET / half / "instances.json")
    anns = {a["id"]: a for a in json.loads((SET / half / "instances.json").read_text())["annotations"]}
    others = _others(half)
    counts: Counter[str] = Counter()
    details: Counter[str] = Counter()
    cache: dict[str, np.ndarray] = {}
    for e in refset.expressions:
        pixels = cache.setdefault(e.file_name, read_rgb(photos[e.file_name]))
        cat = anns[e.ann_id]["category_id"]
        same = [b for i, c, b in others[e.image_id] if c == cat and i != e.ann_id]
        cls, b, m, sure, how = classify_miss(e, pixels, same)
        counts[cls] += 1
        if cls != "hit" and how:
            details[f"{cls[:1]}: {how}"] += 1
        if half == "tune":  # the held-out half: counts only
            said = "" if sure is None else ("sure" if sure else "unsure")
            print(
                f"{cls:34s} box {b:.2f} mask {m:.2f} {said:6s} {e.file_name[:-4]:14s} {e.sentence!r} ({how})",
                flush=True,
            )
    n = sum(counts.values())
    print(f"{half}: {n} expressions; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"{half}, misses by how they were found: " + ", ".join(f"{k} {v}" for k, v in sorted(details.items())))
    hits = counts["hit"] + counts["hit, c poor mask"]
    print(
        f"{half}: hit rate {hits / max(1, n):.2f}; the most a fix of b, c, d and e could add: "
        f"{(n - counts['a refused, no model names it'] - counts['a wrong place, no model names it']) / max(1, n):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
