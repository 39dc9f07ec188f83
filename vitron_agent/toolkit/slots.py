"""Slot readers: the values an intent's handler takes from a clause's words (times, durations,
factors, angles, counts). Pure functions, text in, value or None out; each runs linear-time
patterns on text the planner has already bounded (``MAX_REQUEST_CHARS``).

Times are seconds (float). ``time_range`` returns ``(start, end)``: ``end`` None means "to the
end of the clip"; a negative ``start`` counts from the end ("the last 5 seconds" -> (-5.0, None)).
"""

from __future__ import annotations

import re

__all__ = ["digits", "frame_index", "number", "timestamp", "duration", "time_range", "factor", "angle", "percent"]

_WORDS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "single": 1,
    "two": 2,
    "couple": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split()
)
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join([*_UNITS, *_TENS, "hundred", "thousand"]) + r")\b", re.I)
_SCALES = {"hundred": 100, "thousand": 1000}


def _joins(prev: str, word: str, sep: str) -> bool:
    """Whether ``word`` continues the spelled number that ``prev`` ends: "forty-five", "eight hundred",
    "one hundred and twenty"; not "five and ten" or "two three"."""
    if sep.strip(" -") == "and":
        return prev in _SCALES and word not in _SCALES
    if sep.strip(" -"):
        return False
    return word in _SCALES or prev in _SCALES or (prev in _TENS and word in _UNITS[1:10])


# a number in scientific notation ("1e9", "2.5E-3"): the readers' patterns took its mantissa or its
# exponent for the number ("make a gif at 1e9 fps" ran at 9 fps, "keep the first 1e308 seconds" kept 1 s)
_SCIENTIFIC = re.compile(r"(?<![\w.])(\d{1,20}(?:\.\d{1,20})?[eE][+-]?\d{1,3})(?![\w.])")


def _positional(m: re.Match[str]) -> str:
    from decimal import Decimal

    value = Decimal(m.group(1))
    return format(value, "f") if abs(value) <= Decimal("1e308") else m.group(1)  # past a float: as written


def digits(text: str) -> str:
    """``text`` with numbers written as words in digits: "forty-five degrees" -> "45 degrees", "eight
    hundred pixels" -> "800 pixels", "one hundred and twenty" -> "120", "twelve" -> "12". A lone "one"
    stays a word ("that one", "the edited one"); "a" / "an" are never read as numbers here. A number
    in scientific notation is written out ("1e9" -> "1000000000"), so no reader takes a part of it."""
    text = _SCIENTIFIC.sub(_positional, text)
    out, pos, run = [], 0, []  # run: [(start, end, word)] of one number being read
    for m in [*_NUMBER_WORD.finditer(text), None]:
        if m is not None and run and _joins(run[-1][2], m.group(0).lower(), text[run[-1][1] : m.start()]):
            run.append((m.start(), m.end(), m.group(0).lower()))
            continue
        if run:
            words = [w for _, _, w in run]
            out.append(text[pos : run[0][0]])
            out.append(text[run[0][0] : run[-1][1]] if words == ["one"] else str(_spelled_value(words)))
            pos = run[-1][1]
        run = [] if m is None else [(m.start(), m.end(), m.group(0).lower())]
    return "".join(out) + text[pos:]


def _spelled_value(words: list[str]) -> int:
    total, part = 0, 0
    for w in words:
        if w in _TENS:
            part += _TENS[w]
        elif w in _SCALES:
            part = max(part, 1) * _SCALES[w]
            if w == "thousand":
                total, part = total + part, 0
        else:
            part += _UNITS.index(w)
    return total + part


_NUM = r"(\d+(?:\.\d+)?|" + "|".join(sorted((w for w in _WORDS if len(w) > 2), key=len, reverse=True)) + r")"
_UNIT = (
    r"(hours?|hrs?|h|minutes?|mins?|milliseconds?|ms|m|seconds?|secs?|s)"  # longest first: "1 minute 20" is no "1 m"
)
_CLOCK = r"(\d{1,2}(?::\d{1,2}){1,2}(?:\.\d+)?)"


def number(text: str) -> float | None:
    """The first number in ``text``, in digits or words ("three", "2.5"); None when there is none."""
    m = re.search(rf"(?<![\w.]){_NUM}\b", digits(text), re.I)
    if not m:
        return None
    v = m.group(1).lower()
    return float(_WORDS[v]) if v in _WORDS else float(v)


def _unit_seconds(unit: str) -> float:
    u = unit.lower()
    if u in ("ms", "millisecond", "milliseconds"):
        return 0.001
    if u.startswith("h"):
        return 3600.0
    if u.startswith("m"):
        return 60.0
    return 1.0


def _clock(v: str) -> float:
    parts = [float(p) for p in v.split(":")]
    total = 0.0
    for p in parts:
        total = total * 60 + p
    return total


def timestamp(text: str) -> float | None:
    """A point in time: "1:10" -> 70, "0:05" -> 5, "1:02:03" -> 3723, "at 12 seconds" / "12s" -> 12,
    "2 minutes" -> 120; None when ``text`` names none."""
    text = digits(text)
    if m := re.search(rf"(?<![\d:]){_CLOCK}(?![\d:])", text):
        return _clock(m.group(1))
    return duration(text)


def duration(text: str) -> float | None:
    """A length of time: "5 seconds" -> 5, "1 minute 30" / "1m30s" -> 90, "half a second" -> 0.5,
    "two and a half seconds" -> 2.5, "1:30" -> 90; None when ``text`` names none."""
    low = digits(text.lower())
    if re.search(r"\bhalf (?:a|an) (?:second|sec)\b", low):
        return 0.5
    if m := re.search(
        rf"(?<![\w.]){_NUM}\s*{_UNIT}(?![a-z])(?:\s*(?:and\s+)?(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)?\b)?", low
    ):
        value = number(m.group(1)) or 0.0
        if re.match(r"\s*and a half\b", low[m.end(1) :]):
            value += 0.5
        seconds = value * _unit_seconds(m.group(2))
        if m.group(3) and _unit_seconds(m.group(2)) == 60.0:
            seconds += float(m.group(3))
        return seconds
    if m := re.search(rf"(?<![\w.]){_NUM} and a half\s*{_UNIT}\b", low):
        return ((number(m.group(1)) or 0.0) + 0.5) * _unit_seconds(m.group(2))
    if m := re.search(rf"(?<![\d:]){_CLOCK}(?![\d:])", low):
        return _clock(m.group(1))
    return None


def time_range(text: str) -> tuple[float, float | None] | None:
    """(start, end) seconds: "from 1:10 to 1:25" -> (70, 85), "between 5 and 10 seconds" -> (5, 10),
    "0:05-0:09" -> (5, 9), "the first 5 seconds" -> (0, 5), "the last 3 s" -> (-3, None),
    "after 10 seconds" / "from 0:10 on" -> (10, None), "until 0:20" -> (0, 20); None otherwise."""
    low = digits(text.lower())
    # a point may be named "the 7 second mark"; "seconds 3 to 8" / "1.5 to 4 seconds" need no "from"
    low = _TYPOS.sub(lambda m: _TYPO_WORDS[m.group(0)], low)  # "the frist 5 seconds"
    # "1m30s" is one point; "the 7 second mark" too
    t = (
        rf"(?:the\s+)?(?:second\s+|sec\s+)?({_CLOCK}|{_NUM}(?:\s*{_UNIT}(?:{_AFTER_MINUTES}\s*\d+(?:\.\d+)?(?:\s*(?:s|secs?|seconds?)\b)?)?)?)"
        r"(?:\s*-?\s*(?:second\s+)?mark)?"
    )
    m = re.search(rf"\b(?:from|between)\s+{t}\s*(?:to|and|until|till|through|thru|-)\s*{t}", low)
    if m:
        first, second = m.group(1), m.group(m.re.groups // 2 + 1)
    elif m := re.search(rf"(?<![\d:]){_CLOCK}\s*(?:-|to|through|thru|till|until)\s*{_CLOCK}(?![\d:])", low):
        first, second = m.group(1), m.group(2)
    elif m := _bare_span(low, t):
        first, second = m.group(2), m.group(m.re.groups // 2 + 2)
    if m:
        a, b = _point(first), _point(second)
        unit = re.match(rf"\s*{_UNIT}\b", low[m.end() :])
        if unit and ":" not in m.group(0) and duration(first) is None:  # "between 5 and 10 seconds"
            a, b = _as_unit(first, unit.group(1)), _as_unit(second, unit.group(1))
        if a is not None and b is not None:
            return (a, b) if b > a else (b, a)
    if m := re.search(  # "shave 2 seconds off the end", "take 3 s off the start": from that end
        rf"{t}\s+(?:off\s+(?:of\s+)?|from\s+)the\s+(?P<side>end|ending|finish|back|start|beginning|front|opening)\b",
        low,
    ):
        if (d := duration(m.group(1))) is not None:
            return (-d, None) if m.group("side") in ("end", "ending", "finish", "back") else (0.0, d)
    if m := re.search(r"\b(first|opening|last|final|closing)\s+(half\s+(?:a\s+)?)?(second|minute)\b", low):
        d = (0.5 if m.group(2) else 1.0) * _unit_seconds(m.group(3))  # "the first second", "the last half second"
        return (0.0, d) if m.group(1) in ("first", "opening") else (-d, None)
    if m := re.search(  # "start at 3s and end at 7s", "begin from 0:02, stop at 0:06"
        rf"\b(?:start|begin)\w*\s+(?:at|from)\s+{t}.*?\b(?:end|stop|finish)\w*\s+(?:at|by|on)\s+{t}", low
    ):
        a, b = _point(m.group(1)), _point(m.group(m.re.groups // 2 + 1))
        if a is not None and b is not None and b > a:
            return (a, b)
    if m := re.search(rf"\b(first|opening|last|final|closing)\s+{t}", low):
        d = duration(m.group(2)) if not re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", m.group(2)) else None
        d = d if d is not None else _point(m.group(2))
        if d is not None:
            return (0.0, d) if m.group(1) in ("first", "opening") else (-d, None)
    if m := re.search(
        rf"\b(?:after|from|since|past|beyond|(?:start|begin)(?:s|ning|ing)?\s+(?:it\s+|the\s+(?:video|clip|footage)\s+)?(?:at|from)|"
        rf"open(?:s|ing)?\s+at)\s+{t}(?:\s+on(?:wards)?)?",
        low,
    ):
        if (a := _point(m.group(1))) is not None:
            return (a, None)
    if m := re.search(rf"{t}\s+(?:on(?:wards?)?|and (?:after|beyond|later)|to the (?:very )?end)\b", low):
        if (a := _point(m.group(1))) is not None:  # "keep 0:05 onwards", "3 s to the end"
            return (a, None)
    if m := re.search(rf"\b(?:start|begin)(?:s|ning|ing)?\s+{t}\s+in\b", low):  # "make it start 1.5 s in"
        if (a := _point(m.group(1))) is not None and re.search(
            r"\d\s*(?:s|secs?|seconds?|m|mins?|minutes?)\b|:", m.group(0)
        ):
            return (a, None)
    if m := re.search(
        rf"\b(?:until|till|up to|before|(?:end|stop|finish)\w*\s+(?:\w+\s+){{0,2}}(?:at|by)|"
        rf"cut\s+(?:it|the (?:clip|video|footage))\s+(?:off\s+)?at)\s+{t}",
        low,
    ):
        if (b := _point(m.group(1))) is not None:
            return (0.0, b)
    return None


# seconds after minutes ("1m30s", "1 minute 10"): only right after a minute unit, so "5 seconds and 10
# seconds" stays two points
_AFTER_MINUTES = r"(?:(?<=\dm)|(?<= m)|(?<=min)|(?<=mins)|(?<=minute)|(?<=minutes))"
_TYPO_WORDS = {
    "frist": "first",
    "firts": "first",
    "fisrt": "first",
    "lsat": "last",
    "lats": "last",
    "secodns": "seconds",
}
_TYPOS = re.compile(r"\b(?:" + "|".join(_TYPO_WORDS) + r")\b")


def _bare_span(low: str, t: str) -> re.Match[str] | None:
    """ "seconds 3 to 8", "secs 20 through 30", "1.5 to 4 seconds", "2s-5s": a span without "from";
    two bare numbers ("3 to 8") are a span only with a time word before, in or after them."""
    m = re.search(rf"(?<![\w.:])(seconds?\s+|secs?\s+)?{t}\s*(?:to|until|till|through|thru|-)\s*{t}", low)
    if m is None:
        return None
    ends = (m.group(2), m.group(m.re.groups // 2 + 2))
    timed = any(":" in v or re.search(rf"\d\s*{_UNIT}$|[a-z]\s+{_UNIT}$", v) for v in ends)
    return m if m.group(1) or timed or re.match(rf"\s*{_UNIT}\b", low[m.end() :]) else None


def _point(v: str) -> float | None:
    v = v.strip()
    if re.fullmatch(_CLOCK, v):
        return _clock(v)
    if (d := duration(v)) is not None:
        return d
    return number(v)


def _as_unit(v: str, unit: str) -> float:
    return _clock(v) if ":" in v else (number(v) or 0.0) * _unit_seconds(unit)


_FACTORS = {
    "twice": 2.0,
    "double": 2.0,
    "doubled": 2.0,
    "triple": 3.0,
    "tripled": 3.0,
    "thrice": 3.0,
    "quadruple": 4.0,
    "half": 0.5,
    "halve": 0.5,
    "halved": 0.5,
    "a third": 1 / 3,
    "a quarter": 0.25,
    "quarter": 0.25,
    # read after ``digits`` ("three" -> "3"); longest first: "three-quarter speed" is 0.75, not a quarter
    "3[- ]quarters?": 0.75,
    "2[- ]thirds?": 2 / 3,
}


# a part of a clip named by its share ("the first half", "the last third", "half of the video"): not a factor
_PART_OF_CLIP = re.compile(
    r"\b(?:the\s+|its\s+)?(?:first|second|last|final|other|middle|opening|closing|latter|former|1st|2nd|3rd|4th|"
    r"third|fourth|next|previous)\s+(?:half|halves|third|thirds|quarter|quarters|2[- ]thirds?|3[- ]quarters?)\b"
    r"|\b(?:half|(?:a|one|1|2|3)[- ]?(?:third|thirds|quarter|quarters))\s+(?:of|through|into)\s+(?:the|it|this|that)\b"
    r"(?!\s+(?:speed|pace|rate|tempo|original|normal|real|usual|time|length|duration)\b)"
)


def factor(text: str) -> float | None:
    """A multiplier: "2x" / "x2" / "2 times" / "twice" / "double" -> 2, "half" -> 0.5, "1.5x" -> 1.5,
    "50%" -> 0.5, "three times" -> 3, "a factor of four" / "4-fold" -> 4; "slow motion" -> 0.5 when
    nothing more exact is said."""
    low = digits(text.lower())
    if m := re.search(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:x|×)(?!\w)|(?<!\w)(?:x|×)\s*(\d+(?:\.\d+)?)\b", low):
        return float(m.group(1) or m.group(2))
    if m := re.search(r"\bfactor of\s+(\d+(?:\.\d+)?)\b|(?<![\w.])(\d+(?:\.\d+)?)[- ]?fold\b", low):
        return float(m.group(1) or m.group(2))
    if re.search(r"\b(?:one|1) and a half\b|\bhalf again\b", low):  # before "half times" reads as 0.5
        return 1.5
    if m := re.search(rf"(?<![\w.]){_NUM}\s+times\b", low):
        return number(m.group(1))
    if m := re.search(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)", low):
        return float(m.group(1)) / 100
    low = _PART_OF_CLIP.sub(" ", low)  # "speed up the first half": a part of the clip, not half speed
    for word, value in sorted(_FACTORS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{word}\b", low):
            return value
    if re.search(r"\bslow[- ]?mo(?:tion)?\b", low):
        return 0.5
    return None


def frame_index(text: str) -> int | None:
    """A frame named by its number: "frame 250" / "frame number 100" / "frame #7" / "the 30th frame" /
    "frame one hundred" -> that index; None otherwise (a time such as "the frame at 0:05" is not one)."""
    low = digits(text.lower())
    m = re.search(
        r"\bframe\s+(?:number\s+|no\.?\s*|#\s*)?(\d+)\b(?!\s*(?:s|secs?|seconds?)\b|:)|\b(\d+)(?:st|nd|rd|th)\s+frame\b",
        low,
    )
    return int(m.group(1) or m.group(2)) if m else None


def percent(text: str) -> float | None:
    """ "50%" / "50 percent" -> 0.5; None otherwise."""
    m = re.search(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)", digits(text.lower()))
    return float(m.group(1)) / 100 if m else None


def angle(text: str) -> float | None:
    """Degrees: "90 degrees" / "90°" / "a quarter turn" -> 90, "upside down" / "half a turn" -> 180;
    None otherwise (the direction is the handler's: clockwise or counter-clockwise)."""
    low = digits(text.lower())
    if m := re.search(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:°|degrees?|deg)\b", low) or re.search(
        r"(?<![\w.])(90|180|270)\b", low
    ):
        return float(m.group(1))
    if re.search(r"\b(?:upside[- ]down|half (?:a )?turn)\b", low):
        return 180.0
    if re.search(r"\b(?:quarter turn|sideways)\b", low):
        return 90.0
    return None
