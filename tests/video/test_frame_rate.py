"""A clip's frame rate: "make it 5 fps" had been asked back as "flip, or take a frame?", and "change the frame rate
to 12" took the first frame (newcomer s13). transform_video's ``fps`` keeps the clip's length, dropping or
repeating frames, and the sound."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent import Agent


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    from vitron_agent.media.video import write_video

    path = tmp_path_factory.mktemp("rate") / "count.mp4"
    frames = [np.full((64, 96, 3), 10 * i, np.uint8) for i in range(20)]  # frame i is grey level 10*i
    write_video(frames, path, 10.0)
    return str(path)


@pytest.mark.parametrize("request_, fps, n", [("make it 5 fps", 5, 10), ("change the frame rate to 20", 20, 40)])
def test_the_rate_changes_and_the_length_stays(tmp_path, clip, request_, fps, n):
    with Agent(data_dir=tmp_path / "store") as agent:
        r = agent.run(request_, video=clip)
        assert r.ok and [s.tool for s in r.steps] == ["transform_video"], r.answer
        ref = r.steps[-1].output("video")
        assert ref.fps == fps and ref.frames == n and f"{n} frames at {fps} fps = 2.00 s" in r.answer, r.answer
        levels = [int(f.mean()) for f in agent.load(ref).frames()]
        want = [10 * int(j * 10 / fps) for j in range(n)]  # the source frame on screen at each new frame's time
        assert all(abs(a - b) <= 3 for a, b in zip(levels, want, strict=True)), levels


@pytest.mark.parametrize(
    "request_, held", [("hold the first frame for 1 second", 0), ("freeze the last frame for 1 second", 19)]
)
def test_the_first_or_last_frame_frozen(tmp_path, clip, request_, held):
    """ "hold the first frame for 2 seconds" was asked back "which moment?" (newcomer s13)."""
    with Agent(data_dir=tmp_path / "store") as agent:
        r = agent.run(request_, video=clip)
        assert r.ok and [s.tool for s in r.steps] == ["freeze_frame"], r.answer
        levels = [int(f.mean()) for f in agent.load(r.steps[-1].output("video")).frames()]
        assert len(levels) == 30 and levels.count(10 * held) >= 11, levels
