"""A word that shades a colour is not the thing's name ("make the mountains snowy white" selected 'the mountains
snowy', "make it sky blue" selected 'it sky'); a two-word shade the edit paints is kept whole."""

from __future__ import annotations

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def _recolor(toolbox, text):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    seg, edit = plan.steps[0].args, plan.steps[-1].args
    return seg.get("target"), edit.get("color")


@pytest.mark.parametrize(
    ("text", "target", "color"),
    [
        ("make the mountains snowy white", "the mountains", "white"),
        ("make the trees autumn orange", "the trees", "orange"),
        ("make the sofa rosy pink", "the sofa", "pink"),
        ("make the car royal blue", "the car", "royal blue"),
        ("make the car sky blue", "the car", "sky blue"),
        ("make the sky blue", "the sky", "blue"),  # after 'the' the word is the thing
        ("make the toy pony pink", "the toy pony", "pink"),  # a noun in -y stays in the name
        ("make the tennis ball yellow", "the tennis ball", "yellow"),
    ],
)
def test_shade_words(toolbox, text, target, color):
    assert _recolor(toolbox, text) == (target, color)


def _steps(toolbox, text):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    return [(s.tool, s.args.get("target") or s.args.get("operation"), s.args.get("color")) for s in plan.steps]


def test_the_background_behind_a_thing_keeps_its_colour_out_of_the_thing(toolbox):
    """'make the background behind them black' selected 'them black' (newcomer s11 A1)."""
    assert _steps(toolbox, "make the background behind the cat black") == [
        ("segment", "the cat", None),
        ("edit", "replace_background", "black"),
    ]
    assert _steps(toolbox, "turn the background behind the man to pure white")[0] == ("segment", "the man", None)


def test_invisible_is_gone(toolbox):
    """'make the lioness invisible' was not understood (newcomer s11 F3)."""
    assert _steps(toolbox, "make the lioness invisible") == [
        ("segment", "the lioness", None),
        ("edit", "remove", None),
    ]
    assert _steps(toolbox, "make the background invisible")[-1][1] == "cutout"


def test_how_many_is_no_shade(toolbox):
    """'how many blue nuclei are there?' read 'many' as a shade like 'snowy'."""
    plan = RulePlanner().plan(
        PlanRequest(text="how many blue nuclei are there?", inputs={"input": {"image": "image"}, "last": {}}), toolbox
    )
    assert "many" not in str(plan.notes) and plan.steps
