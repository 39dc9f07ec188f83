"""Plurals of COCO's names: 'horses' was read as 'hors', so 'how many horses are in this video?' was
refused as 'not one of COCO's 80 kinds'. Of the forms a plural may come from, the COCO one is taken."""

import pytest

from vitron_agent.perception.coco_names import named


@pytest.mark.parametrize(
    "phrase, label",
    [
        ("horses", "horse"),
        ("the horses in this video", "horse"),
        ("buses", "bus"),
        ("vases", "vase"),
        ("knives", "knife"),
        ("toothbrushes", "toothbrush"),
        ("ties", "tie"),
    ],
)
def test_a_plural_names_its_coco_class(phrase, label):
    got = named(phrase)
    assert got is not None and got.labels[0] == label and got.plural


def test_count_in_video_takes_a_plural_coco_name():
    from vitron_agent.tools.video_count import _detector

    assert _detector("horses") is not None and _detector("the horses") is not None


@pytest.mark.parametrize(
    "word, one",
    [
        ("people", "person"),
        ("men", "man"),
        ("women", "woman"),
        ("children", "child"),
        ("ladies", "lady"),
        ("horses", "horse"),
        ("kittens", "kitten"),
        ("taxis", "taxi"),
    ],
)
def test_one_of_them_is_said_in_the_singular(word, one):
    """The video count's "I counted 1 distinct ..." and the narrower word's "a ... from other ..." read one
    singular (coco_names.one_of)."""
    from vitron_agent.perception.coco_names import one_of

    assert one_of(word) == one
