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
