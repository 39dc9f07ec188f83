"""The built-in intents, as records of the one intent table (``vitron_agent.toolkit.intents``): which
phrasings mean which action (rules: patterns at the start of a clause; the matcher: the records'
example utterances), clause splitting and parsing, and the help text derived from the table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vitron_agent.planners.rule.compiled_patterns import compile_patterns
from vitron_agent.planners.rule.intent_examples import EXAMPLES, SLOTS_OF
from vitron_agent.planners.rule.lexicon import (
    _COLOR_RE,
    _COMPLEMENT,
    _FILLER,
    _STRONG_SPLIT,
    _TELL_ME,
    _WEAK_SPLIT,
    MAX_REQUEST_CHARS,
    NO_GENERATOR,
    NO_VIDEO_GENERATOR,
    _fix_verb,
    _restore,
    bounded,
)
from vitron_agent.planners.rule.picture_steps import (
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
from vitron_agent.planners.rule.step_builders import (
    _adjust,
    _do_background,
    _do_blur,
    _do_keep_only,
    _do_recolor,
    _do_remove,
    _do_segment,
    _do_track,
    _tone,
)
from vitron_agent.toolkit import slots
from vitron_agent.toolkit.intents import Intent, register_intent, registered_intents, table_version

# "..., rest stays", "and leave the rest alone", "keep everything else in colour": said of an edit of a named
# thing, which leaves the rest as it is anyway (kept in the clause, it became part of the target)
_LEAVE_BODY = (
    r"(?:(?:keep|leave)\s+(?:the\s+rest|everything\s+else|all\s+else|the\s+others?)"
    r"(?:\s+(?:as\s+it\s+is|as\s+is|alone|unchanged|untouched|the\s+same|in\s+colou?r|intact|as\s+it\s+was))?"
    r"|(?:the\s+)?rest\s+(?:stays?|remains?|unchanged|untouched|as\s+is)(?:\s+(?:the\s+same|in\s+colou?r|as\s+it\s+is|"
    r"unchanged|as\s+is))?|(?:don'?t|do\s+not)\s+touch\s+(?:the\s+rest|anything\s+else))\s*[.!]*"
)
_LEAVE_REST = re.compile(r"^(?:but\s+|and\s+)?" + _LEAVE_BODY + "$", re.I)
_LEAVE_REST_TAIL = re.compile(r"(?:\s*,\s*|\s+)(?:and\s+|but\s+)?" + _LEAVE_BODY + "$", re.I)
_WHOLE_EDIT = re.compile(r"^\s*\w+\s+(?:it|this|that|the\s+(?:picture|image|photo|whole))\b", re.I)


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
            if _BARE_MORE.match(head) and (
                re.match(r"^(?:make|render|get)\s+(?:it|this|that|them)\b", current, re.I)
                or _WHOLE_EDIT.match(current)
                or _MORE_OF.match(current)  # "slightly more contrast and a bit brighter": the second was dropped
            ):
                out.append(current)  # "make it warmer and a bit brighter": a second edit of the same thing
                current = f"make it {head}"
                continue
            if (rest := _the_rest_more(head, current) or _and_the_other_edit(head, current)) is not None:
                out.append(current)  # "make the bike brighter and the rest darker": the rest is a second edit
                current = rest
                continue
            if re.search(r"\bthe\s+first\s*$", current, re.I) and re.match(r"(?:the\s+)?last\b", head, re.I):
                current = f"{current} and {head}"  # "cut the first and last second": one span at each end
                continue
            if _LEAVE_REST.match(head) and not _WHOLE_EDIT.match(current):
                continue  # "make the owl black and white, rest stays": an edit of a named thing leaves the rest
            head = _SAYS_WHICH.sub("", head)  # "remove the intro, it's the first 3 seconds": the span says which part
            if _RIDER.match(head) or (_KEEP_IT.match(head) and slots.time_range(current) is not None):
                # "remove the beginning, the first 1.5 seconds": the span says which beginning; "trim the
                # first 3 seconds and keep the rest": the rest is what a cut keeps; "… and when?": of the same thing
                between = re.search(r"\bbetween\s+\S+\s*$", current, re.I)  # "between 4 and 7 seconds": keep the "and"
                current = f"{current} and {head}" if between else f"{current} {head}"
                continue
            fixed = _fix_verb(head)
            if _starts_intent(head) or (fixed is not None and _starts_intent(fixed[0])) or _matcher_starts(head):
                out.append(current)
                current = piece
            else:
                joiner = " and " if not current.endswith(",") else " "
                current = f"{current}{joiner}{piece}"
        out.append(current)
    out = [_DANGLING.sub("", c.strip(" ,.!?")) for c in out]  # "crop it and after that …": no "and" left over
    out = [c if _WHOLE_EDIT.match(c) else _LEAVE_REST_TAIL.sub("", c) for c in out]
    return [_except_more(c) for c in out if c]


_SAYS_WHICH = re.compile(
    r"^(?:it'?s|its|that'?s|thats|which is|which are|they'?re|i\.?e\.?|namely)\s+(?=(?:just\s+|only\s+|about\s+|around\s+|"
    r"roughly\s+)?(?:the\s+)?(?:first|last|opening|final|closing|initial|\d))",
    re.I,
)


def _except_more(clause: str) -> str:
    """'make everything except the cat warmer' -> 'make everything but the cat warmer' (the comparative is
    the edit, not part of the kept thing's name: it read 'the cat warmer' as the target)."""
    m = _EXCEPT_MORE.match(clause)
    if m and any(
        _BARE_MORE.match(" ".join(m.group(2).split()[-k:])) for k in (1, 2, 3, 4) if len(m.group(2).split()) > k
    ):
        return f"{m.group(1)} but {m.group(2)}"
    return clause


# a piece after a comma or "and" that belongs to the clause before it, not a clause of its own: a bare time
# span (an apposition naming the part), "keep the rest" after a cut, a question word alone ("… and when?")
_RIDER = re.compile(
    r"^(?:(?:just|only)\s+)?(?:the\s+)?(?:(?:first|last|opening|final|closing|initial)\s+\S+(?:\s+\S+)?\s+"
    r"(?:s|secs?|seconds?|mins?|minutes?)|\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)?\s*(?:to|-|through|until)\s*"
    r"\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)|\d+:\d\d\s*(?:-|to)\s*\d+:\d\d)(?:\s+(?:of it|only|please))?\s*$"
    r"|^(?:and\s+)?(?:keep|leave)\s+(?:the rest|everything else|what(?:'s| is) left)\s*$"
    r"|^(?:about\s+|like\s+|around\s+)?\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\s*(?:long|or so)?\s*$"
    r"|^(?:and\s+)?(?:when|where|for how long|how long|how many)\s*\??\s*$"
    # a bare factor after a speed or loop ("timelapse it, 4x"; "loop it, 3 times"): how much, not a second edit
    r"|^(?:at\s+|by\s+)?(?:x\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*(?:x|times)(?:\s+(?:speed|faster|slower|over))?)\s*$",
    re.I,
)
# "cut out the bit from 0:05 to 0:10 and keep it": after a span, "keep it" says the span is kept, not cut away
_KEEP_IT = re.compile(r"^(?:keep|save)\s+(?:it|that|this|them|that (?:part|bit|section))(?:\s+only)?\s*$", re.I)
_DANGLING = re.compile(r"(?:\s*,)?\s+(?:and|but|or)\s*$", re.I)


# a comparative alone after "and" ("… and a bit brighter", "and less saturated"): an edit of its own
_MORE = (
    r"(?:(?:a\s+)?(?:bit|little|lot|touch|tad|much|slightly|way|far|somewhat|even)\s+)*(?:"
    r"brighter|darker|sharper|warmer|cooler|colder|lighter|smaller|bigger|larger|crisper|"
    # a colour's comparative ("make it greener and bluer": the second change had been dropped)
    r"greener|bluer|redder|yellower|pinker|oranger|purpler|browner|gr[ae]yer|"
    r"(?:more|less)\s+(?:saturated|vivid|colou?rful|vibrant|contrast(?:y|ed)?|green|blue|red|yellow|pink|orange|purple))"
)
_BARE_MORE = re.compile(rf"^{_MORE}\s*$", re.I)
# a change said as more or less of a quality of the whole picture ("slightly more contrast", "a lot less saturation")
_MORE_OF = re.compile(
    r"^(?:(?:please|just)\s+)?(?:(?:a\s+)?(?:bit|little|lot|touch|tad|much|slightly|way|far|somewhat|even)\s+)*(?:more|less)\s+"
    r"(?:contrast|saturation|brightness|exposure|warmth|sharpness|detail|colou?rs?|vibrance|light)\s*$",
    re.I,
)


# "… and the rest darker", "… and the background a bit darker": what is around the thing, with a comparative
_REST_MORE = re.compile(
    r"^(?:the rest(?: of (?:it|the (?:image|picture|photo|scene)))?|everything else|all else|the background|"
    r"the backdrop|the surroundings)\s+(?P<more>.+)$",
    re.I,
)


def _the_rest_more(piece: str, current: str) -> str | None:
    """'make everything except the bike darker' for the piece 'the rest darker' after 'make the bike
    brighter' (a comparative edit of a named thing); None otherwise."""
    m = _REST_MORE.match(piece)
    said = re.match(r"^(?:make|render|turn|get)\s+(.+)$", current.strip(), re.I)
    if not (m and _BARE_MORE.match(m.group("more")) and said):
        return None
    words = said.group(1).split()
    for k in (1, 2, 3, 4):  # the comparative at the end of "make the bike (a bit) brighter"
        if len(words) > k and _BARE_MORE.match(" ".join(words[-k:])):
            thing = " ".join(words[:-k])
            if thing.lower() in ("it", "this", "that", "them", "the picture", "the image", "the photo"):
                return None
            return f"make everything but it {m.group('more')}"  # "it": the selection made, not found again
    return None


def _and_the_other_colour(piece: str, current: str) -> str | None:
    """'make the bench blue' for the piece 'the bench blue' after 'make the motorbike red' (a colour
    said for each of two things; it read 'the motorbike red and the bench' as one target); None
    otherwise."""
    from vitron_agent.planners.rule.lexicon import _COLOR_WORDS

    colours = "|".join(sorted((re.escape(c) for c in _COLOR_WORDS), key=len, reverse=True))
    thing = rf"(?:the|a|an|his|her|its|their|this|that|my)\s+[a-z' -]+?\s+(?:{colours})"
    if re.fullmatch(thing, piece.strip(), re.I) and re.fullmatch(
        rf"(?:make|paint|turn|colou?r|dye)\s+{thing}", current.strip(), re.I
    ):
        return f"make {piece.strip()}"
    return None


def _and_the_other_edit(piece: str, current: str) -> str | None:
    """'make the sky brighter' for the piece 'the sky brighter' after 'make the sea darker': two things,
    each with its own change, under one verb (the change said last, a colour, a comparative or a look);
    it read 'the sea darker and the sky brighter' as one target and one edit, the sky dropped unsaid
    (newcomer, session 12). None otherwise."""
    if (out := _and_the_other_colour(piece, current)) is not None:
        return out
    from vitron_agent.planners.rule.lexicon import _COLOR_WORDS

    colours = "|".join(sorted((re.escape(c) for c in _COLOR_WORDS), key=len, reverse=True))
    change = (
        rf"(?:{_MORE}|(?:{colours})|black\s+and\s+white|b\s*&\s*w|gr[ae]y\s?scale|monochrome|blurr?y|blurred|"
        r"out\s+of\s+focus|sharp|in\s+focus|transparent|invisible|sepia|(?:more|less)\s+[a-z]+)"
    )
    thing = r"(?:the|a|an|his|her|its|their|this|that|these|those|my)\s+[a-z' -]+?"
    if re.fullmatch(rf"{thing}\s+{change}", piece.strip(), re.I) and re.fullmatch(
        rf"(?:make|render|turn|get|paint|colou?r)\s+{thing}\s+{change}", current.strip(), re.I
    ):
        return f"make {piece.strip()}"
    return None


# "make everything except the cat warmer": read as "… but the cat warmer" (the comparative is the edit,
# not part of the kept thing's name)
_EXCEPT_MORE = re.compile(
    r"^((?:make|render|turn|get)\s+(?:everything|all|the rest))\s+(?:except(?:\s+for)?|other than|apart from|besides|"
    r"save)\s+(.+)$",
    re.I,
)


def _intent(clause: str, video: bool | None = None) -> tuple[str | None, str]:
    """(intent name, what the handler gets) for a clause: the words after the verb, or the
    whole clause for intents that read it whole."""
    clause = _TELL_ME.sub("", clause)
    clause = _MANNER.sub("", clause) or clause  # "describe the video shot by shot": how, not what
    if _WHATS_LEFT.match(clause):  # "(tell me) what's left": the picture as it is now, described
        clause = "describe the picture"
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
        r"^(?!(?:is|are|what|which|where|how|who|does|do)\b)(.+?)\s+(?:should|must|needs? to|has to|have to)\s+(?:be(?:come)?|look|get)\s+(.+)$",
        r"make \1 \2",
        clause,
        flags=re.I,
    )  # "the background should be white"
    if video and re.match(r"^trace\b(?!.*\b(?:outlines?|contours?|edges?|borders?|a?round|lines?)\b)", clause, re.I):
        clause = "track" + clause[5:]  # on a clip, "trace the bird (across the video)" follows it; an outline says so
    wrong = None if video is None else ("image" if video else "video")
    for intent, pattern in _rules():
        # a tool module's record for the other medium is skipped; the built-in handlers explain themselves
        m = pattern.match(clause) if intent.order >= 100 or intent.media != wrong else None
        if m:
            if intent.whole:
                return intent.name, clause
            if intent.needs_colour and not _COLOR_RE.search(clause[m.end() :]):
                continue
            return intent.name, clause[m.end() :].strip()
    return None, clause


_MANNER = re.compile(
    r"\s+(?:shot by shot|scene by scene|step by step|moment by moment|in (?:great |more |full )?detail|briefly|"
    r"in (?:a few|a couple of|simple|plain) words|in (?:one|a) (?:sentence|line)|for me)\s*\??$",
    re.I,
)
_WHATS_LEFT = re.compile(
    r"^(?:(?:tell|show) me\s+|describe\s+)?what(?:(?:'s|\s+is)\s+(?:still\s+)?(?:left|remaining)(?:\s+over)?|\s+remains)"
    r"(?:\s+(?:now|afterwards|after that|in the (?:picture|image|photo)))?\s*\??$",
    re.I,
)
_CACHE: dict[str, Any] = {}


def _rules() -> list[tuple[Intent, re.Pattern[str]]]:
    """(record, compiled pattern) for every pattern of the table, in rule order (tool modules'
    intents first, then the built-in table); rebuilt when the table changes."""
    if _CACHE.get("version") != table_version():
        records = [(i, p) for i in registered_intents() for p in i.patterns]
        *compiled, start = compile_patterns([(p, re.I) for _, p in records] + [("|".join(p for _, p in records), re.I)])
        _CACHE.update(
            version=table_version(), rules=[(i, c) for (i, _), c in zip(records, compiled, strict=True)], start=start
        )
    return _CACHE["rules"]


def _starts_intent(head: str) -> bool:
    """Whether some rule of the table matches the start of ``head`` (a new clause after "and")."""
    _rules()
    return bool(_CACHE["start"].match(head))


SPLIT_SURE = 0.6  # "… and give it a cooler tone": the matcher this sure of an imperative piece starts a clause


def _matcher_starts(head: str) -> bool:
    """Whether ``head`` (the words after "and") is an imperative the matcher reads as an intent with
    at least SPLIT_SURE: its first word opens some record's examples, and the reading is clear."""
    from vitron_agent.planners.rule.intent_matcher import leading_verbs
    from vitron_agent.planners.rule.word_knowledge import match

    first = head.split(" ", 1)[0].lower()
    if first not in leading_verbs() or first in ("the", "a", "an"):
        return False
    verdict = match(head)
    return verdict.intent is not None and bool(verdict.scores) and verdict.scores[0][0] >= SPLIT_SURE


def intent_named(name: str) -> Intent:
    return next(i for i in registered_intents() if i.name == name)


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


def parse_clause(text: str, video: bool | None = None) -> Clause:
    """``text``'s reading by the rules; ``video`` (the current picture is a video; None: unknown)
    leaves out the records made for the other medium."""
    text = bounded(text)[:MAX_REQUEST_CHARS]
    intent, rest = _intent(text, video)
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


# something added to the picture the user sent ("add falling snow", "put some fog in"): an edit of it, not a new
# picture or clip (it made a video of falling snow, said done, the picture ignored)
_ADDED_TO_IT = re.compile(
    r"^(?:add|put|place|insert|sprinkle|throw|drop)\s+(?:in\s+)?(?!(?:an?\s+)?(?:new\s+)?(?:video|clip|animation|movie|"
    r"gif|picture|image|photo|drawing|painting)\b)",
    re.I,
)


def _added_to_it(b: Any, rest: str, clause: str, last: dict[str, str]) -> bool:
    """Whether ``clause`` adds something to the picture at hand; if so it is planned as an edit of that picture."""
    if b.image is None or b.video_mode or not _ADDED_TO_IT.match(clause.strip()):
        return False
    _do_restyle(b, rest, clause, last)
    return True


# "make the dress a lighter pink", "a darker green": a shade of a colour, which the recolour reads
_NOT_A_SHADE = r"(?!\s+(?:shade\s+of\s+)?(?:" + _COLOR_RE.pattern[3:-3] + r")\b)"


def _do_generate(b: Any, rest: str, clause: str, last: dict[str, str]) -> None:
    """A new picture from words: it becomes "it"; the previous turn's mask no longer applies."""
    if _added_to_it(b, rest, clause, last):
        return
    if "generate" not in b.toolbox:
        b.answer = NO_GENERATOR
        return
    prompt = re.sub(r"^(?:me|us)\s+", "", _restore(rest, b.regions).strip(), flags=re.I)  # "draw me an owl"
    sid = b.add("generate", prompt=prompt or clause)
    b.image, b.mask, b.last_output, b.video_mode, b.fresh = f"${sid}.image", None, "image", False, True


def _do_generate_video(b: Any, rest: str, clause: str, last: dict[str, str]) -> None:
    if _added_to_it(b, rest, clause, last):
        return
    if "generate_video" not in b.toolbox:
        b.answer = NO_VIDEO_GENERATOR
        return
    sid = b.add("generate_video", prompt=_restore(rest, b.regions).strip() or clause)
    b.image, b.mask, b.last_output, b.video_mode, b.fresh = f"${sid}.video", None, "video", True, True


def _rotate_or_half_turn(b: Any, rest: str, clause: str, last: dict[str, str]) -> None:
    """A rotation; on a clip a half turn ("turn the clip upside down", "rotate the video 180 degrees") is
    both flips, the same frames exactly (the video edit has flips but no rotation)."""
    if b.video_mode and re.search(r"upside[- ]down|\b180\b|half (?:a )?turn|one hundred (?:and )?eighty", clause, re.I):
        for direction in ("vertical", "horizontal"):
            sid = b.add("edit_video", video=b.image, operation="flip", direction=direction)
            b.image, b.last_output = f"${sid}.video", "video"
        b.notes.append("I turned the clip upside down by flipping it both ways (the same frames as a half turn).")
        return
    _do_rotate(b, rest, clause, last)


def _legacy(fn: Any) -> Any:
    """A built-in step builder ``fn(builder, rest, clause, last)`` as a record's handler."""

    def handler(call: Any) -> None:
        fn(call.builder, call.rest, call.clause, call.last)

    handler.__name__ = getattr(fn, "__name__", "handler")
    handler.__doc__ = getattr(fn, "__doc__", None)
    return handler


_MEDIA = {
    "generate": "none",
    "generate_video": "none",
    "frame": "video",
    "animate": "image",
    "crop": "image",
    "composite": "image",
}


def _builtin(
    name: str, patterns: tuple[str, ...], fn: Any, help: str = "", whole: bool = False, needs_colour: bool = False
) -> Intent:
    return Intent(
        name,
        patterns,
        help=help,
        handler=_legacy(fn) if fn is not None else None,
        examples=EXAMPLES.get(name, ()),
        slots=SLOTS_OF.get(name, ("target",)),
        media=_MEDIA.get(name, "any"),
        whole=whole,
        needs_colour=needs_colour,
    )


# The table: order matters (the first pattern that matches a clause wins).
INTENTS: tuple[Intent, ...] = (
    _builtin(
        "detect",
        (
            r"^(?:detect|label|tag|annotate|list)\b\s*(?:and\s+label\s+)?|^(?:draw|put|add)\s+(?:bounding\s+)?boxes\s+(?:around|on|over)\s*"
            r"|^(?:box)\s+|^(?:find|show|locate|identify)\s+(?:me\s+)?(?:all\s+|every\s+|each\s+)?(?:the\s+)?(?=(?:objects?|things?|items?|everything)\b)"
            r"|^what\s+objects\b\s*",
            # "draw a box around each face", "bounding boxes for every bottle", "show me where the chairs are with boxes"
            r"^(?:(?:draw|put|add|place|give)\s+(?:me\s+)?)?(?:an?\s+|the\s+)?(?:bounding\s+)?(?:box(?:es)?|rectangles?)\s+(?:a?round|on|over|for)\s+"
            r"|^(?:show|mark|find|locate|spot|highlight|point out|label|pick out|identify|indicate|select)\s+(?:me\s+)?(?:where\s+)?"
            r"(?=.*\bwith\s+(?:an?\s+)?(?:bounding\s+)?box(?:es)?\s*$)",
        ),
        _do_detect,
        "detect / label <things> (boxes with labels and scores)",
    ),
    _builtin(
        "count",
        (
            r"^(?:how many|count(?: up)?(?: the)?(?: number of)?|what(?:'s|s| is) the (?:total\s+)?(?:number|count|total|amount) of)\b\s*",
        ),
        _do_count,
        "how many <things> / count <things>",
    ),
    _builtin(
        "crop",
        (
            r"^(?:crop|trim|zoom in(?:to)?|zoom)\b\s*(?:it\b|the (?:image|picture|photo)\b)?\s*(?:to|around|down to|on|at|onto)?\s*",
            r"^(?:cut|trim|frame)\s+(?:it|the (?:image|picture|photo|shot))\s+(?:down\s+)?to\s+(?:just\s+|only\s+)?(?=\w)",
            r"^make\s+(?:it|this|the (?:image|picture|photo))\s+(?=\d{1,2}\s*(?::|x|/|by)\s*\d{1,2}\s*(?:ratio|aspect|format)?\s*$)",
        ),
        _do_crop,
        "crop to <target> / a box / a square / 16:9",
    ),
    _builtin(
        "read",
        (
            r"^(?:read|transcribe|ocr)\b\s*(?:out\s+|off\s+)?|^what\s+(?:does|do)\s+(?:it|this|that|they|the\s+.+?)\s+(?:say|read|spell)\b\s*|^what(?:'s|\s+is)\s+written\b\s*|^what\s+(?:text|words?)\b.*\b(?:say|written|there|see|in|on)\b\s*|^(?:extract|get|find)\s+(?:the\s+|all\s+the\s+)?(?:text|words)\b\s*"
            r"|^what\s+(?:it|this|that|the\s+.+?)\s+(?:says|reads|spells)\b\s*",
            # a question whose answer is written there: "what's the phone number?" (it counted blobs)
            r"^(?:what|which)(?:'s|\s+is|\s+are|\s+was)?\s+(?=(?:the|his|her|their|its|this|that|my|our)\s+(?:[a-z]+\s+)?"
            r"(?:(?:tele)?phone(?:\s+number)?|number\s+plate|licen[cs]e\s+plate|(?:plate|registration|serial|house|flight|"
            r"bus|jersey|shirt|room|model|part|order|tracking)\s+number|(?:e-?mail|web|street|postal)?\s*address|e-?mail|website|"
            r"url|web\s*site|headline|slogan|password|wi-?fi|hashtag|caption|brand\s+name|title)s?\b)",
        ),
        _do_read,
        "read / transcribe / what does the sign say (text, OCR)",
    ),
    _builtin(
        "outline",
        (
            r"^(?:outline|trace|circle|(?:draw|sketch)\s+a?round)\b\s*|^(?:draw|put|add|give)\s+(?:me\s+)?(?=(?:an?\s+|the\s+)?(?:[a-z]+\s+){0,2}"
            r"(?:(?:outline|contour|border|line|stroke|edge)s?\s+(?:a?round|of|on|to)|(?:circle|ring)s?\s+a?round)\b)",
            r"^give\s+(?=.+\s+an?\s+(?:[a-z]+\s+){0,2}(?:outline|contour|border|stroke)\s*$)",  # "give the lamp a green outline"
        ),
        _do_outline,
        "outline <target> (in a colour)",
    ),
    _builtin(
        "generate_video",
        (
            r"^(?:generate|create|make|render|produce|film|shoot)\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:new\s+|short\s+)?(?:video|clip|animation|movie|film|footage)\s+(?:of|showing|with|about|where)\s+",
        ),
        _do_generate_video,
        "make a video of <prompt>",
    ),
    _builtin(
        "animate",
        (
            r"^(?:animate|bring (?:it|this|that|the \w+) to life)\b\s*|^make (?:it|this|that|the (?:image|picture|photo))\s+(?:move|come alive|into a (?:video|clip))\b\s*|^turn (?:it|this|that|the (?:image|picture|photo))\s+into an? (?:video|clip|animation)\b\s*",
        ),
        _do_animate,
        "animate it",
    ),
    _builtin(
        "frame",
        (
            r"^(?:take|extract|grab|get|show|pick|use|export|save|pull(?: out)?)\s+(?:me\s+)?(?:the\s+)?"
            r"(?:(?:first|middle|last|final|opening|closing)\s+frame|frame\s+(?:number\s+|no\.?\s*|#\s*)?\w+|"
            r"frame at\b|\w+(?:st|nd|rd|th)\s+frame\b)",
            r"^(?:take|grab|get|give me|show(?: me)?|extract|capture|save|pull)\b.*\b(?:frame|still|snapshot|screenshot|"
            r"picture|image)\b.*\bat\b",
            r"^(?:the )?(?:frame|still|snapshot|screenshot)\s+at\b",
            # "the picture at second 9 please": a still of the clip at a time
            r"^(?:the\s+)?(?:picture|image|photo|pic|shot)\s+(?:at|from)\s+(?:the\s+)?(?:second\s+\w+|\d[\d:.]*\s*"
            r"(?:s|secs?|seconds?)?(?:\s+mark)?)(?:\s+please)?\s*$",
            # "export a still from the middle of the clip", "i want a thumbnail from the start of the video"
            r"^(?:(?:i|we)(?:'d| would)? (?:want|need|like)\s+|give me\s+|(?:take|grab|get|extract|export|capture|save|"
            r"pull(?: out)?|make|show(?: me)?)\s+)(?:me\s+)?(?:an?\s+|the\s+)?(?:still|snapshot|screenshot|thumbnail|"
            r"frame|(?:still\s+)?(?:image|picture|photo))\s+(?:from|of|at)\s+(?:the\s+)?(?:very\s+)?"
            r"(?:start|beginning|middle|end|opening|ending|first|last)\b",
        ),
        _do_frame,
        "take a frame of a video (first / middle / last, frame 250, the frame at 0:05)",
    ),
    _builtin(
        "track",
        (
            r"^(?:track|follow|trace|keep track of|keep (?:an |your )?eyes? on|keep tabs on|lock on(?:to)?|stay on|tail|"
            r"(?:keep\s+(?:on\s+)?)?(?:following|tracking|tracing))\b\s*",
            # "where does the cat go (in the video)": its path through the clip
            r"^where\s+(?:does|do|did)\s+(?=.+?\s+(?:go|goes|move|moves|run|head|travel|wander)\b)",
            # "mark the bus in every frame": a selection through the whole clip
            r"^(?:mark|highlight|show|select|find)\b(?=.*\b(?:in|on|through) (?:every|each|all(?: the)?) frames?\b)\s*",
        ),
        _do_track,
        "track / follow <target> (a video)",
    ),
    _builtin(
        "generate",
        (
            r"^(?:generate|draw|create|make|paint|render|produce|imagine|sketch)\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:new\s+)?(?:image|picture|photo|drawing|painting|illustration|render|artwork)\s+(?:of|showing|with)\s+",
            r"^(?:i'd like|i would like|i want|give me|get me)\s+(?:an?\s+)(?:new\s+)?(?:image|picture|photo|drawing|painting|illustration|artwork)\s+(?:of|showing|with)\s+",
            r"^(?:generate|draw|imagine|sketch)\b(?!\s+(?:me\s+)?(?:an?\s+|the\s+)?(?:short\s+|brief\s+|one-line\s+|quick\s+)?"
            r"(?:caption|description|summary)\b)\s*",
        ),
        _do_generate,
        "generate / draw / create an image of <prompt>",
    ),
    _builtin(
        "composite",
        (_PASTE.pattern,),
        _do_composite,
        "put it on this picture (a cut-out from the previous turn)",
        whole=True,
    ),
    _builtin(
        "cutout",
        (
            r"^(?:cut|crop|clip|snip)\s*-?\s*out\b\s*(?!.*\bbackground\b)|^(?:cut|snip)\b(?=.*\bout\s*$)\s*"
            r"|^extract\b(?!\s+(?:the\s+|all\s+(?:the\s+)?)?(?:text|words|writing|frames?|first|last|middle|audio|sound|"
            r"colou?rs?)\b)\s*"
            r"|^(?:isolate|extract|separate|select|show|put)\b\s*(?=.*\b(?:on|with|against)\s+(?:a\s+)?transparent\b)"
            r"|^(?:make|create|give me|export|save|produce|get)\s+(?:me\s+)?"
            r"(?:a\s+|an\s+)?(?:transparent\s+(?:png|image|picture|cut-?out|sticker|version)|cut-?out|sticker|png)\s*(?:of|for|from|with)?\s*",
        ),
        _do_cutout,
        "cut out <target> (a transparent PNG)",
    ),
    _builtin(
        "keep_only",
        (
            r"^(?:keep only|keep just|only keep|leave only)\b\s*|^(?:keep|leave)\s+(?=(?:everything|all|the (?:whole |entire )?(?:image|picture|photo|scene))\b)",
            # "isolate the car on a black background", "show only the shoe on a grey background"
            r"^(?:isolate|show|put|place|set|display)\s+(?:only\s+|just\s+)?(?!it\b|them\b)"
            r"(?=.+\s+(?:on|against|over)\s+(?:a|an)\s+(?:plain\s+|solid\s+)?[a-z]+\s+(?:background|backdrop)\s*$)",
        ),
        _do_keep_only,
        "keep only <target>",
    ),
    _builtin(
        "restyle",
        (
            r"^(?:make|turn|render|change)\s+(?:it|this|that|the (?:whole )?(?:image|picture|photo|pic|scene))\s+(?:look\s+)?(?:like|as if|into an?\s+\w+\s+(?:painting|drawing|sketch|photo))\b|^(?:apply|give it)\b.*\bstyle\b|.*\bin the style of\b",
            # "turn this into a cartoon": the whole picture restyled (not the subject replaced)
            r"^(?:make|turn|change|convert|transform)\s+(?:it|this|that|the (?:whole )?(?:image|picture|photo|pic|scene))\s+into\s+"
            r"(?:an?\s+)?(?:\w+\s+)?(?:cartoon|anime|comic|watercolou?r|painting|drawing|sketch|illustration|pixel art|manga|"
            r"pop art|oil painting|pencil drawing|caricature|mosaic|vector art|3d render)\b",
            # "put a hat on the dog", "add a rainbow to the sky": new things drawn in (an instruction edit)
            r"^(?:put|add|place)\s+(?!(?:it|this|that|them|him|her|me|the)\b)(?:an?\s+|some\s+|two\s+|a\s+pair\s+of\s+)?(?!(?:\w+\s+){0,3}(?:outline|border|line|contour|"
            r"circle|ring|box(?:es)?|background|backdrop|caption|description|summary|label|tag|title|text|"
            r"warmth|contrast|saturation|sharpness|brightness|colou?r|blur|noise|grain|filter|frame|tint|glow|light|lighting|"
            r"shadow|detail|depth|focus|drama|vibrance|life|pop|punch|clarity|exposure|texture|gradient|effect|mask|"
            r"selection|highlight|bounding|bokeh|number|count|emphasis|motion|movement|animation|video|clip)s?\b)"
            r"(?:\w+\s+){1,3}(?:on|onto|to|in|into)\s+(?:the|his|her|its|their)\s+(?=\w)",
        ),
        _do_restyle,
        "make it look like <style> (needs a generative editor)",
    ),
    _builtin(
        "replace",
        (
            r"^(?:replace|swap|substitute|exchange|trade)\b(?!.*\bbackground\b)(?=.*\b(?:with|for|by)\b)|^(?:turn|change|transform|convert)\b(?=.*\binto\b)(?!.*\b(?:gr[ae]y ?scale|black and white|monochrome)\b)",
            # "put a lamp where the vase is", "i want a horse instead of the cow", "make the bench a sofa instead"
            r"^(?:put|place|add|draw|insert|stick|i\s*(?:'d|would)\s+(?:like|prefer|rather have)|i want|i need)\s+"
            r"(?:an?|some|two|three)\s+[a-z][a-z -]*?\s+(?:instead of|in place of|rather than|where)\s+(?:the|his|her|their|that|this|my)\s+",
            r"^make\s+(?:the|this|that|his|her|their|my)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:into\s+)?(?:an?)\s+"
            r"(?!(?:bit|little|lot|touch|tad|different|darker|lighter|brighter|new|nicer|better|[a-z]+er|[a-z]+ish)\b)"
            r"(?!.*\b(?:colou?r|shade|tone|tint|background|backdrop|size|square|circle)\b)"
            # "make the bus a bright yellow": a colour with its shade, not a thing to put there ("an orange" may be)
            r"(?!(?:bright|dark|light|pale|deep|vivid|pastel|soft|rich|warm|cool)\s+(?:"
            + _COLOR_RE.pattern[3:-3]
            + r")\b)"
            r"[a-z]+(?:\s+[a-z]+)?(?:\s+instead)?$",
        ),
        _do_replace,
        "replace <target> with <thing> (needs a generative editor)",
    ),
    _builtin(
        "background",
        (
            # not a thing placed there ("erase the person in the background" is that person, not the
            # background: it cut out the main object, erasing the background, reported as done)
            r"^(?!.*\b(?:the|a|an|that|this|those|these|some|two|three|four|both)\s+"
            r"(?!(?:background|backdrop|stuff|things?|rest|area|everything|scene|clutter|mess)\b)[a-z]+(?:\s+[a-z]+)?"
            r"\s+(?:in|at)\s+the\s+(?:background|backdrop)\b)"
            r"(?:blur|replace|change|swap|remove|erase|delete|make|turn|paint|set|darken|dim|brighten|lighten|fill|put|"
            r"place|paste|soften|lose|ditch|drop|kill|strip)\b.*\b(?:background|backdrop)\b",
            # "grey background please", "a blurry backdrop", "i want a plain white background": the background named with its look
            r"^(?:(?:i\s*(?:'d|would)?\s*(?:want|like|need|prefer)|give me|(?:can|could) i (?:have|get)|let's have)\s+)?"
            r"(?:an?\s+|the\s+)?(?:[a-z]+\s+){1,2}(?:background|backdrop)\s*$",
        ),
        _do_background,
        "blur / replace / change / make <colour> the background",
        whole=True,
    ),
    _builtin("flip", (r"^(?:flip|reflect)\b\s*",), _do_flip, "flip (horizontally / vertically)"),
    _builtin(
        "rotate",
        (
            r"^rotate\b\s*|^turn\s+(?:it|this|the (?:image|picture|photo))\s+(?:upside[- ]down|sideways|\d+\s*(?:degrees?|°)|"
            r"(?:90|180|270)\b|(?:counter-?|anti-?)?clockwise)",
        ),
        _rotate_or_half_turn,
        "rotate 90 / 180 / any angle",
    ),
    _builtin(
        "resize",
        (
            r"^(?:resize|rescale|scale|shrink|enlarge|upscale|downscale|downsize|halve|grow)\b\s*|^make\s+(?:it|this|the (?:image|picture|photo))\s+"
            r"(?:smaller|bigger|larger|half|twice|double|(?:a|one)\s+(?:third|quarter|fifth|tenth)|\d{3,5}\s*(?:x|×|by)\s*\d{3,5}|"
            r"(?:in\s+|into\s+|to\s+)?\d{3,4}p)\b"  # "make it 720p" (README's own example was not understood)
            r"|^blow\s+(?:it|this|the (?:image|picture|photo))\s+up\b"
            r"|^(?:make|turn|convert|export|save|render)\s+(?:it|this|the (?:video|clip|footage|image|picture|photo))\s+"
            r"(?:(?:in|into|to|as|at)\s+)?\d{3,4}p\b",
            # "cut the size in half", "reduce the resolution", "reduce it to 25%"
            r"^(?:cut|reduce|decrease|lower|increase|double|halve|change|set)\s+(?:the\s+)?(?:image\s+|picture\s+|photo\s+)?"
            r"(?:size|dimensions|resolution)\b",
            r"^(?:reduce|decrease|cut|bring|take)\s+(?:it|this|the (?:image|picture|photo))\s+(?:down\s+)?(?:to|by)\s+"
            r"(?=\d|(?:a\s+)?(?:half|third|quarter)\b)",
        ),
        _do_resize,
        "resize (half size, 50%, 800 pixels wide)",
    ),
    _builtin(
        "sharpen",
        (
            r"^sharpen\b|^(?:make|render)\b.*\b(?:sharper|crisper|less blurry)\b|^(?:increase|boost|add|improve)\s+(?:the\s+)?sharpness\b",
        ),
        _tone("sharpen"),
        "sharpen",
        whole=True,
    ),
    _builtin(
        "warmer",
        (r"^(?:make|render)\b.*\bwarmer\b|^warm\b|^(?:add|give)\b.*\bwarm(?:th|er)?\b",),
        _tone("warmer"),
        "make it warmer / cooler",
        whole=True,
    ),
    _builtin("cooler", (r"^(?:make|render)\b.*\b(?:cooler|colder)\b|^cool\b",), _tone("cooler"), "", whole=True),
    _builtin(
        "saturate",
        (
            r"^(?:make|render)\b.*\bmore\s+(?:saturated|vivid|colou?rful|vibrant)\b|^(?:increase|boost|raise|add|enhance)\s+(?:the\s+)?"
            r"(?:saturation|vibrance|vividness|colou?rs)\b|^saturate\b",
        ),
        _tone("saturate"),
        "more / less saturated",
        whole=True,
    ),
    _builtin(
        "desaturate",
        (
            r"^(?:make|render)\b.*\bless\s+(?:saturated|vivid|colou?rful|vibrant)\b|^(?:decrease|reduce|lower)\s+(?:the\s+)?"
            r"(?:saturation|vibrance)\b|^(?:mute|tone down)\s+(?:the\s+)?colou?rs\b"
            r"|^desaturate\b(?=.*\b(?:slightly|a bit|a little|somewhat|a touch|a tad|partly|partially|gently|mildly)\b)",
        ),
        _tone("desaturate"),
        "",
        whole=True,
    ),
    _builtin(
        "denoise",
        (
            r"^(?:denoise|de-noise)\b|^(?:reduce|remove|clean up|get rid of)\s+(?:the\s+|all\s+the\s+)?"
            r"(?:noise|grain|graininess|speckles?|speckling|artefacts|artifacts)\b",
        ),
        _tone("denoise"),
        "denoise",
        whole=True,
    ),
    _builtin(
        "remove",
        (
            r"^(?:remove|erase|delete|get rid of|take out|take away|eliminate|wipe out|lose|ditch)\b(?!\s+(?:the\s+)?(?:background|backdrop)\s*$)"
            r"(?!\s+(?:all\s+|(?:some|a bit|a little|part|a touch|most)\s+)?(?:of\s+)?(?:the\s+)?colou?rs?"
            r"(?:\s+out)?(?:\s+(?:from|of|in)\s+(?:it|this|that|the (?:image|picture|photo)))?(?:\s*,?\s*please)?\s*$)\s*",
            # "remove (some of) the colour (from it)" is grayscale (desaturate)
            r"^(?:get|take|keep|cut)\b(?=.+\bout of (?:the|this|my|that)\s+(?:shot|picture|photo|image|frame|scene|video|clip)\b)\s*",
            r"^(?:clean|strip|scrub|wipe)\b(?!\s+(?:it|this|that|the\s+(?:image|picture|photo))?\s*up\b)"
            r"(?!.*\b(?:colou?rs?|noise|grain|graininess|background|backdrop)\b)(?=.+\b(?:off|out of|from)\s+(?:the|this|my|that|a)\b)\s*",  # "clean the graffiti off the wall"
        ),
        _do_remove,
        "remove / erase / delete <target>",
    ),
    _builtin(
        "blur",
        (r"^(?:blur|pixelate|pixellate|mosaic|censor|obscure|smooth)\b\s*",),
        _do_blur,
        "blur / pixelate <target>",
    ),
    _builtin(
        "grayscale",
        (
            r"^(?:convert|turn|make|render|change)?\b.*\b(?:grayscale|greyscale|gray ?scale|grey ?scale|black and white|black-and-white|monochrome)\b|^(?:desaturate)\b(?!.*\b(?:slightly|a bit|a little|somewhat|a touch|a tad|partly|partially|gently|mildly)\b)\s*",
            r"^(?:keep|leave)\s+(?!only\b|just\b).+?\s+in\s+(?:full\s+)?colou?rs?\b(?:\s+and\s+(?:the\s+)?rest\b.*)?$",
            # "strip the colour" is grayscale; "take some of the colour out" is a lesser desaturate (intent_choice)
            # "turn off the colour", "drop the colour entirely", "decolourise it": all of the colour, gone
            r"^(?!.*\b(?:some|a bit|a little|part|slightly|less|a touch|of (?:the|his|her|their|my)\b))"
            r"(?:turn|switch|take|wash|drop|kill|lose|strip|drain|remove|get rid of)\b.*\bcolou?rs?\b\s*"
            r"(?:off|away|out|entirely|completely|altogether|fully)\b|^de-?colou?ri[sz]e\b"
            r"|^(?:turn|switch|take)\s+(?:off|out|away)\s+(?:the\s+|all\s+(?:the\s+)?)?colou?rs?\s*$",
            r"^(?:remove|take|take out|strip|drain|get rid of|lose)\s+(?:all\s+|(?:some|a bit|a little|part|a touch|most)\s+)?"
            r"(?:of\s+)?(?:the\s+)?colou?rs?(?:\s+out)?(?:\s+(?:from|of|in)\s+(?:it|this|that|the (?:image|picture|photo)))?"
            r"(?:\s*,?\s*please)?\s*$",
        ),
        _adjust("grayscale"),
        "grayscale / black and white",
        whole=True,
    ),
    _builtin(
        "brighten",
        (
            r"^(?:brighten|lighten)\b\s*|^(?:make|render)\b.*\b(?:brighter|lighter)\b" + _NOT_A_SHADE + r"|"
            r"^(?:increase|raise|boost)\s+(?:the\s+)?brightness\b\s*",
        ),
        _adjust("brighten"),
        "brighten / make brighter",
        whole=True,
    ),
    _builtin(
        "darken",
        (
            r"^darken\b\s*|^(?:make|render)\b.*\bdarker\b" + _NOT_A_SHADE + r"|"
            r"^(?:decrease|reduce|lower)\s+(?:the\s+)?brightness\b\s*",
        ),
        _adjust("darken"),
        "darken / make darker",
        whole=True,
    ),
    _builtin(
        "contrast",
        (
            r"^(?:increase|boost|enhance|raise|add|improve)\s+(?:the\s+)?contrast\b\s*|^(?:make)\b.*\bmore contrast(?:y|ed)?\b|^contrast\b\s*",
        ),
        _adjust("contrast"),
        "increase contrast",
        whole=True,
    ),
    _builtin(
        "recolor",
        (
            r"^(?:recolou?r|paint|colou?r|turn|make|change|dye|tint|repaint|give)\b\s*",
            # other verbs of change when the clause names a colour change ("swap the mug's colour to blue")
            r"^(?:swap|switch|set|alter|modify)\b\s*(?=.*\bcolou?rs?\b)(?!.*\b(?:with|for|by)\b)",
        ),
        _do_recolor,
        "recolor / make it <colour> / paint / turn <colour>",
        needs_colour=True,
    ),
    _builtin(
        "segment",
        (
            r"^(?:segment|select|mask|cut|find|highlight|isolate|detect|locate|extract|pick out|pick|grab|identify|show me|show|get|choose)\b\s*",
        ),
        _do_segment,
        "segment / select / mask / cut out / find / highlight / isolate <target>",
    ),
    _builtin(
        "describe",
        (
            r"^(?:describe|caption|summari[sz]e|explain|tell me about|tell me what|analy[sz]e|look at|sum up|recap|"
            r"walk me through|talk me through|run me through|go through|sum\s+(?:it|this|that|the\s+\w+)\s+up)\b\s*",
            # "what's this video about", "what are the scenes in this video": the whole clip (or picture) described
            r"^what(?:'s|\s+is)\s+(?:this|the|that)\s+(?:video|clip|footage|film|movie|picture|image|photo)\s+(?:about|of)\s*\??$"
            r"|^what\s+are\s+the\s+(?:scenes|shots|parts|main events)\b(?:\s+(?:in|of)\s+(?:this|the|that)\s+"
            r"(?:video|clip|footage|film|movie))?\s*\??$",
            r"^(?:give|write|generate|make|produce|create|get|add)\s+(?:me\s+|it\s+|this\s+|the (?:image|picture|photo)\s+)?(?:an?\s+|the\s+)?(?:short\s+|brief\s+|one-line\s+|quick\s+)?(?:caption|description|summary|rundown|run-down|recap|overview|synopsis|breakdown|gist)\b(?:\s+(?:of|for)\b)?\s*",
        ),
        _do_describe,
        "describe / caption / tell me about",
    ),
    _builtin(
        "question",
        (r"^(?:what|what's|whats|which|where|whereabouts|who|is|are|does|do|how)\b",),
        _do_question,
        "what colour / where / is it <colour>? / how bright",
        whole=True,
    ),
)


for _order, _record in enumerate(INTENTS):  # the built-in table, after tool modules' intents (order 0)
    register_intent(Intent(**{**_record.__dict__, "order": 100 + _order}))
INTENTS = tuple(intent_named(i.name) for i in INTENTS)


TARGETS_HELP = (
    "Targets: the foreground / main object / subject, colours ('the red car'), positions (left, right, top, "
    "bottom, center; 'the left side' is the left half), 'the largest object', 'everything except <target>', "
    "'at (x, y)', 'in box (x1, y1, x2, y2)'. On a video the same verbs work on every frame. Chain steps with "
    "'then', commas or semicolons; 'it' refers to the previous result."
)


def understood_help() -> str:
    """The help text, derived from the table: the built-in intents' help lines in table order, then
    those tool modules registered, then how targets are named."""
    records = registered_intents()
    lines = [i.help for i in records if i.help and i.order >= 100] + [
        i.help for i in records if i.help and i.order < 100
    ]
    return "I understand: " + "; ".join(lines) + ". " + TARGETS_HELP


_ASKS_HELP = re.compile(
    r"^\s*(?:help|\?+|what can you do\??|what do you understand\??|commands|options)\s*[.!?]*\s*$", re.I
)


def asks_help(raw: str) -> bool:
    """Whether ``raw`` asks what the agent understands ("help", "what can you do?")."""
    return bool(_ASKS_HELP.match(raw))


def not_understood(raw: str, said: str) -> str:
    """The answer to a request nothing in the table reads: the few things it can do that the words come
    closest to (by the matcher's scores), not the whole list (2,400 characters); the whole list for
    "help". ``said`` is the request as the user wrote it."""
    if _ASKS_HELP.match(raw):
        return understood_help()
    from vitron_agent.planners.rule.intent_matcher import scores

    helps = {r.name: r.help for r in registered_intents() if r.help}
    near = list(dict.fromkeys(helps[n] for _, n in scores(raw[:300]) if n in helps))[:4]
    if not near:
        return f"I could not turn {said!r} into steps. {understood_help()}"
    return (
        f"I could not turn {said!r} into steps. The closest things I can do: " + "; ".join(near) + ". "
        "Say 'help' for everything I understand."
    )


UNDERSTOOD = understood_help()  # the built-in table's help (tool modules' intents added by understood_help())
