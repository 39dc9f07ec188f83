"""Session 10 (readB): classes of misreading found by fresh requests written before any was planned
(benchmarks/reading/fresh_s10.jsonl, tune half), each checked on the class, not the one example, and
what must stay as it was beside it. Follow-ups are read after their session's earlier requests, each
planned first and passed as a turn that did something, as a session does."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

ASK = "ask"


@pytest.fixture(scope="module")
def reader():
    return RulePlanner(), Toolbox(default_tools())


def _plan(reader, text, medium="image", history=()):
    planner, toolbox = reader
    last = {medium: medium, "mask": "mask"} if history and medium == "image" else ({medium: medium} if history else {})
    turns = []
    for said in history:
        inputs = {"input": {medium: medium}, "last": dict(last)}
        plan = planner.plan(PlanRequest(text=said, inputs=inputs, history=list(turns)), toolbox)
        steps = [{"tool": s.tool, "args": dict(s.args), "status": "ok"} for s in plan.steps]
        turns.append({"request": said, "answer": plan.answer or "", "steps": steps})
    inputs = {"input": {medium: medium}, "last": dict(last)}
    return planner.plan(PlanRequest(text=text, inputs=inputs, history=turns), toolbox)


def _shape(plan):
    return [(s.tool, {k: v for k, v in s.args.items() if not str(v).startswith("$")}) for s in plan.steps]


FOLLOW_UPS = [
    # a question asked again of another thing: "and the cats?" had been described as a question "the cats?"
    (["count the dogs"], "and the cats?", "image", [("count", {"target": "the cats"})]),
    (["count the dogs"], "and cats?", "image", [("count", {"target": "cats"})]),
    (["how many cars are there?"], "and people?", "video", [("count_in_video", {"target": "people"})]),
    (
        ["when does the dog appear?"],
        "what about cats?",
        "video",
        [("find_in_video", {"target": "cats", "question": "appear"})],
    ),
    # "the other one" said as a question is still which-one (it recoloured, or kept only 'the other one')
    (["make the cat green"], "what about the other one?", "image", ASK),
    (["make the cat green"], "and the other one?", "image", ASK),
]


@pytest.mark.parametrize(("history", "text", "medium", "want"), FOLLOW_UPS)
def test_follow_ups(reader, history, text, medium, want):
    plan = _plan(reader, text, medium, history)
    if want == ASK:
        assert not plan.steps and "which one" in plan.answer.lower()
    else:
        assert _shape(plan) == want


def test_a_bare_word_after_an_edit_is_no_question_follow_up(reader):
    # "and blue?" after a recolour is not "the same question of 'blue'" (it is the usual reading)
    plan = _plan(reader, "and blue?", "image", ["make the cat green"])
    assert all(s.args.get("target") != "blue" for s in plan.steps)
    plan = _plan(reader, "and now?", "image", ["how many people are there?"])
    assert all(s.args.get("target") != "now" for s in plan.steps)


CLIP_READINGS = [
    ("from 0:12 to 0:30 only", [("trim_video", {"start": 12.0, "end": 30.0})]),
    ("from 2 to 5 seconds", [("trim_video", {"start": 2.0, "end": 5.0})]),
    ("take the last 3 seconds and play them backwards", [("trim_video", {"last": 3.0}), ("reverse_video", {})]),
    ("grab the first 4 seconds", [("trim_video", {"first": 4.0})]),
    ("cut it down to the bit with the cat in it", [("trim_video", {"visible": "the cat"})]),
    ("keep the part with the dog in view", [("trim_video", {"visible": "the dog"})]),
    ("trim the video so only the part with the horse is left", [("trim_video", {"visible": "the horse"})]),
    ("number of different faces in the video?", [("count_in_video", {"target": "faces"})]),
    ("count the unique people in this clip", [("count_in_video", {"target": "people"})]),
    # beside them, as before
    ("make a gif at 10 fps", [("export_gif", {"fps": 10.0})]),
    ("take off the last second", [("trim_video", {"drop_last": 1.0})]),
]


@pytest.mark.parametrize(("text", "want"), CLIP_READINGS)
def test_clip_readings(reader, text, want):
    assert _shape(_plan(reader, text, "video")) == want


REFUSED = [
    ("make it 60 fps by interpolating frames", "video", "in-between frames"),  # it took the first frame
    ("increase the frame rate", "video", "in-between frames"),
    ("tell me who this person is", "image", "who a person is"),  # it described the picture
    ("who is that woman?", "image", "who a person is"),
    ("what will happen next in the video?", "video", "cannot predict"),
    ("add a laugh track", "video", "sound"),  # it tracked a thing called 'laugh track'
    ("add some sound effects", "video", "sound"),
]


@pytest.mark.parametrize(("text", "medium", "said"), REFUSED)
def test_refused_with_the_reason(reader, text, medium, said):
    plan = _plan(reader, text, medium)
    assert not plan.steps and said in plan.answer


@pytest.mark.parametrize(
    ("text", "medium", "tool"),
    [
        ("who is holding the cup?", "image", "describe"),
        ("what happens in this video?", "video", "describe_video"),
    ],
)
def test_near_them_still_answered(reader, text, medium, tool):
    plan = _plan(reader, text, medium)
    assert plan.steps and plan.steps[-1].tool == tool


ROUND_TWO = [
    # fades said by their place or both ends ("fade it in and out" faded out only, "a fade at the start" out)
    ("fade it in and out", [("fade_video", {"fade": "both", "seconds": 1.0})]),
    ("fade both ends", [("fade_video", {"fade": "both", "seconds": 1.0})]),
    ("add a 2 second fade at the start", [("fade_video", {"fade": "in", "seconds": 2.0})]),
    ("fade the clip in", [("fade_video", {"fade": "in", "seconds": 1.0})]),
    ("fade to black at the end", [("fade_video", {"fade": "out", "seconds": 1.0})]),
    # how long a freeze holds, in words ("for a second" held 2 s)
    ("pause on the frame at 2s for a second", [("freeze_frame", {"time": 2.0, "seconds": 1.0})]),
    ("freeze at 3 seconds for half a second", [("freeze_frame", {"time": 3.0, "seconds": 0.5})]),
    # the seconds with most motion are a highlight (it kept the first N s)
    ("cut it to the busiest 6 seconds", [("highlight_video", {"seconds": 6.0})]),
    ("keep the most action-packed 10 seconds", [("highlight_video", {"seconds": 10.0})]),
    # leaving the frame is when it goes, not when it is away
    ("when does the man walk off screen?", [("find_in_video", {"target": "the man", "question": "disappear"})]),
    ("when is the man off screen?", [("find_in_video", {"target": "the man", "question": "absent"})]),
    # the clip named as the thing edited is the clip itself ('the clip black' was tracked by its colour)
    (
        "make the clip black and white except the dog",
        [("track", {"target": "the dog"}), ("edit_video", {"operation": "grayscale", "where": "outside"})],
    ),
    (
        "make the video black and white except the dog",
        [("track", {"target": "the dog"}), ("edit_video", {"operation": "grayscale", "where": "outside"})],
    ),
    ("keep the first 5 seconds", [("trim_video", {"first": 5.0})]),
]


@pytest.mark.parametrize(("text", "want"), ROUND_TWO)
def test_round_two_clip_readings(reader, text, want):
    assert _shape(_plan(reader, text, "video")) == want


@pytest.mark.parametrize("text", ["keep the best 5 seconds", "trim it to the most interesting 10 seconds"])
def test_a_judged_part_is_asked(reader, text):
    plan = _plan(reader, text, "video")  # it kept the first N seconds, said done
    assert not plan.steps and "motion, not interest" in plan.answer


@pytest.mark.parametrize(
    ("text", "medium"),
    [("transcribe the dialogue", "video"), ("what are they saying?", "video"), ("what song is playing?", "video")],
)
def test_speech_and_music_are_refused(reader, text, medium):
    plan = _plan(reader, text, medium)  # it read the middle frame's text
    assert not plan.steps and "speech" in plan.answer


@pytest.mark.parametrize("text", ["what does the sign say", "transcribe the text on the sign", "what does it say?"])
def test_written_words_are_still_read(reader, text):
    assert [s.tool for s in _plan(reader, text, "image").steps] == ["read_text"]


@pytest.mark.parametrize(
    ("text", "factor"),
    [("make it play at 0.75 speed", 0.75), ("set the speed to 1.5", 1.5), ("slow it down to 0.25 speed", 0.25)],
)
def test_a_speed_said_as_a_number(reader, text, factor):
    assert _shape(_plan(reader, text, "video")) == [("speed_video", {"factor": factor})]  # it read 2x


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("chop the clip so it starts at 0:04", {"start": 4.0}),  # it ended the clip at 0:04
        ("trim it so that it begins at 3 seconds", {"start": 3.0}),
        ("cut the video so it stops at 12s", {"end": 12.0}),
        ("trim it so it starts at 2 s and ends at 6 s", {"start": 2.0, "end": 6.0}),
    ],
)
def test_one_end_said_with_so_it(reader, text, want):
    assert _shape(_plan(reader, text, "video")) == [("trim_video", want)]


@pytest.mark.parametrize("text", ["who's the guy in the video?", "who's that?"])
def test_who_is_contracted_is_refused(reader, text):
    plan = _plan(reader, text, "video")
    assert not plan.steps and "who a person is" in plan.answer
