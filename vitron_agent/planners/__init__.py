"""Planners turn a request into a :class:`~vitron_agent.plan.Plan`."""

from vitron_agent.planners.base import Planner, PlanRequest, ScriptedPlanner
from vitron_agent.planners.replay import ReplayPlanner
from vitron_agent.planners.rule import RulePlanner

__all__ = ["Planner", "PlanRequest", "ScriptedPlanner", "ReplayPlanner", "RulePlanner"]
