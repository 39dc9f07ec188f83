"""Joining and exporting clips: concat_videos (one clip after another) and export_gif.

Both map output frames to source frames by time (:func:`vitron_agent.tools.video_edit.remapped`),
so a second clip at another rate keeps its duration, and both say exactly what they made.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.refs import VideoRef
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.video_edit import VideoResult, _check_length, clip_line, remapped

__all__ = ["ConcatVideosTool", "ExportGifTool", "rate_mapping", "letterboxed", "gif_durations"]

MAX_GIF_FRAMES = 1000


def rate_mapping(frames: int, fps: float, new_fps: float) -> list[int]:
    """Source frame of each frame of the same clip shown at ``new_fps``: ``round(frames / fps * new_fps)``
    frames (at least one), frame j showing the source frame on screen at ``j / new_fps`` seconds."""
    n = max(1, int(round(frames / fps * new_fps)))
    return [min(frames - 1, int(np.floor(j * fps / new_fps + 1e-9))) for j in range(n)]


def letterboxed(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """``frame`` (HxWx3 uint8 RGB) scaled to fit ``width`` x ``height`` with its aspect kept, centred on black."""
    import cv2

    h, w = frame.shape[:2]
    if (w, h) == (width, height):
        return frame
    s = min(width / w, height / h)
    nw, nh = max(1, int(round(w * s))), max(1, int(round(h * s)))
    out = np.zeros((height, width, 3), np.uint8)
    x, y = (width - nw) // 2, (height - nh) // 2
    out[y : y + nh, x : x + nw] = cv2.resize(frame, (nw, nh), interpolation=cv2.INTER_AREA)
    return out


class ConcatInput(BaseModel):
    video: VideoRef = Field(description="the first clip")
    other: VideoRef = Field(description="the clip to play after it")


class ConcatVideosTool(VisionTool):
    name = "concat_videos"
    description = (
        "Join two clips one after the other. The result has the first clip's size and rate (the second is "
        "letterboxed and re-timed to them, said when it happens); sounds joined (silence for a silent part)."
    )
    Input = ConcatInput
    Output = VideoResult
    backend = "cv"

    def check_inputs(self, inp: ConcatInput, ctx: ToolContext) -> None:
        n2 = int(round(inp.other.duration * inp.video.fps))
        _check_length(inp.video.frames + n2, "joining the clips")

    def run(self, inp: ConcatInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import Audio, fit, get_audio

        a, b = inp.video, inp.other
        second = rate_mapping(b.frames, b.fps, a.fps)

        def frames() -> Iterator[np.ndarray]:
            yield from remapped(ctx.store, a, range(a.frames), ctx)
            for f in remapped(ctx.store, b, second):
                yield letterboxed(f, a.width, a.height)

        sa, sb = get_audio(ctx.store, a.audio), get_audio(ctx.store, b.audio)
        sound = None
        if sa is not None or sb is not None:
            rate = (sa or sb).rate
            channels = max(x.channels for x in (sa, sb) if x is not None)
            parts = []
            for s, seconds in ((sa, a.duration), (sb, len(second) / a.fps)):
                s = s if s is not None else Audio(np.zeros((channels, 0), np.float32), rate)
                s = _resampled(s, rate)
                samples = np.broadcast_to(s.samples, (channels, s.samples.shape[1]))
                parts.append(fit(Audio(np.ascontiguousarray(samples), rate), seconds).samples)
            sound = Audio(np.concatenate(parts, axis=1), rate)
        ref = ctx.store.put_video(frames(), a.fps, ctx.step_id, audio=sound)
        notes = []
        if (b.width, b.height) != (a.width, a.height):
            notes.append(f"the second clip ({b.width}x{b.height}) was letterboxed to {a.width}x{a.height}")
        if abs(b.fps - a.fps) > 1e-6:
            notes.append(f"the second clip was re-timed from {b.fps:g} to {a.fps:g} fps (same duration)")
        sound_text = (
            "No sound in either clip."
            if sound is None
            else "Sounds joined" + (" (silence where a clip had none)." if sa is None or sb is None else ".")
        )
        text = f"Joined {a.duration:.2f} s + {b.duration:.2f} s: {clip_line(ref)}"
        text += f" ({'; '.join(notes)})." if notes else "."
        return VideoResult(video=ref, text=f"{text} {sound_text}")


def _resampled(audio, rate: int):
    """``audio`` at ``rate`` samples per second (linear interpolation; only when two clips' rates differ)."""
    from vitron_agent.media.audio import Audio

    if audio.rate == rate or audio.samples.shape[1] == 0:
        return audio
    n = int(round(audio.samples.shape[1] * rate / audio.rate))
    x = np.arange(n) * audio.rate / rate
    return Audio(np.stack([np.interp(x, np.arange(c.shape[0]), c) for c in audio.samples]).astype(np.float32), rate)


class GifInput(BaseModel):
    video: VideoRef = Field(description="the video to export")
    fps: float | None = Field(
        default=None, gt=0, le=50, description="GIF frame rate (default: the video's, at most 12)"
    )
    width: int | None = Field(default=None, ge=16, le=1920, description="GIF width in pixels (default: at most 480)")


class GifOutput(BaseModel):
    video: VideoRef = Field(description="the GIF's frames as a clip (its rate and size)")
    gif: str = Field(description="the GIF's file name in the session's store (exported as <step>_gif.gif)")
    text: str = Field(description="frames, rate, duration and size of the GIF")


def gif_durations(frames: int, fps: float) -> list[int]:
    """Per-frame display times in ms (GIF counts in 10 ms steps), rounded cumulatively so the GIF's
    total length is the clip's to 10 ms: 12 fps gives 80, 90, 80, 80, 90, ... ms."""
    cs = [int(round(100 * (j + 1) / fps)) - int(round(100 * j / fps)) for j in range(frames)]
    return [10 * max(1, c) for c in cs]


class ExportGifTool(VisionTool):
    name = "export_gif"
    description = (
        "Export a video as an animated GIF (default: its rate up to 12 fps, at most 480 px wide; no sound: "
        "GIFs have none). Gives the file and the GIF's frames as a clip."
    )
    Input = GifInput
    Output = GifOutput
    backend = "cv"

    def _plan(self, inp: GifInput) -> tuple[float, int, int, list[int]]:
        v = inp.video
        fps = inp.fps or min(v.fps, 12.0)
        width = inp.width or min(v.width, 480)
        height = max(1, int(round(v.height * width / v.width)))
        return fps, width, height, rate_mapping(v.frames, v.fps, fps)

    def check_inputs(self, inp: GifInput, ctx: ToolContext) -> None:
        fps, _, _, mapping = self._plan(inp)
        if len(mapping) > MAX_GIF_FRAMES:
            raise ValueError(
                f"a GIF of this {inp.video.duration:.1f} s clip at {fps:g} fps would have {len(mapping)} frames, "
                f"over {MAX_GIF_FRAMES}; trim the clip first or give a lower fps"
            )

    def run(self, inp: GifInput, ctx: ToolContext) -> GifOutput:
        import cv2
        from PIL import Image

        v = inp.video
        fps, width, height, mapping = self._plan(inp)
        small = [
            cv2.resize(f, (width, height), interpolation=cv2.INTER_AREA)
            if (width, height) != (v.width, v.height)
            else f
            for f in remapped(ctx.store, v, mapping, ctx)
        ]
        ref = ctx.store.put_video(iter(small), fps, ctx.step_id)
        path = ctx.store.dir / f"{ref.id}.gif"
        images = [Image.fromarray(np.ascontiguousarray(f)) for f in small]
        images[0].save(path, save_all=True, append_images=images[1:], duration=gif_durations(len(images), fps), loop=0)
        total = sum(gif_durations(len(images), fps)) / 1000
        sound = " It has no sound (GIFs cannot carry any)." if v.audio else ""
        text = (
            f"Saved a GIF: {len(images)} frames at {fps:g} fps = {total:.2f} s, {width}x{height} "
            f"({path.stat().st_size:,} bytes).{sound}"
        )
        return GifOutput(video=ref, gif=path.name, text=text)


register(Backend("concat_videos", "cv", ConcatVideosTool, default=True))
register(Backend("export_gif", "cv", ExportGifTool, default=True))
declare(Traits("concat_videos", phrase=("joined the videos", "join the videos")))
declare(Traits("export_gif", phrase=("made a GIF", "make a GIF")))
