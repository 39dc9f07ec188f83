"""Which name leads when the detector and the classifier differ (newcomer round s10: a giant panda was
called "a black bear"): a colour word that would make the detector's label a species ("black bear",
"brown bear") is left out unless the classifier sees that species; a near relative the classifier is fairly
sure of (WordNet puts the giant panda among the procyonids, beside the bears) is said beside the
detector's name as a guess; a kind of the label it is very sure of leads."""

from __future__ import annotations

import pytest
from skimage import data

from vitron_agent.perception.classifier import classifier_ready
from vitron_agent.perception.wordnet_names import named_kinds, relation, wordnet_ready

needs_models = pytest.mark.skipif(not (classifier_ready() and wordnet_ready()), reason="classifier and WordNet")


@pytest.mark.skipif(not wordnet_ready(), reason="WordNet")
def test_relations_and_colour_names_from_wordnet():
    assert relation("bear", "giant panda") == "sibling" and relation("bear", "American black bear") == "kind"
    assert relation("cat", "cheetah") == "sibling" and relation("cat", "Egyptian cat") == "kind"
    assert relation("person", "tripod") == "" and relation("bird", "fox squirrel") == ""  # too far apart
    assert named_kinds("black", "bear") and named_kinds("brown", "bear") and named_kinds("gray", "wolf")
    assert not named_kinds("brown", "cat") and not named_kinds("red", "car") and not named_kinds("black", "sheep")


@needs_models
def test_a_sure_detector_and_a_fairly_sure_classifier_that_differ_are_both_said_as_a_guess():
    import glob

    import gradio
    import imageio.v3 as iio

    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.scene_words import _named, describe_scene

    image = data.chelsea()
    cat = next(d for d in detect_objects(image) if d.label == "cat")
    bear = cat.model_copy(update={"label": "bear", "score": 0.95, "alternatives": {}})  # a sure, wrong label
    assert _named(image, bear) == "a bear"  # not "a brown bear": the classifier sees no brown bear there
    assert describe_scene(image, [cat]).startswith("I see a brown cat")  # a kind it is not very sure of: the cat
    # gradio's lion (the classifier: lion 0.60, a chow fourth), a detector sure it is a dog: it said
    # "I see a brown dog filling the picture (the classifier sees a lion)"
    path = glob.glob(gradio.__path__[0] + "/media_assets/images/lion.jpg")[0]
    lion = iio.imread(path)[..., :3]
    first = detect_objects(lion)[0]
    dog = first.model_copy(update={"label": "dog", "score": 0.95, "alternatives": {}})
    said = describe_scene(lion, [dog])
    assert said.startswith("I see what may be a lion or a dog filling the picture"), said
    assert "the classifier sees a lion, the detector a dog" in said
