"""Hostile round 7: a click on a 1x1 picture. Before, "remove the object at (0, 0)" raised OpenCV's
"(-215:Assertion failed) !ssize.empty() in function 'resize'" out of the turn: the window around the
point was 0 pixels wide (a share of a 1-pixel side, rounded down). Now the step fails in words and the
session goes on; 1x2 and 2x2 pictures already did."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.runtime.agent import Agent


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    made = Agent(data_dir=tmp_path_factory.mktemp("tiny"))
    yield made
    made.close()


@pytest.mark.parametrize("request_", ["remove the object at (0, 0)", "segment the thing at (0, 0)"])
def test_a_click_on_a_one_pixel_picture_is_answered_in_words(agent, request_):
    dot = np.full((1, 1, 3), 200, np.uint8)
    result = agent.run(request_, image=dot, session="dot")
    assert not result.ok and result.answer.startswith("I could not select"), result.answer
    assert "Assertion" not in result.answer and "OpenCV" not in result.answer
    assert agent.run("make it brighter", session="dot").answer.startswith("I brightened")


@pytest.mark.parametrize(("shape", "aspect"), [((1, 1), "16:9"), ((2, 30000), "16:9"), ((2, 3), "21:9")])
def test_a_crop_to_a_shape_the_picture_cannot_hold_is_said(agent, shape, aspect):
    # before: "I cropped the picture." (a 1x1 stayed 1x1; a 30000x2 strip became 4x2, 2:1, for 16:9)
    strip = np.full((*shape, 3), 90, np.uint8)
    result = agent.run(f"crop it to {aspect}", image=strip, session="crop")
    assert not result.ok and "too small" in result.answer and f"{shape[1]}x{shape[0]}" in result.answer, result.answer


@pytest.mark.parametrize(("shape", "aspect", "made"), [((300, 451), "16:9", (254, 451)), ((3, 2), "square", (2, 2))])
def test_a_crop_to_a_shape_it_can_hold_is_made(agent, shape, aspect, made):
    result = agent.run(f"crop it to {aspect}", image=np.full((*shape, 3), 90, np.uint8), session="crop2")
    assert result.ok and agent.load(result.artifacts[-1]).shape[:2] == made, result.answer
