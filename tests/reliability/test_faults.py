"""Fault injection at step k of a 4-step chain: the run answers naming the failed step, its
dependants are skipped, earlier artifacts are intact and the session's next turn works."""

import threading

import numpy as np
import pytest
import torch
from pydantic import Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.media.synthetic import disc_image
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.stub_tools import ImageIn, ImageOut
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.tool import Toolbox, VisionTool


class In(ImageIn):
    n: int = Field(description="step number")


class Faulty(VisionTool):
    name = "faulty"
    description = "inverts the image, or fails as told at step `fail_at`"
    Input = In
    Output = ImageOut

    def __init__(self, fault: str, fail_at: int):
        self.fault, self.fail_at = fault, fail_at
        self.release = threading.Event()

    def run(self, inp, ctx):
        if inp.n == self.fail_at:
            if self.fault == "raises":
                raise ToolFailed("the specialist crashed")
            if self.fault == "hangs":
                self.release.wait(10)
            if self.fault == "wrong_type":
                return {"image": inp.image}
            if self.fault == "oom":
                raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 9.00 GiB")
        out = 255 - ctx.store.get_image(inp.image)
        return ImageOut(image=ctx.store.put_image(out, producer=ctx.step_id))


def chain():
    return {
        "steps": [
            {
                "id": f"s{i}",
                "tool": "faulty",
                "args": {"image": "$input.image" if i == 1 else f"$s{i - 1}.image", "n": i},
            }
            for i in range(1, 5)
        ]
    }


MESSAGES = {
    "raises": "the specialist crashed",
    "hangs": "timed out after 0.5 s",
    "wrong_type": "returned dict, expected ImageOut",
    "oom": "ran out of memory",
}


@pytest.mark.parametrize("fault", list(MESSAGES))
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_fault_at_step_k(tmp_path, fault, k):
    tool = Faulty(fault, k)
    cfg = Config.model_validate({"tools": {"faulty": {"backend": "test", "timeout": 0.5}}})
    agent = Agent(
        toolbox=Toolbox([tool]),
        planner=ScriptedPlanner(
            [chain(), {"steps": [{"id": "t1", "tool": "faulty", "args": {"image": "$input.image", "n": 99}}]}]
        ),
        data_dir=tmp_path,
        config=cfg,
    )
    img = disc_image()[0]
    result = agent.run("go", image=img, session="f")
    tool.release.set()
    status = [s.status for s in result.steps]
    assert status == ["ok"] * (k - 1) + ["error"] + ["skipped"] * (4 - k)
    assert "I could not run faulty: " in result.answer and MESSAGES[fault] in result.answer
    store = agent.store_for("f")
    expected = img
    for s in result.steps[: k - 1]:  # earlier artifacts are intact and correct
        expected = 255 - expected
        np.testing.assert_array_equal(store.get_image(s.ref("image")), expected)
    nxt = agent.run("again", session="f")
    assert nxt.ok and nxt.steps[0].status == "ok"


def test_a_bug_in_a_tool_propagates(tmp_path):
    class Buggy(Faulty):
        def run(self, inp, ctx):
            raise KeyError("a real bug")

    agent = Agent(toolbox=Toolbox([Buggy("none", 0)]), planner=ScriptedPlanner([chain()]), data_dir=tmp_path)
    with pytest.raises(KeyError, match="a real bug"):
        agent.run("go", image=disc_image()[0])
