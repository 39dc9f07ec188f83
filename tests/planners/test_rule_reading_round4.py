"""Reading round 4 (issue 41): the classes behind the image families that generalised worst on
held-out requests. Each request here is worded afresh (none is a benchmark request or an example
utterance), so a pass means the class is read, not the sentence. Real planner, real embedding."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.picture_steps import swap_parts
from vitron_agent.planners.rule.target_words import clean_target
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


@pytest.fixture(scope="module")
def generative_toolbox():
    """The embedded tools plus a diffusers editor declared at a made-up path (its constructor only
    stores settings; planning never loads it), so replacements are planned."""
    from vitron_agent.tools.edit_diffusers import DiffusersEditTool

    editor = DiffusersEditTool(checkpoint="/nonexistent/plan-only", instruct_checkpoint="/nonexistent/plan-only")
    return Toolbox([t for t in default_tools() if t.name != editor.name] + [editor])


def plan(text, toolbox):
    return RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)


def steps(p):
    """[(tool or operation, target or where/colour/amount…)] of a plan, refs left out."""
    out = []
    for s in p.steps:
        args = {k: v for k, v in s.args.items() if v is not None and not (isinstance(v, str) and v.startswith("$"))}
        args.pop("image", None)
        out.append((args.pop("operation", s.tool), args))
    return out


@pytest.mark.parametrize(
    ("text", "old", "new"),
    [
        ("swap the kettle for a teapot", "the kettle", "a teapot"),
        ("substitute a lantern for the candle", "the candle", "a lantern"),  # the new thing first
        ("substitute the candle with a lantern", "the candle", "a lantern"),
        ("place a cactus where the fern is", "the fern", "a cactus"),
        ("i'd like a yacht instead of the canoe", "the canoe", "a yacht"),
        ("the statue should be a fountain", "the statue", "a fountain"),
        ("make the scooter a motorbike instead", "the scooter", "a motorbike"),
        ("trade the lamp for a candle please", "the lamp", "a candle"),
    ],
)
def test_a_replacement_names_the_old_thing_and_the_new_one(text, old, new):
    assert swap_parts(text) == (old, new)


def test_swap_parts_says_none_when_no_pair_is_named():
    assert swap_parts("make it brighter") is None
    assert swap_parts("replace it") is None


@pytest.mark.parametrize(
    "text",
    ["put a cactus where the fern is", "exchange the kettle for a teapot", "i want a yacht instead of the canoe"],
)
def test_replacements_said_without_replace_are_planned_as_inpaints(text, generative_toolbox):
    got = steps(plan(text, generative_toolbox))
    assert [op for op, _ in got] == ["segment", "inpaint"], got
    assert got[0][1]["target"] in ("the fern", "the kettle", "the canoe")
    assert got[1][1]["prompt"] in ("a cactus", "a teapot", "a yacht")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("blur the space behind him", "the main object"),  # a pronoun: the picture's subject
        ("blur the scenery behind the runner", "the runner"),
        ("darken everything that isn't the boat", "the boat"),
        ("brighten the backdrop but not the bride", "the bride"),
        ("make everything monochrome but the scarf", "the scarf"),
    ],
)
def test_what_is_behind_or_around_a_thing_is_edited_outside_it(text, kept, toolbox):
    got = steps(plan(text, toolbox))
    assert got[0] == ("segment", {"target": kept}) or (got[0][0] == "segment" and got[0][1]["target"] == kept), got
    assert got[1][1].get("where") == "outside" or got[1][0].endswith("_background"), got


def test_a_background_edit_keeps_its_amount_and_soften_blurs_it(toolbox):
    got = steps(plan("brighten the backdrop slightly", toolbox))
    assert got[1][0] == "brighten" and got[1][1]["where"] == "outside" and got[1][1]["amount"] < 0.5
    assert steps(plan("the backdrop looks cluttered", toolbox))[1][0] == "blur_background"


def test_getting_rid_of_the_background_cuts_the_subject_out_not_removes_it(toolbox):
    got = steps(plan("get rid of the backdrop", toolbox))
    assert got[1][0] == "cutout", got  # it used to remove the main object itself


def test_sparing_a_thing_in_the_same_clause(toolbox):
    got = steps(plan("turn the surroundings greyscale and leave the tulip in colour", toolbox))
    assert got == [("segment", {"target": "the tulip"}), ("grayscale", {"where": "outside"})], got
    got = steps(plan("keep the puppy crisp and blur everything else", toolbox))
    assert got == [("segment", {"target": "the puppy"}), ("blur", {"where": "outside"})], got


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("the photo is oversaturated", "desaturate"),  # "over-" is "too"
        ("make the palette more subtle", "desaturate"),
        ("it is far too soft", "sharpen"),  # soft is focus here, not colour
        ("could the shot be less fuzzy", "sharpen"),
        ("without colour please", "grayscale"),
        ("lose the colours from the image", "grayscale"),
        ("make it look like a vintage b/w film", "grayscale"),
        ("turn it grey", "grayscale"),  # the picture grey, not a grey paint over its subject
        ("give it a faint blue cast", "cooler"),
    ],
)
def test_tone_requests_read_their_direction(text, op, toolbox):
    got = steps(plan(text, toolbox))
    assert [o for o, _ in got] == [op], got


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("draw a box around every cyclist", "every cyclist"),
        ("show me where the mugs are with boxes", "the mugs"),
        ("bounding boxes for each laptop", "each laptop"),
    ],
)
def test_boxes_asked_for_are_detections(text, target, toolbox):
    got = steps(plan(text, toolbox))
    assert got == [("detect", {"target": target})], got


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("isolate the teapot on a black background", [("segment", "the teapot"), ("keep_only", "black")]),
        ("just the kettle on white", [("segment", "the kettle"), ("keep_only", "white")]),
        ("extract the parrot", [("segment", "the parrot"), ("cutout", None)]),
        ("snip out the badge", [("segment", "the badge"), ("cutout", None)]),
        ("cut around the runner", [("segment", "the runner"), ("cutout", None)]),
        ("give the lamp a green outline", [("segment", "the lamp"), ("outline", "green")]),
        ("add an outline to the vase", [("segment", "the vase"), ("outline", "red")]),
    ],
)
def test_keep_only_cutout_and_outline_read_their_thing_and_colour(text, want, toolbox):
    got = steps(plan(text, toolbox))
    assert [op for op, _ in got] == [op for op, _ in want], got
    assert got[0][1]["target"] == want[0][1]
    assert got[1][1].get("color") == want[1][1], got


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("make it 3:2", {"aspect": "3:2"}),
        ("crop to a sixteen by nine ratio", {"aspect": "16:9"}),
        ("crop the photo into a square", {"aspect": "1:1"}),
        ("enlarge it by four", {"scale": 4.0}),
        ("shrink it by 2", {"scale": 0.5}),
    ],
)
def test_crop_aspects_and_resize_factors(text, args, toolbox):
    got = steps(plan(text, toolbox))
    assert len(got) == 1 and all(got[0][1].get(k) == v for k, v in args.items()), got


def test_frame_it_tighter_crops_to_the_thing(toolbox):
    got = steps(plan("frame it tighter on the goat", toolbox))
    assert got[0] == ("segment", {"target": "the goat"}) and got[1][0] == "crop", got


@pytest.mark.parametrize(
    ("phrase", "thing"),
    [
        ("i only want the goat", "the goat"),
        ("segmentation of the kettle", "the kettle"),
        ("the pixels that are the horse", "the horse"),
        ("the bird and black out the rest", "the bird"),
        ("the horse, nothing else", "the horse"),
        ("the mug on white", "the mug"),
        ("the bus selected", "the bus"),
    ],
)
def test_target_words_drop_wishes_wrappers_and_what_happens_to_the_rest(phrase, thing):
    assert clean_target(phrase) == thing


def test_selecting_and_then_masking_it_selects_once(toolbox):
    got = steps(plan("find the goat and mask it", toolbox))
    assert got == [("segment", {"target": "the goat"})], got


def test_the_outline_record_keeps_its_help_and_reads_the_words_after_its_verb():
    from vitron_agent.planners.rule.intent_table import intent_named

    record = intent_named("outline")
    assert record.help == "outline <target> (in a colour)" and not record.whole


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("desaturate the backdrop", "desaturate"),
        ("warm up the background a little", "warmer"),
        ("blur the rest of the picture", "blur"),
        ("grey out the backdrop", "grayscale"),
    ],
)
def test_a_tone_edit_of_the_background_runs_outside_the_subject(text, op, toolbox):
    got = steps(plan(text, toolbox))
    assert got[0] == ("segment", {"target": "the main object"}) and got[1][0] == op, got
    assert got[1][1]["where"] == "outside", got


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("make the grass less yellow", "cooler"),  # less of a colour is the other temperature, no paint
        ("make the sea less blue", "warmer"),
        ("switch the colours off", "grayscale"),
        ("decolourise the picture", "grayscale"),
        ("take some colour out please", "desaturate"),
    ],
)
def test_less_of_a_colour_and_all_of_it_gone(text, op, toolbox):
    assert steps(plan(text, toolbox))[-1][0] == op


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("cut the size in half", {"scale": 0.5}),
        ("reduce it to 40%", {"scale": 0.4}),
        ("scale it to 720p", {"height": 720}),
    ],
)
def test_size_said_as_a_cut_or_a_percentage_resizes(text, args, toolbox):
    got = steps(plan(text, toolbox))
    assert got[0][0] == "resize" and all(got[0][1].get(k) == v for k, v in args.items()), got


def test_typos_in_the_words_that_steer_a_reading_are_repaired_and_real_words_kept(toolbox):
    got = steps(plan("darken the backgound", toolbox))
    assert got[0] == ("segment", {"target": "the main object"}) and got[1][1]["where"] == "outside", got
    got = plan("keep ony the kettle", toolbox)
    assert steps(got) == [("segment", {"target": "the kettle"}), ("keep_only", {})] and any(
        "'ony'" in n for n in got.notes
    )
    assert steps(plan("sharpen the bed", toolbox))[0] == ("segment", {"target": "the bed"})  # "bed" is a word
    assert steps(plan("add some bokeh", toolbox))[-1][0] == "blur_background"  # "bokeh" is no typo of "box"


def test_everything_and_what_you_can_find_are_all_objects(toolbox):
    assert steps(plan("identify everything in the picture", toolbox)) == [("detect", {})]
    assert steps(plan("what objects can you see", toolbox)) == [("detect", {})]


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("the photo has an orange cast", "cooler"),  # a cast named as the problem: the other temperature
        ("get rid of the blue tint", "warmer"),
        ("the colours look lurid", "desaturate"),
        ("the saturation is a bit much", "desaturate"),
        ("tone down the vividness", "desaturate"),
        ("make the photo warmer in feel", "warmer"),
    ],
)
def test_casts_and_excess_read_as_the_fix(text, op, toolbox):
    got = steps(plan(text, toolbox))
    assert [o for o, _ in got] == [op], got
    assert got[0][1].get("amount", 0.5) <= 0.5, got  # "a bit much" is no "much"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("crop in closer to the goat", "the goat"),
        ("crop it so the kettle is centred", "the kettle"),
        ("cropped to the tulip please", "the tulip"),
    ],
)
def test_a_crop_reads_its_thing_through_the_framing_words(text, target, toolbox):
    got = steps(plan(text, toolbox))
    assert got[0] == ("segment", {"target": target}) and got[1][0] == "crop", got


def test_a_square_crop_and_which_part_is_the_thing(toolbox):
    assert steps(plan("give it a square crop", toolbox)) == [("crop", {"aspect": "1:1"})]
    assert clean_target("which part is the lawn") == "the lawn"


def test_typos_after_an_opener_and_in_thing_names_are_repaired(toolbox):
    got = plan("i want to remvoe the kettle", toolbox)
    assert steps(got) == [("segment", {"target": "the kettle"}), ("remove", {})], steps(got)  # not "remote"
    assert steps(plan("cut out the hrose", toolbox))[0] == ("segment", {"target": "the horse"})
    assert steps(plan("flip it vertcally", toolbox)) == [("flip", {"direction": "vertical"})]
    assert steps(plan("segment Bella", toolbox)) == [("segment", {"target": "Bella"})]  # a name stays


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("make it 20 percent bigger", {"scale": 1.2}),
        ("make it 25% smaller", {"scale": 0.75}),
        ("scale it down by a factor of four", {"scale": 0.25}),
        ("make it 1024 by 768", {"width": 1024, "height": 768}),  # a size, not an aspect
        ("grow it to 2x", {"scale": 2.0}),
    ],
)
def test_relative_sizes_and_sizes_said_as_two_numbers(text, args, toolbox):
    got = steps(plan(text, toolbox))
    assert got[0][0] == "resize" and all(abs(got[0][1][k] - v) < 1e-6 for k, v in args.items()), got


@pytest.mark.parametrize(
    "text",
    ["find every object", "show me bounding boxes", "detect anything interesting", "do object detection on this"],
)
def test_detection_of_everything_names_no_thing(text, toolbox):
    assert steps(plan(text, toolbox)) == [("detect", {})]


def test_rectangles_around_things_are_detections(toolbox):
    assert steps(plan("draw rectangles around the buses", toolbox)) == [("detect", {"target": "the buses"})]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("monochrome but keep the scooter yellow", "the scooter"),
        ("keep the tulips red and make the rest black and white", "the tulips"),
        ("put the photo in greyscale except for the kite", "the kite"),
    ],
)
def test_a_thing_kept_in_its_colour_is_spared_by_the_grayscale(text, kept, toolbox):
    assert steps(plan(text, toolbox)) == [("segment", {"target": kept}), ("grayscale", {"where": "outside"})]


def test_a_named_half_is_a_place_not_a_lesser_grayscale(toolbox):
    assert steps(plan("turn the right half greyscale", toolbox))[-1][0] == "grayscale"


def test_grab_selects(toolbox):
    assert steps(plan("grab the mug on the left", toolbox))[0][0] == "segment"  # it asked: segment or flip?
