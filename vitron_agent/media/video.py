"""Safe decoding and encoding of videos (PyAV, which bundles FFmpeg with libx264).

Frames are HxWx3 uint8 RGB arrays and always stream: nothing here holds a whole
clip in memory. Every odd or hostile file either decodes or raises
:class:`~vitron_agent.core.errors.MediaError` naming the file and the problem:

* missing, directory, 0-byte, not a video, corrupt or truncated files are rejected;
* a file with no video stream (audio only) is rejected;
* frames larger than ``max_pixels`` are rejected from the header, before decoding;
* more than ``max_frames`` frames or ``max_seconds`` seconds is rejected (a cap, not a silent cut);
* a timestamp gap that would repeat one frame more than ``MAX_GAP_FRAMES`` times is rejected;
* variable frame rate is resampled to a constant rate (the stream's average) by
  timestamp, so frame ``i`` is at ``i / fps`` seconds (frames repeat across gaps and
  drop where they bunch up); the frame stream's ``vfr`` says it happened.

The store keeps videos as lossless RGB H.264 (``libx264rgb``, ``crf=0``): pixels
read back exactly as written, so an edit changes only what it edits.
:func:`write_preview` makes the small browser-playable (yuv420p) copy reports embed.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.core.errors import MediaError, ToolFailed
from vitron_agent.media.images import DEFAULT_MAX_PIXELS, MAX_FILE_BYTES, check_allowed, file_size

__all__ = [
    "VideoInfo",
    "DEFAULT_MAX_FRAMES",
    "DEFAULT_MAX_SECONDS",
    "open_video",
    "write_video",
    "write_preview",
    "sample_indices",
    "VIDEO_SUFFIXES",
    "VideoClip",
    "VideoWriter",
    "count_frames",
    "FrameStream",
]

DEFAULT_MAX_FRAMES = 20_000
# A timestamp gap is filled by repeating the frame before it; no more than this many times (a
# 1.7 KB mp4 with two frames far apart became 19,751 stored frames and held the decoders ~100 s).
MAX_GAP_FRAMES = 300
# libx264's limit on a frame's width and height (measured: 16384 encodes, 16386 fails to open): every clip
# is kept as H.264, so a wider one is refused by name, never FFmpeg's "Generic error in an external library"
MAX_SIDE = 16384
TOO_WIDE = (
    "frames of {w}x{h}: over {side:,} pixels a side, which H.264 (the codec clips are kept in) cannot hold; "
    "downscale it (or crop it) first"
)
DEFAULT_MAX_SECONDS = 3600.0
VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".gif", ".mpg", ".mpeg", ".ts")
NOT_A_VIDEO = "not a recognised video (mp4, mov, mkv, webm, avi, gif): {detail}"
CONTAINER_NAMES = {"mov": "mp4 / mov", "matroska": "mkv / webm", "mpegts": "mpeg-ts", "mpeg": "mpeg-ps"}
ENDS_BEFORE_A_FRAME = (
    "has no decodable frames: the {container} file ends after its header (nothing was recorded, or it was cut); "
    "send a clip with at least one frame"
)
CUT_OR_CORRUPT = (
    "the {container} video is truncated or corrupt ({detail}): send the whole file, or re-encode it (e.g. as mp4)"
)


@dataclass(frozen=True)
class VideoInfo:
    """What the header says: frame size, rate and (estimated) length."""

    width: int
    height: int
    fps: float
    frames: int
    duration: float
    codec: str


def _label(source: Any, name: str | None) -> str:
    return name or (f"<{len(source)} bytes>" if isinstance(source, (bytes, bytearray, memoryview)) else str(source))


def _open_container(source: Any, label: str, allowed_roots: list[Any] | None) -> Any:
    import av

    if isinstance(source, (bytes, bytearray, memoryview)):
        if not len(source):
            raise MediaError(label, "the file is empty (0 bytes); give an mp4, mov, mkv, webm or avi video")
        handle: Any = io.BytesIO(bytes(source))
    else:
        if allowed_roots is not None:
            check_allowed(source, allowed_roots, label)
        path = Path(source)
        size = file_size(path, label, "video")
        if size == 0:
            raise MediaError(label, "the file is empty (0 bytes); give an mp4, mov, mkv, webm or avi video")
        if size > 64 * MAX_FILE_BYTES:
            raise MediaError(label, f"the file is {size:,} bytes, over the {64 * MAX_FILE_BYTES:,}-byte limit")
        handle = str(path)
    head = bytes(source[:64]) if isinstance(source, (bytes, bytearray, memoryview)) else _head(Path(source))
    demuxer = container_format(head)
    if demuxer is None:
        raise MediaError(
            label,
            NOT_A_VIDEO.format(
                detail="not a video container this project reads (mp4 / mov, "
                "mkv / webm, avi, mpeg-ts, mpeg-ps, flv, ogg, gif)"
            ),
        )
    try:  # the demuxer is the one the bytes' magic names: never a playlist, concat, image-sequence or device one
        return av.open(
            handle,
            mode="r",
            format=demuxer,
            metadata_errors="ignore",
            # no nested protocol but file/pipe; a mov's data references (external files) stay off
            options={"protocol_whitelist": "file,pipe", "safe": "1", "enable_drefs": "0", "use_absolute_path": "0"},
        )
    except av.FFmpegError as exc:  # the magic named the container: its data is what is wrong
        said = CONTAINER_NAMES.get(demuxer, demuxer)
        if isinstance(exc, av.EOFError):  # the data ends where the first frame would be
            raise MediaError(label, ENDS_BEFORE_A_FRAME.format(container=said)) from None
        raise MediaError(label, CUT_OR_CORRUPT.format(container=said, detail=_short(exc))) from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise MediaError(label, NOT_A_VIDEO.format(detail=_short(exc))) from None


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(400)
    except OSError:
        return b""


# ISO-BMFF major brands of still pictures (AVIF, HEIC/HEIF); avis, msf1 and hevc are sequences
HEIF_STILL_BRANDS = (b"avif", b"avio", b"heic", b"heix", b"heim", b"heis", b"mif1", b"mif2")


def container_format(head: bytes) -> str | None:
    """The FFmpeg demuxer for a real video container recognised by its first bytes, or None.
    Only these are ever opened (whatever the bytes or the file name claim), so a client's upload
    can never make FFmpeg read a playlist (ffconcat, HLS), an image sequence or a device."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_STILL_BRANDS:
        return None  # an AVIF or HEIC still picture: an image, never a one-frame video
    if len(head) >= 12 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):
        return "mov"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "avi"
    if len(head) > 188 and head[0] == 0x47 and head[188] == 0x47:
        return "mpegts"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "mpeg"
    if head.startswith(b"FLV"):
        return "flv"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    return None


def _short(exc: BaseException) -> str:
    """The error's own words: FFmpeg's reason without its errno and "'<none>'" file name."""
    text = (getattr(exc, "strerror", None) or str(exc)).strip() or type(exc).__name__
    return text if len(text) < 200 else text[:197] + "..."


class _Decoder:
    """Frames of one opened container at a constant rate, with the caps enforced."""

    def __init__(self, container: Any, label: str, max_pixels: int, max_frames: int, max_seconds: float):
        self.container, self.label = container, label
        if not container.streams.video:
            kinds = sorted({s.type for s in container.streams}) or ["none"]
            container.close()
            raise MediaError(
                label,
                f"has no video stream (streams: {', '.join(kinds)}); an audio-only file cannot be used as a video",
            )
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        ctx = stream.codec_context
        w, h = int(ctx.width or 0), int(ctx.height or 0)
        if w <= 0 or h <= 0:
            container.close()
            raise MediaError(label, f"the video header declares an empty frame size {w}x{h}")
        if w * h > max_pixels:
            container.close()
            raise MediaError(
                label,
                f"frames of {w}x{h} = {w * h:,} pixels exceed the limit of {max_pixels:,}; "
                "downscale the video or raise [store] max_pixels",
            )
        if max(w, h) > MAX_SIDE:
            container.close()
            raise MediaError(label, TOO_WIDE.format(w=w, h=h, side=MAX_SIDE))
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        if not (0.1 <= fps <= 1000.0):
            fps = 25.0
        self.stream, self.fps, self.width, self.height = stream, fps, w, h
        duration = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else 0.0
        if not duration and container.duration:
            duration = container.duration / 1_000_000
        declared = int(stream.frames or 0) or int(round(duration * fps))
        if declared > max_frames or duration > max_seconds:
            container.close()
            raise MediaError(
                label,
                f"the video is {declared:,} frames / {duration:.1f} s, over the cap of "
                f"{max_frames:,} frames or {max_seconds:g} s; cut it shorter or raise "
                "[store] max_video_frames / max_video_seconds",
            )
        self.declared, self.duration = declared, duration
        self.max_frames, self.max_seconds = max_frames, max_seconds
        self.codec = ctx.name or "?"
        self.vfr = False

    def info(self) -> VideoInfo:
        return VideoInfo(self.width, self.height, self.fps, self.declared, self.duration, self.codec)

    def _decoded(self) -> Iterator[tuple[float | None, Any]]:
        import av

        count = 0
        try:
            for frame in self.container.decode(self.stream):
                count += 1
                t = float(frame.pts * frame.time_base) if frame.pts is not None and frame.time_base else None
                yield t, frame
        except av.FFmpegError as exc:
            if count == 0:
                raise MediaError(self.label, f"the video data is corrupt ({_short(exc)})") from None
            raise MediaError(
                self.label, f"the video data is truncated or corrupt after frame {count} ({_short(exc)})"
            ) from None

    def frames(self) -> Iterator[np.ndarray]:
        """Every frame at the constant rate ``fps`` (VFR resampled by timestamp)."""
        step = 1.0 / self.fps
        prev, start, slot, emitted, last_t, prev_t = None, None, 0, 0, None, 0.0
        try:
            for t, frame in self._decoded():
                arr = frame.to_ndarray(format="rgb24")
                if arr.shape[:2] != (self.height, self.width):
                    raise MediaError(
                        self.label,
                        f"frame size changes mid-stream ({self.width}x{self.height} -> "
                        f"{arr.shape[1]}x{arr.shape[0]}); re-encode it at one size",
                    )
                if t is None or (last_t is not None and t <= last_t):
                    t = (last_t + step) if last_t is not None else 0.0
                if last_t is not None and abs((t - last_t) - step) > 0.25 * step:
                    self.vfr = True
                last_t = t
                start = t if start is None else start
                rel = t - start
                if prev is not None and (rel - (slot + 1) * step) / step > MAX_GAP_FRAMES:
                    raise MediaError(
                        self.label,
                        f"two frames are {t - prev_t:,.1f} s apart (timestamps); filling "
                        f"the gap would repeat one frame {int((rel - slot * step) / step):,} "
                        f"times, over the limit of {MAX_GAP_FRAMES:,}; re-encode it at a "
                        "constant frame rate",
                    )
                while prev is not None and slot * step < rel - 0.5 * step:
                    yield prev
                    slot, emitted = slot + 1, emitted + 1
                    self._check_cap(emitted)
                prev_t = t
                prev = arr
            if prev is not None:
                yield prev
                emitted += 1
        finally:
            self.container.close()
        if emitted == 0:
            raise MediaError(self.label, "the video has no decodable frames (0 frames)")
        if self.declared > 8 and emitted < 0.5 * self.declared:
            raise MediaError(
                self.label, f"the video is truncated: the header declares {self.declared} frames, only {emitted} decode"
            )

    def _check_cap(self, emitted: int) -> None:
        if emitted > self.max_frames or emitted / self.fps > self.max_seconds:
            raise MediaError(
                self.label,
                f"the video runs past the cap of {self.max_frames:,} frames or "
                f"{self.max_seconds:g} s; cut it shorter or raise [store] "
                "max_video_frames / max_video_seconds",
            )


class FrameStream:
    """An iterator of HxWx3 uint8 RGB frames; ``vfr`` is True once variable frame rate was seen."""

    def __init__(self, decoder: _Decoder):
        self._decoder = decoder
        self._frames = decoder.frames()

    def __iter__(self) -> FrameStream:
        return self

    def __next__(self) -> np.ndarray:
        return next(self._frames)

    def close(self) -> None:
        self._frames.close()

    @property
    def vfr(self) -> bool:
        return self._decoder.vfr


def open_video(
    source: str | os.PathLike[str] | bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_frames: int = DEFAULT_MAX_FRAMES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    name: str | None = None,
    allowed_roots: list[Any] | None = None,
) -> tuple[VideoInfo, FrameStream]:
    """Open a video file (path or bytes): its header info and an iterator of HxWx3 uint8 RGB
    frames at a constant rate. The header is checked now; corruption found while decoding
    raises :class:`MediaError` from the iterator.

    Args:
        max_pixels: per-frame pixel limit (checked from the header before decoding).
        max_frames, max_seconds: length caps; a longer clip is an error, never silently cut.
        allowed_roots: when given, a path must resolve inside one of these folders.
    """
    label = _label(source, name)
    dec = _Decoder(_open_container(source, label, allowed_roots), label, max_pixels, max_frames, max_seconds)
    return dec.info(), FrameStream(dec)


def _even(n: int) -> int:
    return max(2, n - n % 2)


class VideoWriter:
    """Encode frames one at a time: lossless RGB H.264 (store) or yuv420p H.264 (preview)."""

    def __init__(self, target: Any, fps: float, lossless: bool = True):
        import av

        self.container = av.open(target, mode="w", format="mp4")
        self.fps, self.lossless, self.stream = fps, lossless, None
        self.frames = 0
        self._av = av

    def _open_stream(self, w: int, h: int) -> None:
        if max(w, h) > MAX_SIDE:  # a step's video from a 30000x2 picture: a failed step in words
            self.container.close()
            raise ToolFailed(
                f"a video of {w}x{h} cannot be made: over {MAX_SIDE:,} pixels a side, which H.264 (the codec "
                "clips are kept in) cannot hold; resize or crop the picture first"
            )
        rate = Fraction(self.fps).limit_denominator(1001)
        if self.lossless:
            self.stream = self.container.add_stream("libx264rgb", rate=rate)
            self.stream.pix_fmt = "rgb24"
            self.stream.options = {"crf": "0", "preset": "ultrafast"}
            self.stream.width, self.stream.height = w, h
        else:
            self.stream = self.container.add_stream("libx264", rate=rate)
            self.stream.pix_fmt = "yuv420p"
            self.stream.options = {"crf": "23", "preset": "veryfast", "movflags": "+faststart"}
            self.stream.width, self.stream.height = _even(w), _even(h)

    def add(self, frame: np.ndarray) -> None:
        arr = np.ascontiguousarray(frame)
        if arr.dtype != np.uint8 or arr.ndim != 3 or arr.shape[2] != 3:
            raise ValueError(f"video frames must be HxWx3 uint8 RGB, got shape {arr.shape} dtype {arr.dtype}")
        if self.stream is None:
            self._open_stream(arr.shape[1], arr.shape[0])
        if not self.lossless:
            arr = np.ascontiguousarray(arr[: self.stream.height, : self.stream.width])
        elif arr.shape[:2] != (self.stream.height, self.stream.width):
            raise ValueError(
                f"frame {self.frames} is {arr.shape[1]}x{arr.shape[0]}, the video is "
                f"{self.stream.width}x{self.stream.height}; every frame must have the same size"
            )
        vf = self._av.VideoFrame.from_ndarray(arr, format="rgb24")
        for packet in self.stream.encode(vf):
            self.container.mux(packet)
        self.frames += 1

    def close(self) -> None:
        if self.stream is not None:
            for packet in self.stream.encode():
                self.container.mux(packet)
        self.container.close()


def write_video(frames: Iterable[np.ndarray], path: str | os.PathLike[str], fps: float, lossless: bool = True) -> int:
    """Encode ``frames`` (HxWx3 uint8 RGB, all one size) to an mp4 at ``path``; the frame count."""
    writer = VideoWriter(str(path), fps, lossless)
    try:
        for frame in frames:
            writer.add(frame)
        if writer.frames == 0:
            raise ValueError("a video needs at least one frame")
    finally:
        writer.close()
    return writer.frames


def write_preview(frames: Iterable[np.ndarray], path: str | os.PathLike[str], fps: float, max_side: int = 480) -> int:
    """A small browser-playable H.264 (yuv420p) copy, downscaled to ``max_side`` pixels."""
    import cv2

    def scaled() -> Iterator[np.ndarray]:
        for frame in frames:
            h, w = frame.shape[:2]
            s = min(1.0, max_side / max(h, w))
            yield (
                cv2.resize(frame, (_even(round(w * s)), _even(round(h * s))), interpolation=cv2.INTER_AREA)
                if s < 1 or h % 2 or w % 2
                else frame
            )

    return write_video(scaled(), path, fps, lossless=False)


def sample_indices(
    frames: int,
    fps: float,
    *,
    k: int | None = None,
    every: int | None = None,
    start: float | None = None,
    end: float | None = None,
) -> list[int]:
    """Frame indices of a clip of ``frames`` frames at ``fps``: inside ``[start, end)`` seconds,
    then every ``every``-th frame, then ``k`` spread uniformly (first and last included)."""
    if frames <= 0:
        return []
    lo = 0 if start is None else max(0, int(np.ceil(start * fps - 1e-9)))
    hi = frames if end is None else min(frames, int(np.ceil(end * fps - 1e-9)))
    if lo >= hi:
        raise ValueError(f"the time range {start}-{end} s holds no frame of this {frames / fps:.2f} s clip")
    idx = list(range(lo, hi, max(1, every or 1)))
    if k is not None and k < len(idx):
        if k <= 0:
            raise ValueError(f"k must be at least 1, got {k}")
        pick = np.linspace(0, len(idx) - 1, k).round().astype(int) if k > 1 else np.array([len(idx) // 2])
        idx = [idx[i] for i in dict.fromkeys(pick.tolist())]
    return idx


def count_frames(path: str | os.PathLike[str]) -> int:
    """Frames of a stored (trusted) video, by decoding it."""
    info, frames = open_video(path, max_pixels=2**62, max_frames=2**62, max_seconds=float("inf"))
    return sum(1 for _ in frames)


class VideoClip:
    """Lazy access to a stored clip. Frames are HxWx3 uint8 RGB, read-only.

    ``frames(indices)`` decodes in one forward pass, keeping only the asked-for frames,
    so sampling a long clip holds one frame at a time; a short clip (under the store's
    ``clip_cache_bytes``) is decoded once and kept in the store's LRU. ``store`` is any object
    with ``dir``, ``session``, ``cache``, ``clip_cache_bytes`` and ``_cache_put`` (the
    ArtifactStore): this module is a codec and imports no store.
    """

    def __init__(self, store: Any, ref: Any):
        self.store, self.ref = store, ref
        self.path = store.dir / f"{ref.id}.mp4"

    def __len__(self) -> int:
        return self.ref.frames

    @property
    def fps(self) -> float:
        return self.ref.fps

    def _cached(self) -> np.ndarray | None:
        return self.store.cache.get((self.store.session, "video", self.ref.id))

    def frames(self, indices: Any = None) -> Any:
        """Yield the frames at ``indices`` (any iterable of ints, in ascending order; default all)."""
        wanted = None if indices is None else sorted(set(int(i) for i in indices))
        if wanted is not None and wanted and not (0 <= wanted[0] and wanted[-1] < self.ref.frames):
            raise IndexError(f"frame indices {wanted[0]}..{wanted[-1]} fall outside this {self.ref.frames}-frame clip")
        clip = self._cached()
        if clip is None:
            clip = self._verify()  # the whole clip when it is small (decoded once), else None
        if clip is not None:
            yield from (clip[i] for i in (wanted if wanted is not None else range(len(clip))))
            return
        stream = self._open()
        want = set(wanted) if wanted is not None else None
        last = wanted[-1] if wanted else None
        for i, frame in enumerate(stream):
            if want is None or i in want:
                frame.flags.writeable = False
                yield frame
            if last is not None and i >= last:
                stream.close()
                return

    def _open(self) -> FrameStream:
        """The stored file's frames, decoded under the ref's size and length and the store's upload
        caps (a file swapped in shared storage cannot decode into more than the clip it replaced)."""
        st, ref = self.store, self.ref
        _, stream = open_video(
            self.path,
            max_pixels=min(ref.width * ref.height, getattr(st, "max_pixels", DEFAULT_MAX_PIXELS)),
            max_frames=min(ref.frames, getattr(st, "max_video_frames", DEFAULT_MAX_FRAMES)),
            max_seconds=getattr(st, "max_video_seconds", DEFAULT_MAX_SECONDS),
            name=f"stored video {ref.id[:12]}",
        )
        return stream

    def _verify(self) -> np.ndarray | None:
        """Check the file against the clip's id before any frame is used (the store's
        ``verify_clip``: storage checks belong to the store, this module is a codec). Returns the
        decoded clip when it is small enough for the store's LRU, else None."""
        return self.store.verify_clip(self)

    def frame(self, index: int) -> np.ndarray:
        """One frame (negative indices count from the end)."""
        i = index + self.ref.frames if index < 0 else index
        return next(iter(self.frames([i])))

    def sample(
        self, k: int | None = None, every: int | None = None, start: float | None = None, end: float | None = None
    ) -> list[int]:
        """Indices of a sample: ``k`` uniform frames, every ``every``-th, inside ``[start, end)`` seconds."""
        return sample_indices(self.ref.frames, self.ref.fps, k=k, every=every, start=start, end=end)

    def array(self, indices: Any = None) -> np.ndarray:
        """The frames at ``indices`` stacked as TxHxWx3 (mind the memory for long clips)."""
        return np.stack(list(self.frames(indices)))
