import json

import pytest
from pydantic import ValidationError

from vitron_agent.core.refs import Box, FeatureRef, ImageRef, MaskRef, Point, Scribble, ref_from_dict

SHA = "a" * 64


def test_refs_round_trip_through_json():
    refs = [
        ImageRef(id=SHA, session="s", width=4, height=3),
        MaskRef(id=SHA, session="s", width=4, height=3, area=0.25, image=SHA),
        FeatureRef(id=SHA, session="s", kind="sam_image_embedding", shape=(1, 256, 64, 64), dtype="float32"),
        Point(x=1, y=2),
        Box(x1=0, y1=0, x2=5, y2=5),
        Scribble(mask=MaskRef(id=SHA, session="s", width=4, height=3, area=0.1)),
    ]
    for ref in refs:
        data = json.loads(json.dumps(ref.model_dump(mode="json")))
        back = ref_from_dict(data)
        assert back == ref
        assert type(back) is type(ref)


def test_feature_shape_is_a_tuple_after_json():
    f = ref_from_dict({"type": "feature", "id": SHA, "session": "s", "kind": "k", "shape": [1, 2], "dtype": "float16"})
    assert f.shape == (1, 2)


@pytest.mark.parametrize("coords", [(5, 0, 5, 10), (10, 0, 5, 10), (0, 10, 5, 2)])
def test_box_rejects_empty_or_reversed(coords):
    with pytest.raises(ValidationError, match="XYXY"):
        Box(x1=coords[0], y1=coords[1], x2=coords[2], y2=coords[3])


def test_refs_are_immutable_and_strict():
    ref = ImageRef(id=SHA, session="s", width=4, height=3)
    with pytest.raises(ValidationError):
        ref.width = 10
    with pytest.raises(ValidationError):
        ImageRef(id=SHA, session="s", width=4, height=3, pixels=[1, 2])
    with pytest.raises(ValidationError):
        Point(x=-1, y=0)
