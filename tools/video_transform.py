"""``transform_video``: the geometry of a whole clip -- rotate, resize, crop -- the basics a video editor
has and that were refused here ("rotate works on images; take a frame first").

* ``rotate``: quarter turns exact (the sides swap); another angle grows the canvas to hold every pixel,
  corners black (as the picture edit does).
* ``resize``: by ``scale``, to ``width`` and/or ``height`` (the aspect kept when one is given: "720p" is
  720 lines tall); sizes are rounded to even numbers, which H.264 players expect.
* ``crop``: to a ``box`` (pixels), to an ``aspect`` ("9:16" for a phone, "square") around the centre or
  around a ``track`` (the thing followed: one steady crop that holds it in every frame where it is seen;
  a crop that follows it frame by frame would shake), or to the track alone.

Every frame is transformed once, in one forward pass; the sound is kept as it is (same length).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Box, MaskTrackRef, VideoRef
from vitron_agent.toolkit.registry import Backend, StepWords, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.video_edit import VideoResult, clip_line

__all__ = ["TransformVideoTool", "TransformInput", "output_size", "place_mask", "track_box", "MAX_FRAME_PIXELS"]

MAX_FRAME_PIXELS = 4096 * 4096  # a frame larger than this would not play anywhere (8K UHD is 33 MP: refused)


class TransformInput(BaseModel):
    video: VideoRef = Field(description="the video")
    operation: Literal["rotate", "resize", "crop", "fps"] = Field(
        description="what to do to every frame; fps: a new frame rate, the clip keeping its length"
    )
    angle: float = Field(
        default=90.0, ge=-360.0, le=360.0, description="rotate: degrees clockwise (negative: counter-clockwise)"
    )
    scale: float | None = Field(default=None, gt=0.0, le=8.0, description="resize: factor (0.5 = half size)")
    width: int | None = Field(default=None, gt=0, le=16384, description="resize: width in pixels")
    height: int | None = Field(default=None, gt=0, le=16384, description="resize: height in pixels ('720p': 720)")
    box: Box | None = Field(default=None, description="crop: the box to keep, XYXY pixels")
    aspect: str | None = Field(default=None, max_length=12, description="crop: width:height such as '9:16' or 'square'")
    track: MaskTrackRef | None = Field(default=None, description="crop: keep the thing this track follows in frame")
    part: str | None = Field(
        default=None,
        max_length=60,
        description="crop: a place on the frame by words: 'left half', 'top-right quarter', 'top 80%', 'centre'; "
        "'inside the borders' cuts off plain borders (black bars)",
    )
    margin: float = Field(default=0.1, ge=0.0, le=1.0, description="crop to a track: margin around it (fraction)")
    fps: float | None = Field(default=None, gt=0.0, le=120.0, description="fps: the new frames per second")


def _even(n: float) -> int:
    return max(2, int(round(n / 2)) * 2)


def output_size(v: VideoRef, inp: TransformInput, crop: tuple[int, int, int, int] | None) -> tuple[int, int]:
    """(width, height) of the transformed frames."""
    from vitron_agent.perception.edit_ops import resized_size, rotated_size

    if inp.operation == "rotate":
        return rotated_size(v.width, v.height, inp.angle)
    if inp.operation == "resize":
        w, h = resized_size(v.width, v.height, inp.scale, inp.width, inp.height)
        return _even(w), _even(h)
    x1, y1, x2, y2 = crop or (0, 0, v.width, v.height)
    return x2 - x1, y2 - y1


def _size_notes(v: VideoRef, inp: TransformInput, size: tuple[int, int]) -> list[str]:
    """What a resize could not do as asked (a crop says it in ``_crop``): an H.264 frame's sides are even
    and at least 2 pixels ("resize to 1x1" made 2x2, "crop the left half" of a 2x2 clip kept it whole,
    both said done without a word)."""
    from vitron_agent.perception.edit_ops import resized_size

    if inp.operation != "resize":
        return []
    asked = resized_size(v.width, v.height, inp.scale, inp.width, inp.height)
    return [] if tuple(asked) == tuple(size) else [_not_as_asked(size, asked)]


def _not_as_asked(size: tuple[int, int], asked: tuple[int, int]) -> str:
    return (
        f"I made it {size[0]}x{size[1]}, not {asked[0]}x{asked[1]}: an H.264 frame's sides are even and at "
        "least 2 pixels."
    )


def place_mask(h: int, w: int, words: str) -> np.ndarray | None:
    """The part of an ``h`` x ``w`` frame that ``words`` name by place alone (a half, a corner's quarter,
    an edge's strip, the centre), as the picture's segment tool reads them; None when they name no place."""
    from vitron_agent.perception.places import place_region

    placed = place_region(h, w, words, centre=True)
    return None if placed is None else placed[0]


_BORDERS = re.compile(r"\b(?:borders?|bars|letter-?box\w*|pillar-?box\w*|margins?)\b", re.I)
SAMPLED = 24  # frames read (evenly spread) to find a clip's plain borders


def _inside_borders(ctx: ToolContext, v: VideoRef, notes: list[str]) -> np.ndarray:
    """The part of ``v``'s frames inside their plain borders (black bars, a margin) on every sampled frame, as a
    mask a crop keeps; ToolFailed when the clip has none (a crop to "the black bars" had kept the bars)."""
    from vitron_agent.perception.borders import border_words, content_box

    step = max(1, v.frames // SAMPLED)
    box = content_box(f for i, f in enumerate(ctx.store.get_video(v).frames()) if i % step == 0)
    if box is None:
        raise ToolFailed(
            "I found no plain border along the frames' edges (black bars, a margin) in the clip, so nothing was cut "
            "off. To cut off edges anyway, crop to a part ('crop to the middle 80%') or to a shape ('crop to 16:9')"
        )
    x1, y1, x2, y2 = box
    notes.append(f"I cut off the plain borders: {border_words(box, v.width, v.height)}.")
    mask = np.zeros((v.height, v.width), bool)
    mask[y1:y2, x1:x2] = True
    return mask


def _at_rate(ctx: ToolContext, v: VideoRef, fps: float | None) -> Iterator[np.ndarray]:
    """``v``'s frames at ``fps`` frames per second over the same length: output frame j shows the source frame
    on screen at time j / fps (frames dropped to slow the rate, repeated to raise it)."""
    n_out = max(1, int(round(v.frames * (fps or v.fps) / v.fps)))
    want = [min(v.frames - 1, int(j * v.fps / (fps or v.fps) + 1e-6)) for j in range(n_out)]
    k = 0
    for i, frame in enumerate(ctx.store.get_video(v).frames()):
        while k < n_out and want[k] == i:
            yield np.ascontiguousarray(frame)
            k += 1
        if k >= n_out:
            break
        if ctx.cancelled.is_set():
            raise ToolFailed("changing the frame rate was cancelled")


def track_box(store, track: MaskTrackRef) -> tuple[np.ndarray | None, int]:
    """The union, over the frames where the track's thing is seen, of its masks (one HxW bool mask
    whose bounding box a crop keeps), and in how many frames it was seen."""
    union, seen = None, 0
    for i in range(track.frames):
        m = store.get_track_frame(track, i)
        if m.any():
            union = m.copy() if union is None else union | m
            seen += 1
    return union, seen


class TransformVideoTool(VisionTool):
    name = "transform_video"
    description = (
        "Rotate, resize or crop every frame of a video: rotate by an angle (quarter turns exact), resize by a "
        "factor or to a width/height ('720p'), crop to a box, an aspect ('9:16', 'square') or the thing a track "
        "follows. The sound is kept."
    )
    Input = TransformInput
    Output = VideoResult
    backend = "cv"

    def check_inputs(self, inp: TransformInput, ctx: ToolContext) -> None:
        from vitron_agent.perception.edit_ops import parse_aspect

        v = inp.video
        if inp.operation == "fps" and inp.fps is None:
            raise ValueError("fps needs the new frame rate, e.g. fps=12 ('make it 12 fps')")
        if inp.operation == "resize" and inp.scale is None and inp.width is None and inp.height is None:
            raise ValueError("resize needs a scale (0.5 = half size) or a width and/or height in pixels ('720p')")
        if inp.operation == "crop":
            if inp.box is None and inp.aspect is None and inp.track is None and inp.part is None:
                raise ValueError(
                    "crop needs a box, an aspect such as '9:16' or 'square', a part ('left half') or a track of "
                    "the thing to keep"
                )
            if inp.part is not None and not _BORDERS.search(inp.part) and place_mask(4, 4, inp.part) is None:
                raise ValueError(
                    f"part {inp.part!r} is not a place on the frame: say a half ('left half'), a quarter "
                    "('top-right quarter'), an edge's strip ('top 80%') or 'centre'"
                )
            if inp.aspect is not None and parse_aspect(inp.aspect) is None:
                raise ValueError(f"aspect {inp.aspect!r} is not width:height (e.g. '9:16') or 'square'")
            if inp.box is not None and (inp.box.x1 >= v.width or inp.box.y1 >= v.height):
                raise ValueError(f"the box {inp.box.x1:g},{inp.box.y1:g}.. lies outside the {v.width}x{v.height} video")
            if inp.track is not None and (inp.track.width, inp.track.height) != (v.width, v.height):
                raise ValueError("the track was made on a video of another size; track the thing on this video first")
        w, h = output_size(v, inp, None)
        if w * h > MAX_FRAME_PIXELS:
            raise ValueError(
                f"{inp.operation} would make {w}x{h} frames ({w * h / 1e6:.0f} MP), over the "
                f"{MAX_FRAME_PIXELS / 1e6:.0f} MP limit of a frame; ask for a smaller size"
            )

    def run(self, inp: TransformInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import get_audio

        v, notes = inp.video, []
        crop = self._crop(inp, ctx, notes) if inp.operation == "crop" else None
        size = output_size(v, inp, crop)
        notes.extend(_size_notes(v, inp, size))
        frames = self._frames(inp, ctx, crop, size) if inp.operation != "fps" else _at_rate(ctx, v, inp.fps)
        rate = inp.fps if inp.operation == "fps" else v.fps
        ref = ctx.store.put_video(frames, rate, ctx.step_id, audio=get_audio(ctx.store, v.audio))
        done = {
            "rotate": f"Turned the video {abs(inp.angle):g}° {'counter-clockwise' if inp.angle < 0 else 'clockwise'}",
            "resize": f"Resized the video from {v.width}x{v.height} to {size[0]}x{size[1]}",
            "crop": f"Cropped the video from {v.width}x{v.height} to {size[0]}x{size[1]}"
            + (f" (x {crop[0]}-{crop[2]}, y {crop[1]}-{crop[3]})" if crop else ""),
            "fps": f"Changed the frame rate from {v.fps:g} to {inp.fps or 0:g} fps (frames "
            + (
                "dropped"
                if (inp.fps or 0) <= v.fps
                else "repeated: no in-between frames are made, so motion is no smoother"
            )
            + ", the length kept)",
        }[inp.operation]
        sound = "sound kept" if ref.audio else "the clip has no sound"
        return VideoResult(video=ref, text=" ".join([f"{done}: {clip_line(ref)}; {sound}.", *notes]))

    def _crop(self, inp: TransformInput, ctx: ToolContext, notes: list[str]) -> tuple[int, int, int, int]:
        from vitron_agent.perception.edit_ops import crop_box

        v, mask = inp.video, None
        if inp.part is not None and inp.box is None and _BORDERS.search(inp.part):
            mask = _inside_borders(ctx, v, notes)
        elif inp.part is not None and inp.box is None:
            mask = place_mask(v.height, v.width, inp.part)
        elif inp.track is not None and inp.box is None:
            mask, seen = track_box(ctx.store, inp.track)
            if mask is None:
                raise ToolFailed(
                    "the thing to crop to was not found in any frame of the video, so there is nothing to crop to; "
                    "say where to crop ('crop to the left half', 'crop to 9:16') or name another thing"
                )
            if seen < v.frames:
                notes.append(f"The thing was seen in {seen} of {v.frames} frames; the crop holds it where it was seen.")
        margin = 0.0 if inp.part is not None else inp.margin  # a place is kept exactly
        x1, y1, x2, y2 = crop_box((v.height, v.width), inp.box, mask, inp.aspect, margin)
        w, h = _even(x2 - x1), _even(y2 - y1)  # H.264 players want even sides: shrink by a pixel when odd
        w, h = min(w, v.width - v.width % 2 or 2), min(h, v.height - v.height % 2 or 2)
        if (w, h) != (x2 - x1, y2 - y1):
            notes.append(_not_as_asked((w, h), (x2 - x1, y2 - y1)))
        x1, y1 = min(x1, v.width - w), min(y1, v.height - h)
        return max(0, x1), max(0, y1), max(0, x1) + w, max(0, y1) + h

    def _frames(
        self, inp: TransformInput, ctx: ToolContext, crop: tuple[int, int, int, int] | None, size: tuple[int, int]
    ) -> Iterator[np.ndarray]:
        from vitron_agent.perception.edit_ops import resize, rotate

        v = inp.video
        for i, frame in enumerate(ctx.store.get_video(v).frames()):
            if inp.operation == "rotate":
                out = rotate(frame, inp.angle)
            elif inp.operation == "resize":
                out = resize(frame, *size)
            else:
                x1, y1, x2, y2 = crop
                out = frame[y1:y2, x1:x2]
            yield np.ascontiguousarray(out)
            if i % 16 == 15:
                if ctx.cancelled.is_set():
                    raise ToolFailed("transforming the video was cancelled")
                ctx.progress(0.05 + 0.9 * (i + 1) / max(1, v.frames), f"wrote {i + 1}/{v.frames} frames")


def _phrase(step: StepWords) -> str:
    args = step.args
    op = args.get("operation")
    if op == "rotate":
        angle = float(args.get("angle", 90.0) or 90.0)
        way = "counter-clockwise" if angle < 0 else "clockwise"
        return step.verb(f"turned the video {abs(angle):g}° {way}", f"turn the video {abs(angle):g}° {way}")
    if op == "resize":
        return step.verb("resized the video", "resize the video")
    return step.verb("cropped the video", "crop the video")


register(Backend("transform_video", "cv", TransformVideoTool, default=True))
declare(Traits("transform_video", phrase=_phrase))
