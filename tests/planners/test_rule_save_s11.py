"""'save it' / 'keep it' accept the result (already kept): they had cut out or kept only the main object."""

from __future__ import annotations

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.save_records import SAVED
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def _plan(toolbox, text):
    return RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)


@pytest.mark.parametrize(
    "text",
    ["save it", "keep it", "save the picture as it is", "done, save", "ok great, save it please", "download this"],
)
def test_save_says_where(toolbox, text):
    plan = _plan(toolbox, text)
    assert not plan.steps and plan.answer == SAVED


@pytest.mark.parametrize("text", ["keep only the cat", "save the cat as a cutout", "keep it blue"])
def test_a_thing_or_an_edit_keeps_its_reading(toolbox, text):
    assert _plan(toolbox, text).steps
