"""The intent table offered to LLM planners: each tool's description names the intents that plan
it (name, one-line help, slots), so the rule planner and an LLM planner read the same table.

Which tool an intent plans is not declared twice: the rule planner plans the record's first
example once per table version and toolbox, and the last step's tool is the intent's tool.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from vitron_agent.toolkit.intents import registered_intents, table_version

__all__ = ["intents_by_tool", "with_intents"]

MAX_INTENT_TEXT = 600  # characters of intent lines added to one tool's description (bounded prompt)

_LOCK = threading.Lock()
_CACHE: dict[tuple[int, tuple[str, ...]], dict[str, list[str]]] = {}


def intents_by_tool(toolbox: Any) -> dict[str, list[str]]:
    """tool name -> lines "name: help (slots: a, b)" of the intents whose first example plans it."""
    from vitron_agent.planners.base import PlanRequest
    from vitron_agent.planners.rule import RulePlanner

    key = (table_version(), tuple(sorted(t.name for t in toolbox)))
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    planner = RulePlanner(mode="rules")
    out: dict[str, list[str]] = {}
    for record in registered_intents():
        if not record.help or not (record.examples or record.tool):
            continue
        tool = record.tool
        if tool is None:
            medium = "video" if record.media == "video" else "image"
            request = PlanRequest(text=record.examples[0], inputs={"input": {medium: medium}, "last": {}})
            try:
                plan = planner.plan(request, toolbox)
            except Exception:  # a record whose example cannot be planned here is simply not offered
                continue
            if not plan.steps:
                continue
            tool = plan.steps[-1].tool
        slots = f" (slots: {', '.join(record.slots)})" if record.slots else ""
        out.setdefault(tool, []).append(f"{record.name}: {record.help}{slots}")
    with _LOCK:
        _CACHE[key] = out
    return out


def with_intents(schemas: list[dict[str, Any]], toolbox: Any) -> list[dict[str, Any]]:
    """``schemas`` (``Toolbox.planning_schemas()``) with each tool's intents appended to its
    description ("Requests it serves: ..."), bounded by MAX_INTENT_TEXT characters per tool."""
    lines = intents_by_tool(toolbox)
    out = copy.deepcopy(schemas)
    for spec in out:
        fn = spec.get("function", {})
        served = lines.get(fn.get("name", ""))
        if served:
            text = "; ".join(served)
            if len(text) > MAX_INTENT_TEXT:
                text = text[: MAX_INTENT_TEXT - 1].rsplit("; ", 1)[0] + " …"
            fn["description"] = f"{fn.get('description', '')} Requests it serves: {text}."
    return out
