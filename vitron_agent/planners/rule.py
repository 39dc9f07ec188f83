"""RulePlanner: the embedded, deterministic planner (no weights).

It splits an instruction into clauses ("then", "and then", "after that",
commas and semicolons, "and" before a verb), recognises one action per clause
and chains the steps: "it", "them", "that" and "the result" bind to the latest
mask and image of the plan (or of the session's previous turn). Explicit
regions are read from the text: "at (x, y)" and "in box (x1, y1, x2, y2)".

A request it cannot understand gets a plan-free answer listing what it
understands; it never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vitron_agent.plan import Plan, Step
from vitron_agent.planners.base import PlanRequest
from vitron_agent.tool import Toolbox
from vitron_agent.tools.colors import COLORS, SYNONYMS

__all__ = [
    "RulePlanner",
    "UNDERSTOOD",
    "NO_GENERATOR",
    "NEEDS_IMAGE",
    "NOT_ENGLISH",
    "split_clauses",
    "Intent",
    "INTENTS",
    "Clause",
    "parse_clause",
]

NO_GENERATOR = (
    "Image generation is not configured: no generator ships without weights. Set "
    '[tools.generate] backend = "diffusers" and checkpoint = "/path/to/local/pipeline" in vitron.toml.'
)
NEEDS_IMAGE = (
    "This request needs an image or a video: pass --image PATH or --video PATH on the command line, "
    "or image=... / video=... in Python."
)
NO_VIDEO_GENERATOR = (
    "Video generation is not configured: no generator ships without weights. Set "
    '[tools.generate_video] backend = "diffusers" and checkpoint = "/path/to/local/pipeline" in vitron.toml.'
)

_NUM = r"(-?\d+(?:\.\d+)?)"
_BOX_RE = re.compile(
    rf"(?:\b(?:in|inside|within)\s+)?(?:the\s+)?(?:box|rectangle|region)?\s*[\(\[]\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*,\s*{_NUM}\s*[\)\]]",
    re.I,
)
_POINT_RE = re.compile(
    rf"(?:\b(?:at|near|around|on)\s+)?(?:the\s+)?(?:point|pixel)?\s*[\(\[]\s*{_NUM}\s*,\s*{_NUM}\s*[\)\]]", re.I
)
_STRONG_SPLIT = re.compile(
    r"\s*(?:;|\.\s+|\n+|,?\s*\band then\b|,?\s*\bthen\b|,?\s*\bafter that\b,?|,?\s*\bafterwards\b,?|,?\s*\bfinally\b,?|,?\s*\band also\b)\s*",
    re.I,
)
_WEAK_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)\s*", re.I)
_FILLER = re.compile(
    r"^(?:please|pls|can you|could you|would you|now|also|and|then|next|i want you to|i'd like you to|let's|lets|kindly)\b[\s,]*",
    re.I,
)
_PRONOUN = re.compile(
    r"^(?:it|them|that|this|those|these|the result|the output|the selection|the mask|the region|the selected region|the segmented region|the segmented object|the edited image|the new image|the same)$",
    re.I,
)
_WHOLE = re.compile(
    r"^(?:the |this |that |my )?(?:whole |entire |full )?(?:image|picture|photo|photograph|scene|frame|video|clip|footage|movie|everything|all)$",
    re.I,
)
_THROUGHOUT = re.compile(
    r"\s+(?:throughout|across|through|in|over)\s+(?:the\s+|this\s+|every\s+|all\s+|each\s+)?(?:whole\s+|entire\s+)?(?:video|clip|footage|movie|frames?)$",
    re.I,
)
_FOREGROUND = re.compile(r"\b(?:foreground|main object|main subject|subject|object|thing)\b", re.I)
_BACKGROUND = re.compile(r"^(?:the )?(?:background|backdrop|surroundings|rest)$", re.I)
_COMPLEMENT = re.compile(
    r"^\s*(?:(?:the\s+)?(?:whole\s+|entire\s+)?(?:image|picture|photo|scene|frame)|everything(?:\s+else)?|all|anything)\s*,?\s+"
    r"(?:except(?:\s+for)?|but(?:\s+for)?|other than|apart from|besides|save for|excluding|aside from)\s+(.+)$",
    re.I,
)
_TELL_ME = re.compile(
    r"^(?:(?:can|could) you\s+)?(?:tell me|let me know|i (?:want|would like|'d like) to know|do you know)\s+"
    r"(?=(?:what|which|where|how|if|whether|who)\b)",
    re.I,
)
_COLOR_WORDS = (*COLORS, *SYNONYMS)  # the tools' colour vocabulary, so every word planned is one they select
# Verbs a clause may start with, for reading typos ("segmnet", "remvoe", "mak") as the nearest one.
_VERBS = (
    "make",
    "segment",
    "select",
    "remove",
    "mask",
    "find",
    "highlight",
    "isolate",
    "detect",
    "locate",
    "outline",
    "extract",
    "recolor",
    "recolour",
    "paint",
    "color",
    "colour",
    "turn",
    "change",
    "erase",
    "delete",
    "blur",
    "pixelate",
    "replace",
    "swap",
    "keep",
    "describe",
    "caption",
    "count",
    "track",
    "follow",
    "brighten",
    "lighten",
    "darken",
    "crop",
    "trim",
    "read",
    "transcribe",
    "generate",
    "draw",
    "create",
    "animate",
    "increase",
    "decrease",
    "convert",
    "take",
    "extract",
    "show",
    "identify",
    "flip",
    "rotate",
    "resize",
    "sharpen",
    "denoise",
    "outline",
    "label",
    "scale",
    "shrink",
    "enlarge",
    "pixelate",
)
# 5+-letter English words that are one letter from a colour name, never "corrected"
_NOT_TYPOS = {
    "great",
    "greet",
    "while",
    "write",
    "range",
    "fellow",
    "sliver",
    "violent",
    "bellow",
    "greens",
    "reds",
    "scale",
    "scales",
    "sharper",
    "tale",
    "peace",
    "mints",
    "corral",
    "rusty",
    "lemon",
    "cremate",
    "creams",
    "indigenous",
    "navel",
    "teals",
    "solver",
    "salmonella",
    "limes",
    "lime",
}
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

    text = _BOX_RE.sub(box, text)
    text = _POINT_RE.sub(point, text)
    return text, regions


def split_clauses(text: str) -> list[str]:
    """Clauses of an instruction, in order ('segment the cat, then make it red' -> 2)."""
    out: list[str] = []
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


@dataclass
class _Builder:
    toolbox: Toolbox
    inputs: dict[str, dict[str, str]]
    regions: dict[str, dict[str, Any]]
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    image: str | None = None
    mask: str | None = None
    box: str | None = None
    last_output: str | None = None
    answer: str | None = None  # set by a handler that cannot plan the clause: the plan's whole answer
    video_mode: bool = False  # ``image`` holds a video reference and ``mask`` a track reference

    def add(self, tool: str, **args: Any) -> str:
        sid = f"s{len(self.steps) + 1}"
        self.steps.append(Step(id=sid, tool=tool, args={k: v for k, v in args.items() if v is not None}))
        return sid

    def tool(self, image_tool: str) -> str:
        """The tool serving ``image_tool``'s role on the current medium."""
        return _VIDEO_TOOLS.get(image_tool, image_tool) if self.video_mode else image_tool

    @property
    def media_arg(self) -> str:
        return "video" if self.video_mode else "image"

    @property
    def mask_arg(self) -> str:
        return "track" if self.video_mode else "mask"


_VIDEO_TOOLS = {"segment": "track", "edit": "edit_video", "describe": "describe_video"}


class RulePlanner:
    """Deterministic planner for everyday instructions (see module docstring)."""

    name = "rule"

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        if _looks_foreign(request.text):
            return Plan(answer=NOT_ENGLISH)
        text, regions = _protect_regions(request.text)
        text = re.sub(r"\([^()]*\)", " ", text)  # what is left in brackets is an aside ("(again)"), not a target
        clauses = split_clauses(text)
        inp, last = request.inputs.get("input", {}), request.inputs.get("last", {})
        b = _Builder(toolbox=toolbox, inputs=request.inputs, regions=regions)
        b.image = "$input.image" if inp.get("image") == "image" else None
        if b.image is None and inp.get("video") == "video":
            b.image, b.video_mode = "$input.video", True
        understood, misunderstood = 0, False
        for clause in clauses:
            clause = _FILLER.sub("", clause.strip()).strip()
            parsed = parse_clause(_fix_colours(clause, b.notes))
            if parsed.intent is None and (fixed := _fix_verb(parsed.text)) is not None:
                retry = parse_clause(fixed[0])
                if retry.intent is not None:
                    b.notes.append(f"I read {fixed[1]!r} as {fixed[2]!r}.")
                    parsed = retry
            clause, intent, rest = parsed.text, parsed.intent, parsed.rest
            kept = None
            if intent is not None and (
                ex := _EXCLUSION.match(clause)
            ):  # "brighten the garage but keep the bike unchanged"
                kept = ex.group("kept") or ex.group("kept2")
                retry = parse_clause(ex.group("main") or ex.group("main2"))
                if retry.intent is not None:
                    clause, intent, rest = retry.text, retry.intent, retry.rest
                else:
                    kept = None
            if intent is None:
                b.notes.append(f"I did not understand {_restore(clause, regions)!r}, so I skipped it.")
                misunderstood = True
                continue
            if intent == "generate":
                if "generate" not in toolbox:
                    return Plan(answer=NO_GENERATOR)
                sid = b.add("generate", prompt=_restore(rest, regions).strip() or clause)
                b.image, b.mask, b.last_output, b.video_mode = f"${sid}.image", None, "image", False
                last = {}  # a new picture: the previous turn's mask does not apply to it
                understood += 1
                continue
            if intent == "generate_video":
                if "generate_video" not in toolbox:
                    return Plan(answer=NO_VIDEO_GENERATOR)
                sid = b.add("generate_video", prompt=_restore(rest, regions).strip() or clause)
                b.image, b.mask, b.last_output, b.video_mode = f"${sid}.video", None, "video", True
                last = {}
                understood += 1
                continue
            if b.image is None:
                return Plan(answer=NEEDS_IMAGE)
            if intent.startswith("tool:"):
                _do_tool_intent(b, intent[5:], clause)
                understood += 1
                continue
            before = len(b.steps)
            INTENT_HANDLERS[intent](b, rest, clause, last)
            if kept is not None:
                _exclude(b, before, kept, clause, last)
            if b.answer is not None:
                return Plan(answer=b.answer)
            understood += 1
        if not understood:
            if _looks_foreign(request.text, hits=1):
                return Plan(answer=NOT_ENGLISH)
            return Plan(answer=f"I could not turn {request.text.strip()!r} into steps. {understood_help()}")
        if misunderstood:
            b.notes.append(understood_help())
        return Plan(steps=_renumbered(b.steps), notes=b.notes)


def _renumbered(steps: list[Step]) -> list[Step]:
    """The steps with ids s1, s2 ... in list order (an exclusion inserts a step before its edit),
    references rewritten."""
    ids = {s.id: f"s{i + 1}" for i, s in enumerate(steps)}
    if all(k == v for k, v in ids.items()):
        return steps

    def fix(v: Any) -> Any:
        if isinstance(v, str) and v.startswith("$"):
            head, _, tail = v[1:].partition(".")
            return f"${ids.get(head, head)}.{tail}" if tail else v
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v

    return [
        Step(id=ids[s.id], tool=s.tool, args=fix(dict(s.args)), after=[ids.get(a, a) for a in s.after]) for s in steps
    ]


def _exclude(b: _Builder, before: int, kept: str, clause: str, last: dict[str, str]) -> None:
    """Make the clause's edit spare ``kept``: it runs outside ``kept``'s mask. When the clause's
    own target was the scene ("the garage", "the room": nothing a finder names) or the whole
    image, that target gives way; a real object's mask minus ``kept`` is not supported (said)."""
    from vitron_agent.tools.detector import named
    from vitron_agent.tools.recognise import face_part
    from vitron_agent.tools.stuff import stuff_kind

    added = b.steps[before:]
    edit = next((s for s in reversed(added) if s.tool in ("edit", "edit_video")), None)
    if edit is None or edit.args.get("operation") in ("crop", "rotate", "resize", "flip"):
        return
    used = str(edit.args.get(b.mask_arg) or "")
    seg = next((s for s in added if s.tool in ("segment", "track") and used.startswith(f"${s.id}.")), None)
    target = str(seg.args.get("target", "")) if seg is not None else ""
    if seg is not None and (named(target) or face_part(target) or stuff_kind(target) or seg.args.get("color")):
        b.notes.append(f"I cannot subtract {kept!r} from {target!r}: the edit covers {target!r} whole.")
        return
    image, b.image = b.image, edit.args[b.media_arg]  # the kept object is found on the picture the edit starts from
    mask = _segment(b, kept, last)
    b.image = image
    new = b.steps.pop()
    if seg is not None:  # the scene's segment step becomes the kept object's (same id, same place)
        b.steps[b.steps.index(seg)] = new = Step(id=seg.id, tool=new.tool, args=new.args)
        mask = f"${seg.id}.{b.mask_arg}"
    else:
        b.steps.insert(b.steps.index(edit), new)
    b.mask = mask
    edit.args[b.mask_arg] = mask
    edit.args["where"] = "outside"
    b.notes.append(f"Everything but {kept} was edited ({edit.id} outside {new.id}'s mask).")


def _fix_verb(clause: str) -> tuple[str, str, str] | None:
    """(clause with its first word read as the nearest verb, the word, the verb), or None."""
    import difflib

    m = re.match(r"^([A-Za-z]+)(.*)$", clause, re.S)
    if not m or m.group(1).lower() in _VERBS or m.group(1).lower() in _COLOR_WORDS or len(m.group(1)) < 3:
        return None
    word = m.group(1).lower()
    # the closest verb; ties go to the earlier (commoner) one: "mak" is "make", not "mask"
    score, verb = max((difflib.SequenceMatcher(None, word, v).ratio(), -i) for i, v in enumerate(_VERBS))
    return (_VERBS[-verb] + m.group(2), m.group(1), _VERBS[-verb]) if score >= 0.75 else None


def _fix_colours(clause: str, notes: list[str]) -> str:
    """Colour words with a typo ("purpel", "yelow") read as the nearest colour, with a note."""
    import difflib

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) < 4 or low in _COLOR_WORDS or low in _NOT_TYPOS or low in _VERBS:
            return word
        close = (difflib.get_close_matches(low, _COLOR_WORDS, n=1, cutoff=0.8) if len(low) >= 5 else []) or [
            c
            for c in _COLOR_WORDS
            if len(c) == len(low)
            and c != low
            and sorted(c) == sorted(low)
            and sum(x != y for x, y in zip(c, low, strict=True)) == 2
        ]  # two letters swapped: "bleu"
        if not close:
            return word
        notes.append(f"I read {word!r} as {close[0]!r}.")
        return close[0]

    return re.sub(r"[A-Za-z]+", sub, clause)


def _looks_foreign(text: str, hits: int = 2) -> bool:
    """Mostly non-ASCII letters, or several common function words of other European languages."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) / len(letters) > 0.2:
        return True
    words = re.findall(r"[a-zà-ÿ']+", re.sub(r"[\(\[][^\)\]]*[\)\]]", " ", text.lower()))  # not "(x, y)"
    return sum(w.strip("'") in _FOREIGN for w in words) >= hits


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


def _do_tool_intent(b: _Builder, name: str, clause: str) -> None:
    """A registered intent: its tool on the current picture, its output "it" for the next clause."""
    from vitron_agent.intents import registered_intents

    spec = next(i for i in registered_intents() if i.name == name)
    if spec.tool not in b.toolbox:
        b.notes.append(
            f"{_restore(clause, b.regions)!r} needs the {spec.tool!r} tool, which is not configured; skipped."
        )
        return
    sid = b.add(spec.tool, **{b.media_arg: b.image}, **spec.args)
    if spec.output in ("image", "video"):
        b.image, b.mask = f"${sid}.{spec.output}", None
    elif spec.output == "mask":
        b.mask = f"${sid}.mask"
    b.last_output = spec.output


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


def _restore(text: str, regions: dict[str, dict[str, Any]]) -> str:
    for key, r in regions.items():
        if r["type"] == "box":
            text = text.replace(key, f"in box ({r['x1']:g}, {r['y1']:g}, {r['x2']:g}, {r['y2']:g})")
        else:
            text = text.replace(key, f"at ({r['x']:g}, {r['y']:g})")
    return re.sub(r"\s+", " ", text).strip()


def _clean_target(phrase: str) -> str:
    phrase = re.sub(r"@r\d+@", " ", phrase)
    phrase = re.sub(r"^(?:out\s+)?(?:all\s+)?", "", phrase.strip(), flags=re.I)
    phrase = re.sub(r"\s+(?:in|from|of)\s+(?:the|this)\s+(?:image|picture|photo|scene)$", "", phrase, flags=re.I)
    phrase = re.sub(
        r"\s+(?:are there|is there|do you see|can you see|are in the (?:image|picture|photo)|in the (?:image|picture|photo))\s*\??$",
        "",
        phrase,
        flags=re.I,
    )
    phrase = re.sub(
        r"(?:\s+(?:are|is|were|was|there|here|exist|visible|present|shown|do you see|can you see|"
        r"can you find|you can see|i can see|do i have|are there|is there))+\s*\??$",
        "",
        phrase,
        flags=re.I,
    )
    phrase = re.sub(r"^(?:are|is|were|was)(?:\s+there)?\b\s*", "", phrase.strip(), flags=re.I)
    phrase = _THROUGHOUT.sub("", phrase.strip())
    phrase = re.sub(
        r"\s+(?:in (?:one|a single|a few|two|three) (?:sentences?|words?|lines?)|briefly|in detail|for me|please)$",
        "",
        phrase,
        flags=re.I,
    )
    return re.sub(r"\s+", " ", phrase).strip(" ,.?")


def _target(b: _Builder, phrase: str, last: dict[str, str]) -> tuple[str, str | None]:
    """Classify a target phrase: ('pronoun'|'whole'|'background'|'none'|'object', mask reference)."""
    cleaned = _clean_target(phrase)
    if m := _COMPLEMENT.match(re.sub(r"^(?:the\s+)?", "", phrase.strip(), flags=re.I)):
        return "complement", _segment(b, m.group(1), last)  # "everything except the person": outside its mask
    if not cleaned and not re.search(r"@r\d+@", phrase):
        return "none", b.mask
    if _PRONOUN.match(cleaned):
        if b.mask:
            return "pronoun", b.mask
        if b.mask_arg in last:
            return "pronoun", f"$last.{b.mask_arg}"
        return "pronoun", None
    if _WHOLE.match(cleaned):
        return "whole", None
    if _BACKGROUND.match(cleaned):
        return "background", b.mask
    return "object", _segment(b, phrase, last)


def _segment(b: _Builder, phrase: str, last: dict[str, str]) -> str:
    """Add a segment step for ``phrase`` and make its mask current."""
    from vitron_agent.tools.segment import parse_target

    region = next((b.regions[k] for k in re.findall(r"@r\d+@", phrase)), None)
    target = _clean_target(phrase) or "the main object"
    color, position, largest = parse_target(target)
    args: dict[str, Any] = {b.media_arg: b.image, "target": target}
    if color:
        args["color"] = color
    if position:
        args["position"] = position
    if largest:
        args["largest"] = True
    given = b.inputs.get("input", {})
    if b.video_mode:
        args.pop("largest", None)  # track has no "largest" argument; its target words carry it
    if region is not None:
        args[region["type"]] = {k: v for k, v in region.items()}
    elif not color and not position and not largest:
        for kind in ("box", "point") if b.video_mode else ("box", "point", "scribble"):
            if kind in given:
                args[kind] = f"$input.{kind}"
                break
        else:
            if "ground" in b.toolbox and not _FOREGROUND.search(target) and not b.video_mode:
                gid = b.add("ground", image=b.image, target=target)
                args["box"] = f"${gid}.box"
    sid = b.add(b.tool("segment"), **args)
    b.mask, b.box, b.last_output = f"${sid}.{b.mask_arg}", f"${sid}.box", b.mask_arg
    return b.mask


def _mask_or_foreground(b: _Builder, phrase: str, last: dict[str, str]) -> str:
    kind, mask = _target(b, phrase, last)
    if mask is None or kind == "whole":
        mask = _segment(b, "the main object", last)
    return mask


def _edit(b: _Builder, mask: str | None = None, **args: Any) -> None:
    sid = b.add(b.tool("edit"), **{b.media_arg: b.image, b.mask_arg: mask}, **args)
    b.image, b.last_output = f"${sid}.{b.media_arg}", b.media_arg


def _do_segment(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    kind, _ = _target(b, rest, last)
    if kind in ("pronoun", "none", "whole") and not re.search(r"@r\d+@", rest):
        _segment(b, "the main object", last)
    elif kind == "background":
        _segment(b, "the main object", last)
        b.notes.append("The mask is of the main object; the background is everything outside it.")


def _do_recolor(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    rest = re.sub(r"^(?:the\s+)?colou?r\s+of\s+", "", rest, flags=re.I)
    colors = list(_COLOR_RE.finditer(rest))
    dest = next((m for m in colors if re.search(r"\b(?:to|into|in|as)\s+$", rest[: m.start()], re.I)), colors[-1])
    phrase = re.sub(r"\s+(?:to|into|in|as)\s*$", "", rest[: dest.start()], flags=re.I).strip()
    phrase = re.sub(
        r"(?:\s+(?:a\s+(?:bit|little|lot)|much|slightly|very|far|even|way|more|less|somewhat|really|too))+\s*$",
        "",
        phrase,
        flags=re.I,
    ).strip()
    color = dest.group(1).lower()
    if shade := re.search(
        r"\b(dark|light|pale|deep|bright|vivid|pastel|soft)[ -]?$", rest[: dest.start()].strip() + " ", re.I
    ) or re.search(r"\b(dark|light|pale|deep|bright|vivid|pastel|soft)\s*$", rest[: dest.start()], re.I):
        color = f"{shade.group(1).lower()} {color}"  # "make the uniform dark green": dark green, not green
        phrase = re.sub(r"\s*\b(?:dark|light|pale|deep|bright|vivid|pastel|soft)\s*$", "", phrase, flags=re.I).strip()
    kind, mask = _target(b, phrase, last)
    if kind == "background" and color in ("white", "black", "gray", "grey"):
        _edit(b, operation="replace_background", mask=mask or _segment(b, "the main object", last), color=color)
        return
    if kind in ("background", "complement"):
        mask = mask or _segment(b, "the main object", last)
        _edit(b, operation="recolor", mask=mask, where="outside", color=color)
        return
    if mask is None:
        mask = _segment(b, "the main object", last)
    _edit(b, operation="recolor", mask=mask, color=color)


def _do_remove(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    kind, mask = _target(b, rest, last)
    if kind == "complement":  # "remove everything except the cat" = keep only the cat
        _edit(b, operation="keep_only", mask=mask)
        return
    _edit(
        b,
        operation="remove",
        mask=mask if mask is not None and kind != "whole" else _segment(b, "the main object", last),
    )


def _do_keep_only(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    kind, mask = _target(b, rest, last)
    if kind == "complement":  # "keep everything except the cat" = remove the cat
        _edit(b, operation="remove", mask=mask)
        return
    _edit(
        b,
        operation="keep_only",
        mask=mask if mask is not None and kind != "whole" else _segment(b, "the main object", last),
    )


def _do_blur(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    op = "pixelate" if re.match(r"^(?:pixelate|pixellate|mosaic|censor)\b", clause, re.I) else "blur"
    kind, mask = _target(b, rest, last)
    if kind == "whole" or (kind in ("none", "pronoun") and mask is None):
        _edit(b, operation=op)
    elif kind == "complement":
        _edit(b, operation=op, mask=mask, where="outside")
    else:
        _edit(b, operation=op, mask=mask)


_PUT_ON = re.compile(
    r"^(?:put|place|paste|set|show)\s+(?P<what>.+?)\s+(?:on|onto|against|in front of|over)\s+(?:a\s+|an\s+|the\s+)?",
    re.I,
)


def _do_background(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    low = rest.lower()
    colors = _COLOR_RE.findall(rest)
    color = colors[-1].lower() if colors else None
    put = _PUT_ON.match(rest)
    if (
        put
        and color
        and b.steps
        and b.steps[-1].args.get("operation") == "cutout"
        and _PRONOUN.match(_clean_target(put.group("what")) or "it")
    ):
        cut = b.steps.pop()  # "cut out X and put it on a white background": X kept on white, one step
        b.image = cut.args["image"]
        _edit(b, operation="keep_only", mask=cut.args["mask"], color=color)
        return
    behind = re.search(r"\b(?:background|backdrop)\s+(?:behind|around|of|surrounding)\s+(?P<what>.+)$", rest, re.I)
    if behind and re.match(
        r"^(?:the\s+)?(?:photo|picture|image|shot|it|this)$", behind.group("what").strip(" .?!"), re.I
    ):
        behind = None  # "the background of the photo" is the photo's background
    if put and not _PRONOUN.match(_clean_target(put.group("what")) or "it"):
        mask = _mask_or_foreground(b, put.group("what"), last)  # "put the cat on a blue background"
    elif behind:  # "erase the background behind the man": the man is what stays
        mask = _mask_or_foreground(b, behind.group("what"), last)
    else:
        mask = b.mask or ("$last.mask" if "mask" in last else None) or _segment(b, "the main object", last)
    if re.search(r"\bblur(?:red|ry)?\b", low):
        _edit(b, operation="blur_background", mask=mask)
    elif re.search(r"\btransparent\b", low) or re.match(r"^(?:remove|erase|delete|get rid of)\b", low) and not color:
        if b.video_mode:  # no transparency in a video here: the background becomes white
            _edit(b, operation="replace_background", mask=mask, color="white")
        else:  # "remove the background", as photo tools mean it: a transparent cut-out
            _edit(b, operation="cutout", mask=mask)
    elif re.match(r"^(?:remove|erase|delete)\b", low):
        _edit(b, operation="replace_background", mask=mask, color="white")
    elif re.search(r"\bdark(?:en|er)\b", low):
        _edit(b, operation="darken", mask=mask, where="outside")
    elif re.search(r"\b(?:brighten|brighter|lighten|lighter)\b", low):
        _edit(b, operation="brighten", mask=mask, where="outside")
    elif re.search(r"\b(?:gr[ae]y ?scale|black and white|monochrome)\b", low):
        _edit(b, operation="grayscale", mask=mask, where="outside")
    elif color and re.match(r"^(?:put|place|paste)\b", low):  # "cut out X and put it on a white background"
        _edit(b, operation="keep_only", mask=mask, color=color)
    elif color:  # "make / paint / turn / set / fill the background white": that colour, exactly
        _edit(b, operation="replace_background", mask=mask, color=color)
    elif re.match(r"^(?:replace|change|swap|remove)\b", low):
        _edit(b, operation="replace_background", mask=mask, color="white")
    else:
        b.notes.append(
            f"I did not understand what to do with the background in {_restore(clause, b.regions)!r}; "
            "say blur, darken, brighten, grayscale or a colour."
        )


def _adjust(op: str):
    def handler(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
        m = re.match(
            r"^(?:make|render|convert|turn|change|increase|boost|enhance|raise|decrease|reduce|lower|add|improve|brighten|lighten|darken|desaturate|contrast|gr[ae]y\s?scale)\s+(.*?)(?:\s+(?:brighter|lighter|darker|more contrasty|(?:to\s+|into\s+|in\s+)?(?:gr[ae]y\s?scale|black and white|black-and-white|monochrome)))?\s*$",
            rest,
            re.I,
        )  # the whole clause (as rewritten: "X should be darker" -> "make X darker")
        phrase = m.group(1) if m else ""
        phrase = re.sub(r"^(?:the\s+)?(?:brightness|contrast)\s*(?:of\s+)?", "", phrase, flags=re.I)
        phrase = re.sub(r"\s+", " ", _INTENSITY_WORDS.sub(" ", phrase)).strip()
        kind, mask = _target(b, phrase, last)
        extra = {} if op == "grayscale" or intensity(clause) == 0.5 else {"amount": intensity(clause)}
        if kind in ("background", "complement"):
            mask = mask or _segment(b, "the main object", last)
            _edit(b, operation=op, mask=mask, where="outside", **extra)
        elif kind in ("whole", "none") or mask is None:
            _edit(b, operation=op, **extra)
        else:
            _edit(b, operation=op, mask=mask, **extra)

    return handler


_STRONG = re.compile(
    r"\b(?:much|a lot|lots|very|really|way|far|strongly|heavily|significantly|considerably|a great deal)\b", re.I
)
_WEAK = re.compile(r"\b(?:a (?:little )?bit|a little|slightly|somewhat|a touch|subtly|gently|a tad|mildly)\b", re.I)
_TONE_WORDS = re.compile(
    r"\b(?:make|render|turn|give|add|increase|boost|raise|enhance|improve|reduce|decrease|lower|apply|"
    r"sharpen|sharper|crisper|less blurry|sharpness|warm(?:er|th)?(?: up)?|cool(?:er)?(?: down)?|colder|"
    r"(?:more|less)\s+(?:saturated|vivid|colou?rful|vibrant)|saturat(?:e|ion)|vibrance|vividness|"
    r"denoise|de-noise|(?:the\s+)?(?:noise|grain)|remove|clean up|mute|tone down|(?:the\s+)?colou?rs|"
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
    r"(?:unchanged|untouched|alone|the same|intact|as (?:it is|they are|is)|unedited|as it was)$"
    r"|^(?P<main2>.+?)\s+(?:without (?:touching|changing|affecting|editing))\s+(?P<kept2>.+)$",
    re.I,
)


def intensity(clause: str) -> float:
    """How strong an edit should be (0..1) from words: 'a bit' 0.2, 'much' 0.9, else 0.5."""
    return 0.9 if _STRONG.search(clause) else 0.2 if _WEAK.search(clause) else 0.5


def _tone(op: str):
    """Handler for whole-image-or-region adjustments named by a word (warmer, sharper ...)."""

    def handler(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
        phrase = re.sub(r"\s+", " ", _TONE_WORDS.sub(" ", clause)).strip(" ,.")
        phrase = re.sub(r"^(?:to|of|in|on|for)\s+", "", phrase, flags=re.I)
        phrase = re.sub(r"^(?:(?:the|a|an|its|of|to|in)\s*)+$", "", phrase, flags=re.I)
        kind, mask = _target(b, phrase, last)
        amount = intensity(clause)
        if kind in ("background", "complement"):
            _edit(b, operation=op, mask=mask or _segment(b, "the main object", last), where="outside", amount=amount)
        elif kind in ("whole", "none") or mask is None:
            _edit(b, operation=op, amount=amount)
        else:
            _edit(b, operation=op, mask=mask, amount=amount)

    return handler


def _geometry(b: _Builder, clause: str, **args: Any) -> None:
    if b.video_mode and args.get("operation") != "flip":
        b.notes.append(
            f"{_restore(clause, b.regions)!r}: {args['operation']} works on images; take a frame first. Skipped."
        )
        return
    sid = b.add(b.tool("edit"), **{b.media_arg: b.image}, **args)
    b.image, b.last_output = f"${sid}.{b.media_arg}", b.media_arg
    if args["operation"] != "flip" or not b.video_mode:
        b.mask = None  # the picture moved: earlier masks do not fit it


def _do_flip(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    vertical = re.search(r"\b(?:vertical(?:ly)?|upside[- ]down|top to bottom|up and down|up-down|over)\b", clause, re.I)
    _geometry(b, clause, operation="flip", direction="vertical" if vertical else "horizontal")


def _do_rotate(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    low = clause.lower()
    m = re.search(r"(-?\d+(?:\.\d+)?)\s*(?:degrees?|deg|°)?", low)
    angle = float(m.group(1)) if m else 180.0 if re.search(r"upside[- ]down|half (?:a )?turn", low) else 90.0
    if re.search(r"\b(?:counter-?clockwise|anti-?clockwise|to the left|left)\b", low):
        angle = -abs(angle)
    _geometry(b, clause, operation="rotate", angle=angle)


def _do_resize(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    low = clause.lower()
    args: dict[str, Any] = {"operation": "resize"}
    if m := re.search(r"(\d+)\s*(?:x|×|by)\s*(\d+)\s*(?:px|pixels?)?\b", low):
        args["width"], args["height"] = int(m.group(1)), int(m.group(2))
    elif m := re.search(r"(\d+)\s*(?:px|pixels?)?\s*(?:wide|in width|width)\b|\bwidth\s+(?:of\s+|to\s+)?(\d+)", low):
        args["width"] = int(m.group(1) or m.group(2))
    elif m := re.search(
        r"(\d+)\s*(?:px|pixels?)?\s*(?:tall|high|in height|height)\b|\bheight\s+(?:of\s+|to\s+)?(\d+)", low
    ):
        args["height"] = int(m.group(1) or m.group(2))
    elif m := re.search(r"(\d+(?:\.\d+)?)\s*%", low):
        args["scale"] = float(m.group(1)) / 100
    elif m := re.search(r"(\d+(?:\.\d+)?)\s*(?:x|times)\b|\bfactor of\s+(\d+(?:\.\d+)?)", low):
        args["scale"] = float(m.group(1) or m.group(2))
    elif re.search(r"\b(?:half|halve|50 ?percent)\b", low):
        args["scale"] = 0.5
    elif re.search(r"\b(?:quarter)\b", low):
        args["scale"] = 0.25
    elif re.search(r"\bthird\b", low):
        args["scale"] = 1 / 3
    elif re.search(r"\b(?:double|twice)\b", low):
        args["scale"] = 2.0
    elif re.search(r"\b(?:smaller|shrink|downscale|downsize)\b", low):
        args["scale"] = 0.5
        b.notes.append("No size was given: I halved it (say '50%', 'half size' or '800 pixels wide').")
    elif re.search(r"\b(?:bigger|larger|enlarge|upscale)\b", low):
        args["scale"] = 2.0
        b.notes.append("No size was given: I doubled it (say '200%', 'twice the size' or '1600 pixels wide').")
    else:
        b.notes.append(
            f"{_restore(clause, b.regions)!r}: say the size ('half size', '50%', '800 pixels wide', "
            "'1024x768'). Skipped."
        )
        return
    if "scale" in args and not 0 < args["scale"] <= 8:
        b.notes.append(
            f"{_restore(clause, b.regions)!r}: a scale of {args['scale']:g} is out of range (0 to 8). Skipped."
        )
        return
    _geometry(b, clause, **args)


def _do_cutout(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    """ "cut out the cat", "make a transparent png of the cat": an RGBA cut-out (a video: its track)."""
    rest = re.sub(r"\s+out\s*$", "", rest, flags=re.I)  # "cut the cat out"
    rest = re.sub(
        r"\s+(?:as|into|to)\s+(?:a\s+|an\s+)?(?:transparent\s+)?(?:png|cut-?out|sticker|layer|image|file)\b.*$",
        "",
        rest,
        flags=re.I,
    )
    rest = re.sub(r"\s+(?:with|on)\s+(?:a\s+)?transparent\s+(?:background|backdrop)\s*$", "", rest, flags=re.I)
    if b.video_mode:
        _do_segment(b, rest, clause, last)
        b.notes.append(
            "A video has no transparency here: I tracked it; say 'keep only ...' or 'make the background "
            "white' to edit its frames."
        )
        return
    kind, mask = _target(b, rest, last)
    if kind == "complement":
        _edit(b, operation="cutout", mask=mask, where="outside")
        return
    _edit(
        b,
        operation="cutout",
        mask=mask if mask is not None and kind != "whole" else _segment(b, "the main object", last),
    )


def _do_composite(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    """ "put it on this picture": the previous turn's cut-out (or a target segmented in the previous
    turn's picture) laid over this turn's picture."""
    m = _PASTE.match(clause)
    what = _clean_target(m.group("what")) if m else "it"
    if "image" not in last or b.video_mode:
        b.answer = (
            "There is no earlier picture to take it from: first cut the object out ('cut out the cat'), then "
            "send the picture to put it on with 'put it on this picture'."
        )
        return
    if _PRONOUN.match(what) or re.match(r"^(?:the\s+)?cut-?out$", what, re.I) or not what:
        b.add("edit", image="$last.image", operation="composite", background=b.image)
    else:  # "put the cat from the last picture on this one"
        what = re.sub(
            r"\s+(?:from|in|of)\s+(?:the\s+)?(?:last|previous|other|first|earlier)\s+(?:picture|photo|image|one)\b.*$",
            "",
            what,
            flags=re.I,
        )
        sid = b.add("segment", image="$last.image", target=what)
        b.add("edit", image="$last.image", mask=f"${sid}.mask", operation="composite", background=b.image)
    b.image, b.mask, b.last_output = f"${b.steps[-1].id}.image", None, "image"


_PASTE = re.compile(
    r"^(?:put|place|paste|insert|add|drop|move)\s+(?P<what>.+?)\s+(?:on|onto|into|in|over|to)\s+(?:to\s+)?"
    r"(?:this|the\s+new|the\s+other|the\s+second|my|that|the\s+current)\s+(?:new\s+)?"
    r"(?:picture|photo|image|scene|background|one|shot)\b",
    re.I,
)


def _do_outline(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    colors = list(_COLOR_RE.finditer(rest))
    dest = next((m for m in colors if re.search(r"\b(?:in|with|using)\s+$", rest[: m.start()], re.I)), None)
    color = dest.group(1).lower() if dest else "red"
    phrase = rest[: dest.start()] if dest else rest
    phrase = re.sub(r"\s+(?:in|with|using)\s*$", "", phrase.strip(), flags=re.I)
    kind, mask = _target(b, phrase, last)
    if mask is None or kind == "whole":
        mask = _segment(b, "the main object", last)
    _edit(b, operation="outline", mask=mask, color=color)


def _do_describe(b: _Builder, rest: str, clause: str, last: dict[str, str], question: str | None = None) -> None:
    kind, mask = _target(b, rest, last)
    if kind == "whole":
        mask = None
    b.add(b.tool("describe"), **{b.media_arg: b.image, b.mask_arg: mask}, question=question)
    b.last_output = "text"


def _do_question(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    m = re.match(
        r"^(?:what|which)\s+colou?r\s+(?:is|are)\s+(.*)$|^(?:where|how big|how large|how bright|how dark)\s+(?:is|are)\s+(.*)$"
        r"|^(?:what|which)\s+colou?rs?\s+(.+?)\s+(?:is|are|has|have)\s*\??$"
        r"|^where\s+(.+?)\s+(?:is|are)\s*\??$|^where's\s+(.+?)\s*\??$"
        rf"|^(?:is|are)\s+(.+?)\s+(?:{'|'.join(_COLOR_WORDS)})\s+or\s+(?:{'|'.join(_COLOR_WORDS)})\s*\??$"
        rf"|^(?:is|are)\s+(.+?)\s+(?:colou?red\s+|mostly\s+|all\s+)?(?:{'|'.join(_COLOR_WORDS)})\s*\??$"
        r"|^what\s+(?:is|are)\s+(?:in\s+)?(.*)$|^what's\s+(?:in\s+)?(.*)$",
        rest,
        re.I,
    )
    phrase = next((g for g in (m.groups() if m else ()) if g), "it" if (b.mask or b.last_output) else "the image")
    _do_describe(b, phrase, clause, last, question=_restore(rest, b.regions) + ("" if rest.endswith("?") else "?"))


def _do_crop(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if b.video_mode:
        b.notes.append(f"{_restore(clause, b.regions)!r}: crop works on images; take a frame first. Skipped.")
        return
    low = rest.lower()
    aspect = None
    if m := re.search(r"\b(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\b", low):
        aspect = f"{m.group(1)}:{m.group(2)}"
    elif re.search(r"\bsquare\b", low):
        aspect = "1:1"
    phrase = re.sub(
        r"\b(?:an?\s+)?(?:square|\d+(?:\.\d+)?\s*[:x/]\s*\d+(?:\.\d+)?)(?:\s+(?:aspect(?:\s+ratio)?|ratio|format|shape))?\b",
        " ",
        rest,
        flags=re.I,
    )
    phrase = re.sub(r"^\s*(?:to|around|on|at)\s+", "", phrase.strip(), flags=re.I)
    inline = next((b.regions[k] for k in re.findall(r"@r\d+@", phrase) if b.regions[k]["type"] == "box"), None)
    args: dict[str, Any] = {"operation": "crop", "aspect": aspect}
    if inline is not None:
        args["box"] = dict(inline)
    elif "box" in b.inputs.get("input", {}) and not _clean_target(phrase):
        args["box"] = "$input.box"
    elif _clean_target(phrase):
        kind, mask = _target(b, phrase, last)
        if kind not in ("whole", "none") and mask is not None:
            args["mask"] = mask
    elif aspect is None and b.mask:
        args["mask"] = b.mask
    if len(args) == 2 and aspect is None:
        args["mask"] = _segment(b, "the main object", last)
    sid = b.add("edit", image=b.image, **args)
    b.image, b.mask, b.last_output = f"${sid}.image", None, "image"  # a new, smaller picture: old masks do not fit it


def _do_read(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if "read_text" not in b.toolbox:
        b.notes.append(
            "Reading text is not configured: [tools.read_text] needs the embedded OCR weights "
            f"(make install); I skipped {_restore(clause, b.regions)!r}."
        )
        return
    image = b.image
    if b.video_mode:
        image = f"${b.add('frame', video=b.image, position='middle')}.image"
        b.notes.append("Reading text works on images: I read the middle frame of the video.")
    phrase = _clean_target(rest)
    inline = next((b.regions[k] for k in re.findall(r"@r\d+@", rest) if b.regions[k]["type"] == "box"), None)
    box = {k: v for k, v in inline.items()} if inline else "$input.box" if "box" in b.inputs.get("input", {}) else None
    mask = b.mask if box is None and _PRONOUN.match(phrase or "it") and b.mask and not b.video_mode else None
    b.add("read_text", image=image, mask=mask, box=box)
    b.last_output = "text"


_ALL_OBJECTS = re.compile(
    r"^(?:(?:all|every|each|any)\s+)?(?:the\s+)?(?:(?:different|visible|main)\s+)?(?:objects?|things?|items?|"
    r"everything|it|them|(?:the\s+)?(?:image|picture|photo|scene))?(?:\s+(?:are there|there are|"
    r"you see|in it|and label them|with labels|with boxes))*$",
    re.I,
)


def _do_detect(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    """Labelled boxes for what ``rest`` names (every object when it names none)."""
    if "detect" not in b.toolbox or b.video_mode:
        _do_segment(b, rest, clause, last)
        return
    target = _clean_target(re.sub(r"\s+(?:and\s+)?(?:label|box|outline)\s+(?:them|it)$", "", rest, flags=re.I))
    if _PRONOUN.match(target or "it") and b.steps:  # "find the cars and label them"
        prev = b.steps[-1]
        if prev.tool == "detect":
            return  # already labelled
        if prev.tool == "segment" and prev.args.get("target"):
            target = str(prev.args["target"])
    b.add("detect", image=b.image, target=None if _ALL_OBJECTS.match(target) else target)
    b.last_output = "text"


def _do_count(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    target = _clean_target(rest) or "objects"
    color = next((c.lower() for c in _COLOR_RE.findall(target)), None)
    image = b.image
    if b.video_mode and re.match(r"^(?:the\s+)?(?:frames?|images?|pictures?)\b", target, re.I):
        b.add("describe_video", video=b.image, question="how many frames are there?")
        b.last_output = "text"
        return
    if b.video_mode:
        image = f"${b.add('frame', video=b.image, position='middle')}.image"
        b.notes.append("Counting works on images: I counted on the middle frame of the video.")
    b.add("count", image=image, target=target, color=color)
    b.last_output = "text"


NEEDS_DIFFUSERS = (
    '{what} needs a generative editor: set [tools.edit] backend = "diffusers" with checkpoint '
    "(inpainting) / instruct_checkpoint (InstructPix2Pix) in vitron.toml; I skipped {clause!r}."
)


def _do_replace(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    m = re.match(
        r"^(?:replace|swap|substitute|turn|change|transform|convert)\s+(.*?)\s+(?:with|for|by|into)\s+(.+)$",
        clause,
        re.I,
    )
    if not m or not b.toolbox.supports(b.tool("edit"), "inpaint"):
        b.notes.append(
            NEEDS_DIFFUSERS.format(what="Replacing a region with new content", clause=_restore(clause, b.regions))
        )
        return
    mask = _mask_or_foreground(b, m.group(1), last)
    _edit(b, operation="inpaint", mask=mask, prompt=_restore(m.group(2), b.regions))


def _do_restyle(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if not b.toolbox.supports(b.tool("edit"), "instruct"):
        b.notes.append(NEEDS_DIFFUSERS.format(what="Instruction editing", clause=_restore(clause, b.regions)))
        return
    _edit(b, operation="instruct", prompt=_restore(clause, b.regions))


def _do_animate(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if b.video_mode:
        b.notes.append(
            f"{_restore(clause, b.regions)!r} asks to animate an image, but this is already a video; skipped."
        )
        return
    if "animate" not in b.toolbox:
        b.notes.append("Animating an image is not configured: set [tools.animate] backend in vitron.toml.")
        return
    rest = re.sub(r"^(?:it|this|that|the (?:image|picture|photo|result))\b\s*", "", rest, flags=re.I)
    prompt = _restore(re.sub(r"^(?:so that|so|with|where|as if|like)\s+", "", rest, flags=re.I), b.regions) or None
    sid = b.add("animate", image=b.image, prompt=prompt)
    b.image, b.mask, b.last_output, b.video_mode = f"${sid}.video", None, "video", True


def _do_frame(b: _Builder, rest: str, clause: str, last: dict[str, str]) -> None:
    if not b.video_mode:
        b.notes.append(f"{_restore(clause, b.regions)!r} needs a video; skipped.")
        return
    low = clause.lower()
    args: dict[str, Any] = {"video": b.image}
    if m := re.search(r"frame\s+(\d+)", low):
        args["index"] = int(m.group(1))
    elif m := re.search(r"frame at\s+(\d+(?:\.\d+)?)\s*(?:s|sec|seconds?)?\b", low):
        args["time"] = float(m.group(1))
    else:
        args["position"] = (
            "middle" if "middle" in low else "last" if re.search(r"\b(?:last|final|closing)\b", low) else "first"
        )
    sid = b.add("frame", **args)
    b.image, b.mask, b.last_output, b.video_mode = f"${sid}.image", None, "image", False


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
