"""Requests for things the agent cannot do (sound, sepia, grain, red-eye, stabilising, text on a
picture ...) are refused with no steps and an answer naming what it can do instead; they used to
plan the nearest wrong intent ("mute the video" -> desaturate, "add film grain" -> denoise). Their
neighbours that the agent can do still plan."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.cannot_do import limit_for
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}
VID = {"input": {"video": "video"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def plan(text, toolbox, inputs=IMG):
    return RulePlanner().plan(PlanRequest(text=text, inputs=inputs), toolbox)


@pytest.mark.parametrize(
    "text, inputs, says",
    [
        ("turn the volume down", VID, "sound"),
        ("add some background music", VID, "sound"),
        ("colourize this old photo", IMG, "colour"),
        ("straighten the horizon", IMG, "angle"),
        ("remove the red eye", IMG, "red-eye"),
        ("add subtitles to it", VID, "subtitles"),
        ("cut the video in half", VID, "split"),
        ("stabilize this video please", VID, "stabilise"),
        ("make the bus stand out", IMG, "blur the background"),
    ],
)
def test_what_cannot_be_done_is_refused_not_misread(text, inputs, says, toolbox):
    p = plan(text, toolbox, inputs)
    assert p.steps == [], (text, [s.tool for s in p.steps])
    assert says in p.answer


@pytest.mark.parametrize(
    "text, op",
    [
        ("it's very grainy, fix that", "denoise"),
        ("remove the grain", "denoise"),
        ("rotate it 3 degrees clockwise", "rotate"),
        ("make the eyes black", "recolor"),
    ],
)
def test_neighbours_that_can_be_done_still_plan(text, op, toolbox):
    p = plan(text, toolbox)
    assert op in [s.args.get("operation") for s in p.steps], (text, p.answer)


def test_limit_for_leaves_ordinary_edits_alone():
    for text in ("blur the background", "make it warmer", "trim the first 5 seconds", "denoise it", "read the sign"):
        assert limit_for(text) is None, text


def test_every_example_phrasing_is_refused_by_the_rules(toolbox):
    from vitron_agent.planners.rule.cannot_do import EXAMPLES

    for text in EXAMPLES:
        assert limit_for(text) is not None, text


@pytest.mark.parametrize(
    "text, inputs",
    [
        ("go back to the first frame", VID),
        ("put a box around the sign that says stop", IMG),
        ("add a caption to the photo", IMG),
        ("add a filter to reduce noise", IMG),
        ("make it less grainy", IMG),
        ("level the horizon by rotating 5 degrees", IMG),
        ("make the details stand out", IMG),
        ("make the colours more muted", IMG),
        ("when does the dog shake its head", VID),
        ("remove the watermark", IMG),
        ("make the grainy photo sharper", IMG),
        ("make the red eyes black", IMG),
        ("upscale it to a higher resolution", IMG),
        ("darken the corners like a vignette", IMG),
        ("apply some noise reduction", IMG),
    ],
)
def test_words_near_a_limit_are_not_refused(text, inputs, toolbox):
    """Each of these names a limit's word ('back', 'says', 'noise', 'grainy', 'horizon', 'stand out',
    'muted', 'shake', 'watermark') but asks for something the agent does."""
    assert limit_for(text) is None, text


def test_sepia_goes_to_a_configured_instruction_editor():
    from vitron_agent.tools.edit_diffusers import DiffusersEditTool

    edit = DiffusersEditTool(checkpoint="/nonexistent/x", instruct_checkpoint="/nonexistent/x")
    box = Toolbox([t for t in default_tools() if t.name != edit.name] + [edit])
    p = plan("make the image sepia", box)
    assert [(s.tool, s.args.get("operation")) for s in p.steps] == [("edit", "instruct")]


@pytest.mark.parametrize("text", ["mute the video", "turn the sound off", "remove the audio track", "mute it"])
def test_removing_the_sound_of_a_video_is_a_mute(text, toolbox):
    """Removing the sound is the one sound edit (mute_video); louder, quieter, music stay refused."""
    assert [s.tool for s in plan(text, toolbox, VID).steps] == ["mute_video"]


@pytest.mark.parametrize("text", ["mute it a bit", "mute this colours", "mute the colors"])
def test_mute_on_a_still_picture_is_a_desaturate(text, toolbox):
    """Sound limits are video-only records: on an image 'mute' means the colours."""
    p = plan(text, toolbox)
    assert [s.args.get("operation") for s in p.steps] == ["desaturate"], p.answer


@pytest.mark.parametrize("text", ["mute the video", "turn the volume down", "remove the audio", "add some music"])
def test_sound_named_outright_on_a_still_picture_is_refused(text, toolbox):
    """'mute the video' sent with a picture is about sound, not colours: never a desaturate reported
    as done (it planned one before)."""
    p = plan(text, toolbox)
    assert p.steps == [], (text, [s.args.get("operation") for s in p.steps])
    assert "sound" in p.answer


@pytest.mark.parametrize(
    "text, tool",
    [("make a gif without sound", "export_gif"), ("loop it three times, no audio needed", "loop_video")],
)
def test_a_sound_word_in_a_side_remark_does_not_refuse(text, tool, toolbox):
    p = plan(text, toolbox, VID)
    assert [s.tool for s in p.steps] == [tool], p.answer


@pytest.mark.parametrize(
    "text, color",
    [
        ("swap the colour of the mug to blue", "blue"),
        ("switch the mug's colour to red", "red"),
        ("set the colour of the car to green", "green"),
    ],
)
def test_other_verbs_of_a_colour_change_recolour(text, color, toolbox):
    """'swap the colour of X to Y' is a recolour (it was read as a replace and refused)."""
    p = plan(text, toolbox)
    assert [(s.tool, s.args.get("color")) for s in p.steps][-1] == ("edit", color), p.answer


@pytest.mark.parametrize("text", ["switch the colours around", "change the colours to something else"])
def test_a_colour_change_without_a_colour_asks(text, toolbox):
    """No colour named: a question, never a crash or a guessed colour."""
    p = plan(text, toolbox)
    assert not any(s.args.get("operation") == "recolor" for s in p.steps), p.steps
