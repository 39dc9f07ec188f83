"""Counting the parts of a thing ("how many wheels does the motorbike have?", "how many legs does
the cat have?"): what is visible, and how many the thing has by its kind, said apart.

A part that cannot be seen cannot be counted: a motorbike photographed from one side may show one
wheel, or none when the picture cuts it off. The answer says how many are visible where a method
finds them (wheels: the round lobes at the bottom of the vehicle's outline,
:mod:`vitron_agent.perception.wheels`) and, where the number differs or cannot be measured, how
many such a thing has as a rule -- common knowledge from :data:`BY_KIND`, marked as such, never
as something seen. Without the whole in the picture nothing is claimed.

The visible count is None where nothing was counted (no method locates the part, the outline could
not be traced, or the owner is not in the picture): 0 would say that none were seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

__all__ = ["PartQuestion", "BY_KIND", "part_question", "count_parts"]

_FOUR_LEGS = ("cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe")
_ANIMALS = (*_FOUR_LEGS, "bird", "person")
# how many of a part a thing has as a rule (common knowledge, not measured); "4+": at least 4
BY_KIND: dict[str, dict[str, str]] = {
    "wheel": {"bicycle": "2", "motorcycle": "2", "car": "4", "truck": "4+", "bus": "4+", "skateboard": "4"},
    "leg": {**dict.fromkeys(_FOUR_LEGS, "4"), "bird": "2", "person": "2", "chair": "4", "dining table": "4"},
    "ear": dict.fromkeys(_ANIMALS, "2"),
    "eye": dict.fromkeys(_ANIMALS, "2"),
    "paw": {"cat": "4", "dog": "4", "bear": "4"},
    "wing": {"bird": "2", "airplane": "2"},
    "tail": dict.fromkeys((*_FOUR_LEGS, "bird", "airplane"), "1"),
    "arm": {"person": "2", "chair": "2"},
    "hand": {"person": "2"},
    "foot": {"person": "2", "bird": "2"},
    "horn": {"cow": "2"},
}
_SINGULAR = {"feet": "foot", "tyre": "wheel", "tyres": "wheel", "tire": "wheel", "tires": "wheel", "wheels": "wheel"}
_OWNER = re.compile(
    r"^(?:the\s+)?(?P<part>[a-z]+)\s+(?:(?:of|on|does|do|did|has|have|had)\s+)(?:the|this|that|a|an|its|his|her)?\s*"
    r"(?P<owner>[a-z ]+?)(?:\s+(?:have|has|got|get))?\s*\??$"
)
_POSSESSIVE = re.compile(r"^(?:the\s+)?(?P<owner>[a-z ]+?)'s\s+(?P<part>[a-z]+)$")


@dataclass(frozen=True)
class PartQuestion:
    """A count of a part: ``part`` (singular: "wheel"), the word asked (``word``: "wheels"), and
    ``owner`` ("motorbike"), or None when the words name no owner."""

    part: str
    word: str
    owner: str | None


def _singular(word: str) -> str:
    """The part a word names: its own words for it (feet, tyres), else the singular (by
    :func:`~vitron_agent.perception.coco_names.singular_forms`) that is a part :data:`BY_KIND` knows, else
    the word."""
    from vitron_agent.perception.coco_names import singular_forms

    if word in _SINGULAR:
        return _SINGULAR[word]
    return next((f for f in singular_forms(word) if f in BY_KIND), word)


def part_question(target: str | None) -> PartQuestion | None:
    """The part a count's target asks for ("wheels", "wheels of the motorcycle", "the motorbike's
    wheels", "wheels has the motorbike got"), or None when it names no part :data:`BY_KIND` knows."""
    text = (target or "").strip().lower()
    word, owner = text.removeprefix("the ").strip(), None
    if m := _OWNER.match(text) or _POSSESSIVE.match(text):
        word, owner = m.group("part"), m.group("owner").strip() or None
    part = _singular(word)
    return PartQuestion(part, word, owner) if part in BY_KIND and " " not in word else None


def _wholes(q: PartQuestion) -> tuple[str, ...]:
    """The COCO labels the counted thing may carry: the owner's, else every one with this part."""
    from vitron_agent.perception.detector import named

    if q.owner:
        owner = named(q.owner)
        return tuple(owner.labels) if owner is not None else ()
    return tuple(BY_KIND[q.part])


def _plural(part: str, n: int | str) -> str:
    if str(n) == "1":
        return part
    return "feet" if part == "foot" else f"{part}s"


def _by_kind(part: str, label: str) -> str:
    """'a motorcycle has 2 wheels as a rule (common knowledge, not counted in the picture)' or ''."""
    n = BY_KIND[part].get(label)
    if n is None:
        return ""
    many = f"at least {n[:-1]}" if n.endswith("+") else n
    return (
        f"a {label} has {many} {_plural(part, n.rstrip('+'))} as a rule (common knowledge, not counted in the picture)"
    )


def _cut_off(box, shape: tuple[int, int]) -> str:
    """Which edges of the picture cut the whole off ('the bottom edge'), or ''."""
    h, w = shape
    edges = [
        name
        for name, hit in (
            ("bottom", box.y2 >= h - 2),
            ("left", box.x1 <= 1),
            ("right", box.x2 >= w - 2),
            ("top", box.y1 <= 1),
        )
        if hit
    ]
    return " and ".join(edges)


def count_parts(image: np.ndarray, q: PartQuestion, found: list) -> tuple[int | None, str, np.ndarray | None] | None:
    """(visible count, the answer, the parts' mask or None) for a part of a whole among ``found``
    (Detections) in ``image`` (HxWx3 uint8 RGB); the count is None where the parts could not be
    counted (never 0 unless none were seen). None when no whole of it was found and the words name
    no owner (the caller counts the part as a thing of its own)."""
    from vitron_agent.perception.detector import MIN_SCORE, label_score

    labels = _wholes(q)
    wholes = [d for d in found if labels and max(label_score(d, lab) for lab in labels) >= MIN_SCORE]
    if not wholes:
        if q.owner is None:
            return None
        return (
            None,
            (
                f"I see no {q.owner} to count {_plural(q.part, 2)} on, though the detector can miss things; "
                f"I can't count the {q.word} of a {q.owner} I do not find."
            ),
            None,
        )
    whole = max(wholes, key=lambda d: (d.box.x2 - d.box.x1) * (d.box.y2 - d.box.y1))
    label = next((lab for lab in labels if label_score(whole, lab) >= MIN_SCORE), whole.label)
    rule = _by_kind(q.part, label)
    edge = _cut_off(whole.box, image.shape[:2])
    cut = f" The picture's {edge} edge cuts the {label} off, so some may be out of the picture." if edge else ""
    if len(wholes) > 1:
        cut += f" I counted on the largest of the {len(wholes)} I see."
    if q.part != "wheel":
        return (
            None,
            (
                f"I can't count the {_plural(q.part, 2)} here: I see the {label} ({whole.describe()}), but no model "
                f"here locates the {_plural(q.part, 2)} of a {label} one by one."
                + (f" By its kind, {rule}." if rule else "")
                + cut
            ),
            None,
        )
    return _wheel_answer(image, whole, label, rule, cut)


def _wheel_answer(
    image: np.ndarray, whole, label: str, rule: str, cut: str
) -> tuple[int | None, str, np.ndarray | None]:
    """Wheels seen on the vehicle's outline, said with the number it has by kind where they differ;
    the count is None when the outline could not be traced or shows no wheel where the picture does
    not cut the vehicle's bottom off (a wheel missed, not none there)."""
    from vitron_agent.perception.object_masks import object_mask
    from vitron_agent.perception.wheels import find_wheels, wheel_mask

    outline, ok = object_mask(image, whole.box)  # the vehicle's outline
    boxes = find_wheels(outline) if ok else []
    n = len(boxes)
    mask = np.zeros(image.shape[:2], bool)
    for b in boxes:
        mask |= wheel_mask(outline, b)
    rule_n = re.search(r"has (?:at least )?(\d+)", rule)
    seen = f"{n} wheel{'s' if n != 1 else ''}" if n else "no wheel"
    how = "found as round lobes at the bottom of its outline"
    if rule_n and int(rule_n.group(1)) == n and "at least" not in rule:
        return n, f"I count {seen} on the {label} ({how}), as a {label} has.", mask
    text = f"I can see {seen} of the {label} ({how}); the others may be hidden behind it or out of the picture."
    counted: int | None = n
    if not n:
        text = f"I found no wheel on the {label}'s outline (I look for round lobes at its bottom): none is clear."
        if "bottom" not in cut:  # its bottom is in the picture: a wheel missed, not none there
            counted = None
            text = f"I can't count the wheels here: {text[0].lower()}{text[1:]}"
    if not ok:
        counted = None
        text = f"I can't count the wheels here: I see the {label} but could not trace its outline."
    text += (f" By its kind, {rule}." if rule else "") + cut
    return counted, text, (mask if mask.any() else None)
