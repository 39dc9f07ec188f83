"""Clips with known motion for measuring flicker of tracked edits: a thing from one of scikit-image's photos
pasted on a background photo, held still, moved slowly, held again (and, in some clips, moved faster or
shaken by a pixel), so the frames where it barely moves are known.

Each clip is 60 frames at 12 fps (a newcomer's recolour of a tracked object changed on 25 of 60 frames).
``MotionClip.shift[i]`` is how far (pixels) the thing moved from frame ``i - 1`` to ``i``; ``box[i]`` its
pasted rectangle (XYXY), the truth of where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vitron_agent.testing.part_clips import photo

__all__ = ["MotionClip", "motion_clip", "MOTION_CLIPS"]


@dataclass
class MotionClip:
    name: str
    target: str  # how a user names the thing ("the cat")
    frames: list[np.ndarray] = field(default_factory=list)
    box: list[tuple[int, int, int, int]] = field(default_factory=list)
    shift: list[float] = field(default_factory=list)
    fps: float = 12.0
    lossy: bool = False

    def save(self, path: Path) -> Path:
        from vitron_agent.media.video import write_video

        write_video(self.frames, path, self.fps, lossless=not self.lossy)
        return path


# name: (background, thing photo, target words, width of the thing in pixels, path)
_SPECS = {
    "cat_grass": ("grass", "chelsea", "the cat", 150, "hold-slide-hold"),
    "horse_gravel": ("gravel", "horse", "the horse", 170, "hold-slide-hold"),
    "moto_brick": ("brick", "motorcycle_left", "the motorcycle", 170, "jitter"),
    "cup_grass": ("grass", "coffee", "the cup", 150, "jitter"),
    "cat_brick": ("brick", "chelsea", "the cat", 130, "slide-fast"),
    "person_gravel": ("gravel", "astronaut", "the person", 140, "hold-slide-hold"),
}
# the same clips as a phone would film them: sensor noise and a light that wobbles a little on every frame,
# and saved with loss (H.264)
_NOISY = {"cat_grass_noisy": "cat_grass", "horse_gravel_noisy": "horse_gravel", "moto_brick_noisy": "moto_brick"}
MOTION_CLIPS = (*_SPECS, *_NOISY, "earth_real")


def _path(kind: str, n: int, span: int) -> list[float]:
    """x offset of the thing on each of ``n`` frames, within ``span`` pixels."""
    if kind == "hold-slide-hold":  # still 20 frames, 2 px a frame for 20, still 20
        return [0.0] * 20 + [2.0 * (k + 1) for k in range(20)] + [40.0] * (n - 40)
    if kind == "jitter":  # a hand-held camera: a pixel back and forth, never more
        return [float((k // 3) % 2) for k in range(n)]
    return [min(span, 6.0 * k) for k in range(n)]  # slide-fast: 6 px a frame, then still at the edge


def motion_clip(name: str, size: tuple[int, int] = (320, 240)) -> MotionClip:
    """The clip ``name`` of :data:`MOTION_CLIPS` (``size`` = (width, height)); ``earth_real`` is the first 60
    frames of Gradio's ``b.mp4`` (a night-side Earth turning slowly, in place), its box the lit disc's."""
    import cv2

    if name == "earth_real":
        return _earth()
    if name in _NOISY:
        clip = motion_clip(_NOISY[name], size)
        rng = np.random.default_rng(7)
        for k, frame in enumerate(clip.frames):
            gain = 1.0 + 0.04 * np.sin(k * 1.7)
            noisy = frame.astype(np.float32) * gain + rng.normal(0.0, 6.0, frame.shape)
            clip.frames[k] = np.clip(noisy, 0, 255).astype(np.uint8)
        clip.name, clip.lossy = name, True
        return clip
    bg_name, thing, target, px, kind = _SPECS[name]
    w, h = size
    bg = cv2.resize(photo(bg_name), size, interpolation=cv2.INTER_AREA)
    src = photo(thing)
    sh = int(src.shape[0] * px / src.shape[1])
    sprite = cv2.resize(src, (px, sh), interpolation=cv2.INTER_AREA)
    clip = MotionClip(name, target)
    xs = _path(kind, 60, w - px - 20)
    y = (h - sh) // 2
    for k, x in enumerate(xs):
        frame = bg.copy()
        x0 = 10 + int(round(x))
        frame[y : y + sh, x0 : x0 + px] = sprite
        clip.frames.append(frame)
        clip.box.append((x0, y, x0 + px, y + sh))
        clip.shift.append(0.0 if k == 0 else abs(x - xs[k - 1]))
    return clip


def _earth() -> MotionClip:
    from vitron_agent.media.video import open_video
    from vitron_agent.testing.sample_clips import gradio_file

    _, frames = open_video(gradio_file("videos/b.mp4"))
    clip = MotionClip("earth_real", "the earth", fps=30.0, lossy=True)
    for k, frame in enumerate(frames):
        if k == 60:
            break
        ys, xs = np.nonzero(frame.max(axis=-1) > 40)
        clip.frames.append(frame)
        clip.box.append((int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1))
        clip.shift.append(0.0)
    return clip
