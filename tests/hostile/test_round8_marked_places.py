"""Hostile round 8: places marked in the words of a request. A box said by its two corners,
"blur the box (100,50)-(200,150)", was read as the point (100, 50) with a target 'the box -', and
the answer said "I selected the box - and blurred it"; the second corner was dropped unsaid. Two
points for one step ("remove the objects at (10,10) and (200,200)") used the first and said both
were removed. A box by its corners is one box; a place the plan does not use is said."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.runtime.agent import Agent

BOX = {"x1": 100.0, "y1": 50.0, "x2": 200.0, "y2": 150.0}


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    made = Agent(data_dir=tmp_path_factory.mktemp("marked"))
    yield made
    made.close()


def _boxes(plan):
    return [
        {k: v for k, v in s.args["box"].items() if k != "type"}
        for s in plan.steps
        if isinstance(s.args.get("box"), dict)
    ]


@pytest.mark.parametrize(
    "request_",
    [
        "blur the box (100,50)-(200,150)",
        "blur the box (100, 50) to (200, 150)",
        "blur the region from (100,50) to (200,150)",
        "blur the area between (100,50) and (200,150)",
        "blur [100,50]-[200,150]",
        "blur the rectangle (200,150)-(100,50)",
        "remove what is in (100,50) – (200,150)",
    ],
)
def test_a_box_said_by_its_two_corners_is_that_box(agent, request_):
    plan = agent.plan(request_, image="<image>")
    assert _boxes(plan) == [BOX], (request_, plan.steps, plan.notes)
    assert not any(isinstance(s.args.get("point"), dict) for s in plan.steps), plan.steps


def test_a_place_the_plan_does_not_use_is_said(agent):
    picture = np.full((240, 320, 3), 90, np.uint8)
    picture[2:30, 2:30] = picture[180:220, 180:220] = (200, 30, 30)
    result = agent.run("remove the objects at (10,10) and (200,200)", image=picture, session="two")
    said = " ".join(result.warnings) + " " + result.answer
    assert "(200, 200)" in said and "not use" in said, said
    assert agent.run("make it brighter", session="two").answer.startswith("I brightened")
