"""A clip's faces blurred only when one is sure: a rotating Earth and a slide of logos had "faces" blurred from
BlazeFace's weak scores (0.68 and 0.60 at best, under its own 0.7), and a disc sliding over the moon had one
carried over 40 frames from 3, each said "I followed the faces through the video ... and blurred them"
(newcomer s13, class 1). Now nothing is blurred and the answer says why; real faces still are."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data as skdata

from vitron_agent import Agent


def _clip(path, frames, fps=10.0):
    from vitron_agent.media.video import write_video

    write_video([np.ascontiguousarray(f) for f in frames], path, fps)
    return str(path)


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    with Agent(data_dir=tmp_path_factory.mktemp("faces-unsure")) as a:
        yield a


def test_a_disc_crossing_the_moon_has_no_face(agent, tmp_path):
    moon = np.repeat(skdata.moon()[..., None], 3, 2)
    cell = np.repeat(skdata.cell()[..., None], 3, 2)
    yy, xx = np.mgrid[:120, :120]
    disc = (yy - 60) ** 2 + (xx - 60) ** 2 < 60**2
    frames = []
    for i in range(30):
        f = moon.copy()
        x = 40 + 12 * i
        f[150:270, x : x + 120][disc] = cell[200:320, 200:320][disc]
        frames.append(f)
    r = agent.run("blur the faces", video=_clip(tmp_path / "disc.mp4", frames))
    assert not r.ok or "no face" in r.answer.lower() or "not sure" in r.answer.lower(), r.answer
    assert "and blurred them" not in r.answer


def test_a_real_face_is_still_blurred(agent, tmp_path):
    face = skdata.astronaut()
    frames = [np.roll(face, 4 * i, axis=1) for i in range(12)]
    r = agent.run("blur the faces", video=_clip(tmp_path / "face.mp4", frames))
    assert r.ok and "blurred" in r.answer, r.answer
