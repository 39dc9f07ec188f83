"""The agent graph with scripted planners and small test tools."""

import threading
import time

import numpy as np
import pytest
from pydantic import Field

from vitron_agent.core.errors import InputError, ToolArgumentError, ToolFailed
from vitron_agent.media.synthetic import disc_image
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.stub_tools import ImageIn, ImageOut
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.tool import Toolbox, VisionTool
from vitron_agent.tools import default_tools


class _In(ImageIn):
    label: str = Field(default="", description="free text")


class _Out(ImageOut):
    text: str


class Invert(VisionTool):
    """Deterministic: inverts the image; records which thread ran it."""

    name = "invert"
    description = "invert the image"
    Input = _In
    Output = _Out

    def __init__(self, barrier: threading.Barrier | None = None):
        self.barrier = barrier
        self.calls: list[str] = []

    def run(self, inp, ctx):
        self.calls.append(inp.label)
        if self.barrier is not None:
            self.barrier.wait(timeout=10)  # only passes if the parallel steps run at the same time
        out = 255 - ctx.store.get_image(inp.image)
        return _Out(image=ctx.store.put_image(out, producer=ctx.step_id), text=f"inverted {inp.label}")


class Fails(VisionTool):
    name = "fails"
    description = "always fails"
    Input = _In
    Output = _Out

    def run(self, inp, ctx):
        raise ToolFailed("the model crashed on purpose")


class Picky(VisionTool):
    name = "picky"
    description = "rejects label 'bad'"
    Input = _In
    Output = _Out

    def run(self, inp, ctx):
        if inp.label == "bad":
            raise ToolArgumentError("label 'bad' is not allowed; use 'good'")
        return _Out(image=inp.image, text="picky ok")


class Hangs(VisionTool):
    name = "hangs"
    description = "never returns in time"
    Input = _In
    Output = _Out
    timeout = 0.3

    def run(self, inp, ctx):
        ctx.cancelled.wait(5)
        return _Out(image=inp.image, text="late")


def step(sid, tool, **args):
    args.setdefault("image", "$input.image")
    return {"id": sid, "tool": tool, "args": args}


def agent_with(plans, tools, tmp_path, **kw):
    return Agent(toolbox=Toolbox(tools), planner=ScriptedPlanner(plans), data_dir=tmp_path / "data", **kw)


@pytest.fixture
def img():
    return disc_image()[0]


def test_independent_steps_run_in_parallel_and_dependants_wait(tmp_path, img):
    tool = Invert(barrier=threading.Barrier(2))
    plan = {
        "steps": [
            step("a", "invert", label="a"),
            step("b", "invert", label="b"),
            {"id": "c", "tool": "describe", "args": {"image": "$a.image"}, "after": ["b"]},
        ]
    }
    agent = agent_with([plan], [tool, *default_tools()], tmp_path)
    events = []
    result = agent.run("go", image=img, on_event=events.append)
    assert [s.status for s in result.steps] == ["ok", "ok", "ok"]
    assert sorted(tool.calls) == ["a", "b"]
    order = [e["step"] for e in events if e["type"] == "step_started"]
    assert set(order[:2]) == {"a", "b"} and order[2] == "c"
    a_img = agent.load(result.step("a").ref("image"))
    np.testing.assert_array_equal(a_img, 255 - img)


def test_failed_step_skips_dependants_and_the_run_still_answers(tmp_path, img):
    plan = {
        "steps": [
            step("s1", "invert", label="x"),
            step("s2", "fails"),
            step("s3", "invert", image="$s2.image"),
            step("s4", "invert", image="$s3.image"),
            step("s5", "describe", image="$s1.image"),
        ]
    }
    agent = agent_with([plan, {"steps": [step("t1", "describe")]}], [Invert(), Fails(), *default_tools()], tmp_path)
    result = agent.run("go", image=img, session="f")
    status = {s.id: s.status for s in result.steps}
    assert status == {"s1": "ok", "s2": "error", "s3": "skipped", "s4": "skipped", "s5": "ok"}
    # the answer says in words what failed and what was not done (step ids: --verbose, report, JSON)
    assert "I could not run fails: the model crashed on purpose." in result.answer
    assert "I did not run invert twice, because a step before them did not complete." in result.answer
    assert agent.store_for("f").exists(result.step("s1").ref("image"))
    # the session goes on: the next turn works and sees the earlier turn's last image
    nxt = agent.run("describe", session="f")
    assert nxt.ok and nxt.inputs["input"]["image"]["id"] == result.step("s1").ref("image").id


def test_invalid_plan_goes_back_to_the_planner_with_the_problems(tmp_path, img):
    bad = {"steps": [step("s1", "invrt")]}
    good = {"steps": [step("s1", "invert", label="fixed")]}
    planner = ScriptedPlanner([bad, good])
    agent = Agent(toolbox=Toolbox([Invert()]), planner=planner, data_dir=tmp_path)
    events = []
    result = agent.run("go", image=img, on_event=events.append)
    assert result.ok and result.step("s1").outputs["text"]["value"] == "inverted fixed"
    assert planner.requests[0].feedback == []
    assert "unknown tool 'invrt'; did you mean 'invert'?" in planner.requests[1].feedback[0]
    assert [e["type"] for e in events].count("repair") == 1


def test_repairs_are_bounded(tmp_path, img):
    planner = ScriptedPlanner([{"steps": [step("s1", "nope")]}])
    agent = Agent(
        toolbox=Toolbox([Invert()]),
        planner=planner,
        data_dir=tmp_path,
        config=Config.model_validate({"agent": {"max_repairs": 2}}),
    )
    result = agent.run("go", image=img)
    assert len(planner.requests) == 3  # the first plan and two repairs
    assert result.answer.startswith("I could not make a valid plan") and "unknown tool 'nope'" in result.answer
    assert not result.ok


def test_tool_argument_errors_are_sent_back_and_completed_steps_are_kept(tmp_path, img):
    invert = Invert()
    first = {"steps": [step("s1", "invert", label="one"), step("s2", "picky", image="$s1.image", label="bad")]}
    fixed = {"steps": [step("s1", "invert", label="one"), step("s2", "picky", image="$s1.image", label="good")]}
    planner = ScriptedPlanner([first, fixed])
    agent = Agent(toolbox=Toolbox([invert, Picky()]), planner=planner, data_dir=tmp_path)
    result = agent.run("go", image=img)
    assert result.ok and invert.calls == ["one"]  # s1 was not run again
    assert "label 'bad' is not allowed" in planner.requests[1].feedback[0]
    assert planner.requests[1].completed == {"s1": {"image": "image", "text": "text"}}


def test_hung_tool_times_out_and_the_agent_goes_on(tmp_path, img):
    plan = {"steps": [step("s1", "hangs"), step("s2", "invert", label="after")]}
    agent = agent_with([plan], [Hangs(), Invert()], tmp_path)
    start = time.perf_counter()
    result = agent.run("go", image=img)
    assert time.perf_counter() - start < 4
    s1 = result.step("s1")
    assert s1.status == "error" and s1.error_kind == "timeout" and "timed out after 0.3 s" in s1.error
    assert result.step("s2").status == "ok"


def test_per_tool_timeout_from_config(tmp_path, img):
    cfg = Config.model_validate({"tools": {"hangs": {"backend": "test", "timeout": 0.1}}})
    agent = Agent(
        toolbox=Toolbox([Hangs()]),
        planner=ScriptedPlanner([{"steps": [step("s1", "hangs")]}]),
        data_dir=tmp_path,
        config=cfg,
    )
    assert "timed out after 0.1 s" in agent.run("go", image=img).step("s1").error


def test_state_holds_refs_only(tmp_path, img):
    agent = Agent(data_dir=tmp_path)
    agent.run("segment the red disc, then make it green, then describe it", image=img, session="refs")
    values = agent.graph.get_state({"configurable": {"thread_id": "refs"}}).values

    def walk(x):
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
        else:
            assert isinstance(x, (str, int, float, bool, type(None))), type(x)

    walk(values)
    import json

    assert len(json.dumps(values)) < 20_000  # handles, not pixels


def test_every_ref_in_state_points_at_a_stored_artifact(tmp_path, img):
    agent = Agent(data_dir=tmp_path)
    r = agent.run("segment the red disc, then remove it", image=img, session="w")
    for ref in r.artifacts:
        assert agent.store_for("w").exists(ref)


def test_multi_turn_with_sqlite_survives_a_restart(tmp_path, img):
    db = tmp_path / "sessions.sqlite"
    with Agent(db=db) as first:
        r1 = first.run("segment the red disc, then make it green", image=img, session="chat")
        green = r1.step("s2").ref("image")
    assert (tmp_path / "sessions.sqlite.artifacts" / "chat").is_dir()
    with Agent(db=db) as second:  # a new process would do the same
        r2 = second.run("make it brighter, then describe the result", session="chat")
        assert r2.ok
        edit = r2.step("s1")
        assert edit.args["mask"] == "$last.mask"
        assert r2.inputs["input"]["image"]["id"] == green.id  # "it" is the last turn's output
        mask = second.load(r1.step("s1").ref("mask"))
        before, after = second.load(green), second.load(edit.ref("image"))
        assert after[mask].mean() > before[mask].mean() + 10
        np.testing.assert_array_equal(after[~mask], before[~mask])
        assert [t["request"] for t in second.history("chat")] == [
            "segment the red disc, then make it green",
            "make it brighter, then describe the result",
        ]


def test_stream_yields_plan_steps_progress_and_answer(tmp_path, img):
    agent = Agent(data_dir=tmp_path)
    events = list(agent.stream("segment the red disc then describe it", image=img))
    kinds = [e["type"] for e in events]
    assert kinds[0] == "plan" and kinds[-2:] == ["answer", "result"]
    assert kinds.count("step_started") == 2 and kinds.count("step_finished") == 2
    assert any(e["type"] == "progress" and 0 <= e["fraction"] <= 1 for e in events)
    assert "red" in events[-1]["result"].answer


def test_bad_requests_raise_clear_input_errors(tmp_path, img):
    agent = Agent(data_dir=tmp_path)
    with pytest.raises(InputError, match="instruction is empty"):
        agent.run("   ", image=img)
    with pytest.raises(InputError, match="invalid session id"):
        agent.run("describe it", image=img, session="../etc")
    from vitron_agent.core.refs import Box

    with pytest.raises(InputError, match="lies outside the 160x120 image"):
        agent.run("segment the object in the box", image=img, regions=[Box(x1=0, y1=0, x2=500, y2=50)])
    with pytest.raises(InputError, match="image must be a path"):
        agent.run("describe it", image=12)
    # the agent still works after the errors
    assert agent.run("describe the image", image=img).ok


def test_plan_free_answers(tmp_path, img):
    agent = Agent(data_dir=tmp_path)
    r = agent.run("generate an image of a lighthouse")
    assert r.steps == [] and "[tools.generate] backend" in r.answer
    r = agent.run("segment the cat")
    assert "needs an image" in r.answer


def test_step_by_step_mode_sees_results_and_extends_the_plan(tmp_path, img):
    first = {"steps": [step("s1", "segment", color="red")]}
    more = {"steps": [{"id": "s2", "tool": "describe", "args": {"image": "$input.image", "mask": "$s1.mask"}}]}
    done = {"steps": [], "answer": "The red disc is described above."}
    planner = ScriptedPlanner([first, more, done], react=True)
    agent = Agent(toolbox=Toolbox(default_tools()), planner=planner, data_dir=tmp_path)
    result = agent.run("look at the red thing", image=img)
    assert [s.id for s in result.steps] == ["s1", "s2"] and result.ok
    assert planner.requests[1].results["s1"]["mask"]["type"] == "mask" and planner.requests[1].first_id == 2
    assert "red" in planner.requests[2].results["s2"]["text"]
    assert result.answer.startswith("The red disc is described above.")


def test_step_by_step_rounds_are_bounded(tmp_path, img):
    def forever(request, toolbox):
        n = request.first_id
        return Plan.model_validate({"steps": [step(f"s{n}", "describe")]})

    planner = ScriptedPlanner(forever, react=True)
    cfg = Config.model_validate({"agent": {"max_react_rounds": 2}})
    result = Agent(toolbox=Toolbox(default_tools()), planner=planner, data_dir=tmp_path, config=cfg).run(
        "go", image=img
    )
    assert [s.id for s in result.steps] == ["s1", "s2", "s3"] and len(planner.requests) == 3
