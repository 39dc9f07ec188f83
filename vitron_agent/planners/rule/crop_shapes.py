"""A crop's shape said by what the picture is for, and a thing a crop must keep.

"make it a square for instagram", "a phone wallpaper", "a banner for twitter", "a passport photo size": the
purpose carries a shape. They were read as a crop to the main object with no shape ("make it a square"),
a crop to a thing called "a twitter header", an instruct edit, or refused ("I do not know the word
'wallpaper'"). The crop is to the shape the purpose means (``PURPOSES``), around the picture's centre, and
the answer says the shape and the usual size in pixels (the picture is not enlarged to it).

"crop it to 16:9 without cropping the dog", "make it square but keep the dog in frame", "crop to 3:2 and make
sure the house stays in": the thing is a constraint on the crop, not its target nor a keep-only ("make sure
the house stays in" became a keep-only of "sure the house stays in"). The thing is selected and the crop
of that shape is centred on it with the crop tool's widest margin (``MARGIN``: up to the thing's own size
again on each side, less where the picture ends), so it keeps the thing whole where the shape fits it; the
answer says so. (Not the largest crop of that shape that holds the thing: the crop tool has no such mode.)

Both are read on the whole request before it is split into clauses (the constraint is often a clause of its
own: "..., but keep the dog in frame"). An explicit ratio or pixel size alone, or any other edit in the
request, is left to the usual reading.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule.compiled_patterns import compile_patterns
from vitron_agent.toolkit.plan import Plan

__all__ = ["PURPOSES", "crop_shape"]

_I = re.IGNORECASE
MARGIN = 1.0  # the crop tool's widest margin round the kept thing's box (its own size again on each side)

# (what the picture is for, the shape, the usual size in pixels)
PURPOSES: tuple[tuple[str, str, str, str], ...] = (
    (
        r"(?:insta(?:gram)?|ig)\s+(?:story|stories|reels?)|tik\s*tok|snap(?:chat)?|whatsapp\s+status|"
        r"(?:phone|mobile|iphone|android|lock\s*screen|home\s*screen)(?:'s)?\s+(?:wallpaper|background|lock\s*screen|screen)|"
        r"wallpaper\s+(?:for|on)\s+(?:my|the|a)\s+(?:phone|mobile|iphone|android)|lock\s*screen|"
        r"youtube\s+shorts?",
        "9:16",
        "a phone screen (portrait)",
        "1080×1920 pixels",
    ),
    (
        r"(?:insta(?:gram)?|ig)\s+portrait(?:\s+post)?|portrait\s+(?:insta(?:gram)?|ig)\s+post",
        "4:5",
        "an Instagram portrait post",
        "1080×1350 pixels",
    ),
    (
        r"(?:twitter|x)\s+(?:header|banner|cover)|(?:header|banner|cover)\s+(?:for|on)\s+(?:my\s+)?(?:twitter|x)\b",
        "3:1",
        "a Twitter/X header",
        "1500×500 pixels",
    ),
    (
        r"linked\s*in\s+(?:banner|cover|background|header)|(?:banner|cover|header)\s+(?:for|on)\s+(?:my\s+)?linked\s*in",
        "4:1",
        "a LinkedIn banner",
        "1584×396 pixels",
    ),
    (r"facebook\s+(?:cover|banner|header)", "820:312", "a Facebook cover", "820×312 pixels"),
    (
        r"youtube\s+(?:thumbnail|banner|cover|channel\s+art)|thumbnail\s+for\s+youtube",
        "16:9",
        "a YouTube thumbnail or banner",
        "1280×720 pixels (a banner 2560×1440)",
    ),
    (
        r"(?:desktop|laptop|computer|monitor|pc)(?:'s)?\s+(?:wallpaper|background)|widescreen|(?:tv|television)\s+screen|for\s+(?:the|my|a)\s+tv\b",
        "16:9",
        "a widescreen (desktop, TV)",
        "1920×1080 pixels",
    ),
    (
        r"passport(?:\s+(?:photo|picture|pic))?(?:\s+size)?",
        "7:9",
        "a passport photo (35×45 mm; a US one is 2×2 in, 1:1)",
        "413×531 pixels at 300 dpi",
    ),
    (
        r"(?:6\s*x\s*4|4\s*x\s*6)(?:\s+(?:inch|in))?\s+(?:print|photo)",
        "3:2",
        "a 6×4 print",
        "1800×1200 pixels at 300 dpi",
    ),
    (r"pinterest(?:\s+pin)?", "2:3", "a Pinterest pin", "1000×1500 pixels"),
    (
        r"(?:insta(?:gram)?|insta\s+grid|ig)(?:\s+(?:post|grid|feed))?|profile\s+(?:picture|pic|photo|image)|"
        r"avatar|pfp|(?:facebook|fb)\s+post|icon",
        "1:1",
        "a square post or profile picture",
        "1080×1080 pixels",
    ),
)
_RATIO = r"\b(\d{1,2})\s*[:x/]\s*(\d{1,2})\b(?!\s*(?:inch|in\b|print|photo))|\bsquare\b"
_PIXELS = r"\b\d{3,5}\s*(?:px|pixels?|wide|tall|high|x\s*\d{3,5})\b|\b\d{3,5}\s*(?:by|x)\s*\d{3,5}\b"
# a request about the picture's shape: a crop, a size, a format, or "make it / turn it into" a use of it
_SHAPE_VERB = (
    r"^(?:please\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?)?(?:just\s+)?"
    r"(?:crop|cut|trim|make|turn|resize|size|format|fit|reformat|reshape|prepare|set|use|change|convert|get)\b"
    r"|^(?:i|we)\s+(?:need|want|would\s+like|'d\s+like|wanna)\b|^(?:square|a\s+square)\s+crop\b"
)
# any other edit in the request: not a shape request alone ("blur the background, it's my new profile photo")
_OTHER_EDIT = (
    r"\b(?:blur\w*|bright\w*|dark\w*|black\s+and\s+white|gr[ae]y\w*|monochrome|colou?r\w*|remove|erase|delete|"
    r"sharp\w*|warm\w*|cool\w*|contrast|saturat\w*|desaturat\w*|background|backdrop|rotate|flip|mirror|"
    r"recolou?r|paint|pixelate|cut\s+out|cutout|outline|noise|grain|smaller|bigger|shrink|enlarge|text|caption|"
    r"write|border|frame\s+(?:it|around)|sepia|filter|vintage|lighter|exposure)\b"
)
_THING_END = r"(?:\s+(?:in|inside|within)(?:\s+(?:the\s+)?(?:frame|shot|picture|photo|crop|image|view))?|\s+(?:whole|intact|visible|complete))?"
_KEEP = (
    (
        r"[,;:-]?\s*(?:\bbut\s+|\band\s+)?\bwithout\s+(?:cropping|cutting|losing|chopping|clipping)\s+(?:off\s+|out\s+|into\s+)?"
        r"(?P<t>.+?)(?:\s+off|\s+out)?\s*[.!]*$"
    ),
    (rf"[,;:-]?\s*(?:\bbut\s+|\band\s+)?\b(?:keep|keeping)\s+(?P<t>.+?){_THING_END}\s*[.!]*$"),
    (
        r"[,;:-]?\s*(?:\bbut\s+|\band\s+)?\b(?:don'?t|do\s+not|never)\s+(?:crop|cut|chop|clip|lose)\s+(?:off\s+|out\s+|into\s+)?"
        r"(?P<t>.+?)(?:\s+off|\s+out)?\s*[.!]*$"
    ),
    (
        r"(?:[,;:-]\s*(?:make\s+sure\s+)?|\s+(?:but|and)\s+(?:make\s+sure\s+)?|\s+make\s+sure\s+)"
        r"(?P<t>(?:the|both|all|his|her|their|my)\b.+?)\s+"
        r"(?:(?:must|has\s+to|have\s+to|needs?\s+to|should)\s+)?(?:stays?|remains?|is|are|be)\s+"
        r"(?:in|inside|visible|whole|intact)(?:\s+(?:the\s+)?(?:frame|shot|picture|photo|crop|image|view))?\s*[.!]*$"
    ),
)


@functools.cache
def _compiled() -> dict[str, Any]:
    """The patterns, compiled once on first use through the rule table's cache (start-up: issue 44)."""
    texts = [rf"\b(?:{p})\b" for p, *_ in PURPOSES] + [_RATIO, _PIXELS, _SHAPE_VERB, _OTHER_EDIT, *_KEEP]
    done = compile_patterns([(t, re.I) for t in texts])
    n = len(PURPOSES)
    purposes = tuple((done[k], *PURPOSES[k][1:]) for k in range(n))
    return {
        "purposes": purposes,
        "ratio": done[n],
        "pixels": done[n + 1],
        "verb": done[n + 2],
        "other": done[n + 3],
        "keep": done[n + 4 :],
    }


def _kept(raw: str) -> tuple[str, str | None]:
    """(the crop's own words, the thing it must keep or None): "crop it square, don't cut off the cat" ->
    ("crop it square", "the cat"); "the cat's ears" -> "the cat" (the whole thing is kept)."""
    for pattern in _compiled()["keep"]:
        if (m := pattern.search(raw)) and m.start() > 0:
            thing = re.sub(r"'s\b.*$", "", m.group("t").strip(), flags=_I)
            thing = re.sub(r"^(?:both|all)\s+(?:of\s+)?(?:the\s+)?", "the ", thing, flags=_I)
            thing = re.sub(r"\b(?:whole|entire)\s+", "", thing, flags=_I).strip()
            if (
                thing
                and not re.fullmatch(r"(?:it|this|that|them|everything|the\s+(?:picture|photo|image))", thing, _I)
                and not _QUALITY_WORDS.search(thing)
            ):
                return raw[: m.start()].strip(" ,;:-"), thing
    return raw, None


# what comes before a purpose that is a purpose ("for instagram", "as a phone wallpaper", "make it a twitter
# banner", "to my tiktok"), not a thing named after one ("crop out the tiktok watermark", "crop to the icon",
# "what's on the tv screen" had been cropped to a shape: review s12)
_FOR = re.compile(
    r"(?:\b(?:for|as|into|like)\s+(?:\S+\s+){0,2}|\bto\s+(?:a|an|my|our|your)\s+(?:\S+\s+)?|"
    r"(?:^|\s)(?:a|an|my|our|your)\s+(?:\S+\s+)?|"
    r"^(?:\S+\s+){0,3}?(?:make|turn|crop|resize|format|size|fit|convert)\s+(?:it|this|that)\s+(?:\S+\s+)?)$",
    _I,
)
# a kept "thing" that is a quality of the picture ("keeping the colours natural")
_QUALITY_WORDS = re.compile(
    r"\b(?:colou?rs?|looks?|tones?|quality|style|mood|feel|light(?:ing)?|exposure|contrast|brightness|natural|"
    r"same|original|realistic|sharp(?:ness)?|resolution|aspect|ratio|proportions?)\b",
    _I,
)


# a clip's orientation said as its purpose ("make it vertical", "turn it into a portrait video"): on a picture
# "portrait" is also a portrait-mode blur and "vertical" a flip, so these are read on clips only
_CLIP_ORIENTATION = (
    (
        r"(?:vertical|portrait)(?:\s+(?:video|clip|format|mode|orientation|version))?|reels?|shorts|stories",
        "9:16",
        "a vertical clip (phone screen, reels, shorts)",
        "1080×1920 pixels",
    ),
    (
        r"(?:horizontal|landscape)(?:\s+(?:video|clip|format|mode|orientation|version))?",
        "16:9",
        "a horizontal clip (widescreen)",
        "1920×1080 pixels",
    ),
)


@functools.cache
def _clip_orientations() -> tuple[tuple[Any, str, str, str], ...]:
    done = compile_patterns([(rf"\b(?:{p})\b", re.I) for p, *_ in _CLIP_ORIENTATION])
    return tuple((done[k], *_CLIP_ORIENTATION[k][1:]) for k in range(len(_CLIP_ORIENTATION)))


def _shape(words: str, video: bool = False) -> tuple[str | None, str | None, bool]:
    """(the crop's shape, what it is for in words, whether a purpose was named) from a ratio said ("16:9",
    "square") or a purpose (said as one: :data:`_FOR`); a ratio said wins over the purpose's, which is then
    not described. ``video``: a clip's orientation words count as a purpose too."""
    said = _ratio(m) if (m := _compiled()["ratio"].search(words)) else None
    for pattern, shape, what, size in _compiled()["purposes"] + (_clip_orientations() if video else ()):
        if (found := pattern.search(words)) and _FOR.search(words[: found.start()]):
            if said and said != shape:
                return said, None, True
            return shape, f"{what}: {shape}, usually {size}", True
    return said, None, False


def _ratio(m: re.Match[str]) -> str:
    return "1:1" if m.group(0).lower() == "square" else f"{m.group(1)}:{m.group(2)}"


def crop_shape(planner: Any, request: PlanRequest, toolbox: Any, raw: str) -> Plan | None:
    """The crop a purpose or a kept thing means (module docstring), or None for the usual reading. On a clip,
    a purpose's shape only ("make it vertical for tiktok" had flipped the clip upside down)."""
    values = list((request.inputs.get("input") or {}).values())  # kinds, and a region's box or point as a dict
    if not all(isinstance(v, str) for v in values):
        return None  # a box or a point given: the usual reading
    kinds = set(values)
    if not kinds <= {"image", "video"} or kinds == {"image", "video"}:
        return None
    video = kinds == {"video"}
    words, thing = _kept(raw.strip())
    if video and thing is not None:
        return None
    res = _compiled()
    from vitron_agent.planners.rule.intent_table import split_clauses

    if len(split_clauses(words)) > 1:  # "... for instagram and tell me what is in it": the usual reading, whole
        return None
    if not res["verb"].search(words) or res["other"].search(words) or res["pixels"].search(words):
        return None
    if not re.search(r"\bcrop|\bsquare\b|\d\s*:\s*\d", words, _I) and thing is not None:
        return None
    shape, purpose, named = _shape(words, video)
    if not named and thing is None:
        return None  # a ratio said and nothing kept: the usual reading has it
    again = dataclasses.replace(request, history=[])
    text = f"crop to {thing}" if thing else f"crop it to {shape}"
    plan = planner.plan(dataclasses.replace(again, text=text), toolbox)
    crops = [s for s in plan.steps if s.tool in ("edit", "transform_video") and s.args.get("operation") == "crop"]
    if video and (len(plan.steps) != 1 or len(crops) != 1):
        return None  # a clip's crop to a shape is one step on the whole frame
    if len(crops) != 1 or (thing and len(plan.steps) != 2):
        return None
    notes = list(plan.notes)
    if shape:
        crops[0].args["aspect"] = shape
    if thing:
        crops[0].args["margin"] = MARGIN
        notes.append(  # (said before the crop is made: the edit refuses a shape that would cut the thing)
            f"The crop{f' at {shape}' if shape else ''} is centred on {thing}, with up to its own size again around "
            f"it on each side (less where the picture ends), and made only if it keeps {thing} whole."
        )
    if purpose:
        notes.append(f"The shape of {purpose} (I cropped to the shape; the picture is not enlarged to that size).")
    return Plan(steps=plan.steps, notes=notes)
