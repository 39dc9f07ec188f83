"""The rule planner on a table of everyday instructions: expected tool sequence,
operations, colours and references (what "it" and "the result" bind to)."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import NEEDS_IMAGE, NO_GENERATOR, RulePlanner, split_clauses
from vitron_agent.toolkit.plan import validate_plan
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def compact(plan) -> list[str]:
    """'tool[:operation][:color] k=$ref ...' per step; the input image is left implicit."""
    out = []
    for s in plan.steps:
        head = s.tool
        for key in ("operation", "color", "position", "where"):
            if key in s.args:
                head += f":{s.args[key]}"
        refs = [
            f"{k}={v}"
            for k, v in sorted(s.args.items())
            if isinstance(v, str) and v.startswith("$") and not (k == "image" and v == "$input.image")
        ]
        for kind in ("point", "box"):
            if isinstance(s.args.get(kind), dict):
                refs.append(kind)
        out.append(" ".join([head, *refs]))
    return out


TABLE = [
    ("segment the cat", ["segment"]),
    ("select the red car", ["segment:red"]),
    ("mask the foreground", ["segment"]),
    ("cut out the main object", ["segment", "edit:cutout mask=$s1.mask"]),
    ("find the blue ball", ["segment:blue"]),
    ("highlight the subject", ["segment"]),
    ("isolate the largest object", ["segment"]),
    ("segment the object at (120, 80)", ["segment point"]),
    ("segment the dog in box (10, 20, 200, 180)", ["segment box"]),
    ("segment the red car on the left", ["segment:red:left"]),
    ("Please select the green thing at the top.", ["segment:green:top"]),
    ("recolor the cat purple", ["segment", "edit:recolor:purple mask=$s1.mask"]),
    ("make it blue", ["segment", "edit:recolor:blue mask=$s1.mask"]),
    (
        "segment the cat, then make it purple, then describe the result",
        ["segment", "edit:recolor:purple mask=$s1.mask", "describe image=$s2.image mask=$s1.mask"],
    ),
    ("segment the cat and then paint it green", ["segment", "edit:recolor:green mask=$s1.mask"]),
    ("select the red car; turn it yellow", ["segment:red", "edit:recolor:yellow mask=$s1.mask"]),
    ("paint the car red", ["segment", "edit:recolor:red mask=$s1.mask"]),
    ("change the color of the car to blue", ["segment", "edit:recolor:blue mask=$s1.mask"]),
    ("make the red ball green", ["segment:red", "edit:recolor:green mask=$s1.mask"]),
    ("remove the red ball", ["segment:red", "edit:remove mask=$s1.mask"]),
    ("erase the object at (50, 60)", ["segment point", "edit:remove mask=$s1.mask"]),
    ("delete the person on the right", ["segment:right", "edit:remove mask=$s1.mask"]),
    ("blur the background", ["segment", "edit:blur_background mask=$s1.mask"]),
    ("segment the cat then blur the background", ["segment", "edit:blur_background mask=$s1.mask"]),
    ("replace the background with white", ["segment", "edit:replace_background:white mask=$s1.mask"]),
    ("change the background to blue", ["segment", "edit:replace_background:blue mask=$s1.mask"]),
    ("make the background black and white", ["segment", "edit:grayscale:outside mask=$s1.mask"]),
    ("keep only the cat", ["segment", "edit:keep_only mask=$s1.mask"]),
    ("brighten the image", ["edit:brighten"]),
    ("make it darker", ["edit:darken"]),
    ("increase the contrast", ["edit:contrast"]),
    ("convert it to grayscale", ["edit:grayscale"]),
    ("make the image black and white", ["edit:grayscale"]),
    ("segment the cat, then brighten it", ["segment", "edit:brighten mask=$s1.mask"]),
    ("darken the background", ["segment", "edit:darken:outside mask=$s1.mask"]),
    ("describe the image", ["describe"]),
    ("caption this photo", ["describe"]),
    ("what is in the image?", ["describe"]),
    ("what color is the car?", ["segment", "describe mask=$s1.mask"]),
    ("tell me about the red object", ["segment:red", "describe mask=$s1.mask"]),
    ("how many red objects are there?", ["count:red"]),
    ("count the blue circles", ["count:blue"]),
    (
        "segment the cat, recolor it blue, then describe it",
        ["segment", "edit:recolor:blue mask=$s1.mask", "describe image=$s2.image mask=$s1.mask"],
    ),
    ("segment the red car and blur it", ["segment:red", "edit:blur mask=$s1.mask"]),
    ("blur the face", ["segment", "edit:blur mask=$s1.mask"]),
    ("where is the red ball?", ["segment:red", "describe mask=$s1.mask"]),
    ("how bright is the image?", ["describe"]),
    ("segment the cat. After that, remove it", ["segment", "edit:remove mask=$s1.mask"]),
    (
        "find the red ball, make it blue, brighten the background and then describe it",
        [
            "segment:red",
            "edit:recolor:blue mask=$s1.mask",
            "edit:brighten:outside image=$s2.image mask=$s1.mask",
            "describe image=$s3.image mask=$s1.mask",
        ],
    ),
    ("segment the yellow flower, then keep only it", ["segment:yellow", "edit:keep_only mask=$s1.mask"]),
]


@pytest.mark.parametrize("text,expected", TABLE, ids=[t for t, _ in TABLE])
def test_rule_planner_table(toolbox, text, expected):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)
    assert compact(plan) == expected
    assert validate_plan(plan, toolbox, IMG) == []
    assert not plan.notes


def test_table_is_large_enough():
    assert len(TABLE) >= 40


def test_literal_arguments(toolbox):
    plan = RulePlanner().plan(
        PlanRequest(text="segment the dog in box (10, 20, 200, 180) then describe it", inputs=IMG), toolbox
    )
    assert plan.steps[0].args["box"] == {"type": "box", "x1": 10.0, "y1": 20.0, "x2": 200.0, "y2": 180.0}
    assert plan.steps[0].args["target"] == "the dog"
    plan = RulePlanner().plan(PlanRequest(text="what colour is it?", inputs=IMG), toolbox)
    assert plan.steps[0].args["question"] == "what colour is it?"


def test_pronouns_bind_to_the_previous_turn(toolbox):
    inputs = {"input": {"image": "image"}, "last": {"image": "image", "mask": "mask"}}
    plan = RulePlanner().plan(PlanRequest(text="make it brighter", inputs=inputs), toolbox)
    assert compact(plan) == ["edit:brighten mask=$last.mask"]
    plan = RulePlanner().plan(PlanRequest(text="now recolor it red and describe the result", inputs=inputs), toolbox)
    assert compact(plan) == ["edit:recolor:red mask=$last.mask", "describe image=$s1.image mask=$last.mask"]


@pytest.mark.parametrize(
    "text, op",
    [
        ("blur this", "edit:blur"),
        ("pixelate it", "edit:pixelate"),
        ("make it grayscale", "edit:grayscale"),
        ("what colour is this?", "describe"),
        ("what is this?", "describe"),
    ],
)
@pytest.mark.parametrize("region", ["box", "point"])
def test_this_with_a_marked_region_is_the_marked_thing(toolbox, text, op, region):
    """A box drawn around a sign and "blur this" blurred the whole picture; "what colour is this?" with
    a box described the whole picture: "this", "it" or no target with a region is the region's thing."""
    inputs = {"input": {"image": "image", region: region}, "last": {"mask": "m"}}
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=inputs), toolbox)
    assert plan.steps[0].tool == "segment" and plan.steps[0].args[region] == f"$input.{region}"
    assert compact(plan)[1].startswith(op) and plan.steps[1].args["mask"] == "$s1.mask"
    plain = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert plain.steps[0].tool != "segment"  # without a region: the picture, as before


def test_user_given_regions_are_used(toolbox):
    inputs = {"input": {"image": "image", "box": "box"}, "last": {}}
    plan = RulePlanner().plan(PlanRequest(text="segment the object in the box, then remove it", inputs=inputs), toolbox)
    assert plan.steps[0].args["box"] == "$input.box"
    assert validate_plan(plan, toolbox, inputs) == []


def test_unknown_requests_get_an_answer_not_an_exception(toolbox):
    plan = RulePlanner().plan(PlanRequest(text="fly me to the moon", inputs=IMG), toolbox)
    assert not plan.steps and "I could not turn 'fly me to the moon' into steps" in plan.answer
    assert "The closest things I can do:" in plan.answer and "Say 'help'" in plan.answer  # not all 2,400 characters
    full = RulePlanner().plan(PlanRequest(text="help", inputs=IMG), toolbox).answer
    assert full.startswith("I understand:") and "segment" in full and "recolor" in full
    plan = RulePlanner().plan(PlanRequest(text="segment the cat, then sing a song", inputs=IMG), toolbox)
    assert compact(plan) == ["segment"]
    assert any("sing a song" in n for n in plan.notes)


def test_generation_without_generator_names_the_setting(toolbox):
    for text in ("generate an image of a lighthouse", "draw a cat", "create a picture of a red boat"):
        plan = RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)
        assert plan.answer == NO_GENERATOR and "[tools.generate] backend" in plan.answer


def test_generation_is_planned_when_a_generator_exists():
    from pydantic import BaseModel

    from vitron_agent.core.refs import ImageRef
    from vitron_agent.toolkit.tool import VisionTool

    class Gen(VisionTool):
        name = "generate"
        description = "test generator"

        class Input(BaseModel):
            prompt: str

        class Output(BaseModel):
            image: ImageRef

    box = Toolbox([*default_tools(), Gen()])
    plan = RulePlanner().plan(PlanRequest(text="generate an image of a lighthouse, then describe it", inputs={}), box)
    assert compact(plan) == ["generate", "describe image=$s1.image"]
    assert plan.steps[0].args["prompt"] == "a lighthouse"


def test_requests_that_need_an_image(toolbox):
    plan = RulePlanner().plan(PlanRequest(text="segment the cat", inputs={"input": {}}), toolbox)
    assert plan.answer == NEEDS_IMAGE


def test_split_clauses_keeps_regions_and_colour_pairs():
    assert split_clauses("segment the red and blue car, then describe it") == [
        "segment the red and blue car",
        "describe it",
    ]
    assert split_clauses("segment it; blur it. then describe it") == ["segment it", "blur it", "describe it"]


def test_model_backed_steps_when_configured(tiny_dir):
    from vitron_agent.runtime.toolset import build_toolbox
    from vitron_agent.toolkit.config import load_config

    box = build_toolbox(load_config(tiny_dir / "vitron.toml"))
    plan = RulePlanner().plan(
        PlanRequest(text="segment the cat, then replace it with a dog, then describe the result", inputs=IMG), box
    )
    assert compact(plan) == [
        "ground",
        "segment box=$s1.box",
        "edit:inpaint mask=$s2.mask",
        "describe image=$s3.image mask=$s2.mask",
    ]
    assert plan.steps[0].args["target"] == "the cat" and plan.steps[2].args["prompt"] == "a dog"
    assert validate_plan(plan, box, IMG) == []
    # colours, positions and the foreground need no detector
    assert compact(RulePlanner().plan(PlanRequest(text="select the red car", inputs=IMG), box)) == ["segment:red"]
    plan = RulePlanner().plan(PlanRequest(text="make it look like winter", inputs=IMG), box)
    assert compact(plan) == ["edit:instruct"] and plan.steps[0].args["prompt"] == "make it look like winter"
    plan = RulePlanner().plan(
        PlanRequest(
            text="generate an image of a lighthouse, then describe it", inputs={"input": {}, "last": {"mask": "mask"}}
        ),
        box,
    )
    assert compact(plan) == ["generate", "describe image=$s1.image"]  # the old mask is not of the new picture


def test_generative_edits_without_a_generative_editor_say_what_to_configure(toolbox):
    plan = RulePlanner().plan(PlanRequest(text="replace the cat with a dog", inputs=IMG), toolbox)
    assert not plan.steps and '[tools.edit] backend = "diffusers"' in plan.notes[0]
    plan = RulePlanner().plan(
        PlanRequest(text="segment the cat, then make it look like a painting", inputs=IMG), toolbox
    )
    assert compact(plan) == ["segment"] and "Instruction editing needs a generative editor" in plan.notes[0]


@pytest.mark.parametrize(
    "text, whole",
    [
        ("make the white thing red", False),
        ("blur the round thing", False),
        ("make the whole thing black and white", True),
        ("make the entire thing warmer", True),
    ],
)
def test_a_described_thing_is_not_the_whole_picture(toolbox, text, whole):
    """'make the white thing red' answered 'I cannot wash the whole picture red': '<words> thing' was read
    as 'the whole thing'."""
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert (plan.steps[0].tool != "segment") is whole, compact(plan)
