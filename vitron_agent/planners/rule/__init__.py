"""RulePlanner: the embedded planner (no LLM): one intent table, read by rules and a learned matcher.

It splits an instruction into clauses ("then", "and then", "after that", commas and semicolons,
"and" before a verb) and finds each clause's intent in the table (``vitron_agent.toolkit.intents``): by
its records' patterns ("rules"), by a sentence embedding's similarity to their example
utterances ("matcher"), or both (the default). The record's handler fills the slots (target,
colour, amount, time range ...) and emits steps; "it", "them", "that" and "the result" bind to the
latest mask and picture of the plan (or of the session's previous turn). Explicit regions are read
from the text: "at (x, y)" and "in box (x1, y1, x2, y2)".

A request it cannot understand gets a plan-free answer listing what it understands; when two
readings are about as likely, it asks which was meant (naming both); it never raises.
"""

from __future__ import annotations

import re
from typing import Any

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import border_trim as _border_trim  # noqa: F401 ("crop the black bars")
from vitron_agent.planners.rule import camera_moves as _camera_moves  # noqa: F401 (a still filmed; swaps refused)
from vitron_agent.planners.rule import look_records as _looks  # noqa: F401 (importing it registers the looks, text and border)
from vitron_agent.planners.rule import metadata_records as _metadata  # noqa: F401 (EXIF: none kept, none read)
from vitron_agent.planners.rule import save_records as _save  # noqa: F401 ("save it": already kept, said where)
from vitron_agent.planners.rule import written_orders as _orders  # noqa: F401 (instructions in a picture: never done)
from vitron_agent.planners.rule.answer_refs import after_answer
from vitron_agent.planners.rule.cannot_do import PART_REFUSED, REFUSALS  # (importing it registers the refusals)
from vitron_agent.planners.rule.chain_refs import bind_pronoun_targets
from vitron_agent.planners.rule.clip_questions import clip_question, earlier_state
from vitron_agent.planners.rule.complaints import part_complaint, strip_remarks
from vitron_agent.planners.rule.crop_shapes import crop_shape
from vitron_agent.planners.rule.follow_up import follow_up
from vitron_agent.planners.rule.intent_call import RuleCall, declarative
from vitron_agent.planners.rule.intent_choice import MODES, choose, spare_first, topic_first
from vitron_agent.planners.rule.intent_table import (
    INTENTS,
    UNDERSTOOD,
    Clause,
    Intent,
    asks_help,
    intent_named,
    not_understood,
    parse_clause,
    split_clauses,
    understood_help,
)
from vitron_agent.planners.rule.lexicon import (
    _FILLER,
    MAX_REQUEST_CHARS,
    NEEDS_IMAGE,
    NO_GENERATOR,
    NO_VIDEO_GENERATOR,
    NOT_ENGLISH,
    TOO_LONG,
    _looks_foreign,
    _protect_regions,
    _restore,
    bounded,
    two_colours,
    unused_places,
    visible,
)
from vitron_agent.planners.rule.numerals import impossible_number, numbers_written_out
from vitron_agent.planners.rule.question_places import place_question
from vitron_agent.planners.rule.scope_words import scope_said
from vitron_agent.planners.rule.shorthand import arrows, chat_words, edge_strips, onto_colour, percent_words
from vitron_agent.planners.rule.small_talk import small_talk, talk_kind
from vitron_agent.planners.rule.step_builders import _Builder, _exclude, clause_part, clause_span
from vitron_agent.planners.rule.target_words import named_kind, one_of_kind, one_unnamed
from vitron_agent.toolkit import slots
from vitron_agent.toolkit.plan import Plan, Step
from vitron_agent.toolkit.tool import Toolbox

__all__ = [  # the planner; the table (intent_table, intent_examples), choice (intent_choice), words (lexicon)
    "RulePlanner",
    "MODES",
    "UNDERSTOOD",
    "NO_GENERATOR",
    "NO_VIDEO_GENERATOR",
    "NEEDS_IMAGE",
    "NOT_ENGLISH",
    "split_clauses",
    "Intent",
    "INTENTS",
    "Clause",
    "parse_clause",
]


class RulePlanner:
    """Planner for everyday instructions (see module docstring).

    ``mode``: "rules" (the records' patterns only: the old table), "matcher" (the embedding's
    similarity to the records' examples decides; patterns only fill slots) or "both" (default:
    patterns first, the matcher for clauses no pattern reads)."""

    name = "rule"

    def __init__(self, mode: str = "both"):
        if mode not in MODES:
            raise ValueError(f"RulePlanner mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode = mode

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        """The steps for ``request``; with none, the answer is a refusal or a question back (``declined``:
        the turn is not ok, a batch item is not done), except the list of what it understands ("help")."""
        made = self._read(request, toolbox)
        said = bounded(request.text)
        if not made.steps and made.answer and not asks_help(said) and talk_kind(said[:200]) is None:
            made.declined = True
        return made

    def _in_session(self, request: PlanRequest, toolbox: Toolbox, raw: str) -> tuple[str, Plan | None]:
        """(the request with "the brown one" named, the plan the session's earlier turns decide, or None)."""
        if (talk := small_talk(self, request, toolbox, raw)) is not None:  # "thank you!", "what did you do?"
            return raw, Plan(answer=talk)  # a reply, not a refusal (plan() leaves it not declined)
        if (kind := named_kind(request.history)) is not None:  # "make the brown one white" after counting chickens
            raw = one_of_kind(raw, kind)
        elif (which := one_unnamed(raw)) is not None and not request.inputs.get("last"):
            return raw, Plan(answer=which)
        if (answered := after_answer(self, request, toolbox, raw)) is not None:  # "make them blue" after "I see …"
            return raw, answered
        return raw, follow_up(self, request, toolbox, raw)  # "a bit more", "the cat too"

    def _read(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        raw = bounded(request.text)  # before any pattern: no run of blanks for one to backtrack over
        if len(raw) > MAX_REQUEST_CHARS:
            return Plan(answer=TOO_LONG.format(n=len(raw), cap=MAX_REQUEST_CHARS))
        raw = bounded(visible(raw))  # a zero-width space inside a word or a number is no break in it
        if (helped := asks_help(raw)) or not any(map(str.isalpha, raw)):  # "what can you do?": the list; no
            return Plan(answer=understood_help() if helped else not_understood(raw, raw))  # word ("42") runs nothing
        if _looks_foreign(raw):
            return Plan(answer=NOT_ENGLISH)
        raw, in_session = self._in_session(request, toolbox, raw)
        if in_session is not None:
            return in_session
        if (shaped := crop_shape(self, request, toolbox, raw)) is not None:  # "a phone wallpaper", "keep the dog in"
            return shaped
        if (impossible := impossible_number(raw)) is not None:  # "loop it NaN times", "trim from -5 s"
            return Plan(answer=impossible)
        text, regions, amount_notes = _normalised(raw)
        if (ask := two_colours(text)) is not None:  # "make the dog brown and white": one colour a thing; ask which
            return Plan(answer=ask)
        text = _BOTH_WAYS.sub("make a boomerang", text)  # one request, though "and then" would split it
        last = request.inputs.get("last", {})
        b = _builder(toolbox, request, regions, amount_notes)
        understood, misunderstood = 0, False
        refused: list[str] = []  # "I did not do 'add film grain': ..." for each clause refused in a chain
        clauses = split_clauses(_time_led(text) if b.video_mode else text)  # "from 0:05 on, slow it down"
        not_added: str | None = None  # the refused clause just before, when it would have added a thing
        for clause in clauses:
            clause = _FILLER.sub("", clause.strip()).strip()
            if not_added is not None and _about_it(clause, not_added):  # "add subtitles and make them yellow"
                refused.append(PART_DEPENDS.format(clause=_restore(clause, regions), on=_restore(not_added, regions)))
                continue
            not_added = None
            if not b.video_mode and (earlier := earlier_state(clause)) is not None:  # "what colour was it before?"
                return Plan(answer=earlier)
            clause = clip_question(b, clause)  # "how many cars in the first 20 seconds": that part first
            picked = choose(clause, self.mode, b)
            if (picked.question or picked.intent is None) and len(clauses) > 1 and _REMARK.match(clause):
                continue  # "it drags, speed it up": a remark beside the request, not a request of its own
            if picked.question:
                return Plan(answer=picked.question)
            if picked.intent is None:
                b.notes.append(f"I did not understand {_restore(clause, regions)!r}, so I skipped it.")
                misunderstood = True
                continue
            record = intent_named(picked.intent)
            if b.image is None and record.media != "none":
                return Plan(answer=NEEDS_IMAGE)
            before = len(b.steps)
            b.span = clause_span(picked.text, b.video_mode)
            b.part = clause_part(picked.text, b.video_mode)
            _handle(b, record, picked, clause, last)
            if _repeats(b.steps, before) and not _AGAIN.search(clause):  # "it's too warm, cool it": one edit
                del b.steps[before:]
                continue
            if picked.kept is not None:
                _exclude(b, before, picked.kept, picked.text, last)
            if b.answer is not None and record.name in REFUSALS and len(clauses) > 1:
                # one impossible clause of a chain: the possible steps still run, and the answer's
                # first line says what was not done and why
                refused.append(PART_REFUSED.format(clause=_restore(clause, regions), why=b.answer))
                b.answer, not_added = None, clause if _ADDS_A_THING.match(clause) else None
                continue
            if b.answer is not None:
                return Plan(answer=b.answer)
            if b.fresh:
                last, b.fresh = {}, False  # a new picture: the previous turn's mask does not apply to it
            understood += 1
        if refused and not b.steps:
            return Plan(answer="\n".join(refused))
        b.notes[:0] = refused
        if not understood:
            if _looks_foreign(raw, hits=1):
                return Plan(answer=NOT_ENGLISH)
            return Plan(answer=not_understood(raw, raw))
        if not b.steps:  # understood, but nothing could be planned (a tool missing): say why, never an empty plan
            return Plan(answer=" ".join(b.notes) or not_understood(raw, raw), notes=b.notes)
        if misunderstood:
            b.notes.append(understood_help())
        b.notes.extend(unused_places(b.steps, regions))  # "remove the objects at (10,10) and (200,200)"
        return Plan(steps=_renumbered(b.steps), notes=b.notes)


# "<verb> the part / section / bit from A to B" on a clip: the verb's span (it had kept only that part, unchanged);
# after a verb that keeps or cuts a part ("keep the part from ...", "give me the bit between ...") it stays
_PART_SPAN = re.compile(
    r"(?P<verb>\b(?!(?:keep|give|take|get|show|just|only|save|extract|cut|out|remove|delete|drop|trim|crop|clip|isolate|"
    r"export|want|need|leave|me|us|it|and|then|to|of)\b)[a-z]+)\s+(?:the|that|this)\s+"
    r"(?:part|section|bit|segment|portion|stretch|piece)\s+(?=(?:from|between|after|before)\s+[\d.:])",
    re.I,
)


def _time_led(text: str) -> str:
    """On a clip, a first or last piece between commas that only says a time ("from 0:05 on", "between 0:02 and
    0:05", "but only in the first 3 seconds") says when the next piece's change happens (or, last, the previous
    one's): it is put at that piece's end ("slow it down by half from 0:05 on"); alone it had become a frame at that
    time, or a trim of the clip before the change."""
    from vitron_agent.planners.rule.step_builders import _TIME_WORDS

    def time_only(piece: str) -> str | None:
        said = re.sub(r"^(?:(?:but|and|then|though)\b\s*)+", "", _FILLER.sub("", piece.strip()), flags=re.I)
        said = said.strip(" .!?")
        left = re.sub(
            r"\b(?:on(?:wards)?|forwards?|only|just|(?:to|till|until) the end)\b", "", _TIME_WORDS.sub("", said)
        )
        return said if clause_span(said, True) is not None and not left.strip(" .!?") else None

    text = _PART_SPAN.sub(r"\g<verb> ", text)  # "speed up the part from 0:10 to 0:20": that span, not a trim
    pieces = re.split(r"\s*[,;]\s*", text)
    if len(pieces) < 2 or not any(map(time_only, pieces)):
        return text
    out: list[str] = []
    held: str | None = None
    for k, piece in enumerate(pieces):
        if held is not None:
            piece, held = f"{piece.rstrip(' .!?')} {held}", None
        when = time_only(piece) if k in (0, len(pieces) - 1) else None  # one in the middle says which part
        if when and k == 0 and not time_only(pieces[1]):  # ("trim off the intro, the first 2 s, and mute it")
            held = when
        elif when and out:
            out[-1] = f"{out[-1].rstrip(' .!?')} {when}"
        else:
            out.append(piece)
    return ", ".join(out)


def _builder(toolbox: Toolbox, request: PlanRequest, regions: dict[str, Any], notes: list[str]) -> _Builder:
    """A plan builder on the request's picture (or clip), with the notes already made."""
    b = _Builder(toolbox=toolbox, inputs=request.inputs, regions=regions)
    b.notes.extend(notes)
    inp = request.inputs.get("input", {})
    b.image = "$input.image" if inp.get("image") == "image" else None
    if b.image is None and inp.get("video") == "video":
        b.image, b.video_mode = "$input.video", True
    return b


def _normalised(raw: str) -> tuple[str, dict[str, Any], list[str]]:
    """(the request as the clauses are read from, its marked regions, notes on what was read as what):
    regions protected, asides and remarks dropped, things named first put in place, shorthand in words."""
    text, regions = _protect_regions(raw)
    text = numbers_written_out(text)  # "1e9", "1,5x", "1,000 times": read whole by every slot reader
    text, typed = chat_words(text)  # "wat colr r the kittens eyes", "make teh horse brigther pls"
    text = re.sub(r"\(([^()]*)\)", _aside, text)  # what is left in brackets is an aside ("(again)"), not a target
    text = scope_said(text)  # "the dog stays in colour, the rest black and white", "everything but the background"
    text = spare_first(text)  # "don't touch the dog, but brighten everything else"
    text = strip_remarks(text)  # "thanks! now blur the face", "it's crooked, rotate it 5 degrees"
    text = part_complaint(text) or text  # "the sky is blown out, tone it down" (before "X, <verb> it")
    text = topic_first(text)  # "the car, make it red"
    text, notes = percent_words(onto_colour(arrows(edge_strips(text))))  # "owl -> black and white", "20% brighter"
    return text, regions, typed + notes


_LOOKS = frozenset({"describe", "question", "read"})  # the readings a place in the question narrows (not a count)


def _handle(b: _Builder, record: Any, picked: Any, clause: str, last: dict[str, str]) -> None:
    """Run the intent's handler for the clause -- except that a yes/no question whose reading would
    change the picture ("is the horse white?", "is the image blurry?": it kept only the white horse,
    blurred the picture, each said done) is answered by the question intent and changes nothing."""
    if record.name in _LOOKS and place_question(b, clause, last):  # "what is left of the motorbike?"
        return
    before, noted, kept = len(b.steps), len(b.notes), (b.image, b.mask, b.box, b.last_output)
    (record.handler or declarative)(RuleCall(b, record, picked.rest, picked.text, last))
    bind_pronoun_targets(b.steps, before)  # "track the dog and tell me when it leaves": the dog
    refused = (
        not b.steps[before:] and (len(b.notes) > noted or b.answer) and record.name != "question"
    )  # "is this a painting?"
    if _YES_NO.match(clause) and not re.search(r"\?\s*\w", clause) and (_edits(b.steps[before:]) or refused):
        del b.steps[before:], b.notes[noted:]  # the edit's own notes ("I read 450° as 90°") go with it
        b.answer, (b.image, b.mask, b.box, b.last_output) = None, kept
        asked = intent_named("question")
        (asked.handler or declarative)(RuleCall(b, asked, picked.text, picked.text, last))


# a yes/no question about the picture ("is the horse white?", "does it need more contrast?"); a polite
# request in question form ("can you …", "is it possible to …", "would you …") is not one
_YES_NO = re.compile(
    r"^(?:is|are|was|were|isn'?t|aren'?t|does|doesn'?t|did|didn'?t|has|hasn'?t)\s+"
    r"(?!(?:it|there)\s+(?:possible|a\s+way|any\s+way)\b)(?!you\b|u\b)\S",
    re.I,
)


def _edits(steps: list[Any]) -> bool:
    """Whether a step changes the picture or clip (an edit, or a tool that makes a new video or image
    without only selecting: reverse, speed, trim, animate, a GIF)."""
    from vitron_agent.toolkit.registry import EDITS, SELECTS, traits

    def changes(tool: str) -> bool:
        declared = traits(tool)
        return declared.role == EDITS or (declared.role != SELECTS and bool({"image", "video"} & set(declared.makes)))

    return any(changes(step.tool) or step.tool in ("make_gif", "join_videos") for step in steps)


def _aside(m: re.Match[str]) -> str:
    """A bracket's words dropped as an aside, unless they say a time ("drop the intro (first 3 s)": which part)."""
    return f", {m.group(1)}" if slots.time_range(m.group(1)) is not None else " "


# A refused clause that would have added a thing ("add subtitles", "put a hat on the dog"): a next clause
# that names it by a pronoun ("and make them yellow") is about that thing, so it is not done either (it
# must not recolour the picture's main object instead). Effects ("add film grain") add no thing.
PART_DEPENDS = "I did not do {clause!r} either: it is about what {on!r} would have added."
_ADDS_A_THING = re.compile(
    r"^(?:add|put|place|write|stamp|type|overlay|insert|draw|paint|stick)\b"
    r"(?!.*\b(?:grain|noise|noisy|vignett\w*|sepia|tint|tone|filter|look|effect|glow|flare|depth|3-?d|resolution)\b)",
    re.I,
)
_PLURAL = re.compile(r"\b(?:them|they|their|those|these)\b", re.I)
_SINGULAR = re.compile(r"\b(?:it|its|that one|this one)\b", re.I)
_WHOLE_PICTURE = re.compile(
    r"^(?:flip|rotate|mirror|resize|crop|scale|shrink|enlarge|turn it (?:upside|sideways|around))\b", re.I
)


def _about_it(clause: str, refused: str) -> bool:
    """Whether ``clause`` names by a pronoun the thing the refused clause would have added: "them"
    after any added things; "it" after "add a hat …", unless the clause turns the whole picture."""
    if _PLURAL.search(clause):
        return True
    one_thing = re.match(r"^\w+\s+(?:a|an|one)\s+", refused, re.I)
    return bool(one_thing and _SINGULAR.search(clause) and not _WHOLE_PICTURE.match(clause))


# a statement about the picture or clip ("it drags", "this looks dull", "the clip is long"): a remark
_REMARK = re.compile(
    r"^(?:it|this|that|(?:the|this|my) (?:video|clip|footage|film|picture|photo|image|pic|shot))\s*"
    r"(?:'s|is|was|looks|seems|feels|(?!(?:needs|wants|should|must|has to)\b)[a-z]+s)\b(?!.*\b(?:please|pls)\b)",
    re.I,
)


# a clip played forwards then backwards, said as one thing: a boomerang (not two reversals)
_BOTH_WAYS = re.compile(
    r"\b(?:(?:make|have|let)\s+it\s+)?(?:play\s+(?:it\s+|the (?:clip|video)\s+)?|go\s+|run\s+)?(?:"
    r"forwards?\s*,?\s*(?:and\s+)?(?:then\s+)?(?:backwards?|back|in reverse|reversed?)|back and forth|"
    r"backwards?\s*,?\s*(?:and\s+)?(?:then\s+)?forwards?|ping[- ]?pong(?:\s+loop)?)\b",
    re.I,
)
# "more" says again ("brighten it, then more"), but "more contrast" / "more warmth" only names the edit
# ("add some punch, more contrast" is one contrast edit)
_AGAIN = re.compile(
    r"\b(?:again|more(?!\s+(?:contrast|warmth|colou?rs?|saturation|saturated|brightness|light|sharpness|detail|"
    r"blur|blurry|punch|pop|vivid|vibrant|vibrance|colou?rful|contrasty|definition|clarity)\b)|even|once more|"
    r"twice|another|further|still)\b",
    re.I,
)


def _repeats(steps: list[Step], before: int) -> bool:
    """Whether the edit steps a clause added (from ``before``) repeat the previous clause's exactly:
    the same tools with the same arguments, references to the previous steps' outputs aside."""
    added = steps[before:]
    if not added or before < len(added):
        return False
    previous = steps[before - len(added) : before]

    def key(s: Step) -> tuple[str, str]:
        args = {k: v for k, v in s.args.items() if k != "amount" and not (isinstance(v, str) and v.startswith("$"))}
        return s.tool, repr(sorted(args.items()))

    return [key(s) for s in added] == [key(s) for s in previous] and all(
        s.tool.startswith("edit") or s.tool == "speed_video"
        for s in added  # "speed it up, it's too slow": once
    )


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
