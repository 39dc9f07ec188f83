"""Parts of a whole (issue 42): WordNet's part holonyms say what a part belongs to; a wheel is
found on its vehicle's outline; any other part of a whole found is refused naming the whole,
never answered with the whole. Real weights (SSD, U²-Netp) on scikit-image's motorcycle."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from vitron_agent.core.errors import ToolFailed
from vitron_agent.perception.detector import box_iou
from vitron_agent.perception.name_finder import head_noun
from vitron_agent.perception.parts import part_of
from vitron_agent.perception.recognise import resolve
from vitron_agent.perception.wheels import find_wheels
from vitron_agent.perception.wordnet_names import wordnet_ready

pytestmark = pytest.mark.skipif(not wordnet_ready(), reason="WordNet missing: vitron-agent fetch-weights")

# the hand-drawn wheel boxes of benchmarks/recognition/tune (motorcycle.png is this photo), XYXY
REAR, FRONT = (120, 235, 280, 400), (505, 265, 685, 450)


@pytest.mark.parametrize(
    "phrase, part, whole, owner",
    [
        ("the headlight", "headlight", "motorcycle", None),
        ("the front wheel", "wheel", "car", None),
        ("the bird's beak", "beak", "bird", "bird"),
        ("the nose of the dog", "nose", "dog", "dog"),
        ("the wing", "wing", "bird", None),
    ],
)
def test_wordnet_says_what_a_part_belongs_to(phrase, part, whole, owner):
    got = part_of(phrase, head_noun(phrase))
    assert got is not None and got.part == part and whole in got.wholes and got.owner == owner


@pytest.mark.parametrize("phrase", ["the cup", "the flag", "the spoon", "the man's hat", "the saucer"])
def test_things_that_are_no_part_of_a_detectable_whole(phrase):
    assert part_of(phrase, head_noun(phrase)) is None


def test_wheels_are_the_round_lobes_at_the_bottom_of_an_outline_not_a_kickstand():
    """A drawn vehicle: a body on two discs of different sizes (the nearer larger) and a thin
    stand reaching the ground between them: two wheels, left to right; a box alone has none."""
    m = np.zeros((400, 700), np.uint8)
    cv2.rectangle(m, (60, 80), (640, 250), 1, -1)
    cv2.circle(m, (160, 290), 80, 1, -1)
    cv2.circle(m, (540, 300), 90, 1, -1)
    cv2.rectangle(m, (340, 250), (350, 385), 1, -1)
    got = find_wheels(m.astype(bool))
    assert len(got) == 2
    assert box_iou(got[0], (80, 210, 240, 370)) > 0.7 and box_iou(got[1], (450, 210, 630, 390)) > 0.7
    assert find_wheels(np.pad(np.ones((100, 300), bool), 50)) == []


@pytest.fixture(scope="module")
def moto() -> np.ndarray:
    return data.stereo_motorcycle()[0]


def test_the_motorcycles_wheels_are_found_on_its_outline(moto):
    both = resolve(moto, "the wheels")
    assert len(both.detections) == 2 and both.sure
    boxes = [(d.box.x1, d.box.y1, d.box.x2, d.box.y2) for d in both.detections]
    assert max(box_iou(b, REAR) for b in boxes) > 0.6 and max(box_iou(b, FRONT) for b in boxes) > 0.6
    left = resolve(moto, "the left wheel").detections[0].box
    assert box_iou((left.x1, left.y1, left.x2, left.y2), REAR) > 0.6
    front = resolve(moto, "the front wheel")
    assert not front.sure and "cannot tell which wheel is the front one" in front.method  # which way it faces
    from vitron_agent.graphs.policy import assumption

    step = {"status": "ok", "tool": "segment", "args": {}, "outputs": {"method": {"value": front.method}}}
    assert assumption(step)[1] == "took the nearer (larger) one"  # the turn warns ('make the back wheel green')
    assert front.mask.sum() < 0.5 * resolve(moto, "the motorcycle").mask.sum()


@pytest.mark.parametrize("phrase", ["the headlight", "the motorcycle's seat"])
def test_a_part_no_model_locates_is_refused_naming_the_whole(moto, phrase):
    with pytest.raises(ToolFailed, match="I found the motorcycle, but I cannot pick out its"):
        resolve(moto, phrase, guess=True)
