"""The rule planner on video requests: the image verbs map onto the video tools, and
plans cross modalities (video -> frame -> image tools, image -> animate -> video tools)."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import NO_VIDEO_GENERATOR, RulePlanner
from vitron_agent.toolkit.plan import validate_plan
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

VID = {"input": {"video": "video"}, "last": {}}
IMG = {"input": {"image": "image"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def steps(plan):
    return [(s.tool, {k: v for k, v in s.args.items() if k not in ("target",)}) for s in plan.steps]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "track the red ball, make it blue, then describe it",
            [
                ("track", {"video": "$input.video", "color": "red"}),
                (
                    "edit_video",
                    {"video": "$input.video", "track": "$s1.track", "operation": "recolor", "color": "blue"},
                ),
                ("describe_video", {"video": "$s2.video", "track": "$s1.track"}),
            ],
        ),
        (
            "follow the person throughout the clip and blur the background",
            [
                ("track", {"video": "$input.video"}),
                ("edit_video", {"video": "$input.video", "track": "$s1.track", "operation": "blur_background"}),
            ],
        ),
        (
            "segment the red car in every frame, then remove it",
            [
                ("track", {"video": "$input.video", "color": "red"}),
                ("edit_video", {"video": "$input.video", "track": "$s1.track", "operation": "remove"}),
            ],
        ),
        (
            "make the background grayscale",
            [
                ("track", {"video": "$input.video"}),
                (
                    "edit_video",
                    {"video": "$input.video", "track": "$s1.track", "operation": "grayscale", "where": "outside"},
                ),
            ],
        ),
        ("brighten the video", [("edit_video", {"video": "$input.video", "operation": "brighten"})]),
        (
            "what happens in this clip?",
            [("describe_video", {"video": "$input.video", "question": "what happens in this clip?"})],
        ),
        (
            "take the middle frame, then segment the red ball",
            [
                ("frame", {"video": "$input.video", "position": "middle"}),
                ("segment", {"image": "$s1.image", "color": "red"}),
            ],
        ),
        (
            "grab frame 7 and describe it",
            [("frame", {"video": "$input.video", "index": 7}), ("describe", {"image": "$s1.image"})],
        ),
        (
            "how many red things are there",
            [
                ("frame", {"video": "$input.video", "position": "middle"}),
                ("count", {"image": "$s1.image", "color": "red"}),
            ],
        ),
    ],
)
def test_video_plans(toolbox, text, expected):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=VID), toolbox)
    assert steps(plan) == expected
    assert validate_plan(plan, toolbox, VID) == []


def test_the_track_target_words(toolbox):
    plan = RulePlanner().plan(PlanRequest(text="follow the red ball throughout the clip", inputs=VID), toolbox)
    assert plan.steps[0].args["target"] == "the red ball"


def test_image_to_video_chain(toolbox):
    plan = RulePlanner().plan(
        PlanRequest(text="animate it with a slow zoom out, then describe the video", inputs=IMG), toolbox
    )
    assert steps(plan) == [
        ("animate", {"image": "$input.image", "prompt": "a slow zoom out"}),
        ("describe_video", {"video": "$s1.video"}),
    ]
    assert validate_plan(plan, toolbox, IMG) == []


def test_generation_needs_configuration(toolbox):
    plan = RulePlanner().plan(
        PlanRequest(text="make a video of a dog running on a beach", inputs={"input": {}, "last": {}}), toolbox
    )
    assert plan.answer == NO_VIDEO_GENERATOR and not plan.steps


def test_generate_video_then_track(toolbox):
    tools = default_tools()
    from vitron_agent.tools.video_diffusers import DiffusersVideoGenerateTool

    gen = DiffusersVideoGenerateTool(checkpoint="/nonexistent")  # not loaded: planning only
    plan = RulePlanner().plan(
        PlanRequest(
            text="generate a video of a red ball bouncing, then track the red ball", inputs={"input": {}, "last": {}}
        ),
        Toolbox([*tools, gen]),
    )
    assert steps(plan) == [
        ("generate_video", {"prompt": "a red ball bouncing"}),
        ("track", {"video": "$s1.video", "color": "red"}),
    ]


def test_follow_up_turn_uses_the_last_track(toolbox):
    plan = RulePlanner().plan(
        PlanRequest(text="now make it green", inputs={"input": {"video": "video"}, "last": {"track": "track"}}), toolbox
    )
    assert steps(plan) == [
        ("edit_video", {"video": "$input.video", "track": "$last.track", "operation": "recolor", "color": "green"})
    ]


def test_animate_on_a_video_is_explained(toolbox):
    plan = RulePlanner().plan(PlanRequest(text="animate it", inputs=VID), toolbox)
    assert not plan.steps and "already a video" in plan.notes[0]
