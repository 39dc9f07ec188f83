"""What a step did, in words a person reads: "selected the cat", "made it purple", "rotated the
picture 90° clockwise". The answer's first line joins these phrases (graphs/respond.py); step ids,
tool names and model names stay out of them (they go to ``--verbose``, the report and ``--json``).

``phrases(plan, records, past=True)`` gives the past-tense phrase ("made it purple"); ``past=False``
the bare one ("make it purple") for "I could not …" and "I did not …".

Each tool says how its step is phrased beside its backends (``Traits.phrase``: templates, or a
function of a :class:`~vitron_agent.toolkit.registry.StepWords`); this module names no tool and keeps only the generic wording:
what a selection names, what an edit works on, and "ran <tool>" for a tool that declares nothing.
"""

from __future__ import annotations

from typing import Any

from vitron_agent.toolkit.plan import Plan, Step
from vitron_agent.toolkit.registry import MASK_KINDS, SELECTS, Traits, traits

__all__ = ["phrases", "target_words", "feeds_a_segment", "StepView"]

GENERIC = ("ran {tool}", "run {tool}")  # a tool that declares no phrase
NO_PROMPT = "what you described"


def target_words(value: Any) -> str:
    """A target argument as words: a string as given, a typed target (dict) by its words."""
    if isinstance(value, dict):
        return " ".join(
            str(v) if v is not True else str(k) for k, v in value.items() if v not in (None, False, "", [], {})
        )
    return str(value or "").strip()


_PLURALS = frozenset("people men women children mice geese feet teeth".split())
_MANY = frozenset("all both these those two three four five six seven eight nine ten".split())


def _pronoun(name: str) -> str:
    """'them' for what a plural names ('the people', 'the cup and the saucer', 'the trees'), else 'it'
    ('the bus', 'the grass')."""
    words = name.lower().split()
    if (
        not words
        or " and " in f" {name.lower()} "
        or words[0] in _MANY
        or (words[0] == "the" and words[1:2] and words[1] in _MANY)
    ):
        return "them" if words else "it"
    last = words[-1]
    return "them" if last in _PLURALS or (last.endswith("s") and not last.endswith(("ss", "us", "is", "as"))) else "it"


# the planner's words for "this" / "it" when the user marked a region
_MAIN_OBJECT = frozenset({"the main object", "main object", "this", "it", "the object", "the foreground"})

# words that already determine a noun phrase: "his face", not "the his face"
_DETERMINERS = frozenset(
    "the a an my your his her its our their this that these those every each all both some any".split()
)


class _Reading:
    """A plan with its tools' traits looked up once (a phrase asks several times a step)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self._traits: dict[str, Traits] = {}

    def traits(self, tool: str) -> Traits:
        if tool not in self._traits:
            self._traits[tool] = traits(tool)
        return self._traits[tool]

    def producer(self, ref: Any) -> Step | None:
        """The step whose output ``ref`` ("$s1.mask") is, or None."""
        if not (isinstance(ref, str) and ref.startswith("$s")):
            return None
        sid = ref[1:].split(".", 1)[0]
        return next((s for s in self.plan.steps if s.id == sid), None)

    def named(self, step: Step) -> str | None:
        """What a selecting step names ("the cat"), or None (a step that selects nothing by name: not
        declared ``role="select"`` or without a target argument); a selection prompted by a grounding
        step's box is named by what was grounded."""
        declared = self.traits(step.tool)
        if declared.role != SELECTS or not declared.target:
            return None
        target = target_words(step.args.get(declared.target))
        marked = step.args.get("box") or step.args.get("point") or step.args.get("points")
        if marked and target and target.lower() in _MAIN_OBJECT:  # "remove this" with a box: what was marked
            return "the region you marked"
        if target:
            return target if target.lower().split(" ", 1)[0] in _DETERMINERS else f"the {target}"
        box = step.args.get("box")
        source = self.producer(box)
        if source is not None and source is not step:
            return self.named(source)
        if box or step.args.get("point") or step.args.get("points"):
            return "the region you marked"
        return "the main object"

    def feeds_a_selection(self, step: Step) -> bool:
        """A selecting step that only finds a box (it makes no mask or track) whose box a later
        selecting step uses ("found the cat" then "selected the cat": said once, as that selection)."""
        declared = self.traits(step.tool)
        if declared.role != SELECTS or MASK_KINDS & set(declared.makes):
            return False
        return any(
            self.producer(s.args.get("box")) is step
            for s in self.plan.steps
            if s is not step and self.traits(s.tool).role == SELECTS and "box" in self.traits(s.tool).regions
        )


def feeds_a_segment(plan: Plan, step: Step) -> bool:
    """A selecting step that only finds a box whose box a later selecting step uses: the answer says
    it once, as that selection ("found the cat" is said as "selected the cat")."""
    return _Reading(plan).feeds_a_selection(step)


class StepView:
    """One step as its tool's phrase function sees it (:class:`vitron_agent.toolkit.registry.StepWords`)."""

    def __init__(self, reading: _Reading, step: Step, previous: Step | None, record: dict[str, Any], past: bool):
        self.reading, self.step, self.previous = reading, step, previous
        self.args: dict[str, Any] = step.args
        self.record = record
        self.past = past

    def verb(self, done: str, todo: str) -> str:
        return done if self.past else todo

    def it(self, medium: str = "picture") -> str:
        """What an edit works on, in words: "it" right after the step that selected it, else its
        name; "everything except …" outside a mask; the whole picture or video without one."""
        ref = self.args.get("mask") or self.args.get("track")
        source = self.reading.producer(ref)
        if source is None:
            if isinstance(ref, str) and ref.startswith(("$last.", "$input.")):
                name = "it" if ref.startswith("$last.") else "the region you marked"
                return f"everything except {name}" if self.args.get("where") == "outside" else name
            return f"the {medium}"
        name = self.reading.named(source) or "the selected region"
        if self.args.get("where") == "outside":
            return f"everything except {name}"
        return _pronoun(name) if source is self.previous else name

    def named(self, ref: Any) -> str | None:
        source = self.reading.producer(ref)
        return self.reading.named(source) if source is not None else None

    def made_by_a_step(self, ref: Any) -> bool:
        return self.reading.producer(ref) is not None

    def target(self) -> str:
        """What the step names or works on: its selection, its target's words, "it" on a mask, else
        the picture."""
        declared = self.reading.traits(self.step.tool)
        return (
            self.reading.named(self.step)
            or target_words(self.args.get(declared.target) if declared.target else None)
            or ("it" if self.args.get("mask") else "the picture")
        )


def _phrase(words: StepView) -> str:
    """The step's phrase by its tool's declaration (templates or a function), else the generic one."""
    declared = words.reading.traits(words.step.tool).phrase
    if callable(declared):
        return declared(words)
    if declared is None:
        return GENERIC[0 if words.past else 1].format(tool=words.step.tool)
    prompt = words.args.get("prompt") or NO_PROMPT
    return declared[0 if words.past else 1].format(target=words.target(), it=words.it(), prompt=prompt)


def phrases(plan: Plan, records: dict[str, dict[str, Any]], past: bool = True) -> dict[str, str]:
    """step id -> what the step did (``past``) or was to do, in words."""
    out: dict[str, str] = {}
    previous: Step | None = None
    reading = _Reading(plan)
    for step in plan.steps:
        out[step.id] = _phrase(StepView(reading, step, previous, records.get(step.id) or {}, past))
        previous = step
    return out
