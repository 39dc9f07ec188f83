"""A clip's sound: read from the uploaded file, kept beside the pictures, cut and re-timed with them.

The store keeps a video's pictures as lossless H.264 and its sound as a separate artifact: a
float32 CxN array (channels x samples, -1..1) stored as a feature of kind ``audio`` whose id the
:class:`~vitron_agent.core.refs.VideoRef` carries in ``audio``. Every operation that cuts or re-times the
pictures does the same to the sound, so the two stay the same length to the sample
(:func:`fit`): trim and loop cut and repeat samples, reverse flips them, a speed change runs
FFmpeg's ``atempo`` filter through PyAV (pitch kept). Export muxes it back as AAC (:func:`mux`).

Sound never refuses a video: a file whose audio stream cannot be read gives ``None`` and the
caller says the sound was dropped.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "Audio",
    "AUDIO_KIND",
    "MAX_AUDIO_SECONDS",
    "read_audio",
    "sound_of",
    "put_audio",
    "get_audio",
    "fit",
    "cut",
    "tempo",
    "mux",
    "mux_into",
]

AUDIO_KIND = "audio"
# 20 minutes of 48 kHz stereo float32 is 460 MB; longer sound is dropped (and said), not stored
MAX_AUDIO_SECONDS = 1200.0
# sound is kept at most at this rate (higher rates are resampled down), so the bound above holds
MAX_AUDIO_RATE = 48_000


@dataclass(frozen=True)
class Audio:
    """``samples``: CxN float32 in -1..1 (C = 1 or 2); ``rate``: samples per second."""

    samples: np.ndarray
    rate: int

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / self.rate

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])


def read_audio(
    source: str | os.PathLike[str] | bytes, offset: float = 0.0, seconds: float | None = None
) -> Audio | None:
    """The first audio stream of a video file (path or bytes) as float32 at its rate (at most
    :data:`MAX_AUDIO_RATE`), or None when it has no sound, the sound cannot be decoded, it is
    longer than :data:`MAX_AUDIO_SECONDS`, or it starts after ``seconds``.
    ``offset``: seconds of sound to skip (or, negative, silence to put) at the start, so that
    sample 0 plays with the first picture (the video stream may start later than the audio).
    ``seconds``: the clip's length; no more sound than that is decoded or made (a 5 KB file whose
    sound starts an hour after its one picture asked for 10 GiB of silence)."""
    import av

    from vitron_agent.media.video import _open_container

    label = "<bytes>" if isinstance(source, (bytes, bytearray)) else str(source)
    try:
        container = _open_container(source, label, None)
    except Exception:  # noqa: BLE001 -- the video reader reports what is wrong with the file
        return None
    try:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        layout = "mono" if (stream.codec_context.channels or 1) == 1 else "stereo"
        rate = min(int(stream.codec_context.sample_rate or 0), MAX_AUDIO_RATE)
        if rate <= 0:
            return None
        skip, pad, keep = _window(offset, seconds, rate)
        if keep is not None and keep <= 0:
            return None  # the sound starts after the last picture: nothing of it plays with the clip
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
        chunks, total = [], 0
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                arr = out.to_ndarray()
                chunks.append(arr)
                total += arr.shape[1]
            if pad + total - skip > MAX_AUDIO_SECONDS * rate:
                return None
            if keep is not None and total >= skip + keep:
                break  # the rest plays after the last picture
        else:
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
    except (av.FFmpegError, ValueError, OSError):
        return None
    finally:
        container.close()
    if not chunks:
        return None
    end = None if keep is None else skip + keep
    samples = np.concatenate(chunks, axis=1)[:, skip:end].astype(np.float32, copy=False)
    if pad:
        samples = np.concatenate([np.zeros((samples.shape[0], pad), np.float32), samples], axis=1)
    return Audio(np.ascontiguousarray(samples), rate) if samples.shape[1] else None


def _window(offset: float, seconds: float | None, rate: int) -> tuple[int, int, int | None]:
    """Samples to skip at the start of the decoded sound, of silence to put before it, and of the
    sound to keep (None: all of it; 0: none plays with the clip), for a clip of ``seconds`` (None:
    unknown) whose first picture plays ``offset`` s into the sound (negative: before the sound
    starts). Silence past the clip's end or past :data:`MAX_AUDIO_SECONDS` is never made."""
    skip = max(0, int(round(offset * rate)))
    pad = max(0, int(round(-offset * rate)))
    clip = None if seconds is None else int(round(seconds * rate))
    if pad >= MAX_AUDIO_SECONDS * rate or (clip is not None and pad >= clip):
        return skip, 0, 0
    return skip, pad, None if clip is None else clip - pad


def sound_of(source: str | os.PathLike[str] | bytes, seconds: float | None = None) -> Audio | None:
    """The sound of an uploaded video, aligned so that sample 0 plays with its first picture, at
    most ``seconds`` long (the clip's length: pass it, as ``put_video(audio=...)`` does)."""
    return read_audio(source, offset=stream_offset(source), seconds=seconds)


def stream_offset(source: str | os.PathLike[str] | bytes) -> float:
    """Seconds from the audio stream's start to the video stream's start (0 when unknown)."""
    from vitron_agent.media.video import _open_container

    try:
        container = _open_container(source, "<offset>", None)
    except Exception:  # noqa: BLE001
        return 0.0
    try:
        v, a = container.streams.video, container.streams.audio
        if not v or not a or v[0].start_time is None or a[0].start_time is None:
            return 0.0
        return float(v[0].start_time * v[0].time_base) - float(a[0].start_time * a[0].time_base)
    finally:
        container.close()


def put_audio(store: Any, audio: Audio, producer: str | None = None) -> str:
    """Store ``audio``; its id (what ``VideoRef.audio`` holds)."""
    ref = store.put_feature(np.ascontiguousarray(audio.samples, np.float32), f"{AUDIO_KIND}@{audio.rate}", producer)
    return ref.id


def get_audio(store: Any, audio_id: str | None) -> Audio | None:
    """The stored sound ``audio_id`` of this session (None for None)."""
    from vitron_agent.core.refs import FeatureRef

    if audio_id is None:
        return None
    meta = store._read_meta(audio_id)
    if meta is None or not str(meta.get("kind", "")).startswith(AUDIO_KIND + "@"):
        raise ValueError(f"{audio_id[:12]} is not a stored sound of this session")
    ref = FeatureRef(
        id=audio_id, session=store.session, kind=meta["kind"], shape=tuple(meta["shape"]), dtype=meta["dtype"]
    )
    return Audio(np.asarray(store.get_feature(ref), np.float32), int(meta["kind"].split("@", 1)[1]))


def fit(audio: Audio, seconds: float) -> Audio:
    """``audio`` cut or padded with silence to exactly ``seconds`` (rounded to a sample)."""
    n = int(round(seconds * audio.rate))
    s = audio.samples
    if s.shape[1] >= n:
        return Audio(s[:, :n], audio.rate)
    return Audio(np.concatenate([s, np.zeros((s.shape[0], n - s.shape[1]), np.float32)], axis=1), audio.rate)


def cut(audio: Audio, start: float, end: float) -> Audio:
    """The sound from ``start`` to ``end`` seconds (silence where it runs out)."""
    a, b = int(round(start * audio.rate)), int(round(end * audio.rate))
    return fit(Audio(audio.samples[:, a:b], audio.rate), (b - a) / audio.rate)


def _atempo_chain(factor: float) -> list[float]:
    """atempo factors, each within 0.5..2 (the range every FFmpeg build accepts), whose product is ``factor``."""
    chain, left = [], factor
    while left > 2.0:
        chain.append(2.0)
        left /= 2.0
    while left < 0.5:
        chain.append(0.5)
        left /= 0.5
    chain.append(left)
    return chain


def tempo(audio: Audio, factor: float) -> Audio:
    """The sound played ``factor`` times as fast with its pitch kept (FFmpeg's atempo through PyAV)."""
    import av

    layout = "mono" if audio.channels == 1 else "stereo"
    graph = av.filter.Graph()
    src = graph.add_abuffer(format="fltp", sample_rate=audio.rate, layout=layout, time_base=f"1/{audio.rate}")
    nodes = [src] + [graph.add("atempo", f"{f:.6f}") for f in _atempo_chain(factor)]
    nodes.append(graph.add("aformat", f"sample_fmts=fltp:channel_layouts={layout}"))
    sink = graph.add("abuffersink")
    graph.link_nodes(*nodes, sink).configure()
    out: list[np.ndarray] = []

    def drain() -> None:
        while True:
            try:
                out.append(graph.pull().to_ndarray())
            except (av.BlockingIOError, av.EOFError):
                return

    step = 4096
    for i in range(0, audio.samples.shape[1], step):
        chunk = np.ascontiguousarray(audio.samples[:, i : i + step])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
        frame.sample_rate, frame.pts, frame.time_base = audio.rate, i, Fraction(1, audio.rate)
        graph.push(frame)
        drain()
    graph.push(None)
    drain()
    samples = np.concatenate(out, axis=1) if out else np.zeros((audio.channels, 0), np.float32)
    return fit(Audio(samples.astype(np.float32), audio.rate), audio.duration / factor)


def mux(video_path: str | os.PathLike[str], audio: Audio, out_path: str | os.PathLike[str]) -> None:
    """Write ``out_path`` (mp4): the video stream of ``video_path`` copied as it is, plus ``audio`` as AAC."""
    import av

    layout = "mono" if audio.channels == 1 else "stereo"
    with av.open(str(video_path)) as src, av.open(str(out_path), mode="w", format="mp4") as dst:
        vin = src.streams.video[0]
        vout = dst.add_stream_from_template(vin)
        aout = dst.add_stream("aac", rate=audio.rate, layout=layout)
        for packet in src.demux(vin):
            if packet.dts is None:
                continue
            packet.stream = vout
            dst.mux(packet)
        step = 1024
        for i in range(0, audio.samples.shape[1], step):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(audio.samples[:, i : i + step]), format="fltp", layout=layout
            )
            frame.sample_rate, frame.pts = audio.rate, i
            for packet in aout.encode(frame):
                dst.mux(packet)
        for packet in aout.encode(None):
            dst.mux(packet)


def mux_into(video_path: str | os.PathLike[str], audio: Audio | None) -> None:
    """Add ``audio`` to the mp4 at ``video_path`` in place (its video stream copied); nothing for None."""
    from pathlib import Path

    if audio is None:
        return
    path = Path(video_path)
    tmp = path.with_name(f".{path.name}.sound.mp4")
    try:
        mux(path, audio, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
