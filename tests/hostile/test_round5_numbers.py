"""Hostile round 5: numbers in requests as people type them. Before, each slot reader took the digits
it could see: "loop it 1e9 times" looped 9 times, "make a gif at 1e9 fps" made 9 fps, "slow it down
by 1,5x" ran at 0.2x, "trim from -5 s to 2 s" kept 0:02-0:05, "rotate it NaN degrees" turned 90°,
and "loop it 1000000000 times" looped 50 times: each said done. Now a number is read whole, one
that is no quantity is refused naming it, and one out of a tool's range is refused with the range."""

import pytest

from vitron_agent.planners.rule.numerals import impossible_number, numbers_written_out
from vitron_agent.runtime.turns import TurnRequest

WHOLE = [
    ("loop it 1e9 times", "loop_video", "times", 1_000_000_000),
    ("make a gif at 1e9 fps", "export_gif", "fps", 1e9),
    ("make a gif at 1,5 fps", "export_gif", "fps", 1.5),
    ("slow it down by 1,5x", "speed_video", "factor", round(1 / 1.5, 4)),
    ("loop it 1,000 times", "loop_video", "times", 1000),
    ("loop it 2.5 times", "loop_video", "times", 2.5),
    ("loop it 51 times", "loop_video", "times", 51),
    ("a contact sheet of 1e9 frames", "frame_sheet", "count", 1_000_000_000),
]

REFUSED = [
    ("loop it NaN times", "'NaN times' is not a number"),
    ("fade in over inf seconds", "'inf seconds' is not a number"),
    ("rotate it NaN degrees", "'NaN degrees' is not a number"),
    ("trim from -5 s to 2 s", "'-5 s' is negative"),
    ("loop it -3 times", "'-3 times' is negative"),
    ("loop it 1e9 times", "argument 'times' = 1000000000 is invalid: it takes a whole number from 2 to 50"),
    ("loop it 2.5 times", "argument 'times' = 2.5 is invalid: it is not a whole number"),
    ("make a gif at 1e9 fps", "argument 'fps' = 1000000000.0 is invalid: it takes a number above 0 to 50"),
    ("a contact sheet of 1e9 frames", "argument 'count' = 1000000000 is invalid"),
    ("trim from 0.5 s to 1e9 s", "argument 'end' = 1000000000.0 is invalid"),
]


@pytest.fixture(scope="module")
def clip_session(tmp_path_factory):
    from vitron_agent.media.synthetic import moving_disc
    from vitron_agent.runtime.agent import Agent

    agent = Agent(data_dir=tmp_path_factory.mktemp("numbers"), checkpointer=False)
    handle = agent.session("numbers")
    video = handle.store.put_video(moving_disc(frames=16)[0], 8.0, producer="input")
    return agent, handle, video


@pytest.mark.parametrize(("text", "tool", "arg", "value"), WHOLE)
def test_a_number_is_read_whole(clip_session, text, tool, arg, value):
    agent, handle, video = clip_session
    steps = agent.plan_turn(TurnRequest(text, video=video), handle).steps
    assert [s.args.get(arg) for s in steps if s.tool == tool] == [value], steps


@pytest.mark.parametrize(("text", "said"), REFUSED)
def test_a_number_no_tool_can_take_is_refused_by_name(clip_session, text, said):
    agent, handle, video = clip_session
    result = agent.run_turn(TurnRequest(text, video=video), handle)
    assert not result.ok and said in result.answer, result.answer
    assert agent.run_turn(TurnRequest("loop it 3 times", video=video), handle).ok  # the session goes on


def test_a_signed_angle_or_share_and_a_range_dash_are_no_negative_quantity():
    for text in ("rotate it -90 degrees", "make it -20% darker", "trim 2-3 seconds", "keep 2 - 3 s", "a 1-2 s fade"):
        assert impossible_number(text) is None, text


def test_coordinates_and_plain_commas_are_left_alone():
    assert numbers_written_out("the box 10,20,100,200 and 3,4 dogs") == "the box 10,20,100,200 and 3,4 dogs"
    assert numbers_written_out("speed 2,5x, loop 1,000 times, 2.5E-1 s") == "speed 2.5x, loop 1000 times, 0.25 s"
