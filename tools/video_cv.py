"""Video tools with cv backends (no weights): edit_video, describe_video, frame, animate.

* ``edit_video`` -- the image edit operations (recolor, remove, blur, background ...)
  applied frame by frame inside or outside a mask track (from ``track``), with the
  track smoothed over time (a majority vote over neighbouring frames) so edges do not
  flicker; frame count, rate and size are kept, and pixels outside the edited region
  are untouched (the store keeps video lossless).
* ``describe_video`` -- duration, rate, motion energy, scene cuts, colours and
  brightness over time, and where a tracked target goes.
* ``frame`` -- one frame as an image, so image tools chain after video tools.
* ``animate`` -- a still image to a clip by camera motion (zoom, pan); no scene motion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import ImageRef, MaskRef, MaskTrackRef, VideoRef
from vitron_agent.perception.colors import COLORS, parse_color_value
from vitron_agent.perception.edit_ops import bright_top
from vitron_agent.toolkit.registry import Backend, StepWords, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.edit import NEEDS_MASK, EditOperation, TextPlace, apply_edit, edit_phrase
from vitron_agent.tools.video_clip_parts import ClipPart, part_frames, part_said

__all__ = [
    "EditVideoInput",
    "EditVideoOutput",
    "CvEditVideoTool",
    "DescribeVideoInput",
    "DescribeVideoOutput",
    "CvDescribeVideoTool",
    "FrameInput",
    "FrameOutput",
    "FrameTool",
    "AnimateInput",
    "AnimateOutput",
    "CvAnimateTool",
    "smoothed_masks",
    "edit_frames",
    "selected_frames",
    "check_edit_video",
]


class EditVideoInput(BaseModel):
    video: VideoRef = Field(description="the video to edit")
    operation: EditOperation = Field(description="what to do on each frame")
    track: MaskTrackRef | None = Field(
        default=None, description="where to edit on each frame (from a track step); none = whole frame"
    )
    mask: MaskRef | None = Field(default=None, description="one mask used on every frame (instead of a track)")
    where: Literal["inside", "outside"] = Field(
        default="inside", description="edit inside the mask (foreground) or outside it (background)"
    )
    color: str | None = Field(
        default=None,
        max_length=30,
        description=f"colour for recolor / replace_background / keep_only: a name ({', '.join(COLORS)}) or #rrggbb",
    )
    amount: float = Field(default=0.5, ge=0.0, le=1.0, description="strength of brighten/darken/contrast/blur (0..1)")
    smooth: int = Field(
        default=1, ge=0, le=5, description="temporal smoothing of the track, in frames each side (0 = none)"
    )
    start: float | None = Field(default=None, ge=0, description="edit only from this time (seconds)")
    end: float | None = Field(default=None, gt=0, description="edit only up to this time (seconds)")
    part: ClipPart | None = Field(
        default=None,
        description="edit only this part of the clip: a shot, a half or third, the part where a thing is seen, "
        "or the last N seconds (instead of start/end)",
    )
    direction: Literal["horizontal", "vertical"] = Field(
        default="horizontal", description="flip: left-right (horizontal) or upside down (vertical)"
    )
    text: str | None = Field(default=None, max_length=300, description="text: the words to write on every frame")
    place: TextPlace = Field(
        default="bottom", description="text: where (a caption at the bottom, a title at the top, ...)"
    )


class EditVideoOutput(BaseModel):
    video: VideoRef = Field(description="the edited video (same frames, rate and size)")
    edited: str = Field(
        default="", description="the part of the clip edited with its times, when a part was asked ('' otherwise)"
    )


def check_edit_video(inp: EditVideoInput, operations_needing_mask: tuple[str, ...] = NEEDS_MASK) -> None:
    v = inp.video
    if inp.operation in ("crop", "rotate", "resize", "border", "trim"):
        raise ValueError(
            f"{inp.operation} changes the frame size, which edit_video keeps: use transform_video (rotate, "
            "resize, crop), or take a frame first (frame)"
        )
    if inp.operation == "text" and not (inp.text or "").strip():
        raise ValueError("text needs the words to write, e.g. text='Happy birthday'")
    if inp.operation == "text":
        from vitron_agent.perception.looks import text_misfit, undrawable

        v = inp.video
        if problem := undrawable(inp.text or "") or text_misfit(
            v.width, v.height, inp.text or "", inp.place, inp.amount
        ):
            raise ValueError(problem)
    if inp.operation in ("cutout", "composite"):
        raise ValueError(
            f"{inp.operation} works on images (videos here have no transparency); take a frame first "
            "(frame), or use keep_only / replace_background on every frame"
        )
    if inp.operation in operations_needing_mask and inp.track is None and inp.mask is None:
        raise ValueError(
            f"operation {inp.operation!r} needs a track (or a mask); track the target first and pass its track"
        )
    if inp.track is not None and inp.mask is not None:
        raise ValueError("give a track or a mask, not both")
    if inp.operation == "recolor" and not inp.color:
        raise ValueError("recolor needs a color, e.g. color='blue' or '#3050d0'")
    if inp.color is not None and parse_color_value(inp.color) is None:
        raise ValueError(f"color {inp.color!r} is neither a known colour ({', '.join(COLORS)}) nor #rrggbb")
    for what, ref in (("track", inp.track), ("mask", inp.mask)):
        if ref is not None and (ref.width, ref.height) != (v.width, v.height):
            raise ValueError(f"{what} is {ref.width}x{ref.height} but the video is {v.width}x{v.height}")
    if inp.track is not None and inp.track.frames != v.frames:
        raise ValueError(f"the track has {inp.track.frames} frames but the video has {v.frames}; track this video")
    if inp.start is not None and inp.end is not None and inp.end <= inp.start:
        raise ValueError(f"end ({inp.end} s) must come after start ({inp.start} s)")
    if inp.part is not None and (inp.start is not None or inp.end is not None):
        raise ValueError("give a part or start/end times, not both")


def edited_span(store, inp: EditVideoInput, ctx: ToolContext) -> tuple[list[tuple[int, int]], str]:
    """The frame spans ``[lo, hi)`` the edit applies to, and the words that say which part was edited when
    ``part`` chose it ("the last shot of 3, 0:04 to 0:06"; "" otherwise: the phrase says start / end)."""
    n, fps = inp.video.frames, inp.video.fps
    if inp.part is not None:
        spans, said = part_frames(store, inp.video, inp.part, ctx)
        return spans, said
    lo = 0 if inp.start is None else int(np.ceil(inp.start * fps - 1e-9))
    hi = n if inp.end is None else min(n, int(np.ceil(inp.end * fps - 1e-9)))
    return [(lo, hi)], ""


def smoothed_masks(store, track: MaskTrackRef, radius: int) -> Iterator[np.ndarray]:
    """The track's HxW bool masks in order, each the majority vote of the frames within ``radius``
    (one frame of the window per pixel decides ties towards outside)."""
    n = track.frames
    window: dict[int, np.ndarray] = {}
    for t in range(n):
        lo, hi = max(0, t - radius), min(n - 1, t + radius)
        for j in range(lo, hi + 1):
            if j not in window:
                window[j] = store.get_track_frame(track, j)
        for j in [j for j in window if j < lo]:
            del window[j]
        if hi - lo + 1 < 3:
            yield window[t]
            continue
        votes = np.sum([window[j] for j in range(lo, hi + 1)], axis=0, dtype=np.int32)
        yield votes * 2 > (hi - lo + 1)


def selected_frames(
    store, inp: EditVideoInput, ctx: ToolContext, spans: list[tuple[int, int]] | None = None
) -> Iterator[tuple[int, np.ndarray, np.ndarray | None, bool]]:
    """``(index, frame, mask or None, selected)`` for every frame of ``inp.video``; ``selected``: the
    frame lies in ``spans`` (default: :func:`edited_span`'s) and has something to edit. Reports progress;
    stops when cancelled."""
    n = inp.video.frames
    if spans is None:
        spans, _ = edited_span(store, inp, ctx)
    static = store.get_mask(inp.mask) if inp.mask is not None else None
    masks = smoothed_masks(store, inp.track, inp.smooth) if inp.track is not None else None
    for i, frame in enumerate(store.get_video(inp.video).frames()):
        if ctx.cancelled.is_set():
            raise ToolFailed("the video edit was cancelled")
        mask = next(masks) if masks is not None else static
        if i % 8 == 0:
            ctx.progress(0.05 + 0.9 * i / n, f"edited {i}/{n} frames")
        inside = any(lo <= i < hi for lo, hi in spans)
        yield i, frame, mask, inside and (mask is None or mask.any() or inp.where == "outside")


def edit_frames(
    store, inp: EditVideoInput, ctx: ToolContext, edit_one, spans: list[tuple[int, int]] | None = None
) -> Iterator[np.ndarray]:
    """Frames of ``inp.video`` with ``edit_one(frame, mask | None, index)`` applied to the selected ones."""
    for i, frame, mask, selected in selected_frames(store, inp, ctx, spans):
        yield edit_one(frame, mask, i) if selected else frame


class CvEditVideoTool(VisionTool):
    name = "edit_video"
    description = (
        "Edit a video frame by frame inside or outside a tracked target (foreground / background): "
        "recolor, remove, blur, blur or replace the background, keep only the target, grayscale, "
        "brighten, darken, contrast. Keeps frame count, rate and size. cv backend."
    )
    Input = EditVideoInput
    Output = EditVideoOutput
    backend = "cv"

    def check_inputs(self, inp: EditVideoInput, ctx: ToolContext) -> None:
        check_edit_video(inp)

    def run(self, inp: EditVideoInput, ctx: ToolContext) -> EditVideoOutput:
        first: dict[str, float] = {}

        def one(frame: np.ndarray, mask: np.ndarray | None, i: int) -> np.ndarray:
            if "top" not in first:  # brighten exposes every frame as the first: no flicker
                first["top"] = bright_top(frame) if inp.operation == "brighten" else 255.0
            return apply_edit(
                frame,
                mask,
                inp.operation,
                inp.where,
                inp.color,
                inp.amount,
                direction=inp.direction,
                top=first["top"],
                text=inp.text,
                place=inp.place,
            )

        from vitron_agent.media.audio import get_audio

        # the same frames at the same rate: the clip's sound is kept (it had been dropped without a word)
        sound = get_audio(ctx.store, inp.video.audio)
        spans, said = edited_span(ctx.store, inp, ctx)
        frames = edit_frames(ctx.store, inp, ctx, one, spans)
        ref = ctx.store.put_video(frames, inp.video.fps, ctx.step_id, audio=sound)
        return EditVideoOutput(video=ref, edited=said)


class DescribeVideoInput(BaseModel):
    video: VideoRef = Field(description="the video to describe")
    track: MaskTrackRef | None = Field(default=None, description="a tracked target to describe (from a track step)")
    question: str | None = Field(
        default=None, max_length=500, description="a question to answer instead of a description"
    )
    frames: int = Field(default=8, ge=1, le=64, description="how many frames to sample for colours (or for a VLM)")


class DescribeVideoOutput(BaseModel):
    text: str = Field(description="the description or the answer")
    motion: float = Field(description="mean absolute change between consecutive frames (0..255)")
    cuts: int = Field(description="scene cuts found")


def video_facts(store, video: VideoRef, track: MaskTrackRef | None, k: int, ctx: ToolContext) -> dict:
    """Measured facts: duration, motion, cuts, colours / brightness at sampled frames, target path."""
    from vitron_agent.perception.colors import name_colors, rgb_to_lab
    from vitron_agent.tools.track import _thumb

    clip = store.get_video(video)
    samples = set(clip.sample(k=k))
    diffs, prev, colors, light = [], None, [], []
    for i, frame in enumerate(clip.frames()):
        th = _thumb(frame)
        if prev is not None:
            diffs.append(float(np.abs(th - prev).mean()))
        prev = th
        if i in samples:
            colors.append(name_colors(frame.reshape(-1, 3), k=3))
            light.append(float(rgb_to_lab(frame.reshape(-1, 3)[::7])[:, 0].mean()))
        if i % 16 == 0:
            ctx.progress(0.05 + 0.8 * i / video.frames, f"read {i}/{video.frames} frames")
    d = np.array(diffs) if diffs else np.zeros(1)
    typical = float(np.median(d))
    cuts = int(sum(x > max(20.0, 4.0 * typical) for x in diffs))
    facts = {
        "width": video.width,
        "height": video.height,
        "frames": video.frames,
        "fps": video.fps,
        "duration": video.frames / video.fps,
        "motion": float(d.mean()),
        "cuts": cuts,
        "colors": colors,
        "lightness": light,
    }
    if track is not None:
        facts["target"] = track_facts(store, track, video)
    return facts


def track_facts(store, track: MaskTrackRef, video: VideoRef) -> dict:
    from vitron_agent.perception.masks import position_name

    cents, areas = [], []
    for i in range(track.frames):
        m = store.get_track_frame(track, i)
        if m.any():
            ys, xs = np.nonzero(m)
            cents.append((i, float(xs.mean()), float(ys.mean())))
            areas.append(float(m.mean()))
    if not cents:
        return {"present": 0}
    (f0, x0, y0), (f1, x1, y1) = cents[0], cents[-1]
    dist = float(np.hypot(x1 - x0, y1 - y0))
    path = sum(float(np.hypot(b[1] - a[1], b[2] - a[2])) for a, b in zip(cents, cents[1:], strict=False))
    seconds = max(1e-6, (f1 - f0) / video.fps)
    return {
        "present": len(cents),
        "first": f0,
        "last": f1,
        "area": float(np.mean(areas)),
        "start": position_name(x0, y0, video.width, video.height),
        "end": position_name(x1, y1, video.width, video.height),
        "direction": _direction(x1 - x0, y1 - y0, video),
        "distance": dist,
        "speed": path / seconds,
    }


def _direction(dx: float, dy: float, video: VideoRef) -> str:
    if np.hypot(dx, dy) < 0.05 * max(video.width, video.height):
        return "stays in place"
    parts = []
    if abs(dy) > 0.4 * abs(dx):
        parts.append("down" if dy > 0 else "up")
    if abs(dx) > 0.4 * abs(dy):
        parts.append("right" if dx > 0 else "left")
    return "moves " + " and ".join(parts)


def _color_timeline(colors: list[list[tuple[str, float]]]) -> str:
    first, last = colors[0][0][0], colors[-1][0][0]
    if first == last:
        return f"mostly {first} throughout"
    return f"mostly {first} at the start and {last} at the end"


def describe_video_text(facts: dict) -> str:
    f = facts
    motion = (
        "almost static" if f["motion"] < 1.0 else "with little motion" if f["motion"] < 4 else "with a lot of motion"
    )
    parts = [
        f"A {f['duration']:.1f} s video ({f['frames']} frames at {f['fps']:g} fps, {f['width']}x{f['height']}), "
        f"{motion} (mean frame change {f['motion']:.1f}/255), {_color_timeline(f['colors'])}."
    ]
    if f["cuts"]:
        parts.append(f"It has {f['cuts']} scene cut{'s' if f['cuts'] > 1 else ''}.")
    light = f["lightness"]
    if len(light) > 1 and light[-1] < light[0] - 12:
        parts.append(f"It gets darker over time (lightness {light[0]:.0f} -> {light[-1]:.0f}/100).")
    elif len(light) > 1 and light[-1] > light[0] + 12:
        parts.append(f"It gets brighter over time (lightness {light[0]:.0f} -> {light[-1]:.0f}/100).")
    t = f.get("target")
    if t is not None:
        if not t["present"]:
            parts.append("The tracked target is not found on any frame.")
        else:
            parts.append(
                f"The tracked target is visible on {t['present']} of {f['frames']} frames, covers "
                f"{100 * t['area']:.1f}% of the frame on average, starts at the {t['start']} and "
                f"{t['direction']}, ending at the {t['end']} ({t['speed']:.0f} px/s)."
            )
    parts.append("(cv description: motion, colours and geometry only; no object or action recognition.)")
    return " ".join(parts)


def _video_answer(question: str, f: dict) -> str | None:
    import re

    q = question.lower()
    t = f.get("target")
    if re.search(r"\bwhere\b|\bgo(es)?\b|\bmove|\bdirection\b|\bpath\b", q) and t and t.get("present"):
        return f"The target starts at the {t['start']} and {t['direction']}, ending at the {t['end']}."
    if re.search(r"\bhow many frames\b|\bnumber of frames\b|\bframe count\b", q):
        return f"The video has {f['frames']} frames ({f['duration']:.1f} s at {f['fps']:g} fps)."
    if re.search(r"\bhow long\b|\bduration\b|\bseconds\b", q):
        return f"The video lasts {f['duration']:.1f} s ({f['frames']} frames at {f['fps']:g} fps)."
    if re.search(r"\bfast\b|\bspeed\b", q) and t and t.get("present"):
        return f"The target moves at about {t['speed']:.0f} pixels per second."
    if re.search(r"\bcolou?rs?\b", q):
        return f"The video is {_color_timeline(f['colors'])}."
    if re.search(r"\bcuts?\b|\bscenes?\b|\bshots?\b", q):
        return f"I found {f['cuts']} scene cut(s)."
    return None


class CvDescribeVideoTool(VisionTool):
    name = "describe_video"
    description = (
        "Describe a video or answer a question about it: duration, motion, scene cuts, colours and "
        "brightness over time, and where a tracked target goes. cv backend: no object or action recognition."
    )
    Input = DescribeVideoInput
    Output = DescribeVideoOutput
    backend = "cv"

    def check_inputs(self, inp: DescribeVideoInput, ctx: ToolContext) -> None:
        if inp.track is not None and inp.track.frames != inp.video.frames:
            raise ValueError(f"the track has {inp.track.frames} frames but the video has {inp.video.frames}")

    def run(self, inp: DescribeVideoInput, ctx: ToolContext) -> DescribeVideoOutput:
        from vitron_agent.tools.describe import CANNOT_ANSWER

        facts = video_facts(ctx.store, inp.video, inp.track, inp.frames, ctx)
        text = describe_video_text(facts)
        if inp.question:
            text = _video_answer(inp.question, facts) or CANNOT_ANSWER
        return DescribeVideoOutput(text=text, motion=round(facts["motion"], 3), cuts=facts["cuts"])


class FrameInput(BaseModel):
    video: VideoRef = Field(description="the video")
    index: int | None = Field(default=None, ge=0, description="frame number (0 = first)")
    time: float | None = Field(default=None, ge=0, description="time in seconds (instead of index)")
    position: Literal["first", "middle", "last"] | None = Field(default=None, description="instead of index or time")
    visible: str | None = Field(
        default=None,
        max_length=200,
        description="instead of index or time: a frame where this target is visible ('a still of the cat'), "
        "the middle of the longest stretch it is seen",
    )


class FrameOutput(BaseModel):
    image: ImageRef = Field(description="the frame as an image")
    index: int = Field(description="which frame it is")
    text: str | None = Field(default=None, description="which frame was taken and why, when chosen by what is seen")


class FrameTool(VisionTool):
    name = "frame"
    description = "Take one frame of a video as an image (by number, time in seconds, or first/middle/last)."
    Input = FrameInput
    Output = FrameOutput
    backend = "cv"

    def check_inputs(self, inp: FrameInput, ctx: ToolContext) -> None:
        n = inp.video.frames
        if inp.visible is not None:
            from vitron_agent.tools.video_time import NOT_RECOGNISABLE, recogniser

            if sum(x is not None for x in (inp.index, inp.time, inp.position)):
                raise ValueError("give visible='<target>' or a frame index, time or position, not both")
            if recogniser(inp.visible) is None:
                raise ValueError(NOT_RECOGNISABLE.format(target=inp.visible))
        if inp.index is not None and inp.index >= n:
            raise ValueError(f"frame {inp.index} is outside the {n}-frame video (0..{n - 1})")
        if inp.time is not None and inp.time >= n / inp.video.fps:
            raise ValueError(f"time {inp.time} s is past the end of the {n / inp.video.fps:.2f} s video")

    def run(self, inp: FrameInput, ctx: ToolContext) -> FrameOutput:
        n = inp.video.frames
        if inp.visible is not None:
            return self._visible(inp, ctx)
        if inp.index is not None:
            i = inp.index
        elif inp.time is not None:
            i = min(n - 1, int(inp.time * inp.video.fps))
        else:
            i = {"first": 0, "middle": n // 2, "last": n - 1}[inp.position or "first"]
        frame = ctx.store.get_video(inp.video).frame(i)
        return FrameOutput(image=ctx.store.put_image(np.ascontiguousarray(frame), producer=ctx.step_id), index=i)

    def _visible(self, inp: FrameInput, ctx: ToolContext) -> FrameOutput:
        """The middle frame of the longest stretch where ``inp.visible`` is seen (the thing well inside the
        stretch, not at a cut or an edge); none found is a failure that says how it looked."""
        from vitron_agent.tools.video_time import clock, find_ranges

        v = inp.video
        found = find_ranges(ctx.store, v, inp.visible, None, ctx)
        if not found.ranges:
            raise ToolFailed(f"I did not find {inp.visible} in the video ({found.how}); no still taken")
        a, b = max(found.ranges, key=lambda r: r[1] - r[0])
        i = min(v.frames - 1, int((a + b) / 2 * v.fps))
        frame = ctx.store.get_video(v).frame(i)
        spans = ", ".join(f"{clock(x)} to {clock(y)}" for x, y in found.ranges)
        text = (
            f"I took frame {i} (at {clock(i / v.fps)}), in the middle of the longest stretch where {inp.visible} "
            f"is visible (seen {spans}; {found.how})."
        )
        image = ctx.store.put_image(np.ascontiguousarray(frame), producer=ctx.step_id)
        return FrameOutput(image=image, index=i, text=text)


class AnimateInput(BaseModel):
    image: ImageRef = Field(description="the still image to animate")
    prompt: str | None = Field(
        default=None,
        max_length=1000,
        description="how it should move (model backends); "
        "the cv backend reads camera words: zoom in/out, pan left/right/up/down",
    )
    motion: Literal["zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down"] | None = Field(
        default=None, description="camera motion (cv backend; default from the prompt, else zoom_in)"
    )
    frames: int | None = Field(default=None, ge=2, le=256, description="number of frames (default from config)")
    fps: float | None = Field(default=None, gt=0, le=120, description="frames per second (default from config)")
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="random seed (model backends)")


class AnimateOutput(BaseModel):
    video: VideoRef = Field(description="the clip")


_CAMERA_WORDS = (
    (
        r"\b(?:zoom(?:s|ed|ing)?|pull(?:s|ing)?|dolly(?:ing)?|move(?:s|ing)?)\s+(?:slowly\s+)?(?:out|back|away)\b",
        "zoom_out",
    ),
    (
        r"\b(?:pan(?:s|ned|ning)?|mov(?:e|es|ing)|slid(?:e|es|ing)|track(?:s|ing)?)\s+(?:slowly\s+)?(?:to\s+(?:the\s+)?)?left\b",
        "pan_left",
    ),
    (
        r"\b(?:pan(?:s|ned|ning)?|mov(?:e|es|ing)|slid(?:e|es|ing)|track(?:s|ing)?)\s+(?:slowly\s+)?(?:to\s+(?:the\s+)?)?right\b",
        "pan_right",
    ),
    (r"\b(?:pan(?:s|ned|ning)?|tilt(?:s|ed|ing)?|mov(?:e|es|ing))\s+(?:slowly\s+)?up(?:wards?)?\b", "pan_up"),
    (r"\b(?:pan(?:s|ned|ning)?|tilt(?:s|ed|ing)?|mov(?:e|es|ing))\s+(?:slowly\s+)?down(?:wards?)?\b", "pan_down"),
    (r"\bpan(?:s|ned|ning)?\b", "pan_right"),  # a pan with no side said: left to right, as text is read
)


def _camera(prompt: str | None) -> str:
    """The camera move ``prompt`` says ("zoom out", "pans to the right", "tilt up"); a zoom in when none."""
    p = (prompt or "").lower()
    for words, motion in _CAMERA_WORDS:
        if re.search(words, p):
            return motion
    return "zoom_in"


class CvAnimateTool(VisionTool):
    name = "animate"
    description = (
        "Turn a still image into a short clip. cv backend: camera motion only (zoom in/out, pan); the "
        "scene itself does not move -- configure a diffusers image-to-video pipeline for that."
    )
    Input = AnimateInput
    Output = AnimateOutput
    backend = "cv"

    def __init__(self, frames: int = 24, fps: float = 12.0, strength: float = 0.2):
        self.frames, self.fps, self.strength = frames, fps, strength

    def run(self, inp: AnimateInput, ctx: ToolContext) -> AnimateOutput:
        import cv2

        image = ctx.store.get_image(inp.image)
        h, w = image.shape[:2]
        n, motion, s = inp.frames or self.frames, inp.motion or _camera(inp.prompt), self.strength

        def frames() -> Iterator[np.ndarray]:
            for i in range(n):
                a = i / max(1, n - 1)
                zoom = 1.0 + s * (a if motion == "zoom_in" else 1 - a if motion == "zoom_out" else 1.0)
                cw, ch = w / zoom, h / zoom
                slack_x, slack_y = (w - cw) / 2, (h - ch) / 2
                dx = {"pan_left": slack_x * (1 - 2 * a), "pan_right": -slack_x * (1 - 2 * a)}.get(motion, 0.0)
                dy = {"pan_up": slack_y * (1 - 2 * a), "pan_down": -slack_y * (1 - 2 * a)}.get(motion, 0.0)
                x0, y0 = slack_x - dx, slack_y - dy
                m = np.float32([[zoom, 0, -x0 * zoom], [0, zoom, -y0 * zoom]])
                yield cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)

        ref = ctx.store.put_video(frames(), inp.fps or self.fps, producer=ctx.step_id)
        return AnimateOutput(video=ref)


def _video_edit_phrase(step: StepWords) -> str:
    """An edit of a video, said as the edit of a picture is ("blurred it", "flipped the video ..."), with
    the part of the clip it covered when the step was limited to one ("... from 0:00 to 0:03")."""
    said = edit_phrase(step, medium="video")
    start, end = step.args.get("start"), step.args.get("end")
    if isinstance(part := step.args.get("part"), dict):  # the part found on the clip, with its times
        edited = ((step.record or {}).get("outputs", {}).get("edited") or {}).get("value")
        if edited:
            return f"{said}, only {edited}; the other frames are as they were"
        return f"{said}, only {part_said(ClipPart.model_validate(part))}"
    if start is None and end is None:
        return said
    if end is None:
        return f"{said} from {float(start):g} s to the end"
    return f"{said} from {float(start or 0):g} s to {float(end):g} s only"


def _frame_phrase(step: StepWords) -> str:
    """ "took the frame at 2 s of the video", "took frame 3 ...", "took the middle frame ..." """
    args = step.args
    if args.get("time") is not None:
        which = f"the frame at {float(args['time']):g} s"
    elif args.get("index") is not None:
        which = f"frame {args['index']}"
    else:
        which = f"the {args.get('position') or 'middle'} frame"
    return f"{step.verb('took', 'take')} {which} of the video"


register(Backend("edit_video", "cv", CvEditVideoTool, default=True))
register(Backend("describe_video", "cv", CvDescribeVideoTool))  # the default: video_describe.py (embedded)
register(Backend("frame", "cv", FrameTool, default=True))
declare(
    Traits(
        "edit_video",
        role="edit",
        destructive={"remove": "remove", "keep_only": "keep only", "cutout": "cut out", "inpaint": "replace"},
        phrase=_video_edit_phrase,
    )
)
declare(Traits("frame", role="select", target="", phrase=_frame_phrase))  # selects a frame: names no target
declare(Traits("describe_video", phrase=("described the video", "describe the video")))
register(Backend("animate", "cv", CvAnimateTool, default=True))
declare(Traits("animate", phrase=("animated the picture", "animate the picture")))
