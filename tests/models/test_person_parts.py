"""A person's clothes and hair placed by MoveNet's joints on the person's mask ("make his shirt blue",
"blur her hair"), on scikit-image's astronaut: the real MoveNet Lightning graph, cut from its TF.js file."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.core.errors import ToolFailed
from vitron_agent.perception.person_parts import owner_of, person_part, person_part_region, pose_of


def test_part_words_and_owners():
    assert person_part("his shirt") == "top" and person_part("the woman's jeans") == "bottom"
    assert person_part("her hair") == "hair" and person_part("the man's shoes") == "shoes"
    assert person_part("the dog") is None and person_part("the shirt on the chair") == "top"
    assert owner_of("the man's shirt") == "the man" and owner_of("his shirt") == "the person"
    assert owner_of("the shirt of the woman on the left") == "the woman on the left"
    assert owner_of("the dog's legs") is None  # MoveNet knows human bodies only
    # words that name other things too are a person's only with a person named as their owner (review s11)
    assert person_part("the top") is None and person_part("the table top") is None and person_part("the suit") is None
    assert person_part("his top") == "top" and person_part("the legs of the woman") == "legs"
    assert person_part("the legs of the table") is None and person_part("the chair legs") is None


def test_cut_names_a_missing_node(tmp_path):
    from vitron_agent.loading.tfjs import TfjsError, _cut

    nodes = [{"name": "x", "op": "Placeholder"}, {"name": "y", "op": "Relu", "input": ["x"]}]
    assert [n["name"] for n in _cut(nodes, "x", ("y",))] == ["x", "y"]
    with pytest.raises(TfjsError, match="no node 'z'"):
        _cut(nodes, "x", ("z",))


@pytest.fixture(scope="module")
def astronaut():
    from skimage import data

    from vitron_agent.perception.detector import detect_objects

    image = data.astronaut()
    return image, detect_objects(image)


def test_pose_finds_her_eyes_above_her_shoulders(astronaut):
    image, found = astronaut
    person = max((d for d in found if d.label == "person"), key=lambda d: d.score)
    pose = pose_of(image, (person.box.x1, person.box.y1, person.box.x2, person.box.y2))
    eyes, shoulders = pose.mid("left_eye", "right_eye"), pose.mid("left_shoulder", "right_shoulder")
    assert eyes is not None and shoulders is not None
    assert 180 < eyes[0] < 260 and 70 < eyes[1] < 130  # her eyes are at about (205, 100) and (245, 100)
    assert shoulders[1] > eyes[1] + 100


def test_hair_and_shirt_are_where_they_are(astronaut):
    image, found = astronaut
    hair, method = person_part_region(image, "her hair", found)
    assert "body layout for hair" in method
    ys, xs = np.nonzero(hair)
    assert hair.sum() > 3000 and ys.max() < 140 and 130 < xs.mean() < 300  # on her head, not the suit
    shirt, _ = person_part_region(image, "her shirt", found)
    assert shirt[300:450, 50:300].mean() > 0.6  # the suit's chest and belly
    assert shirt[60:150, 180:260].mean() < 0.05  # not her face
    assert not (hair & shirt).any()


def test_legs_out_of_the_picture_are_said(astronaut):
    image, found = astronaut
    with pytest.raises(ToolFailed, match="did not see the joints"):
        person_part_region(image, "her trousers", found)


def test_dark_hair_does_not_run_into_a_dark_coat():
    """On scikit-image's cameraman (a photo this was not written for), 'his hair' grew into his black coat's
    shoulder (the same colour); hair stops above the shoulders, and 'his coat' needs no owner word."""
    from skimage import data

    from vitron_agent.perception.detector import detect_objects

    image = np.stack([data.camera()] * 3, -1)
    found = detect_objects(image)
    hair, _ = person_part_region(image, "his hair", found)
    ys, _ = np.nonzero(hair)
    assert hair.sum() > 2000 and ys.max() < 175
    coat, _ = person_part_region(image, "the coat", found)
    assert coat[200:300, 60:200].mean() > 0.5  # his chest and arm
