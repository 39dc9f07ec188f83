"""Clips whose parts differ by what is in them, made from scikit-image's photos, with the truth.

Each clip is a list of *segments*: a photo shown with a slow pan or zoom (a shot), or a background photo
with another photo's thing pasted in for some seconds (a sprite, moving). What is on screen in every
frame is known, so "the part with the motorbike", "skip to when the cat shows up" and "a still of the
moment the person is visible" have exact answers. Photos: ``astronaut`` (a person), ``camera`` (a
person), ``chelsea`` (a cat), ``coffee`` (a cup), ``motorcycle_left`` (a motorcycle), ``horse`` (a horse
silhouette), ``rocket`` / ``grass`` / ``gravel`` / ``brick`` (nothing COCO names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["Segment", "PartClip", "photo", "build", "CLIPS"]

CONTENT = {
    "astronaut": ("person",),
    "camera": ("person",),
    "chelsea": ("cat",),
    "coffee": ("cup",),
    "motorcycle_left": ("motorcycle",),
    "horse": ("horse",),
}


def photo(name: str) -> np.ndarray:
    """scikit-image's photo ``name`` as HxWx3 uint8 RGB (grey photos repeated on three channels)."""
    import os

    import skimage
    from skimage import io

    path = Path(os.path.dirname(skimage.__file__)) / "data"
    found = [p for p in path.iterdir() if p.stem == name]
    im = io.imread(found[0])
    if im.ndim == 2:
        im = np.stack([im] * 3, -1)
    im = im[..., :3]
    if im.dtype != np.uint8:
        im = (im * 255).astype(np.uint8) if im.max() <= 1 else im.astype(np.uint8)
    return np.ascontiguousarray(im)


@dataclass(frozen=True)
class Segment:
    """``seconds`` of ``shot`` (panned or zoomed), with ``sprite`` pasted ``sprite_px`` wide, moving across."""

    shot: str
    seconds: float
    move: str = "pan"  # pan | zoom | still
    sprite: str | None = None
    sprite_px: int = 120


@dataclass
class PartClip:
    """A clip's frames (HxWx3 uint8 RGB), its rate, and the COCO labels on screen on each frame."""

    name: str
    frames: list[np.ndarray]
    fps: float
    labels: list[set[str]] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.frames) / self.fps

    def seconds_with(self, label: str) -> float:
        """How long ``label`` is on screen."""
        return sum(label in s for s in self.labels) / self.fps

    def first(self, label: str) -> float | None:
        """When ``label`` first appears (s), or None."""
        hits = [i for i, s in enumerate(self.labels) if label in s]
        return hits[0] / self.fps if hits else None

    def save(self, path: Path) -> Path:
        from vitron_agent.media.video import write_video

        write_video(self.frames, path, self.fps)
        return path


def _view(im: np.ndarray, t: float, move: str, size: tuple[int, int]) -> np.ndarray:
    """The photo seen at progress ``t`` in [0, 1]: a window 85 % of it panning left to right, or zooming in."""
    import cv2

    h, w = im.shape[:2]
    if move == "zoom":
        s = 1.0 - 0.25 * t
        ch, cw = int(h * s), int(w * s)
        y, x = (h - ch) // 2, (w - cw) // 2
    elif move == "pan":
        ch, cw = int(h * 0.85), int(w * 0.85)
        y, x = (h - ch) // 2, int((w - cw) * t)
    else:
        ch, cw, y, x = h, w, 0, 0
    return cv2.resize(im[y : y + ch, x : x + cw], size, interpolation=cv2.INTER_AREA)


def _paste(frame: np.ndarray, sprite: np.ndarray, t: float) -> None:
    """``sprite`` pasted on ``frame`` (in place), moving from the left third to the right third at progress ``t``."""
    h, w = frame.shape[:2]
    sh, sw = sprite.shape[:2]
    x = int(0.1 * w + t * (0.8 * w - sw - 0.1 * w))
    y = (h - sh) // 2
    frame[y : y + sh, x : x + sw] = sprite


def build(name: str, segments: list[Segment], fps: float = 10.0, size: tuple[int, int] = (320, 240)) -> PartClip:
    """The clip of ``segments`` in order (``size`` is (width, height)), with its labels per frame."""
    import cv2

    clip = PartClip(name, [], fps)
    for seg in segments:
        im = photo(seg.shot)
        n = int(round(seg.seconds * fps))
        sprite = None
        if seg.sprite:
            src = photo(seg.sprite)
            sh = int(src.shape[0] * seg.sprite_px / src.shape[1])
            sprite = cv2.resize(src, (seg.sprite_px, sh), interpolation=cv2.INTER_AREA)
        for i in range(n):
            t = i / max(1, n - 1)
            frame = _view(im, t, seg.move, size)
            labels = set(CONTENT.get(seg.shot, ()))
            if sprite is not None:
                _paste(frame, sprite, t)
                labels |= set(CONTENT.get(seg.sprite, ()))
            clip.frames.append(frame)
            clip.labels.append(labels)
    return clip


def _clips() -> dict[str, list[Segment]]:
    return {
        "shots": [Segment("rocket", 2.0), Segment("motorcycle_left", 2.0, "zoom"), Segment("chelsea", 2.0)],
        "pasted": [
            Segment("grass", 1.5, "still"),
            Segment("grass", 2.0, "still", sprite="chelsea", sprite_px=140),
            Segment("grass", 2.5, "still"),
        ],
        "people": [
            Segment("rocket", 1.0),
            Segment("astronaut", 2.0, "zoom"),
            Segment("coffee", 1.5),
            Segment("camera", 1.5, "zoom"),
        ],
        "small": [
            Segment("brick", 2.0, "still"),
            Segment("brick", 2.0, "still", sprite="motorcycle_left", sprite_px=70),
            Segment("brick", 2.0, "still"),
        ],
        "farm": [
            Segment("coffee", 1.5),
            Segment("gravel", 2.0, "still", sprite="horse", sprite_px=150),
            Segment("camera", 1.5, "zoom"),
        ],
        "small_horse": [
            Segment("gravel", 3.0, "still"),
            Segment("gravel", 2.0, "still", sprite="horse", sprite_px=60),
            Segment("gravel", 1.0, "still"),
        ],
    }


CLIPS = tuple(_clips())


def clip(name: str) -> PartClip:
    """The named clip of :data:`CLIPS` (320x240 at 10 fps; ``small``/``small_horse`` at 640x480)."""
    size = (640, 480) if name.startswith("small") else (320, 240)
    return build(name, _clips()[name], size=size)
