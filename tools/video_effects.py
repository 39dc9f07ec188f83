"""Effects a newcomer asks of a clip beside cutting and timing (their intents: ``video_effect_intents``).

* ``fade_video`` -- fade in from black and/or out to black over N seconds; the sound fades with it.
* ``freeze_frame`` -- hold the frame at a time for N seconds (the clip gets longer); silence under the hold.
* ``highlight_video`` -- keep the N seconds with the most motion: motion chooses, not meaning (said).
* ``frame_sheet`` -- every Nth frame on one contact sheet image, each labelled with its time.
* ``sharpest_frame`` -- the frame with the most fine detail (variance of the Laplacian), as an image.

All decode the clip once, frame by frame; motion and sharpness are measured on frames at most
:data:`MEASURE_SIDE` px wide (a ranking, not a size-dependent number).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import ImageRef, VideoRef
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.video_edit import VideoResult, clip_line, remapped
from vitron_agent.tools.video_time import clock

__all__ = [
    "FadeVideoTool",
    "FreezeFrameTool",
    "HighlightVideoTool",
    "FrameSheetTool",
    "SharpestFrameTool",
    "fade_gains",
    "freeze_mapping",
    "busiest_window",
    "sheet_indices",
]

MEASURE_SIDE = 320
MAX_TILES = 60  # a contact sheet of more frames is too small to see
TILE_WIDTH = 240


def _gray_small(frame: np.ndarray) -> np.ndarray:
    import cv2

    h, w = frame.shape[:2]
    s = MEASURE_SIDE / max(h, w)
    small = frame if s >= 1 else cv2.resize(frame, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_RGB2GRAY)


def _sound(ctx: ToolContext, video: VideoRef):
    from vitron_agent.media.audio import get_audio

    return get_audio(ctx.store, video.audio)


class FadeInput(BaseModel):
    video: VideoRef = Field(description="the video")
    fade: Literal["in", "out", "both"] = Field(default="out", description="fade in from black, out to black, or both")
    seconds: float = Field(default=1.0, gt=0, le=10, description="how long each fade lasts")


def fade_gains(t: np.ndarray, duration: float, fade: str, seconds: float) -> np.ndarray:
    """Brightness factor 0..1 at times ``t`` (seconds from the start) of a ``duration`` s clip: 0 at the
    very start for a fade in, 0 at the very end for a fade out, 1 outside the fades."""
    g = np.ones_like(t, dtype=np.float32)
    if fade in ("in", "both"):
        g = np.minimum(g, np.clip(t / seconds, 0, 1))
    if fade in ("out", "both"):
        g = np.minimum(g, np.clip((duration - t) / seconds, 0, 1))
    return g


class FadeVideoTool(VisionTool):
    name = "fade_video"
    description = "Fade a video in from black and/or out to black over N seconds (the sound fades with it)."
    Input = FadeInput
    Output = VideoResult
    backend = "cv"

    def check_inputs(self, inp: FadeInput, ctx: ToolContext) -> None:
        longest = inp.video.duration / (2 if inp.fade == "both" else 1)
        if inp.seconds > longest + 1e-6:
            raise ValueError(f"a {inp.seconds:g} s fade {inp.fade} does not fit the {inp.video.duration:.2f} s clip")

    def run(self, inp: FadeInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import Audio

        v = inp.video
        # frame i shows the time from i/fps to (i+1)/fps: the last frame of a fade out is black, the first of a fade in
        d = v.frames / v.fps
        t = np.arange(v.frames, dtype=np.float32) / v.fps
        t = np.where(np.arange(v.frames) == v.frames - 1, d, t) if inp.fade in ("out", "both") else t
        gains = fade_gains(t, d, inp.fade, inp.seconds)

        def frames() -> Iterator[np.ndarray]:
            for i, frame in enumerate(remapped(ctx.store, v, range(v.frames), ctx)):
                yield frame if gains[i] >= 1 else (frame.astype(np.float32) * gains[i] + 0.5).astype(np.uint8)

        audio = _sound(ctx, v)
        sound = None
        if audio is not None:
            st = np.arange(audio.samples.shape[1], dtype=np.float32) / audio.rate
            sound = Audio((audio.samples * fade_gains(st, d, inp.fade, inp.seconds)).astype(np.float32), audio.rate)
        ref = ctx.store.put_video(frames(), v.fps, ctx.step_id, audio=sound)
        what = {"in": "in from black", "out": "out to black", "both": "in from black and out to black"}[inp.fade]
        said = "the sound fades with it" if sound is not None else "the clip has no sound"
        return VideoResult(video=ref, text=f"Faded {what} over {inp.seconds:g} s: {clip_line(ref)}; {said}.")


class FreezeInput(BaseModel):
    video: VideoRef = Field(description="the video")
    time: float = Field(ge=-1, description="the moment whose frame is held (seconds); -1: the last frame")
    seconds: float = Field(default=2.0, gt=0, le=30, description="how long the frame is held")


def freeze_mapping(frames: int, index: int, hold: int) -> list[int]:
    """Source frame of each output frame: every frame once, frame ``index`` shown ``hold`` more times."""
    return [*range(index + 1), *([index] * hold), *range(index + 1, frames)]


class FreezeFrameTool(VisionTool):
    name = "freeze_frame"
    description = "Freeze frame: hold the frame at a time for N seconds, then play on (the clip gets longer)."
    Input = FreezeInput
    Output = VideoResult
    backend = "cv"

    def check_inputs(self, inp: FreezeInput, ctx: ToolContext) -> None:
        if inp.time >= inp.video.duration:
            raise ValueError(f"{clock(inp.time)} is past the end of the {clock(inp.video.duration)} clip")

    def run(self, inp: FreezeInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import Audio

        v = inp.video
        if inp.time < 0:  # "freeze the last frame": the time is the last frame's
            inp = inp.model_copy(update={"time": (v.frames - 1) / v.fps})
        index = min(v.frames - 1, int(inp.time * v.fps))
        hold = max(1, int(round(inp.seconds * v.fps)))
        audio = _sound(ctx, v)
        sound = None
        if audio is not None:  # silence under the held frame, the rest as it was
            at = min(audio.samples.shape[1], int(round((index + 1) / v.fps * audio.rate)))
            gap = np.zeros((audio.samples.shape[0], int(round(hold / v.fps * audio.rate))), np.float32)
            sound = Audio(np.concatenate([audio.samples[:, :at], gap, audio.samples[:, at:]], axis=1), audio.rate)
        mapping = freeze_mapping(v.frames, index, hold)
        ref = ctx.store.put_video(remapped(ctx.store, v, mapping, ctx), v.fps, ctx.step_id, audio=sound)
        said = "silence under the held frame" if sound is not None else "the clip has no sound"
        return VideoResult(
            video=ref,
            text=f"Held the frame at {clock(inp.time)} (frame {index}) for {hold / v.fps:.2f} s, then played on: "
            f"{clip_line(ref)} ({v.duration:.2f} s before); {said}. (For a still image: 'take the frame at "
            f"{clock(inp.time)}'.)",
        )


class HighlightInput(BaseModel):
    video: VideoRef = Field(description="the video")
    seconds: float = Field(default=5.0, gt=0, le=600, description="how long the highlight is")


def motion_per_frame(store, video: VideoRef, ctx: ToolContext) -> np.ndarray:
    """Mean absolute change (0..255) from each frame to the next, on small grey frames; length frames - 1."""
    prev, out = None, []
    for i, frame in enumerate(store.get_video(video).frames()):
        g = _gray_small(frame).astype(np.int16)
        if prev is not None:
            out.append(float(np.abs(g - prev).mean()))
        prev = g
        if i % 32 == 0:
            ctx.progress(0.05 + 0.6 * i / max(1, video.frames), f"measured motion on {i}/{video.frames} frames")
    return np.asarray(out, np.float32)


def busiest_window(motion: np.ndarray, window: int) -> int:
    """The first frame of the ``window``-frame span whose frame changes add up the most (the earliest
    of equal ones); ``motion[i]`` is the change from frame i to i + 1. Shot cuts do not count."""
    if len(motion) + 1 <= window:
        return 0
    if len(motion) >= 3:  # a shot cut is a one-frame jump, not motion: a 3-frame median drops it
        padded = np.concatenate([motion[:1], motion, motion[-1:]])
        motion = np.median(np.stack([padded[:-2], padded[1:-1], padded[2:]]), axis=0)
    sums = np.convolve(motion, np.ones(window - 1, np.float32), mode="valid")
    return int(np.argmax(sums))


class HighlightVideoTool(VisionTool):
    name = "highlight_video"
    description = (
        "A highlight: keep the N seconds of a video with the most motion (frame-to-frame change). Motion "
        "chooses, not meaning: it cannot tell what is interesting."
    )
    Input = HighlightInput
    Output = VideoResult
    backend = "cv"

    def run(self, inp: HighlightInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import cut

        v = inp.video
        window = max(2, int(round(inp.seconds * v.fps)))
        if window >= v.frames:
            return VideoResult(
                video=v,
                text=f"The clip is only {clock(v.duration)} long, so all of it is the highlight: {clip_line(v)}.",
            )
        motion = motion_per_frame(ctx.store, v, ctx)
        lo = busiest_window(motion, window)
        hi = lo + window
        audio = _sound(ctx, v)
        sound = None if audio is None else cut(audio, lo / v.fps, hi / v.fps)
        ref = ctx.store.put_video(remapped(ctx.store, v, range(lo, hi), ctx), v.fps, ctx.step_id, audio=sound)
        inside, overall = float(motion[lo : hi - 1].mean()), float(motion.mean())
        return VideoResult(
            video=ref,
            text=f"Kept {clock(lo / v.fps)} to {clock(hi / v.fps)}, the {inp.seconds:g} s with the most motion "
            f"(mean frame change {inside:.1f}/255 there, {overall:.1f} over the clip): {clip_line(ref)}. I chose by "
            "motion, not by what happens: say a span ('keep 0:03 to 0:08') if you meant another part.",
        )


class SheetInput(BaseModel):
    video: VideoRef = Field(description="the video")
    every: int | None = Field(default=None, ge=1, description="every Nth frame (10 = frames 0, 10, 20 ...)")
    count: int | None = Field(default=None, ge=1, le=MAX_TILES, description="instead: this many frames, evenly spread")


class ImageResult(BaseModel):
    image: ImageRef = Field(description="the image")
    index: int = Field(description="the frame it shows (frame_sheet: the first frame on the sheet)")
    text: str = Field(description="what it shows")


def sheet_indices(frames: int, every: int | None, count: int | None) -> list[int]:
    """The frames a sheet shows: every ``every``-th from 0, or ``count`` evenly spread (12 by default)."""
    if every is not None:
        return list(range(0, frames, every))
    n = min(frames, count or 12)
    return sorted({round(k * (frames - 1) / max(1, n - 1)) for k in range(n)})


def _tile(frame: np.ndarray, label: str) -> np.ndarray:
    import cv2

    h, w = frame.shape[:2]
    tile = cv2.resize(frame, (TILE_WIDTH, max(1, round(h * TILE_WIDTH / w))), interpolation=cv2.INTER_AREA)
    cv2.rectangle(tile, (0, 0), (8 + 9 * len(label), 18), (0, 0, 0), -1)
    cv2.putText(tile, label, (3, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (255, 255, 0), 1, cv2.LINE_AA)
    return tile


def _ordinal(n: int) -> str:
    """2 -> "2nd", 10 -> "10th", 1 -> "" ("every frame")."""
    if n == 1:
        return ""
    end = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{end}"


class FrameSheetTool(VisionTool):
    name = "frame_sheet"
    description = "Every Nth frame of a video (or N frames evenly spread) on one contact sheet image, each labelled."
    Input = SheetInput
    Output = ImageResult
    backend = "cv"

    def check_inputs(self, inp: SheetInput, ctx: ToolContext) -> None:
        n = len(sheet_indices(inp.video.frames, inp.every, inp.count))
        if n > MAX_TILES:
            least = -(-inp.video.frames // MAX_TILES)
            raise ValueError(
                f"every {_ordinal(inp.every or 1) or 'single'} frame of the {inp.video.frames}-frame clip is {n} frames; "
                f"a sheet holds at most {MAX_TILES}: ask for every {_ordinal(least)} frame or more, or for "
                f"{MAX_TILES} frames"
            )

    def run(self, inp: SheetInput, ctx: ToolContext) -> ImageResult:
        v = inp.video
        picks = sheet_indices(v.frames, inp.every, inp.count)
        tiles = [
            _tile(f, f"#{i} {clock(i / v.fps)}") for i, f in zip(picks, remapped(ctx.store, v, picks, ctx), strict=True)
        ]
        cols = min(6, len(tiles))
        rows = -(-len(tiles) // cols)
        th = tiles[0].shape[0]
        sheet = np.zeros((rows * th, cols * TILE_WIDTH, 3), np.uint8)
        for k, t in enumerate(tiles):
            sheet[(k // cols) * th : (k // cols + 1) * th, (k % cols) * TILE_WIDTH : (k % cols + 1) * TILE_WIDTH] = t
        ref = ctx.store.put_image(sheet, producer=ctx.step_id)
        which = f"every {_ordinal(inp.every)} frame" if inp.every else f"{len(picks)} frames evenly spread"
        listed = (
            ", ".join(str(i) for i in picks)
            if len(picks) <= 6
            else f"{', '.join(map(str, picks[:4]))}, ... {picks[-1]}"
        )
        return ImageResult(
            image=ref,
            index=picks[0],
            text=f"Put {which} ({len(picks)} frames: {listed}) on one contact sheet, each labelled with its number "
            "and time. For one frame as its own image, say e.g. 'take the frame at 0:04'.",
        )


class SharpestInput(BaseModel):
    video: VideoRef = Field(description="the video")


class SharpestFrameTool(VisionTool):
    name = "sharpest_frame"
    description = "The sharpest frame of a video (most fine detail: variance of the Laplacian), as an image."
    Input = SharpestInput
    Output = ImageResult
    backend = "cv"

    def run(self, inp: SharpestInput, ctx: ToolContext) -> ImageResult:
        import cv2

        v = inp.video
        best, best_i, scores = -1.0, 0, []
        for i, frame in enumerate(ctx.store.get_video(v).frames()):
            s = float(cv2.Laplacian(_gray_small(frame), cv2.CV_64F).var())
            scores.append(s)
            if s > best:
                best, best_i = s, i
            if ctx.cancelled.is_set():
                raise ToolFailed("looking for the sharpest frame was cancelled")
        frame = ctx.store.get_video(v).frame(best_i)
        ref = ctx.store.put_image(np.ascontiguousarray(frame), producer=ctx.step_id)
        median = float(np.median(scores))
        return ImageResult(
            image=ref,
            index=best_i,
            text=f"The sharpest frame is #{best_i} at {clock(best_i / v.fps)} (fine detail {best:.0f}, the clip's "
            f"median {median:.0f}; variance of the Laplacian on frames {MEASURE_SIDE} px wide). Sharp means least "
            "blurred, not best composed; across shots a busier picture scores higher than an equally sharp plain one.",
        )


for _tool in (FadeVideoTool, FreezeFrameTool, HighlightVideoTool, FrameSheetTool, SharpestFrameTool):
    register(Backend(_tool.name, "cv", _tool, default=True))
declare(Traits("fade_video", phrase=("faded the video", "fade the video")))
declare(Traits("freeze_frame", phrase=("froze a frame", "freeze a frame")))
declare(Traits("highlight_video", phrase=("kept the part with the most motion", "keep the part with the most motion")))
declare(Traits("frame_sheet", phrase=("put frames on a contact sheet", "put frames on a contact sheet")))
declare(Traits("sharpest_frame", phrase=("found the sharpest frame", "find the sharpest frame")))
