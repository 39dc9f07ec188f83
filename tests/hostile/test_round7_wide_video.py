"""Hostile round 7: a clip or a picture with a side over 16,384 pixels (a 30000x2 strip: few pixels, under
every pixel cap). Clips are kept as H.264 (libx264rgb), whose frames are at most 16,384 pixels a side.
Before, a 30000x2 clip given to any door and "animate it with a slow zoom in" on a 30000x2 picture raised
FFmpeg's "[Errno 542398533] Generic error in an external library: 'avcodec_open2("libx264rgb", ...)'" out
of the turn (the Python API, a 500 from the server). Now the clip is refused by name with the limit and
the fix, the animation is a failed step said in words, and the session goes on."""

from __future__ import annotations

import av
import numpy as np
import pytest

from vitron_agent.core.errors import MediaError
from vitron_agent.media.video import MAX_SIDE, open_video
from vitron_agent.runtime.agent import Agent


def _strip_clip(path, w, h):
    """A 4-frame clip of ``w`` x ``h`` in PNG frames in a mov (a codec without H.264's side limit)."""
    c = av.open(str(path), "w")
    s = c.add_stream("png", rate=8)
    s.width, s.height, s.pix_fmt = w, h, "rgb24"
    for i in range(4):
        frame = av.VideoFrame.from_ndarray(np.full((h, w, 3), 40 * i, np.uint8), format="rgb24")
        for packet in s.encode(frame):
            c.mux(packet)
    for packet in s.encode(None):
        c.mux(packet)
    c.close()
    return path


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    made = Agent(data_dir=tmp_path_factory.mktemp("wide"))
    yield made
    made.close()


@pytest.mark.parametrize(("w", "h"), [(30000, 2), (2, 30000)])
def test_a_clip_wider_than_h264_allows_is_refused_by_name(tmp_path, agent, w, h):
    clip = _strip_clip(tmp_path / "strip.mov", w, h)
    with pytest.raises(MediaError) as err:
        open_video(clip)
    text = str(err.value)
    assert f"{w}x{h}" in text and f"{MAX_SIDE:,} pixels" in text and "downscale" in text, text
    with pytest.raises(MediaError, match="pixels a side"):
        agent.run("make it grayscale", video=clip, session=f"v{w}")
    ok = _strip_clip(tmp_path / "ok.mov", 64, 48)
    assert agent.run("make it grayscale", video=ok, session=f"v{w}").ok  # the session goes on


def test_a_clip_at_the_limit_is_taken(tmp_path):
    info, frames = open_video(_strip_clip(tmp_path / "edge.mov", MAX_SIDE, 2))
    assert (info.width, info.height) == (MAX_SIDE, 2) and len(list(frames)) == 4


def test_animating_a_picture_wider_than_h264_allows_is_a_failed_step(agent):
    strip = np.full((2, 30000, 3), 120, np.uint8)
    result = agent.run("animate it with a slow zoom in", image=strip, session="anim")
    assert not result.ok and "30000x2" in result.answer and f"{MAX_SIDE:,} pixels a side" in result.answer, (
        result.answer
    )
    assert agent.run("make it brighter", session="anim").answer.startswith("I brightened")
