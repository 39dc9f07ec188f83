"""A name the classifier knows, searched for region by region when the cheap proposals miss it.

The resolver first asks the classifier about a few proposals (the detector's boxes, the salient
object, the whole picture, class-activation peaks:
:func:`~vitron_agent.perception.name_finder.classifier_proposals`). A thing that is small, off
centre or not the most prominent (a lemon in a fruit bowl, a dog on a sofa with people) is
often named on none of them although the classifier names it on its own box. Then this module:

1. proposes regions by selective search (:func:`~vitron_agent.perception.region_proposals.region_proposals`:
   a few hundred boxes that follow the picture's own edges);
2. ranks them by where the wanted classes' activation map lies (the F-measure of the map's mass
   the box holds and the map's mean inside it): the map alone is too blurred to be a box, but it
   says which of hundreds of boxes to look at first;
3. classifies the first :data:`LIMIT` (EfficientNet-Lite2, one box at a time: about 12 ms a box
   on an idle core, so about 0.3 s a search; a batched graph was tried and was no faster on CPU);
4. keeps the boxes whose top-5 names give the wanted classes at least
   :data:`~vitron_agent.perception.name_finder.MIN_NAME_SCORE` together, the best of overlapping
   ones, and lets the phrase's words choose among them (:func:`~vitron_agent.perception.resolving.select`).

An answer found so is never said as sure: the best of many looks is more often a look-alike than
the one look the cheap path takes, so it is worded as an assumption ("cannot tell ..., so it
took ...") that the turn warns of and that holds destructive edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.detector import Named

if TYPE_CHECKING:
    from vitron_agent.perception.resolving import Resolved

__all__ = ["search_regions", "by_region_search", "by_segments", "LIMIT"]

LIMIT = 24  # proposals classified a search
_SAME = 0.5  # a hit this much inside another is a piece of the same thing


def _ranked(image: np.ndarray, boxes: list[tuple], indices: list[int]) -> list[tuple]:
    """``boxes`` ordered by how well each holds the activation map of ``indices`` (best first)."""
    from vitron_agent.perception.classifier import cam_map

    m = cam_map(image, indices).astype(np.float64)
    total = max(float(m.sum()), 1e-6)
    integral = np.pad(m.cumsum(0).cumsum(1), ((1, 0), (1, 0)))

    def score(b: tuple) -> float:
        h, w = m.shape
        x1, x2 = (min(max(int(round(v)), 0), w) for v in (b[0], b[2]))
        y1, y2 = (min(max(int(round(v)), 0), h) for v in (b[1], b[3]))
        inside = integral[y2, x2] - integral[y1, x2] - integral[y2, x1] + integral[y1, x1]
        recall = inside / total
        mean = inside / max(1, (x2 - x1) * (y2 - y1))
        return 2 * recall * mean / max(recall + mean, 1e-9)

    return sorted(boxes, key=lambda b: -score(b))


def search_regions(image: np.ndarray, wanted: frozenset[int], limit: int = LIMIT) -> tuple[list[Detection], int]:
    """(the regions the classifier names as one of ``wanted`` -- ImageNet indices --, best first,
    labelled with the best wanted name, scored with the wanted classes' summed top-5
    probability; how many regions were classified). ``image`` HxWx3 uint8 RGB; boxes XYXY pixels."""
    from vitron_agent.perception.classifier import class_name, class_probabilities, classify_indices
    from vitron_agent.perception.name_finder import MIN_NAME_SCORE
    from vitron_agent.perception.region_proposals import region_proposals

    boxes = region_proposals(image)
    if not boxes or not wanted:
        return [], 0
    whole = class_probabilities(image)
    top = sorted(wanted, key=lambda i: -whole[i])[:3]
    looked = _ranked(image, boxes, top)[:limit]
    hits: list[Detection] = []
    for b in looked:
        mine = [(i, p) for i, p in classify_indices(image, b, 5) if i in wanted]
        total = sum(p for _, p in mine)
        if mine and total >= MIN_NAME_SCORE:
            box = Box(x1=b[0], y1=b[1], x2=b[2], y2=b[3])
            hits.append(Detection(label=class_name(mine[0][0]), score=round(min(total, 1.0), 3), box=box))
    return _best_apart(hits), len(looked)


def _best_apart(hits: list[Detection]) -> list[Detection]:
    """One detection per thing, best first: hits that overlap (the smaller one at least
    :data:`_SAME` inside the other) are pieces of one thing -- the classifier often names a cat's face
    or a bird's head more surely than the whole animal --, answered by the union of their boxes,
    labelled and scored as the best piece. Things apart stay apart (two cats in two corners)."""
    from vitron_agent.perception.detector import _within

    def xyxy(d: Detection) -> tuple[float, float, float, float]:
        return (d.box.x1, d.box.y1, d.box.x2, d.box.y2)

    groups: list[list[Detection]] = []
    for d in sorted(hits, key=lambda d: -d.score):
        near = [g for g in groups if any(max(_within(xyxy(d), xyxy(o)), _within(xyxy(o), xyxy(d))) >= _SAME for o in g)]
        for g in near[1:]:
            near[0].extend(g)
            groups.remove(g)
        (near[0] if near else groups.append([]) or groups[-1]).append(d)
    out = []
    for g in groups:
        best = max(g, key=lambda d: d.score)
        box = Box(
            x1=min(d.box.x1 for d in g),
            y1=min(d.box.y1 for d in g),
            x2=max(d.box.x2 for d in g),
            y2=max(d.box.y2 for d in g),
        )
        out.append(Detection(label=best.label, score=best.score, box=box))
    return sorted(out, key=lambda d: -d.score)


def by_region_search(
    image: np.ndarray, found: list[Detection], imagenet: frozenset[int], what: Named, phrase: str, with_mask: bool
) -> Resolved | None:
    """The region(s) the phrase means among those :func:`search_regions` finds, as an unsure
    :class:`~vitron_agent.perception.resolving.Resolved`; None when the classifier is not set up,
    names no region so, or a sure person or animal the detector found holds the best one (the
    classifier names what a box holds, and a person's box holds their clothes and tools)."""
    from vitron_agent.perception.classifier import classifier_ready
    from vitron_agent.perception.classifier_hits import _mostly_other, _refined
    from vitron_agent.perception.resolving import Resolved, _mask, select

    if not classifier_ready():
        return None
    hits, looked = search_regions(image, imagenet)
    hits = [d for d in hits if not _mostly_other(d, found, imagenet)]
    if not hits:
        return by_segments(image, found, imagenet, what, phrase, with_mask)
    items, note = select(image, hits, Named(tuple(d.label for d in hits), what.word, what.plural), phrase)
    how = (
        "the classifier (EfficientNet-Lite2) named " + ", ".join(d.describe() for d in items) + f" on a region "
        f"selective search proposed ({looked} looked at, none of its first looks named one); unsure: it cannot tell "
        f"whether that is the {what.word} you mean, so it took the region it names so most surely"
    )
    items, masks, refined = _refined(image, items, imagenet)
    how += "".join(f"; {h}" for h in refined)
    return Resolved(items, _mask(image, items, with_mask, masks), how + (f" ({note})" if note else ""), sure=False)


# a name the classifier knows more kinds of than this is not looked for on segments: summed over many
# classes (59 birds), a grey-edged segment's probability reaches the threshold on nothing (a coin named a
# bird; the absent asks' false finds were all such names), and the detector knows those kinds anyway
SEGMENT_KINDS = 8


def by_segments(
    image: np.ndarray, found: list[Detection], imagenet: frozenset[int], what: Named, phrase: str, with_mask: bool
) -> Resolved | None:
    """The segment(s) the phrase means among those the classifier names as one of ``imagenet`` on
    their own pixels (:func:`~vitron_agent.perception.segment_names.named_segments`: selective search's
    regions with the rest of the picture grey), as an unsure
    :class:`~vitron_agent.perception.resolving.Resolved` whose mask is the segment's; None when none is
    named so, or a sure person or animal the detector found holds the best one."""
    from vitron_agent.perception.classifier_hits import _mostly_other
    from vitron_agent.perception.masks import fill_holes
    from vitron_agent.perception.resolving import Resolved, select
    from vitron_agent.perception.segment_names import named_segments

    if len(imagenet) > SEGMENT_KINDS:
        return None
    named = [(d, m) for d, m in named_segments(image, imagenet) if not _mostly_other(d, found, imagenet)]
    if not named:
        return None
    masks = {id(d): m for d, m in named}
    hits = [d for d, _ in named]
    items, note = select(image, hits, Named(tuple(d.label for d in hits), what.word, what.plural), phrase)
    how = (
        "the classifier (EfficientNet-Lite2) named " + ", ".join(d.describe() for d in items) + " on a segment's own "
        f"pixels (selective search's regions, the rest of the picture greyed out; no box it was asked about named "
        f"one); unsure: it cannot tell whether that is the {what.word} you mean, so it took the segment it names so "
        "most surely"
    )
    mask = np.zeros(image.shape[:2], bool)
    if with_mask:
        for d in items:
            mask |= fill_holes(masks[id(d)])
    return Resolved(items, mask, how + (f" ({note})" if note else ""), sure=False)
