"""Newcomer cases of round s9, by class: a refusal or a question back is not an ok turn (it said ok: true and
exit 0, and a batch counted it done); a scene put behind the subject without a generative editor is said,
never a white background instead; the colour a background goes on is the one said after "on"; exact
percentages on a tone edit are read as a strength and said (they stayed in the target and hid the clause
after them); "owl -> black and white" and "…, rest stays" riders."""

import numpy as np
import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def _plan(toolbox, text):
    return RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)


def _steps(plan):
    return [(s.tool, s.args.get("operation"), s.args.get("target"), s.args.get("color")) for s in plan.steps]


@pytest.mark.parametrize("text", ["make the horses fly", "blah blah qwerty", "replace the background with a beach"])
def test_a_refusal_is_declined(toolbox, text):
    plan = _plan(toolbox, text)
    assert not plan.steps and plan.declined


@pytest.mark.parametrize("text", ["help", "what can you do?"])
def test_help_is_an_answer_not_a_refusal(toolbox, text):
    """'what can you do?' with a picture described the picture ('I see what may be a green suitcase')."""
    plan = _plan(toolbox, text)
    assert not plan.steps and not plan.declined and plan.answer.startswith("I understand:")


def test_a_refused_turn_is_not_ok(tmp_path):
    from vitron_agent import Agent

    agent = Agent(data_dir=tmp_path)
    image = np.zeros((32, 32, 3), np.uint8)
    assert not agent.run("make the horses fly", image=image).ok
    assert agent.run("help", image=image).ok


@pytest.mark.parametrize(
    "text, scene",
    [
        ("replace the background with a beach", "a beach"),
        ("change the background to a forest", "a forest"),
        ("swap the background for a sunset sky", "a sunset sky"),
    ],
)
def test_a_scene_behind_the_subject_without_a_generative_editor_is_said(toolbox, text, scene):
    """It made the background white and said 'I made the background white', no word about the beach."""
    plan = _plan(toolbox, text)
    assert not plan.steps  # not even the selection step it had made for the edit
    assert plan.answer.startswith(f"I did not do {text!r}: putting {scene!r}") and "generative editor" in plan.answer


def test_a_refused_scene_in_a_chain_keeps_the_rest(toolbox):
    plan = _plan(toolbox, "blur the cat and replace the background with a forest")
    assert [s[:2] for s in _steps(plan)] == [("segment", None), ("edit", "blur")]
    assert plan.notes[0].startswith("I did not do 'replace the background with a forest'")


@pytest.mark.parametrize(
    "text, colour",
    [
        ("remove the background and put the parrot on black", "black"),
        ("remove the background and put it on grey", "grey"),  # read alone, "grey" was a grayscale edit
        ("put the dog on plain black", "black"),
    ],
)
def test_the_colour_a_background_goes_on(toolbox, text, colour):
    edits = [s for s in _steps(_plan(toolbox, text)) if s[0] == "edit"]
    assert edits[-1][1] in ("replace_background", "keep_only") and edits[-1][3] == colour
    assert "grayscale" not in [e[1] for e in edits]


def test_a_background_removed_by_its_colour_is_cut_out(toolbox):
    """ "remove the black background": the colour it is now, not the one it becomes. It had been made white (s9), as
    "remove the white background" had been made white, said done (newcomer s13): a removal is a cut-out, as for
    "remove the background"."""
    edits = [s for s in _steps(_plan(toolbox, "remove the black background")) if s[0] == "edit"]
    assert [e[1] for e in edits] == ["cutout"]


def test_percentages_on_tone_edits_are_read_as_a_strength(toolbox):
    """'make the kitten 20% brighter and the rest 20% darker' selected 'the kitten 20%' and dropped the rest."""
    plan = _plan(toolbox, "make the kitten 20% brighter and the rest 20% darker")
    assert _steps(plan) == [
        ("segment", None, "the kitten", None),
        ("edit", "brighten", None, None),
        ("edit", "darken", None, None),
    ]
    assert plan.steps[2].args["where"] == "outside"
    assert plan.notes == [
        "I read '20%' as a moderate change: the tone edits take a strength (a little, moderate, a lot), "
        "not an exact percentage."
    ]
    assert _plan(toolbox, "brighten the dog by 5%").steps[1].args["amount"] == 0.2
    assert _plan(toolbox, "increase the contrast by 60 percent").steps[0].args["amount"] == 0.9


@pytest.mark.parametrize("text", ["make it 50% smaller", "crop 10% off each side", "speed it up by 50%"])
def test_percentages_of_size_crop_or_speed_are_not_strengths(toolbox, text):
    assert not any(n.startswith("I read") for n in _plan(toolbox, text).notes)


@pytest.mark.parametrize(
    "text",
    [
        "owl -> black and white, rest stays",
        "make the owl black and white and leave the rest alone",
        "make the owl black and white, keep everything else in colour",
    ],
)
def test_a_selective_edit_with_a_rider_on_the_rest(toolbox, text):
    """'owl -> black and white, rest stays' made the whole picture grey; '… and leave the rest alone' selected
    'the owl black' (the rider split 'black and white')."""
    assert _steps(_plan(toolbox, text)) == [("segment", None, "the owl", None), ("edit", "grayscale", None, None)]


@pytest.mark.parametrize(
    "text, colour",
    [
        ("make the red panda a bit brighter", None),  # a kind's name (WordNet: red panda), no colour to select by
        ("select the black bear", None),
        ("make the red car blue", "red"),
        ("make the black horse red", "black"),
        ("erase the red flag", "red"),  # a compound no model knows (a warning sign): the colour stays
    ],
)
def test_a_colour_that_begins_a_kinds_name_is_no_colour(toolbox, text, colour):
    """'the red panda' was segmented as the red pixels of 'panda' (a rectangle over its eyes, brightened)."""
    assert _plan(toolbox, text).steps[0].args.get("color") == colour


@pytest.mark.parametrize(
    "text",
    [
        "make the kitten black and white for the whole video",
        "make the kitten black and white throughout",
        "make the kitten black and white the whole time",
    ],
)
def test_words_after_black_and_white_are_when_not_what(toolbox, text):
    """'make the kitten black and white for the whole video' tracked 'the kitten black' by the colour black."""
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"video": "video"}, "last": {}}), toolbox)
    assert [(s.tool, s.args.get("target"), s.args.get("color")) for s in plan.steps][0] == ("track", "the kitten", None)
    assert plan.steps[1].args["operation"] == "grayscale"


@pytest.mark.parametrize(
    "text, kept",
    [
        ("crop out the bottom 20%", "the top 80%"),
        ("cut off the bottom 20%", "the top 80%"),
        ("crop the top 10% off", "the bottom 90%"),
        ("remove the left 25 percent of the picture", "the right 75%"),
    ],
)
def test_a_strip_taken_off_an_edge_is_a_crop_to_the_rest(toolbox, text, kept):
    """'crop out the bottom 20%' selected 'the bottom 20%' as a region and cropped to it (the bottom kept)."""
    plan = _plan(toolbox, text)
    assert [(s.tool, s.args.get("target"), s.args.get("operation")) for s in plan.steps] == [
        ("segment", kept, None),
        ("edit", None, "crop"),
    ]
    assert plan.steps[1].args["margin"] == 0.0


def test_an_edge_strip_is_that_share_of_the_picture():
    from vitron_agent.tools.segment import geometric, strip_mask

    assert geometric("the top 80%") and geometric("the left 25 percent of the image") and not geometric("the top dog")
    m = strip_mask(100, 50, "top", 0.8)
    assert m[:80].all() and not m[80:].any()


def test_the_others_after_a_named_thing_are_what_is_not_it(toolbox):
    """'... make the foal brighter, darken the others' selected a thing named 'the others' (every horse)."""
    plan = _plan(toolbox, "make the foal brighter and darken the others")
    assert [(s.tool, s.args.get("target"), s.args.get("operation"), s.args.get("where")) for s in plan.steps] == [
        ("segment", "the foal", None, None),
        ("edit", None, "brighten", None),
        ("edit", None, "darken", "outside"),
    ]
