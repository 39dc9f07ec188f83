"""Shorthand people type that the table's readings do not take as it is: exact percentages on a tone edit
("make the kitten 20% brighter", "brighten it by 20%") and arrows ("owl -> black and white").

The tone edits take a strength (a little / moderate / a lot), not an exact percentage: a percentage left
in the request became part of the target ("the kitten 20%") and hid the clause after it ("and the rest 20%
darker" was dropped). It is read as the nearest strength word, and the answer says so. A percentage on a
size, a crop, a speed or a part of a clip is not touched here (those readings take numbers).
"""

from __future__ import annotations

import re

__all__ = ["arrows", "onto_colour", "percent_words"]

_TONE = (
    r"(?:brighter|darker|lighter|dimmer|warmer|cooler|colder|sharper|blurrier|softer|more\s+\w+|less\s+\w+|"
    r"more|less)"
)
_NUMBER = r"(?P<n>\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per\s*cent\b|pc\b)"
# "20% brighter", "by 20 percent darker", "30 % more saturated"
_BEFORE_TONE = re.compile(
    r"\s*\b(?:by\s+)?(?:about\s+|around\s+|roughly\s+)?" + _NUMBER + r"\s+(?=" + _TONE + r"\b)", re.I
)
# "brighten the dog by 20%", "increase the contrast by 30 percent", "reduce the saturation 40%"
_TONE_VERB = (
    r"(?:brighten|darken|lighten|dim|warm(?:\s+up)?|cool(?:\s+down)?|sharpen|soften|saturate|desaturate|"
    r"(?:increase|raise|boost|reduce|lower|decrease|bump(?:\s+up)?|turn\s+(?:up|down))\s+(?:the\s+)?"
    r"(?:brightness|contrast|saturation|exposure|warmth|colou?rs?|vibrance|sharpness|blur))"
)
_AFTER_VERB = re.compile(
    r"^(?P<head>\s*(?:please\s+)?" + _TONE_VERB + r"\b[^.,;%]{0,60}?)\s+(?:by\s+)?(?:about\s+|around\s+)?" + _NUMBER,
    re.I,
)
_SIZE_WORDS = re.compile(r"\b(?:size|smaller|bigger|larger|scale|resize|zoom|crop|speed|faster|slower|opacity)\b", re.I)

_STRENGTH_NOTE = "I read {said} as {how} change: the tone edits take a strength (a little, moderate, a lot), not an exact percentage."


def _strength(n: float) -> tuple[str, str]:
    """The strength word for a percentage and how the note says it."""
    if n < 15:
        return "a little", "a small"
    if n <= 45:
        return "", "a moderate"
    return "a lot", "a strong"


def percent_words(text: str) -> tuple[str, list[str]]:
    """``text`` with each percentage on a tone edit read as a strength word, and the notes that say so."""
    notes: list[str] = []

    def before(m: re.Match[str]) -> str:
        word, how = _strength(float(m.group("n")))
        notes.append(_STRENGTH_NOTE.format(said=repr(m.group(0).strip()), how=how))
        return f" {word} " if word else " "

    out = []
    for clause in re.split(r"(?<=[,;.])", text):  # each clause on its own: "..., then resize to 50%"
        if _SIZE_WORDS.search(clause):
            out.append(clause)
            continue
        clause = _BEFORE_TONE.sub(before, clause)
        m = _AFTER_VERB.match(clause)
        if m:
            word, how = _strength(float(m.group("n")))
            notes.append(_STRENGTH_NOTE.format(said=repr(m.group(0)[len(m.group("head")) :].strip()), how=how))
            clause = m.group("head") + (f" {word}" if word else "") + clause[m.end() :]
        out.append(re.sub(r"\s{2,}", " ", clause))
    return "".join(out).strip(), list(dict.fromkeys(notes))


# "owl -> black and white", "sky => darker", "dog → blue": the thing, then what it becomes
_ARROW = re.compile(r"^\s*(?P<x>[a-z][a-z' -]{0,40}?)\s*(?:-+>|=+>|→|⇒)\s*(?P<y>[^,;]{1,80})(?P<tail>.*)$", re.I | re.S)
_VERB_START = re.compile(r"^(?:make|turn|change|paint|colou?r|set|put|the|this|that|it|my|his|her|their)\b", re.I)


def arrows(text: str) -> str:
    """``text`` with an arrow shorthand written as words ("owl -> black and white" -> "make the owl black and
    white"); anything else comes back as it was."""
    m = _ARROW.match(text)
    if m is None:
        return text
    x, y = m.group("x").strip(), m.group("y").strip()
    if _VERB_START.match(x) and not re.match(r"^(?:the|this|that|my|his|her|their)\b", x, re.I):
        return text
    thing = x if re.match(r"^(?:the|this|that|my|his|her|their|it)\b", x, re.I) else f"the {x}"
    return f"make {thing} {y}{m.group('tail')}"


def onto_colour(text: str) -> str:
    """ "put it on grey" -> "put it on a grey background": a plain colour something is put on is a background
    (read alone, "grey" was a grayscale edit and "on plain grey" selected nothing)."""
    from vitron_agent.planners.rule.lexicon import _COLOR_RE

    def fix(m: re.Match[str]) -> str:
        if not _COLOR_RE.fullmatch(m.group("c")):
            return m.group(0)
        return f"{m.group('lead')} on a {m.group('c')} background"

    return _ONTO.sub(fix, text)


_ONTO = re.compile(
    r"(?P<lead>\b(?:put|place|set|paste|stick|drop)\s+(?:it|them|him|her|this|that|the\s+[a-z]+(?:\s+[a-z]+)?))\s+"
    r"(?:on|onto|against|over)\s+(?:a\s+|an\s+)?(?:(?:plain|solid|pure|flat|simple)\s+)?(?P<c>[a-z]+)"
    r"(?:\s+(?:background|backdrop|bg))?(?=\s*(?:[,.;!?]|$|\band\b|\bthen\b))",
    re.I,
)
