"""Planners turn a request into a :class:`~vitron_agent.toolkit.plan.Plan`.

The planner kinds (``[planner] kind``, ``--planner``) are declared in :mod:`.kinds`, the one
registry: adding a planner backend is one module that calls ``register_planner`` (built in, or
named in ``$VITRON_PLANNER_MODULES``; see ``examples/echo_planner.py``). Each public name here
loads on first use, so reading the registry (``vitron-agent --help``) imports no planner.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vitron_agent.planners.base import Planner, PlanRequest, ScriptedPlanner
    from vitron_agent.planners.replay import ReplayPlanner
    from vitron_agent.planners.rule import RulePlanner

__all__ = ["Planner", "PlanRequest", "ScriptedPlanner", "ReplayPlanner", "RulePlanner"]

_HOMES = {
    "Planner": "vitron_agent.planners.base",
    "PlanRequest": "vitron_agent.planners.base",
    "ScriptedPlanner": "vitron_agent.planners.base",
    "ReplayPlanner": "vitron_agent.planners.replay",
    "RulePlanner": "vitron_agent.planners.rule",
}


def __getattr__(name: str):
    import importlib

    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    try:  # a submodule by attribute (``planners.rule``), as a package's plain import would give
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":  # the submodule exists; something it imports is missing
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
