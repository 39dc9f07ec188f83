"""Complaints read as the request they make: a named part that is "too dark" is brightened, a clip
that is "too slow" is sped up. Without these, the matcher took the complaint's own word as the
edit ("the car looks washed out" desaturated the car, "it's too slow" slowed the clip down, "the
face is blurry" blurred "the face is").

``part_complaint`` also reads, before clauses split, a request said as what it fixes or as a photo
effect: a quality taken out ("remove some of the warmth": cooler), contrast said as what it does, one
thing kept in colour ("colour splash the bus", "monochrome, bar the taxi").

``part_complaint(clause)`` rewrites "<the thing> is/looks (a bit / too) <how>[, fix it (a little)]"
into "<edit> <the thing> [a little]"; ``speed_complaint(clause)`` rewrites "(it / the video) is
too slow / fast". Both return None for any other clause. The picture itself named as the thing
("the photo is too dark") or a tone of it ("the shadows are too dark": no thing to select) is left
to the whole-picture complaint reading.
"""

from __future__ import annotations

import re

from vitron_agent.planners.rule.lexicon import _COLOR_WORDS, _PRONOUN, _WHOLE
from vitron_agent.planners.rule.rephrase import plain_request

__all__ = [
    "part_complaint",
    "speed_complaint",
    "size_complaint",
    "strip_remarks",
    "quality_out",
    "colour_kept",
    "FIXES",
    "why_so_fix",
]

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


_CASTS = frozenset(("cold", "blue", "bluish", "icy", "warm", "orange", "yellow", "yellowish", "orangey"))
_WARM_HUES = ("yellow", "yellowish", "orange", "orangey", "amber", "warm", "red", "reddish", "pink", "pinkish")


# "make the darks darker and the lights lighter": contrast, said as what it does (one request, before "and" splits it)
_CONTRAST_IDIOM = re.compile(
    r"^(?:(?:make|get|have)\s+)?(?:the\s+)?(?:darks|shadows|dark (?:bits|parts|areas))\s+(?:a bit\s+|much\s+)?darker\s*,?\s*"
    r"(?:and\s+)?(?:the\s+)?(?:lights|highlights|brights|light (?:bits|parts|areas))\s+(?:a bit\s+|much\s+)?"
    r"(?:lighter|brighter)(?:\s*,?\s*(?:please|pls|thanks))?\s*[.!]?$",
    re.I,
)


# a quality of the picture taken out: "remove some of the warmth", "take the blur out" -> its opposite edit
# (the remove tool erases things; a quality is no thing: it erased the main object)
_QUALITY_OUT = re.compile(
    r"^(?P<verb>remove|take\s+out|take\s+away|reduce|lose|cut|drop|kill|get\s+rid\s+of|strip|drain|suck|bleed|take)\s+"
    r"(?P<part>(?:some|a bit|a little|most|part|a touch)\s+of\s+)?(?:all\s+(?:of\s+)?)?(?:the\s+|that\s+|this\s+)?"
    r"(?P<q>warmth|warm (?:tones?|look|feel)|orange (?:tones?|look)|coolness|cold(?:ness)?|chill|cool (?:tones?|look|feel)|"
    r"blue (?:tones?|look)|blur(?:riness)?|fuzziness|softness|haziness|grain(?:iness)?|noise|brightness|glare|darkness|gloom|"
    r"colou?rs?|saturation)"
    r"(?:\s+(?:out|away|off))?(?:\s+(?:from|of|in|on)\s+(?P<np>it|them|(?:the|this|that|his|her|my|their)\s+[a-z]+(?:\s+[a-z]+)?))?"
    r"(?:\s+(?:entirely|completely|totally|altogether|fully))?"
    r"(?P<amount>\s+(?:a bit|a little|slightly|a touch|a lot))?(?:\s*,?\s*please)?\s*[.!]?$",
    re.I,
)
_OPPOSITE = (
    (r"warm|orange", "make {np} cooler"),
    (r"cool|cold|chill|blue", "make {np} warmer"),
    (r"blur|fuzz|soft|haz", "sharpen {np}"),
    (r"grain|noise", "denoise {np}"),
    (r"bright|glare", "darken {np}"),
    (r"dark|gloom", "brighten {np}"),
    (r"colou?r|saturation", "make {np} black and white"),  # all of the colour; some of it: a desaturation (below)
)


# One thing kept in colour, said as the photo effect or with the exception after a comma ("colour splash the
# bus", "selective colour on the umbrella", "monochrome, bar the taxi", "only keep the colour on the car"):
# everything else grey. Read before clauses split, or the comma cut the exception off (it greyed everything).
_GREY = r"(?:gr[ae]y(?:\s?scale)?|black\s+and\s+white|black-and-white|b\s?&\s?w|mono(?:chrome)?)"
_BUT = (
    r"(?:bar|except(?:\s+for)?|apart\s+from|but\s+not|save(?:\s+for)?|other\s+than|besides|excluding|everywhere\s+but)"
)
_KEPT_IN_COLOUR = (
    re.compile(
        r"^(?:(?:do|add|apply|make)\s+(?:an?\s+)?)?(?:colou?r[- ]?splash(?:ed)?|selective[- ]colou?r(?:ing)?|colou?r[- ]?pop)"
        r"(?:\s+effect)?\s+(?:on|for|of|to|with)?\s*(?P<kept>.+?)\s*$",
        re.I,
    ),
    re.compile(
        r"^(?:make|leave|keep|have)\s+(?:only|just)\s+(?P<kept>.+?)\s+(?:colou?rful|in\s+colou?r|colou?red)\s*,?\s*"
        rf"(?:and|but|with)?\s*(?:make\s+|turn\s+)?(?:the\s+rest|everything\s+else)\s+(?:in\s+)?{_GREY}\s*$",
        re.I,
    ),
    re.compile(
        r"^(?:only\s+)?keep\s+(?:only\s+|just\s+)?(?:the\s+)?colou?rs?\s+(?:on|of|in|for)\s+(?P<kept>.+?)\s*$", re.I
    ),
    re.compile(
        rf"^(?:(?:make|turn|render|put)\s+)?(?:it\s+|everything\s+|the\s+(?:whole\s+)?(?:thing|picture|image|photo)\s+)?(?:in\s+|to\s+)?"
        rf"{_GREY}\s*,\s*(?:(?:please|thanks)\s*,\s*)?{_BUT}\s+(?P<kept>.+?)\s*$",
        re.I,
    ),
    re.compile(
        rf"^(?:turn|switch|take|drain|strip)\s+(?:the\s+)?colou?rs?\s+(?:off|out|away)\s+{_BUT}\s+(?:on\s+|for\s+|in\s+)?"
        r"(?P<kept>.+?)\s*$",
        re.I,
    ),
    re.compile(  # "drop all the colour except the umbrella" (it desaturated around it)
        r"^(?:remove|take|strip|drain|drop|lose|kill|get\s+rid\s+of|suck|take\s+out)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?"
        rf"colou?rs?\s+(?:out\s+)?(?:(?:from|of|in)\s+(?:everything|all|the\s+rest|everywhere)\s*)?,?\s*{_BUT}\s+(?P<kept>.+?)\s*$",
        re.I,
    ),
    re.compile(  # "only the rose in colour please" (it saturated the rose)
        r"^(?:(?:only|just)\s+(?:keep|leave|have)\s+|(?:(?:keep|leave|have)\s+)?(?:only|just)\s+)"  # "only keep the cat …"
        r"(?P<kept>(?:the|this|that|his|her|my|their)\s+.+?)\s+in\s+(?:full\s+)?"
        r"colou?rs?\s*(?:,?\s*please)?$",
        re.I,
    ),
)
# a thing named in grey without a verb: "the sky in black and white" (it greyed the whole picture)
_NAMED_GREY = re.compile(
    rf"^(?P<np>(?:the|this|that|his|her|my|their)\s+[a-z][a-z' -]*?)\s+in\s+{_GREY}\s*(?:,?\s*please)?$", re.I
)


def colour_kept(text: str) -> str | None:
    """ "colour splash the red bus" -> "make everything black and white except the red bus"; "the sky in
    black and white" -> "make the sky black and white"; None for any other text."""
    if (m := _NAMED_GREY.match(text.strip().rstrip(".!"))) and not _WHOLE.match(m.group("np")):
        return f"make {m.group('np')} black and white"
    for pattern in _KEPT_IN_COLOUR:
        if m := pattern.match(text.strip().rstrip(".!")):
            kept = re.sub(r"\s*,?\s*(?:please|thanks)$", "", m.group("kept"), flags=re.I)
            if _WHOLE.match(kept) or _PRONOUN.match(kept):  # "keep the colours of the photo": nothing is spared
                return None
            return f"make everything black and white except {kept}"
    return None


def quality_out(clause: str) -> str | None:
    """ "remove some of the warmth" -> "make it cooler a little"; "take the blur out" -> "sharpen it";
    "remove the colour from the car" -> "make the car black and white"; None for any other clause."""
    m = _QUALITY_OUT.match(clause.strip())
    if not m or re.match(
        r"^(?:the\s+)?(?:movement|motion|moving|shake|shaking|camera\s+shake)\b", m.group("np") or "", re.I
    ):
        return None  # "take out the blur from the movement": motion blur, which no edit undoes (a declared limit)
    np = m.group("np") or "it"
    if _WHOLE.match(np):  # "from the picture": the picture is "it"
        np = "it"
    edit = next(e for words, e in _OPPOSITE if re.match(words, m.group("q"), re.I))
    if edit.endswith("black and white") and (m.group("part") or m.group("verb").lower() in ("reduce", "cut")):
        # "take some of the colour out", "reduce the saturation a lot": some of it
        return f"make {'the colours' if np == 'it' else np} less vivid{m.group('amount') or ''}"
    amount = m.group("amount") or (" a little" if m.group("part") else "")
    return f"{edit.format(np=np)}{amount}"


# A removal said as a wish, not as a command: "I don't want the car in the shot", "without the person on the left
# please", "the sign should go", "just the tree, get rid of everything else" (each read nothing, or the wrong thing:
# "everything but the teapot should go" erased the teapot).
_THING = r"(?:the|this|that|these|those|his|her|their|my|any|everything|all)\b(?:(?!\bto\b)[^,;.!?])+?"
_IN_SHOT = r"(?:\s+(?:in|from)\s+(?:the|this|my)\s+(?:shot|picture|photo|image|frame|pic|scene))?"
_UNWANTED = (
    re.compile(
        rf"^i\s+(?:really\s+)?(?:don'?t|do not|dont)\s+(?:want|need)\s+(?P<np>{_THING}){_IN_SHOT}"
        r"(?:\s+(?:any\s*more|anymore|there|here|please))*\s*[.!]?$",
        re.I,
    ),
    re.compile(rf"^(?:(?:and|but|now)\s+)?without\s+(?P<np>{_THING}){_IN_SHOT}(?:\s*,?\s*please)?\s*[.!]?$", re.I),
    re.compile(
        rf"^(?P<np>{_THING})\s+(?:should|must|has to|have to|needs? to|can)\s+(?:go|disappear|vanish|be removed|be gone|"
        r"be deleted|be erased)(?:\s*,?\s*please)?\s*[.!]?$",
        re.I,
    ),
)
_JUST_THIS = re.compile(
    r"^(?:(?:i\s+want\s+)?(?:just|only))\s+(?P<np>(?:the|this|that|his|her|their|my)\s+[^,;.!?]+?)(?:\s+please)?\s*[,;.!-]+\s*"
    r"(?:and\s+)?(?:(?:please|just)\s+)?(?:get rid of|remove|erase|delete|lose|ditch|drop|clear|cut|hide|bin)\s+"
    r"(?:everything|all|anything)\s+else(?:\s+please)?\s*[.!]?$",
    re.I,
)


# the picture itself said to be too much of something: "it's way too orange" (the colour word was read as a
# thing to select: "it's too orange"), "this looks far too dark, fix it"
# Said of the whole picture in any of its names ("everything looks orange", "the whole thing is blown out"), with or
# without "too", one or more ways joined by "and" ("the photo feels icy and blue, fix it": each way's fix), and a
# request after it that only says to fix it, or says the same fix ("everything looks orange, cool it down").
_TOO_DEGREE = r"(?:(?:a bit|a little|slightly|somewhat|way|far|much|really|just|a tad|so|very|kinda|kind of|rather|quite|pretty)\s+)*"
_TOO = re.compile(
    r"^(?:it|this|that|it all|everything|my\s+(?:photo|picture|pic|shot)|"
    r"the\s+(?:(?:whole|entire)\s+)?(?:image|picture|photo|pic|shot|scene|thing))"
    r"(?:'s|\s+is|\s+looks|\s+seems|\s+feels|\s+appears|\s+came out|\s+turned out)\s+"
    r"(?P<degree>" + _TOO_DEGREE + r")(?P<too>too\s+)?(?P<how>" + _HOW + r")\b"
    r"(?P<more>(?:\s*,?\s*(?:and|&)\s+(?:" + _TOO_DEGREE + r")(?:too\s+)?(?:" + _HOW + r")\b)*)"
    r"(?:\s*[,;.]?\s*(?:so\s+|please\s+|and\s+)?(?:(?:can|could|would) you\s+)?(?:(?P<tail>fix|correct|sort out|sort|repair|"
    r"improve|tone|lift|brighten|darken|sharpen|boost|warm|cool|clean)\s+(?:it|that|this)(?:\s+(?:out|down|up))?"
    # "it came out really dark, can you help" (it was darkened: "dark" read as the edit)
    r"|(?P<help>help(?:\s+(?:me|with\s+(?:it|that|this)|out))?|do something(?:\s+about\s+(?:it|that|this))?|any ideas)))?"
    r"(?:\s*,?\s*please)?\s*[.!?]?$",
    re.I,
)
# a whole picture's fault whose fix differs from a thing's: a flat picture lacks contrast (a flat thing, colour);
# "desaturate it" is read as grey by the table, so the lesser change is said in words
_WHOLE_FIXES = {
    **dict.fromkeys(("flat", "lifeless"), "add more contrast"),
    **{h: "make it less saturated" for h, fix in FIXES.items() if fix.startswith("desaturate")},
}
# a fault asked away: "can you not make it so dark", "don't make the sky so bright" (the fault's word was the edit)
_DONT_MAKE_IT_SO = re.compile(
    r"^(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?(?:not|don'?t|do\s+not|stop)\s+(?:make|making|leave|leaving|have|having)\s+"
    r"(?P<np>it|this|that|(?:the|his|her|their|my)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:so|too|that|as|this)\s+(?P<how>"
    + _HOW
    + r")"
    r"(?:\s+please)?\s*[?.!]*$",
    re.I,
)
# the verbs after a complaint that name an edit themselves (the others only say to fix it)
_TAIL_EDITS = {
    "brighten": "brighten",
    "darken": "darken",
    "sharpen": "sharpen",
    "warm": "warmer",
    "cool": "cooler",
    "clean": "denoise",
    "lift": "brighten",
    "boost": "saturate",
}
# a remark without "too" is read as a complaint when it uses a word only said of a fault ("it looks washed out")
_ONLY_SAID_OF_THE_PICTURE = re.compile(
    r"^.*\b(?:looks|seems|feels|appears|came out|turned out)\b|^.*\b(?:blown[ -]out|overexposed|underexposed|washed[ -]out|"
    r"out of focus|grainy|noisy|blurry|fuzzy|garish|oversaturated|icy)\b",
    re.I,
)


# a colour wished for without "to be": "I want the car red", "i'd like her dress green please"
_WANT_COLOUR = re.compile(
    r"^i\s*(?:really\s+)?(?:want|need|'d like|would like|'d prefer|would prefer)\s+(?P<np>(?:the|this|that|his|her|their|my|its)\s+"
    r"[a-z][a-z' -]{0,40}?)\s+(?P<colour>" + "|".join(_COLOR_WORDS) + r")(?:\s+(?:instead|now|please))*\s*[.!]?$",
    re.I,
)


def picture_too(clause: str) -> str | None:
    """ "it's way too orange" -> "make it cooler a lot"; "it looks a bit too dark" -> "brighten it a little";
    None for any other clause."""
    m = _TOO.match(clause.strip())
    if not m or not (
        m.group("too") or m.group("tail") or m.group("help") or _ONLY_SAID_OF_THE_PICTURE.match(clause.strip())
    ):
        return None  # "it is soft" alone may be a remark; "it's too soft", "it looks soft, fix it" ask
    degree = m.group("degree").lower()
    amount = " a lot" if re.search(r"\b(?:way|far|much|really)\b", degree) else ""
    amount = " a little" if re.search(r"\b(?:bit|little|slightly|somewhat|tad)\b", degree) else amount
    hows = [m.group("how"), *re.findall(_HOW, m.group("more") or "", re.I)]
    fixes = list(dict.fromkeys(_WHOLE_FIXES.get(h.lower(), FIXES[h.lower()].format(np="it")) for h in hows))
    if m.group("tail") and m.group("tail").lower() in _TAIL_EDITS:
        said = _TAIL_EDITS[m.group("tail").lower()]
        if not any(said in f for f in fixes):
            return None  # "it's too dark, sharpen it": the request says another edit (read as said)
    return " and ".join(f + amount for f in fixes)


# the picture itself (or its colours), however it goes on: "the photo in colour" is no thing to remove
_PICTURE_NAMED = re.compile(
    r"^(?:the|this|that|my|all|everything)\b(?:\s+(?:whole|entire))?(?:\s+(?:image|picture|photo|pic|shot|colou?rs?|thing|else))?"
    r"(?:\s+(?:in|so|too|to|this|that|at all|any\s*more)\b.*)?$",
    re.I,
)


def unwanted(clause: str) -> str | None:
    """ "I don't want the car in the shot" / "without the car please" / "the car should go" -> "remove the
    car"; "just the tree, get rid of everything else" -> "keep only the tree"; None for any other clause."""
    text = clause.strip()
    if m := _JUST_THIS.match(text):
        return f"keep only {m.group('np')}"
    for pattern in _UNWANTED:
        if (m := pattern.match(text)) and not _PRONOUN.match(m.group("np")) and not _PICTURE_NAMED.match(m.group("np")):
            return f"remove {m.group('np').strip()}"
    return None


def part_complaint(clause: str) -> str | None:
    """ "the sky is blown out, tone it down a little" -> "darken the sky a little"; "it has a yellow
    cast" / "remove the blue tint" -> the other temperature; None when the clause is no complaint
    about a named thing (or names the picture itself)."""
    if cast := _CAST.match(clause.strip()):
        warm = cast.group("hue").lower() in _WARM_HUES
        return "make it cooler" if warm else "make it warmer"
    if _CONTRAST_IDIOM.match(clause.strip()):
        return "add more contrast"
    if (kept := colour_kept(clause)) is not None:
        return kept
    if (out := quality_out(clause)) is not None:
        return out
    if (wish := unwanted(clause)) is not None:
        return wish
    if (too := picture_too(clause)) is not None:
        return too
    if m := _DONT_MAKE_IT_SO.match(clause.strip()):  # "can you not make it so dark": it was darkened
        return FIXES[m.group("how").lower()].format(np=m.group("np"))
    if m := _WANT_COLOUR.match(clause.strip()):
        return f"make {m.group('np')} {m.group('colour')}"
    m = _PART.match(clause.strip())
    if (
        m
        and re.match(r"^(?:the|its|their)\s+colou?rs$", m.group("np").strip(), re.I)
        and "saturate" in FIXES[m.group("how").lower()]
    ):
        # "the colours are dull, brighten them up": the colours' strength, not the light
        less = FIXES[m.group("how").lower()].startswith("desaturate")
        return f"make the colours {'less' if less else 'more'} vivid{m.group('amount') or ''}"
    if m and _PICTURE.match(m.group("np").strip()) and m.group("how").lower() in _CASTS:
        # "the skin tones look a bit blue": a colour cast of the whole picture (the colour was read as a thing)
        return FIXES[m.group("how").lower()].format(np="it") + (m.group("amount") or "")
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
    # a question that is a complaint, then the request: "why is it so dark?? brighten pls" (its "dark" was
    # read as the edit: it darkened); "I can barely see anything, it's underexposed"
    r"|(?:why|how come|what(?:'s| is) (?:up|wrong) with)\b[^?!]*[?!]*\?[?!]*"
    r"|i\s+(?:can'?t|cannot|can\s+(?:barely|hardly|not))\s+(?:see|make out|tell)\s+(?:anything|a thing|much|properly|clearly|"
    r"well|what'?s (?:going on|happening|there)|what is (?:going on|happening|there))(?:\s+(?:at all|in it|here))?\s*[,;.!?]+"
    r"|(?:it|this|that)(?:'s|\s+is|\s+looks)\s+" + _DEGREE + r"(?:crooked|tilted|wonky|boring|nice|great|fine|ok|okay|"
    r"good|lovely|perfect|cute|beautiful|pretty|ugly|weird|odd|cool|amazing|awesome)\s*[,;.!]+"
    # any other remark, when a request with its own verb follows ("it's blinding, darken it"); a bare
    # "fix it" after it keeps the remark (the remark says what to fix)
    r"|(?:it|this|that)(?:'s|\s+is|\s+looks)\s+"
    + _DEGREE
    + r"[a-z]+(?:\s+(?:and|to|the|way|round|around|down|up|wrong|side)\b(?:\s+[a-z]+)?){0,2}\s*[,;.!]+"
    r"(?=\s+(?:(?:now|then|and|so|but|please)\s+)?"
    # "it's a bit dull and flat, can you increase the contrast": the request has its own verb
    r"(?:(?:can|could|would|will)\s+you\s+(?=(?:increase|add|boost|raise|reduce|lower|make|give|turn|bump|up|sharpen|"
    r"brighten|darken|warm|cool|crop|rotate|flip|blur|remove)\b))?"
    r"(?!(?:can|could|would|will)\b|(?:fix|correct|sort|improve|repair|help)\b)[a-z]+\s+(?:it|this|that|them|the|up)\b))"
    r"\s+(?:(?:now|then|and|so|but)\s+)?(?=[a-z])",
    re.I,
)


def size_complaint(clause: str) -> str | None:
    """ "it's too big" -> "make it smaller"; "the photo is tiny" -> "make it bigger"; else None."""
    m = _SIZE.match(clause.strip())
    if not m:
        return None
    return "make it smaller" if m.group("how").lower() in ("big", "large", "huge") else "make it bigger"


# a dislike that names the thing, then the request on "it": "i hate the background, lose it" -> "lose the
# background" ("it" was read as the main object, which was removed)
_DISLIKE = re.compile(
    r"^(?:i\s+(?:really\s+)?(?:hate|dislike|don'?t like|do not like|can'?t stand|am not keen on|'?m not keen on|"
    r"'?m not a fan of|am not a fan of|don'?t want|do not want|don'?t need|do not need)|ugh,?"
    # "no dog please, take it out": the thing unwanted said with "no" (it removed the main object)
    r"|no(?=\s+(?!(?:the|this|that|these|those|his|her|their|my)\b)[a-z]+(?:\s+[a-z]+)?\s*(?:please|pls|thanks)?\s*[,;.!-]))"
    r"\s+(?P<np>(?:(?:the|this|that|these|those|his|her|their|my)\s+)?[^,;.!]+?)(?:\s+(?:please|pls|thanks))?\s*[,;.!-]+\s*"
    r"(?:(?:so|just|please|can you|could you|now)\s+)*(?P<verb>[a-z]+(?:\s+(?:out|off|away|up|down))?)\s+(?:it|them)\b"
    r"(?P<rest>[^,;.]*)$",
    re.I,
)


# a dislike of how the picture looks: "i hate how orange this looks", "i don't like how dark it is" (nothing was read)
_DISLIKE_HOW = re.compile(
    r"^(?:i\s+(?:really\s+)?(?:hate|dislike|don'?t like|do not like|can'?t stand)|ugh,?\s+i\s+hate)\s+how\s+"
    r"(?:(?:so|very|really|too)\s+)?(?P<how>[a-z]+)\s+(?P<np>it|this|that|the\s+(?:image|picture|photo|pic|shot|colou?rs|sky|\w+))\s+"
    r"(?:looks|is|seems|feels|are|came out|turned out)\s*[.!]*$",
    re.I,
)


# a complaint asked as a question: "why is it so dark?", "how come the photo looks so blurry?"
_WHY_SO = re.compile(
    r"^(?:why|how come)\s+(?:(?:is|does)\s+)?(?P<np>it|this|that|the\s+(?:image|picture|photo|pic|shot|colou?rs))"
    r"(?:'s|\s+is|\s+are|\s+looks?|\s+seems?)?\s+(?:look\s+|seem\s+)?(?:so|this|that|such a|really|soo+)\s+(?P<how>[a-z]+)\s*[?!.]*$",
    re.I,
)


def why_so_fix(clause: str) -> str | None:
    """The edit that a complaint asked as a bare question would make ("why is it so dark?" -> "brighten it"), or
    None. The question is answered, not carried out (it had brightened the picture while "why is the cat so
    bright?" was answered); the answer offers this edit."""
    m = _WHY_SO.match(clause.strip())
    fix = FIXES.get(m.group("how").lower()) if m else None
    return fix.format(np="it") if fix else None


# a session's next message may open with a joiner before its topic ("and the background, make it green
# instead of pink", "also the sky, darken it"): the joiner hid the topic from the "X, <verb> it" reading
_TOPIC_JOINER = re.compile(
    r"^(?:(?:oh|ok|okay)\s*,?\s+)?(?:and|also|plus)\s*,?\s+(?=(?:the|this|that|his|her|their|my)\s+[^,]+,)", re.I
)


# a remark on one thing, then a request that names its own target ("the text is soft, sharpen the sign", "the
# skin looks too blue, warm the faces up"): the remark is the reason, the request says what to do (the remark
# had become a second edit of the thing it names). Only with an edit verb (not "fix", "sort": then the remark
# says what to do) and a named target (not "it": "the sky is blown out, tone it down" is one request).
_REASON_FIRST = re.compile(
    r"^(?:the|this|that|his|her|their|my|its)\s+[a-z][a-z' -]{0,40}?\s+(?:is|are|looks?|seems?|feels?)\s+"
    r"(?:(?:too|so|very|really|a bit|a little|kinda|kind of|way|far|pretty|quite|rather)\s+)*[a-z-]+\s*[,;]\s*"
    r"(?P<req>(?:(?:please|so|now|just|can you|could you)\s+)*(?P<verb>[a-z]+)\s+(?:up\s+|down\s+)?"
    r"(?:the|his|her|their|my|all the|both)\s+[^,;]+)$",
    re.I,
)


# the same with the picture as the subject and the request naming its edit ("it looks washed out and flat,
# increase contrast": the remark had become a saturate before the contrast)
_IT_REASON_FIRST = re.compile(
    r"^(?:it|this|that)(?:'s|s|\s+is|\s+looks?|\s+seems?|\s+feels?)\s+(?:(?:too|so|very|really|a bit|a little|kinda|"
    r"kind of|way|pretty|quite|rather)\s+)*[a-z-]+(?:\s+(?:out|and\s+[a-z-]+))*\s*[,;]\s*"
    r"(?P<req>(?:(?:please|so|now|just|can you|could you)\s+)*(?P<verb>increase|boost|add|reduce|lower|raise|decrease|"
    r"bump)\s+(?:up\s+)?(?:the\s+|some\s+|more\s+)?(?:contrast|brightness|saturation|colou?rs?|exposure|warmth|"
    r"sharpness|vibrance)\b[^,;]*)$",
    re.I,
)


def _table_verbs() -> set[str]:
    from vitron_agent.planners.rule.intent_matcher import leading_verbs

    return leading_verbs() - {"fix", "correct", "sort", "improve", "adjust", "tweak", "help", "balance", "repair"}


def strip_remarks(text: str) -> str:
    """The request without a leading aside ("thanks! now blur the face" -> "blur the face"); an
    aside alone is kept (it is then the whole message). A dislike naming the thing the request then
    calls "it" names the request's target ("i hate the background, lose it" -> "lose the background").
    A sentence that only sets the scene goes (:func:`context_first`), and so does a remark after the
    request ("more detail please, it looks soft": the remark was read into the request)."""
    text = plain_request(text)  # "the shirt should be purple, not green", "way too yellow, fix the colour" ...
    if (m := _DISLIKE.match(text.strip())) and (
        text.strip()[:2].lower() == "no"
        or re.match(r"(?:the|this|that|these|those|his|her|their|my)\s", m.group("np"), re.I)
    ):
        np = (
            m.group("np")
            if re.match(r"(?:the|this|that|these|those|his|her|their|my)\s", m.group("np"), re.I)
            else f"the {m.group('np')}"
        )
        return f"{m.group('verb')} {np}{m.group('rest')}"
    if (m := _REASON_FIRST.match(text.strip()) or _IT_REASON_FIRST.match(text.strip())) and m.group(
        "verb"
    ).lower() in _table_verbs():
        return m.group("req")  # "the skin looks too blue, warm the faces up": the reason, then the request itself
    if m := _DISLIKE_HOW.match(text.strip()):  # "i hate how orange this looks": it is too orange
        return f"{m.group('np')} is too {m.group('how')}"
    out = context_first(labelled(_DASH.sub(r"\1, ", text.strip())))
    out = _TOPIC_JOINER.sub("", out)  # "and the background, make it green": the topic, not "and the background"
    while (m := _ASIDE.match(out)) and m.end() < len(out):
        out = out[m.end() :]
    if (
        (m := _AFTER_REMARK.match(out.strip()))
        and not re.match(
            r"^(?:it|this|that|its|fix|correct|adjust|sort|improve|tweak|help|balance)\b", m.group("req"), re.I
        )
        and not re.search(
            r"\btoo\b", out[len(m.group("req")) :], re.I
        )  # "fix the white balance, it's too blue": the way
    ):
        out = m.group("req")
    return out


# a request said as a label and its content: "a new image: a robot reading a book", "text to video: a rocket at night"
_LABELLED = re.compile(
    r"^(?:(?:i\s+(?:want|need|'d like|would like)|give me|make me|please)\s+)?(?:an?\s+)?(?:(?:new|fresh|brand new)\s+)?"
    r"(?P<kind>image|picture|photo|drawing|illustration|painting|video|clip|animation|text[- ]to[- ](?:image|video))"
    r"(?:\s+please)?\s*:\s*(?P<prompt>\S.*)$",
    re.I,
)


# a turn said as a fraction ("turn it a half turn": half was read as a resize) and a mirror said as where it faces
_TURN = re.compile(
    r"^(?:(?:can|could|would) you\s+|please\s+)?(?:turn|spin|rotate|give)\s+(?P<what>it|this|the\s+(?:image|picture|photo|pic))\s+"
    r"(?:by\s+|through\s+)?(?:a|one)\s+(?P<part>half|quarter)(?:[- ]turn|\s+(?:of\s+a\s+)?turn)"
    r"(?P<way>\s+(?:to the\s+)?(?:left|right|clockwise|anti-?clockwise|counter-?clockwise))?(?:\s*,?\s*please)?\s*[.!?]?$",
    re.I,
)
_FACE = re.compile(
    r"^(?:(?:can|could|would) you\s+|please\s+)?(?:make|have|turn|get)\s+(?:it|this|him|her|them|the\s+[a-z]+)\s+(?:to\s+)?face\s+"
    r"(?:the\s+)?(?:other|opposite)\s+(?:way|direction|side)(?:\s*,?\s*please)?\s*[.!?]?$",
    re.I,
)
# how it is, then what it needs: "the picture is kind of dull and grey, needs more contrast" (the need is the request;
# the remark's words were read as edits of their own)
_NEEDS = re.compile(
    r"^(?:it|this|the\s+(?:whole\s+)?(?:image|picture|photo|pic|shot))(?:'s|\s+is|\s+looks|\s+seems|\s+feels)\s+[^,;.!?]+[,;.!-]+\s*"
    r"(?:and\s+|so\s+|but\s+)?(?:it\s+)?(?:needs|wants|could use|could do with|would benefit from)\s+"
    r"(?P<need>(?:more|less|a bit more|a little more|some|extra)\s+[a-z]+(?:\s+[a-z]+)?)(?:\s*,?\s*please)?\s*[.!]?$",
    re.I,
)
# "it's sideways, can you fix it? rotate it anticlockwise": the fix is the request that follows (it rotated twice)
_FIX_THEN = re.compile(
    r"^(?:it|its|this|that)(?:'s|\s+is|\s+looks|\s+seems)?\s+" + _DEGREE + r"[a-z-]+\s*[,;.!-]+\s*"
    r"(?:(?:can|could|would) you\s+|please\s+)?(?:fix|correct|sort out|sort|straighten)\s+(?:it|that|this)(?:\s+out)?"
    r"(?:\s+please)?\s*[?.!,;]+\s*(?P<req>[a-z].+)$",
    re.I,
)


def labelled(text: str) -> str:
    """ "a new image: a robot reading a book" -> "generate an image of a robot reading a book"; "text to
    video: a rocket" -> "make a video of a rocket"; "turn it a half turn" -> "rotate it 180 degrees";
    "make it face the other way" -> "flip it horizontally"; "it's sideways, can you fix it? rotate it
    left" -> "rotate it left"; "the photo is dull, needs more contrast" -> "add more contrast"; the text
    unchanged when it is none of these."""
    if m := _TURN.match(text.strip()):
        way = (m.group("way") or "").strip()
        angle = 180 if m.group("part").lower() == "half" else 90
        return f"rotate {m.group('what')} {angle} degrees{(' ' + way) if way and angle == 90 else ''}"
    if _FACE.match(text.strip()):
        return "flip it horizontally"
    if m := _FIX_THEN.match(text.strip()):
        return m.group("req")
    if m := _NEEDS.match(text.strip()):
        return f"add {m.group('need')}"
    m = _LABELLED.match(text.strip())
    if not m:
        return text
    moving = re.search(r"video|clip|animation", m.group("kind"), re.I)
    return f"{'make a video' if moving else 'generate an image'} of {m.group('prompt')}"


# a thing named, a dash, then the request about it: "the jacket - make it orange" (a comma, for the topic reading);
# a dash elsewhere stays ("rewind effect - play it backward" is one request, "0:05 - 0:10" a span)
_DASH = re.compile(
    r"^((?:the|this|that|my|his|her|their|our)\s+[a-z][a-z' ]{0,40}?)\s+[-\u2013\u2014]\s+(?=[a-z])", re.I
)
# a remark after the request, saying why: "more detail please, it looks soft", "crop it, it's too wide"
_AFTER_REMARK = re.compile(
    r"^(?P<req>[a-z][^.!?;]{4,}?)\s*[,;.!-]+\s*(?:(?:as|since|because|cause|cos)\s+)?(?:it|this|that)(?:'s|\s+is|\s+looks|\s+seems|"
    r"\s+feels)\s+" + _DEGREE + r"(?!(?:the|a|an|my|his|her|their|not|no)\b)[a-z-]+\s*[.!]?$",
    re.I,
)
# A first sentence that only sets the scene: "This is a picture of my car.", "This is my dog.", "I took this at the
# beach.", "My cat
# is in the middle." It was read as a request of its own (a video of "I took this at the beach"); the thing it
# names is what "her", "him", "them" (and "it" before a colour) mean in the request after it.
_SCENE = re.compile(
    r"^(?:(?:this|it|that|here)(?:'s|\s+is)\s+(?:a|an|my|the|our)\s+(?:picture|photo|pic|shot|image|snap|photograph)\s+"
    r"(?:of|from|with)\s+(?P<np>(?:my|our|the|a|an|his|her|their)\s+[a-z][a-z' -]{0,40}?)"
    r"|(?:this|it|here)(?:'s|\s+is)\s+(?P<np3>(?:my|our)\s+[a-z]+(?:\s+[a-z]+)?)"
    r"|i\s+(?:took|shot|snapped|made|found|got)\s+(?:this|it|the (?:picture|photo))\b[^.!?]*"
    r"|(?P<np2>(?:my|our|the|his|her|their)\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:is|are|sits|stands)\s+(?:right\s+)?(?:in|at|on|near)\s+"
    r"(?:the\s+)?(?:middle|centre|center|left|right|front|back|foreground|corner|top|bottom)\b[^.!?]*)"
    r"\s*[.!]\s+(?P<rest>\S.*)$",
    re.I,
)
_PERSONAL = re.compile(r"\b(?:her|him|them|he|she|they)\b(?!\s+(?:own|self))", re.I)
_IT_COLOUR = re.compile(r"\bit(?=\s+(?:(?:to be|in|to)\s+)?(?:" + "|".join(_COLOR_WORDS) + r")\b)", re.I)


def context_first(text: str) -> str:
    """The request after a scene-setting first sentence, with the thing that sentence named put where
    the request calls it "her", "him", "them" (or "it" before a colour): "My cat is in the middle. Could
    you blur everything around her?" -> "Could you blur everything around the cat?"; the text unchanged
    when it opens with no such sentence."""
    m = _SCENE.match(text.strip())
    if not m:
        return text
    rest, np = m.group("rest"), m.group("np") or m.group("np2") or m.group("np3")
    if np:
        np = re.sub(r"^(?:my|our|his|her|their|a|an)\s+", "the ", np.strip(), flags=re.I)
        rest = _PERSONAL.sub(np, rest, count=1)
        rest = _IT_COLOUR.sub(np, rest, count=1)
    return rest
