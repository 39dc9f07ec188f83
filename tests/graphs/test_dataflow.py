"""Dataflow scheduling: a step starts when its own inputs are ready, not when its wave is done.
No timing asserts: the order is proven by a gate the dependant opens for the slow step."""

import threading

import numpy as np
import pytest
from pydantic import Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.stub_tools import ImageIn, ImageOut
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.tool import Toolbox, VisionTool


class _In(ImageIn):
    role: str = Field(description="slow | fast | opener | broken")


class _Out(ImageOut):
    note: str


class Gate(VisionTool):
    """``slow`` waits for the gate (up to ``patience`` s); ``opener`` opens it; ``broken`` fails."""

    name = "gate"
    description = "test tool"
    Input = _In
    Output = _Out

    def __init__(self, patience: float):
        self.gate, self.patience, self.started = threading.Event(), patience, []

    def run(self, inp: _In, ctx) -> _Out:
        self.started.append(ctx.step_id)
        if inp.role == "broken":
            raise ToolFailed("broken on purpose")
        if inp.role == "opener":
            self.gate.set()
        note = "done"
        if inp.role == "slow":
            note = "opened by a dependant" if self.gate.wait(self.patience) else "nobody opened the gate"
        return _Out(image=inp.image, note=note)


PLAN = {
    "steps": [
        {"id": "s1", "tool": "gate", "args": {"image": "$input.image", "role": "slow"}},
        {"id": "s2", "tool": "gate", "args": {"image": "$input.image", "role": "fast"}},
        {"id": "s3", "tool": "gate", "args": {"image": "$s2.image", "role": "opener"}},
    ]
}


def agent_for(tool, plan, scheduler, tmp_path, **kw):
    config = Config.model_validate({"agent": {"scheduler": scheduler}})
    return Agent(toolbox=Toolbox([tool]), planner=ScriptedPlanner([plan]), data_dir=tmp_path, config=config, **kw)


def test_a_dependant_starts_before_an_unrelated_long_step_finishes(tmp_path):
    tool = Gate(patience=60)
    events = list(agent_for(tool, PLAN, "dataflow", tmp_path).stream("go", image=np.zeros((8, 8, 3), np.uint8)))
    result = events[-1]["result"]
    assert result.ok and result.step("s1").outputs["note"]["value"] == "opened by a dependant"
    assert sorted(tool.started) == ["s1", "s2", "s3"]
    order = [(e["type"], e["step"]) for e in events if e["type"] in ("step_started", "step_finished")]
    assert order.index(("step_started", "s3")) < order.index(("step_finished", "s1"))  # streamed in that order
    assert order.count(("step_started", "s3")) == 1


def test_the_wave_scheduler_holds_the_dependant_back(tmp_path):
    tool = Gate(patience=0.5)
    result = agent_for(tool, PLAN, "waves", tmp_path).run("go", image=np.zeros((8, 8, 3), np.uint8))
    assert result.step("s1").outputs["note"]["value"] == "nobody opened the gate"
    assert tool.started[-1] == "s3"


def test_failures_skip_only_their_dependants_while_other_branches_go_on(tmp_path):
    plan = {
        "steps": [
            {"id": "s1", "tool": "gate", "args": {"image": "$input.image", "role": "broken"}},
            {"id": "s2", "tool": "gate", "args": {"image": "$s1.image", "role": "fast"}},
            {"id": "s3", "tool": "gate", "args": {"image": "$s2.image", "role": "fast"}},
            {"id": "s4", "tool": "gate", "args": {"image": "$input.image", "role": "fast"}},
            {"id": "s5", "tool": "gate", "args": {"image": "$s4.image", "role": "fast"}},
        ]
    }
    tool = Gate(patience=0)
    result = agent_for(tool, plan, "dataflow", tmp_path).run("go", image=np.zeros((8, 8, 3), np.uint8))
    status = {s.id: s.status for s in result.steps}
    assert status == {"s1": "error", "s2": "skipped", "s3": "skipped", "s4": "ok", "s5": "ok"}
    assert sorted(tool.started) == ["s1", "s4", "s5"]


@pytest.mark.parametrize("limit", [1, 2])
def test_at_most_max_parallel_steps_run_at_once(tmp_path, limit):
    running, peak, lock = [0], [0], threading.Lock()

    class Counting(Gate):
        def run(self, inp, ctx):
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            try:
                return super().run(inp, ctx)
            finally:
                with lock:
                    running[0] -= 1

    plan = {
        "steps": [
            {"id": f"s{i}", "tool": "gate", "args": {"image": "$input.image", "role": "slow"}} for i in range(1, 6)
        ]
    }
    config = Config.model_validate({"agent": {"max_parallel_steps": limit}})
    tool = Counting(patience=0.05)
    agent = Agent(toolbox=Toolbox([tool]), planner=ScriptedPlanner([plan]), data_dir=tmp_path, config=config)
    assert agent.run("go", image=np.zeros((8, 8, 3), np.uint8)).ok
    assert peak[0] <= limit and len(tool.started) == 5


def test_plans_are_capped_with_a_message_that_says_what_to_do(tmp_path):
    plan = {
        "steps": [
            {"id": f"s{i}", "tool": "gate", "args": {"image": "$input.image", "role": "fast"}} for i in range(1, 8)
        ]
    }
    tool = Gate(patience=0)
    config = Config.model_validate({"agent": {"max_plan_steps": 5}})
    agent = Agent(toolbox=Toolbox([tool]), planner=ScriptedPlanner([plan]), data_dir=tmp_path, config=config)
    result = agent.run("seven things", image=np.zeros((8, 8, 3), np.uint8))
    assert tool.started == [] and not result.ok
    assert (
        "the plan has 7 steps; this agent runs at most 5 a turn" in result.answer
        and "split the request" in result.answer
    )


def test_a_malformed_edited_plan_is_refused_and_the_review_stays_pending(tmp_path):
    from vitron_agent.core.errors import InputError

    tool = Gate(patience=0)
    agent = Agent(
        toolbox=Toolbox([tool]), planner=ScriptedPlanner([PLAN]), data_dir=tmp_path / "a", db=tmp_path / "s.sqlite"
    )
    paused = agent.run("go", image=np.zeros((8, 8, 3), np.uint8), session="r", review=True)
    assert paused.awaiting_review
    with pytest.raises(InputError, match="the edited plan is malformed.*the review stays pending"):
        agent.review("r", "edit", plan={"steps": [{"tool": "gate"}], "junk": 1})
    assert agent.review("r", "approve").ok and sorted(tool.started) == ["s1", "s2", "s3"]
