"""Targets parsed into a typed structure (issue 41, item 3) and relations that pick the right one
of several regions: "the people behind the speaker" is not the speaker."""

import numpy as np
import pytest

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.coco_names import Named
from vitron_agent.perception.recognise import select
from vitron_agent.perception.target_spec import TargetSpec, order_by_relation, parse_target_phrase


@pytest.mark.parametrize(
    "phrase,head,relation,other",
    [
        ("the crowd behind the player", "the crowd", "behind", "the player"),
        ("the mug on the desk", "the mug", "on", "the desk"),
        ("the man in front of the house", "the man", "in_front_of", "the house"),
        ("the dog next to the sofa", "the dog", "next_to", "the sofa"),
        ("the cat left of the lamp", "the cat", "left_of", "the lamp"),
        ("the red car on the left", "the red car on the left", None, None),  # a position, not a thing
    ],
)
def test_relations_are_parsed(phrase, head, relation, other):
    parts = parse_target_phrase(phrase)
    assert (parts.head, parts.relation, parts.relative_to) == (head, relation, other)


def test_exclusions_and_the_picture_itself():
    assert parse_target_phrase("everything except the bus").exclude == "the bus"
    assert parse_target_phrase("all but the tree").exclude == "the tree"
    assert parse_target_phrase("the painting").whole and parse_target_phrase("the whole snapshot").whole
    assert parse_target_phrase("the largest boat").size == "largest"


def test_the_schema_stays_bounded():
    schema = TargetSpec.model_json_schema()
    assert schema["properties"]["relative_to"]["anyOf"][0]["maxLength"] == 120
    TargetSpec(target="the crowd", relation="behind", relative_to="the player")


def person(x1, y1, x2, y2, score=0.9):
    return Detection(label="person", score=score, box=Box(x1=x1, y1=y1, x2=x2, y2=y2))


def test_a_relation_picks_the_one_placed_so_never_the_other_thing():
    image = np.zeros((400, 600, 3), np.uint8)
    speaker = person(250, 100, 400, 400, 0.95)  # large, in front
    behind = person(60, 80, 120, 220, 0.7)  # small, further back
    beside = person(420, 120, 560, 390, 0.8)  # as large, beside
    found = [speaker, beside, behind]
    people = Named(("person",), "person", False)
    picked, note = select(image, found, people, "the person behind the speaker", relation=("behind", speaker))
    assert picked == [behind] and "behind" in note
    picked, _ = select(image, found, people, "the person next to the speaker", relation=("next_to", speaker))
    assert picked == [beside]
    order = order_by_relation([(0, 0, 10, 10), (0, 50, 10, 60)], (0, 20, 10, 40), "above")
    assert order[0] == 0


def test_the_other_thing_is_found_among_the_detections_or_the_relation_is_dropped():
    from vitron_agent.perception.recognise import _anchor

    speaker = person(250, 100, 400, 400, 0.95)
    assert _anchor([speaker], "behind", "the speaker") == ("behind", speaker)
    assert _anchor([speaker], "behind", "the lamp post") is None  # not seen: no pretended relation
    assert _anchor([speaker], None, "the speaker") is None
