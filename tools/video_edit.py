"""Cutting and timing a clip: trim_video, speed_video, reverse_video, loop_video, mute_video (concat_videos and
export_gif live in video_join).

Every tool here maps output frames to source frames by time and streams them (one decode, one
frame in memory; reverse spills a long clip to a temporary file), so the result's frame count,
rate and size are exact and said in its ``text``: a clip of ``n`` frames at ``fps`` lasts
``n / fps`` seconds. Variable-frame-rate inputs were resampled to a constant rate when they were
read (:mod:`vitron_agent.media.video`), so frame ``i`` is at ``i / fps`` seconds here.

The sound (:mod:`vitron_agent.media.audio`) follows the pictures: trimmed, looped and reversed with
them, re-timed with FFmpeg's ``atempo`` (pitch kept) on a speed change, and cut or padded to the
new clip's exact length. A clip without sound says so; a GIF has none (said).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import VideoRef
from vitron_agent.toolkit.registry import Backend, StepWords, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.video_clip_parts import ClipPart, frame_spans, spans_said
from vitron_agent.tools.video_time import clock

__all__ = [
    "TrimVideoTool",
    "SpeedVideoTool",
    "ReverseVideoTool",
    "LoopVideoTool",
    "MuteVideoTool",
    "remapped",
    "clock",
    "clip_line",
]

MAX_OUTPUT_FRAMES = 20_000  # the store's default video cap: a loop or a slow-down never makes more


def clip_line(ref: VideoRef) -> str:
    """``"60 frames at 30 fps = 2.00 s, 480x270"``."""
    return f"{ref.frames} frames at {ref.fps:g} fps = {ref.duration:.2f} s, {ref.width}x{ref.height}"


def _sound_note(ref: VideoRef, kept: str) -> str:
    return f"Sound {kept}." if ref.audio else "The clip has no sound."


def remapped(store, video: VideoRef, mapping: Sequence[int], ctx: ToolContext | None = None) -> Iterator[np.ndarray]:
    """The frames ``mapping[0], mapping[1], ...`` of ``video`` (indices non-decreasing; repeats
    allowed), decoded in one forward pass holding one frame."""
    if not len(mapping):
        return
    clip = store.get_video(video)
    lo, hi = int(mapping[0]), int(mapping[-1])
    j, n = 0, len(mapping)
    for i, frame in zip(range(lo, hi + 1), clip.frames(range(lo, hi + 1)), strict=False):
        while j < n and mapping[j] == i:
            yield frame
            j += 1
            if ctx is not None and j % 16 == 0:
                if ctx.cancelled.is_set():
                    raise ToolFailed("the video operation was cancelled")
                ctx.progress(0.05 + 0.9 * j / n, f"wrote {j}/{n} frames")


def _check_length(n: int, what: str) -> None:
    if n > MAX_OUTPUT_FRAMES:
        raise ValueError(
            f"{what} would make {n:,} frames, over the {MAX_OUTPUT_FRAMES:,}-frame limit of a stored video; "
            "trim the clip first or ask for less"
        )


class TrimInput(BaseModel):
    video: VideoRef = Field(description="the video to cut")
    start: float | None = Field(default=None, ge=0, description="keep from this time (seconds; '1:10' = 70)")
    end: float | None = Field(default=None, gt=0, description="keep up to this time (seconds)")
    first: float | None = Field(default=None, gt=0, description="keep only the first N seconds")
    last: float | None = Field(default=None, gt=0, description="keep only the last N seconds")
    drop_last: float | None = Field(default=None, gt=0, description="remove the last N seconds (keep the rest)")
    visible: str | None = Field(
        default=None, max_length=200, description="keep the part where this target is visible, e.g. 'the dog'"
    )
    visible_part: Literal["keep", "remove", "from_first"] = Field(
        default="keep",
        description="with visible: keep the parts where it is seen, remove them (keep the rest), or keep from its "
        "first appearance to the end ('skip to when the car shows up')",
    )


class VideoResult(BaseModel):
    video: VideoRef = Field(description="the new clip")
    text: str = Field(description="what was done: frames, rate, duration, size and the sound")


def trim_range(inp: TrimInput) -> tuple[float, float]:
    """The kept time range in seconds from the arguments (``visible`` is resolved by the tool)."""
    d = inp.video.duration
    if inp.first is not None:
        return 0.0, min(d, inp.first)
    if inp.last is not None:
        return max(0.0, d - inp.last), d
    if inp.drop_last is not None:
        return 0.0, max(0.0, d - inp.drop_last)
    return inp.start or 0.0, min(d, inp.end if inp.end is not None else d)


PAST_END = "The video is only {length} long, so I kept {kept} (not {asked}). "


def past_end_note(inp: TrimInput) -> str:
    """The sentence that says a span asked past the clip's end was cut short ("trim it from 8 to 15
    seconds" of a 10 s clip keeps 0:08 to 0:10, said first), or "" when the span fits. Half a
    frame of slack: "the first 10 seconds" of a 9.98 s clip is the whole clip, not worth a word."""
    d, slack = inp.video.duration, 0.5 / max(inp.video.fps, 1e-6)
    length = clock(d)
    if inp.first is not None and inp.first > d + slack:
        return PAST_END.format(length=length, kept="all of it", asked=f"the first {inp.first:g} s")
    if inp.last is not None and inp.last > d + slack:
        return PAST_END.format(length=length, kept="all of it", asked=f"the last {inp.last:g} s")
    if inp.end is not None and inp.end > d + slack:
        start = clock(inp.start or 0.0)
        return PAST_END.format(
            length=length, kept=f"{start} to its end ({length})", asked=f"{start} to {clock(inp.end)}"
        )
    return ""


class TrimVideoTool(VisionTool):
    name = "trim_video"
    description = (
        "Cut a video to a time range: the first or last N seconds, from a start to an end time, or the part "
        "where a named target is visible. Keeps rate, size and sound."
    )
    Input = TrimInput
    Output = VideoResult
    backend = "cv"

    def check_inputs(self, inp: TrimInput, ctx: ToolContext) -> None:
        families = [inp.first is not None, inp.last is not None, inp.start is not None or inp.end is not None]
        families += [inp.visible is not None, inp.drop_last is not None]
        if sum(families) > 1:
            raise ValueError("give one of: first, last, drop_last, start/end, visible (not several)")
        if not any(families):
            raise ValueError("say what to keep: first=N, last=N seconds, start/end times, or visible='<target>'")
        if inp.visible_part != "keep" and inp.visible is None:
            raise ValueError(f"visible_part={inp.visible_part!r} needs visible='<target>' (what to look for)")
        d = inp.video.duration
        if inp.drop_last is not None and inp.drop_last >= d:
            raise ValueError(f"removing the last {inp.drop_last:g} s leaves nothing of the {d:.2f} s video")
        if inp.start is not None and inp.start >= d:
            raise ValueError(f"start {clock(inp.start)} is past the end of the {d:.2f} s video")
        if inp.start is not None and inp.end is not None and inp.end <= inp.start:
            raise ValueError(f"end ({inp.end:g} s) must come after start ({inp.start:g} s)")
        if inp.visible is not None:  # "the part where the audience is shown": said before any work, never a crash
            from vitron_agent.tools.video_time import NOT_RECOGNISABLE, recogniser

            if recogniser(inp.visible) is None:
                raise ValueError(NOT_RECOGNISABLE.format(target=inp.visible))

    def run(self, inp: TrimInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import cut, get_audio

        if inp.visible:
            return self._visible(inp, ctx)
        v = inp.video
        start, end = trim_range(inp)
        lo, hi = int(round(start * v.fps)), min(v.frames, int(round(end * v.fps)))
        hi = max(hi, lo + 1)
        audio = get_audio(ctx.store, v.audio)
        sound = None if audio is None else cut(audio, lo / v.fps, hi / v.fps)
        ref = ctx.store.put_video(remapped(ctx.store, v, range(lo, hi), ctx), v.fps, ctx.step_id, audio=sound)
        text = (
            f"{past_end_note(inp)}Kept {clock(lo / v.fps)} to {clock(hi / v.fps)}: {clip_line(ref)}. "
            f"{_sound_note(ref, 'kept and cut with it')}"
        )
        return VideoResult(video=ref, text=text)

    def _visible(self, inp: TrimInput, ctx: ToolContext) -> VideoResult:
        """The parts where ``inp.visible`` is on screen, joined in order (the parts between them
        dropped: "keep the part where the person is visible" of people walking in one at a time); or
        those parts removed ("get rid of the part with the motorbike"); or the clip from its first
        appearance on ("skip to when the car shows up"). The ranges found are said, and the sampling."""
        from vitron_agent.media.audio import Audio, cut, get_audio
        from vitron_agent.tools.video_time import find_ranges, narrower

        v = inp.video
        found = find_ranges(ctx.store, v, inp.visible, None, ctx)
        if not found.ranges:
            nothing = {"keep": "nothing to keep", "remove": "nothing removed", "from_first": "nothing skipped"}
            raise ToolFailed(f"I did not find {inp.visible} in the video ({found.how}); {nothing[inp.visible_part]}")
        seen = frame_spans(found.ranges, v)
        parts = _kept_spans(seen, v.frames, inp.visible_part)
        if not parts:
            raise ToolFailed(
                f"{inp.visible} is visible throughout the video ({spans_said(seen, v.fps)}): removing the parts with "
                "it leaves nothing; nothing removed"
            )
        mapping = [i for lo, hi in parts for i in range(lo, hi)]
        audio = get_audio(ctx.store, v.audio)
        sound = None
        if audio is not None:
            pieces = [cut(audio, lo / v.fps, hi / v.fps).samples for lo, hi in parts]
            sound = Audio(np.concatenate(pieces, axis=1), audio.rate)
        ref = ctx.store.put_video(remapped(ctx.store, v, mapping, ctx), v.fps, ctx.step_id, audio=sound)
        kind = narrower(inp.visible)  # "where the audience is shown": people were looked for, said first
        done = _visible_said(inp, seen, parts, v.fps)
        return VideoResult(
            video=ref,
            text=(
                f"{kind[1] + ' ' if kind else ''}{done} ({found.how}): {clip_line(ref)}. "
                f"{_sound_note(ref, 'kept and cut with it')}"
            ),
        )


def _kept_spans(seen: list[list[int]], frames: int, part: str) -> list[list[int]]:
    """The frame spans kept: those ``seen`` ("keep"), the frames between them ("remove"), or from the first
    one to the clip's end ("from_first")."""
    if part == "keep":
        return seen
    if part == "from_first":
        return [[seen[0][0], frames]]
    gaps, t = [], 0
    for lo, hi in seen:
        if lo > t:
            gaps.append([t, lo])
        t = max(t, hi)
    if frames > t:
        gaps.append([t, frames])
    return gaps


def _visible_said(inp: TrimInput, seen: list[list[int]], parts: list[list[int]], fps: float) -> str:
    """What was kept, in words, with where the thing was seen."""
    from vitron_agent.tools.video_time import _is_plural

    what, where = inp.visible, spans_said(seen, fps)
    is_ = "are" if _is_plural(what) else "is"
    if inp.visible_part == "from_first":
        return f"Kept from {clock(parts[0][0] / fps)}, where {what} first appears, to the end (seen {where})"
    if inp.visible_part == "remove":
        joined = "" if len(parts) == 1 else f", the {len(parts)} remaining parts joined"
        return f"Removed {where}, where {what} {is_} visible; kept {spans_said(parts, fps)}{joined}"
    if len(parts) == 1:
        return f"Kept {where}, where {what} {is_} visible"
    return f"Kept the {len(parts)} parts where {what} {is_} visible ({where}), joined"


class SpeedInput(BaseModel):
    video: VideoRef = Field(description="the video")
    factor: float = Field(ge=0.05, le=20, description="how many times as fast: 2 = twice as fast, 0.5 = half speed")
    part: ClipPart | None = Field(
        default=None,
        description="change the speed of this part only (a shot, a half, the part where a thing is seen); the "
        "frames before and after it play as they were",
    )


def part_speed_mapping(frames: int, spans: Sequence[tuple[int, int]], factor: float) -> list[int]:
    """Source frame of each output frame when only ``spans`` ([lo, hi) frame ranges, in order) play at
    ``factor``: every other frame maps to itself."""
    mapping: list[int] = []
    t = 0
    for lo, hi in spans:
        mapping += range(t, lo)
        mapping += [lo + j for j in speed_mapping(hi - lo, factor)]
        t = hi
    return mapping + list(range(t, frames))


def _part_sound(audio, spans: Sequence[tuple[int, int]], frames: int, fps: float, factor: float):
    """The sound with only ``spans`` re-timed to ``factor`` (pitch kept), the rest as it was."""
    from vitron_agent.media.audio import Audio, cut, tempo

    pieces, t = [], 0
    for lo, hi in [*spans, (frames, frames)]:
        if lo > t:
            pieces.append(cut(audio, t / fps, lo / fps).samples)
        if hi > lo:
            pieces.append(tempo(cut(audio, lo / fps, hi / fps), factor).samples)
        t = hi
    return Audio(np.concatenate(pieces, axis=1), audio.rate)


def speed_mapping(frames: int, factor: float) -> list[int]:
    """Source frame of each output frame at the same rate: ``round(frames / factor)`` frames, output
    frame j shows source frame ``floor(j * factor)`` (every other frame at 2x, each twice at 0.5x)."""
    n = max(1, int(round(frames / factor)))
    return [min(frames - 1, int(np.floor(j * factor + 1e-9))) for j in range(n)]


class SpeedVideoTool(VisionTool):
    name = "speed_video"
    description = (
        "Change the playback speed of a video by any factor (2 = twice as fast, 0.5 = half speed); same frame "
        "rate and size, frames dropped or repeated; the sound re-timed with its pitch kept."
    )
    Input = SpeedInput
    Output = VideoResult
    backend = "cv"

    def check_inputs(self, inp: SpeedInput, ctx: ToolContext) -> None:
        _check_length(int(round(inp.video.frames / inp.factor)), f"slowing down to {inp.factor:g}x")

    def run(self, inp: SpeedInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import get_audio, tempo

        v = inp.video
        if inp.part is not None:
            return self._part(inp, ctx)
        mapping = speed_mapping(v.frames, inp.factor)
        audio = get_audio(ctx.store, v.audio)
        sound = None if audio is None else tempo(audio, inp.factor)
        ref = ctx.store.put_video(remapped(ctx.store, v, mapping, ctx), v.fps, ctx.step_id, audio=sound)
        how = "every frame shown once" if inp.factor == 1 else "frames dropped" if inp.factor > 1 else "frames repeated"
        text = (
            f"Played at {inp.factor:g}x ({how}): {v.duration:.2f} s -> {ref.duration:.2f} s, {clip_line(ref)}. "
            f"{_sound_note(ref, f're-timed to {inp.factor:g}x with its pitch kept (atempo)')}"
        )
        return VideoResult(video=ref, text=text)

    def _part(self, inp: SpeedInput, ctx: ToolContext) -> VideoResult:
        """Only ``inp.part`` at ``inp.factor`` ("slow down the second shot"); said which frames."""
        from vitron_agent.media.audio import get_audio
        from vitron_agent.tools.video_clip_parts import part_frames

        v = inp.video
        spans, said = part_frames(ctx.store, v, inp.part, ctx)
        mapping = part_speed_mapping(v.frames, spans, inp.factor)
        _check_length(len(mapping), f"slowing down to {inp.factor:g}x")
        audio = get_audio(ctx.store, v.audio)
        sound = None if audio is None else _part_sound(audio, spans, v.frames, v.fps, inp.factor)
        ref = ctx.store.put_video(remapped(ctx.store, v, mapping, ctx), v.fps, ctx.step_id, audio=sound)
        text = (
            f"Played only {said} at {inp.factor:g}x; the rest plays as it was: {v.duration:.2f} s -> "
            f"{ref.duration:.2f} s, {clip_line(ref)}. {_sound_note(ref, 're-timed with it (pitch kept)')}"
        )
        return VideoResult(video=ref, text=text)


class ReverseInput(BaseModel):
    video: VideoRef = Field(description="the video to play backwards")


def reversed_frames(store, video: VideoRef, ctx: ToolContext) -> Iterator[np.ndarray]:
    """The frames last to first. A clip that fits the store's clip cache is read once into memory;
    a longer one is decoded once into a temporary file (memory-mapped), never held whole in memory."""
    clip = store.get_video(video)
    n, shape = video.frames, (video.height, video.width, 3)
    if n * video.width * video.height * 3 <= store.clip_cache_bytes:
        arr = clip.array()
        yield from arr[::-1]
        return
    with tempfile.NamedTemporaryFile(dir=store.dir, prefix=".reverse.", suffix=".raw") as tmp:
        spill = np.memmap(tmp.name, dtype=np.uint8, mode="w+", shape=(n, *shape))
        for i, frame in enumerate(clip.frames()):
            spill[i] = frame
            if i % 32 == 0:
                ctx.progress(0.05 + 0.45 * i / n, f"read {i}/{n} frames")
        for k, i in enumerate(range(n - 1, -1, -1)):
            yield np.array(spill[i])
            if k % 32 == 0:
                ctx.progress(0.5 + 0.45 * k / n, f"wrote {k}/{n} frames")
        del spill


class ReverseVideoTool(VisionTool):
    name = "reverse_video"
    description = "Play a video backwards (last frame first), sound reversed too; same frames, rate and size."
    Input = ReverseInput
    Output = VideoResult
    backend = "cv"

    def run(self, inp: ReverseInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import Audio, get_audio

        v = inp.video
        audio = get_audio(ctx.store, v.audio)
        sound = None if audio is None else Audio(np.ascontiguousarray(audio.samples[:, ::-1]), audio.rate)
        ref = ctx.store.put_video(reversed_frames(ctx.store, v, ctx), v.fps, ctx.step_id, audio=sound)
        return VideoResult(video=ref, text=f"Reversed: {clip_line(ref)}. {_sound_note(ref, 'reversed too')}")


class LoopInput(BaseModel):
    video: VideoRef = Field(description="the video to repeat")
    times: int = Field(default=2, ge=2, le=50, description="how many plays in all (2 = the clip twice)")


def _chained(parts: Iterable[Iterable[np.ndarray]]) -> Iterator[np.ndarray]:
    for part in parts:
        yield from part


class LoopVideoTool(VisionTool):
    name = "loop_video"
    description = "Repeat a video back to back a number of times (loop); sound repeated with it."
    Input = LoopInput
    Output = VideoResult
    backend = "cv"

    def check_inputs(self, inp: LoopInput, ctx: ToolContext) -> None:
        _check_length(inp.video.frames * inp.times, f"looping {inp.times} times")

    def run(self, inp: LoopInput, ctx: ToolContext) -> VideoResult:
        from vitron_agent.media.audio import Audio, get_audio

        v = inp.video
        audio = get_audio(ctx.store, v.audio)
        sound = None if audio is None else Audio(np.tile(audio.samples, (1, inp.times)), audio.rate)
        parts = (remapped(ctx.store, v, range(v.frames)) for _ in range(inp.times))
        ref = ctx.store.put_video(_chained(parts), v.fps, ctx.step_id, audio=sound)
        return VideoResult(
            video=ref, text=f"Played {inp.times} times in a row: {clip_line(ref)}. {_sound_note(ref, 'repeated')}"
        )


class MuteInput(BaseModel):
    video: VideoRef = Field(description="the video whose sound is removed")


class MuteVideoTool(VisionTool):
    name = "mute_video"
    description = "Remove a video's sound (mute it): the same frames, rate and size, no sound track."
    Input = MuteInput
    Output = VideoResult
    backend = "cv"

    def run(self, inp: MuteInput, ctx: ToolContext) -> VideoResult:
        v = inp.video
        if not v.audio:
            return VideoResult(video=v, text=f"The clip has no sound, so there was nothing to remove: {clip_line(v)}.")
        # the same frames (a clip's id is the hash of its pixels and rate: re-encoding them would give this
        # very id after minutes of work on a long HD clip), without the sound kept beside them
        ref = v.model_copy(update={"audio": None, "producer": ctx.step_id})
        return VideoResult(video=ref, text=f"Removed the sound: {clip_line(ref)}, no sound track.")


def _speed_phrase(step: StepWords) -> str:
    """ "sped the video up 2×" / "slowed the video to 0.5× speed" """
    factor = float(step.args.get("factor") or 1.0)
    if factor >= 1:
        return f"{step.verb('sped', 'speed')} the video up {factor:g}×"
    return f"{step.verb('slowed', 'slow')} the video to {factor:g}× speed"


def _loop_phrase(step: StepWords) -> str:
    """ "looped the video (3 plays)" """
    return f"{step.verb('looped', 'loop')} the video ({step.args.get('times', 2)} plays)"


register(Backend("trim_video", "cv", TrimVideoTool, default=True))
register(Backend("speed_video", "cv", SpeedVideoTool, default=True))
register(Backend("reverse_video", "cv", ReverseVideoTool, default=True))
register(Backend("loop_video", "cv", LoopVideoTool, default=True))
register(Backend("mute_video", "cv", MuteVideoTool, default=True))
declare(Traits("trim_video", phrase=("trimmed the video", "trim the video")))
declare(Traits("speed_video", phrase=_speed_phrase))
declare(Traits("reverse_video", phrase=("reversed the video", "reverse the video")))
declare(Traits("loop_video", phrase=_loop_phrase))
declare(Traits("mute_video", phrase=("removed the sound", "remove the sound")))
