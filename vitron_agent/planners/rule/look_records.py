"""The rule planner's records for a look that needs no model (:mod:`vitron_agent.perception.looks`) -- sepia, a
vignette, film grain, a negative, a pencil sketch, a cartoon, posterized, embossed -- for text written on a
picture or a clip (a caption, a title, a watermark), and for a border round a picture. Each was refused
("I have no sepia tint without a generative editor", "I cannot draw text ...", "I cannot add grain") or
sent to an instruction-following model that is not configured by default. Records of the intent table,
tried before the table's refusals (order 40 < 50). Rules only, no example sentences for the learned
matcher: each look has its own word, and examples moved the matcher's other readings ("are there any
words on the poster?" heard "posterize"; "too much grain" is a denoise).

A look applies to the whole picture, or to a thing named ("make the background a pencil sketch", "sepia
everything except the dog"), through the planner's own target reading. Text needs its words: in quotes,
or after "saying", "that says", "reading", "with the words"; without them the planner asks what to write.
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.planners.rule.lexicon import _COLOR_RE, _QUOTED, intensity
from vitron_agent.planners.rule.step_builders import _edit, _pronoun_or_np, _segment, _spared, _target
from vitron_agent.toolkit.intents import Intent, register_intent

__all__ = ["LOOK_INTENTS", "text_of", "place_of"]

_RESTYLES = ("sepia", "sketch", "cartoon")  # looks a configured instruction editor gives better (whole picture)
ORDER = 40  # before the refusals (50): "add film grain" was "I cannot add grain"

# The words that name each look; what is left of the clause names where (a thing, or the whole picture).
_LOOK_WORDS = {
    "sepia": r"sepia(?:[- ]ton(?:ed|e))?|vintage|old[- ]timey|old[- ]fashioned|antique|retro|aged?|old(?=\s+(?:photo|picture|look|film))",
    "vignette": r"vignett(?:e|ing)",
    "grain": r"(?:film\s+)?grain(?:y|ier)?|noise|noisy",
    "invert": r"invert(?:ed)?|inverse|negative|reverse the colou?rs",
    "sketch": r"(?:pencil\s+|charcoal\s+|line\s+)?(?:sketch(?:ed|y)?|drawing)|drawn in pencil",
    "cartoon": r"cartoon(?:ish|y|ify|i[sz]e|ified)?|comic(?:[- ]book)?|toon",
    "posterize": r"posteri[sz](?:e|ed|ation)|poster(?:ised|ized)?(?=\s+(?:effect|look|style))",
    "emboss": r"emboss(?:ed)?|relief",
}
_FILLER = re.compile(
    r"\b(?:make|turn|convert|render|change|give|add|apply|put|use|do|please|look(?:ing|s)?|like|style|styled|effect|"
    r"filter|version|into|in|to|with|as|an?|some|more|heavy|heavily|strong|strongly|light|lightly|subtle|slight|bit|"
    r"little|touch|tone|tint|toned|kind|sort|of|on|it|this|that|me|for|photo|image|picture|pic|tones?|feel|vibe|"
    r"film|colou?rs?|thin|thick|nice|cool|the)\b",
    re.I,
)


_PERCENT = re.compile(r"(?:\bat\s+|\bby\s+)?(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)", re.I)
_LEVELS = re.compile(r"\b(?:with\s+|to\s+|in\s+)?(\d+)\s*(?:levels?|colou?rs?|tones?|shades?)\b", re.I)


def _strength_said(call: Any, look: str, clause: str) -> tuple[bool, float | None]:
    """(go on, amount) from a strength in numbers: "50% sepia", "posterize to 4 levels". They had been
    dropped without a word ("add a 0% vignette" darkened the edges, "posterize to 1000 levels" made 5)."""
    if look == "posterize" and (m := _LEVELS.search(clause)):
        n = int(m.group(1))
        if 2 <= n <= 8:
            return True, (8 - n) / 6
        call.ask(
            f"Posterize keeps 2 to 8 levels per colour, not {n}: say a number from 2 to 8, or 'strong' / 'slight'."
        )
        return False, None
    if m := _PERCENT.search(clause):
        pct = float(m.group(1))
        if pct <= 0:
            call.ask(f"A {m.group(1)}% {look} changes nothing: say how strong, e.g. '50% {look}' or 'a little {look}'.")
            return False, None
        if pct > 100:
            call.note(f"I read {m.group(1)}% as full strength (100%), the most a {look} has.")
        return True, min(pct, 100.0) / 100
    return True, None


def _look_handler(look: str):
    words = re.compile(rf"\b(?:{_LOOK_WORDS[look]})\b", re.I)

    def handler(call: Any) -> None:
        b, clause, last = call.builder, call.clause, call.last
        go_on, said = _strength_said(call, look, clause)
        if not go_on:
            return
        clause = _LEVELS.sub(" ", _PERCENT.sub(" ", clause)) if said is not None else clause
        amount = intensity(clause) if said is None else said
        extra = {} if amount == 0.5 else {"amount": amount}
        if look == "vignette" or _spared(b, look, clause, last, extra):
            if look == "vignette":
                _edit(b, operation=look, **extra)
            return
        left = words.sub(" ", clause)
        phrase = _pronoun_or_np(re.sub(r"\s+", " ", _FILLER.sub(" ", left)).strip(" ,.'\""))
        if look in _RESTYLES and not phrase and b.toolbox.supports(b.tool("edit"), "instruct"):
            from vitron_agent.planners.rule.intent_table import intent_named

            intent_named("restyle").handler(call)  # a configured instruction editor paints the look as asked
            return
        kind, mask = _target(b, phrase, last) if phrase else ("whole", None)
        if kind in ("background", "complement"):
            _edit(b, operation=look, mask=mask or _segment(b, "the main object", last), where="outside", **extra)
        elif kind in ("whole", "none") or mask is None:
            _edit(b, operation=look, **extra)
        else:
            _edit(b, operation=look, mask=mask, **extra)

    handler.__name__ = f"{look}_handler"
    return handler


# the words to write: quoted, or after a word that introduces them, up to where they go
_PLACE_WORDS = (
    r"(?:\s+(?:at|in|on|across|along|to|near|into)\s+(?:the\s+)?(?:very\s+)?(?:top|bottom|middle|centre|center|"
    r"upper|lower|corner|left|right|it|this|that|the (?:image|picture|photo|video|clip))\b.*$)"
)
_SAID = re.compile(
    r"\b(?:saying|that says|which says|that reads|reading|with the words?|the words?|with the text|the text|"
    r"that said|says)\s*:?\s*(?P<t>.+?)(?:" + _PLACE_WORDS + r"|\s*$)",
    re.I,
)
_WRITE = re.compile(
    r"^(?:please\s+)?(?:write|type|print|stamp|put|add|overlay)\s+(?P<t>(?!(?:a|an|the|some|my|our)\s)\S.*?)\s+"
    r"(?:on|onto|over|across|at|in)\s+(?:top of\s+)?(?:the\s+)?(?:it|this|that|image|picture|photo|video|clip|bottom|top|"
    r"corner|middle|centre|center|upper|lower)\b",
    re.I,
)

_CAPTION_COLON = re.compile(
    r"^(?:please\s+)?(?:caption|title|label)(?:\s+(?:it|this|the\s+(?:image|picture|photo)))?\s*[:\u2013\u2014-]\s*(?P<t>\S.*?)"
    r"(?:" + _PLACE_WORDS + r"|\s*$)",
    re.I,
)


def text_of(clause: str) -> str | None:
    """The words a clause asks to write on the picture, or None when it does not say them."""
    if m := _QUOTED.search(clause):
        return (m.group("t") or m.group("t2")).strip() or None
    if m := _SAID.search(clause):
        return m.group("t").strip(" ,.:;") or None
    if m := _CAPTION_COLON.match(clause.strip()):  # "caption it: best day ever"
        return m.group("t").strip(" ,.:;") or None
    if m := _WRITE.match(clause.strip()):  # empty quotes are no words ("write '' on it" had written the marks)
        words = m.group("t").strip(" ,.:;")
        return words if words.strip("'\"‘’“”«» ") else None
    return None


def place_of(clause: str) -> str:
    """Where the text goes: a corner, the top, the middle, the bottom (a caption's place); a watermark's
    default is the bottom-right corner, a title's the top."""
    low = _QUOTED.sub(" ", clause.lower())
    row = (
        "top"
        if re.search(r"\b(?:top|upper|above)\b", low)
        else "bottom"
        if re.search(r"\b(?:bottom|lower|below)\b", low)
        else None
    )
    col = "left" if re.search(r"\bleft\b", low) else "right" if re.search(r"\bright\b", low) else None
    if row and col:
        return f"{row}_{col}"
    if re.search(r"\bcorner\b", low) or (re.search(r"\bwatermark\b", low) and not row):
        return f"{row or 'bottom'}_{col or 'right'}"
    if row:
        return row
    if re.search(r"\b(?:middle|centre|center|centred|centered)\b", low):
        return "center"
    return "top" if re.search(r"\b(?:title|heading|headline)\b", low) else "bottom"


_FONT_SIZE = re.compile(
    r"\b(?:font[- ]?size|size|font|text\s+size|point\s+size)\s*(?:of\s+|=\s*|:\s*)?(?P<n>[-+]?\d[\d,.]*)"
    r"|(?P<m>[-+]?\d[\d,.]*)\s*-?\s*(?:pt|points?|px|pixels?)\b",
    re.I,
)


def _text_handler(call: Any) -> None:
    b, clause = call.builder, call.clause
    words = text_of(clause)
    if not words:
        call.ask(
            "What should the text say? Put the words in quotes, e.g. 'add a caption \"Summer 2026\" at the bottom' "
            "or 'write \"© Ana\" in the corner'."
        )
        return
    colour = _COLOR_RE.search(_QUOTED.sub(" ", clause.split(words)[-1] if words in clause else clause))
    args: dict[str, Any] = {"operation": "text", "text": words, "place": place_of(clause)}
    if colour:
        args["color"] = colour.group(1).lower()
    if size := _FONT_SIZE.search(_QUOTED.sub(" ", clause)):  # "font size 10000" had been dropped without a word
        call.note(
            f"I cannot set the font size to {size.group('n') or size.group('m')}: the text is sized to the picture "
            "(say 'big' or 'small' text)."
        )
    if re.search(r"\b(?:big|large|huge|bold|giant)\b", _QUOTED.sub(" ", clause), re.I):
        args["amount"] = 0.9
    elif re.search(r"\b(?:small|tiny|little|discreet|subtle)\b", _QUOTED.sub(" ", clause), re.I):
        args["amount"] = 0.2
    _edit(b, **args)


def _border_handler(call: Any) -> None:
    b, clause = call.builder, call.clause
    if b.video_mode:
        call.ask("I can put a border round a picture, not a video; take a frame first ('take the frame at 0:02').")
        return
    colour = _COLOR_RE.search(clause)
    low = clause.lower()
    width = None
    if m := re.search(r"(?<![\w.])(\d+(?:\.\d+)?)\s*-?\s*(?:px|pixels?)\b", low):
        width = round(float(m.group(1)))  # "10000 px" had been read as no width (the default border, said done)
        if width < 1:
            call.ask(f"A {m.group(1)}-pixel border is no border: say how wide, e.g. 'add a 20 px white border'.")
            return
        if width > 16384:
            call.ask(f"A {width:,}-pixel border is wider than any picture here: ask for at most a few hundred pixels.")
            return
    elif re.search(r"\d\s*(?:%|percent\b|per cent\b)", low):
        call.note("I cannot size a border in per cent; I used the default width (say 'thin', 'thick' or '20 px').")
    args: dict[str, Any] = {"operation": "border", "color": colour.group(1).lower() if colour else None}
    if width:
        args["width"] = width
    elif re.search(r"\b(?:thick|wide|big|heavy|fat)\b", low):
        args["amount"] = 0.9
    elif re.search(r"\b(?:thin|narrow|slim|fine|hairline)\b", low):
        args["amount"] = 0.2
    _edit(b, **args)


_NOT_LESS = r"(?!.*\b(?:less|remove|reduce|fix|clean|without|get rid|too|denoise|no)\b)"


def _look(name: str, patterns: tuple[str, ...], slots: tuple[str, ...], help: str) -> Intent:
    """One look's record: its patterns and slots; the handler and the order are the same for every look."""
    return Intent(name, patterns=patterns, slots=slots, help=help, handler=_look_handler(name), order=ORDER)


LOOK_INTENTS = (
    _look(
        "sepia",
        (
            r"^(?=.*\bsepia\b)",
            r"^(?=.*\b(?:look|make|turn)\b)(?=.*\b(?:an?\s+)?(?:old|aged|old[- ]fashioned)\s+(?:photo|photograph|picture|print|postcard)\b)"
            r"(?!.*(?:\bblack[- ]and[- ]white\b|\bb\s*/\s*w\b|gr[ae]y|monochrome))",
            # "vintage black and white" is grey, not sepia (the grayscale reading, or an instruction model)
            r"^(?=.*\b(?:vintage|old[- ]timey|old[- ]fashioned|antique|retro)\b)(?=.*\b(?:look|feel|style|effect|filter|"
            r"tone|make|give|turn)\b)(?!.*(?:\bblack[- ]and[- ]white\b|\bb\s*/\s*w\b|\bb&w\b|gr[ae]y|monochrome|mono\b))",
        ),
        ("target", "amount"),
        "sepia / a vintage look (everything, or a thing named)",
    ),
    _look(
        "vignette",
        (
            r"^(?=.*\bvignett(?:e|ing)\b)" + _NOT_LESS,
            # the effect said as what it does ("darken the corners": the corners were selected as a thing)
            r"^(?:please\s+)?(?:darken|shade|burn(?:\s+in)?|dim|(?:make|get)(?=.*\bdarker\s*$))\s+(?:all\s+)?(?:the\s+|its\s+)?"
            r"(?:four\s+)?(?:corners|edges)(?:\s+(?:of|on)\s+(?:it|this|the\s+(?:image|picture|photo|pic)))?"
            r"(?:\s+(?:a\s+(?:bit|little|lot|touch)|slightly|much|darker))*(?:\s+please)?\s*[.!]?$",
        ),
        ("amount",),
        "a vignette (the edges darkened)",
    ),
    _look(
        "grain",
        (
            r"^(?:add|put|give|apply|make|sprinkle)\b"
            + _NOT_LESS
            + r"(?=.*\b(?:grain|grainy|film grain|noise|noisy)\b)",
        ),
        ("target", "amount"),
        "film grain",
    ),
    _look(
        "invert",
        (
            r"^(?=.*\binvert\w*\b)(?!.*\b(?:selection|mask|masks|tracks?|region)\b)",
            r"^(?=.*\b(?:photo\s+)?negative\b)(?=.*\b(?:make|turn|give|effect|look|into|as|convert)\b)",
        ),
        ("target",),
        "invert the colours (a negative)",
    ),
    _look(
        "sketch",
        (
            r"^(?=.*\b(?:pencil|charcoal)\s+(?:sketch|drawing)\b)",
            r"^(?=.*\b(?:sketch|drawing|line art)\b)(?=.*\b(?:look|like|into|as|turn|make|convert|style|effect)\b)"
            r"(?!.*\b(?:of\s+an?|draw\s+me|generate|create)\b)",
        ),
        ("target",),
        "a pencil sketch",
    ),
    _look(
        "cartoon",
        (r"^(?=.*\b(?:cartoon\w*|comic(?:[- ]book)?|toon)\b)(?!.*\b(?:of\s+an?|draw\s+me|generate|create)\b)",),
        ("target",),
        "a cartoon look (flat colours, dark outlines)",
    ),
    _look(
        "posterize",
        (r"^(?=.*\bposteri[sz]\w*\b)",),
        ("target", "amount"),
        "posterize (few colour levels)",
    ),
    _look(
        "emboss",
        (r"^(?=.*\bemboss\w*\b)",),
        ("target",),
        "emboss (a grey relief)",
    ),
    Intent(
        "text",
        patterns=(
            # the words given (quoted, or after "saying"), or a caption / title / watermark named
            r"^(?!.*\b(?:subtitles?|(?:speech|thought)\s+bubbles?)\b)(?:please\s+)?(?:add|put|write|type|overlay|stamp|"
            r"place|print|insert|caption)\b(?=.*(?:[\"“‘]|(?<![a-z])'|\b(?:saying|that says|which says|that reads|"
            r"reading|with the words?|with the text)\b))",
            # ("write a short caption" with no words given asks for a description, not text on the picture)
            r"^(?!.*\bsubtitles?\b)(?:please\s+)?(?:add|put|overlay|stamp|place|insert)\s+"
            r"(?:(?:an?|the|some|my|our|a\s+little|a\s+small|a\s+big)\s+)?(?:\w+\s+)?(?:caption|title|heading|headline|watermark)\b",
            r"^(?!.*\bsubtitles?\b)(?:please\s+)?(?:write|type|print|stamp)\s+(?!down\b|out\b|up\b|me\b)\S.*\b(?:on|onto|over|across|at)\s+",
            r"^(?:please\s+)?(?:add|put|write|type|overlay|insert)\s+(?:some\s+|a\s+(?:line\s+of\s+|bit\s+of\s+)?)?text\b",
            # the words given after a colon ("caption it: best day ever"), or unquoted before a place on the picture
            # ("put happy birthday at the top": they were read as a thing to paste)
            r"^(?:please\s+)?(?:caption|title|label)(?:\s+(?:it|this|the\s+(?:image|picture|photo)))?\s*[:\u2013\u2014-]\s*\S",
            r"^(?:please\s+)?(?:put|place|stick|slap)\s+(?!(?:a|an|the|some|my|our|it|this|that|them|him|her|his|their|its|"
            r"more|less|extra|much)\b)"
            r"[^,;]+?\s+(?:at|in|along|across)\s+(?:the\s+)?(?:very\s+)?(?:top|bottom|upper|lower)\b(?!\s+of\s+(?!the\s+(?:image|picture|photo)\b))",
        ),
        slots=("text",),
        help='write text on it: a caption, title or watermark ("...", at the top / bottom / in a corner)',
        handler=_text_handler,
        order=ORDER,
    ),
    Intent(
        "border",
        patterns=(
            r"^(?:add|put|give|draw|place)\b(?=.*\b(?:border|frame|margin|matte?|passe-?partout)\b)"
            r"(?!.*\b(?:a?round|on|to)\s+(?!(?:the\s+)?(?:it|this|that|photo|picture|image|pic|edges?)\b)\w)",
        ),
        slots=("colour",),
        help="a border round the picture (a colour, thin or thick)",
        handler=_border_handler,
        media="image",
        order=ORDER,
    ),
)

for _intent in LOOK_INTENTS:
    register_intent(_intent)
