"""An uploaded clip's sound is bounded by its pictures (hostile round 4): a 5 KB Matroska file with
one picture at 0 s and a sound that starts 3,500 s later at 384 kHz asked for 10 GiB of leading
silence (``MemoryError``, or the machine's memory) before its pictures were even counted; its
sound was also kept at any sample rate."""

import json
import subprocess
import sys
import textwrap
from fractions import Fraction

import numpy as np
import pytest

from vitron_agent.media.audio import MAX_AUDIO_RATE, read_audio, sound_of


def _clip(path, sound_start: float, rate: int, pictures: int = 1, sound_seconds: float = 0.02) -> None:
    """An mkv with ``pictures`` 16x16 frames at 1 fps from 0 s and a stereo PCM sound of
    ``sound_seconds`` at ``rate`` Hz starting at ``sound_start`` s."""
    import av

    c = av.open(str(path), "w", format="matroska")
    v = c.add_stream("mpeg4", rate=1)
    v.width = v.height = 16
    v.pix_fmt = "yuv420p"
    a = c.add_stream("pcm_s16le", rate=rate)
    a.layout = "stereo"
    for i in range(pictures):
        frame = av.VideoFrame.from_ndarray(np.full((16, 16, 3), 40 * i % 255, np.uint8), format="rgb24")
        frame.pts = i
        for p in v.encode(frame):
            c.mux(p)
    for p in v.encode():
        c.mux(p)
    n = int(sound_seconds * rate)
    tone = (np.sin(np.arange(n) * 0.05) * 8000).astype(np.int16)
    af = av.AudioFrame.from_ndarray(np.repeat(tone, 2)[None, :], format="s16", layout="stereo")
    af.sample_rate, af.pts, af.time_base = rate, int(sound_start * rate), Fraction(1, rate)
    for p in a.encode(af):
        c.mux(p)
    for p in a.encode():
        c.mux(p)
    c.close()


def test_a_sound_that_starts_long_after_the_pictures_is_not_padded_to_gigabytes(tmp_path):
    path = tmp_path / "late-sound.mkv"
    _clip(path, sound_start=3500, rate=384_000)
    assert path.stat().st_size < 64_000  # a few KB of file
    script = textwrap.dedent(f"""
        import json, resource
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
        from vitron_agent.core.errors import MediaError
        from vitron_agent.media.audio import sound_of
        from vitron_agent.runtime.turns import ingest_video
        from vitron_agent.storage.store import ArtifactStore
        from vitron_agent.toolkit.config import Config
        out = {{"sound of the 1 s clip": sound_of({str(path)!r}, 1.0)}}
        try:
            ingest_video({str(path)!r}, ArtifactStore({str(tmp_path / "store")!r}, "s"), Config())
        except MediaError as exc:
            out["ingest"] = str(exc)
        print(json.dumps(out))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]  # before: MemoryError (10.0 GiB of silence)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["sound of the 1 s clip"] is None  # the sound starts after the last picture: none plays
    # the pictures are checked before the sound is read: the file's lie about its length is the error
    assert "the header declares 3500 frames, only 1 decode" in got["ingest"]


def test_the_sound_kept_is_the_clips_length_at_a_bounded_rate(tmp_path):
    path = tmp_path / "hi-rate.mkv"
    _clip(path, sound_start=0.5, rate=192_000, pictures=3, sound_seconds=3.0)
    whole = read_audio(path)  # no clip length given: the whole sound, at most MAX_AUDIO_RATE
    assert whole is not None and whole.rate == MAX_AUDIO_RATE
    assert whole.samples.shape[1] == pytest.approx(MAX_AUDIO_RATE * 3.0, rel=0.01)
    clip = sound_of(path, 2.0)  # 0.5 s of silence first (the sound starts late), then 1.5 s of the 3
    assert clip is not None and clip.samples.shape[1] == pytest.approx(2.0 * MAX_AUDIO_RATE, rel=0.01)
    assert not clip.samples[:, : int(0.45 * MAX_AUDIO_RATE)].any() and clip.samples[:, MAX_AUDIO_RATE:].any()
