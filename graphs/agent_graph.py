"""The agent graph: ``planner -> validate -> [review] -> execute (loop) -> respond``.

* ``planner`` asks the planner for a plan (with the problems of the last attempt) and
  validates it in the same superstep; an invalid plan goes back to the planner (bounded
  repairs); a valid one starts running in that superstep too (the first ``execute``'s work). The ``validate`` node does that on its own for an edited plan (review) and
  counts the repair when the planner itself failed to give a plan.
* ``execute`` (dataflow, the default) marks steps whose dependencies failed as skipped,
  starts every step whose own dependencies succeeded (the :class:`Dispatcher` keeps them
  running between supersteps) and returns as soon as one finishes, so each finished step
  is checkpointed and its dependants start while unrelated steps are still running. It
  loops until every step has a record, then answers in that same superstep (what
  ``respond`` does; or goes back to the planner when a tool rejected its arguments and
  repairs remain, or in step-by-step mode). Each superstep is a checkpoint: a turn of n
  chained steps takes n + 1 (the input, saved as the ``START`` node's update by
  :func:`~vitron_agent.graphs.events.start_turn`; the plan with the first step; one per further
  step); a bare LangGraph chain of n nodes given its input takes n + 2.
* ``scheduler="waves"`` keeps the earlier shape, ``schedule <-> run_step`` with one
  LangGraph ``Send`` per ready step: a round starts only when the whole previous round
  has finished (kept for comparison: ``benchmarks/scheduling.py``).
* ``respond`` writes the answer and what the next turn may call "it" (for plans without
  steps, turns that end in problems, and the waves scheduler).

State holds refs (as dicts), the plan and step records only: never pixels.
"""

from __future__ import annotations

import operator
import threading
import time
from collections import OrderedDict
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Overwrite, Send

from vitron_agent.graphs.dataflow import Dispatcher, StepRunner
from vitron_agent.planners.base import PlanRequest
from vitron_agent.toolkit.plan import Plan, dependencies, resolve_args, validate_plan

__all__ = [
    "AgentState",
    "build_agent_graph",
    "dispatch_ready",
    "route_after_validate",
    "merge_records",
    "SCHEDULERS",
]

SCHEDULERS = ("dataflow", "waves")

CLEAR = "__clear__"  # the earlier way to replace the records; still read in older checkpoints
EARLY = "_early"  # marks the plan event the planner's superstep sends before its first steps run


def _stream_writer():
    """LangGraph's custom stream writer of the running graph (a no-op when no one asked for it)."""
    from langgraph.config import get_stream_writer

    try:
        return get_stream_writer()
    except RuntimeError:  # called outside a graph run
        return lambda event: None


def merge_records(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer of step records: merge by step id. A node replaces them with LangGraph's
    ``Overwrite({...})``; ``{"__clear__": True, ...}`` (older checkpoints) still replaces."""
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
    return {
        ns: {name: value_kind(v) for name, v in values.items() if not name.startswith("_")}
        for ns, values in inputs.items()
    }


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


def _outputs(state: AgentState, records: dict[str, Any]) -> dict[str, dict[str, Any]]:
    outputs: dict[str, dict[str, Any]] = dict(state.get("inputs", {}))
    for sid, rec in records.items():
        outputs[sid] = {name: o["value"] for name, o in rec.get("outputs", {}).items()}
    return outputs


def _with_policy(step: Any, records: dict[str, Any]) -> dict[str, Any]:
    """The step as a dict, with ``held`` set when the destructive-edit policy stops it."""
    from vitron_agent.graphs.policy import hold_reason

    out = step.model_dump()
    reason = hold_reason(out, records)
    if reason:
        out["held"] = reason
    return out


def dispatch_ready(state: AgentState) -> list[Send] | str:
    """Send every step whose dependencies all succeeded; else go on to respond or replan."""
    if state.get("problems") or state.get("replan"):
        return "planner"
    plan = _plan(state)
    records = state.get("records", {})
    deps = dependencies(plan)
    outputs = _outputs(state, records)
    sends = []
    for step in plan.steps:
        if step.id in records:
            continue
        if all(records.get(d, {}).get("status") == "ok" for d in deps[step.id]):
            payload = {
                "session": state["session"],
                "step": _with_policy(step, records),
                "args": resolve_args(step.args, outputs),
            }
            sends.append(Send("run_step", payload))
    return sends or "respond"


class _Nodes:
    def __init__(
        self,
        toolbox,
        planner,
        runner: StepRunner,
        max_react_rounds: int = 4,
        max_parallel: int = 8,
        max_steps: int = 64,
        run_node: str = "execute",
    ):
        self.toolbox = toolbox
        self.max_steps = max_steps
        self.run_node = run_node  # "execute" (dataflow) or "schedule" (waves)
        self.planner = planner
        self.runner = runner
        self.max_react_rounds = max_react_rounds
        self.dispatcher = Dispatcher(runner, max_parallel)
        self._plans: OrderedDict[str, tuple[Plan, dict[str, set[str]], dict[str, str]]] = OrderedDict()
        self._by_id: OrderedDict[int, tuple[dict[str, Any], tuple[Plan, dict[str, set[str]], dict[str, str]]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def planner_node(self, state: AgentState) -> Command:
        """Ask the planner, then validate its plan here and route (the ``validate`` node's work in
        the same superstep: one checkpoint fewer a turn). When the planner itself failed to give a
        plan (problems of its own), ``validate`` counts the repair as before."""
        update = self._plan_update(state)
        if update.get("problems"):
            return Command(update=update, goto="validate")
        plan = Plan.model_validate(update.get("plan") or {})  # read once: validated here, run by execute
        checked = self._validate({**state, **update}, plan)
        if not checked.get("problems"):
            self._remember(update.get("plan") or {}, plan)
        update = {**update, **checked}
        route = _renamed(route_after_validate({**state, **update}), self.run_node)
        if route == "execute":  # dataflow: the first steps run in this superstep (one checkpoint fewer a turn)
            return self._plan_and_execute(state, update)
        return Command(update=update, goto=route)

    def _plan_and_execute(self, state: AgentState, update: dict[str, Any]) -> Command:
        """The planner's ``update`` (a valid plan) with the first ``execute``'s work done in the same
        superstep: the plan is checkpointed with the first finished step's record, not before it (a
        process killed during the first step plans again on resume; nothing it had finished is lost,
        and no checkpoint points at an artifact that is not durable: ``execute`` settles first).
        The plan goes to the caller's events before any step starts (the custom stream)."""
        _stream_writer()({"type": "plan", "plan": update.get("plan"), EARLY: True})
        given = update.get("records")
        records = given.value if isinstance(given, Overwrite) else state.get("records", {})
        command = self.execute_node({**state, **update, "records": records})
        done = command.update or {}
        merged = {**update, **{k: v for k, v in done.items() if k != "records"}}
        if isinstance(given, Overwrite):
            merged["records"] = Overwrite({**records, **done.get("records", {})})
        elif "records" in done:
            merged["records"] = done["records"]
        return Command(update=merged, goto=command.goto)

    def _plan_update(self, state: AgentState) -> dict[str, Any]:
        from vitron_agent.core.errors import PlannerError, PlanValidationError

        records = state.get("records", {})
        done = {sid: r for sid, r in records.items() if r.get("status") == "ok"}
        continuing = bool(state.get("replan"))
        previous = _plan(state) if continuing else None
        request = PlanRequest(
            text=state["request"],
            inputs=input_kinds(state.get("inputs", {})),
            history=list(state.get("history", [])),
            feedback=list(state.get("problems", [])),
            attempt=state.get("repairs", 0),
            completed={sid: {n: o["kind"] for n, o in r.get("outputs", {}).items()} for sid, r in done.items()},
            session=state["session"],
            store=self.runner.store.for_session(state["session"]),
            values=state.get("inputs", {}),
            results={sid: {n: o["value"] for n, o in r.get("outputs", {}).items()} for sid, r in records.items()}
            if continuing
            else {},
            first_id=len(previous.steps) + 1 if previous else 1,
        )
        try:
            plan = self.planner.plan(request, self.toolbox)
            plan = plan if isinstance(plan, Plan) else Plan.model_validate(plan)
        except PlannerError as exc:
            if previous is not None:  # the steps so far stand; say why it stopped
                return {
                    "plan": previous.model_copy(
                        update={"notes": [*previous.notes, f"The planner failed: {exc}"]}
                    ).model_dump(),
                    "replan": False,
                    "react_done": True,
                    "problems": [],
                }
            return {
                "plan": {"steps": [], "answer": f"The planner failed: {exc}"},
                "problems": [],
                "records": Overwrite({}),
            }
        except PlanValidationError as exc:
            return {
                "plan": (previous or Plan()).model_dump(),
                "problems": exc.problems,
                "replan": False,
                **({} if previous else {"records": Overwrite({})}),
            }
        except ValueError as exc:  # pydantic ValidationError of a malformed plan dict
            return {
                "plan": (previous or Plan()).model_dump(),
                "problems": [f"the plan is malformed: {exc}"],
                "replan": False,
                **({} if previous else {"records": Overwrite({})}),
            }
        if previous is not None:
            if not plan.steps:  # the planner is done: its words are the answer
                merged = previous.model_copy(
                    update={"answer": plan.answer or previous.answer, "notes": [*previous.notes, *plan.notes]}
                )
                return {"plan": merged.model_dump(), "replan": False, "react_done": True, "problems": []}
            merged = Plan(
                steps=[*previous.steps, *plan.steps],
                answer=plan.answer or previous.answer,
                notes=[*previous.notes, *plan.notes],
            )
            return {"plan": merged.model_dump(), "replan": False, "problems": []}
        new_sigs = {s.id: step_signature(s.model_dump()) for s in plan.steps}
        kept = {
            sid: rec
            for sid, rec in records.items()
            if rec.get("status") == "ok" and new_sigs.get(sid) == rec.get("sig")
        }
        return {"plan": plan.model_dump(), "problems": [], "records": Overwrite(kept)}

    def validate_node(self, state: AgentState) -> dict[str, Any]:
        return self._validate(state, None)

    def _validate(self, state: AgentState, plan: Plan | None) -> dict[str, Any]:
        """The validate node's update; ``plan``: the state's plan already read (None: read it here)."""
        if state.get("problems"):  # the planner itself failed to produce a plan
            return {"repairs": state.get("repairs", 0) + 1}
        plan = plan if plan is not None else _plan(state)
        problems = validate_plan(plan, self.toolbox, input_kinds(state.get("inputs", {})))
        if len(plan.steps) > self.max_steps:
            problems.append(
                f"the plan has {len(plan.steps)} steps; this agent runs at most {self.max_steps} a turn "
                "([agent] max_plan_steps): split the request into several turns"
            )
        if problems:
            return {"problems": problems, "repairs": state.get("repairs", 0) + 1}
        return {"problems": []}

    def _parsed(self, state: AgentState) -> tuple[Plan, dict[str, set[str]], dict[str, str]]:
        """The plan, its dependencies and step signatures, computed once per plan (the
        ``execute`` node runs once per finished step; re-deriving them made a chain O(n²)).
        Found by the plan dict's identity (LangGraph hands the same object to every superstep
        of a turn), else by its content (after a resume the state is a fresh copy)."""
        import json

        raw = state.get("plan") or {}
        with self._lock:
            hit = self._by_id.get(id(raw))
            if hit is not None and hit[0] is raw:
                return hit[1]
        key = json.dumps(raw, sort_keys=True, default=str)
        with self._lock:
            parsed = self._plans.get(key)
            if parsed is not None:
                self._plans.move_to_end(key)
        if parsed is None:
            parsed = self._derived(_plan(state))
        self._keep(raw, key, parsed)
        return parsed

    @staticmethod
    def _derived(plan: Plan) -> tuple[Plan, dict[str, set[str]], dict[str, str]]:
        return plan, dependencies(plan), {st.id: step_signature(st.model_dump()) for st in plan.steps}

    def _remember(self, raw: dict[str, Any], plan: Plan) -> None:
        """Keep ``plan`` (read from ``raw``, the dict the planner put in the state) for the ``execute``
        supersteps, found by the dict's identity: the first one need not read the plan again."""
        self._keep(raw, None, self._derived(plan))

    def _keep(self, raw: dict[str, Any], key: str | None, parsed: tuple[Plan, Any, Any]) -> None:
        with self._lock:
            if key is not None:
                self._plans[key] = parsed
            self._by_id[id(raw)] = (raw, parsed)  # holds ``raw``, so its id is not reused while here
            while len(self._plans) > 64:
                self._plans.popitem(last=False)
            while len(self._by_id) > 64:
                self._by_id.popitem(last=False)

    def _mark_skipped(
        self, plan: Plan, records: dict[str, Any], deps: dict[str, set[str]] | None = None
    ) -> dict[str, Any]:
        """Records for every step whose dependencies failed or were skipped (to a fixpoint);
        ``records`` is updated in place."""
        updates: dict[str, Any] = {}
        if all(r.get("status") == "ok" for r in records.values()):
            return updates  # nothing failed: nothing to skip (the common case, checked in O(records))
        deps = deps if deps is not None else dependencies(plan)
        changed = True
        while changed:
            changed = False
            for step in plan.steps:
                if step.id in records:
                    continue
                bad = sorted(d for d in deps[step.id] if records.get(d, {}).get("status") in ("error", "skipped"))
                if bad:
                    records[step.id] = updates[step.id] = self.runner.skipped_record(step.model_dump(), bad)
                    changed = True
        return updates

    def _finish(self, state: AgentState, plan: Plan, records: dict[str, Any]) -> dict[str, Any]:
        """When every step has a record: argument errors go back to the planner (repairs
        left; never for a plan a person edited in review), step-by-step mode lets the planner go on."""
        result: dict[str, Any] = {}
        if len(records) < len(plan.steps) or not all(s.id in records for s in plan.steps):
            return result  # (fewer records than steps: a step is still to run, known without a scan)
        arg_errors = [
            f"step {r['id']} ({r['tool']}): {r['error']}" for r in records.values() if r.get("error_kind") == "argument"
        ]
        if arg_errors and not state.get("edited") and state.get("repairs", 0) < state.get("max_repairs", 2):
            # (a person's edited plan is never handed to the planner: its errors are the answer)
            result["problems"] = arg_errors
            result["repairs"] = state.get("repairs", 0) + 1
        elif (
            getattr(self.planner, "react", False)
            and plan.steps
            and not state.get("react_done")
            and state.get("react_round", 0) < self.max_react_rounds
        ):
            result["replan"] = True  # step-by-step mode: the planner sees the results and may go on
            result["react_round"] = state.get("react_round", 0) + 1
        return result

    def schedule_node(self, state: AgentState) -> dict[str, Any]:
        plan = _plan(state)
        records = dict(state.get("records", {}))
        updates = self._mark_skipped(plan, records)
        return {**({"records": updates} if updates else {}), **self._finish(state, plan, records)}

    def execute_node(self, state: AgentState) -> Command:
        """Start every ready step, wait until at least one running step finishes, return the
        finished ones' records (LangGraph checkpoints them before the next ``execute``)."""
        plan, deps, sigs = self._parsed(state)
        records = dict(state.get("records", {}))
        ok = {sid for sid, r in records.items() if r.get("status") == "ok"}
        # a record that is not ok failed or was skipped: its dependants are skipped (none: no scan)
        updates = self._mark_skipped(plan, records, deps) if len(ok) < len(records) else {}
        session, turn = state["session"], len(state.get("history", []))
        keys: list[tuple[Any, ...]] = []
        ready = []
        for step in plan.steps:
            if step.id in records:
                continue
            key = (session, turn, step.id, sigs[step.id])
            keys.append(key)
            if deps[step.id] <= ok:  # every dependency succeeded (a set test, not a scan a step)
                ready.append((key, step))
        # what the ready steps' references can name: the inputs and their own dependencies' outputs
        outputs = _outputs(state, {d: records[d] for _, step in ready for d in deps[step.id]})
        if len(ready) == 1 and not self.dispatcher.running(keys):  # a chain: run it here, no hand-off
            ((key, step),) = ready
            args = resolve_args(step.args, outputs)
            finished = {key: self.runner.run(session, _with_policy(step, records), args, settle=False)}
        else:
            for key, step in ready:
                self.dispatcher.start(key, session, _with_policy(step, records), resolve_args(step.args, outputs))
            finished = self.dispatcher.wait_any(self.dispatcher.running(keys))
        if any("_writes" in r for r in finished.values()):
            # their artifacts are still being written: start the steps that need them now (they
            # read them from memory), then wait until the writes are durable before the records
            # go back to LangGraph to be checkpointed
            self._start_dependants(plan, deps, sigs, state, records, finished, keys)
        for key, record in finished.items():
            record = self.runner.settle(record)
            record["sig"] = key[3]
            records[record["id"]] = updates[record["id"]] = record
        if any(r.get("status") != "ok" for r in finished.values()):  # (earlier failures' dependants: marked above)
            updates.update(self._mark_skipped(plan, records, deps))
        self.dispatcher.discard([k for k in keys if k[2] in records])
        update = {**({"records": updates} if updates else {}), **self._finish(state, plan, records)}
        # the route is decided here, with what the node already knows (a conditional edge
        # after the node cost LangGraph ~0.1 ms a step to read the state back)
        if update.get("problems") or update.get("replan") or state.get("replan"):
            goto = "planner"
        elif any(s.id not in records for s in plan.steps):
            goto = "execute"
        else:  # every step has a record: answer in this superstep (the respond node's work, one checkpoint fewer)
            view = {**state, **{k: v for k, v in update.items() if k != "records"}, "records": records}
            update.update(self.respond_node(view))
            goto = END
        return Command(update=update, goto=goto)

    def _start_dependants(self, plan, deps, sigs, state, records, finished, keys) -> None:
        trial = dict(records)
        for record in finished.values():
            trial[record["id"]] = record
        outputs = _outputs(state, trial)
        session, turn = keys[0][0], keys[0][1]
        for step in plan.steps:
            if step.id in trial or not all(trial.get(d, {}).get("status") == "ok" for d in deps[step.id]):
                continue
            key = (session, turn, step.id, sigs[step.id])
            self.dispatcher.start(key, session, _with_policy(step, trial), resolve_args(step.args, outputs))

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
            return {"plan": plan, "problems": [], "review": False, "edited": True, "records": Overwrite({})}
        reason = decision.get("reason") if isinstance(decision, dict) else None
        answer = "The plan was rejected" + (f": {reason}" if reason else ".")
        return {"review": False, "plan": {"steps": [], "answer": answer}}

    def run_step_node(self, payload: dict[str, Any]) -> dict[str, Any]:
        record = self.runner.run(payload["session"], payload["step"], payload["args"])
        record["sig"] = step_signature(payload["step"])
        return {"records": {record["id"]: record}}

    def respond_node(self, state: AgentState) -> dict[str, Any]:
        from vitron_agent.graphs.respond import compose_answer, next_turn_inputs

        plan = self._parsed(state)[0]  # (the plan as read for execute; read again only when not seen yet)
        records = state.get("records", {})
        answer = compose_answer(plan, records, state.get("problems", []))
        last = next_turn_inputs(plan, records, state.get("inputs", {}))
        turn = {
            "request": state["request"],
            "answer": answer,
            "at": time.time(),
            "steps": [{"id": s.id, "tool": s.tool, "status": records.get(s.id, {}).get("status")} for s in plan.steps],
        }
        return {"answer": answer, "last": last, "history": [turn]}


def build_agent_graph(
    toolbox,
    planner,
    runner: StepRunner,
    checkpointer=None,
    max_react_rounds: int = 4,
    scheduler: str = "dataflow",
    max_parallel: int = 8,
    max_steps: int = 64,
):
    """Compile the agent StateGraph. ``runner`` executes one step (tool lookup, store,
    timeout, progress events); ``checkpointer`` is any LangGraph saver or None; a planner
    with ``react = True`` sees the results and may extend the plan up to ``max_react_rounds`` times.
    ``scheduler``: ``"dataflow"`` (a step starts when its own inputs are ready; at most
    ``max_parallel`` at once) or ``"waves"`` (round by round, see the module docstring)."""
    if scheduler not in SCHEDULERS:
        raise ValueError(f"scheduler must be one of {', '.join(SCHEDULERS)}, got {scheduler!r}")
    run = "execute" if scheduler == "dataflow" else "schedule"
    nodes = _Nodes(toolbox, planner, runner, max_react_rounds, max_parallel, max_steps, run)
    g = StateGraph(AgentState)
    g.add_node("planner", nodes.planner_node, destinations=("validate", "planner", "review", run, "respond", END))
    g.add_node("validate", nodes.validate_node)
    g.add_node("review", nodes.review_node)
    g.add_node("respond", nodes.respond_node)
    g.add_edge(START, "planner")
    g.add_conditional_edges(
        "validate", lambda s: _renamed(route_after_validate(s), run), ["planner", "review", run, "respond"]
    )
    g.add_conditional_edges("review", lambda s: _renamed(route_after_review(s), run), ["validate", run, "respond"])
    if scheduler == "dataflow":
        g.add_node("execute", nodes.execute_node, destinations=("execute", "planner", "respond", END))
    else:
        g.add_node("schedule", nodes.schedule_node)
        g.add_node("run_step", nodes.run_step_node)
        g.add_conditional_edges("schedule", dispatch_ready, ["run_step", "planner", "respond"])
        g.add_edge("run_step", "schedule")
    g.add_edge("respond", END)
    return g.compile(checkpointer=checkpointer)


def _renamed(route: str, run: str) -> str:
    return run if route == "schedule" else route
