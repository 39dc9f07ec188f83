"""ReplayPlanner: a recorded model output through the live planners' parsing path.

For debugging a model ("why did my server's reply become no plan?") and for tests: a
recording -- raw text, an OpenAI chat-completion response body, or a LangChain
``AIMessage`` dump -- goes through exactly the extraction, parsing and repair messages
the Vitron, OpenAI-compatible and chat-model planners use; no model is called.

A recording file may also be an envelope ``{"format": ..., "reply": ...}`` (optionally
with ``provider`` and ``mode``), so a file says what it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vitron_agent.core.errors import InputError
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.extract import from_langchain, from_openai, from_text, reply_to_plan
from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.tool import Toolbox

__all__ = ["ReplayPlanner", "FORMATS", "load_recording"]

FORMATS = {
    "tags": "Vitron's tag format (text), parsed as --planner vitron in tags mode",
    "json": "a JSON plan in text, parsed as the planners' json mode",
    "text": "any model text (tool calls written as text, fenced JSON, or a prose answer), as tools mode",
    "openai": "an OpenAI-style chat-completion response body (JSON)",
    "langchain": "a LangChain AIMessage dump (JSON: message.model_dump() or dumpd(message))",
}


def load_recording(path: str | Path, fmt: str | None = None) -> tuple[Any, str, str | None]:
    """``(reply, format, mode)`` from a file; ``fmt`` overrides an envelope's format."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"--replay {path}: cannot read it ({type(exc).__name__}: {exc})") from None
    data: Any = None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        pass
    mode = None
    if isinstance(data, dict) and "reply" in data and "format" in data:
        fmt, mode, raw, data = fmt or data["format"], data.get("mode"), data["reply"], data["reply"]
    if fmt is None:
        raise InputError(f"--replay {path}: say what it holds with --format ({', '.join(FORMATS)})")
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r} is not one of: {', '.join(FORMATS)}")
    if fmt in ("openai", "langchain"):
        if not isinstance(data, dict):
            raise InputError(f"--replay {path}: a {fmt} recording is a JSON object ({FORMATS[fmt]})")
        return data, fmt, mode
    return raw if isinstance(raw, str) else json.dumps(raw), fmt, mode


class ReplayPlanner:
    """Plans from recordings instead of a model: the i-th planning attempt (repairs
    included) gets the i-th recording, the last one repeats.

    Args:
        replies: recordings (text, or dicts for ``openai`` / ``langchain``).
        format: one of :data:`FORMATS`.
        mode: ``"json"`` treats prose as a failed JSON plan (the planners' json mode);
            default: ``json`` for the ``json`` format, tools mode otherwise.
    """

    name = "replay"

    def __init__(self, replies: list[Any], format: str = "text", mode: str | None = None):
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
        if not replies:
            raise ValueError("ReplayPlanner needs at least one recording")
        self.replies, self.format = list(replies), format
        self.json_only = (mode or ("json" if format == "json" else "tools")) == "json"
        self.requests: list[PlanRequest] = []

    @classmethod
    def from_file(cls, path: str | Path, format: str | None = None) -> ReplayPlanner:
        reply, fmt, mode = load_recording(path, format)
        return cls([reply], fmt, mode)

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests) - 1, len(self.replies) - 1)]
        if self.format == "tags":
            from vitron_agent.planners.parsing import parse_vitron_output, request_context

            return parse_vitron_output(reply, toolbox, start=request.first_id, **request_context(request))
        parsed = {"openai": from_openai, "langchain": from_langchain}.get(self.format, from_text)(reply)
        return reply_to_plan(parsed, start=request.first_id, json_only=self.json_only)
