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
