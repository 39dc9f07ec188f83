"""Counting the parts of a thing (newcomer round s11: "how many wheels does the motorbike have?" ->
"1 wheel" on a side view): the wheels visible are counted on the vehicle's outline, and how many
it has by kind is said apart, as common knowledge; a part no model locates is not counted, the
thing is named and its number by kind given. Real weights (SSD, U²-Netp) on scikit-image's
motorcycle (both stereo views, mirrored and cut) and cat."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from vitron_agent.loading.weights import embedded_available
from vitron_agent.perception.part_counts import part_question

pytestmark = pytest.mark.skipif(
    not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="detector weights (fetch-weights)"
)


@pytest.mark.parametrize(
    "target, part, owner",
    [
        ("wheels", "wheel", None),
        ("wheels has the motorbike got", "wheel", "motorbike"),
        ("wheels does the motorbike have", "wheel", "motorbike"),
        ("wheels of the motorcycle", "wheel", "motorcycle"),
        ("the motorbike's tyres", "wheel", "motorbike"),
        ("legs on the horse", "leg", "horse"),
        ("feet", "foot", None),
    ],
)
def test_the_part_and_its_owner_are_read_from_the_target(target, part, owner):
    q = part_question(target)
    assert q is not None and (q.part, q.owner) == (part, owner)


@pytest.mark.parametrize("target", ["cats", "black wheels", "glasses", "people and dogs"])
def test_a_target_that_is_no_part_is_left_to_the_count(target):
    assert part_question(target) is None


def test_every_part_is_read_in_the_plural_and_in_the_singular():
    """The part's singular comes from coco_names' regular endings (one singulariser), limited to the parts
    BY_KIND knows: "wheels" and "wheel" are the wheel, "eyes" the eye; "bodies", "wheelss" and "pawes" no part."""
    from vitron_agent.perception.part_counts import BY_KIND

    for part in BY_KIND:
        plural = "feet" if part == "foot" else part + "s"
        assert part_question(plural).part == part and part_question(part).part == part
    assert all(part_question(w) is None for w in ("bodies", "wheelss", "pawes", "horses"))


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext

    return ToolContext(store=ArtifactStore(tmp_path_factory.mktemp("parts")))


def _count(ctx, image, target):
    from vitron_agent.tools.describe_embedded import EmbeddedCountTool

    return EmbeddedCountTool()(ctx, image=ctx.store.put_image(np.ascontiguousarray(image)), target=target)


@pytest.mark.parametrize("view", [0, 1])
@pytest.mark.parametrize("mirror", [False, True])
def test_a_side_view_shows_both_wheels_whichever_way_it_faces(ctx, view, mirror):
    img = data.stereo_motorcycle()[view]
    out = _count(ctx, img[:, ::-1] if mirror else img, "wheels of the motorbike")
    assert out.count == 2 and out.text.startswith("I count 2 wheels on the motorcycle"), out.text
    assert out.mask is not None and 0.01 < ctx.store.get_mask(out.mask).mean() < 0.2


@pytest.mark.parametrize("cut", [slice(0, 420), slice(380, None)])
def test_a_motorbike_cut_in_half_shows_one_wheel_and_has_two_by_kind(ctx, cut):
    out = _count(ctx, data.stereo_motorcycle()[0][:, cut], "wheels has the motorbike got")
    assert out.count == 1 and out.text.startswith("I can see 1 wheel of the motorcycle"), out.text
    assert "a motorcycle has 2 wheels as a rule (common knowledge" in out.text and "edge cuts" in out.text


def test_a_part_no_model_locates_is_not_counted_and_its_number_by_kind_is_marked(ctx):
    out = _count(ctx, data.chelsea(), "legs does the cat have")
    # no count, not 0 legs (review s12: count=0 said none were seen)
    assert out.count is None and out.text.startswith("I can't count the legs here: I see the cat"), out.text
    assert "a cat has 4 legs as a rule (common knowledge" in out.text


def test_a_part_of_an_owner_not_in_the_picture_is_not_counted(ctx):
    out = _count(ctx, data.chelsea(), "wheels of the car")
    assert out.count is None and out.text.startswith("I see no car"), out.text
    assert "I can't count the wheels of a car I do not find" in out.text, out.text


def test_an_uncounted_part_stays_uncounted_through_the_steps_outputs_and_the_answer(tmp_path):
    """The count tool's schema allows no number, the step's outputs leave it out (no 0 for a reader
    of --json) and the turn's answer says it cannot count."""
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.tools.describe import CountOutput

    schema = CountOutput.model_json_schema()["properties"]["count"]
    assert {"type": "null"} in schema.get("anyOf", []), schema
    agent = Agent(data_dir=tmp_path)
    r = agent.run("how many legs does the cat have?", image=np.ascontiguousarray(data.chelsea()))
    step = next(s for s in r.steps if s.tool == "count")
    assert "count" not in step.outputs, step.outputs
    assert "can't count the legs" in r.answer and " 0 " not in r.answer, r.answer
