"""Moving a thing within a picture is refused with what can be done; it had planned a zoom animation of the
whole picture, said as done ("move it to the right" after "select the horse")."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


@pytest.mark.parametrize(
    "text",
    ["move it to the right", "move the horse to the left", "please move the bus a bit to the left", "nudge him up"],
)
def test_moving_a_thing_is_refused(toolbox, text):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert not plan.steps and plan.answer.startswith("I cannot move a thing within a picture")


@pytest.mark.parametrize("text, tool", [("shift the colours towards blue", "edit"), ("make it move", "animate")])
def test_other_moves_are_not_refused(toolbox, text, tool):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert [s.tool for s in plan.steps] == [tool]
