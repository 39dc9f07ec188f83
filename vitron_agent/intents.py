"""Sentences that call a tool, declared beside the tool: a tool module registers the intents that
plan it, and the rule planner reads them before its own table (so adding a tool *and* the
sentence that calls it is one module; see ``examples/mirror_tool.py``).

An intent here is declarative: the patterns that start a clause, the tool it calls on the current
picture, fixed arguments, the output that becomes "it" for the next clause, and its help line.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ToolIntent", "register_intent", "unregister_intent", "registered_intents"]


@dataclass(frozen=True)
class ToolIntent:
    """``patterns``: regular expressions (case-insensitive) matched at the start of a clause;
    ``tool``: the tool called with ``image`` (or ``video``) = the current picture and ``args``;
    ``output``: the tool's output that the next clause calls "it" (``image``, ``mask`` or ``text``)."""

    name: str
    patterns: tuple[str, ...]
    tool: str
    help: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    output: str = "image"


_INTENTS: dict[str, ToolIntent] = {}
_LOCK = threading.Lock()


def register_intent(intent: ToolIntent) -> ToolIntent:
    """Declare ``intent`` (called by tool modules at import); the same name again replaces it."""
    import re

    for p in intent.patterns:
        re.compile(p)  # a broken pattern fails at import, naming itself
    if intent.output not in ("image", "mask", "text", "video"):
        raise ValueError(f"intent {intent.name!r}: output must be image, mask, text or video")
    with _LOCK:
        _INTENTS[intent.name] = intent
    return intent


def unregister_intent(name: str) -> None:
    with _LOCK:
        _INTENTS.pop(name, None)


def registered_intents() -> list[ToolIntent]:
    with _LOCK:
        return list(_INTENTS.values())
