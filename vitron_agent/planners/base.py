"""The Planner protocol and a scripted planner for fixed plans and tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.tool import Toolbox

__all__ = ["PlanRequest", "Planner", "ScriptedPlanner", "results_summary"]


@dataclass
class PlanRequest:
    """Everything a planner may look at.

    Attributes:
        text: the user's instruction for this turn.
        inputs: namespace -> {name: kind} of what plans may reference, e.g.
            ``{"input": {"image": "image", "box": "box"}, "last": {"mask": "mask"}}``.
        history: earlier turns of the session, oldest first: ``{"request", "answer"}``.
        feedback: problems with the previous attempt (validation errors or argument
            errors raised by tools); empty on the first attempt.
        attempt: 0 for the first plan, then 1, 2 ... for repairs.
        completed: outputs of steps that already ran in this turn: step id -> {name: kind}.
        session: the session id.
        store: the session's ArtifactStore (planners that emit embeddings store them here).
        values: the refs behind ``inputs`` (namespace -> {name: ref dict}), e.g. to show a VLM
            planner the request's image.
        results: step-by-step mode only: every step's outputs so far (step id -> {name: value});
            the planner returns the *next* steps (ids from ``first_id`` on), or none to finish.
        first_id: number of the first new step id (``s{first_id}``).
        size: (width, height) of the request's picture when it is known without the store
            (``plan --image PHOTO`` reads it from the file's header); None otherwise.
    """

    text: str
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    attempt: int = 0
    completed: dict[str, dict[str, str]] = field(default_factory=dict)
    session: str = "default"
    store: Any = None
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    first_id: int = 1
    size: tuple[int, int] | None = None


def results_summary(request: PlanRequest, max_chars: int = 400) -> str:
    """The results so far, one line per step, for step-by-step prompts."""
    lines = []
    for sid, outputs in request.results.items():
        parts = []
        for name, value in outputs.items():
            if isinstance(value, dict) and "type" in value:
                parts.append(f"{name} = ${sid}.{name} ({value['type']})")
            elif isinstance(value, str):
                parts.append(f"{name} = {value[:max_chars]!r}")
            else:
                parts.append(f"{name} = {json.dumps(value)[:max_chars]}")
        lines.append(f"{sid}: " + (", ".join(parts) or "no outputs (failed or skipped)"))
    return "\n".join(lines)


@runtime_checkable
class Planner(Protocol):
    name: str

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan: ...


class ScriptedPlanner:
    """Returns the given plans in order (the last one again once they run out), or calls
    ``fn(request, toolbox)``. For fixed pipelines and graph tests; ``react=True`` turns on
    step-by-step mode (later plans are continuations)."""

    name = "scripted"

    def __init__(
        self, plans: list[Plan | dict[str, Any]] | Callable[[PlanRequest, Toolbox], Plan], react: bool = False
    ):
        self.react = react
        if callable(plans):
            self._fn = plans
            self._plans: list[Plan] = []
        else:
            if not plans:
                raise ValueError("ScriptedPlanner needs at least one plan")
            self._fn = None
            self._plans = [p if isinstance(p, Plan) else Plan.model_validate(p) for p in plans]
        self.requests: list[PlanRequest] = []

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        self.requests.append(request)
        if self._fn is not None:
            return self._fn(request, toolbox)
        index = min(len(self.requests) - 1, len(self._plans) - 1)
        return self._plans[index]
