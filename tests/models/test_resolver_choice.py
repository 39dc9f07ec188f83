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


def _two_cats(width: int = 900) -> tuple[np.ndarray, tuple, tuple]:
    """scikit-image's cat twice on a grey wall, the left one smaller: (picture, left box, right box);
    at the default ``width`` the two touch."""
    import cv2
    from skimage import data

    cat = data.chelsea()
    canvas = np.full((420, width, 3), 128, np.uint8)
    small = cv2.resize(cat, (cat.shape[1] * 200 // cat.shape[0], 200))
    big = cv2.resize(cat, (cat.shape[1] * 380 // cat.shape[0], 380))
    canvas[200:400, 20 : 20 + small.shape[1]] = small
    right = width - 20
    canvas[20:400, right - big.shape[1] : right] = big
    return canvas, (20, 200, 20 + small.shape[1], 400), (right - big.shape[1], 20, right, 400)


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


@pytest.mark.parametrize(
    "name, label, box, word",
    [("chelsea", "tabby", (100, 30, 250, 150), "cat"), ("rocket", "missile", (310, 130, 336, 200), "rocket")],
)
def test_a_classifier_box_on_a_part_grows_to_the_thing(name, label, box, word):
    """A classifier's find on the cat's face or the rocket's nose (a crop, an activation peak) is
    grown to the salient object it lies on, which the classifier names so (answers 'too small')."""
    from skimage import data

    from vitron_agent.core.refs import Box, Detection
    from vitron_agent.perception.box_refine import refine_detection
    from vitron_agent.perception.detector import box_iou
    from vitron_agent.perception.wordnet_names import classes_for

    image = getattr(data, name)()
    d = Detection(label=label, score=0.4, box=Box(x1=box[0], y1=box[1], x2=box[2], y2=box[3]))
    got = refine_detection(image, d, classes_for(word)[1])[0].detection.box
    whole = {"chelsea": (0, 0, 451, 300), "rocket": (310, 125, 338, 365)}[name]
    assert box_iou((got.x1, got.y1, got.x2, got.y2), whole) >= 0.7 > box_iou(box, whole)


def test_one_cat_is_not_cut_in_two():
    """scikit-image's cat on its gravel stays one cat: its two eyes peak apart in the classifier's
    activation map, but the detector saw no second cat (it had been split in two at its eyes)."""
    import cv2
    from skimage import data

    from vitron_agent.perception.box_refine import refine_found
    from vitron_agent.perception.detector import detect_objects

    gravel = cv2.resize(np.stack([data.gravel()] * 3, -1), (768, 576))
    cat = cv2.resize(data.chelsea(), (519, 345))
    gravel[115:460, 150:669] = cat
    pool, _, hows = refine_found(gravel, detect_objects(gravel), ("cat",))
    assert len([d for d in pool if d.label == "cat"]) == 1
    assert not any("split" in h for h in hows.values())


def test_grabcut_gives_the_objects_shape_not_the_box():
    """Where the salient segmenter sees nothing in a box, GrabCut seeded by the box gives the thing's
    own outline: scikit-image's coffee cup (a disc of crema on gravel here), not a box-shaped mask."""
    import cv2
    from skimage import data

    from vitron_agent.perception.object_masks import grabcut_in_box

    image = cv2.resize(np.stack([data.gravel()] * 3, -1), (400, 300))
    disc = np.zeros(image.shape[:2], np.uint8)
    cv2.ellipse(disc, (200, 150), (90, 70), 0, 0, 360, 1, -1)
    cup = cv2.resize(data.coffee(), (400, 300))
    image[disc > 0] = cup[disc > 0]
    got = grabcut_in_box(image, (100, 70, 300, 230))
    assert got is not None
    truth = disc > 0
    iou = (got & truth).sum() / (got | truth).sum()
    box = np.zeros_like(truth)
    box[70:230, 100:300] = True
    assert iou >= 0.8 > (box & truth).sum() / (box | truth).sum()
    assert not got[72, 102] and not got[228, 298]  # the box's corners are not the thing


def test_a_box_holding_two_named_objects_gives_each_when_asked():
    """A classifier's box (here the whole picture) holding two cats gives both when a phrase picks
    one by size or place (``several``): each its own box, so 'the bigger' is chosen among objects,
    not among proposals (the bigger cheetah had come out as the smaller one); without it, one."""
    from vitron_agent.core.refs import Box, Detection
    from vitron_agent.perception.box_refine import refine_detection
    from vitron_agent.perception.detector import box_iou
    from vitron_agent.perception.wordnet_names import classes_for

    image, *boxes = _two_cats(1000)  # apart: two salient objects
    whole = Detection(label="tabby", score=0.4, box=Box(x1=0, y1=0, x2=image.shape[1], y2=image.shape[0]))
    kinds = classes_for("cat")[1]
    got = [r.detection.box for r in refine_detection(image, whole, kinds, several=True)]
    assert len(got) == 2
    for truth in boxes:
        assert max(box_iou((b.x1, b.y1, b.x2, b.y2), truth) for b in got) >= 0.7
    assert len(refine_detection(image, whole, kinds)) == 1


def test_a_part_is_not_grown_to_another_thing_it_touches():
    """A classifier's box on a thing that touches a bigger one (scikit-image's rocket laid on the cat:
    one salient blob) is not grown to the blob when the detector finds the bigger thing there (the
    cat's box is the blob's): the rocket is no part of the cat."""
    import cv2
    from skimage import data

    from vitron_agent.core.refs import Box, Detection
    from vitron_agent.perception.box_refine import refine_detection
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.wordnet_names import classes_for

    image = cv2.resize(np.stack([data.gravel()] * 3, -1), (800, 500))
    cat = cv2.resize(data.chelsea(), (451, 300))
    image[100:400, 100:551] = cat
    rocket = data.rocket()[125:410, 300:340]  # the rocket alone, on its sky
    image[150:435, 540:580] = rocket
    assert any(d.label == "cat" for d in detect_objects(image))
    d = Detection(label="missile", score=0.4, box=Box(x1=540, y1=150, x2=580, y2=300))
    got = refine_detection(image, d, classes_for("rocket")[1])[0].detection.box
    assert got.x1 >= 500  # not grown over the cat


@pytest.mark.parametrize(
    "phrase, n",
    [("the second cup from the left", 2), ("the last boat", -1), ("the 3rd dog", 3), ("the first aid kit", None)],
)
def test_ordinal_words(phrase, n):
    from vitron_agent.perception.target_spec import ordinal

    assert ordinal(phrase) == n


def _three_cups() -> tuple[np.ndarray, list[tuple[int, int]]]:
    """scikit-image's cup three times in a row on gravel (middle one biggest): (picture, x spans)."""
    import cv2
    from skimage import data

    image = cv2.resize(np.stack([data.gravel()] * 3, -1), (1000, 400))
    cup = data.coffee()[20:300, 170:420]
    spans = []
    for x0, s in ((30, 0.8), (380, 1.0), (720, 0.7)):
        c = cv2.resize(cup, None, fx=s, fy=s)
        image[380 - c.shape[0] : 380, x0 : x0 + c.shape[1]] = c
        spans.append((x0, x0 + c.shape[1]))
    return image, spans


@pytest.mark.parametrize(
    "phrase, which",
    [
        ("the second cup from the left", 1),
        ("the second cup from the right", 1),
        ("the last cup", 2),
        ("the first cup", 0),
        ("the second largest cup", 0),
    ],
)
def test_an_ordinal_picks_its_place_in_the_row(phrase, which):
    """'the second cup from the left' is the middle one, not the leftmost (the place word alone had
    picked the one furthest left, said surely)."""
    from vitron_agent.perception.recognise import resolve

    image, spans = _three_cups()
    d = resolve(image, phrase, with_mask=False).detections[0].box
    centre = (d.x1 + d.x2) / 2
    assert spans[which][0] <= centre <= spans[which][1]


def test_an_ordinal_past_the_row_is_refused():
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.perception.recognise import resolve

    image, _ = _three_cups()
    with pytest.raises(ToolFailed, match="found 3 cups.*no fourth"):
        resolve(image, "the fourth cup", with_mask=False)
