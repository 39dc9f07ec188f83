"""Colour words with "part", "area", "region", "section" (newcomer s12, class 6): "make the red part blue" on a
colour wheel took the purest red blob, about a third of the red sector. The part of a colour is all of it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import skimage.data as skdata

from vitron_agent.runtime.agent import Agent

HUES = {"red": 0, "green": 120, "blue": 240}


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    a = Agent(data_dir=tmp_path_factory.mktemp("parts"))
    yield a
    a.close()


def _hue_band(image: np.ndarray, centre: float) -> np.ndarray:
    """The wheel's pixels within 25 degrees of a hue, clearly coloured: the colour's sector, by HSV (not by
    the colour model under test)."""
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV_FULL).astype(float)
    hue = hsv[..., 0] * 360 / 256
    near = np.abs((hue - centre + 180) % 360 - 180) <= 25
    return near & (hsv[..., 1] > 0.35 * 255) & (hsv[..., 2] > 0.3 * 255)


@pytest.mark.parametrize(("colour", "word"), [("red", "part"), ("blue", "area"), ("green", "region")])
def test_the_part_of_a_colour_is_all_of_it(agent, colour, word):
    wheel = skdata.colorwheel()
    r = agent.run(f"make the {colour} {word} white", image=wheel)
    mask = np.asarray(agent.load(r.step("s1").output("mask")), bool)
    band = _hue_band(wheel, HUES[colour])
    assert (mask & band).sum() / band.sum() > 0.75  # before: 0.27-0.30 of the sector
    assert mask.sum() < 2.5 * band.sum()  # the colour, not the wheel
    assert r.steps[1].status == "ok"
