"""Complaints read as the request they make: a named part that is "too dark" is brightened, a clip
that is "too slow" is sped up. Without these, the matcher took the complaint's own word as the
edit ("the car looks washed out" desaturated the car, "it's too slow" slowed the clip down, "the
face is blurry" blurred "the face is").

``part_complaint(clause)`` rewrites "<the thing> is/looks (a bit / too) <how>[, fix it (a little)]"
into "<edit> <the thing> [a little]"; ``speed_complaint(clause)`` rewrites "(it / the video) is
too slow / fast". Both return None for any other clause. The picture itself named as the thing
("the photo is too dark") or a tone of it ("the shadows are too dark": no thing to select) is left
to the whole-picture complaint reading.
"""

from __future__ import annotations

import re

__all__ = ["part_complaint", "speed_complaint", "size_complaint", "strip_remarks", "FIXES"]

# how it is -> the edit that undoes it (a command the table reads with the thing as its target)
FIXES: dict[str, str] = {
    **dict.fromkeys(("dark", "dim", "gloomy", "underexposed", "too dark", "in shadow", "shadowy"), "brighten {np}"),
    **dict.fromkeys(("bright", "overexposed", "blown out", "blown-out", "too light", "glaring"), "darken {np}"),
    **dict.fromkeys(("blurry", "blurred", "fuzzy", "out of focus", "soft", "unsharp"), "sharpen {np}"),
    **dict.fromkeys(("grainy", "noisy", "speckled"), "denoise {np}"),
    **dict.fromkeys(("dull", "washed out", "washed-out", "pale", "flat", "lifeless", "faded", "drab"), "saturate {np}"),
    **dict.fromkeys(
        ("garish", "oversaturated", "over-saturated", "too colourful", "too colorful", "loud"), "desaturate {np}"
    ),
    **dict.fromkeys(("cold", "blue", "bluish", "icy"), "make {np} warmer"),
    **dict.fromkeys(("warm", "orange", "yellow", "yellowish", "orangey"), "make {np} cooler"),
}
_HOW = "|".join(sorted((re.escape(h) for h in FIXES), key=len, reverse=True))
_DEGREE = r"(?:(?:a bit|a little|slightly|somewhat|very|so|rather|quite|kind of|kinda|way|really|pretty|overly|far|too|much)\s+)*"
_PICTURE = re.compile(
    r"^(?:the|this|that|my)\s+(?:whole\s+|entire\s+)?(?:image|picture|photo|pic|shot|snapshot|video|clip|footage|"
    r"colou?rs?|scene|frame|exposure|shadows|highlights|midtones|tones|lighting|light|details?|edges|contrast|"
    r"white balance|skin tones?|result|output|whole thing)$",
    re.I,
)
_PART = re.compile(
    r"^(?P<np>(?:the|this|that|these|those|her|his|my|their|its|our|your)\s+[a-z][a-z' -]{0,40}?)\s+"
    r"(?:is|are|looks?|seems?|appears?|feels?|'s|got|has got|came out|come out|turned out)\s+"
    + _DEGREE
    + rf"(?P<how>{_HOW})\b"
    r"(?:\s*[,;]?\s*(?:so\s+|and\s+)?(?:(?:can|could) you\s+|please\s+)?"
    r"(?:fix|correct|sort out|improve|repair|tone|lift|brighten|darken|sharpen|boost|warm|cool)\s+(?:it|them|that|this)"
    r"(?:\s+(?:down|up|out))?(?P<amount>\s+(?:a bit|a little|slightly|a touch|a lot|a tad))?(?:\s+please)?)?\s*[.!?]?$",
    re.I,
)
_SPEED = re.compile(
    r"^(?:its|(?:it|this|that|(?:the|this|that|my) (?:video|clip|footage|movie|film|playback))"
    r"(?:'s|\s+is|\s+plays|\s+feels|\s+seems|\s+looks))\s+" + _DEGREE + r"(?P<how>slow|sluggish|fast|quick|rushed)\b"
    r"(?:\s*[,;]?\s*(?:(?:can|could) you\s+|please\s+)?(?:fix|change|correct)\s+(?:it|that|this)(?:\s+please)?)?\s*[.!?]?$",
    re.I,
)


# a colour cast named as the problem: "it has a yellow cast", "remove the orange tint", "fix the blue tone"
_CAST = re.compile(
    r"^(?:(?:it|this|the (?:image|picture|photo|shot))\s+(?:has|has got|'s got)|there(?:'s|\s+is)|"
    r"(?:(?:can|could) you\s+)?(?:remove|fix|get rid of|correct|kill|lose|take out|neutrali[sz]e|cancel out))\s+"
    r"(?:the\s+|this\s+|that\s+|an?\s+)?(?:(?:slight|strong|heavy|bit of an?|weird|ugly|nasty)\s+)*"
    r"(?P<hue>yellow|yellowish|orange|orangey|amber|warm|red|reddish|pink|pinkish|blue|bluish|cold|cool|cyan)\s+"
    r"(?:colou?r\s+)?(?:cast|tint|tone|hue)"
    r"(?:\s+(?:to it|in it|on it|over it))?(?:\s*,?\s*please)?\s*[.!?]?$",
    re.I,
)


_WARM_HUES = ("yellow", "yellowish", "orange", "orangey", "amber", "warm", "red", "reddish", "pink", "pinkish")


def part_complaint(clause: str) -> str | None:
    """ "the sky is blown out, tone it down a little" -> "darken the sky a little"; "it has a yellow
    cast" / "remove the blue tint" -> the other temperature; None when the clause is no complaint
    about a named thing (or names the picture itself)."""
    if cast := _CAST.match(clause.strip()):
        warm = cast.group("hue").lower() in _WARM_HUES
        return "make it cooler" if warm else "make it warmer"
    m = _PART.match(clause.strip())
    if not m or _PICTURE.match(m.group("np").strip()):
        return None
    fix = FIXES[m.group("how").lower()].format(np=m.group("np").strip())
    return f"{fix}{m.group('amount') or ''}"


def speed_complaint(clause: str) -> str | None:
    """ "it's way too slow" -> "speed it up"; "the clip is too fast" -> "slow it down"; else None."""
    m = _SPEED.match(clause.strip())
    if not m:
        return None
    return "speed it up" if m.group("how").lower() in ("slow", "sluggish") else "slow it down"


_SIZE = re.compile(
    r"^(?:its|(?:it|this|that|(?:the|this|my) (?:image|picture|photo|pic|file|shot))(?:'s|\s+is|\s+looks))\s+"
    + _DEGREE
    + r"(?P<how>big|large|huge|small|tiny|little)\s*[.!?]?$",
    re.I,
)
# An aside before the request ("thanks! now blur the face", "lol make the cat purple", "it's crooked,
# rotate it 5 degrees"): dropped, so the request's own words are read (the aside was read as its target).
_ASIDE = re.compile(
    r"^(?:(?:thanks|thank you|thx|ty|cheers|lol|omg|wow|ugh|hmm+|oh|ah|yay)\b[!.,]*"
    # words that are verbs or adjectives too ("cool the picture down") only with their punctuation
    r"|(?:great|nice|cool|perfect|awesome|ok|okay|sweet|lovely|brilliant|excellent|good|alright|right)[!.,]+"
    r"|(?:it|this|that)(?:'s|\s+is|\s+looks)\s+" + _DEGREE + r"(?:crooked|tilted|wonky|boring|nice|great|fine|ok|okay|"
    r"good|lovely|perfect|cute|beautiful|pretty|ugly|weird|odd|cool|amazing|awesome)\s*[,;.!]+)"
    r"\s+(?:(?:now|then|and|so|but)\s+)?(?=[a-z])",
    re.I,
)


def size_complaint(clause: str) -> str | None:
    """ "it's too big" -> "make it smaller"; "the photo is tiny" -> "make it bigger"; else None."""
    m = _SIZE.match(clause.strip())
    if not m:
        return None
    return "make it smaller" if m.group("how").lower() in ("big", "large", "huge") else "make it bigger"


def strip_remarks(text: str) -> str:
    """The request without a leading aside ("thanks! now blur the face" -> "blur the face"); an
    aside alone is kept (it is then the whole message)."""
    out = text
    while (m := _ASIDE.match(out)) and m.end() < len(out):
        out = out[m.end() :]
    return out
