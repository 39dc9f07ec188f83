"""Issue #16's everyday requests as planning rows (with the notes the planner must leave when
it had to read a word differently), on images and videos; the outcomes on real photos are
measured in tests/reliability/test_right_or_honest.py."""

import pytest

from tests.planners.test_rule import IMG, TABLE, compact
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import NOT_ENGLISH, RulePlanner
from vitron_agent.toolkit.plan import validate_plan
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

VID = {"input": {"video": "video"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def read(a: str, b: str) -> str:
    return f"I read {a!r} as {b!r}."


ROWS = [  # (instruction, plan, notes)
    # except / but / other than: the complement
    ("blur everything except the person", ["segment", "edit:blur:outside mask=$s1.mask"], []),
    ("blur everything but the dog", ["segment", "edit:blur:outside mask=$s1.mask"], []),
    ("brighten everything except the cat", ["segment", "edit:brighten:outside mask=$s1.mask"], []),
    ("make everything except the car grayscale", ["segment", "edit:grayscale:outside mask=$s1.mask"], []),
    ("darken the whole image except the face", ["segment", "edit:darken:outside mask=$s1.mask"], []),
    ("remove everything except the cat", ["segment", "edit:keep_only mask=$s1.mask"], []),
    ("keep everything except the spoon", ["segment", "edit:remove mask=$s1.mask"], []),
    ("recolor everything except the flower blue", ["segment", "edit:recolor:blue:outside mask=$s1.mask"], []),
    ("blur everything other than the person", ["segment", "edit:blur:outside mask=$s1.mask"], []),
    ("blur everything apart from the dog", ["segment", "edit:blur:outside mask=$s1.mask"], []),
    # background colours are set, not hue-shifted
    ("make the background white", ["segment", "edit:replace_background:white mask=$s1.mask"], []),
    ("make the background black", ["segment", "edit:replace_background:black mask=$s1.mask"], []),
    ("paint the background green", ["segment", "edit:replace_background:green mask=$s1.mask"], []),
    ("set the background to gray", ["segment", "edit:replace_background:gray mask=$s1.mask"], []),
    ("fill the background with yellow", ["segment", "edit:replace_background:yellow mask=$s1.mask"], []),
    ("turn the background white", ["segment", "edit:replace_background:white mask=$s1.mask"], []),
    # a side is a half-plane
    ("darken the left side", ["segment:left", "edit:darken mask=$s1.mask"], []),
    ("brighten the right half", ["segment:right", "edit:brighten mask=$s1.mask"], []),
    ("blur the top half", ["segment:top", "edit:blur mask=$s1.mask"], []),
    ("make the bottom part grayscale", ["segment:bottom", "edit:grayscale mask=$s1.mask"], []),
    # crop
    ("crop to the cat", ["segment", "edit:crop mask=$s1.mask"], []),
    ("crop it to a square", ["edit:crop"], []),
    ("crop to 16:9", ["edit:crop"], []),
    ("crop to box (10, 10, 200, 100)", ["edit:crop box"], []),
    ("crop the image to the red car", ["segment:red", "edit:crop mask=$s1.mask"], []),
    ("trim it to a square", ["edit:crop"], []),
    ("segment the cat, then crop to it", ["segment", "edit:crop mask=$s1.mask"], []),
    (
        "crop to the cat, then make it brighter",
        ["segment", "edit:crop mask=$s1.mask", "edit:brighten image=$s2.image"],
        [],
    ),
    # captions and "tell me"
    ("give me a caption", ["describe"], []),
    ("write a short caption", ["describe"], []),
    ("give me a description of the image", ["describe"], []),
    ("generate a caption for this photo", ["describe"], []),
    ("tell me what colour it is", ["describe"], []),
    ("tell me what colour the car is", ["segment", "describe mask=$s1.mask"], []),
    ("tell me where the red ball is", ["segment:red", "describe mask=$s1.mask"], []),
    ("can you tell me how bright the image is", ["describe"], []),
    # yes / no colour questions
    ("tell me if the cup is red", ["segment", "describe mask=$s1.mask"], []),
    ("is the saucer red?", ["segment", "describe mask=$s1.mask"], []),
    ("are the apples green?", ["segment", "describe mask=$s1.mask"], []),
    ("is the sky blue", ["segment", "describe mask=$s1.mask"], []),
    ("what colour are the leaves?", ["segment", "describe mask=$s1.mask"], []),
    ("what colour is the helmet?", ["segment", "describe mask=$s1.mask"], []),
    ("where is the helmet?", ["segment", "describe mask=$s1.mask"], []),
    (
        "is the cat brown? then make it purple",
        ["segment", "describe mask=$s1.mask", "edit:recolor:purple mask=$s1.mask"],
        [],
    ),
    # reading text
    ("read the sign", ["read_text"], []),
    ("what does the sign say?", ["read_text"], []),
    ("what does it say", ["read_text"], []),
    ("transcribe the text", ["read_text"], []),
    ("what's written on the board", ["read_text"], []),
    ("what text is there?", ["read_text"], []),
    ("read the text in box (10, 10, 200, 100)", ["read_text box"], []),
    ("segment the cat, then read it", ["segment", "read_text mask=$s1.mask"], []),
    ("extract the text", ["read_text"], []),
    # typos: read as the nearest word, and said
    (
        "segmnet the cat and mak it purpel",
        ["segment", "edit:recolor:purple mask=$s1.mask"],
        [read("segmnet", "segment"), read("purpel", "purple"), read("mak", "make")],
    ),
    ("remvoe the spoon", ["segment", "edit:remove mask=$s1.mask"], [read("remvoe", "remove")]),
    ("blurr the background", ["segment", "edit:blur_background mask=$s1.mask"], [read("blurr", "blur")]),
    ("desribe the image", ["describe"], [read("desribe", "describe")]),
    ("make it yelow", ["segment", "edit:recolor:yellow mask=$s1.mask"], [read("yelow", "yellow")]),
    ("brigthen the image", ["edit:brighten"], [read("brigthen", "brighten")]),
    (
        "segment the red car and make it greeen",
        ["segment:red", "edit:recolor:green mask=$s1.mask"],
        [read("greeen", "green")],
    ),
    ("cout the coins", ["count"], [read("cout", "count")]),
    # counting, named targets, colours
    ("how many coins are there?", ["count"], []),
    ("how many blue nuclei are there?", ["count:blue"], []),
    ("count the galaxies", ["count"], []),
    ("keep only the helmet", ["segment", "edit:keep_only mask=$s1.mask"], []),
    ("remove the flag", ["segment", "edit:remove mask=$s1.mask"], []),
    ("erase the tower on the right", ["segment:right", "edit:remove mask=$s1.mask"], []),
    ("make the orange suit blue", ["segment:orange", "edit:recolor:blue mask=$s1.mask"], []),
    ("select the orange suit", ["segment:orange"], []),
    ("find the red ball and make it blue", ["segment:red", "edit:recolor:blue mask=$s1.mask"], []),
    (
        "blur everything except the person, then describe it",
        ["segment", "edit:blur:outside mask=$s1.mask", "describe image=$s2.image mask=$s1.mask"],
        [],
    ),
    # other phrasings of the same things
    ("blur all except the face", ["segment", "edit:blur:outside mask=$s1.mask"], []),
    ("everything but the sky should be grayscale", ["segment", "edit:grayscale:outside mask=$s1.mask"], []),
    ("grayscale everything except the flower", ["segment", "edit:grayscale:outside mask=$s1.mask"], []),
    ("remove all but the dog", ["segment", "edit:keep_only mask=$s1.mask"], []),
    ("the background should be white", ["segment", "edit:replace_background:white mask=$s1.mask"], []),
    ("the background should be blurred", ["segment", "edit:blur_background mask=$s1.mask"], []),
    ("change the backdrop to black", ["segment", "edit:replace_background:black mask=$s1.mask"], []),
    ("the cat should be purple", ["segment", "edit:recolor:purple mask=$s1.mask"], []),
    ("zoom in on the cat", ["segment", "edit:crop mask=$s1.mask"], []),
    ("crop the photo to 4:3", ["edit:crop"], []),
    ("give the image a caption", ["describe"], []),
    ("describe this picture in one sentence", ["describe"], []),
    ("is the car red or blue?", ["segment", "describe mask=$s1.mask"], []),
    ("where's the dog?", ["segment", "describe mask=$s1.mask"], []),
    ("tell me the colour of the car", ["segment", "describe mask=$s1.mask"], []),
    ("make it bleu", ["segment", "edit:recolor:blue mask=$s1.mask"], [read("bleu", "blue")]),
    ("brighten the upper half", ["segment:top", "edit:brighten mask=$s1.mask"], []),
    (
        "make the background white, then describe it",
        ["segment", "edit:replace_background:white mask=$s1.mask", "describe image=$s2.image mask=$s1.mask"],
        [],
    ),
]

VIDEO_ROWS = [
    (
        "track the red ball, make it blue, then describe it",
        ["track:red", "edit_video:recolor:blue track=$s1.track", "describe_video track=$s1.track video=$s2.video"],
    ),
    ("take the middle frame, then segment the red ball", ["frame:middle", "segment:red image=$s1.image"]),
    ("how many frames are there?", ["describe_video"]),
    ("how many frames does it have", ["find_in_video"]),  # the clip's metadata (find_in_video on the clip itself)
    ("read the sign", ["frame:middle", "read_text image=$s1.image"]),
    ("crop it to a square", ["transform_video:crop"]),  # every frame cropped alike (was refused)
]


@pytest.mark.parametrize("text,expected,notes", ROWS, ids=[r[0] for r in ROWS])
def test_everyday_rows(toolbox, text, expected, notes):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)
    assert compact(plan) == expected
    assert validate_plan(plan, toolbox, IMG) == []
    assert plan.notes == notes


@pytest.mark.parametrize("text,expected", VIDEO_ROWS, ids=[r[0] for r in VIDEO_ROWS])
def test_video_rows(toolbox, text, expected):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=VID), toolbox)
    assert [c.replace("video=$input.video", "").strip() for c in compact(plan)] == expected
    assert validate_plan(plan, toolbox, VID) == []


@pytest.mark.parametrize(
    "text",
    [
        "segmenta el gato y hazlo morado",
        "mach die Katze lila",
        "fais le chat violet",
        "把猫变成紫色",
        "сделай кота фиолетовым",
    ],
)
def test_other_languages_get_a_short_specific_message(toolbox, text):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)
    assert plan.steps == [] and plan.answer == NOT_ENGLISH


def test_english_with_coordinates_is_not_mistaken_for_another_language(toolbox):
    plan = RulePlanner().plan(PlanRequest(text="segment the object at (120, 80) and make it blue", inputs=IMG), toolbox)
    assert compact(plan) == ["segment point", "edit:recolor:blue mask=$s1.mask"]
    plan = RulePlanner().plan(PlanRequest(text="remove the die and then describe the van", inputs=IMG), toolbox)
    assert plan.answer != NOT_ENGLISH and [s.tool for s in plan.steps] == ["segment", "edit", "segment", "describe"]


def test_the_tables_have_at_least_120_rows():
    assert len(TABLE) + len(ROWS) + len(VIDEO_ROWS) >= 120


def test_the_help_text_is_generated_from_the_intent_table():
    from vitron_agent.planners.rule import INTENTS, UNDERSTOOD

    helped = [i for i in INTENTS if i.help]
    assert len({i.name for i in helped}) >= 20
    assert all(i.help in UNDERSTOOD for i in helped)
    assert all(i.handler is not None or i.name in ("generate", "generate_video") for i in INTENTS)


def test_a_clause_is_parsed_into_intent_target_colour_region_and_negation():
    from vitron_agent.planners.rule import parse_clause

    c = parse_clause("blur everything except the red car")
    assert (c.intent, c.rest, c.colour, c.negated) == ("blur", "everything except the red car", "red", True)
    c = parse_clause("segment the dog @r0@")
    assert (c.intent, c.regions, c.negated) == ("segment", ("@r0@",), False)
    assert parse_clause("fly me to the moon").intent is None
