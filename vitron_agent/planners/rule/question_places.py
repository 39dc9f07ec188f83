"""A question that names a place in the picture is asked about that place, not about the whole picture.

"what is on the left of the motorbike?" described the motorbike, "what colour is the background?"
said the whole picture's colour and "read the text at the bottom left" read every line (the newcomer
of session 12): the place words were dropped. :func:`place_question` plans such a clause as a describe
or read step with ``place`` (a side or corner; "outside <thing>" for the background; "left of
<thing>" ... beside a thing's mask, after a segment step for the thing), and the step's answer says
which part it looked at. What a picture cannot show ("what is behind the motorbike?": hidden by it)
is said, never answered about the motorbike itself.
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.planners.rule.asked import only_asks
from vitron_agent.planners.rule.lexicon import _restore
from vitron_agent.planners.rule.step_builders import _Builder, _fields, _segment

__all__ = ["place_question", "CANNOT_SEE_BEHIND"]

CANNOT_SEE_BEHIND = (
    "I cannot see what is behind {thing}: a photo shows only what is in front, and {thing} hides the rest. "
    "I can describe what is left of, right of, above or below it, or the background."
)

_ORDER = re.compile(r"^(?:please\s+)?(?:read|describe|tell\s+me\s+(?:about|what)|show\s+me\s+what)\b", re.I)
_READS = re.compile(r"\b(?:read|written|writing|text|words?|says?|letters|caption|label)\b", re.I)
_THING = r"(?P<x>(?:the|this|that|a|an|his|her|its|my|our|their)\s+(?!(?:picture|image|photo|frame)\b)[\w'-]+(?:\s+[\w'-]+){0,3}?)"
_END = r"\s*[?.!]*$"
_BEHIND = re.compile(rf"\b(?:behind|in\s+back\s+of|hidden\s+by)\s+{_THING}{_END}", re.I)
_BESIDE = re.compile(
    rf"\b(?:(?:on|to|at)\s+the\s+)?(?P<rel>left|right)(?:[\s-]+(?:hand\s+)?side)?\s+of\s+{_THING}{_END}|"
    rf"\b(?P<rel2>above|below|under|underneath|beneath)\s+{_THING.replace('?P<x>', '?P<x2>')}{_END}",
    re.I,
)
_BACKGROUND = re.compile(r"\b(?:the\s+)?(?:background|backdrop)\b", re.I)
_PLACE = r"(?P<v>top|bottom|upper|lower)?(?:[\s-]*(?P<u>left|right))?"
_NOUN = r"(?:[\s-]+(?:hand\s+)?(?:corner|side|half|part|edge|area|quarter))"
_SIDE = re.compile(
    rf"\b(?:(?:at|in|on|to|from)\s+the\s+(?:very\s+)?{_PLACE}{_NOUN}?|the\s+(?:very\s+)?{_PLACE.replace('?P<', '?P<n')}{_NOUN})"
    rf"(?:\s+of\s+(?:the\s+)?(?:picture|image|photo|frame|it))?{_END}",
    re.I,
)
_A_THING = re.compile(r"\b(?:the|a|an|this|that|these|those|any|some)\s+\w", re.I)
_BELOW = {"below": "below", "under": "below", "underneath": "below", "beneath": "below", "above": "above"}


def place_question(b: _Builder, clause: str, last: dict[str, str]) -> bool:
    """Plan ``clause`` (a question, or "read"/"describe" …) when it names a place in the picture; True
    when it did (``b.answer`` set when the place cannot be seen), False to leave it to the rule table."""
    text = clause.strip()
    if b.video_mode or b.image is None or not (only_asks(text) or _ORDER.match(text)):
        return False
    tool = "read_text" if _READS.search(text) else "describe"
    if "place" not in _fields(b, tool):
        return False
    if (hidden := _BEHIND.search(text)) is not None:
        b.answer = CANNOT_SEE_BEHIND.format(thing=_restore(hidden.group("x"), b.regions))
        return True
    mask, place = _where(b, text, last, tool == "read_text")
    if place is None:
        return False
    question = _restore(text, b.regions)
    args: dict[str, Any] = {"image": b.image, "mask": mask, "place": place}
    b.add(tool, **args, **({"question": question} if tool == "describe" else {}))
    b.last_output = "text"
    return True


def _where(b: _Builder, text: str, last: dict[str, str], reads: bool) -> tuple[str | None, str | None]:
    """(the mask a relation needs, the step's place), or (None, None) when the clause names none."""
    if (beside := _BESIDE.search(text)) is not None:
        rel = f"{beside.group('rel').lower()} of" if beside.group("rel") else _BELOW[beside.group("rel2").lower()]
        thing = _restore(beside.group("x") or beside.group("x2"), b.regions)
        return _segment(b, thing, last), f"{rel} {thing}"
    if _BACKGROUND.search(text):
        return _segment(b, "", last), "outside the main object"
    side = _SIDE.search(text)
    if (
        side is not None
        and not (side.group("nv") or side.group("nu"))
        and _A_THING.search(text[: side.start()])
        and not reads
    ):
        return None, None  # "what colour is the car on the left?": a thing by its place, the segment step's
    if side is not None:
        v, u = side.group("v") or side.group("nv"), side.group("u") or side.group("nu")
        v = {"upper": "top", "lower": "bottom"}.get((v or "").lower(), (v or "").lower())
        words = f"{v} {(u or '').lower()}".strip()
        return (None, words) if words else (None, None)
    return None, None
