"""Cutting and timing on real clips (gradio's b.mp4 with sax.wav's sound, a variable-rate clip, an
odd-size one; see vitron_agent/testing/sample_clips.py): every frame count, duration, size and sound length checked exactly."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.media.audio import get_audio
from vitron_agent.runtime.turns import ingest_video
from vitron_agent.storage.store import ArtifactStore
from vitron_agent.testing.sample_clips import odd_size, variable_rate, with_sound
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.video_edit import (
    LoopVideoTool,
    ReverseVideoTool,
    SpeedVideoTool,
    TrimVideoTool,
    clock,
    speed_mapping,
)
from vitron_agent.tools.video_join import ConcatVideosTool, ExportGifTool, gif_durations, rate_mapping


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    return {"sound": with_sound(folder), "vfr": variable_rate(folder), "odd": odd_size(folder)}


@pytest.fixture(scope="module")
def session(tmp_path_factory, files):
    """(store, {name: VideoRef}, {name: TxHxWx3 frames}) with the clips ingested as a user's would be."""
    store = ArtifactStore(tmp_path_factory.mktemp("store"), "video")
    refs = {k: ingest_video(str(p), store, Config()) for k, p in files.items()}
    frames = {k: store.get_video(r).array() for k, r in refs.items()}
    return store, refs, frames


def run(tool, store, **args):
    return tool(ToolContext(store=store), **args)


def sound_seconds(store, ref):
    a = get_audio(store, ref.audio)
    return None if a is None else a.samples.shape[1] / a.rate


def test_ingest_keeps_real_sound_as_long_as_the_pictures(session):
    store, refs, frames = session
    v = refs["sound"]
    assert (v.frames, v.fps, v.width, v.height) == (150, 30.0, 480, 270)
    a = get_audio(store, v.audio)
    assert a.rate == 48000 and a.samples.shape[1] == 240000  # exactly 5.000 s
    assert float(np.abs(a.samples).mean()) > 0.01  # the saxophone, not silence
    assert refs["odd"].audio is None


def test_trim_first_last_and_range_to_the_frame(session):
    store, refs, frames = session
    v, src = refs["sound"], frames["sound"]
    out = run(TrimVideoTool(), store, video=v.model_dump(), first=2)
    assert (out.video.frames, out.video.fps, out.video.width, out.video.height) == (60, 30.0, 480, 270)
    assert np.array_equal(store.get_video(out.video).array(), src[:60])
    assert sound_seconds(store, out.video) == 2.0
    assert "60 frames at 30 fps = 2.00 s" in out.text and "Sound kept" in out.text

    out = run(TrimVideoTool(), store, video=v.model_dump(), start=70 / 30, end=100 / 30)
    assert out.video.frames == 30 and np.array_equal(store.get_video(out.video).array(), src[70:100])
    a, full = get_audio(store, out.video.audio), get_audio(store, v.audio)
    assert np.array_equal(a.samples, full.samples[:, 112000:160000])  # the same seconds of sound

    out = run(TrimVideoTool(), store, video=v.model_dump(), last=1)
    assert out.video.frames == 30 and np.array_equal(store.get_video(out.video).array(), src[120:])


def test_speed_any_factor_exact(session):
    store, refs, frames = session
    v, src = refs["sound"], frames["sound"]
    fast = run(SpeedVideoTool(), store, video=v.model_dump(), factor=2)
    assert fast.video.frames == 75 and fast.video.fps == 30.0
    assert np.array_equal(store.get_video(fast.video).array(), src[::2])
    assert sound_seconds(store, fast.video) == 2.5
    slow = run(SpeedVideoTool(), store, video=v.model_dump(), factor=0.5)
    assert slow.video.frames == 300 and sound_seconds(store, slow.video) == 10.0
    assert np.array_equal(store.get_video(slow.video).array()[1::2], src)
    a = get_audio(store, slow.video.audio)
    assert float(np.abs(a.samples).mean()) > 0.01  # re-timed, not dropped
    odd = run(SpeedVideoTool(), store, video=v.model_dump(), factor=1.5)
    assert odd.video.frames == 100 and "pitch kept" in odd.text
    assert speed_mapping(10, 3) == [0, 3, 6] and speed_mapping(3, 0.4) == [0, 0, 0, 1, 1, 2, 2, 2]


def test_reverse_and_loop(session):
    store, refs, frames = session
    v, src = refs["sound"], frames["sound"]
    back = run(ReverseVideoTool(), store, video=v.model_dump())
    assert np.array_equal(store.get_video(back.video).array(), src[::-1])
    assert np.array_equal(get_audio(store, back.video.audio).samples, get_audio(store, v.audio).samples[:, ::-1])
    loop = run(LoopVideoTool(), store, video=v.model_dump(), times=3)
    assert loop.video.frames == 450 and sound_seconds(store, loop.video) == 15.0
    assert np.array_equal(store.get_video(loop.video).frame(300), src[0])


def test_reverse_of_a_long_clip_spills_to_disk(session, monkeypatch):
    store, refs, frames = session
    monkeypatch.setattr(ArtifactStore, "clip_cache_bytes", 1024)  # "long": never read whole into memory
    out = run(ReverseVideoTool(), store, video=refs["odd"].model_dump())
    assert np.array_equal(store.get_video(out.video).array(), frames["odd"][::-1])
    assert not list(store.dir.glob(".reverse.*"))


def test_variable_frame_rate_input(session, files):
    store, refs, frames = session
    v = refs["vfr"]
    # 90 frames over 89 steps: 79 x 33 ms + 200 ms + 10 x 10 ms = 2.907 s, read at the average rate
    assert v.frames == len(frames["vfr"])
    out = run(TrimVideoTool(), store, video=v.model_dump(), first=1)
    assert out.video.frames == round(v.fps) and out.video.fps == v.fps
    half = run(SpeedVideoTool(), store, video=v.model_dump(), factor=0.5)
    assert half.video.frames == 2 * v.frames


def test_concat_letterboxes_and_retimes_the_second_clip(session):
    store, refs, frames = session
    a, b = refs["sound"], refs["odd"]  # 480x270 @ 30 fps with sound; 161x97 @ 25 fps silent, 60 frames
    out = run(ConcatVideosTool(), store, video=a.model_dump(), other=b.model_dump())
    assert (out.video.frames, out.video.width, out.video.height, out.video.fps) == (150 + 72, 480, 270, 30.0)
    assert sound_seconds(store, out.video) == pytest.approx(222 / 30, abs=1 / 48000)
    assert "letterboxed" in out.text and "re-timed from 25 to 30 fps" in out.text and "silence" in out.text
    assert rate_mapping(60, 25.0, 30.0)[:7] == [0, 0, 1, 2, 3, 4, 5]


def test_gif_export(session):
    from PIL import Image

    store, refs, _ = session
    out = run(ExportGifTool(), store, video=refs["sound"].model_dump())
    assert (out.video.frames, out.video.fps, out.video.width) == (60, 12.0, 480)
    assert out.gif == f"{out.video.id}.gif"  # a name in the store, never a server path
    with Image.open(store.dir / out.gif) as im:
        assert im.size == (480, 270) and im.n_frames >= 1
        total = 0
        for k in range(im.n_frames):
            im.seek(k)
            total += im.info["duration"]
    assert total == 5000 and "no sound" in out.text
    assert sum(gif_durations(36, 12.0)) == 3000


@pytest.mark.parametrize(
    "args, message",
    [
        ({}, "say what to keep"),
        ({"first": 1, "last": 1}, "not several"),
        ({"start": 9}, "past the end"),
        ({"start": 2, "end": 1}, "must come after"),
    ],
)
def test_trim_refusals_name_the_fix(session, args, message):
    store, refs, _ = session
    with pytest.raises(ToolArgumentError, match=message):
        run(TrimVideoTool(), store, video=refs["sound"].model_dump(), **args)


def test_too_long_a_result_is_refused():
    from vitron_agent.tools.video_edit import MAX_OUTPUT_FRAMES, _check_length

    with pytest.raises(ValueError, match="trim the clip first"):
        _check_length(MAX_OUTPUT_FRAMES + 1, "slowing down")


def test_clock():
    assert [clock(5), clock(70), clock(75.5), clock(0)] == ["0:05", "1:10", "1:15.5", "0:00"]


def test_uploads_keep_the_sound_and_exports_play_it(tmp_path, files):
    import av

    from vitron_agent.runtime.agent import Agent
    from vitron_agent.runtime.export import export_run
    from vitron_agent.server.transport import store_video

    agent = Agent(data_dir=tmp_path / "data")
    try:
        up = store_video(agent, "http", files["sound"].read_bytes(), "sound.mp4")  # an HTTP upload
        assert get_audio(agent.store_for("http"), up.audio).samples.shape[1] == 240000
        result = agent.run("trim the video to the first 2 seconds, then make it twice as fast", video=files["sound"])
        assert [s.tool for s in result.plan.steps] == ["trim_video", "speed_video"]
        export_run(result, agent.store, tmp_path / "out")
        with av.open(str(tmp_path / "out" / "s2_video.preview.mp4")) as c:
            kinds = {s.type: s for s in c.streams}
            assert (
                kinds["video"].frames == 30
                and abs(float(kinds["audio"].duration * kinds["audio"].time_base) - 1.0) < 0.03
            )
        gif = agent.run("make a gif of it", video=files["odd"])
        data = export_run(gif, agent.store, tmp_path / "gif")
        assert data["steps"][0]["outputs"]["gif"]["path"].endswith("s1_gif.gif")
        assert (tmp_path / "gif" / "s1_gif.gif").read_bytes()[:6] == b"GIF89a"
    finally:
        agent.close()
