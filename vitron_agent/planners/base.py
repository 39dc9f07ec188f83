"""The Planner protocol and a scripted planner for fixed plans and tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from vitron_agent.plan import Plan
from vitron_agent.tool import Toolbox

__all__ = ["PlanRequest", "Planner", "ScriptedPlanner"]


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
    """

    text: str
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    attempt: int = 0
    completed: dict[str, dict[str, str]] = field(default_factory=dict)


@runtime_checkable
class Planner(Protocol):
    name: str

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan: ...


class ScriptedPlanner:
    """Returns the given plans in order (the last one again once they run out), or calls
    ``fn(request, toolbox)``. For fixed pipelines and graph tests."""

    name = "scripted"

    def __init__(self, plans: list[Plan | dict[str, Any]] | Callable[[PlanRequest, Toolbox], Plan]):
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
