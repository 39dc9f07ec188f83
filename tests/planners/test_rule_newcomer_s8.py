"""Newcomer cases of round s8: moving a thing within a picture is refused with what can be done (it planned a
zoom animation of the whole picture, said as done); a question whose answer is written reads the text."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


@pytest.mark.parametrize(
    "text",
    ["move it to the right", "move the horse to the left", "please move the bus a bit to the left", "nudge him up"],
)
def test_moving_a_thing_is_refused(toolbox, text):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert not plan.steps and plan.answer.startswith("I cannot move a thing within a picture")


@pytest.mark.parametrize("text, tool", [("shift the colours towards blue", "edit"), ("make it move", "animate")])
def test_other_moves_are_not_refused(toolbox, text, tool):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert [s.tool for s in plan.steps] == [tool]


@pytest.mark.parametrize(
    "text", ["what's the phone number?", "what is the licence plate", "whats the number plate", "what's the website"]
)
def test_a_question_whose_answer_is_written_reads_the_text(toolbox, text):
    """'what's the phone number?' on a note counted 54 blobs ('number' read as a count)."""
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert [s.tool for s in plan.steps] == ["read_text"]


def test_the_number_of_things_is_still_a_count(toolbox):
    plan = RulePlanner().plan(
        PlanRequest(text="what is the number of people", inputs={"input": {"image": "image"}, "last": {}}), toolbox
    )
    assert [s.tool for s in plan.steps] == ["count"]


@pytest.mark.parametrize(
    "text, first",
    [
        ("what is written on the yellow bottle?", "segment"),
        ("read the text on the bus", "segment"),
        ("what's written on the label?", "read_text"),
        ("read the sign", "read_text"),
    ],
)
def test_text_on_a_thing_is_read_on_that_thing(toolbox, text, first):
    """'what is written on the yellow bottle?' read the whole picture (the motorbike's badge): text on a
    named thing is read inside its mask; a sign, a label or a poster is mostly text and read as it is."""
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert plan.steps[0].tool == first and plan.steps[-1].tool == "read_text"
    if first == "segment":
        assert plan.steps[-1].args["mask"] == "$s1.mask"


@pytest.mark.parametrize(
    "text",
    [
        "is the horse white?",
        "is the horse black?",
        "is the image blurry?",
        "is the picture upside down?",
        "does it need more contrast?",
        "is it too warm?",
        "is the background white?",
    ],
)
def test_a_yes_no_question_changes_nothing(toolbox, text):
    """'is the horse white?' kept only the white horse (destructive), 'is the image blurry?' blurred it,
    'is the picture upside down?' turned an upright horse over: each said done, nothing asked to change."""
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert plan.steps and plan.steps[-1].tool == "describe" and plan.steps[-1].args["question"]
    assert all(s.tool in ("segment", "describe") for s in plan.steps)
    assert all(v.startswith("$input.") for s in plan.steps for k, v in s.args.items() if k == "image")


@pytest.mark.parametrize("text", ["can you make it brighter?", "is it possible to blur the background?"])
def test_a_request_in_question_form_is_still_done(toolbox, text):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert plan.steps[-1].tool == "edit"


def test_a_yes_no_question_about_a_clip_changes_nothing(toolbox):
    """'is this video playing backwards?' reversed the clip and said 'Reversed: 42 frames'."""
    inputs = {"input": {"video": "video"}, "last": {}}
    plan = RulePlanner().plan(PlanRequest(text="is this video playing backwards?", inputs=inputs), toolbox)
    assert [s.tool for s in plan.steps] == ["describe_video"]
    plan = RulePlanner().plan(PlanRequest(text="is the video too long? trim it to 3 seconds", inputs=inputs), toolbox)
    assert [s.tool for s in plan.steps] == ["trim_video"]  # a question, then a request: the request is done


@pytest.mark.parametrize(
    "text, thing",
    [
        ("rotate the horse 90 degrees", "the horse"),
        ("flip the dog", "the dog"),
        ("make the horse twice as big", "the horse"),
    ],
)
def test_turning_one_thing_turns_the_picture_and_says_so_first(toolbox, text, thing):
    """'rotate the horse 90°' rotated the whole picture without a word: it is said first (and the turn is
    not ok) that only the whole picture can be turned."""
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert [s.tool for s in plan.steps] == ["edit"]
    assert plan.notes and plan.notes[0].startswith(f"I did not do it on {thing!r} only")


@pytest.mark.parametrize(
    "text", ["rotate it 90 degrees", "rotate the picture 90 degrees", "flip the image upside down"]
)
def test_turning_the_picture_says_nothing_more(toolbox, text):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert not any(n.startswith("I did not do") for n in plan.notes)


def test_is_it_black_and_white_asks_about_colour():
    """'is this picture black and white?' answered 'No: this picture black and is mostly black.'"""
    from vitron_agent.tools.describe import _answer

    grey = {"colors": [("gray", 0.7), ("black", 0.3)]}
    colour = {"colors": [("gray", 0.6), ("blue", 0.3), ("black", 0.1)]}
    assert (
        _answer("is this picture black and white?", grey, False)[0] == "Yes: it is black and white (no colour in it)."
    )
    assert _answer("is the bus black and white?", colour, True)[0] == "No: the bus is in colour (blue)."


def test_is_it_black_and_white_is_about_the_picture(toolbox):
    plan = RulePlanner().plan(
        PlanRequest(text="is this picture black and white?", inputs={"input": {"image": "image"}, "last": {}}), toolbox
    )
    assert [s.tool for s in plan.steps] == ["describe"]


@pytest.mark.parametrize(
    "text, said",
    [
        ("colourize it", "I cannot colourise"),
        ("colorize this old photo", "I cannot colourise"),
        ("compare it with the original", "I cannot compare"),
        ("compare the left half with the right half", "I cannot compare"),
    ],
)
def test_verbs_with_no_tool_are_refused_not_run_as_the_nearest_edit(toolbox, text, said):
    """'colourize it' made the picture cooler and 'compare the left half …' rotated it, each said done."""
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert not plan.steps and plan.answer.startswith(said)


def test_a_question_keeps_none_of_the_undone_edits_notes(toolbox):
    """'is the horse rotated 450 degrees?' answered the question but still said 'I read 450° as 90°'."""
    text = "is the horse rotated 450 degrees?"
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert [s.tool for s in plan.steps] == ["describe"] and not plan.notes
