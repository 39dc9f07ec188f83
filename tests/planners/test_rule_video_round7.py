"""Clip requests and questions read as newcomers type them (round 7, readB). Each case here planned nothing or
the wrong thing before this round: a question that names a part of the clip ("how many cars in the first 20
seconds") counted "cars in the first 20 seconds" over the whole clip or took a frame; "does the dog ever run?"
was answered "Yes" because the dog was there; "any birds in there?" asked count or detect; "everything except
the middle" removed a tracked "middle"; "cut the boring bit at the start" tracked "the boring bit"; "remove the
intro, it's the first 3 seconds" erased a tracked "intro" and kept the first 3 s; "cut the ending, the last 4
secs" kept the ending; "keep 0:05 onwards" kept the first 5 s; "between 4 and 7 seconds" lost its "and";
"take seconds 3 to 6" took a frame; "only keep the cat in colour" kept "the cat in" alone; "what colour was it
before?" described the edited picture. The wording differs from the benchmark's requests (the benchmark
measures; these pin the classes)."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.clip_questions import EARLIER_STATE
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

VID = {"input": {"video": "video"}, "last": {}}
IMG = {"input": {"image": "image"}, "last": {"image": "image", "mask": "mask"}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def planned(text, toolbox, inputs=VID):
    return RulePlanner().plan(PlanRequest(text=text, inputs=inputs), toolbox)


def steps(text, toolbox, inputs=VID):
    return [
        (s.tool, {k: v for k, v in s.args.items() if not str(v).startswith("$") and v is not None})
        for s in planned(text, toolbox, inputs).steps
    ]


@pytest.mark.parametrize(
    "text, want",
    [
        # a question over a part of the clip: that part first, then the question without its time words
        (
            "how many dogs in the first 15 seconds?",
            [("trim_video", {"first": 15.0}), ("count_in_video", {"target": "dogs"})],
        ),
        (
            "number of buses in the final 6 seconds",
            [("trim_video", {"last": 6.0}), ("count_in_video", {"target": "buses"})],
        ),
        (
            "how many people from 0:03 to 0:09",
            [("trim_video", {"start": 3.0, "end": 9.0}), ("count_in_video", {"target": "people"})],
        ),
        (
            "when does the bus appear after 4 seconds?",
            [("trim_video", {"start": 4.0}), ("find_in_video", {"target": "the bus", "question": "appear"})],
        ),
        ("describe the last 2 seconds", [("trim_video", {"last": 2.0}), ("describe_video", {})]),
        # whether a thing is ever there
        ("any dogs in there?", [("find_in_video", {"target": "dogs", "question": "appear"})]),
        ("anybody in the video?", [("find_in_video", {"target": "a person", "question": "appear"})]),
        ("does a bus ever turn up?", [("find_in_video", {"target": "a bus", "question": "appear"})]),
        # trims people type
        ("snip off the ending, the last 3 s", [("trim_video", {"drop_last": 3.0})]),
        ("drop the intro, which is the first 2 seconds", [("trim_video", {"start": 2.0})]),
        ("cut the opening, about 3 seconds", [("trim_video", {"start": 3.0})]),
        ("clip out everything after 9s", [("trim_video", {"end": 9.0})]),
        ("clip off the first 2 seconds", [("trim_video", {"start": 2.0})]),
        ("keep 0:07 onwards", [("trim_video", {"start": 7.0})]),
        ("from the 2 second mark to the end", [("trim_video", {"start": 2.0})]),
        ("keep the part between 3 and 8 seconds", [("trim_video", {"start": 3.0, "end": 8.0})]),
        ("grab seconds 2 to 5", [("trim_video", {"start": 2.0, "end": 5.0})]),
        ("hurry the clip up", [("speed_video", {"factor": 2.0})]),
        ("tally the cyclists", [("count_in_video", {"target": "cyclists"})]),
        ("tally up the cars in this clip", [("count_in_video", {"target": "the cars"})]),
        ("describe what you can see in the clip", [("describe_video", {})]),
        (
            "only keep the bus in colour",
            [("track", {"target": "the bus"}), ("edit_video", {"operation": "grayscale", "where": "outside"})],
        ),
        # readings that must not change
        ("do a boomerang with it", [("reverse_video", {}), ("concat_videos", {})]),
        ("trim the start: begin at 0:03", [("trim_video", {"start": 3.0})]),
        ("take the frame at 3 seconds", [("frame", {"time": 3.0})]),
        ("keep the last 4 seconds", [("trim_video", {"last": 4.0})]),
        ("cut the first half second", [("trim_video", {"start": 0.5})]),  # a time, not a share of the clip
    ],
)
def test_clip_reading(toolbox, text, want):
    assert steps(text, toolbox) == want


@pytest.mark.parametrize(
    "text, said",
    [
        ("everything except the middle", "middle is not supported"),
        ("cut out the middle part", "middle is not supported"),
        ("trim the opening", "Which seconds are 'the opening'"),
        ("remove the intro", "Which seconds are 'the intro'"),
    ],
)
def test_parts_without_times_are_asked(toolbox, text, said):
    plan = planned(text, toolbox)
    assert not plan.steps and said in plan.answer


def test_a_question_over_a_part_says_so(toolbox):
    plan = planned("when does the dog appear between 0:05 and 0:10?", toolbox)
    assert [s.tool for s in plan.steps] == ["trim_video", "find_in_video"]
    assert any(
        "over 5 s to 10 s of the clip only" in n and "count from the start of that part" in n for n in plan.notes
    )


def test_an_action_is_not_answered_by_presence(toolbox):
    """ "does the dog ever run?": nothing recognises actions; when the dog is on screen is answered, and the
    answer says the action was not judged (it said "Yes" because the dog was there)."""
    plan = planned("does the dog ever run?", toolbox)
    assert [(s.tool, s.args["target"], s.args["question"]) for s in plan.steps] == [
        ("find_in_video", "the dog", "when")
    ]
    assert any(n.startswith("I read 'does the dog ever run' as when the dog is on screen") for n in plan.notes)
    red = planned("does the red car stop?", toolbox)  # "car" names a thing: the verb is "stop"
    assert red.steps[0].args["target"] == "the red car" and any("can't tell whether" in n for n in red.notes)


@pytest.mark.parametrize(
    "text", ["what colour was it before?", "what was the original colour?", "how did it look before"]
)
def test_the_earlier_state_is_said_not_guessed(toolbox, text):
    plan = planned(text, toolbox, IMG)
    assert not plan.steps and plan.answer == EARLIER_STATE


def test_only_keep_in_colour_on_a_picture(toolbox):
    got = steps("only keep the cat in colour", toolbox, {"input": {"image": "image"}, "last": {}})
    assert got == [("segment", {"target": "the cat"}), ("edit", {"operation": "grayscale", "where": "outside"})]


@pytest.mark.parametrize(
    "text, want",
    [  # a third set, written after the first fixes (26/34 read right on first sight)
        ("trim 1 second off each end", [("trim_video", {"start": 1.0}), ("trim_video", {"drop_last": 1.0})]),
        ("loop the first 2 seconds 3 times", [("trim_video", {"first": 2.0}), ("loop_video", {"times": 3})]),
        ("can you spot a dog anywhere?", [("find_in_video", {"target": "a dog", "question": "appear"})]),
        (
            "is anybody there in the last 2 seconds?",
            [("trim_video", {"last": 2.0}), ("find_in_video", {"target": "a person", "question": "appear"})],
        ),
        (
            "keep 0:01 to 0:04, then how many cars are in it?",
            [("trim_video", {"start": 1.0, "end": 4.0}), ("count_in_video", {"target": "cars"})],
        ),
        (
            "are there any cats between 0:01 and 0:03",
            [("trim_video", {"start": 1.0, "end": 3.0}), ("find_in_video", {"target": "cats", "question": "appear"})],
        ),
    ],
)
def test_clip_reading_third_set(toolbox, text, want):
    assert steps(text, toolbox) == want


@pytest.mark.parametrize("text", ["lose the first 10 percent", "keep the second half", "cut the last third"])
def test_a_share_of_the_clip_is_asked_in_seconds(toolbox, text):
    plan = planned(text, toolbox)
    assert not plan.steps and "by seconds, not by shares" in plan.answer


def test_an_edit_of_one_part_keeps_the_rest(toolbox):
    """ "speed up the first 4 seconds": that part sped up and the rest joined back (it sped up the whole clip,
    or, cut first, lost the rest)."""
    got = steps("speed up the first 4 seconds", toolbox)
    assert [t for t, _ in got] == ["trim_video", "speed_video", "trim_video", "concat_videos"]
    assert got[0][1] == {"first": 4.0} and got[2][1] == {"start": 4.0}
    middle = steps("slow 0:02 to 0:04 down", toolbox)
    assert [a for _, a in middle if a.get("end") or a.get("start")] == [
        {"end": 2.0},
        {"start": 2.0, "end": 4.0},
        {"start": 4.0},
    ]
    plan = planned("reverse the last 3 seconds", toolbox)
    assert [s.tool for s in plan.steps] == ["trim_video", "trim_video", "reverse_video", "concat_videos"]
    assert any("reversed only the last 3 s" in n for n in plan.notes)


def test_an_edit_of_one_part_runs(tmp_path):
    """Through the real agent: the last second reversed and joined back; the clip keeps its length, its first
    second is as it was and its last frame is the last second's first frame."""
    import numpy as np

    from vitron_agent.media.synthetic import moving_disc
    from vitron_agent.runtime.agent import Agent

    clip = np.stack(moving_disc(frames=48)[0])  # 2 s at 24 fps
    agent = Agent(db=tmp_path / "s.sqlite")
    try:
        result = agent.run("reverse the last second", video=clip)
        assert result.ok, result.answer
        frames = np.stack(list(agent.load(result.steps[-1].output("video")).frames()))
    finally:
        agent.close()
    assert "reversed only the last 1 s" in result.answer
    assert len(frames) == 48

    def gap(a, b):
        return np.abs(a.astype(int) - b.astype(int)).mean()

    assert gap(frames[0], clip[0]) < gap(frames[0], clip[24])  # the first second as it was
    assert gap(frames[-1], clip[24]) < gap(frames[-1], clip[-1])  # the last second backwards
    assert gap(frames[24], clip[-1]) < gap(frames[24], clip[24])


@pytest.mark.parametrize("text", ["what colour did it used to be", "what did it look like originally?"])
def test_used_to_be_is_the_earlier_state(toolbox, text):
    plan = planned(text, toolbox, IMG)
    assert not plan.steps and plan.answer == EARLIER_STATE


@pytest.mark.parametrize(
    "text, place",
    [
        ("how many people on the left side of the video", "on the left side of the video"),
        ("count the birds in the background", "in the background"),
        ("when do people appear on the right?", "on the right"),
    ],
)
def test_a_place_the_clip_tools_cannot_keep_to_is_said(toolbox, text, place):
    """A count or a "when" over a clip looks at the whole frame: a place in the question is said, not silently
    dropped (it counted every person for "how many people on the left side")."""
    plan = planned(text, toolbox)
    assert plan.steps[-1].tool in ("count_in_video", "find_in_video")
    assert place not in plan.steps[-1].args["target"]
    assert any(n.startswith(f"I read {place!r} as the whole frame") for n in plan.notes)


@pytest.mark.parametrize(
    "text, want",
    [  # a probe written after all the fixes above (11/15 read right on first sight)
        (
            "what's going on from 0:12 on",
            [("trim_video", {"start": 12.0}), ("describe_video", {"question": "what's going on?"})],
        ),
        ("shave off the intro, about 2 seconds", [("trim_video", {"start": 2.0})]),
        ("any buses?", [("find_in_video", {"target": "buses", "question": "appear"})]),
    ],
)
def test_clip_reading_probe(toolbox, text, want):
    assert steps(text, toolbox) == want


def test_a_percentage_is_no_number_of_seconds(toolbox):
    """ "drop the last 25%" cut the last 25 seconds; a share is asked in seconds."""
    plan = planned("drop the last 25%", toolbox)
    assert not plan.steps and "by seconds, not by shares" in plan.answer
