"""The rule planner's intents: which phrasings mean which action (the table that maps verbs to
step builders), clause parsing and the help text listing what it understands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vitron_agent.planners.rule_lexicon import (
    _COLOR_RE,
    _COMPLEMENT,
    _FILLER,
    _STRONG_SPLIT,
    _TELL_ME,
    _WEAK_SPLIT,
    MAX_REQUEST_CHARS,
    _fix_verb,
    bounded,
)
from vitron_agent.planners.rule_picture_steps import (
    _PASTE,
    _do_animate,
    _do_composite,
    _do_count,
    _do_crop,
    _do_cutout,
    _do_describe,
    _do_detect,
    _do_flip,
    _do_frame,
    _do_outline,
    _do_question,
    _do_read,
    _do_replace,
    _do_resize,
    _do_restyle,
    _do_rotate,
)
from vitron_agent.planners.rule_steps import (
    _adjust,
    _do_background,
    _do_blur,
    _do_keep_only,
    _do_recolor,
    _do_remove,
    _do_segment,
    _tone,
)


def split_clauses(text: str) -> list[str]:
    """Clauses of an instruction, in order ('segment the cat, then make it red' -> 2)."""
    out: list[str] = []
    text = bounded(text)[:MAX_REQUEST_CHARS]  # linear-time patterns only on bounded text
    for part in _STRONG_SPLIT.split(text):
        part = part.strip(" ,.!?")
        if not part:
            continue
        pieces = _WEAK_SPLIT.split(part)
        current = pieces[0]
        for piece in pieces[1:]:
            head = _FILLER.sub("", piece.strip())
            fixed = _fix_verb(head)
            if (
                _VERB_START.match(head)
                or (fixed is not None and _VERB_START.match(fixed[0]))
                or any(p.match(head) for _, p in _tool_intents())
            ):
                out.append(current)
                current = piece
            else:
                joiner = " and " if not current.endswith(",") else " "
                current = f"{current}{joiner}{piece}"
        out.append(current)
    return [c.strip(" ,.!?") for c in out if c.strip(" ,.!?")]


def _intent(clause: str) -> tuple[str | None, str]:
    """(intent name, what the handler gets) for a clause: the words after the verb, or the
    whole clause for intents that read it whole."""
    clause = _TELL_ME.sub("", clause)
    clause = re.sub(
        r"^(?:if|whether)\s+(.+?)\s+(is|are)\s+(.+)$", r"\2 \1 \3", clause, flags=re.I
    )  # "if the cup is red"
    clause = re.sub(
        r"^(?:(?:can|could) you\s+)?(?:tell me|show me|give me|what(?:'s| is))\s+the\s+colou?rs?\s+of\s+(.+?)\??$",
        r"what colour is \1",
        clause,
        flags=re.I,
    )  # "tell me the colour of the car"
    clause = re.sub(
        r"^(?!(?:is|are|what|which|where|how|who|does|do)\b)(.+?)\s+(?:should|must|needs? to|has to|have to)\s+be(?:come)?\s+(.+)$",
        r"make \1 \2",
        clause,
        flags=re.I,
    )  # "the background should be white"
    for spec, pattern in _tool_intents():  # sentences declared by tool modules come first
        if m := pattern.match(clause):
            return f"tool:{spec.name}", clause[m.end() :].strip()
    for intent, pattern in _COMPILED:
        m = pattern.match(clause)
        if m:
            if intent.whole:
                return intent.name, clause
            if intent.needs_colour and not _COLOR_RE.search(clause[m.end() :]):
                continue
            return intent.name, clause[m.end() :].strip()
    return None, clause


def _tool_intents() -> list[tuple[Any, re.Pattern[str]]]:
    """(ToolIntent, compiled pattern) for the intents tool modules registered (vitron_agent.intents)."""
    from vitron_agent.intents import registered_intents

    return [(i, re.compile(p, re.I)) for i in registered_intents() for p in i.patterns]


@dataclass(frozen=True)
class Clause:
    """One clause of an instruction, parsed: its intent (None: not understood), the text the
    intent's builder reads, the colour it names, the regions marked in it ("at (x, y)"), and
    whether it speaks of everything *except* a target."""

    text: str
    intent: str | None
    rest: str
    colour: str | None
    regions: tuple[str, ...]
    negated: bool


def parse_clause(text: str) -> Clause:
    text = bounded(text)[:MAX_REQUEST_CHARS]
    intent, rest = _intent(text)
    colours = [c.lower() for c in _COLOR_RE.findall(rest)]
    negated = bool(_COMPLEMENT.match(re.sub(r"^(?:the\s+)?", "", rest.strip(), flags=re.I)))
    return Clause(
        text=text,
        intent=intent,
        rest=rest,
        colour=colours[-1] if colours else None,
        regions=tuple(re.findall(r"@r\d+@", text)),
        negated=negated,
    )


@dataclass(frozen=True)
class Intent:
    """One thing the rule planner understands: the patterns that start a clause (tried in table
    order), the builder that lowers it into steps (None: handled by the planner itself), and
    its line of the help text. ``whole``: the builder reads the whole clause; ``needs_colour``:
    only when a colour word follows the verb."""

    name: str
    patterns: tuple[str, ...]
    handler: Any
    help: str = ""
    whole: bool = False
    needs_colour: bool = False


# The table: order matters (the first pattern that matches a clause wins).
INTENTS: tuple[Intent, ...] = (
    Intent(
        "describe",
        (
            r"^(?:give|write|generate|make|produce|create|get|add)\s+(?:me\s+|it\s+|this\s+|the (?:image|picture|photo)\s+)?(?:an?\s+|the\s+)?(?:short\s+|brief\s+|one-line\s+|quick\s+)?(?:caption|description|summary)\b(?:\s+(?:of|for)\b)?\s*",
        ),
        _do_describe,
        "",
    ),
    Intent(
        "detect",
        (
            r"^(?:detect|label|tag|annotate|list)\b\s*(?:and\s+label\s+)?|^(?:draw|put|add)\s+(?:bounding\s+)?boxes\s+(?:around|on|over)\s*"
            r"|^(?:box)\s+|^(?:find|show|locate|identify)\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?(?=(?:objects|things|items)\b)"
            r"|^what\s+objects\b\s*",
        ),
        _do_detect,
        "detect / label <things> (boxes with labels and scores)",
    ),
    Intent(
        "count", (r"^(?:how many|count(?: the)?(?: number of)?)\b\s*",), _do_count, "how many <things> / count <things>"
    ),
    Intent(
        "crop",
        (
            r"^(?:crop|trim|zoom in(?:to)?|zoom)\b\s*(?:it\b|the (?:image|picture|photo)\b)?\s*(?:to|around|down to|on|at|onto)?\s*",
        ),
        _do_crop,
        "crop to <target> / a box / a square / 16:9",
    ),
    Intent(
        "read",
        (
            r"^(?:read|transcribe|ocr)\b\s*(?:out\s+|off\s+)?|^what\s+(?:does|do)\s+(?:it|this|that|they|the\s+.+?)\s+(?:say|read|spell)\b\s*|^what(?:'s|\s+is)\s+written\b\s*|^what\s+(?:text|words?)\b.*\b(?:say|written|there|see|in|on)\b\s*|^(?:extract|get|find)\s+(?:the\s+|all\s+the\s+)?(?:text|words)\b\s*",
        ),
        _do_read,
        "read / transcribe / what does the sign say (text, OCR)",
    ),
    Intent(
        "outline",
        (r"^(?:outline|trace|circle)\b\s*|^draw\s+(?:an?\s+)?(?:outline|contour|border|line)\s+(?:around|of|on)\s*",),
        _do_outline,
        "outline <target> (in a colour)",
    ),
    Intent(
        "generate_video",
        (
            r"^(?:generate|create|make|render|produce|film|shoot)\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:new\s+|short\s+)?(?:video|clip|animation|movie|film)\s+(?:of|showing|with|about|where)\s+",
        ),
        None,
        "make a video of <prompt>",
    ),
    Intent(
        "animate",
        (
            r"^(?:animate|bring (?:it|this|that|the \w+) to life)\b\s*|^make (?:it|this|that|the (?:image|picture|photo))\s+(?:move|come alive|into a (?:video|clip))\b\s*|^turn (?:it|this|that|the (?:image|picture|photo))\s+into an? (?:video|clip|animation)\b\s*",
        ),
        _do_animate,
        "animate it",
    ),
    Intent(
        "frame",
        (
            r"^(?:take|extract|grab|get|show|pick|use)\s+(?:me\s+)?(?:the\s+)?(?:(?:first|middle|last|final|opening|closing)\s+frame|frame\s+\d+|frame at\b)",
        ),
        _do_frame,
        "take the first / middle / last frame (of a video)",
    ),
    Intent("track", (r"^(?:track|follow|trace|keep track of)\b\s*",), _do_segment, "track / follow <target> (a video)"),
    Intent(
        "generate",
        (
            r"^(?:generate|draw|create|make|paint|render|produce|imagine|sketch)\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:new\s+)?(?:image|picture|photo|drawing|painting|illustration|render|artwork)\s+(?:of|showing|with)\s+",
        ),
        None,
        "generate / draw / create an image of <prompt>",
    ),
    Intent("generate", (r"^(?:generate|draw|imagine|sketch)\b\s*",), None, ""),
    Intent(
        "composite",
        (_PASTE.pattern,),
        _do_composite,
        "put it on this picture (a cut-out from the previous turn)",
        whole=True,
    ),
    Intent(
        "cutout",
        (
            r"^(?:cut|crop|clip)\s*-?\s*out\b\s*(?!.*\bbackground\b)|^cut\b(?=.*\bout\s*$)\s*"
            r"|^(?:isolate|extract|separate|select|show|put)\b\s*(?=.*\b(?:on|with|against)\s+(?:a\s+)?transparent\b)"
            r"|^(?:make|create|give me|export|save|produce|get)\s+(?:me\s+)?"
            r"(?:a\s+|an\s+)?(?:transparent\s+(?:png|image|picture|cut-?out|sticker|version)|cut-?out|sticker|png)\s*(?:of|for|from|with)?\s*",
        ),
        _do_cutout,
        "cut out <target> (a transparent PNG)",
    ),
    Intent(
        "keep_only",
        (
            r"^(?:keep only|keep just|only keep|leave only)\b\s*|^(?:keep|leave)\s+(?=(?:everything|all|the (?:whole |entire )?(?:image|picture|photo|scene))\b)",
        ),
        _do_keep_only,
        "keep only <target>",
    ),
    Intent(
        "restyle",
        (
            r"^(?:make|turn|render|change)\s+(?:it|this|that|the (?:whole )?(?:image|picture|photo|scene))\s+(?:look\s+)?(?:like|as if|into an?\s+\w+\s+(?:painting|drawing|sketch|photo))\b|^(?:apply|give it)\b.*\bstyle\b|.*\bin the style of\b",
        ),
        _do_restyle,
        "make it look like <style> (needs a generative editor)",
    ),
    Intent(
        "replace",
        (
            r"^(?:replace|swap|substitute)\b(?!.*\bbackground\b)(?=.*\b(?:with|for|by)\b)|^(?:turn|change|transform|convert)\b(?=.*\binto\b)(?!.*\b(?:gr[ae]y ?scale|black and white|monochrome)\b)",
        ),
        _do_replace,
        "replace <target> with <thing> (needs a generative editor)",
    ),
    Intent(
        "background",
        (
            r"^(?:blur|replace|change|swap|remove|erase|delete|make|turn|paint|set|darken|brighten|lighten|fill|put|place|paste)\b.*\b(?:background|backdrop)\b",
        ),
        _do_background,
        "blur / replace / change / make <colour> the background",
        whole=True,
    ),
    Intent("flip", (r"^(?:flip|reflect)\b\s*",), _do_flip, "flip (horizontally / vertically)"),
    Intent(
        "rotate",
        (
            r"^rotate\b\s*|^turn\s+(?:it|this|the (?:image|picture|photo))\s+(?:upside[- ]down|sideways|\d+\s*(?:degrees?|°)|"
            r"(?:90|180|270)\b|(?:counter-?|anti-?)?clockwise)",
        ),
        _do_rotate,
        "rotate 90 / 180 / any angle",
    ),
    Intent(
        "resize",
        (
            r"^(?:resize|rescale|scale|shrink|enlarge|upscale|downscale|downsize|halve)\b\s*|^make\s+(?:it|this|the (?:image|picture|photo))\s+"
            r"(?:smaller|bigger|larger|half|twice|double)\b",
        ),
        _do_resize,
        "resize (half size, 50%, 800 pixels wide)",
    ),
    Intent(
        "sharpen",
        (
            r"^sharpen\b|^(?:make|render)\b.*\b(?:sharper|crisper|less blurry)\b|^(?:increase|boost|add|improve)\s+(?:the\s+)?sharpness\b",
        ),
        _tone("sharpen"),
        "sharpen",
        whole=True,
    ),
    Intent(
        "warmer",
        (r"^(?:make|render)\b.*\bwarmer\b|^warm\b|^(?:add|give)\b.*\bwarm(?:th|er)?\b",),
        _tone("warmer"),
        "make it warmer / cooler",
        whole=True,
    ),
    Intent("cooler", (r"^(?:make|render)\b.*\b(?:cooler|colder)\b|^cool\b",), _tone("cooler"), "", whole=True),
    Intent(
        "saturate",
        (
            r"^(?:make|render)\b.*\bmore\s+(?:saturated|vivid|colou?rful|vibrant)\b|^(?:increase|boost|raise|add|enhance)\s+(?:the\s+)?"
            r"(?:saturation|vibrance|vividness|colou?rs)\b|^saturate\b",
        ),
        _tone("saturate"),
        "more / less saturated",
        whole=True,
    ),
    Intent(
        "desaturate",
        (
            r"^(?:make|render)\b.*\bless\s+(?:saturated|vivid|colou?rful|vibrant)\b|^(?:decrease|reduce|lower)\s+(?:the\s+)?"
            r"(?:saturation|vibrance)\b|^(?:mute|tone down)\s+(?:the\s+)?colou?rs\b",
        ),
        _tone("desaturate"),
        "",
        whole=True,
    ),
    Intent(
        "denoise",
        (r"^(?:denoise|de-noise)\b|^(?:reduce|remove|clean up|get rid of)\s+(?:the\s+)?(?:noise|grain)\b",),
        _tone("denoise"),
        "denoise",
        whole=True,
    ),
    Intent(
        "remove",
        (r"^(?:remove|erase|delete|get rid of|take out|take away|eliminate|wipe out)\b\s*",),
        _do_remove,
        "remove / erase / delete <target>",
    ),
    Intent(
        "blur",
        (r"^(?:blur|pixelate|pixellate|mosaic|censor|obscure|smooth)\b\s*",),
        _do_blur,
        "blur / pixelate <target>",
    ),
    Intent(
        "grayscale",
        (
            r"^(?:convert|turn|make|render|change)?\b.*\b(?:grayscale|greyscale|gray ?scale|grey ?scale|black and white|black-and-white|monochrome)\b|^(?:desaturate)\b\s*",
        ),
        _adjust("grayscale"),
        "grayscale / black and white",
        whole=True,
    ),
    Intent(
        "brighten",
        (
            r"^(?:brighten|lighten)\b\s*|^(?:make|render)\b.*\b(?:brighter|lighter)\b|^(?:increase|raise|boost)\s+(?:the\s+)?brightness\b\s*",
        ),
        _adjust("brighten"),
        "brighten / make brighter",
        whole=True,
    ),
    Intent(
        "darken",
        (r"^darken\b\s*|^(?:make|render)\b.*\bdarker\b|^(?:decrease|reduce|lower)\s+(?:the\s+)?brightness\b\s*",),
        _adjust("darken"),
        "darken / make darker",
        whole=True,
    ),
    Intent(
        "contrast",
        (
            r"^(?:increase|boost|enhance|raise|add|improve)\s+(?:the\s+)?contrast\b\s*|^(?:make)\b.*\bmore contrast(?:y|ed)?\b|^contrast\b\s*",
        ),
        _adjust("contrast"),
        "increase contrast",
        whole=True,
    ),
    Intent(
        "recolor",
        (r"^(?:recolou?r|paint|colou?r|turn|make|change|dye|tint|repaint)\b\s*",),
        _do_recolor,
        "recolor / make it <colour> / paint / turn <colour>",
        needs_colour=True,
    ),
    Intent(
        "segment",
        (
            r"^(?:segment|select|mask|cut|find|highlight|isolate|detect|locate|extract|pick out|identify|show me|show|get)\b\s*",
        ),
        _do_segment,
        "segment / select / mask / cut out / find / highlight / isolate <target>",
    ),
    Intent(
        "describe",
        (r"^(?:describe|caption|summari[sz]e|explain|tell me about|tell me what|analy[sz]e|look at)\b\s*",),
        _do_describe,
        "describe / caption / tell me about",
    ),
    Intent(
        "question",
        (r"^(?:what|what's|whats|which|where|who|is|are|does|do|how)\b",),
        _do_question,
        "what colour / where / is it <colour>? / how bright",
        whole=True,
    ),
)


INTENT_HANDLERS = {i.name: i.handler for i in INTENTS if i.handler is not None}


_COMPILED = [(i, re.compile(p, re.I)) for i in INTENTS for p in i.patterns]


_VERB_START = re.compile("|".join(p for i in INTENTS for p in i.patterns), re.I)


TARGETS_HELP = (
    "Targets: the foreground / main object / subject, colours ('the red car'), positions (left, right, top, "
    "bottom, center; 'the left side' is the left half), 'the largest object', 'everything except <target>', "
    "'at (x, y)', 'in box (x1, y1, x2, y2)'. On a video the same verbs work on every frame. Chain steps with "
    "'then', commas or semicolons; 'it' refers to the previous result."
)


_HELP_ORDER = (
    "segment",
    "cutout",
    "composite",
    "detect",
    "flip",
    "rotate",
    "resize",
    "sharpen",
    "warmer",
    "saturate",
    "denoise",
    "outline",
    "recolor",
    "remove",
    "background",
    "keep_only",
    "blur",
    "brighten",
    "darken",
    "contrast",
    "grayscale",
    "crop",
    "describe",
    "question",
    "read",
    "count",
    "generate",
    "track",
    "frame",
    "animate",
    "generate_video",
    "replace",
    "restyle",
)


UNDERSTOOD = (
    "I understand: "
    + "; ".join(i.help for i in sorted((i for i in INTENTS if i.help), key=lambda i: _HELP_ORDER.index(i.name)))
    + ". "
    + TARGETS_HELP
)


def understood_help() -> str:
    """UNDERSTOOD, with the sentences tool modules registered."""
    from vitron_agent.intents import registered_intents

    extra = [i.help for i in registered_intents() if i.help]
    return (
        UNDERSTOOD
        if not extra
        else UNDERSTOOD.replace(". " + TARGETS_HELP, "; " + "; ".join(extra) + ". " + TARGETS_HELP)
    )
