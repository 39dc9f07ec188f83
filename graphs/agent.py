"""The agent graph: ``planner -> validate -> schedule <-> run_step -> respond``.

* ``planner`` asks the planner for a plan (with the problems of the last attempt).
* ``validate`` checks it; an invalid plan goes back to the planner (bounded repairs).
* ``schedule`` marks steps whose dependencies failed as skipped; the routing
  function ``dispatch_ready`` then ``Send``s every ready step to ``run_step`` so
  independent steps run in parallel, and dependants wait for the next round.
  When nothing is ready it goes to ``respond`` (or back to the planner when a
  tool rejected its arguments and repairs remain).
* ``respond`` writes the answer and what the next turn may call "it".

State holds refs (as dicts), the plan and step records only: never pixels.
"""

from __future__ import annotations

import operator
import time
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from vitron_agent.graphs.execution import StepRunner

from vitron_agent.plan import Plan, dependencies, resolve_args, validate_plan
from vitron_agent.planners.base import PlanRequest

__all__ = ["AgentState", "build_agent_graph", "dispatch_ready", "route_after_validate", "merge_records"]

CLEAR = "__clear__"


def merge_records(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer of step records: merge by step id; ``{"__clear__": True, ...}`` replaces."""
    right = right or {}
    if right.get(CLEAR):
        return {k: v for k, v in right.items() if k != CLEAR}
    return {**(left or {}), **right}


class AgentState(TypedDict, total=False):
    session: str
    request: str
    inputs: dict[str, dict[str, Any]]
    plan: dict[str, Any] | None
    problems: list[str]
    repairs: int
    max_repairs: int
    records: Annotated[dict[str, dict[str, Any]], merge_records]
    answer: str
    last: dict[str, Any]
    history: Annotated[list[dict[str, Any]], operator.add]
    replan: bool
    react_round: int
    react_done: bool
    review: bool
    edited: bool


def value_kind(value: Any) -> str:
    if isinstance(value, dict) and "type" in value:
        return str(value["type"])
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "number"
    return "value"


def input_kinds(inputs: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    return {ns: {name: value_kind(v) for name, v in values.items() if not name.startswith("_")}
            for ns, values in inputs.items()}


def step_signature(step: dict[str, Any]) -> str:
    import json

    return json.dumps([step["tool"], step.get("args", {}), sorted(step.get("after", []))], sort_keys=True, default=str)


def _plan(state: AgentState) -> Plan:
    return Plan.model_validate(state.get("plan") or {})


def route_after_validate(state: AgentState) -> str:
    if state.get("problems"):
        if state.get("edited"):  # a person's edit is not sent to the planner: the answer lists the problems
            return "respond"
        return "planner" if state.get("repairs", 0) <= state.get("max_repairs", 2) else "respond"
    if state.get("review") and (state.get("plan") or {}).get("steps"):
        return "review"
    return "schedule"


def route_after_review(state: AgentState) -> str:
    if state.get("edited"):  # an edited plan is validated, not reviewed again
        return "validate"
    return "schedule" if (state.get("plan") or {}).get("steps") else "respond"


def dispatch_ready(state: AgentState) -> list[Send] | str:
    """Send every step whose dependencies all succeeded; else go on to respond or replan."""
    if state.get("problems") or state.get("replan"):
        return "planner"
    plan = _plan(state)
    records = state.get("records", {})
    deps = dependencies(plan)
    outputs: dict[str, dict[str, Any]] = dict(state.get("inputs", {}))
    for sid, rec in records.items():
        outputs[sid] = {name: o["value"] for name, o in rec.get("outputs", {}).items()}
    sends = []
    for step in plan.steps:
        if step.id in records:
            continue
        if all(records.get(d, {}).get("status") == "ok" for d in deps[step.id]):
            payload = {"session": state["session"], "step": step.model_dump(),
                       "args": resolve_args(step.args, outputs)}
            sends.append(Send("run_step", payload))
    return sends or "respond"


class _Nodes:
    def __init__(self, toolbox, planner, runner: StepRunner, max_react_rounds: int = 4):
        self.toolbox = toolbox
        self.planner = planner
        self.runner = runner
        self.max_react_rounds = max_react_rounds

    def planner_node(self, state: AgentState) -> dict[str, Any]:
        from vitron_agent.errors import PlannerError, PlanValidationError

        records = state.get("records", {})
        done = {sid: r for sid, r in records.items() if r.get("status") == "ok"}
        continuing = bool(state.get("replan"))
        previous = _plan(state) if continuing else None
        request = PlanRequest(text=state["request"], inputs=input_kinds(state.get("inputs", {})),
                              history=list(state.get("history", [])), feedback=list(state.get("problems", [])),
                              attempt=state.get("repairs", 0),
                              completed={sid: {n: o["kind"] for n, o in r.get("outputs", {}).items()} for sid, r in done.items()},
                              session=state["session"], store=self.runner.store.for_session(state["session"]),
                              values=state.get("inputs", {}),
                              results={sid: {n: o["value"] for n, o in r.get("outputs", {}).items()} for sid, r in records.items()}
                              if continuing else {},
                              first_id=len(previous.steps) + 1 if previous else 1)
        try:
            plan = self.planner.plan(request, self.toolbox)
            plan = plan if isinstance(plan, Plan) else Plan.model_validate(plan)
        except PlannerError as exc:
            if previous is not None:  # the steps so far stand; say why it stopped
                return {"plan": previous.model_copy(update={"notes": [*previous.notes, f"The planner failed: {exc}"]})
                        .model_dump(), "replan": False, "react_done": True, "problems": []}
            return {"plan": {"steps": [], "answer": f"The planner failed: {exc}"}, "problems": [],
                    "records": {CLEAR: True}}
        except PlanValidationError as exc:
            return {"plan": (previous or Plan()).model_dump(), "problems": exc.problems, "replan": False,
                    **({} if previous else {"records": {CLEAR: True}})}
        except ValueError as exc:  # pydantic ValidationError of a malformed plan dict
            return {"plan": (previous or Plan()).model_dump(), "problems": [f"the plan is malformed: {exc}"],
                    "replan": False, **({} if previous else {"records": {CLEAR: True}})}
        if previous is not None:
            if not plan.steps:  # the planner is done: its words are the answer
                merged = previous.model_copy(update={"answer": plan.answer or previous.answer,
                                                     "notes": [*previous.notes, *plan.notes]})
                return {"plan": merged.model_dump(), "replan": False, "react_done": True, "problems": []}
            merged = Plan(steps=[*previous.steps, *plan.steps], answer=plan.answer or previous.answer,
                          notes=[*previous.notes, *plan.notes])
            return {"plan": merged.model_dump(), "replan": False, "problems": []}
        new_sigs = {s.id: step_signature(s.model_dump()) for s in plan.steps}
        kept = {sid: rec for sid, rec in records.items()
                if rec.get("status") == "ok" and new_sigs.get(sid) == rec.get("sig")}
        return {"plan": plan.model_dump(), "problems": [], "records": {CLEAR: True, **kept}}

    def validate_node(self, state: AgentState) -> dict[str, Any]:
        if state.get("problems"):  # the planner itself failed to produce a plan
            return {"repairs": state.get("repairs", 0) + 1}
        problems = validate_plan(_plan(state), self.toolbox, input_kinds(state.get("inputs", {})))
        if problems:
            return {"problems": problems, "repairs": state.get("repairs", 0) + 1}
        return {"problems": []}

    def schedule_node(self, state: AgentState) -> dict[str, Any]:
        plan = _plan(state)
        records = dict(state.get("records", {}))
        deps = dependencies(plan)
        updates: dict[str, Any] = {}
        changed = True
        while changed:
            changed = False
            for step in plan.steps:
                if step.id in records:
                    continue
                bad = sorted(d for d in deps[step.id] if records.get(d, {}).get("status") in ("error", "skipped"))
                if bad:
                    rec = self.runner.skipped_record(step.model_dump(), bad)
                    records[step.id] = updates[step.id] = rec
                    changed = True
        result: dict[str, Any] = {"records": updates} if updates else {}
        if all(s.id in records for s in plan.steps):
            arg_errors = [f"step {r['id']} ({r['tool']}): {r['error']}" for r in records.values()
                          if r.get("error_kind") == "argument"]
            if arg_errors and state.get("repairs", 0) < state.get("max_repairs", 2):
                result["problems"] = arg_errors
                result["repairs"] = state.get("repairs", 0) + 1
            elif (getattr(self.planner, "react", False) and plan.steps and not state.get("react_done")
                  and state.get("react_round", 0) < self.max_react_rounds):
                result["replan"] = True  # step-by-step mode: the planner sees the results and may go on
                result["react_round"] = state.get("react_round", 0) + 1
        return result

    def review_node(self, state: AgentState) -> dict[str, Any]:
        """Pause for a person or program to approve, edit or reject the plan before any tool runs.

        The resume value is ``{"action": "approve"}``, ``{"action": "edit", "plan": {...}}`` or
        ``{"action": "reject", "reason": "..."}``. LangGraph re-runs this node from its start on
        resume, so it does nothing before ``interrupt``.
        """
        from langgraph.types import interrupt

        decision = interrupt({"type": "review", "plan": state.get("plan")})
        action = decision.get("action") if isinstance(decision, dict) else str(decision)
        if action == "approve":
            return {"review": False}
        if action == "edit":
            plan = decision.get("plan") if isinstance(decision, dict) else None
            try:
                plan = Plan.model_validate(plan).model_dump()
            except ValueError as exc:
                return {"review": False, "plan": {"steps": [], "answer": f"The edited plan is malformed: {exc}"}}
            return {"plan": plan, "problems": [], "review": False, "edited": True, "records": {CLEAR: True}}
        reason = decision.get("reason") if isinstance(decision, dict) else None
        answer = "The plan was rejected" + (f": {reason}" if reason else ".")
        return {"review": False, "plan": {"steps": [], "answer": answer}}

    def run_step_node(self, payload: dict[str, Any]) -> dict[str, Any]:
        record = self.runner.run(payload["session"], payload["step"], payload["args"])
        record["sig"] = step_signature(payload["step"])
        return {"records": {record["id"]: record}}

    def respond_node(self, state: AgentState) -> dict[str, Any]:
        from vitron_agent.graphs.respond import compose_answer, next_turn_inputs

        plan = _plan(state)
        records = state.get("records", {})
        answer = compose_answer(plan, records, state.get("problems", []))
        last = next_turn_inputs(plan, records, state.get("inputs", {}))
        turn = {"request": state["request"], "answer": answer, "at": time.time(),
                "steps": [{"id": s.id, "tool": s.tool, "status": records.get(s.id, {}).get("status")} for s in plan.steps]}
        return {"answer": answer, "last": last, "history": [turn]}


def build_agent_graph(toolbox, planner, runner: StepRunner, checkpointer=None, max_react_rounds: int = 4):
    """Compile the agent StateGraph. ``runner`` executes one step (tool lookup, store,
    timeout, progress events); ``checkpointer`` is any LangGraph saver or None; a planner
    with ``react = True`` sees the results and may extend the plan up to ``max_react_rounds`` times."""
    nodes = _Nodes(toolbox, planner, runner, max_react_rounds)
    g = StateGraph(AgentState)
    g.add_node("planner", nodes.planner_node)
    g.add_node("validate", nodes.validate_node)
    g.add_node("schedule", nodes.schedule_node)
    g.add_node("review", nodes.review_node)
    g.add_node("run_step", nodes.run_step_node)
    g.add_node("respond", nodes.respond_node)
    g.add_edge(START, "planner")
    g.add_edge("planner", "validate")
    g.add_conditional_edges("validate", route_after_validate, ["planner", "review", "schedule", "respond"])
    g.add_conditional_edges("review", route_after_review, ["validate", "schedule", "respond"])
    g.add_conditional_edges("schedule", dispatch_ready, ["run_step", "planner", "respond"])
    g.add_edge("run_step", "schedule")
    g.add_edge("respond", END)
    return g.compile(checkpointer=checkpointer)
