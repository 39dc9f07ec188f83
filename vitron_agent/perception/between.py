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
from dataclasses import dataclass

__all__ = ["Between", "parse_between", "order_between"]

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
