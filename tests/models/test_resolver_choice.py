"""Which one a phrase means among several (size words), and names reached through WordNet above or
beside a model's class (issue 42's resolver): on real photos (scikit-image's cat) and WordNet's data."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.perception.wordnet_names import wordnet_ready

pytestmark = pytest.mark.skipif(not wordnet_ready(), reason="WordNet's data is not installed")


@pytest.mark.parametrize(
    "phrase, size",
    [
        ("the smallest dog", "smallest"),
        ("the larger motorcycle", "largest"),
        ("the little cat", "smallest"),
        ("the small boat", "smallest"),  # every small boat is a boat: "small" says which
        ("the nearest boat", "largest"),
        ("the tallest man", "tallest"),
        ("the big cat", None),  # a big cat is a lion or a cheetah, no house cat: a name, not a size
        ("the cat on the left", None),
    ],
)
def test_size_words(phrase, size):
    from vitron_agent.perception.target_spec import size_word

    assert size_word(phrase) == size


def test_a_size_word_that_begins_another_kinds_name_is_the_head():
    from vitron_agent.perception.name_finder import head_noun

    assert head_noun("the big cat") == "big_cat"
    assert head_noun("the big dog") == "dog"
    assert head_noun("the small boat") == "boat"


def test_a_word_below_a_coco_label_looks_for_its_kinds():
    """'the puppy' names no class itself; a puppy is a young dog, so the dog breeds are looked for."""
    from vitron_agent.perception.classifier import class_name
    from vitron_agent.perception.name_finder import imagenet_kinds

    kinds = imagenet_kinds("puppy", ())
    names = {class_name(i) for i in kinds}
    assert {"beagle", "golden retriever"} <= names and "tabby" not in names
    assert not imagenet_kinds("man", ("person",))  # the classifier's people are trades, never looked for


def _two_cats() -> tuple[np.ndarray, tuple, tuple]:
    """scikit-image's cat twice on a grey wall, the left one smaller: (picture, left box, right box)."""
    import cv2
    from skimage import data

    cat = data.chelsea()
    canvas = np.full((420, 900, 3), 128, np.uint8)
    small = cv2.resize(cat, (cat.shape[1] * 200 // cat.shape[0], 200))
    big = cv2.resize(cat, (cat.shape[1] * 380 // cat.shape[0], 380))
    canvas[200:400, 20 : 20 + small.shape[1]] = small
    canvas[20:400, 880 - big.shape[1] : 880] = big
    return canvas, (20, 200, 20 + small.shape[1], 400), (880 - big.shape[1], 20, 880, 400)


@pytest.mark.parametrize("phrase, which", [("the smaller cat", 0), ("the biggest cat", 1), ("the little cat", 0)])
def test_the_one_a_size_word_picks(phrase, which):
    from vitron_agent.perception.detector import box_iou
    from vitron_agent.perception.recognise import resolve

    image, *boxes = _two_cats()
    res = resolve(image, phrase, with_mask=False)
    d = res.detections[0].box
    got = (d.x1, d.y1, d.x2, d.y2)
    assert box_iou(got, boxes[which]) > box_iou(got, boxes[1 - which])
    assert "unsure which" not in res.method
