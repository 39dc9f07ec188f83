"""Keep or remove a shot by its number ("remove the first shot" had tracked the main object through every
shot and inpainted it away, said done). On the bundled 4-shot clip (a cup 0-1 s, a person 1-2.5 s, a cat
2.5-3.5 s, a person 3.5-4.2 s at 10 fps, vitron_agent.testing.sample_clips.photo_shots)."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.media.video import write_video
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.sample_clips import photo_shots
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools
from vitron_agent.tools.video_shots import shot_number, shot_spans


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("shots") / "shots.mp4"
    frames = photo_shots()
    write_video(frames, path, 10.0)
    return str(path), np.stack(frames)


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    with Agent(data_dir=tmp_path_factory.mktemp("data")) as a:
        yield a


@pytest.mark.parametrize(
    "text, shot, keep, frames",
    [
        ("remove the first shot", 1, False, range(10, 42)),
        ("delete the last scene", -1, False, range(0, 35)),
        ("keep only the third shot", 3, True, range(25, 35)),
        ("cut the second shot", 2, False, [*range(0, 10), *range(25, 42)]),
    ],
)
def test_a_shot_is_kept_or_removed_by_its_number(agent, clip, text, shot, keep, frames):
    result = agent.run(text, video=clip[0])
    assert result.ok, result.answer
    assert [(s.tool, s.args.get("shot"), s.args.get("keep", False)) for s in result.steps] == [
        ("shot_video", shot, keep)
    ]
    got = agent.load(result.steps[0].output("video")).array()
    want = clip[1][list(frames)]
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.abs(got.astype(int) - want.astype(int)).mean() < 6  # the same pictures (the store is lossless)


def test_a_shot_past_the_end_says_how_many_there_are(agent, clip):
    result = agent.run("remove the 7th shot", video=clip[0])
    assert not result.ok and "the clip has 4 shots" in result.answer and "no shot 7" in result.answer


def test_shot_words_and_spans():
    assert [shot_number(t) for t in ("the second shot", "scene 3", "the last scene", "the dog")] == [2, 3, -1, None]
    assert shot_spans([10, 25], 40) == [(0, 10), (10, 25), (25, 40)]
    toolbox = Toolbox(default_tools())
    plan = RulePlanner().plan(
        PlanRequest(text="remove the dog", inputs={"input": {"video": "video"}, "last": {}}), toolbox
    )
    assert [s.tool for s in plan.steps] == ["track", "edit_video"]  # a thing, not a shot
