"""Requests said another way, rewritten to the plain form the table reads (text in, text out; run by
:func:`vitron_agent.planners.rule.complaints.strip_remarks` before clauses are split). Each rule is
one class of phrasing a newcomer used that had read as another edit or as nothing:

* a correction after the colour: "the shirt should be purple, not green" (both colours were read);
* a remark sentence naming the thing, then the request on "it"/"them": "the walls are boring. make them
  cyan?" (the colour had no thing);
* a complaint, then "fix the colour": "way too yellow, fix the colour" (the fix was read as a question
  of its own; "fix it" after a complaint is read with it elsewhere);
* why it is wanted, said by who may see it: "hide the faces so nobody's recognisable" (an unknown word
  of the purpose decided the reading);
* a highlight said with its outline: "highlight the bus with a green outline" (a selection only).
"""

from __future__ import annotations

import re

from vitron_agent.planners.rule.lexicon import _COLOR_WORDS

__all__ = ["plain_request"]

_COLOUR = "|".join(_COLOR_WORDS)
_NOT_COLOUR = re.compile(
    rf"^(?P<main>.+?\b(?:{_COLOUR}))\s*[,;]?\s*(?:and\s+|but\s+)?(?:not|instead of|rather than)\s+(?:the\s+)?(?:{_COLOUR})"
    r"(?:\s+(?:one|colou?r))?\s*[.!?]*$",
    re.I,
)
_REMARK_THEN_IT = re.compile(
    r"^(?P<np>(?:the|this|that|these|those|my|his|her|their|our)\s+[a-z][a-z' -]{0,40}?)\s+(?:is|are|looks?|seems?)\s+"
    r"(?:(?:so|very|really|too|a bit|kinda|pretty|quite)\s+)*[a-z]+\s*[.!]+\s+(?:(?:please|now|so|can you|could you)\s+)?"
    r"(?P<verb>[a-z]+)\s+(?:it|them)\b(?P<rest>[^.?!]*)[.?!]*$",
    re.I,
)
_THEN_FIX = re.compile(
    r"^(?P<complaint>.*\btoo\b.+?)\s*[,;.!-]+\s*(?:(?:so|please|can you|could you)\s+)?(?:fix|correct|sort out|repair|adjust|"
    r"balance)\s+(?:the\s+(?:colou?rs?|tones?|white\s+balance|balance|tint|cast))(?:\s+please)?\s*[.!?]*$",
    re.I,
)
_SO_NOBODY = re.compile(
    r"\s*,?\s+so(?:\s+that)?\s+(?:nobody|no one|no-one|noone|people|everyone|everybody|someone|somebody|anyone|anybody|"
    r"strangers|others|viewers)\b[^.?!]*[.?!]*$",
    re.I,
)
_HIGHLIGHT_LINE = re.compile(
    r"^(?P<verb>highlight|mark|show|emphasi[sz]e|indicate)\s+(?P<np>.+?)\s+(?:with|using|in)\s+(?:an?\s+)?"
    rf"(?:(?:thick|thin|bold|bright)\s+)?(?:(?P<c>{_COLOUR})\s+)?(?:outline|border|line|ring|edge|contour)\b\s*[.!]*$",
    re.I,
)


def plain_request(text: str) -> str:
    """``text`` in the plain form its class has in the table (module docstring); other text as it is."""
    out = text.strip()
    if m := _REMARK_THEN_IT.match(out):
        out = f"{m.group('verb')} {m.group('np')}{m.group('rest')}"
    if m := _NOT_COLOUR.match(out):
        out = m.group("main")
    if m := _THEN_FIX.match(out):
        out = m.group("complaint")
    out = _SO_NOBODY.sub("", out) or out
    if m := _HIGHLIGHT_LINE.match(out):
        out = f"outline {m.group('np')}" + (f" in {m.group('c')}" if m.group("c") else "")
    return out
