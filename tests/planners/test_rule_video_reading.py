"""Video requests as people type them (issue 41): every common way of saying a time span trims,
"follow / keep an eye on" tracks the thing without the words that say where or how long, "when"
questions find the thing asked about, two clips sent together are joined whatever was done to the
first. Each case here planned nothing or the wrong thing before."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit import slots
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

VID = {"input": {"video": "video"}, "last": {}}
TWO = {"input": {"video": "video", "video2": "video"}, "last": {}}
IMG = {"input": {"image": "image"}, "last": {}}
MASKED = {"input": {"image": "image"}, "last": {"image": "image", "mask": "mask"}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def steps(text, toolbox, inputs=VID):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=inputs), toolbox)
    return [(s.tool, {k: v for k, v in s.args.items() if not str(v).startswith("$")}) for s in plan.steps]


@pytest.mark.parametrize(
    "text, span",
    [
        ("keep seconds three to eight", (3.0, 8.0)),
        ("give me 1.5 to 4 seconds of it", (1.5, 4.0)),
        ("cut it down to seconds 20 through 30", (20.0, 30.0)),
        ("keep from the 7 second mark to the end", (7.0, None)),
        ("2s-5s", (2.0, 5.0)),
        ("keep 3 s to 8 s", (3.0, 8.0)),
    ],
)
def test_time_spans_without_from(text, span):
    assert slots.time_range(text) == span


@pytest.mark.parametrize("text", ["make it 3 to 4 times faster", "cut 5 to 10", "resize to 800 to 600 pixels"])
def test_two_bare_numbers_are_no_time_span(text):
    assert slots.time_range(text) is None


@pytest.mark.parametrize(
    "text, args",
    [
        ("keep seconds three to eight", {"start": 3.0, "end": 8.0}),
        ("just the first five seconds please", {"first": 5.0}),
        ("only keep the last 5 secs", {"last": 5.0}),
        ("can you give me just 1.5 to 4 seconds of it", {"start": 1.5, "end": 4.0}),
        ("i want the bit where the dog is on screen", {"visible": "the dog"}),
        ("cut everything after 0:12", {"end": 12.0}),
        ("could you cut the video down to seconds 20 through 30?", {"start": 20.0, "end": 30.0}),
        ("keep from the 7 second mark to the end", {"start": 7.0}),
    ],
)
def test_trims_as_people_say_them(text, args, toolbox):
    got = steps(text, toolbox)
    assert [t for t, _ in got] == ["trim_video"], got
    assert {k: v for k, v in got[0][1].items() if v is not None} == args


@pytest.mark.parametrize(
    "text, target",
    [
        ("keep an eye on the cat", "the cat"),
        ("show me where the horse goes", "the horse"),
        ("highlight the goalkeeper the whole time", "the goalkeeper"),
        ("please mark the bus in every frame", "the bus"),
        ("lock onto the white dog", "the white dog"),
        ("i want the runner tracked", "the runner"),
    ],
)
def test_tracking_reads_the_thing_only(text, target, toolbox):
    got = steps(text, toolbox)
    assert [(t, a.get("target")) for t, a in got] == [("track", target)], got


@pytest.mark.parametrize(
    "text, target, question",
    [
        ("find when the bus turns up", "the bus", "appear"),
        ("tell me the moment the bird disappears", "the bird", "disappear"),
        ("whens the truck gone", "the truck", "disappear"),
        ("find the parts with the bicycle in them", "the bicycle", "when"),
        ("do you know when the dog appears", "the dog", "appear"),
    ],
)
def test_when_questions_find_the_thing(text, target, question, toolbox):
    got = steps(text, toolbox)
    assert got == [("find_in_video", {"target": target, "question": question})], got


@pytest.mark.parametrize("text", ["stick these videos together", "play one after the other", "join the two clips"])
def test_two_clips_sent_together_are_joined(text, toolbox):
    assert [t for t, _ in steps(text, toolbox, TWO)] == ["concat_videos"]


def test_an_edited_clip_is_joined_with_the_other_one_sent(toolbox):
    """The second clause joins the reversed clip (not the original) with the second clip sent."""
    plan = RulePlanner().plan(PlanRequest(text="reverse it and then add the other clip after it", inputs=TWO), toolbox)
    assert [s.tool for s in plan.steps] == ["reverse_video", "concat_videos"], plan.answer
    assert plan.steps[1].args["video"] == "$s1.video" and plan.steps[1].args["other"] == "$input.video2"


def test_gif_width_said_without_pixels(toolbox):
    assert steps("convert the clip to a gif 320 wide", toolbox) == [("export_gif", {"width": 320})]


@pytest.mark.parametrize(
    "text, inputs, expect",
    [
        ("give it an outline", MASKED, [("edit", "outline")]),
        ("any idea how many chairs there are", IMG, [("count", None)]),
    ],
)
def test_pronoun_and_wondering(text, inputs, expect, toolbox):
    got = steps(text, toolbox, inputs)
    assert [(t, a.get("operation")) for t, a in got] == expect, got


@pytest.mark.parametrize(
    "text, args",
    [
        ("the part between 1 and 3 seconds please", {"start": 1.0, "end": 3.0}),
        ("make it start at 3s and end at 7s", {"start": 3.0, "end": 7.0}),
        ("end the video at 0:09", {"first": 9.0}),
        ("clip from second 2 until second 9", {"start": 2.0, "end": 9.0}),
        ("I want only seconds 5-8", {"start": 5.0, "end": 8.0}),
        ("lose the first second", {"start": 1.0}),
        ("cut the first 3 seconds", {"start": 3.0}),
        ("cut the video to the first 3 seconds", {"first": 3.0}),
        ("only the frames where the car is visible", {"visible": "the car"}),
    ],
)
def test_more_ways_of_saying_a_trim(text, args, toolbox):
    got = steps(text, toolbox)
    assert [t for t, _ in got] == ["trim_video"], got
    assert {k: v for k, v in got[0][1].items() if v is not None} == args


def test_a_gif_of_a_time_span_trims_first(toolbox):
    got = steps("make a gif out of the first 3 seconds", toolbox)
    assert [t for t, _ in got] == ["trim_video", "export_gif"] and got[0][1]["first"] == 3.0


@pytest.mark.parametrize("text", ["play it forwards and then backwards", "make it go back and forth", "ping-pong loop"])
def test_forwards_then_backwards_is_one_boomerang(text, toolbox):
    """'and then' used to split it into two reversals (the clip played backwards twice: the original)."""
    assert [t for t, _ in steps(text, toolbox)] == ["reverse_video", "concat_videos"]


@pytest.mark.parametrize(
    "text, target, question",
    [
        ("is there ever a dog in this?", "dog", "appear"),
        ("does a car show up at any point", "a car", "appear"),
        ("find the first appearance of the horse", "the horse", "appear"),
        ("when is the last time we see the cat", "the cat", "disappear"),
        ("at what point in the video does the truck drive off", "the truck", "disappear"),
        ("when exactly does the man walk in", "the man", "appear"),
        ("how much of the video has the cat in it", "the cat", "how_long"),
        ("which part of the video has the dog", "the dog", "when"),
    ],
)
def test_more_when_questions(text, target, question, toolbox):
    assert steps(text, toolbox) == [("find_in_video", {"target": target, "question": question})]


@pytest.mark.parametrize(
    "text, inputs, expect",
    [
        ("how many of the cups are red", IMG, [("count", "red cups")]),
        ("tell me how many horses you see", IMG, [("count", "horses")]),
        ("whats the total number of bottles", IMG, [("count", "bottles")]),
    ],
)
def test_count_questions_read_the_thing(text, inputs, expect, toolbox):
    assert [(t, a.get("target")) for t, a in steps(text, toolbox, inputs)] == expect


@pytest.mark.parametrize(
    "text, op",
    [("brighten that area", "brighten"), ("the same but blue", "recolor"), ("give it a blur", "blur")],
)
def test_words_for_the_selection_bind_to_it(text, op, toolbox):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=MASKED), toolbox)
    assert [(s.tool, s.args.get("operation"), s.args.get("mask")) for s in plan.steps] == [("edit", op, "$last.mask")]


def test_colour_drained_from_everything_but_a_thing(toolbox):
    got = steps("remove the colour from the video except the red car", toolbox)
    assert [(t, a.get("operation"), a.get("where")) for t, a in got][1] == ("edit_video", "grayscale", "outside")


@pytest.mark.parametrize(
    "text, ops",
    [
        ("make it warmer and a bit brighter", ["warmer", "brighten"]),
        ("make it black and white and a lot sharper", ["grayscale", "sharpen"]),
    ],
)
def test_a_comparative_after_and_is_a_second_edit(text, ops, toolbox):
    """'… and a bit brighter' was folded into the first edit (one warmer step, its amount lowered)."""
    assert [a.get("operation") for _, a in steps(text, toolbox, IMG)] == ops


@pytest.mark.parametrize(
    "text, args",
    [
        ("trim from 1m30s to 2m", {"start": 90.0, "end": 120.0}),
        ("keep from 1 minute 10 to 1 minute 20", {"start": 70.0, "end": 80.0}),
        ("trimm the frist 5 seconds", {"first": 5.0}),
        ("can you cut this from 2 to 4", {"start": 2.0, "end": 4.0}),
        ("make it only 3 seconds long", {"first": 3.0}),
        ("shorten it by 2 seconds", {"drop_last": 2.0}),
        ("take out the last 2.5 seconds", {"drop_last": 2.5}),
    ],
)
def test_minutes_with_seconds_typos_and_lengths(text, args, toolbox):
    """'1 minute 20' was read as '1 m' (60 s): the unit alternatives are tried longest first."""
    got = steps(text, toolbox)
    assert [t for t, _ in got] == ["trim_video"], got
    assert {k: v for k, v in got[0][1].items() if v is not None} == args


def test_a_frame_at_a_time_is_no_trim(toolbox):
    assert [t for t, _ in steps("take a frame at 2 seconds", toolbox)] == ["frame"]


@pytest.mark.parametrize(
    "text, op",
    [
        ("delete that thing", "remove"),
        ("change its colour to orange", "recolor"),
        ("turn them all blue", "recolor"),
        ("blur the selected area", "blur"),
        ("make the thing you selected blue", "recolor"),
    ],
)
def test_more_names_for_the_selection(text, op, toolbox):
    """Each selected a new 'main object' (or 'the thing you') instead of the previous turn's mask."""
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=MASKED), toolbox)
    assert [(s.tool, s.args.get("operation"), s.args.get("mask")) for s in plan.steps] == [("edit", op, "$last.mask")]


def test_a_colour_wished_in_the_passive_recolours_the_thing(toolbox):
    """'could the car be red in the whole video' tracked 'could the car'."""
    got = steps("could the car be red in the whole video", toolbox)
    assert [(t, a.get("target"), a.get("operation")) for t, a in got] == [
        ("track", "the car", None),
        ("edit_video", None, "recolor"),
    ]


@pytest.mark.parametrize(
    "text, target", [("keep track of the red car", "the red car"), ("keep an eye on the blue bus", "the blue bus")]
)
def test_keep_track_of_a_coloured_thing_is_no_spared_thing(text, target, toolbox):
    """'keep track of the red car' was read as 'keep <track of the> red, car' (a thing spared in
    colour) and counted cars."""
    assert [(t, a.get("target")) for t, a in steps(text, toolbox)] == [("track", target)]


@pytest.mark.parametrize(
    "text, tools",
    [
        ("place the dog onto the earlier picture", ["segment", "edit"]),
        ("put this on the previous picture", ["edit"]),
        ("put it on this picture", ["edit"]),
    ],
)
def test_composite_goes_the_way_it_is_said(text, tools, toolbox):
    """'place the dog onto the earlier picture' laid the previous picture's cut-out over this one (the
    other way round); now this picture's dog goes over the previous picture. 'put it on this picture'
    is unchanged: the previous cut-out over this one."""
    inputs = {"input": {"image": "image"}, "last": {"image": "image"}}
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=inputs), toolbox)
    assert [s.tool for s in plan.steps] == tools, plan.answer
    edit = plan.steps[-1].args
    assert edit["operation"] == "composite"
    if "previous" in text or "earlier" in text:
        assert edit["background"] == "$last.image" and edit["image"] == "$input.image"
    else:
        assert edit["background"] == "$input.image" and edit["image"] == "$last.image"


def test_everything_but_a_thing_in_grey(toolbox):
    """'everything except the dog in grey' tracked 'the dog in grey' (a grey dog)."""
    got = steps("everything except the dog in grey", toolbox)
    assert [(t, a.get("target"), a.get("operation"), a.get("where")) for t, a in got] == [
        ("track", "the dog", None, None),
        ("edit_video", None, "grayscale", "outside"),
    ]
