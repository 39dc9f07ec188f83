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
