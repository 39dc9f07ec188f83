"""Video decoding, the lossless store, lazy access and sampling, hostile files."""

import numpy as np
import pytest

from tests.video.conftest import frames_equal, put_clip
from vitron_agent.core.errors import MediaError
from vitron_agent.media.video import open_video, sample_indices, write_preview, write_video
from vitron_agent.storage.store import ArtifactStore


def test_store_roundtrip_is_exact_and_content_addressed(store, clip):
    frames = clip[0]
    ref = put_clip(store, frames)
    assert (ref.frames, ref.width, ref.height, ref.fps) == (24, 128, 96, 12.0)
    assert put_clip(store, frames).id == ref.id
    assert put_clip(store, frames, fps=24.0).id != ref.id
    store.cache._items.clear()  # decode from disk, not from the cache
    assert frames_equal(list(store.get_video(ref).frames()), frames)
    assert (store.dir / f"{ref.id}.mp4").stat().st_size > 0


def test_odd_sizes_and_single_frame(store):
    frame = np.random.default_rng(1).integers(0, 256, (31, 47, 3), dtype=np.uint8)
    ref = put_clip(store, [frame])
    store.cache._items.clear()
    assert ref.frames == 1 and np.array_equal(store.get_video(ref).frame(0), frame)


def test_lazy_frames_of_a_long_clip_are_not_cached_whole(tmp_path):
    store = ArtifactStore(tmp_path, "s", cache_bytes=64 * 1024)  # too small to keep the clip
    frames = [np.full((16, 16, 3), i, np.uint8) for i in range(40)]
    ref = put_clip(store, frames)
    clip = store.get_video(ref)
    got = list(clip.frames([3, 17, 39]))
    assert [int(f[0, 0, 0]) for f in got] == [3, 17, 39]
    assert clip.frame(-1)[0, 0, 0] == 39
    assert len(store.cache) == 0
    with pytest.raises(IndexError, match="outside this 40-frame clip"):
        list(clip.frames([40]))


def test_sampling():
    assert sample_indices(100, 10.0, k=5) == [0, 25, 50, 74, 99]
    assert sample_indices(10, 10.0, every=3) == [0, 3, 6, 9]
    assert sample_indices(100, 10.0, start=2.0, end=3.0) == list(range(20, 30))
    assert sample_indices(100, 10.0, start=2.0, end=4.0, k=3) == [20, 30, 39]
    assert sample_indices(3, 10.0, k=10) == [0, 1, 2]
    with pytest.raises(ValueError, match="holds no frame"):
        sample_indices(10, 10.0, start=5.0)


def test_open_video_from_file_and_bytes(clip_file, clip):
    info, frames = open_video(clip_file)
    assert (info.width, info.height, info.fps, info.frames) == (128, 96, 12.0, 24)
    assert frames_equal(list(frames), clip[0])
    info, frames = open_video(clip_file.read_bytes())
    assert sum(1 for _ in frames) == 24


def _write_vfr(path, times: list[float]) -> None:
    import av

    c = av.open(str(path), "w")
    s = c.add_stream("libx264rgb", rate=10)
    s.width, s.height, s.pix_fmt = 32, 32, "rgb24"
    s.options = {"crf": "0"}
    s.codec_context.time_base = __import__("fractions").Fraction(1, 1000)
    for i, t in enumerate(times):
        f = av.VideoFrame.from_ndarray(np.full((32, 32, 3), 10 * i, np.uint8), format="rgb24")
        f.pts, f.time_base = round(t * 1000), s.codec_context.time_base
        for p in s.encode(f):
            c.mux(p)
    for p in s.encode():
        c.mux(p)
    c.close()


def test_variable_frame_rate_is_resampled_by_timestamp(tmp_path):
    path = tmp_path / "vfr.mp4"
    # six frames at 0, 0.1, 0.2, then a 0.3 s gap, 0.5, 0.6, 0.7: the average rate is 7.5 fps
    _write_vfr(path, [0.0, 0.1, 0.2, 0.5, 0.6, 0.7])
    info, frames = open_video(path)
    got = [int(f[0, 0, 0]) for f in frames]
    assert frames.vfr and info.fps == 7.5
    # each slot i / 7.5 s shows the latest frame at or before it (half a slot of slack): the
    # gap repeats frame 2, and 0.5 s falls between slots so it is dropped
    assert got == [0, 10, 20, 20, 40, 50]


def test_constant_rate_is_not_flagged(clip_file):
    info, frames = open_video(clip_file)
    assert len(list(frames)) == 24 and not frames.vfr


def _audio_only(path) -> None:
    import av

    c = av.open(str(path), "w", format="mp4")
    s = c.add_stream("aac", rate=16000)
    frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
    frame.sample_rate = 16000
    for p in s.encode(frame):
        c.mux(p)
    for p in s.encode():
        c.mux(p)
    c.close()


@pytest.mark.parametrize(
    "case, message",
    [
        ("missing", "no such file"),
        ("empty", r"empty \(0 bytes\)"),
        ("text", "not a recognised video"),
        ("garbage", "not a recognised video"),
        ("directory", "is a directory"),
        ("audio", "has no video stream"),
        ("truncated", "truncated|corrupt|not a recognised video"),
        ("zero-frames", "no decodable frames|not a recognised video"),
    ],
)
def test_hostile_files_give_clear_errors(tmp_path, clip_file, case, message):
    path = tmp_path / f"{case}.mp4"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "text":
        path.write_text("this is not a video\n" * 50)
    elif case == "garbage":
        path.write_bytes(np.random.default_rng(0).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    elif case == "directory":
        path.mkdir()
    elif case == "audio":
        _audio_only(path)
    elif case == "truncated":
        path.write_bytes(clip_file.read_bytes()[: clip_file.stat().st_size // 2])
    elif case == "zero-frames":  # a video stream declared, no frame ever written
        import av

        path = tmp_path / "zero.mkv"
        c = av.open(str(path), "w")
        s = c.add_stream("libx264", rate=10)
        s.width, s.height, s.pix_fmt = 32, 32, "yuv420p"
        c.start_encoding()
        c.close()
    with pytest.raises(MediaError, match=message) as err:
        info, frames = open_video(path)
        list(frames)
    assert str(path) in str(err.value)


def _write_huge(path) -> None:
    """One black 9000x8000 frame: 72 MP, a few hundred KB on disk."""
    import av

    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=1)
        s.width, s.height, s.pix_fmt, s.options = 9000, 8000, "yuv420p", {"preset": "ultrafast"}
        frame = av.VideoFrame(9000, 8000, "yuv420p")
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        for packet in [*s.encode(frame), *s.encode()]:
            c.mux(packet)


def test_huge_resolution_is_rejected_from_the_header(tmp_path):
    path = tmp_path / "huge.mp4"
    _write_huge(path)
    with pytest.raises(MediaError, match="9000x8000 = 72,000,000 pixels exceed the limit of 64,000,000"):
        open_video(path)


def test_caps_on_size_and_length(clip_file):
    with pytest.raises(MediaError, match="exceed the limit of 1,000"):
        open_video(clip_file, max_pixels=1000)
    with pytest.raises(MediaError, match="over the cap of 10 frames"):
        open_video(clip_file, max_frames=10)
    with pytest.raises(MediaError, match="max_video_seconds"):
        open_video(clip_file, max_seconds=1.0)


def test_allowed_roots(tmp_path, clip_file):
    other = tmp_path / "inside"
    other.mkdir()
    with pytest.raises(MediaError, match="outside the folders"):
        open_video(clip_file, allowed_roots=[other])


def test_preview_is_browser_friendly(tmp_path, clip):
    import av

    path = tmp_path / "p.mp4"
    assert write_preview(clip[0], path, 12.0, max_side=64) == 24
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        assert s.codec_context.pix_fmt == "yuv420p" and (s.width, s.height) == (64, 48)


def test_bad_frames_rejected(tmp_path):
    with pytest.raises(ValueError, match="HxWx3 uint8"):
        write_video([np.zeros((8, 8), np.uint8)], tmp_path / "x.mp4", 10)
    with pytest.raises(ValueError, match="same size"):
        write_video([np.zeros((8, 8, 3), np.uint8), np.zeros((8, 10, 3), np.uint8)], tmp_path / "y.mp4", 10)


def test_track_roundtrip(store, clip):
    frames, masks = clip
    video = put_clip(store, frames)
    ref = store.put_track(masks, producer="s1", video=video)
    assert (ref.frames, ref.width, ref.height, ref.present, ref.video) == (24, 128, 96, 24, video.id)
    store.cache._items.clear()
    assert np.array_equal(store.get_track(ref), np.stack(masks))
    assert store.put_track(iter(masks)).id == ref.id
    with pytest.raises(ValueError, match="one size"):
        store.put_track([masks[0], masks[0][:10]])


def test_refs_are_session_scoped(store, clip):
    from vitron_agent.core.errors import RefError

    ref = put_clip(store, clip[0][:2])
    with pytest.raises(RefError, match="cannot be used across sessions"):
        store.for_session("other").get_video(ref)


def test_memory_bytes_source_label():
    with pytest.raises(MediaError, match="<20 bytes>"):
        open_video(b"not a video at all!!")


def test_long_and_hostile_videos_under_a_memory_limit(tmp_path):
    """A 9000x8000 header and a 600-frame 320x240 clip described end to end, in a process limited
    to 3 GiB of address space: the first is refused before decoding, the second streams."""
    import json
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    from vitron_agent.media.synthetic import texture

    bg = texture(240, 320, 0)

    def long_clip():
        for i in range(600):
            f = bg.copy()
            f[100:130, (i * 2) % 280 : (i * 2) % 280 + 30] = (220, 30, 30)
            yield f

    write_video(long_clip(), tmp_path / "long.mp4", 25.0)
    _write_huge(tmp_path / "huge.mp4")
    script = textwrap.dedent(f"""
        import json, resource
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
        from vitron_agent.runtime.agent import Agent
        from vitron_agent.core.errors import MediaError
        out = {{}}
        agent = Agent(data_dir={str(tmp_path / "data")!r})
        try:
            agent.run("describe it", video={str(tmp_path / "huge.mp4")!r})
        except MediaError as exc:
            out["huge"] = str(exc)
        result = agent.run("track the red box, then describe it", video={str(tmp_path / "long.mp4")!r})
        out["answer"] = result.answer
        out["hwm_kb"] = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
        print(json.dumps(out))
    """)
    root = Path(__file__).resolve().parents[2]
    p = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert "exceed the limit of 64,000,000" in out["huge"]
    assert "600 frames at 25 fps" in out["answer"] and "visible on 600 of 600 frames" in out["answer"]
    assert out["hwm_kb"] < 1024 * 1024, out["hwm_kb"]  # under 1 GiB resident


@pytest.mark.parametrize(
    "payload",
    [
        "ffconcat version 1.0\nfile {target}\n",
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{target}\n#EXT-X-ENDLIST\n",
    ],
)
def test_a_playlist_never_makes_ffmpeg_read_another_file(tmp_path, clip_file, payload):
    """The bytes claim to be a playlist naming a real video elsewhere: whether sent as bytes or
    saved as a file, they are refused as not a video, and the named file is never read."""
    text = payload.format(target=clip_file).encode()
    for source in (text, tmp_path / "list.mp4"):
        if not isinstance(source, bytes):
            source.write_bytes(text)
        with pytest.raises(MediaError, match="not a recognised video") as err:
            _, frames = open_video(source)
            list(frames)
        assert "no such file" not in str(err.value).lower()


def test_real_containers_are_still_read(tmp_path, clip):
    import av

    for ext, codec in (("mkv", "libx264"), ("avi", "mpeg4"), ("webm", "libvpx-vp9")):
        path = tmp_path / f"c.{ext}"
        c = av.open(str(path), "w")
        s = c.add_stream(codec, rate=8)
        s.width, s.height, s.pix_fmt = 64, 48, "yuv420p"
        for f in clip[0][:4]:
            for p in s.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(f[:48, :64]), format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
        c.close()
        info, frames = open_video(path)
        assert len(list(frames)) >= 3, ext


def test_frames_far_apart_in_time_are_refused_not_repeated_thousands_of_times(tmp_path):
    """Three frames, the last 2,000 s after the others (a few KB on disk): refused at the gap, in
    well under a second, instead of tens of thousands of repeated frames."""
    import time

    path = tmp_path / "gap.mp4"
    _write_vfr(path, [0.0, 0.1, 2000.0])
    assert path.stat().st_size < 20_000
    t = time.perf_counter()
    with pytest.raises(MediaError, match=r"two frames are [\d,.]+ s apart .* re-encode it at a constant frame rate"):
        info, frames = open_video(path, max_frames=10**9, max_seconds=10**9)
        list(frames)
    assert time.perf_counter() - t < 5
