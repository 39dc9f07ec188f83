"""The resolver's answers from the classifier's 1,000 names: a proposal the classifier names as the
thing (:func:`~vitron_agent.perception.name_finder.classifier_proposals`), refined to the object it
holds, and said unsure where no outline bounds it or a sure person's box holds it.

The classifier names what a box holds, not where in it: a name found on the whole picture or on a
blurred activation peak is refined to the salient object in it that the classifier names so
(:func:`~vitron_agent.perception.box_refine.refine_detection`, as a detector's box is); a box that is
mostly a sure person's or animal's ("the tripod" in front of the photographer) is narrowed to where
the class's activation map lies in it; either way, an answer no outline bounds is unsure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.detector import Named

if TYPE_CHECKING:
    from vitron_agent.perception.resolving import Resolved

__all__ = ["by_classifier", "CAM_WIDE"]


def _xyxy(d: Detection) -> tuple[float, float, float, float]:
    return (d.box.x1, d.box.y1, d.box.x2, d.box.y2)


def by_classifier(
    image: np.ndarray, found: list[Detection], imagenet: frozenset[int], what: Named, phrase: str, with_mask: bool
) -> Resolved | None:
    """The classifier's proposals named as one of ``imagenet`` that the phrase means, or None
    (no classifier, or no proposal so named). Unsure when the chosen box is mostly a sure
    person's or animal's (:func:`_mostly_other`)."""
    from vitron_agent.perception.classifier import classifier_ready
    from vitron_agent.perception.name_finder import classifier_proposals
    from vitron_agent.perception.resolving import Resolved, _mask, select
    from vitron_agent.perception.sureness import classifier_doubt

    why = ""
    if not classifier_ready() or not (hits := classifier_proposals(image, found, imagenet)):
        return None
    known: tuple[dict[int, np.ndarray], list[str]] | None = None
    if _picks_among(phrase):  # "the bigger cheetah": each object apart first, then the one the words pick
        hits, masks, hows = _refined(image, hits, imagenet, several=True)
        known = (masks, hows)
    items, note = select(image, hits, Named(tuple(d.label for d in hits), what.word, what.plural), phrase)
    how = "the classifier (EfficientNet-Lite2) named " + ", ".join(d.describe() for d in items)
    mixed = _mostly_other(items[0], found, imagenet)
    if mixed:  # the classifier names what the box holds, not where in it: said, and unsure
        items, where_ = _where_in(image, items, imagenet, mixed)
        how += f"; unsure where: it found no {what.word} apart from {mixed}, so it took {where_}"
        return Resolved(items, _mask(image, items, with_mask), how + (f" ({note})" if note else ""), sure=False)
    items, masks, refined = _refined(image, items, imagenet) if known is None else (items, *known)
    how += "".join(f"; {h}" for h in refined)
    loose = _unbounded(image, items[0], found, masks)
    if loose:  # the classifier names what a box holds, not where: a box no outline bounds is a guess of where
        how += f"; unsure where: it sees a {what.word} {loose}"
    elif why := classifier_doubt(
        _on_its_box(image, items[0], imagenet), found, what.word
    ):  # one model, short of sure: an assumption
        how += f"; unsure: it cannot tell surely that this is the {what.word} ({why}), so it took the classifier's find"
    sure = not loose and not why
    return Resolved(items, _mask(image, items, with_mask, masks), how + (f" ({note})" if note else ""), sure=sure)


def _picks_among(phrase: str) -> bool:
    """Whether the phrase picks one of several by place or size ("the cat on the left", "the
    bigger cheetah"): then every object the classifier names so is found before one is chosen."""
    from vitron_agent.perception.target_spec import parse_target, size_word

    _, position, largest = parse_target(phrase)
    return bool(position or size_word(phrase, largest))


def _on_its_box(image: np.ndarray, d: Detection, imagenet: frozenset[int]) -> Detection:
    """``d`` scored with the wanted classes' probability on its own (refined) box: the proposal that
    found it may have been the whole picture, where a small cat is named 0.35 and its own box 0.9."""
    from vitron_agent.perception.classifier import class_probabilities

    p = class_probabilities(image, d.box)
    return Detection(label=d.label, score=round(float(sum(p[i] for i in imagenet)), 3), box=d.box)


def _unbounded(image: np.ndarray, d: Detection, found: list[Detection], masks: dict[int, np.ndarray]) -> str:
    """'' when ``d``'s box bounds an object: refined to one (``masks``), or the box of a detection
    or of the picture's salient object (IoU >= 0.8); else where the classifier saw the thing, in
    words: 'in the picture as a whole …' or 'where its activation map peaks …'."""
    from vitron_agent.perception.detector import box_iou
    from vitron_agent.perception.name_finder import _salient_box

    if id(d) in masks:
        return ""
    h, w = image.shape[:2]
    box = _xyxy(d)
    if d.box.width * d.box.height >= 0.9 * h * w:
        return "in the picture as a whole, but no object in it that it names so"
    outlines = [_xyxy(o) for o in found]
    if (sb := _salient_box(image)) is not None:
        outlines.append(sb)
    if any(box_iou(box, o) >= 0.8 for o in outlines):
        return ""
    return "where its activation map peaks, but no object's outline there that it names so"


CAM_WIDE = 0.3  # the activation map's threshold for where in a box a thing the classifier names lies


def _where_in(
    image: np.ndarray, items: list[Detection], imagenet: frozenset[int], other: str
) -> tuple[list[Detection], str]:
    """(items, words): the first item's box narrowed to where the activation map of its class
    lies inside it (the tripod in front of the photographer, in the photographer's box), or the
    box as it is when no such region is inside it (then 'a box mostly <other>'s')."""
    from vitron_agent.perception.classifier import cam_boxes, class_name

    d = items[0]
    index = next((i for i in sorted(imagenet) if class_name(i) == d.label), None)
    if index is not None:
        for b in cam_boxes(image, [index], threshold=CAM_WIDE):
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            if (
                d.box.x1 <= cx <= d.box.x2
                and d.box.y1 <= cy <= d.box.y2
                and (b[2] - b[0]) * (b[3] - b[1]) < (0.8 * d.box.width * d.box.height)
            ):
                box = Box(x1=b[0], y1=b[1], x2=b[2], y2=b[3])
                moved = Detection(label=d.label, score=d.score, box=box, alternatives=dict(d.alternatives))
                return [moved, *items[1:]], f"where its activation map for {d.label} lies in {other}'s box"
    return items, f"a box mostly {other}'s"


def _refined(
    image: np.ndarray, items: list[Detection], imagenet: frozenset[int], several: bool = False
) -> tuple[list[Detection], dict[int, np.ndarray], list[str]]:
    """The classifier's chosen boxes refined to the object each holds, as a detector's are
    (:func:`~vitron_agent.perception.box_refine.refine_detection`): the classifier names what a box
    holds, not where in it (the whole picture or a blurred activation peak named "lemon" for the
    lemon in it). Only the first :data:`~vitron_agent.perception.box_refine.REFINE_FIRST`.
    ``several``: every object a box holds that the classifier names so, not only the best named;
    the same object found from two proposals is kept once."""
    from vitron_agent.perception.box_refine import REFINE_FIRST, refine_detection

    out, masks, hows = [], {}, []
    for i, d in enumerate(items):
        if i >= REFINE_FIRST:
            out.append(d)
            continue
        for r in refine_detection(image, d, imagenet, several)[: 1 if len(items) == 1 and not several else None]:
            if several and _seen(r.detection, out):
                continue
            out.append(r.detection)
            if r.mask is not None:
                masks[id(r.detection)] = r.mask
            if r.how:
                hows.append(r.how.replace(f"the {d.label}'s box", "its box").replace("detector's box", "box named"))
    return out, masks, list(dict.fromkeys(hows))


def _seen(d: Detection, out: list[Detection]) -> bool:
    """Whether ``d``'s box is one already in ``out`` (IoU >= 0.7)."""
    from vitron_agent.perception.detector import box_iou

    return any(box_iou(_xyxy(d), _xyxy(o)) >= 0.7 for o in out)


def _mostly_other(d: Detection, found: list[Detection], wanted: frozenset[int]) -> str:
    """'the person' when ``d``'s box is mostly (IoU >= 0.5) the box of a sure (>= PROBABLY)
    detection that claims it from ``wanted`` (ImageNet indices;
    :func:`~vitron_agent.perception.name_finder.claims`), else ''."""
    from vitron_agent.perception.detector import PROBABLY, box_iou
    from vitron_agent.perception.name_finder import claims

    for o in found:
        if o.score >= PROBABLY and claims(o.label, wanted) and box_iou(_xyxy(d), _xyxy(o)) >= 0.5:
            return f"the {o.label}"
    return ""
