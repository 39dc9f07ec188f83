"""Reading, session 10 (readA, image requests): the classes behind fresh image requests that read wrong -- a
shade before a colour ("bright red" was a brighten), small amounts said many ways ("a smidge" became a fridge), a count of
things in a state ("cars are parked" was the name), a quality with no verb ("more contrast on the
mountains" was the whole picture), "more contrast" after another edit of it (two edits), "black out X"
(it kept only X), the background named with no verb ("Background: grey" greyed the picture), a colour
said last after a thing the matcher links with blurring, "widescreen", and a half or third taken off an
edge. Requests are worded afresh (none is a benchmark request). Real planner, real embedding."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def plan(text, toolbox):
    return RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)


def steps(p):
    """[(tool or operation, args without refs and images)] of a plan."""
    out = []
    for s in p.steps:
        args = {k: v for k, v in s.args.items() if v is not None and not (isinstance(v, str) and v.startswith("$"))}
        args.pop("image", None)
        out.append((args.pop("operation", s.tool), args))
    return out


def ops(p):
    return [op for op, _ in steps(p)]


def target(p):
    return next(a["target"] for op, a in steps(p) if op in ("segment", "count"))


@pytest.mark.parametrize(
    ("text", "thing", "colour"),
    [
        ("make the scooter bright red", "scooter", "bright red"),
        ("turn the kettle bright green", "kettle", "bright green"),
        ("make the mailbox a bright yellow", "mailbox", "bright yellow"),
    ],
)
def test_a_shade_before_a_colour_is_a_recolour(toolbox, text, thing, colour):
    p = plan(text, toolbox)
    assert ops(p) == ["segment", "recolor"], steps(p)
    assert thing in target(p) and steps(p)[1][1]["color"] == colour


@pytest.mark.parametrize(
    "text",
    [
        "warm the tones up a smidge",
        "darken it a wee bit",
        "sharpen it a teeny bit",
        "cool it down a hair",
        "turn the saturation up a notch",
    ],
)
def test_small_amounts_said_many_ways_are_a_little(toolbox, text):
    p = plan(text, toolbox)
    assert len(p.steps) == 1 and p.steps[0].tool == "edit", steps(p)  # no thing selected ("the a fridge")
    assert p.steps[0].args["amount"] < 0.5


@pytest.mark.parametrize(
    ("text", "counted", "state"),
    [
        ("how many bikes are locked up here?", "bikes", "locked up"),
        ("how many kids are sitting down", "kids", None),
        ("count the people who are waving", "people", "waving"),
        ("how many ducks are there on the pond", "ducks", None),
    ],
)
def test_a_count_of_things_in_a_state_counts_the_things_and_says_so(toolbox, text, counted, state):
    p = plan(text, toolbox)
    assert ops(p) == ["count"] and target(p) == counted, steps(p)
    if state:
        assert any(state in n and "cannot tell" in n for n in p.notes), p.notes


@pytest.mark.parametrize(
    ("text", "op", "thing"),
    [
        ("more contrast on the hills only", "contrast", "hills"),
        ("a bit more brightness in her face", "brighten", "face"),
        ("more blur on the fence", "blur", "fence"),
        ("add blur to the poster", "blur", "poster"),
    ],
)
def test_a_quality_named_with_no_verb_edits_the_thing_after_it(toolbox, text, op, thing):
    p = plan(text, toolbox)
    assert ops(p) == ["segment", op] and thing in target(p), steps(p)


def test_more_of_a_quality_after_its_edit_is_one_edit(toolbox):
    assert ops(plan("give it some punch, more contrast", toolbox)) == ["contrast"]
    assert ops(plan("brighten it, then brighten it more", toolbox)) == ["brighten", "brighten"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("black out the name tag", ("recolor", "black")),
        ("white out the date stamp", ("recolor", "white")),
        ("black out everything apart from the vase", ("keep_only", "black")),
        ("keep the teapot and white out the rest", ("keep_only", "white")),
        ("leave the parrot, make everything else black", ("keep_only", "black")),
    ],
)
def test_black_out_fills_what_is_named_and_never_keeps_only_it(toolbox, text, want):
    p = plan(text, toolbox)
    op, args = steps(p)[-1]
    assert (op, args.get("color")) == want, steps(p)


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("Backdrop: white, please.", "keep_only"),
        ("background in monochrome", "grayscale"),
        ("the background a bit darker", "darken"),
    ],
)
def test_the_background_named_with_no_verb_is_edited_not_the_picture(toolbox, text, op):
    p = plan(text, toolbox)
    assert ops(p)[0] == "segment", steps(p)
    edit_op, args = steps(p)[-1]
    assert edit_op in (op, "replace_background") and (
        edit_op != op or args.get("where") == "outside" or op == "keep_only"
    )


def test_a_colour_said_last_is_a_recolour_even_of_a_thing_often_blurred(toolbox):
    p = plan("make the number plate yellow", toolbox)
    assert steps(p)[-1] == ("recolor", {"color": "yellow"}), steps(p)


@pytest.mark.parametrize(
    ("text", "aspect"), [("crop it to widescreen", "16:9"), ("make this widescreen please", "16:9")]
)
def test_widescreen_is_sixteen_by_nine(toolbox, text, aspect):
    p = plan(text, toolbox)
    assert [(op, a.get("aspect")) for op, a in steps(p)] == [("crop", aspect)], steps(p)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("chop off the top half", "the bottom 50%"),
        ("cut off the right third", "the left 66.7%"),
        ("lose the bottom quarter of the picture", "the top 75%"),
    ],
)
def test_a_part_taken_off_an_edge_is_a_crop_to_the_rest(toolbox, text, kept):
    p = plan(text, toolbox)
    assert ops(p) == ["segment", "crop"] and target(p) == kept, steps(p)


@pytest.mark.parametrize(
    ("text", "thing", "colour"),
    [
        ("mark the kite with a circle", "kite", "red"),
        ("ring the goalkeeper with a thick blue line", "goalkeeper", "blue"),
        ("draw around the lamp with a green line", "lamp", "green"),
        ("draw round the jug in white", "jug", "white"),
    ],
)
def test_what_a_thing_is_outlined_with_is_no_part_of_it(toolbox, text, thing, colour):
    p = plan(text, toolbox)
    assert ops(p) == ["segment", "outline"], steps(p)  # "draw around" had generated a picture
    assert target(p) == f"the {thing}" and steps(p)[1][1]["color"] == colour
