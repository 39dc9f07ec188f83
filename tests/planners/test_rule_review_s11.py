"""The session-11 review's findings, each a request that planned wrongly after this session's new readings."""

from __future__ import annotations

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def _plan(toolbox, text, media="image", last=None):
    return RulePlanner().plan(PlanRequest(text=text, inputs={"input": {media: media}, "last": last or {}}), toolbox)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('add the caption "made for my instagram"', "made for my instagram"),
        ('write "everything but the background" on it', "everything but the background"),
        ("add the caption 'for my mum' at the bottom", "for my mum"),
    ],
)
def test_quoted_words_are_written_as_they_are(toolbox, text, words):
    assert _plan(toolbox, text).steps[-1].args["text"] == words


def test_a_bare_ordinal_before_a_noun_is_no_reference():
    from vitron_agent.planners.rule.answer_refs import _ORDINAL

    assert _ORDINAL.search("make the first one red") and _ORDINAL.search("remove the last")
    assert not _ORDINAL.search("save the last frame") and not _ORDINAL.search("cut the last 3 seconds")


def test_a_second_is_a_unit_not_a_moment():
    from vitron_agent.tools.video_clip_parts import _VISIBLE

    assert _VISIBLE.search("trim a second off the start because the dog is blurry") is None
    assert _VISIBLE.search("get rid of the part where the motorbike is").group("what") == "the motorbike"


def test_follow_the_sign_on_a_clip_tracks_it(toolbox):
    steps = _plan(toolbox, "follow the sign", media="video").steps
    assert [(s.tool, s.args.get("target")) for s in steps] == [("track", "the sign")]
    assert _plan(toolbox, "apply the same steps").answer is None or "instructions written" not in str(
        _plan(toolbox, "apply the same steps").notes
    )


def test_lit_from_above_is_no_viewpoint_and_almost_invisible_is_no_removal(toolbox):
    assert "more than the picture holds" not in (_plan(toolbox, "make it look like it's lit from above").answer or "")
    plan = _plan(toolbox, "make the watermark nearly invisible")
    assert not plan.steps and "partly transparent" in plan.answer


def test_keep_them_keeps_the_selection_the_last_turn_left(toolbox):
    steps = _plan(toolbox, "keep them", last={"mask": "mask"}).steps
    assert [(s.tool, s.args.get("operation")) for s in steps] == [("edit", "keep_only")]


def test_the_thing_pointed_out_first_keeps_its_adjective():
    """'there's a red car on the left …, remove it' removed 'the red on the left' (every red area there)."""
    from vitron_agent.planners.rule.scope_words import scope_said

    assert scope_said("there's a red car on the left that ruins it, could you remove it?").endswith(
        "remove the red car on the left?"
    )
    assert scope_said("there's a yellow tint, remove it") == "there's a yellow tint, remove it"


def test_a_persons_face_near_an_animal_is_a_persons_face():
    from vitron_agent.tools.track_detect import animal_named

    assert animal_named("the face of the girl holding the cat") is None and animal_named("the cat's face") == "cat"
