"""The video sentences (tools/video_intents.py) plan the video tools with the right slots, chain with
image tools, and leave image sentences to the image intents."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.runtime.agent import Agent

CLIP = np.zeros((4, 48, 64, 3), np.uint8)
IMAGE = np.zeros((48, 64, 3), np.uint8)

VIDEO_CASES = [
    ("trim the video to the first 2 seconds", [("trim_video", {"first": 2.0})]),
    ("cut it from 1:10 to 1:25", [("trim_video", {"start": 70.0, "end": 85.0})]),
    ("keep only the last 5 s", [("trim_video", {"last": 5.0})]),
    ("drop everything before 0:12", [("trim_video", {"start": 12.0})]),
    ("remove the last 2 seconds", [("trim_video", {"drop_last": 2.0})]),
    ("keep just the part where the dog is visible", [("trim_video", {"visible": "the dog"})]),
    ("make the video twice as fast", [("speed_video", {"factor": 2.0})]),
    ("play it at half speed", [("speed_video", {"factor": 0.5})]),
    ("slow it down 3x", [("speed_video", {"factor": 0.3333})]),
    ("reverse the video", [("reverse_video", {})]),
    ("play it backwards", [("reverse_video", {})]),
    ("loop the video 3 times", [("loop_video", {"times": 3})]),
    ("make a boomerang", [("reverse_video", {}), ("concat_videos", {"other": "$s1.video"})]),
    ("export the video as a GIF at 10 fps", [("export_gif", {"fps": 10.0})]),
    ("take the frame at 0:05", [("frame", {"time": 5.0})]),
    (
        "take the frame at 0:05 and cut out the dog",
        [("frame", {"time": 5.0}), ("segment", {"image": "$s1.image"}), ("edit", {"operation": "cutout"})],
    ),
    ("when does the dog appear?", [("find_in_video", {"target": "the dog", "question": "appear"})]),
    ("when does the person disappear?", [("find_in_video", {"target": "the person", "question": "disappear"})]),
    ("how long is the cat on screen?", [("find_in_video", {"target": "the cat", "question": "how_long"})]),
    ("how many people walk past?", [("count_in_video", {"target": "people"})]),
    # classes, not sentences: a change by a percentage, a verb tail after the thing's name, a question
    # head before it, a start said as "starting at", a flip "in time"
    ("speed the clip up by 25%", [("speed_video", {"factor": 1.25})]),
    ("slow it down by 20 percent", [("speed_video", {"factor": 0.8})]),
    ("count the cyclists riding through the park", [("count_in_video", {"target": "the cyclists"})]),
    ("how many kids jump into the pool in this video?", [("count_in_video", {"target": "kids"})]),
    ("at what moments are birds visible?", [("find_in_video", {"target": "birds", "question": "when"})]),
    ("trim it, starting at 0:04", [("trim_video", {"start": 4.0})]),
    ("turn the clip around in time", [("reverse_video", {})]),
    ("how many frames are there?", [("describe_video", {})]),
    ("describe the video", [("describe_video", {})]),
    (
        "trim to the first 3 seconds and reverse it",
        [("trim_video", {"first": 3.0}), ("reverse_video", {"video": "$s1.video"})],
    ),
]


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    a = Agent(data_dir=tmp_path_factory.mktemp("data"))
    yield a
    a.close()


@pytest.mark.parametrize("text, expected", VIDEO_CASES, ids=[c[0] for c in VIDEO_CASES])
def test_video_sentence_plans(agent, text, expected):
    plan = agent.plan(text, video=CLIP)
    assert [s.tool for s in plan.steps] == [t for t, _ in expected], (plan.answer, plan.steps)
    for step, (_, args) in zip(plan.steps, expected, strict=True):
        for k, v in args.items():
            assert step.args.get(k) == v, (k, step.args)


@pytest.mark.parametrize(
    "text, tools",
    [
        ("how many people are there?", ["count"]),
        ("cut out the dog", ["segment", "edit"]),
        ("remove the dog", ["segment", "edit"]),
        ("count the cups", ["count"]),
    ],
)
def test_image_sentences_stay_image_intents(agent, text, tools):
    assert [s.tool for s in agent.plan(text, image=IMAGE).steps] == tools


def test_a_video_verb_on_an_image_plans_nothing(agent):
    for text in ("make the video twice as fast", "loop the video 3 times", "when does the dog appear?"):
        plan = agent.plan(text, image=IMAGE)
        assert not plan.steps and plan.answer, text


def test_a_count_asked_of_a_video_counts_through_the_clip(agent):
    """Any 'how many …' on a video counts distinct tracks through the clip (count_in_video), with the
    thing's bare name as target -- never blobs on the middle frame, never 'cyclists go past'."""
    for text, what in [("how many cyclists go past", "cyclists"), ("how many dogs are there", "dogs")]:
        plan = agent.plan(text, video=CLIP)
        assert [(s.tool, s.args.get("target")) for s in plan.steps] == [("count_in_video", what)], plan
