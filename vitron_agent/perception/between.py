""" "The X between the A and the B": the X chosen by where two other things are.

:mod:`~vitron_agent.perception.target_spec` reads one relation to one other thing ("behind the
player", "next to the car"); "between" names two. Here: the phrase is split into the head and the two
others (:func:`parse_between`); the others are the detector's best detections of what each names
(for "between the two dogs" / "between the dogs": its two best of that kind); the head's candidates
are the detector's detections of its kind, and the one chosen is the one whose centre lies nearest the
segment joining the two others' centres, inside its span (:func:`order_between`). What was assumed
is said: where the two others were taken to be, and that "between" was read as "nearest the line
joining them".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from vitron_agent.core.refs import Detection

if TYPE_CHECKING:
    from vitron_agent.perception.resolving import Resolved

__all__ = ["Between", "anchor_by_name", "parse_between", "order_between", "resolve_between"]

_BETWEEN = re.compile(
    r"^(?P<head>.+?)\s+(?:(?:that|which|who)\s+(?:is|are|stands?|sits?)\s+)?(?:standing\s+|sitting\s+|lying\s+)?"
    r"(?:in\s+)?between\s+(?P<a>.+?)(?:\s+and\s+(?P<b>.+))?$",
    re.I,
)
_TWO = re.compile(r"^(?:the\s+)?(?:two|both)\s+(?P<kind>.+)$|^(?:the\s+)?(?P<plural>\w+s)$", re.I)


@dataclass(frozen=True)
class Between:
    """The head ("the cup") and the two others ("the plate", "the bottle"; the same words twice for
    "the two dogs")."""

    head: str
    first: str
    second: str


def parse_between(phrase: str) -> Between | None:
    """``Between`` for "the X between the A and the B" (also "in between", "the two As", "the As");
    None for any other phrase. ``phrase`` is bounded by the caller."""
    m = _BETWEEN.match(re.sub(r"\s+", " ", phrase.strip(" ,.?!")))
    if not m:
        return None
    head, a, b = m.group("head").strip(), m.group("a").strip(), (m.group("b") or "").strip()
    if b:
        return Between(head, a, b)
    two = _TWO.match(a)
    if not two:
        return None
    kind = two.group("kind") or two.group("plural")
    return Between(head, f"the {kind}", f"the {kind}")


def order_between(
    boxes: list[tuple[float, float, float, float]],
    a: tuple[float, float, float, float],
    b: tuple[float, float, float, float],
) -> list[int]:
    """Indices of ``boxes`` (XYXY), best first, for "the one between box ``a`` and box ``b``": the
    distance of a box's centre from the segment joining the two centres, in units of the segment's
    length, plus half its distance from the middle along it, plus a penalty when the centre falls
    outside the segment's span or on one of the two, and a larger one when the box is one of the two
    (IoU > 0.8)."""
    from vitron_agent.perception.detector import box_iou

    def centre(x: tuple[float, float, float, float]) -> tuple[float, float]:
        return (x[0] + x[2]) / 2, (x[1] + x[3]) / 2

    (ax, ay), (bx, by) = centre(a), centre(b)
    dx, dy = bx - ax, by - ay
    length2 = max(dx * dx + dy * dy, 1e-6)

    def cost(box: tuple[float, float, float, float]) -> float:
        cx, cy = centre(box)
        t = ((cx - ax) * dx + (cy - ay) * dy) / length2
        px, py = ax + max(0.0, min(1.0, t)) * dx, ay + max(0.0, min(1.0, t)) * dy
        off = ((cx - px) ** 2 + (cy - py) ** 2) ** 0.5 / length2**0.5
        outside = 0.0 if 0.0 <= t <= 1.0 else 5.0
        on_one = 5.0 if any(o[0] <= cx <= o[2] and o[1] <= cy <= o[3] for o in (a, b)) else 0.0
        itself = 100.0 if max(box_iou(box, a), box_iou(box, b)) > 0.8 else 0.0
        return itself + outside + on_one + off + 0.5 * abs(t - 0.5)

    return sorted(range(len(boxes)), key=lambda i: cost(boxes[i]))


def _labels_of(words: str) -> tuple[str, ...]:
    """The COCO labels ``words`` name (the detector's synonyms, WordNet's classes and what WordNet puts above)."""
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.name_finder import head_noun
    from vitron_agent.perception.wordnet_names import classes_for, coco_above, wordnet_ready

    name, head = named(words), head_noun(words)
    coco = classes_for(head)[0] if head and wordnet_ready() else frozenset()
    above = coco_above(head) if head and wordnet_ready() else ()
    return tuple(dict.fromkeys((*(name.labels if name else ()), *sorted(coco), *above)))


def _best_of(found: list[Detection], words: str, besides: Detection | None = None) -> Detection | None:
    """The detection in ``found`` (other than ``besides``) that ``words`` name most surely, at least
    MIN_SCORE; None when there is none."""
    from vitron_agent.perception.detector import MIN_SCORE, label_score

    labels = _labels_of(words)
    scored = [(max(label_score(d, lab) for lab in labels), d) for d in found if d is not besides] if labels else []
    best = max(scored, key=lambda t: t[0], default=(0.0, None))
    return best[1] if best[1] is not None and best[0] >= MIN_SCORE else None


def resolve_between(
    image: np.ndarray,
    found: list[Detection],
    btw: Between,
    with_mask: bool,
    guess: bool,
    *,
    resolve: Callable[..., Resolved],
    doubted: Callable[..., str],
) -> Resolved:
    """The head's detection nearest the line joining the two others
    (:func:`~vitron_agent.perception.between.order_between`), said with what was assumed; when the
    head is not among the detections or the two others are not both found, the head resolved alone
    with an assumption's words (unsure). ``resolve`` and ``doubted`` are the resolver's own
    (:func:`~vitron_agent.perception.recognise.resolve`, ``_doubted``), passed in: no import cycle."""
    from dataclasses import replace

    from vitron_agent.perception.detector import MIN_SCORE, Named, detector_name, label_score
    from vitron_agent.perception.resolving import Resolved, _mask, _xyxy

    a = _best_of(found, btw.first)
    b = _best_of(found, btw.second, besides=a) if a is not None else None
    labels = _labels_of(btw.head)
    cands = [
        d for d in found if labels and d is not a and d is not b and max(label_score(d, x) for x in labels) >= MIN_SCORE
    ]
    if a is None or b is None or not cands:
        res = resolve(image, btw.head, found, with_mask=with_mask, guess=guess)
        missing = btw.first if a is None else btw.second if b is None else ""
        why = f"where to find {missing}" if missing else f"which {btw.head.removeprefix('the ')} is between them"
        took = "the one found" if missing else "the one the resolver found first"
        return replace(res, method=res.method + f"; unsure where: it cannot tell {why}, so it took {took}", sure=False)
    order = order_between([_xyxy(d) for d in cands], _xyxy(a), _xyxy(b))
    chosen = cands[order[0]]
    how = (
        f"{detector_name()} recognised {chosen.describe()}; the one between the {a.label} ({a.score:.2f}) and the "
        f"{b.label} ({b.score:.2f}), read as the one nearest the line joining their centres"
    )
    sure = not doubted(image, [chosen], Named(labels, btw.head, False))
    if not sure:
        how += f"; unsure: it cannot tell surely that this is the {btw.head.removeprefix('the ')} between them, so it took the nearest"
    return Resolved([chosen], _mask(image, [chosen], with_mask), how, sure=sure)


def anchor_by_name(image: np.ndarray, found: list[Detection], words: str) -> tuple[Detection, bool] | None:
    """(the other thing of a relation, sure) when the detector has no detection of it ("the cup next
    to the lemon", "the cat by the rocket"): the classifier's best proposal named as ``words``' head
    noun (:func:`~vitron_agent.perception.name_finder.classifier_proposals`: the detector's boxes, the
    salient object, the activation peaks; a few classifications, no closer looks), sure only at 0.5 or
    more. None when the classifier knows no kind of it or finds none."""
    from vitron_agent.perception.classifier import classifier_ready
    from vitron_agent.perception.detector import named
    from vitron_agent.perception.name_finder import classifier_proposals, head_noun, imagenet_kinds
    from vitron_agent.perception.wordnet_names import classes_for, wordnet_ready

    head = head_noun(words)
    if not (head and wordnet_ready() and classifier_ready()):
        return None
    name = named(words)
    wanted = classes_for(head)[1] or imagenet_kinds(head, name.labels if name else ())
    hits = classifier_proposals(image, found, wanted) if wanted else []
    return (hits[0], hits[0].score >= 0.5) if hits else None
