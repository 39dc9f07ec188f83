"""What a step costs LangGraph: the agent's turn of n chained steps takes n + 1 checkpoints (the
input, saved as the START node's update; the plan validated and its first step run in the planner's
superstep; one per further step, with the answer in the last), one fewer than a bare LangGraph
chain of n nodes given its input (which saves the input, then the START superstep). And the
events a caller sees are the same as when validate and respond were supersteps of their own."""

import numpy as np
import pytest
from langgraph.checkpoint.memory import InMemorySaver

from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.stub_tools import stub_tool
from vitron_agent.toolkit.tool import Toolbox


class CountingSaver(InMemorySaver):
    def __init__(self):
        super().__init__()
        self.puts = 0

    def put(self, config, checkpoint, metadata, new_versions):
        self.puts += 1
        return super().put(config, checkpoint, metadata, new_versions)


def _noop():
    return stub_tool("noop", lambda inp, ctx: {"image": inp.image}, description="returns its input")


def _chain(n):
    return {
        "steps": [
            {"id": f"s{i}", "tool": "noop", "args": {"image": "$input.image" if i == 1 else f"$s{i - 1}.image"}}
            for i in range(1, n + 1)
        ]
    }


def test_a_chain_of_n_steps_is_n_plus_1_checkpoints(tmp_path):
    for n in (1, 4):
        saver = CountingSaver()
        agent = Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(n)]), saver, data_dir=tmp_path / str(n))
        result = agent.run("go", image=np.zeros((8, 8, 3), np.uint8), session="c")
        assert result.ok and len(result.steps) == n
        assert result.answer  # written in the last step's superstep
        assert saver.puts == n + 1  # the input saved as one checkpoint; n + 3 with the plan a superstep of its own


def test_events_plan_repair_answer_as_before(tmp_path):
    bad = {"steps": [{"id": "s1", "tool": "nope", "args": {}}]}
    events = []
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner([bad, _chain(2)]), data_dir=tmp_path)
    result = agent.run("go", image=np.zeros((8, 8, 3), np.uint8), on_event=events.append)
    kinds = [e["type"] for e in events if e["type"] in ("plan", "repair", "answer", "result")]
    assert kinds == ["plan", "repair", "plan", "answer", "result"]
    repair = next(e for e in events if e["type"] == "repair")
    assert any("nope" in p for p in repair["problems"])
    answer = next(e for e in events if e["type"] == "answer")
    assert answer["answer"] == result.answer and result.ok


def test_a_planner_that_fails_to_give_a_plan_is_repaired_without_a_repair_event(tmp_path):
    """The planner's own parse problems go back to it through the validate node, as before:
    a plan event, no repair event (that is for a plan that failed validation)."""
    from vitron_agent.core.errors import PlanValidationError

    calls = []

    def plan(request, toolbox):
        calls.append(request.feedback)
        if len(calls) == 1:
            raise PlanValidationError(["the reply is not JSON"])
        return _chain(1)

    events = []
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner(plan), data_dir=tmp_path)
    result = agent.run("go", image=np.zeros((8, 8, 3), np.uint8), on_event=events.append)
    assert result.ok and calls[1] == ["the reply is not JSON"]
    assert [e["type"] for e in events].count("repair") == 0


def test_the_plan_event_comes_before_the_steps_it_runs_with(tmp_path):
    """The planner's superstep also runs the first step; its plan still reaches the caller before any
    step starts (streamed early), exactly once, with and without progress events."""
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(3), _chain(1)]), data_dir=tmp_path)
    events = list(agent.stream("go", image=np.zeros((8, 8, 3), np.uint8), session="p"))
    kinds = [e["type"] for e in events if e["type"] != "progress"]
    assert kinds == ["plan", *["step_started", "step_finished"] * 3, "answer", "result"]
    assert events[0] == {"type": "plan", "plan": events[-1]["result"].plan.model_dump()}  # no internal marker
    quiet = [e["type"] for e in agent.stream("go", session="p", progress=False)]
    assert quiet == ["plan", "answer", "result"]  # a one-step plan answers in the planner's superstep


def test_a_first_step_with_bad_arguments_goes_back_to_the_planner(tmp_path):
    """An argument error of a step run in the planner's superstep is repaired as before: the records of
    the failed plan are replaced by the new plan's."""
    from vitron_agent.core.errors import ToolArgumentError

    def picky(inp, ctx):
        if inp.n != 2:
            raise ToolArgumentError("n must be 2")
        return {"image": inp.image}

    tool = stub_tool("picky", picky, inputs={"n": (int, 1)})
    plans = [{"steps": [{"id": "s1", "tool": "picky", "args": {"image": "$input.image", "n": k}}]} for k in (1, 2)]
    events = []
    agent = Agent(Toolbox([tool]), ScriptedPlanner(plans), data_dir=tmp_path)
    result = agent.run("go", image=np.zeros((8, 8, 3), np.uint8), on_event=events.append)
    assert result.ok and [s.args["n"] for s in result.steps] == [2]
    kinds = [e["type"] for e in events if e["type"] in ("plan", "repair", "answer")]
    assert kinds == ["plan", "repair", "plan", "answer"]


def test_a_turn_that_dies_before_its_plan_is_pending_and_resumes(tmp_path):
    """The input is saved as one checkpoint before the planner runs: a process that dies in the
    planner leaves the session pending with the turn's request, and resume runs the whole turn."""
    calls = []

    def plan(request, toolbox):
        calls.append(request.text)
        if len(calls) == 1:
            raise RuntimeError("died while planning")
        return _chain(2)

    db = tmp_path / "s.sqlite"
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner(plan), db=db)
    with pytest.raises(RuntimeError, match="died while planning"):
        agent.run("go", image=np.zeros((8, 8, 3), np.uint8), session="k")
    agent.close()
    with Agent(Toolbox([_noop()]), ScriptedPlanner(plan), db=db) as again:
        assert again.pending("k")
        result = again.resume("k")
        assert result.ok and result.request == "go" and [s.id for s in result.steps] == ["s1", "s2"]
        assert calls == ["go", "go"] and [h["request"] for h in again.history("k")] == ["go"]
