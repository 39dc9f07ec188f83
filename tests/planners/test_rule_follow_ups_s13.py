"""Follow-ups and clip times read right (readC, session 13; cases from benchmarks/reading/fresh_s13c_cases.py's
classes, new wordings). Before: "not that one, the other" after "make the dog on the left red" recoloured a
region called "the other"; "and the right one too" selected "the right one"; "hmm, try green instead" and "same
but pink" on a new picture recoloured the main object; "no, make it cooler instead" was asked back as keep-only
or grayscale; "restore it" kept only a region called "restore it"; "the sea now" generated a video; on a clip
"from 0:05 on, slow it down by half" took a frame, "make it black and white, but only in the first 2 seconds"
cut the clip to 2 seconds, "blur the part from 0:02 to 0:04" kept only that part unblurred, and "blur the faces
from 0:03 on" tracked "the faceson"."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


def _plan(turns, medium="image"):
    """The last turn's plan after the earlier ones (each recorded as the graph records a turn)."""
    planner, box = RulePlanner(), Toolbox(default_tools())
    inputs = {"input": {medium: medium}, "last": {medium: medium} if len(turns) > 1 else {}}
    history = []
    for text in turns[:-1]:
        plan = planner.plan(PlanRequest(text=text, inputs=inputs, history=list(history)), box)
        steps = [{"id": s.id, "tool": s.tool, "status": "ok"} for s in plan.steps]
        history.append({"request": text, "answer": plan.answer or "", "steps": steps})
    return planner.plan(PlanRequest(text=turns[-1], inputs=inputs, history=history), box)


def _said(plan):
    return [(s.tool, s.args.get("target"), s.args.get("operation"), s.args.get("color")) for s in plan.steps]


@pytest.mark.parametrize(
    "turns,words,operation,colour",
    [
        (["make the dog on the left red", "not that one, the other"], {"dog", "right"}, "recolor", "red"),
        (["make the dog on the right brown", "no, the other one"], {"dog", "left"}, "recolor", "brown"),
        (["make the bigger dog blue", "the other one too"], {"dog", "smallest"}, "recolor", "blue"),
        (["remove the person on the left", "and the right one too"], {"person", "right"}, "remove", None),
        (["make the left car green", "do the same to the right one"], {"car", "right"}, "recolor", "green"),
        (["make the shirt red", "hmm, try green instead"], {"shirt"}, "recolor", "green"),
        (["make the flowers yellow", "same but pink"], {"flowers"}, "recolor", "pink"),
        (["make the dog red", "no, the cat"], {"cat"}, "recolor", "red"),
        (["blur the sky", "the sea now"], {"sea"}, "blur", None),
        (["make the boat on the left white", "and the one on the right"], {"boat", "right"}, "recolor", "white"),
    ],
)
def test_the_follow_up_names_the_thing_meant(turns, words, operation, colour):
    steps = _said(_plan(turns))
    assert [s[0] for s in steps] == ["segment", "edit"], steps
    assert words <= set(str(steps[0][1]).lower().split()), steps
    assert steps[1][2] == operation and steps[1][3] == colour, steps


def test_the_other_of_an_unplaced_thing_is_asked():
    plan = _plan(["make the horse white", "not that one, the other horse"])
    assert not plan.steps and "which one" in plan.answer.lower()


def test_a_correction_is_read_as_the_request_it_says():
    plan = _plan(["make it warmer", "no, make it cooler instead"])
    assert [(s.tool, s.args.get("operation")) for s in plan.steps] == [("edit", "cooler")]


@pytest.mark.parametrize("text", ["restore it", "change it back", "make it like before"])
def test_taking_the_last_change_back_says_it_cannot(text):
    plan = _plan(["make the dog red", text])
    assert not plan.steps and "cannot undo" in plan.answer


def _video(text):
    return [(s.tool, s.args) for s in _plan([text], "video").steps]


def test_a_time_said_first_is_when_the_change_happens():
    steps = _video("from 0:05 on, slow it down by half")
    assert "frame" not in [t for t, _ in steps] and any(t == "speed_video" and a["factor"] == 0.5 for t, a in steps)
    (tool, args), *_ = _video("between 0:02 and 0:05, blur the faces")[1:]
    assert tool == "edit_video" and (args["start"], args["end"]) == (2.0, 5.0)


def test_a_time_said_last_narrows_the_edit_and_cuts_nothing():
    steps = _video("make it black and white, but only in the first 2 seconds")
    assert [t for t, _ in steps] == ["edit_video"] and (steps[0][1]["start"], steps[0][1]["end"]) == (0.0, 2.0)


def test_the_part_from_a_to_b_is_edited_not_kept():
    steps = _video("blur the part from 0:02 to 0:04")
    assert [t for t, _ in steps] == ["edit_video"] and steps[0][1]["start"] == 2.0
    assert "speed_video" in [t for t, _ in _video("speed up the section between 0:10 and 0:20")]
    assert [t for t, _ in _video("keep the part from 0:02 to 0:05")] == ["trim_video"]


def test_from_a_time_on_leaves_the_thing_named_whole():
    assert _video("blur the faces from 0:03 on")[0][1]["target"] == "the faces"
    assert _video("blur the faces from 0:03 onwards")[0][1]["target"] == "the faces"


def test_a_time_between_two_clauses_stays_with_the_first():
    assert [t for t, _ in _video("trim off the intro, the first 2 seconds, and mute it")] == [
        "trim_video",
        "mute_video",
    ]


def test_a_pronoun_in_a_later_clause_is_the_thing_named_before():
    """ "track the dog and tell me when it leaves" looked for a thing called "it"."""
    steps = _video("track the dog and tell me when it leaves")
    assert steps[-1][0] == "find_in_video" and steps[-1][1]["target"] == "the dog"
    steps = _video("count the cars, then tell me when the first one appears")
    assert steps[-1][0] == "find_in_video" and steps[-1][1]["target"] == "cars"


def test_backwards_then_forwards_is_one_boomerang():
    assert [t for t, _ in _video("run it backwards then forwards")] == ["reverse_video", "concat_videos"]


@pytest.mark.parametrize(
    "text,low,high",
    [("make it a bit slower", 0.7, 0.95), ("slightly faster please", 1.05, 1.5), ("slow it down", 0.4, 0.6)],
)
def test_a_bit_faster_or_slower_is_gentle(text, low, high):
    (tool, args), *_ = _video(text)
    assert tool == "speed_video" and low <= args["factor"] <= high


def test_a_bit_more_after_a_speed_change_is_gentler_than_the_change():
    (tool, args), *_ = [(s.tool, s.args) for s in _plan(["speed it up 2x", "a bit more"], "video").steps]
    assert tool == "speed_video" and 1.0 < args["factor"] < 2.0


@pytest.mark.parametrize(
    "text,thing", [("how many times does the ball appear?", "ball"), ("how many times is the red car visible?", "car")]
)
def test_how_many_times_a_thing_appears_finds_its_appearances(text, thing):
    """It counted things called "times"."""
    (tool, args), *_ = _video(text)
    assert tool == "find_in_video" and thing in args["target"] and args["question"] == "when"
