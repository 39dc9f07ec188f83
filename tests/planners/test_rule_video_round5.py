"""Video requests, chains and selections read as people mean them (issue 41, round 5). Each case
here planned nothing or the wrong thing before this round: trims said with "trim" alone cut the part
off, time spans on a video edit limit it, "trace" on a clip follows the thing, remarks and
appositions stay out of the plan, a selection said outright is not turned into a blur. The wording
differs from the benchmark's requests (the benchmark measures; these pin the classes)."""

import numpy as np
import pytest

from vitron_agent.graphs.step_phrases import phrases
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.intent_table import split_clauses
from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

VID = {"input": {"video": "video"}, "last": {}}
TWO = {"input": {"video": "video", "video2": "video"}, "last": {}}
IMG = {"input": {"image": "image"}, "last": {}}
MASKED = {"input": {"image": "image"}, "last": {"image": "image", "mask": "mask"}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def planned(text, toolbox, inputs=VID):
    return RulePlanner().plan(PlanRequest(text=text, inputs=inputs), toolbox)


def steps(text, toolbox, inputs=VID):
    plan = planned(text, toolbox, inputs)
    return [(s.tool, {k: v for k, v in s.args.items() if not str(v).startswith("$")}) for s in plan.steps]


@pytest.mark.parametrize(
    "text, args",
    [
        # "trim the first/last N seconds" cuts them off, as video editors mean it (the answer says so)
        ("trim the first 4 seconds", {"start": 4.0}),
        ("please trim the opening three seconds", {"start": 3.0}),
        ("trim the last 6 seconds", {"drop_last": 6.0}),
        ("trim the first 2 seconds and keep the rest", {"start": 2.0}),
        ("cut out the first two seconds", {"start": 2.0}),
        # ... "trim it to / down to" keeps them
        ("trim it to the first 4 seconds", {"first": 4.0}),
        ("trim the video down to the first 4 seconds", {"first": 4.0}),
        # a bare span, an apposition after a comma
        ("seconds 2 through 6 only", {"start": 2.0, "end": 6.0}),
        ("drop the intro, the first 2.5 seconds", {"start": 2.5}),
    ],
)
def test_trims(text, args, toolbox):
    assert steps(text, toolbox) == [("trim_video", args)]


def test_trim_off_says_its_assumption(toolbox):
    plan = planned("trim the first 4 seconds", toolbox)
    assert any("cutting them off" in n and "keep only the first 4 seconds" in n for n in plan.notes)


@pytest.mark.parametrize(
    "text, tool, args",
    [
        ("play it back at 0.6x", "speed_video", {"factor": 0.6}),
        ("halve the speed of the clip", "speed_video", {"factor": 0.5}),
        ("double the playback speed", "speed_video", {"factor": 2.0}),
        ("play the video in rewind", "reverse_video", {}),
        ("run the clip from end to start", "reverse_video", {}),
        ("loop the clip 4x", "loop_video", {"times": 4}),
        ("make it play on a loop, 5 plays", "loop_video", {"times": 5}),
    ],
)
def test_speed_reverse_loop(text, tool, args, toolbox):
    assert steps(text, toolbox) == [(tool, args)]


def test_play_the_other_clip_after_joins(toolbox):
    assert steps("play the second clip straight after this one", toolbox, TWO) == [("concat_videos", {})]


def test_a_remark_before_the_request_is_no_clause(toolbox):
    # "the clip drags" was asked about ("did you mean generate or replace?") and nothing ran
    assert steps("the clip drags, make it faster", toolbox) == [("speed_video", {"factor": 2.0})]


@pytest.mark.parametrize(
    "text, target",
    [
        ("trace the horse across the clip", "the horse"),  # was: track + a red outline edit
        ("trace the route of the boat", "the boat"),
        ("trace the cyclist's path", "the cyclist"),
        ("keep tabs on the woman throughout", "the woman"),
        ("tracking the bus please", "the bus"),
        ("follow the ball while it bounces", "the ball"),
        ("follow the runner frame by frame", "the runner"),
        ("keep following the dog until it stops", "the dog"),
        ("where does the horse go in the clip", "the horse"),
    ],
)
def test_following_a_thing_is_a_track(text, target, toolbox):
    assert steps(text, toolbox) == [("track", {"target": target})]


def test_trace_on_a_picture_is_still_an_outline(toolbox):
    assert [t for t, _ in steps("trace the dog", toolbox, IMG)] == ["segment", "edit"]


@pytest.mark.parametrize(
    "text, target, question",
    [
        ("in which part of the clip is there a bus", "a bus", "when"),
        ("for how much of the video can we see the dog", "the dog", "how_long"),
        ("when do you first see the horse", "the horse", "appear"),
        ("what's the last moment the dog is in frame", "the dog", "disappear"),
        ("does a bus show up at some point, and when?", "a bus", "appear"),
    ],
)
def test_when_questions(text, target, question, toolbox):
    assert steps(text, toolbox) == [("find_in_video", {"target": target, "question": question})]


@pytest.mark.parametrize(
    "text, target",
    [("tally the buses going past", "the buses"), ("a headcount for the video please", "people")],
)
def test_counts_in_a_clip(text, target, toolbox):
    assert steps(text, toolbox) == [("count_in_video", {"target": target})]


@pytest.mark.parametrize(
    "text",
    [
        "give me a quick recap of the clip",
        "what is this clip about",
        "describe the footage scene by scene",
        "talk me through what happens",
        "what are the shots in this clip",
    ],
)
def test_describing_a_clip(text, toolbox):
    assert steps(text, toolbox) == [("describe_video", {})]


def test_a_time_span_limits_a_video_edit(toolbox):
    assert steps("make the first 4 seconds grayscale", toolbox) == [
        ("edit_video", {"operation": "grayscale", "start": 0.0, "end": 4.0})
    ]
    assert steps("blur the dog from 2 to 5 seconds", toolbox) == [
        ("track", {"target": "the dog"}),
        ("edit_video", {"operation": "blur", "start": 2.0, "end": 5.0}),
    ]
    # counted from the end: the clip's last 3 seconds as a part of it (session 12; it had asked, never edited)
    plan = planned("darken the final 3 seconds", toolbox)
    assert [(s.tool, s.args.get("operation"), s.args.get("part")) for s in plan.steps] == [
        ("edit_video", "darken", {"last": 3.0})
    ]
    # a count of things is no time span
    assert steps("blur the first two people", toolbox)[-1] == ("edit_video", {"operation": "blur"})


def test_a_half_turn_of_a_clip_is_both_flips(toolbox):
    assert steps("turn the footage upside down", toolbox) == [
        ("edit_video", {"operation": "flip", "direction": "vertical"}),
        ("edit_video", {"operation": "flip", "direction": "horizontal"}),
    ]


def test_a_video_flip_takes_its_direction():
    """The planner's vertical flip of a clip was rejected ("no argument 'direction'")."""
    from vitron_agent.perception.edit_ops import apply_edit
    from vitron_agent.tools.video_cv import EditVideoInput

    assert "direction" in EditVideoInput.model_fields
    frame = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    assert (apply_edit(frame, None, "flip", direction="vertical") == frame[::-1]).all()


def test_a_limited_video_edit_says_which_part():
    plan = Plan.model_validate(
        {"steps": [{"id": "s1", "tool": "edit_video", "args": {"video": "$input.video", "operation": "grayscale"}}]}
    )
    whole = phrases(plan, {})["s1"]
    plan.steps[0].args.update(start=0.0, end=3.0)
    assert phrases(plan, {})["s1"] == f"{whole} from 0 s to 3 s only"


@pytest.mark.parametrize(
    "text, want",
    [
        # the matcher heard "plate" as a licence-plate blur and added a blur to a selection
        ("select whatever is on the tray", [("segment", {"relation": "on"})]),
        ("choose the one on the left", [("segment", {"position": "left"})]),
        ("isolate the biggest horse as a mask", [("segment", {"target": "the biggest horse"})]),
    ],
)
def test_selections(text, want, toolbox):
    got = steps(text, toolbox, IMG)
    assert [t for t, _ in got] == [t for t, _ in want]
    for (_, args), (_, expected) in zip(got, want, strict=True):
        assert {k: args.get(k) for k in expected} == expected


def test_them_after_a_count_is_the_counted_things(toolbox):
    # was: the outline went round the picture's main object
    assert steps("count the cups and then outline them", toolbox, IMG)[1] == ("segment", {"target": "cups"})


def test_the_selection_kept_in_colour(toolbox):
    assert steps("turn the rest black and white but leave it in colour", toolbox, MASKED) == [
        ("edit", {"operation": "grayscale", "where": "outside"})
    ]


def test_all_of_it_except(toolbox):
    assert steps("erase all of it except the dog", toolbox, IMG) == [
        ("segment", {"target": "the dog"}),
        ("edit", {"operation": "keep_only"}),
    ]


def test_whats_left_is_described(toolbox):
    assert steps("remove the lamp and then tell me what is left", toolbox, IMG)[-1] == ("describe", {})


def test_split_leaves_no_dangling_and():
    assert split_clauses("crop to the cat and after that make it brighter") == [
        "crop to the cat",
        "make it brighter",
    ]


@pytest.mark.parametrize(
    "text, factor",
    [("three-quarter speed", 0.75), ("at two thirds of the speed", 2 / 3), ("one and a half times as fast", 1.5)],
)
def test_fractions_of_speed(text, factor):
    from vitron_agent.toolkit import slots

    assert slots.factor(text) == pytest.approx(factor)  # "three-quarter" was a quarter; "one and a half" 0.5


def test_a_clip_reading_is_not_overruled_by_a_picture_one(toolbox):
    # the matcher heard "snip" as a cut-out and selected the main object
    assert steps("snip the final second", toolbox) == [("trim_video", {"drop_last": 1.0})]


def test_a_complaint_restating_the_request_adds_no_step(toolbox):
    assert steps("slow it down, it is too fast", toolbox) == [("speed_video", {"factor": 0.5})]
