"""Whether a resolved answer covers what its name means, checked on the answer itself, whichever
way it was found (issue 42, the newcomer's honesty class: "the lion" gave only its face, "the
mountains" gave rectangles, both said as if found).

* **A rough rectangle.** A mask that is mostly box-shaped fills (components filling at least
  :data:`BOXY` of their own box) is a box, not an outline: the segmenter found no shape in the box and
  the box itself came back, or a crop was the answer. Said first, as an assumption: "it found no
  outline of the X, so it took a rough rectangle, not an outline".
* **A part of a larger thing.** A classifier's find (an ImageNet name, not a detector's box) whose
  mask is a small share of the salient object it lies on: when the classifier names that object as
  the same kind, the answer grows to it (the part was where the name was seen, the object is what
  it names); when it names the kind there only weakly, the answer stays the part and says so first
  ("it found no whole X, so it took only a part of it"). An object a sure detection of another,
  living kind claims (:func:`~vitron_agent.perception.name_finder.claims`: the man the helmet lies
  on) is that other thing, and the part is left alone.

Both are worded as graphs/policy.py reads an assumption, put before the method's other words, so the
turn's answer leads with it and destructive edits on it are held.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from vitron_agent.core.refs import Box, Detection

if TYPE_CHECKING:
    from vitron_agent.perception.resolving import Resolved

__all__ = ["BOXY", "boxy_share", "checked_extent"]

BOXY = 0.97  # a component filling this share of its own box is a box-shaped fill
ROUGH = 0.8  # ... and a mask with this share of its pixels in such components is a rough rectangle
PART = 0.5  # a classifier's find under this share of the salient object it lies on is a part of it
ON_IT = 0.6  # ... lying on it: at least this share of the find's mask inside the object
GROWN = 0.3  # the classifier names the object as the find's kind at least this surely: grow to it
WEAKLY = 0.05  # ... at least this surely, and under GROWN: a part, said so


def boxy_share(mask: np.ndarray, image: np.ndarray | None = None) -> float:
    """The share of ``mask``'s (HxW bool) pixels in components that fill at least :data:`BOXY` of
    their own box (components under 0.1 % of the picture are left out of both counts) -- with
    ``image`` (HxWx3 uint8 RGB), only those whose box sides inside the picture mostly cross the
    picture's content instead of following an edge in it (:func:`_follows_edge`): a band of trees
    between a flat sky line and a lawn is box-shaped because the picture is."""
    from vitron_agent.perception.masks import components

    h, w = mask.shape
    grey = None if image is None else image[..., :3].astype(np.float32).mean(-1)
    parts = components(mask, min_pixels=max(4, h * w // 1000))
    total = sum(int(p.sum()) for p in parts)
    if not total:
        return 0.0
    boxy = 0
    for p in parts:
        ys, xs = np.nonzero(p)
        box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        if p.sum() < BOXY * (box[2] - box[0]) * (box[3] - box[1]):
            continue
        if grey is not None:
            sides = _inner_sides(box, h, w)
            if not sides or 2 * sum(_follows_edge(grey, box, s) for s in sides) >= len(sides):
                continue
        boxy += int(p.sum())
    return boxy / total


def _inner_sides(box: tuple[int, int, int, int], h: int, w: int) -> list[str]:
    """The sides of ``box`` (XYXY) that lie inside the picture, not on its border."""
    x1, y1, x2, y2 = box
    return [
        s for s, inner in (("left", x1 > 1), ("top", y1 > 1), ("right", x2 < w - 1), ("bottom", y2 < h - 1)) if inner
    ]


EDGE = 8.0  # grey levels: a side follows an edge when the step across it is at least this ...
EDGE_RATIO = 1.5  # ... and this many times the step just inside it


def _follows_edge(grey: np.ndarray, box: tuple[int, int, int, int], side: str) -> bool:
    """Whether the box's ``side`` follows an edge of the picture (HxW float grey): the mean step across
    it (3-px strips just outside and just inside) at least :data:`EDGE` and :data:`EDGE_RATIO` times the
    step between the inside strip and the next one in."""
    x1, y1, x2, y2 = box
    g = grey if side in ("top", "bottom") else grey.T
    a, b = (x1, x2) if side in ("top", "bottom") else (y1, y2)
    edge, sign = {"top": (y1, 1), "bottom": (y2, -1), "left": (x1, 1), "right": (x2, -1)}[side]
    n = g.shape[0]

    def strip(offset: int) -> np.ndarray:
        rows = [min(n - 1, max(0, edge + sign * k)) for k in range(offset, offset + 3)]
        return g[rows, a:b].mean(0)

    inside = strip(0) if sign > 0 else strip(1)
    outside = strip(-3) if sign > 0 else strip(-2)
    deeper = strip(3) if sign > 0 else strip(4)
    across = float(np.abs(inside - outside).mean())
    within = float(np.abs(inside - deeper).mean())
    return across >= EDGE and across >= EDGE_RATIO * within


def checked_extent(image: np.ndarray, res: Resolved, word: str, found: list[Detection]) -> Resolved:
    """``res`` grown to the whole its classifier's find is a part of, or with what it lacks said first
    (see the module docstring); ``res`` itself when it covers what it names, or has no mask."""
    mask = np.asarray(res.mask, bool)
    if not mask.any():
        return res
    word = (word or "thing").replace("_", " ").strip()
    if boxy_share(mask, image) >= ROUGH:
        return _said_first(
            res,
            f"unsure of its outline: it found no outline of the {word}, so it took a rough rectangle, not an outline",
        )
    return _part_of_whole(image, res, mask, word, found)


def _said_first(res: Resolved, note: str) -> Resolved:
    return replace(res, method=f"{note}; {res.method}", sure=False)


def _part_of_whole(image: np.ndarray, res: Resolved, mask: np.ndarray, word: str, found: list[Detection]) -> Resolved:
    """Grown to, or said as a part of, the salient object a classifier's find lies on (module docstring)."""
    from vitron_agent.perception.box_refine import _salient_parts, _xyxy
    from vitron_agent.perception.classifier import class_probabilities, classifier_ready
    from vitron_agent.perception.coco_names import COCO80

    if not res.detections or res.detections[0].label in COCO80 or not classifier_ready():
        return res
    index = _imagenet_index(res.detections[0].label)
    if index is None:
        return res
    size = int(mask.sum())
    whole = next(
        (p for p in _salient_parts(image) if (p & mask).sum() >= ON_IT * size and size < PART * p.sum()),
        None,
    )
    if whole is None or _claimed(whole, found, index):
        return res
    box = _xyxy(whole)
    p = float(class_probabilities(image, box)[index])
    if p >= GROWN:
        from vitron_agent.perception.masks import fill_holes

        first = res.detections[0]
        grown = Detection(label=first.label, score=first.score, box=Box(x1=box[0], y1=box[1], x2=box[2], y2=box[3]))
        how = f"; its find was a part of the salient object around it, which the classifier names {first.label} too ({p:.2f}): grown to that object"
        return replace(
            res, detections=[grown, *res.detections[1:]], mask=fill_holes(whole) | mask, method=res.method + how
        )
    if p >= WEAKLY:
        return _said_first(
            res,
            f"unsure of its extent: it found no whole {word}, so it took only a part of it (where the classifier "
            f"saw the name, {100 * size / whole.sum():.0f}% of the object it lies on)",
        )
    return res


def _claimed(whole: np.ndarray, found: list[Detection], index: int) -> bool:
    """Whether the salient object is another thing: a sure detection's box is the object's (IoU >= 0.5),
    of a lifeless kind that does not hold ImageNet class ``index`` (the motorcycle a disk brake is
    part of) or a living one that claims it (:func:`~vitron_agent.perception.name_finder.claims`: the
    man a helmet lies on; an animal never claims from an animal: SSD calls a lion a dog)."""
    from vitron_agent.perception.box_refine import _xyxy
    from vitron_agent.perception.detector import PROBABLY, box_iou
    from vitron_agent.perception.name_finder import claims
    from vitron_agent.perception.wordnet_names import classes_for, is_living, wordnet_ready

    def other(label: str) -> bool:
        if is_living(label):
            return claims(label, frozenset({index}))
        return wordnet_ready() and index not in classes_for(label)[1]

    wb = _xyxy(whole)
    return any(
        d.score >= PROBABLY and other(d.label) and box_iou((d.box.x1, d.box.y1, d.box.x2, d.box.y2), wb) >= 0.5
        for d in found
    )


def _imagenet_index(name: str) -> int | None:
    from vitron_agent.perception.classifier import class_name

    return next((i for i in range(1000) if class_name(i) == name), None)
