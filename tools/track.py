"""track: a per-frame mask track of one target through a video.

The target is given on one frame (``frame``, default 0) by words, a point, a box
or a mask, exactly as for ``segment``; the mask found there is propagated forward
to the last frame and backward to the first.

cv backend (no weights): each step estimates the target's motion by masked
template matching of the previous frame's patch and shifts the mask, then a
hue-saturation colour model of the target (robust to fades) proposes a region
near it; whichever of the two the colour model separates better from its
surroundings is kept (the region when the target grows or changes shape, the
shifted mask when the background shares the target's colours); a scene cut
(a jump in frame difference) or a lost target triggers re-detection over the
whole frame with the colour model. Model backends (SAM per frame) reuse
:func:`propagate` with their own step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Box, MaskRef, MaskTrackRef, VideoRef
from vitron_agent.perception.colors import check_color
from vitron_agent.perception.masks import bbox, components, fill_holes
from vitron_agent.perception.target_spec import OnVideo, TargetSpec
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.video_time import clock

__all__ = [
    "TrackInput",
    "TrackOutput",
    "CvTrackTool",
    "CvTracker",
    "propagate",
    "track_output",
    "check_track_inputs",
    "seen_note",
]

StepFn = Callable[[np.ndarray, int], np.ndarray]


class TrackInput(TargetSpec, OnVideo):  # fields: video, then the target spec (on the prompt frame), then these
    mask: MaskRef | None = Field(default=None, description="the target's mask on the prompt frame")
    frame: int = Field(default=0, ge=0, description="the frame the target, point, box or mask refers to")


class TrackOutput(BaseModel):
    track: MaskTrackRef = Field(description="the target's mask on every frame")
    box: Box = Field(description="bounding box on the prompt frame, XYXY pixels")
    present: int = Field(description="frames where the target was found")
    method: str = Field(description="how the target was found and followed")


def check_track_inputs(inp: TrackInput) -> None:
    check_color(inp.color)
    v = inp.video
    if inp.frame >= v.frames:
        raise ValueError(f"frame {inp.frame} is outside the {v.frames}-frame video (0..{v.frames - 1})")
    if inp.point is not None and (inp.point.x >= v.width or inp.point.y >= v.height):
        raise ValueError(f"point ({inp.point.x:g}, {inp.point.y:g}) lies outside the {v.width}x{v.height} video")
    if inp.box is not None and (inp.box.x1 >= v.width or inp.box.y1 >= v.height):
        raise ValueError(f"box starts outside the {v.width}x{v.height} video")
    if inp.mask is not None and (inp.mask.width, inp.mask.height) != (v.width, v.height):
        raise ValueError(f"mask is {inp.mask.width}x{inp.mask.height} but the video is {v.width}x{v.height}")


def _hsv(image: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_RGB2HSV)


class ColorModel:
    """P(target | hue, saturation) from the target's pixels against the rest of the frame."""

    BINS = (30, 32)

    def __init__(self, frame: np.ndarray, mask: np.ndarray):
        import cv2

        hsv = _hsv(frame)
        m = mask.astype(np.uint8)
        rng = [0, 180, 0, 256]
        fg = cv2.calcHist([hsv], [0, 1], m, list(self.BINS), rng)
        bg = cv2.calcHist([hsv], [0, 1], (1 - m).astype(np.uint8), list(self.BINS), rng)
        # smooth each histogram (not the ratio) so a colour one bin away still counts
        fg = cv2.GaussianBlur(fg / max(1.0, float(fg.sum())), (3, 3), 0)
        bg = cv2.GaussianBlur(bg / max(1.0, float(bg.sum())), (3, 3), 0)
        self.lut = (fg / (fg + bg + 1e-6)).astype(np.float32)

    def likelihood(self, frame: np.ndarray) -> np.ndarray:
        """HxW float32 in [0, 1]: how target-like each pixel's colour is."""
        hsv = _hsv(frame)
        hb = (hsv[..., 0].astype(np.int32) * self.BINS[0]) // 180
        sb = (hsv[..., 1].astype(np.int32) * self.BINS[1]) // 256
        return self.lut[np.minimum(hb, self.BINS[0] - 1), np.minimum(sb, self.BINS[1] - 1)]


def _shift(mask: np.ndarray, dx: int, dy: int) -> np.ndarray:
    out = np.zeros_like(mask)
    h, w = mask.shape
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = mask[ys, xs]
    return out


def _contrast(like: np.ndarray, mask: np.ndarray, width: int = 3) -> float:
    """Mean target likelihood inside ``mask`` minus that in a ``width``-pixel ring around it."""
    import cv2

    ring = cv2.dilate(mask.astype(np.uint8), np.ones((2 * width + 1, 2 * width + 1), np.uint8)) > 0
    ring &= ~mask
    return float(like[mask].mean()) - (float(like[ring].mean()) if ring.any() else 0.0)


def _thumb(frame: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.resize(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY), (32, 32), interpolation=cv2.INTER_AREA).astype(
        np.float32
    )


class CvTracker:
    """One target through consecutive frames: ``step(frame) -> HxW bool mask`` (empty when lost)."""

    def __init__(self, frame: np.ndarray, mask: np.ndarray):
        self.model = ColorModel(frame, mask)
        self.prev, self.mask = frame, mask
        self.area = max(1, int(mask.sum()))
        self.diffs: list[float] = []
        self.velocity = (0, 0)

    def step(self, frame: np.ndarray, index: int | None = None) -> np.ndarray:
        diff = float(np.abs(_thumb(frame) - _thumb(self.prev)).mean())
        typical = float(np.median(self.diffs)) if self.diffs else 0.0
        cut = len(self.diffs) >= 1 and diff > max(20.0, 4.0 * typical)
        if not cut:
            self.diffs = (self.diffs + [diff])[-30:]
        if cut or not self.mask.any():
            mask = self.reacquire(frame)
        else:
            mask = self.follow(frame)
        if mask.any():
            self.area = int(0.8 * self.area + 0.2 * mask.sum())
        self.prev, self.mask = frame, mask
        return mask

    def follow(self, frame: np.ndarray) -> np.ndarray:
        import cv2

        dx, dy = self.motion(frame)
        shifted = _shift(self.mask, dx, dy)
        if not shifted.any():
            return self.reacquire(frame)
        r = max(2, int(0.25 * np.sqrt(self.area)))
        near = (
            cv2.dilate(shifted.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
            > 0
        )
        like = self.model.likelihood(frame)
        if float(like[shifted].mean()) < 0.2:  # nothing target-coloured where it should be: an undetected cut
            return self.reacquire(frame)
        self.velocity = (dx, dy)
        cand = (like > 0.5) & near
        cand = cv2.morphologyEx(cand.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
        comps = [c for c in components(cand) if (c & shifted).any()]
        if not comps:
            return shifted
        best = fill_holes(max(comps, key=lambda c: int((c & shifted).sum())))
        if not 0.6 * shifted.sum() <= best.sum() <= 1.6 * shifted.sum():
            return shifted
        # Keep whichever of the two the colour model separates better from its surroundings: the
        # colour region wins when the target grew, changed shape or the shift was off; the shifted
        # mask wins when the region erodes or leaks because the background shares the target's colours.
        return best if _contrast(like, best) > _contrast(like, shifted) + 0.15 else shifted

    def motion(self, frame: np.ndarray) -> tuple[int, int]:
        """Displacement (dx, dy) of the target from the previous frame: masked template matching."""
        import cv2

        h, w = self.mask.shape
        x1, y1, x2, y2 = bbox(self.mask)
        pad = max(2, int(0.1 * max(x2 - x1, y2 - y1)))
        x1, y1, x2, y2 = max(0, x1 - pad), max(0, y1 - pad), min(w, x2 + pad), min(h, y2 + pad)
        templ = self.prev[y1:y2, x1:x2]
        tmask = self.mask[y1:y2, x1:x2].astype(np.uint8) * 255
        vx, vy = self.velocity
        reach = max(8, int(0.6 * max(x2 - x1, y2 - y1)))
        sx1, sy1 = max(0, x1 + vx - reach), max(0, y1 + vy - reach)
        sx2, sy2 = min(w, x2 + vx + reach), min(h, y2 + vy + reach)
        search = frame[sy1:sy2, sx1:sx2]
        if search.shape[0] < templ.shape[0] or search.shape[1] < templ.shape[1] or templ.size == 0:
            return 0, 0
        score = cv2.matchTemplate(search, templ, cv2.TM_SQDIFF, mask=tmask)
        score = np.nan_to_num(score, nan=np.inf, posinf=np.inf)
        _, _, loc, _ = cv2.minMaxLoc(score)
        return sx1 + loc[0] - x1, sy1 + loc[1] - y1

    def reacquire(self, frame: np.ndarray) -> np.ndarray:
        """The target found anywhere in ``frame`` by colour (after a cut, or when lost); empty if absent."""
        import cv2

        cand = (
            cv2.morphologyEx(
                (self.model.likelihood(frame) > 0.5).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)
            )
            > 0
        )
        comps = [c for c in components(cand) if 0.3 * self.area <= c.sum() <= 3.0 * self.area]
        if not comps:
            return np.zeros_like(self.mask)
        best = min(comps, key=lambda c: abs(np.log(c.sum() / self.area)))
        self.velocity = (0, 0)
        return fill_holes(best)


def propagate(
    clip,
    start: int,
    first: np.ndarray,
    make_step: Callable[[np.ndarray, np.ndarray], StepFn],
    ctx: ToolContext,
    span: tuple[float, float] = (0.2, 0.95),
) -> list[np.ndarray]:
    """Masks (packed bits, one array a frame) of every frame of ``clip``: ``first`` on frame ``start``,
    propagated forward to the end and backward to frame 0. ``make_step(frame, mask)`` returns
    a fresh ``step(frame, index) -> mask`` for each direction. Cancellation stops between frames."""
    n = len(clip)
    packed: list[np.ndarray | None] = [None] * n
    packed[start] = np.packbits(first)
    done, lo, hi = 1, span[0], span[1]

    def run(frames: Iterable[np.ndarray], indices: Iterable[int]) -> None:
        nonlocal done
        it = iter(frames)
        init = next(it)
        step = make_step(init, first)
        for i, frame in zip(indices, it, strict=False):
            if ctx.cancelled.is_set():
                raise ToolFailed("tracking was cancelled")
            packed[i] = np.packbits(step(frame, i))
            done += 1
            if done % 8 == 0 or done == n:
                ctx.progress(lo + (hi - lo) * done / n, f"tracked {done}/{n} frames")

    if start < n - 1:
        run(clip.frames(range(start, n)), range(start + 1, n))
    if start > 0:
        before = clip.array(range(0, start + 1))  # backward needs the frames in reverse
        run(iter(before[::-1]), range(start - 1, -1, -1))
    return packed  # type: ignore[return-value]


def unpacked(packed: list[np.ndarray], h: int, w: int) -> Iterator[np.ndarray]:
    for bits in packed:
        yield np.unpackbits(bits, count=h * w).reshape(h, w).astype(bool)


def track_output(
    ctx: ToolContext, video: VideoRef, packed: list[np.ndarray], start: int, first: np.ndarray, method: str
) -> TrackOutput:
    ref = ctx.store.put_track(unpacked(packed, video.height, video.width), producer=ctx.step_id, video=video)
    x1, y1, x2, y2 = bbox(first)
    return TrackOutput(track=ref, box=Box(x1=x1, y1=y1, x2=x2, y2=y2), present=ref.present, method=method)


class CvTrackTool(VisionTool):
    name = "track"
    description = (
        "Track a target through a video: a mask on every frame. Give the target on one frame by words "
        "(colour, position, 'foreground'), a point, a box or a mask. cv backend: template matching and a "
        "colour model; re-detects after scene cuts; it cannot recognise object categories."
    )
    Input = TrackInput
    Output = TrackOutput
    backend = "cv"

    def check_inputs(self, inp: TrackInput, ctx: ToolContext) -> None:
        check_track_inputs(inp)

    def run(self, inp: TrackInput, ctx: ToolContext) -> TrackOutput:
        clip = ctx.store.get_video(inp.video)
        ctx.progress(0.05, f"finding the target on frame {inp.frame}")
        first, how = first_mask(clip, inp, ctx)
        packed = propagate(clip, inp.frame, first, lambda f, m: CvTracker(f, m).step, ctx)
        method = f"{how} on frame {inp.frame}; followed by masked template matching and a hue-saturation colour model"
        return track_output(ctx, inp.video, packed, inp.frame, first, method)


def first_mask(clip, inp: TrackInput, ctx: ToolContext) -> tuple[np.ndarray, str]:
    """The target's HxW bool mask on the prompt frame, found with the cv segment heuristics."""
    from vitron_agent.perception.colors import normalise_color
    from vitron_agent.tools.segment import CvSegmentTool, SegmentInput, parse_target

    if inp.mask is not None:
        mask = ctx.store.get_mask(inp.mask)
        if not mask.any():
            raise ToolFailed("the mask given for the prompt frame is empty")
        return mask, "the given mask"
    frame = clip.frame(inp.frame)
    color, position, largest = parse_target(inp.target)
    color = normalise_color(inp.color) if inp.color else color
    seg = SegmentInput.model_construct(
        image=None,
        target=inp.target,
        color=color,
        position=inp.position or position,
        largest=largest,
        point=inp.point,
        box=inp.box,
        scribble=None,
    )
    mask, how = CvSegmentTool().propose(frame, seg, color, inp.position or position, largest, ctx)
    if bbox(mask) is None:
        what = f"{color} " if color else ""
        raise ToolFailed(
            f"found no {what}target on frame {inp.frame}; give a point or a box on that frame, or another colour"
        )
    return mask, how


SEEN = "; followed only {spans} of the {length} clip"
BRIDGE = 0.3  # seconds: a shorter gap between two spans is a detector's miss, not worth a word


def seen_note(present: list[bool], fps: float, cuts: list[int] = ()) -> str:
    """``"; followed only 0:01.2-0:03.04 of the 0:10 clip (ended by a shot cut at 0:03.04)"`` when the
    target was found on part of the clip only (its spans, gaps under :data:`BRIDGE` bridged; spans that
    end at a shot cut in ``cuts`` said so), or "" when it was followed on every frame."""
    n = len(present)
    runs: list[list[int]] = []
    for i, p in enumerate(present):
        if not p:
            continue
        if runs and i - runs[-1][1] <= BRIDGE * fps:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    if not runs or (len(runs) == 1 and runs[0][0] <= 1 and runs[0][1] >= n - 1):
        return ""
    said = [f"{clock(a / fps)}-{clock(b / fps)}" for a, b in runs[:6]]
    more = f" and {len(runs) - 6} more spans" if len(runs) > 6 else ""
    ends = [clock(b / fps) for _, b in runs if b in cuts]
    cut = f" (ended by a shot cut at {', '.join(ends)})" if ends else ""
    return SEEN.format(spans=", ".join(said) + more, length=clock(n / fps)) + cut


def _track_phrase(step) -> str:
    """ "followed the cat through the video"; "... from 0:02.5, where it first appears" when the
    target was not on screen at the start; "followed the cyclist from 0:01.2 to 0:03.04 (ended by a
    shot cut; not found in the rest of the 0:10 clip)" when it was followed on part of the clip only
    (the embedded backend's method says both)."""
    import re

    who = re.sub(r"^the ((?:every|any)(?:one|body))$", r"\1", step.target())  # "followed everyone", not "the everyone"
    said = f"{step.verb('followed', 'follow')} {who} through the video"
    method = str(((step.record or {}).get("outputs") or {}).get("method", {}).get("value") or "")
    if not step.past:
        return said
    part = re.search(r"followed only (.+?) of the (\S+) clip( \(ended by a shot cut at [^)]*\))?", method)
    if part:
        spans = re.sub(r"(\d+:[\d.]+)-(\d+:[\d.]+)", r"\1 to \2", part.group(1))
        spans = f"from {spans}" if "," not in spans and " and " not in spans else f"over {spans}"
        cut = f"{part.group(3)[2:-1]}; " if part.group(3) else ""
        missed = re.search(r"; (more people than faces on .*? may be left sharp)", method)
        notes = "".join(
            f"; {n}" for n in (face_frames(method), missed.group(1) if missed else "", *identity_notes(method)) if n
        )
        return (
            f"{step.verb('followed', 'follow')} {who} {spans} ({cut}not found in the rest of the "
            f"{part.group(2)} clip{notes})"
        )
    missed = re.search(r"; (more people than faces on .*? may be left sharp)", method)
    m = re.search(r"first seen at (\S+)", method)
    said = f"{said} from {m.group(1)} (where it first appears)" if m else said
    notes = [n for n in (*identity_notes(method), face_frames(method), missed.group(1) if missed else "") if n]
    return f"{said} ({'; '.join(notes)})" if notes else said


def identity_notes(method: str) -> list[str]:
    """What a one-object track's method says about its identity through gaps, for the answer: "lost at
    0:01.5, found something similar at 0:03.1 (may be another one)", "hidden 0:01.5-0:02, picked up again
    where its motion put it, looking the same", "another cat at 0:02.4 was not taken for it (it looks
    different)" (:func:`~vitron_agent.perception.identity.events_said`)."""
    import re

    found = re.findall(
        r"(lost at \S+, found something similar at \S+ \(may be another one\)|seen from \S+; before a gap, "
        r"something similar at \S+ \(may be another one\)|hidden \S+, picked up again [^;]*|another [^;]*? at \S+ "
        r"was not taken for it \(it looks different\))",
        method,
    )
    return found


def face_frames(method: str) -> str:
    """ "a face found on 32 of 40 frames and covered on 39: 2 by a second look where one was expected,
    5 carried across short misses; 1 more that may be a face covered too" from a faces track's
    method, or "" for any other track (or when BlazeFace found a face on every frame it covered)."""
    import re

    m = re.search(
        r"on every frame \((\d+)/(\d+) frames with (?:faces|the face)(.*?); (?:faces|the face) covered on (\d+)/",
        method,
    )
    if not m:
        return ""
    found, n, covered = int(m.group(1)), int(m.group(2)), int(m.group(4))
    again = re.search(r"(\d+) more by a second look", m.group(3))
    carried = re.search(r"(\d+) carried across", m.group(3))
    doubt = re.search(r"; (\d+ more that may be a faces?) \(", method)
    how = [
        f"{again.group(1)} by a second look where one was expected" if again else "",
        f"{carried.group(1)} carried across short misses" if carried else "",
    ]
    how = [h for h in how if h]
    said = f"a face found on {found} of {n} frames and covered on {covered}" + (f": {', '.join(how)}" if how else "")
    if doubt:
        said += f"; {doubt.group(1)} covered too"
    return said if (found < covered or doubt) else ""


register(Backend("track", "cv", CvTrackTool))
declare(Traits("track", role="select", phrase=_track_phrase))
