"""The session-12 newcomer's reading classes: a question that names an operation is answered, not
carried out (and a request put as a question still is); two things each with its own change under one
verb are two edits; "it" after reading the text is the text."""

from __future__ import annotations

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

ANSWERING = {
    "describe",
    "describe_video",
    "count",
    "count_video",
    "read_text",
    "detect",
    "video_facts",
    "segment",
    "track",
}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def _plan(toolbox, text, media="image"):
    return RulePlanner().plan(PlanRequest(text=text, inputs={"input": {media: media}, "last": {}}), toolbox)


@pytest.mark.parametrize(
    ("text", "media"),
    [
        ("what is rotating?", "video"),
        ("which part is rotating?", "video"),
        ("why is the background blurry?", "image"),
        ("what is making it blurry?", "image"),
        ("did you blur the faces?", "image"),
        ("is the picture rotated?", "image"),
        ("why is the cat so bright?", "image"),
    ],
)
def test_a_question_is_answered_not_carried_out(toolbox, text, media):
    plan = _plan(toolbox, text, media)
    assert plan.steps and {s.tool for s in plan.steps} <= ANSWERING, [(s.tool, s.args) for s in plan.steps]


@pytest.mark.parametrize(
    ("text", "operation"),
    [
        ("is there a way to make the cat blue?", "recolor"),
        ("could you blur the background?", "blur_background"),
        ("why don't you make it warmer?", "warmer"),
        ("would it be possible to sharpen it?", "sharpen"),
    ],
)
def test_a_request_put_as_a_question_is_carried_out(toolbox, text, operation):
    ops = [s.args.get("operation") for s in _plan(toolbox, text).steps if s.tool == "edit"]
    assert operation in ops, ops


@pytest.mark.parametrize(
    ("text", "things"),
    [
        ("make the sea darker and the sky brighter", [("the sea", "darken"), ("the sky", "brighten")]),
        ("make the car red and the road darker", [("the car", "recolor"), ("the road", "darken")]),
        ("make the cat warmer and the wall cooler", [("the cat", "warmer"), ("the wall", "cooler")]),
    ],
)
def test_two_things_each_with_its_change(toolbox, text, things):
    plan = _plan(toolbox, text)
    targets = {s.id: s.args.get("target") for s in plan.steps if s.tool == "segment"}
    got = [(targets[s.args["mask"][1:].split(".")[0]], s.args["operation"]) for s in plan.steps if s.tool == "edit"]
    assert got == things


def test_it_after_reading_the_text_is_the_text(toolbox):
    plan = _plan(toolbox, "read the text then blur it")
    assert [s.tool for s in plan.steps] == ["read_text", "segment", "edit"]
    assert plan.steps[1].args["target"] == "the text" and plan.steps[2].args["mask"] == "$s2.mask"


@pytest.mark.parametrize(("media", "tool"), [("image", "edit"), ("video", "transform_video")])
def test_a_resolution_named_by_its_lines(toolbox, media, tool):
    """README lists "720p" for resizing a video; "make it 720p" was not understood."""
    step = _plan(toolbox, "make it 720p", media).steps[0]
    assert (step.tool, step.args["operation"], step.args["height"]) == (tool, "resize", 720)


def test_typo_repair_leaves_short_names_and_knows_the_classifiers_names(toolbox):
    """'usb' was read as 'use' (one letter changed in three); 'cheeta' was left (the classifier's names
    were not in the repair's vocabulary); 'dgo' and 'blr' are still repaired."""
    assert _plan(toolbox, "how many usb ports are there?").steps[0].args["target"] == "usb ports"
    assert _plan(toolbox, "segment the cheeta").steps[0].args["target"] == "the cheetah"
    assert _plan(toolbox, "blur the dgo").steps[0].args["target"] == "the dog"
    assert [s.args.get("operation") for s in _plan(toolbox, "blr the cat").steps] == [None, "blur"]


def test_it_after_an_unsure_no_is_asked_back(toolbox):
    """perception/absence.py answers "I'm not sure: I find no bowl surely, but ..."; "blur it" then blurred
    the whole picture (answer_refs only knew "I see no ...": review s12, F9)."""
    history = [
        {
            "request": "is there a bowl?",
            "answer": "I'm not sure: I find no bowl surely, but the classifier half-sees a mortar; I recognise a cup.",
            "steps": [{"id": "s1", "tool": "describe", "status": "ok"}],
        }
    ]
    inputs = {"input": {"image": "image"}, "last": {"image": "image"}}
    plan = RulePlanner().plan(PlanRequest(text="blur it", inputs=inputs, history=history), toolbox)
    assert not plan.steps and "not sure there is one" in plan.answer


def test_a_request_after_a_question_is_carried_out(toolbox):
    """'is the background too busy? blur it': the question, then the request (review s12, F1)."""
    ops = [s.args.get("operation") for s in _plan(toolbox, "is the background too busy? blur it").steps]
    assert ops[-1] in ("blur", "blur_background")
    ops = [s.args.get("operation") for s in _plan(toolbox, "what happens if you blur the background?").steps]
    assert "blur_background" in ops


@pytest.mark.parametrize(
    "text", ["crop out the tiktok watermark", "crop to the icon in the corner", "make the avatar smile"]
)
def test_a_thing_named_after_a_purpose_is_no_purpose(toolbox, text):
    """crop_shapes read a platform's name anywhere as the purpose of a crop ("crop out the tiktok watermark"
    became a 9:16 crop round the centre: review s12 F2)."""
    assert not any(s.args.get("aspect") for s in _plan(toolbox, text).steps)


def test_a_purpose_said_as_one_still_shapes_the_crop(toolbox):
    assert _plan(toolbox, "make it a square for instagram").steps[0].args["aspect"] == "1:1"
    assert _plan(toolbox, "make it a phone wallpaper").steps[0].args["aspect"] == "9:16"


def test_a_crop_that_cannot_hold_the_thing_is_refused(tmp_path):
    """'crop to 9:16 without cropping the cat' on a landscape photo kept an eye and the nose and said the
    cat was kept whole (review s12 F0): the edit refuses a shape that cuts the thing."""
    import numpy as np

    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.tools.edit import _check_thing_kept

    mask = np.zeros((300, 450), bool)
    mask[50:250, 20:420] = True
    with pytest.raises(ToolFailed, match="would cut off"):
        _check_thing_kept(mask, "9:16", (141, 0, 309, 300))
    _check_thing_kept(mask, "4:3", (0, 0, 450, 300))  # holds it: no error
