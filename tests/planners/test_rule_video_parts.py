"""A part of a clip named for a tool that works on the whole clip (probe s7: "speed up the middle part"
sped up all of it and "make a boomerang of the first second" made one of the whole clip, both said as
done): a boomerang of a span is made of that span; a speed change or reversal of a part is done to the
whole clip and the answer says so first. Requests worded afresh."""

import pytest

from vitron_agent.graphs.policy import turn_warnings
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

VID = {"input": {"video": "video"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def planned(text, toolbox):
    return RulePlanner().plan(PlanRequest(text=text, inputs=VID), toolbox)


def test_a_boomerang_of_a_span_is_made_of_that_span(toolbox):
    p = planned("boomerang the opening two seconds", toolbox)
    assert [s.tool for s in p.steps] == ["trim_video", "reverse_video", "concat_videos"]
    assert p.steps[0].args.get("first") == 2.0 and p.steps[2].args["video"] == "$s1.video"


@pytest.mark.parametrize(
    "text, part",
    [("speed up the closing part", "the closing part"), ("play the middle bit backwards", "the middle bit")],
)
def test_a_part_the_tool_cannot_be_limited_to_is_said_first(text, part, toolbox):
    """A part said without its times stays a whole-clip edit, said first; a part with its times ("speed up
    the closing 4 seconds") is cut out, edited and joined back (test_rule_video_round7)."""
    p = planned(text, toolbox)
    assert p.steps and p.steps[0].tool in ("speed_video", "reverse_video")
    said = turn_warnings(p, {})
    assert said and said[0].startswith(f"I did not do it on {part!r} only")


def test_the_whole_clip_says_nothing_more(toolbox):
    assert not [n for n in planned("run it backwards", toolbox).notes if n.startswith("I did not do")]


def test_a_turn_that_did_only_part_of_the_request_is_not_ok(toolbox):
    from vitron_agent.runtime.agent import RunResult

    p = planned("slow down the last bit", toolbox)
    r = RunResult(answer="", session="s", request="slow down the last bit", plan=p, steps=[])
    assert not r.ok  # the speed change was done to the whole clip, said first: not everything asked
    whole = planned("slow it down", toolbox)
    assert RunResult(answer="", session="s", request="slow it down", plan=whole, steps=[]).ok


@pytest.mark.parametrize("text, angle", [("turn the photo 450 degrees", 90.0), ("rotate it by 2e9 degrees", 2e9 % 360)])
def test_whole_turns_are_taken_off_an_angle_and_said(text, angle, toolbox):
    """'rotate by 1e9 degrees' rotated 1° (the exponent was dropped); 450° was refused by validation."""
    p = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
    assert p.steps[0].args["angle"] == angle and any("whole turns change nothing" in n for n in p.notes)
