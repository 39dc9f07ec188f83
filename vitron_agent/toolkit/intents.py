"""The intent table: every sentence the rule planner understands is one :class:`Intent` record,
registered with :func:`register_intent` -- the built-in ones (``vitron_agent.planners.rule``) and
those a tool module declares beside its tool (``examples/mirror_tool.py``), through the same call.

A record carries everything about an intent: its name, example utterances (the learned matcher
compares each clause with them), the slots it reads, its help line, and either a handler (code
that fills slots and emits steps through an :class:`IntentCall`) or, for a declarative intent, the
tool it calls on the current picture with fixed ``args``. The help text, the verb list that typo
repair reads and the order come from the table; nothing about an intent lives anywhere else.
See ``/docs`` (INTENT_API) for a complete example.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "Intent",
    "IntentCall",
    "ToolIntent",
    "register_intent",
    "unregister_intent",
    "registered_intents",
    "SLOTS",
]

# The slot names a record may list (what its handler reads from the clause; see vitron_agent.toolkit.slots).
SLOTS = (
    "target",
    "colour",
    "amount",
    "angle",
    "size",
    "duration",
    "time_range",
    "timestamp",
    "factor",
    "count",
    "prompt",
    "direction",
    "text",
)


class IntentCall(Protocol):
    """What a handler gets for one clause (the rule planner implements it).

    ``text``: the clause as written (regions restored); ``rest``: the clause after its verb phrase
    ("trim the first 5 seconds" -> "the first 5 seconds"); ``picture``: the reference of the
    current picture (``$input.image``, ``$s2.video`` ...) or None; ``video``: whether it is a video;
    ``mask``: the current mask (image) or track (video) reference, or None."""

    text: str
    rest: str
    picture: str | None
    video: bool
    mask: str | None

    def has_tool(self, name: str) -> bool:
        """Whether the toolbox offers ``name`` (say so with ``note`` and return when it does not)."""

    def add(self, tool: str, **args: Any) -> str:
        """Append a step calling ``tool`` with ``args`` (None values dropped); returns its id (``s3``)."""

    def set_output(self, step_id: str, output: str = "image") -> None:
        """Make ``step_id``'s ``output`` (image, video, mask, track or text) what "it" means next."""

    def target(self, phrase: str | None = None) -> str | None:
        """Find ``phrase`` (default: ``rest``) on the current picture: adds a segment (image) or
        track (video) step and returns its mask/track reference; a pronoun ("it") returns the
        current one; the whole picture ("everything", "the photo") returns None."""

    def target_words(self, phrase: str | None = None) -> str:
        """The thing ``phrase`` (default: ``rest``) names, cleaned the planner's way ("dogs show up in
        this clip" -> "dogs", "when a face is visible" -> "a face"); adds no step."""

    def note(self, text: str) -> None:
        """A sentence for the answer (e.g. what was assumed)."""

    def ask(self, text: str) -> None:
        """End planning with ``text`` as the whole answer (a question or a refusal): no steps run."""


Handler = Callable[[IntentCall], None]


@dataclass(frozen=True)
class Intent:
    """One thing the planner understands.

    ``name``: unique; registering the same name again replaces the record.
    ``patterns``: optional regular expressions (case-insensitive) matched at the start of a
    clause: the old table's rules ("rules" mode) and where the verb phrase ends (``rest``).
    ``tool`` / ``args`` / ``output``: a declarative intent calls ``tool`` with ``image`` (or
    ``video``) = the current picture and ``args``; its ``output`` is "it" for the next clause.
    ``help``: one line for the help text ("mirror it"); empty: not listed.
    ``examples``: utterances the learned matcher compares clauses with (at least 25 for a
    built-in intent: commands, questions, polite and terse forms, synonyms, both spellings).
    ``slots``: the names (``SLOTS``) the handler reads, shown to LLM planners.
    ``handler``: code run for a clause (``handler(call: IntentCall)``); None: the declarative call.
    ``media``: "image", "video", "any" (the current picture's kind) or "none" (makes a picture).
    ``order``: rules are tried in ascending order (registered tool intents default to 0, before
    the built-in table at 100 and up); ``whole`` / ``needs_colour``: rule details (the handler reads
    the whole clause / the pattern counts only when a colour word follows)."""

    name: str
    patterns: tuple[str, ...] = ()
    tool: str | None = None
    help: str = ""
    args: Mapping[str, Any] = field(default_factory=dict)
    output: str = "image"
    examples: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()
    handler: Handler | None = None
    media: str = "any"
    order: int = 0
    whole: bool = False
    needs_colour: bool = False

    def check(self) -> None:
        """Raise ValueError naming the problem (called by ``register_intent``)."""
        import re

        for p in self.patterns:
            re.compile(p)  # a broken pattern fails at import, naming itself
        if self.output not in ("image", "mask", "text", "video", "track"):
            raise ValueError(f"intent {self.name!r}: output must be image, mask, track, text or video")
        if self.handler is None and self.tool is None and self.media != "none":
            raise ValueError(f"intent {self.name!r}: give a handler or a tool")
        if self.media not in ("image", "video", "any", "none"):
            raise ValueError(f"intent {self.name!r}: media must be image, video, any or none")
        if unknown := [s for s in self.slots if s not in SLOTS]:
            raise ValueError(f"intent {self.name!r}: unknown slot(s) {unknown}; known: {', '.join(SLOTS)}")
        if not self.patterns and not self.examples:
            raise ValueError(f"intent {self.name!r}: give examples (for the matcher) or patterns (rules)")


def ToolIntent(name: str, patterns: tuple[str, ...], tool: str, help: str = "", **kw: Any) -> Intent:  # noqa: N802
    """The earlier declarative record, kept as a shorthand: an :class:`Intent` with ``tool``."""
    return Intent(name, tuple(patterns), tool=tool, help=help, **kw)


_INTENTS: dict[str, Intent] = {}
_LOCK = threading.Lock()
_VERSION = [0]  # bumped on every change, so the planner's caches (compiled rules, example vectors) renew


def register_intent(intent: Intent) -> Intent:
    """Declare ``intent`` (tool modules call this at import); the same name again replaces it."""
    intent.check()
    with _LOCK:
        _INTENTS[intent.name] = intent
        _VERSION[0] += 1
    return intent


def unregister_intent(name: str) -> None:
    with _LOCK:
        if _INTENTS.pop(name, None) is not None:
            _VERSION[0] += 1


def registered_intents() -> list[Intent]:
    """Every intent, built-in ones included once the rule planner is imported, in rule order."""
    with _LOCK:
        items = list(_INTENTS.values())
    return sorted(items, key=lambda i: i.order)  # stable: registration order within one order


def table_version() -> int:
    return _VERSION[0]
