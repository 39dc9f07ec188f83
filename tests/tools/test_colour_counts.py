"""Things of a colour on a photo (perception/colour_counts.py): on scikit-image's garage photo
(motorcycle_right) "how many red things" counted round red blobs and said "I see no red blobs clearly"
beside a red motorbike and a red box (newcomer, session 12). Now the detector's objects judged by their
colour, and areas of the colour outside them: the motorbike named, the red box as a red area."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from vitron_agent.perception.colour_counts import coloured_things
from vitron_agent.perception.detector import detect_objects


@pytest.fixture(scope="module")
def garage():
    return data.stereo_motorcycle()[1]  # motorcycle_right.png


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    from vitron_agent.runtime.agent import Agent

    return Agent(data_dir=tmp_path_factory.mktemp("colour-counts"))


def test_red_things_in_the_garage(agent, garage):
    out = agent.run("how many red things are there?", image=garage)
    assert out.ok, out.answer
    answer = out.answer
    assert answer.startswith("I count") and "motorcycle" in answer and "red area I cannot name at the right" in answer
    assert "blob" not in answer
    count = out.steps[0].outputs["count"]["value"]
    assert count >= 2
    mask = out.steps[0].outputs["mask"]["value"]
    assert mask["area"] > 0.1  # the motorbike's outline and the box


def test_an_area_on_a_detected_thing_is_part_of_it(garage):
    """The motorbike's red tank and fender are not red things of their own; the box on the shelf is."""
    found = coloured_things(garage, "red", detect_objects(garage))  # boxes left out whole
    assert [d.label for d in found.named][:1] == ["motorcycle"]
    assert all(where != "in the middle" for _, where in found.areas)


def test_nothing_of_the_colour_is_said_plainly(agent, garage):
    out = agent.run("how many blue things are there?", image=garage)
    assert out.answer.startswith("I see nothing blue that stands out"), out.answer
    assert out.steps[0].outputs["count"]["value"] == 0


def test_areas_of_the_colour_are_each_one_thing():
    canvas = np.full((200, 300, 3), 255, np.uint8)
    for x in (50, 150, 250):
        canvas[80:120, x - 20 : x + 20] = (220, 20, 20)
    found = coloured_things(canvas, "red", [])
    assert len(found.areas) == 3
