"""The rule planner's words: verbs, typos, colours, foreign words, clause splitting, regions in the
text ("at (x, y)", "in box (...)"), targets and intensity. Text in, text out: no plans here."""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.perception.colors import COLORS, SHADES, SYNONYMS

# words in quotes: the text to write or keep as it is (look_records, scope_words and visible() read them)
_QUOTED = re.compile(r"[\"“”‘’«](?P<t>[^\"“”‘’«»]{1,300})[\"“”‘’»]|(?<![a-z])'(?P<t2>[^']{1,300})'(?![a-z])", re.I)

NO_GENERATOR = (
    "Image generation is not configured: no generator ships without weights. Set "
    '[tools.generate] backend = "diffusers" and checkpoint = "/path/to/local/pipeline" in vitron.toml.'
)


NEEDS_IMAGE = (  # every door's way to send one: the planner does not know which door this turn came through
    "This request needs an image or a video: send one with it (--image PATH or --video PATH on the command line, "
    "image=... / video=... in Python, an upload or an image_url / video_url part over HTTP, image_base64 / "
    "video_base64 over MCP)."
)


NO_VIDEO_GENERATOR = (
    "Video generation is not configured: no generator ships without weights. Set "
    '[tools.generate_video] backend = "diffusers" and checkpoint = "/path/to/local/pipeline" in vitron.toml.'
)


# The longest request the planner reads. Every regular expression below runs on text that went
# through ``bounded`` first (whitespace runs collapsed, length capped), so none of them can backtrack
# over a long run of blanks: a request of this size plans in milliseconds.
MAX_REQUEST_CHARS = 2000


TOO_LONG = (
    "This request is {n:,} characters long; I read requests of up to {cap:,} characters. "
    "Please split it into shorter requests (one or a few actions each)."
)


# Characters that show nothing and mean nothing to the reading of a request (zero-width space, non-joiner,
# joiner, word joiner, byte-order mark, soft hyphen, Mongolian vowel separator, direction marks,
# embeddings, overrides and isolates): text copied from a web page or a chat app, or a file saved with
# a BOM, brings them inside words and numbers ("rotate it 9<ZWSP>0 degrees" had turned 9 degrees).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"), None)
_INVISIBLE.update(dict.fromkeys(range(0x202A, 0x202F), None))
_INVISIBLE.update(dict.fromkeys(range(0x2066, 0x206A), None))


def visible(text: str) -> str:
    """``text`` without invisible format characters (``_INVISIBLE``), except in words in quotes: those are
    the user's own (a caption to write keeps, or is refused for, every character it has)."""

    if not any(ord(c) in _INVISIBLE for c in text):
        return text
    out, at = [], 0
    for m in _QUOTED.finditer(text):
        out += [text[at : m.start()].translate(_INVISIBLE), m.group(0)]
        at = m.end()
    out.append(text[at:].translate(_INVISIBLE))
    return "".join(out)


def bounded(text: str) -> str:
    """``text`` with every run of blanks collapsed to one space and blank lines dropped (lines kept:
    a new line ends a clause), without any regular expression, so it is linear in the input; the
    caller checks the length (``MAX_REQUEST_CHARS``) on the result before any pattern runs."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_NUM = r"(-?\d+(?:\.\d+)?)"


_BOX_RE = re.compile(
    rf"(?:\b(?:in|inside|within)\s+)?(?:the\s+)?(?:box|rectangle|region)?\s*[\(\[]\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*[\)\]]",
    re.I,
)


# a box by two corners: "(100,50)-(200,150)", "from (100,50) to (200,150)", "between … and …" (a plain
# "(10,10) and (200,200)" is two points); before, the first corner was taken as a point, the second dropped
_PAIR = rf"[\(\[]\s*{_NUM}\s*,\s*{_NUM}\s*[\)\]]"
_CORNERS_RE = re.compile(
    rf"(?:\b(?:in|inside|within)\s+)?(?:the\s+)?(?:(?:box|rectangle|region|area)\s+)?(?:(between)\s+|from\s+)?"
    rf"{_PAIR}\s*(?:-|\u2013|\u2014|\bto\b|(and))\s*{_PAIR}",
    re.I,
)


_POINT_RE = re.compile(
    rf"(?:\b(?:at|near|around|on)\s+)?(?:the\s+)?(?:point|pixel)?\s*[\(\[]\s*{_NUM}\s*,\s*{_NUM}\s*[\)\]]", re.I
)


_STRONG_SPLIT = re.compile(
    r"\s*(?:;|\.\s+|\n+|,?\s*\band then\b|,?\s*\bthen\b|,?\s*\bafter that\b,?|,?\s*\bafterwards\b,?|,?\s*\bfinally\b,?|,?\s*\band also\b)\s*",
    re.I,
)


_WEAK_SPLIT = re.compile(  # not before "… and leave the flower in colour": that spares a thing in this clause
    r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)\s*(?!\s*(?:keep|leave)\s+(?!only\b|just\b)[^,;]+?\s+(?:unchanged|untouched|alone|"
    r"intact|as (?:it is|they are|is)|in (?:full )?colou?rs?|sharp|in focus)\s*[.!]?\s*$|\s*(?:and\s+)?nothing else\s*[.!]?\s*$)",
    re.I,
)


_FILLER = re.compile(  # politeness and openers, any number of them: "hi, could you possibly please ..."
    r"^(?:(?:please|pls|can you|could you|would you|will you|now|also|and|then|next|i want you to|i'd like you to|"
    r"i would like you to|let's|lets|kindly|possibly|perhaps|maybe|just|"
    r"is it (?:at all )?possible (?:for you )?to|would it be (?:at all )?possible (?:for you )?to|i need you to|go ahead and|"
    r"first(?: of all)?|ok(?:ay)?|alright|hey|hi|basically|honestly|literally|right|"
    r"so|to start(?: with)?|lastly|finally|do you think you could|be so kind as to|"
    r"i'd (?:love|like) it if you (?:could|would)|i would (?:love|like) it if you (?:could|would)|"
    r"if you (?:could|would|can|don't mind)|i was wondering if you could|"
    r"(?:can|could|would) you help me|(?:can|could|shall) we)\b[\s,]*)+",
    re.I,
)


_PRONOUN = re.compile(
    r"^(?:it|them|that|this|those|these|that one|this one|him|her|the result|the output|the selection|the mask|the region|"
    r"the cut-?out|the sticker|the edited (?:one|version|picture|image)|"
    r"the selected region|the segmented region|the segmented object|the edited image|the new image|the same)"
    r"(?:\s+(?:now|again|too|as well|instead|please|then|here|there|a (?:little )?bit|a little|a lot|a touch|a tad|"
    r"slightly|somewhat|much|more|less|very much|strongly|heavily|gently|lightly|subtly|some|right|for me|thanks))*$",
    re.I,
)  # a pronoun with trailing words ("it now", "it a bit", "that one slightly") is still the last target


# The picture itself, however it is called ("the painting", "the snapshot", "the whole thing"): the whole image.
_WHOLE = re.compile(
    r"^(?:the |this |that |my |our |your )?(?:whole |entire |full |complete )?(?:[a-z]+ ){0,2}(?:image|picture|pic|photo|photograph|"
    r"snapshot|shot|scene|frame|video|clip|footage|movie|film|painting|drawing|artwork|illustration|"
    r"everything|all|thing|lot)$",
    re.I,
)


# Nouns that name a quality of the picture, not a thing in it ("boost the exposure", "lower the noise").
_QUALITY = re.compile(
    r"^(?:(?:the|its|their|some|all|overall|general|a|an|of|picture's|image's|photo's)\s+)*(?:exposure|sharpness|"
    r"details?|noise|grain|graininess|colou?rs?|brightness|contrast|saturation|vibrance|white balance|tones?|"
    r"lighting|light|clarity|focus|hues?|(?:colou?r\s+)?temperature|speckles?|look|feel|mood|vibe|warmth|coolness|definition|"
    r"(?:colou?r\s+)?(?:tint|cast|palette|scheme|intensity|strength|depth|balance)|vibrancy|vividness|intensity|punch|"
    r"(?:(?:high|low)[- ])?iso(?:\s+noise)?)"
    r"(?:\s+(?:of|in|on)\s+(?:the\s+)?(?:image|picture|photo|scene|video|clip|frame))?$",
    re.I,
)


# "…, except the bus" / "apart from the girl" / "but not the tree" in a clause: the edit spares that target.
EXCEPT = re.compile(
    r"\s*,?\s*\b(?:except(?:\s+for)?|apart from|other than|aside from|save for|excluding|but not|leaving out|"
    r"not including)\s+(?P<kept>.+?)\s*$",
    re.I,
)


_FOREGROUND = re.compile(r"\b(?:foreground|main object|main subject|subject|object|thing)\b", re.I)


# ... and "the others" / "everyone else" after a thing is named ("make the foal brighter and darken the others"):
# what is not the selection (it was selected as a thing named "the others": every horse, the foal too)
_BACKGROUND = re.compile(
    r"^(?:(?:the )?(?:background|backdrop|surroundings|scenery|rest)|(?:all )?the others|the other ones|"
    r"every(?:one|body) else)$",
    re.I,
)


_COMPLEMENT = re.compile(
    r"^\s*(?:out\s+)?(?:(?:(?:the\s+)?(?:whole\s+|entire\s+)?(?:image|picture|photo|scene|frame)|everything(?:\s+else)?|all|"
    r"anything|(?:the\s+)?(?:area|areas|space|scenery|stuff|things|region|part|bits?|background|backdrop|surroundings)|"
    r"what(?:'s|\s+is|\s+are)|whatever(?:'s|\s+is))"
    r"(?:\s+(?:gr[ae]y(?:\s?scale)?|black and white|monochrome|blurr(?:ed|y)|darker|brighter|warmer|cooler|white|black))?"
    r"\s*,?\s+|(?!but\b))(?:except(?:\s+for)?|but(?:\s+for)?|other than|apart from|besides|save for|excluding|aside from|around|"
    r"surrounding|behind|that (?:isn't|is not|aren't|are not))\s+"
    r"(.+)$",
    re.I,
)


_TELL_ME = re.compile(
    r"^(?:(?:can|could) you\s+)?(?:tell me|let me know|i (?:want|would like|'d like) to know|do you know)\s+"
    r"(?=(?:what|which|where|how|if|whether|who)\b)",
    re.I,
)


_COLOR_WORDS = (*COLORS, *SYNONYMS)  # the tools' colour vocabulary, so every word planned is one they select


# Short words of other languages (English ones such as die, den, van, per are left out): two of them
# mark a request as not English; one, when nothing in it was understood.
_FOREIGN = {
    "al",
    "au",
    "bitte",
    "ce",
    "cette",
    "che",
    "dans",
    "das",
    "de",
    "del",
    "der",
    "des",
    "du",
    "een",
    "ein",
    "eine",
    "el",
    "en",
    "esta",
    "esto",
    "faire",
    "fais",
    "favor",
    "gli",
    "haz",
    "hazla",
    "hazlo",
    "het",
    "il",
    "ist",
    "la",
    "las",
    "le",
    "les",
    "lo",
    "los",
    "mach",
    "mache",
    "machen",
    "mettre",
    "mir",
    "mit",
    "naar",
    "nicht",
    "para",
    "ponla",
    "ponlo",
    "por",
    "pour",
    "que",
    "questa",
    "questo",
    "rendi",
    "rendilo",
    "sil",
    "una",
    "und",
    "une",
    "vous",
    "wie",
    "y",
}


NOT_ENGLISH = (
    'I understand instructions in English only (for example "segment the cat, then make it purple"); '
    "this looks like another language. Please rephrase it in English."
)


_COLOR_RE = re.compile(r"\b(" + "|".join(_COLOR_WORDS) + r")\b", re.I)
# shade words said before a colour ("a dark green", "bright red", "a deeper blue"): the recolour step reads
# them into its colour (step_builders), the matcher's clause drops them (intent_choice.plain_colours)
_SHADES = r"dark|darker|light|lighter|pale|paler|deep|deeper|bright|brighter|vivid|pastel|soft"


def _protect_regions(text: str) -> tuple[str, dict[str, dict[str, Any]]]:
    regions: dict[str, dict[str, Any]] = {}

    def box(m: re.Match[str]) -> str:
        key = f"@r{len(regions)}@"
        x1, y1, x2, y2 = (float(v) for v in m.groups())
        regions[key] = {"type": "box", "x1": x1, "y1": y1, "x2": x2, "y2": y2}
        return f" {key} "

    def point(m: re.Match[str]) -> str:
        key = f"@r{len(regions)}@"
        regions[key] = {"type": "point", "x": float(m.group(1)), "y": float(m.group(2)), "label": 1}
        return f" {key} "

    def corners(m: re.Match[str]) -> str:
        between, x1, y1, joined, x2, y2 = m.groups()
        if joined and not between:  # "at (10,10) and (200,200)": two points
            return m.group(0)
        key = f"@r{len(regions)}@"
        xs, ys = sorted((float(x1), float(x2))), sorted((float(y1), float(y2)))
        regions[key] = {"type": "box", "x1": xs[0], "y1": ys[0], "x2": xs[1], "y2": ys[1]}
        return f" {key} "

    text = _BOX_RE.sub(box, text)
    text = _CORNERS_RE.sub(corners, text)
    text = _POINT_RE.sub(point, text)
    return text, regions


UNUSED_PLACE = (
    "I did not use the {kind} {where} you wrote (a step takes one place, and only where it can use one); "
    "ask for what is there in a request of its own."
)


def unused_places(steps: list[Any], regions: dict[str, dict[str, Any]]) -> list[str]:
    """A note for each place written in the request that no step's arguments hold ("remove the objects at
    (10,10) and (200,200)": the first point was used, the second had been dropped unsaid)."""

    def coords(region: dict[str, Any]) -> tuple[float, ...]:
        keys = ("x", "y") if region.get("type") == "point" else ("x1", "y1", "x2", "y2")
        return tuple(float(region.get(k, "nan")) for k in keys)

    def held(value: Any) -> list[tuple[float, ...]]:
        if isinstance(value, dict):
            own = [coords(value)] if value.get("type") in ("point", "box") else []
            return own + [c for v in value.values() for c in held(v)]
        if isinstance(value, (list, tuple)):
            return [c for v in value for c in held(v)]
        return []

    used = set(held([dict(s.args) for s in steps]))
    notes = []
    for region in regions.values():
        if coords(region) not in used:
            where = "(" + ", ".join(f"{c:g}" for c in coords(region)) + ")"
            notes.append(UNUSED_PLACE.format(kind=region["type"], where=where))
    return notes


_OPENER = re.compile(  # what may come before a request's verb
    r"^(?:(?:please|pls|now|then|and|just|can you|could you|would you|will you|i want to|i'd like to|"
    r"i would like to|let's|lets|go ahead and|try to)\s+)*",
    re.I,
)


def _fix_verb(clause: str) -> tuple[str, str, str] | None:
    """(clause with its first word read as the nearest verb of the table, the word, the verb), or
    None; a real English word or a colour is never rewritten (see spelling)."""
    from vitron_agent.planners.rule.spelling import nearest, verb_vocabulary

    # the verb after an opener: "i want to remvoe the car", "please sharpn it", "and then segmnet the cat"
    opener = _OPENER.match(clause)
    clause = clause[opener.end() :]
    m = re.match(r"^([A-Za-z]+)(.*)$", clause, re.S)
    if not m or m.group(1).lower() in _COLOR_WORDS:
        return None
    verb = nearest(m.group(1), verb_vocabulary(), "verbs")  # ties: the verb more examples open with
    return (verb + m.group(2), m.group(1), verb) if verb else None  # the opener dropped: "remove the car"


_COMPARATIVES = {
    "greener": "green",
    "redder": "red",
    "bluer": "blue",
    "yellower": "yellow",
    "pinker": "pink",
    "browner": "brown",
    "greyer": "grey",
    "grayer": "gray",
    "oranger": "orange",
    "purpler": "purple",
}


# Words that steer a reading though they are no verb or colour: a typo in one ("the backround",
# "keep ony the cat") lost the background or the exclusion, so they are repaired like colours
_KEY_WORDS = dict.fromkeys(
    "background backdrop only except everything transparent saturation brightness contrast sharpness "
    "grayscale greyscale foreground outline surroundings image picture photo vertically horizontally "
    "clockwise anticlockwise counterclockwise upside".split(),
    1,
)


def _key_vocabulary() -> dict[str, int]:
    """_KEY_WORDS and the names of things the detector knows, singular and plural ("dgo", "peopel"):
    built once."""
    if "vocabulary" not in _KEY_STATE:
        from vitron_agent.perception.coco_names import ALIASES, COCO80

        words = {w for n in (*COCO80, *ALIASES) for w in n.lower().split() if len(w) >= 3 and w.isalpha()}
        words |= {w + ("es" if w.endswith(("s", "sh", "ch", "x")) else "s") for w in words} | {"people"}
        _KEY_STATE["vocabulary"] = {
            **dict.fromkeys(sorted(words), 1),
            **dict.fromkeys(_KEY_WORDS, 10),
        }  # ties: "ony" -> only
    return _KEY_STATE["vocabulary"]


_KEY_STATE: dict[str, dict[str, int]] = {}


def _classifier_names() -> dict[str, int]:
    """The classifier's one-word names of five letters or more, in lower case ("cheetah", "ladybug"; not
    the Latin ones, capitalised, nor "sub" for "usb"), with their plurals: built once."""
    if "classifier" not in _KEY_STATE:
        from vitron_agent.perception.imagenet_classes import IMAGENET

        words = {n.strip() for _, names in IMAGENET for n in names.split(",")}
        words = {w for w in words if len(w) >= 5 and w.isalpha() and w.islower()}
        words |= {w + ("es" if w.endswith(("s", "sh", "ch", "x")) else "s") for w in words}
        _KEY_STATE["classifier"] = dict.fromkeys(sorted(words), 1)
    return _KEY_STATE["classifier"]


# Colour words people use for hair, cars, skin and paint that the tools do not know: read as the
# nearest colour they can paint, with a note ("I read 'blonde' as 'yellow'"). Words that also name
# things people recolour ("rose", "cherry", "wine", "honey") are left out: "make the rose red".
FOLK_COLOURS = {
    **dict.fromkeys(("blonde", "blond", "flaxen"), "yellow"),
    **dict.fromkeys(("ginger", "coppery"), "orange"),
    **dict.fromkeys(("auburn", "vermilion", "vermillion", "carmine"), "red"),
    **dict.fromkeys(("brunette", "chestnut", "mahogany", "taupe"), "brown"),
    **dict.fromkeys(("mauve", "amethyst"), "purple"),
    **dict.fromkeys(("cerise",), "pink"),
    **dict.fromkeys(("azure", "cerulean", "cobalt", "ultramarine"), "blue"),
    **dict.fromkeys(("chartreuse",), "green"),
    **dict.fromkeys(("platinum",), "silver"),
}
# Words that shade a colour named after them ("cobalt blue", "jet black", "matte black", "fire-engine
# red", "sage green"): the colour is the last word, so they belong to it, not to the thing before.
COLOUR_MODIFIERS = frozenset(
    "matte matt glossy gloss metallic neon fluorescent pastel baby hot electric ice icy midnight pitch jet snow "
    "powder pearl candy candy-apple apple blood cherry lemon lime forest sea ocean sky royal navy racing bottle "
    "kelly hunter sage olive mint steel slate ash dusty dusky brick fire-engine cobalt emerald ruby sapphire "
    "chocolate coffee mocha charcoal canary mustard burnt rusty rich".split()
)
# a season before a colour is its mood, not a thing ("make the trees autumn orange" took 'autumn' as the name)
_SEASONS = frozenset("autumn autumnal fall spring springtime summer summery summertime winter wintry wintery".split())


# words in -y before a colour that say how much or which, not the colour's shade ("how many blue nuclei")
_NOT_SHADING = frozenset("many any very every pretty tiny only early".split())


def colour_modifier(word: str) -> bool:
    """Whether ``word`` shades a colour after it: a listed shade word, a season, or an adjective made from a
    noun by -y that is not itself a noun ("snowy", "creamy", "sunny", "rosy"; "pony" and "puppy" are nouns)."""
    if word in COLOUR_MODIFIERS or word in _SEASONS:
        return True
    if len(word) < 4 or not word.endswith("y") or word.endswith("ly") or word in _NOT_SHADING:
        return False
    from vitron_agent.perception.wordnet_names import senses, wordnet_ready

    if not wordnet_ready() or senses(word):
        return False
    stem = word[:-1]
    forms = (stem, stem + "e", stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else stem)
    return any(senses(f) for f in forms)


_DETERMINER_BEFORE = frozenset("the this that these those a an my his her their our your its".split())
# Slang for removing, in the verb's place ("yeet the background", "nuke the bin"): the table's verb
SLANG_VERBS = dict.fromkeys(("yeet", "nuke", "axe", "zap", "scrap", "bin", "junk", "vanish"), "remove")
# Typos of small words that carry no meaning but break a pattern ("cut out teh horse")
_SMALL_TYPOS = {"teh": "the", "hte": "the", "th": "the", "adn": "and", "nad": "and", "blk": "black", "wht": "white"}


def folk_colours(clause: str, notes: list[str]) -> str:
    """``clause`` with people's colour words read as a tool colour ("turn her hair blonde" -> "... yellow",
    noted; after a determiner the word names a thing: "the ginger cat" stays) and a shade word before a
    colour dropped when it follows the thing ("the bus cobalt blue" -> "the bus blue"; "the sky blue" keeps
    its sky: the word after a determiner is the thing); small words' typos ("teh") repaired."""
    words = re.split(r"(\s+)", clause)

    def colour_at(i: int) -> bool:
        return i < len(words) and (words[i].lower().strip(",.!?") in _COLOR_WORDS or words[i].lower() in FOLK_COLOURS)

    out: list[str] = []
    start, pos, first = _OPENER.match(clause).end(), 0, None
    for i, w in enumerate(words):  # the verb's place: the first word after the openers ("can you zap ...")
        if pos >= start and w.strip():
            first = i
            break
        pos += len(w)
    for i, w in enumerate(words):
        low = w.lower()
        if i == first and low in SLANG_VERBS:
            notes.append(f"I read {w!r} as {SLANG_VERBS[low]!r}.")
            out.append(SLANG_VERBS[low])
            continue
        if low in _SMALL_TYPOS:
            out.append(_SMALL_TYPOS[low])
            continue
        bare = low.strip(",.!?")
        prev = next((x.lower() for x in reversed(out) if x.strip()), "")
        shade = f"{bare} {words[i + 2].lower().strip(',.!?')}" if i + 2 < len(words) else ""
        if (
            colour_at(i + 2)
            and colour_modifier(bare)
            and prev
            and prev not in _DETERMINER_BEFORE
            and shade not in SHADES
        ):
            if bare in _COLOR_WORDS:  # "navy blue" is navy: the shade word is itself a colour the tools paint
                notes.append(f"I read {shade!r} as {bare!r}.")
                out.append(w)
                words[i + 2] = words[i + 2].lower().replace(shade.split(" ")[1], "", 1)
                continue
            notes.append(f"I read {shade!r} as {_tool_colour(words[i + 2])!r}.")
            out.append("")
            continue
        if bare in FOLK_COLOURS and prev not in _DETERMINER_BEFORE:  # "the ginger cat", "a blonde woman" stay
            if not any(n.endswith(f"as {FOLK_COLOURS[bare]!r}.") and bare in n for n in notes):
                notes.append(f"I read {bare!r} as {FOLK_COLOURS[bare]!r} (the nearest colour I can paint).")
            out.append(
                w[: len(w) - len(w.lstrip())] + FOLK_COLOURS[bare] + low[len(bare) :] if low.startswith(bare) else w
            )
            continue
        out.append(w)
    return re.sub(r"\s+(?=[,.!?])", "", re.sub(r"\s{2,}", " ", "".join(out))).strip()


def _tool_colour(word: str) -> str:
    low = word.lower().strip(",.!?")
    return FOLK_COLOURS.get(low, low)


def _fix_colours(clause: str, notes: list[str]) -> str:
    """Colour words with a typo ("purpel", "yelow", "bleu") read as the nearest colour, the words that
    steer a reading (``_KEY_WORDS``: "backround", "ony") and the detector's thing names ("dgo",
    "peopel") as theirs, with a note; a real English word ("great", "sliver", "lemon", "bed"), a
    capitalised name ("Bella") and a misspelt verb in the verb's place ("remvoe") are never rewritten."""
    from vitron_agent.planners.rule.spelling import nearest, verb_vocabulary

    clause = folk_colours(clause, notes)
    colours = {c: 1 for c in _COLOR_WORDS}
    first_word = _OPENER.match(clause).end()

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        if len(word) < 3:
            return word
        if (base := _COMPARATIVES.get(word.lower())) is not None:  # "much greener": the colour itself
            return base
        close = None
        if len(word) >= 4:
            close = nearest(word, colours, "colours", long=7)  # "blurr" is two edits from "blue": a verb's typo
        verb_slot = m.start() <= first_word and nearest(word, verb_vocabulary(), "verbs") is not None
        if close is None and not verb_slot and not word[0].isupper():  # "remvoe" is a verb's typo, not "remote";
            # a capitalised word is a name ("Bella"), never a thing's typo
            close = nearest(word, _key_vocabulary(), "key words", long=6)
            if close is None:  # "cheeta": the classifier's names, one letter off only ("cosier" is no "cocker")
                close = nearest(word, _classifier_names(), "classifier names", long=99)
        if close is None:
            return word
        notes.append(f"I read {word!r} as {close!r}.")
        return close

    return re.sub(r"[A-Za-z]+", sub, clause)


_WORDS_TO_WRITE = re.compile(
    r"[\"“”«»„「『][^\"“”«»„」』]*[\"“”«»„」』]|(?<!\w)['‘’][^'‘’]*['‘’](?!\w)"
    r"|\b(?:saying|that says|which says|that reads|reading|with the words?)\b.*$",
    re.I,
)


def _looks_foreign(text: str, hits: int = 2) -> bool:
    """Mostly non-ASCII letters, or several common function words of other European languages. Words in
    quotes or after "saying" are the words to write, not the instruction ("add the caption 'Привет мир'"
    had been refused as another language)."""
    text = _WORDS_TO_WRITE.sub(" ", text)
    letters = [c for c in text if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) / len(letters) > 0.2:
        return True
    words = re.findall(r"[a-zà-ÿ']+", re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", text.lower()))  # not "(x, y)"
    return sum(w.strip("'") in _FOREIGN for w in words) >= hits


def _restore(text: str, regions: dict[str, dict[str, Any]]) -> str:
    for key, r in regions.items():
        if r["type"] == "box":
            text = text.replace(key, f"in box ({r['x1']:g}, {r['y1']:g}, {r['x2']:g}, {r['y2']:g})")
        else:
            text = text.replace(key, f"at ({r['x']:g}, {r['y']:g})")
    return re.sub(r"\s+", " ", text).strip()


_STRONG = re.compile(
    r"\b(?:much|a lot|lots|loads|tons|a ton|heaps|very|really|way|far|strongly|heavily|significantly|considerably|a great deal|"
    r"massively|hugely|dramatically|a whole lot|heavy|extremely|hugely|seriously|super|crank\w*|max(?:imum|ed)?|"
    r"big time|to the max|all the way)\b",
    re.I,
)


_WEAK = re.compile(
    r"\b(?:a (?:little )?bit|a little|slightly|slight|somewhat|a touch|subtly|gently|a tad|mildly|a hint of)\b", re.I
)


_TONE_WORDS = re.compile(
    r"\b(?:in\s+(?:tone|colou?r|feel|mood)|make|render|turn|give|add|increase|boost|raise|enhance|improve|reduce|decrease|lower|apply|"
    r"sharpen|sharper|crisper|less blurry|sharpness|warm(?:er|th)?(?: up)?|cool(?:er)?(?: down)?|colder|"
    r"(?:more|less)\s+(?:saturated|vivid|colou?rful|vibrant|orange|yellow|yellowish|blue|bluish|warm|cold|cool)|saturat(?:e|ion)|vibrance|vividness|"
    r"denoise|de-noise|(?:the\s+)?(?:(?:sensor|digital|colou?r|iso|high[- ]iso|film|jpe?g|luminance|chroma)\s+)?(?:noise|grain)|remove|clean up|mute|tone down|(?:the\s+)?colou?rs|"
    r"tones?|look|a (?:little )?bit|a little|slightly|somewhat|much|a lot|very|really|way|more|less|"
    r"please|up|down)\b",
    re.I,
)


_INTENSITY_WORDS = re.compile(
    r"\b(?:a (?:little )?bit|a little|slightly|somewhat|a touch|a tad|much|a lot|very|really|way|far|"
    r"even|more|less|too)\b",
    re.I,
)


_EXCLUSION = re.compile(
    r"^(?P<main>.+?)\s*,?\s+(?:but\s+|and\s+|while\s+)?(?:keep(?:ing)?|leav(?:e|ing))\s+(?P<kept>.+?)\s+"
    r"(?:unchanged|untouched|alone|the same|intact|as (?:it is|they are|is)|unedited|as it was|in (?:full )?colou?rs?|"
    r"sharp|in focus|crisp|clear|readable|legible|bright|lit|red|blue|green|yellow|orange|pink|purple|"
    r"colou?red|colou?rful)$"
    r"|^(?P<main2>.+?)\s+(?:without (?:touching|changing|affecting|editing))\s+(?P<kept2>.+)$",
    re.I,
)


_DETERMINERS = {"the", "this", "that", "these", "those", "my", "his", "her", "their", "our", "your", "its"}
_NP_STOP = set(
    "is are was were be been being look looks feel feels seem seems appear appears get gets become a an with to into "
    "needs need has have had should must could would will can might may does do did "
    "less more too much very so bit little lot slightly somewhat and but please now up down as than "
    "bright brighter dark darker light lighter warm warmer cool cooler cold colder vivid saturated colourful colorful "
    "sharp sharper crisp crisper clean cleaner noisy grainy richer deeper paler softer stronger weaker "
    "fuzzy blurry blurred soft focused faded muted subtle dull pale vivid clear clearer grayscale greyscale monochrome "
    # comparatives say what the edit makes of the thing ("make the photo dimmer"), never its name
    "dimmer duller chillier icier frostier toastier cosier cozier moodier gloomier punchier bolder livelier sunnier "
    "hotter smoother grainier noisier fuzzier blurrier hazier muddier flatter greyer grayer bluer redder greener "
    "yellower pinker vivider contrastier toward towards".split()
)


_PICTURE_NOUN = re.compile(
    r"^(?:image|picture|pic|photo|photograph|snapshot|shot|scene|video|clip|footage|film|movie)$"
)
_NOT_MODIFIERS = frozenset("is are was were be of in on at to with and or but than as it".split())


def np_target(text: str) -> str | None:
    """The noun phrase a tone or light edit names as its target: the words after the first
    determiner up to a verb, article, comparison or quality adjective ("make the sky a bit
    brighter" -> "the sky"); "the colours of the sky" -> "the sky"; None when no determiner
    introduces one (then the edit is the whole picture's)."""
    words = text.replace(",", " , ").split()
    for i, w in enumerate(words):
        if w.lower() not in _DETERMINERS:
            continue
        ahead = [x.lower() for x in words[i + 1 : i + 4]]
        if (end := next((k for k, x in enumerate(ahead) if _PICTURE_NOUN.match(x)), None)) is not None and all(
            x.isalpha() and x not in _NOT_MODIFIERS for x in ahead[:end]
        ):
            return " ".join(words[i : i + end + 2])  # "this low light shot": the picture itself, however described
        np = [w]
        for x in words[i + 1 :]:
            if x == "," or x.lower() in _NP_STOP:
                break
            np.append(x)
        phrase = re.sub(r"\s+(?:in|to|into|as|at)$", "", " ".join(np), flags=re.I)  # "the image in (grayscale)"
        if m := re.match(r"^(.+?)\s+(?:of|on|in)\s+((?:the|this|that|his|her|their|my)\s+.+)$", phrase, re.I):
            if _QUALITY.match(m.group(1)):
                return m.group(2)  # "the colours of the sky"
        return phrase
    return None


def intensity(clause: str) -> float:
    """How strong an edit should be (0..1) from words: 'a bit' 0.2, 'much' 0.9, else 0.5."""
    clause = re.sub(r"\b(?:too|a bit|a little|way too|far too|just too) much\b", " ", clause, flags=re.I)  # a complaint
    return 0.9 if _STRONG.search(clause) else 0.2 if _WEAK.search(clause) else 0.5


# Two colours said for one thing ("make the dog brown and white", "paint the bird red and yellow", "give the
# shirt blue and white stripes"): the recolour edit paints a thing one colour, so it asks which (it painted the
# dog white and called "the dog brown" the target). Black and white together is a grayscale, not two paints.
_ANY_COLOUR = "|".join((*_COLOR_WORDS, *FOLK_COLOURS))
_TWO_COLOURS = re.compile(
    r"\b(?:make|paint|colou?r|turn|recolou?r|change|give|dye|tint|do)\s+"
    r"(?P<np>(?:the|this|that|his|her|their|my|its|our|your)\s+[a-z][a-z' -]{0,40}?)\s+(?:(?:to|into|in)\s+)?"
    r"(?:(?:both|half)\s+)?(?P<c1>" + _ANY_COLOUR + r")\s*(?:,|and|&|\+|with|or)\s*(?:a\s+bit\s+of\s+)?"
    r"(?P<c2>" + _ANY_COLOUR + r")(?:\s+(?:stripes|striped|stripy|spots|spotted|spotty|checks|checked|"
    r"squares|patches|patterned|pattern))?\b(?!\s*(?:-|')|\s+(?:the|this|that|his|her|their|my|a|an)\b)",
    re.I,
)
TWO_COLOURS = (
    "I can paint {np} one colour, not {c1} and {c2} together: which should it be, {c1} or {c2}? "
    "(To colour its parts differently, name each part in a request of its own.)"
)


def two_colours(text: str) -> str | None:
    """The question to ask when ``text`` asks for two colours on one thing ("make the dog brown and
    white"); None otherwise, and for black and white together (a grayscale)."""
    m = _TWO_COLOURS.search(text)
    if not m:
        return None
    c1, c2 = m.group("c1").lower(), m.group("c2").lower()
    if c1 == c2 or {c1, c2} <= {"black", "white"}:
        return None
    return TWO_COLOURS.format(np=m.group("np").strip(), c1=c1, c2=c2)
