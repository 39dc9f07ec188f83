"""The newcomer's s10 reading classes fixed by the lead: the means of an edit read as the target ("make the
cheetah stand out by blurring everything else" blurred the cheetah, said done); a count's place or time read
as a state ("how many shapes are in this drawing?": "I cannot tell which of them are drawing")."""

from __future__ import annotations

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}


def plan(text):
    return RulePlanner().plan(PlanRequest(text=text, inputs=IMG), Toolbox(default_tools()))


@pytest.mark.parametrize(
    "text, thing, op",
    [
        ("make the cheetah stand out by blurring everything else", "the cheetah", "blur"),
        ("make the motorbike pop by darkening the rest", "the motorbike", "darken"),
        ("make the bird the focus by blurring the background", "the bird", "blur"),
    ],
)
def test_the_means_is_done_to_everything_else(text, thing, op):
    p = plan(text)
    assert [(s.tool, s.args.get("target"), s.args.get("operation"), s.args.get("where")) for s in p.steps] == [
        ("segment", thing, None, None),
        ("edit", None, op, "outside"),
    ]


@pytest.mark.parametrize("text", ["how many shapes are in this drawing?", "how many red balls are there now?"])
def test_where_or_when_a_count_looks_is_no_state(text):
    p = plan(text)
    assert [s.tool for s in p.steps] == ["count"] and not any("cannot tell which" in n for n in p.notes), p.notes
