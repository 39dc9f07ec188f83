"""Shorthand people type that the table's readings do not take as it is: exact percentages on a tone edit
("make the kitten 20% brighter", "brighten it by 20%"), arrows ("owl -> black and white"), chat
shorthands and everyday typos ("wat colr r the kittens eyes", "make teh horse brigther pls").

The tone edits take a strength (a little / moderate / a lot), not an exact percentage: a percentage left
in the request became part of the target ("the kitten 20%") and hid the clause after it ("and the rest 20%
darker" was dropped). It is read as the nearest strength word, and the answer says so. A percentage on a
size, a crop, a speed or a part of a clip is not touched here (those readings take numbers).
"""

from __future__ import annotations

import re

__all__ = ["arrows", "chat_words", "onto_colour", "percent_words"]

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


# Chat shorthands: (pattern, the word it stands for). "r" and "u" only where a word of that kind stands
# ("how many swans r there", "can u blur it"), "wat" only where a question opens ("wat colr is it")
_CHAT = (
    (re.compile(r"\b(?:pls|plz|plse|pleez|plox)\b", re.I), "please"),
    (re.compile(r"\b(?:thx|thnx|thanx|tnx)\b", re.I), "thanks"),
    (
        re.compile(
            r"(?<![@\w])r(?=\s+(?:the|there|they|these|those|it|its|you|u|my|all|any|both|in|on|its|his|her|their)\b)",
            re.I,
        ),
        "are",
    ),
    (
        re.compile(
            r"(?<![@\w])u(?=\s+(?:blur|make|remove|see|count|tell|show|help|crop|select|find|read|describe|"
            r"turn|change|fix|edit|put|cut|erase|delete|brighten|darken|give|get|know|zoom|rotate)\b)",
            re.I,
        ),
        "you",
    ),
    (re.compile(r"(?<![@\w])ur(?=\s+(?:picture|photo|image|pic|video|clip)\b)", re.I), "your"),
    (re.compile(r"(?:^|(?<=[,.;!?]\s))(?:wat|wut|wht|whta)\b", re.I), "what"),
    (re.compile(r"\b(?:wats|whats)\b", re.I), "what's"),
    (re.compile(r"\b(?:abt)\b", re.I), "about"),
    (re.compile(r"\b(?:cuz|coz|bc)\b", re.I), "because"),
    (re.compile(r"\babit\b", re.I), "a bit"),  # "incrase contrast abit"
    (re.compile(r"\balot\b", re.I), "a lot"),
    (
        re.compile(r"(?:^|(?<=[,.;!?]\s))hw(?=\s+(?:many|much|big|long|old|do|does|is|are)\b)", re.I),
        "how",
    ),  # "hw many dogs"
    # small amounts said many ways ("a smidge", "a wee bit", "a hair warmer"): the strength word the edits
    # read; "smidge" is in no dictionary, and the typo repair made it a thing ("the a fridge")
    (
        re.compile(
            r"\b(?:(?:just\s+)?a\s+(?:smidge[no]?n?|smidgeon|hair|notch|skosh|whisker|(?:wee|tiny|teeny|teensy|weeny|"
            r"teeny[- ]tiny|little tiny|tiny little)\s+bit)|ever\s+so\s+(?:slightly|little|lightly|gently)|marginally)\b"
            r"(?=\s*(?:$|[,.;!?)]|and\b|then\b|please\b|pls\b|more\b|less\b|too\b|\w+er\b))",
            re.I,
        ),
        "a little",
    ),
    # the usual name of the 16:9 shape ("crop it to widescreen", "make it widescreen 16:9"): the ratio
    (
        re.compile(
            r"\bwide[- ]?screen(?:\s+(?:format|ratio|aspect(?:\s+ratio)?|shape))?(?:\s*\(?\s*16\s*:\s*9\s*\)?)?", re.I
        ),
        "16:9",
    ),
)
_QUIET = {
    "please",
    "thanks",
    "a little",
    "16:9",
    "a bit",
    "a lot",
}  # a polite word or a strength read back needs no note


def chat_words(text: str) -> tuple[str, list[str]]:
    """``text`` with chat shorthands written out ("r" -> "are", "pls" -> "please") and everyday typos
    repaired ("teh" -> "the", "brigther" -> "brighter", "colr" -> "color"), and one note saying what
    was read as what. A typo is repaired only when the word is not English (symspellpy's dictionary)
    and a word the intent table knows lies one edit away (two for words of 7 letters or more); a real
    word, a capitalised name and a marked region (``@r0@``) are never changed."""
    from vitron_agent.planners.rule.spelling import english_counts, nearest, verb_vocabulary
    from vitron_agent.planners.rule.word_knowledge import _known_counts

    said: list[tuple[str, str]] = []
    for pattern, word in _CHAT:

        def swap(m: re.Match[str], word: str = word) -> str:
            if word not in _QUIET:
                said.append((m.group(0), word))
            return word

        text = pattern.sub(swap, text)
    counts = english_counts()
    vocabulary = {w: counts.get(w, 1) for w in _known_counts()}

    def repair(m: re.Match[str]) -> str:
        word = m.group(0)
        if word[0].isupper() and m.start() > 0:  # a name ("Bella"), never a typo
            return word
        before = re.search(
            r"(?:^|[,.;:!?]|\b(?:and|then|please|you|to|lets|let's|just|now|also))\s*$", text[: m.start()], re.I
        )
        if before is not None and nearest(word, verb_vocabulary(), "verbs") is not None:
            return word  # a verb's typo where a verb stands ("blurr the sky") is the verb reading's to repair
        if word.lower() in _INTERJECTIONS or _later(word) or re.match(r"\s+\d", text[m.end() :]):
            return word  # before a number: the time and size readings repair their own words ("the frist 5 seconds")
        close = nearest(word, vocabulary, "chat words", long=7)
        if close is None or _real_form(word) or not _same_start(word.lower(), close):
            return word
        said.append((word, close))
        return close

    text = re.sub(r"(?<![@\w'])[A-Za-z]{3,}(?![\w@'])", repair, text)
    if not said:
        return text, []
    read = ", ".join(f"{a!r} as {b!r}" for a, b in dict.fromkeys(said))
    return text, [f"I read {read}."]


# chat words that stand for no word of a request ("lol make the cat purple"): never repaired into one
_INTERJECTIONS = frozenset(
    "lol lmao lmfao rofl omg btw tbh idk imo imho haha hahaha hehe hmm hmmm ok okk kk ty np pls".split()
)


def _later(word: str) -> bool:
    """Whether the colour and thing-name repair of the clause reading takes this word ("purpel", "dgo"):
    it is left to that repair, which says it where the clause is read."""
    from vitron_agent.planners.rule.lexicon import _COLOR_WORDS, _key_vocabulary
    from vitron_agent.planners.rule.spelling import nearest

    if len(word) >= 4 and nearest(word, {c: 1 for c in _COLOR_WORDS}, "colours", long=7) is not None:
        return True
    return nearest(word, _key_vocabulary(), "key words", long=6) is not None


def _same_start(typed: str, word: str) -> bool:
    """A typo keeps the first letter, or swaps the first two ("hte"): "onwards" is no "towards"."""
    return typed[0] == word[0] or (len(typed) > 1 and typed[:2] == word[1::-1][:2])


def _real_form(word: str) -> bool:
    """Whether ``word`` is an English word with an ending the dictionary leaves out ("onwards": onward)."""
    from vitron_agent.planners.rule.spelling import is_word

    low = word.lower()
    return any(low.endswith(e) and len(low) - len(e) >= 3 and is_word(low[: -len(e)]) for e in _FORMS)


_FORMS = ("s", "es", "ed", "d", "ing", "ly", "er", "est", "ness", "ful")


_OPPOSITE = {"top": "bottom", "upper": "bottom", "bottom": "top", "lower": "top", "left": "right", "right": "left"}
# "crop out the bottom 20%", "cut off the top 10 percent", "trim the left 15% off", "remove the bottom 20% of
# the picture", "chop off the bottom half", "lose the top third": a strip along an edge taken away, which is a
# crop to the rest (it cropped to a region near the bottom, or selected "the bottom 20%" as a thing)
_STRIP_OFF = re.compile(
    r"^(?P<lead>\s*(?:please\s+)?)(?:crop|cut|trim|chop|shave|slice|take|remove|lose|drop|get rid of)\s+"
    r"(?:(?:out|off|away)\s+)?(?:the\s+)?(?P<side>top|upper|bottom|lower|left|right)\s+"
    r"(?:(?P<n>\d{1,2}(?:\.\d+)?)\s*(?:%|percent\b|per\s*cent\b)|(?P<part>half|third|quarter|fifth|tenth)\b)"
    r"(?:\s+of\s+(?:it|the\s+(?:image|picture|photo)))?(?:\s+(?:off|away|out))?(?P<tail>\s*(?:[,;.]|\band\b|\bthen\b|$).*)$",
    re.I | re.S,
)


def edge_strips(text: str) -> str:
    """ "crop out the bottom 20%" -> "crop to the top 80%": a strip along an edge taken away is a crop to the
    rest; anything else comes back as it was."""
    m = _STRIP_OFF.match(text)
    if m is None:
        return text
    keep = 100 - (float(m.group("n")) if m.group("n") else _PART[m.group("part").lower()])
    side = _OPPOSITE[m.group("side").lower()]
    return f"{m.group('lead')}crop to the {side} {keep:.3g}% with no margin{m.group('tail')}"


_PART = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0}  # of the picture, in %
