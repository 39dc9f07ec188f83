"""A question's place words pick the region the describe / read step looks at (the session-12
newcomer: "what is on the left of the motorbike?" described the motorbike, "what colour is the
background?" the whole picture, "read the text at the bottom left" every line). Cases written before
the fix; even indices are the tuning half, odd the held-out half (benchmarks/question_places.py)."""

from __future__ import annotations

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.question_places import CANNOT_SEE_BEHIND
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

# (question, the answering tool, its place; None: a plan-free answer saying the place cannot be seen)
CASES = [
    ("what is on the left of the motorbike?", "describe", "left of the motorbike"),
    ("what is behind the motorbike?", None, None),
    ("what colour is the background?", "describe", "outside the main object"),
    ("read the text at the bottom left", "read_text", "bottom left"),
    ("what is written in the top right corner?", "read_text", "top right"),
    ("what is to the right of the cheetah?", "describe", "right of the cheetah"),
    ("what is in the background?", "describe", "outside the main object"),
    ("what colour is the top left corner?", "describe", "top left"),
    ("what is below the motorbike?", "describe", "below the motorbike"),
    ("is there any text on the right side of the picture?", "read_text", "right"),
    ("what is above the cheetah?", "describe", "above the cheetah"),
    ("what is in the bottom right corner?", "describe", "bottom right"),
    ("describe the left half of the picture", "describe", "left"),
    ("what's hiding behind the cheetah?", None, None),
]


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def plan_of(toolbox, text):
    return RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)


def right(plan, tool, place) -> bool:
    """Whether ``plan`` looks at ``place`` with ``tool`` (a relation: beside a segment step's mask), or,
    for ``tool`` None, answers without a step that the place cannot be seen."""
    if tool is None:
        return not plan.steps and "cannot see what is behind" in (plan.answer or "")
    last = plan.steps[-1] if plan.steps else None
    if last is None or last.tool != tool or last.args.get("place") != place:
        return False
    beside = place.split(" ", 1)[0] in ("outside", "left", "right", "above", "below") and " " in place
    return not beside or (last.args.get("mask", "").startswith("$s") and plan.steps[0].tool == "segment")


@pytest.mark.parametrize(("text", "tool", "place"), CASES)
def test_question_place_is_looked_at(toolbox, text, tool, place):
    plan = plan_of(toolbox, text)
    assert right(plan, tool, place), (plan.answer, [(s.tool, s.args) for s in plan.steps])


def test_behind_names_the_thing(toolbox):
    assert plan_of(toolbox, "what is behind the motorbike?").answer == CANNOT_SEE_BEHIND.format(thing="the motorbike")


@pytest.mark.parametrize(
    "text",
    [
        "what is on the table?",
        "make the left side brighter",
        "what colour is the car on the left?",
        "describe it",
        "how many people are on the left?",
    ],
)
def test_other_questions_keep_their_reading(toolbox, text):
    plan = plan_of(toolbox, text)
    assert not any("place" in s.args for s in plan.steps if s.tool in ("describe", "read_text"))
