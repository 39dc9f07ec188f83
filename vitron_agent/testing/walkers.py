"""A street-like clip with people walking across, made from real photos, with its ground truth.

The background is scikit-image's ``rocket`` photo; the walkers are cut from its ``astronaut`` (a
person, head and shoulders) and ``camera`` (the cameraman, standing) photos, scaled to different
heights, crossing left to right or right to left at their own speeds and heights with a small
vertical bob. Each walker's on-screen box is known on every frame, so what a tracker covers and
how many distinct people it counts can be checked exactly. Frames are made on demand (an 80 s
768x576 clip is 1 GB of pixels): :meth:`Street.frame` / :meth:`Street.frames`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

__all__ = ["Street", "Walker", "street", "PERSON"]

# the person inside each sprite, as fractions of the sprite (x1, y1, x2, y2): NanoDet's person box
# on each sprite pasted on the background was (0.01-0.06, 0.04-0.13, 0.77-0.89, 0.9-1.07)
PERSON = (0.05, 0.08, 0.78, 1.0)


@dataclass(frozen=True)
class Walker:
    sprite: int  # index into Street.sprites
    enter: int  # first frame on which its left/right edge enters
    y: int  # top of the sprite
    speed: float  # pixels per frame (negative: right to left)


class Street:
    """``frames`` frames of ``width`` x ``height`` at ``fps`` with ``walkers`` crossing."""

    def __init__(self, frames: int, width: int, height: int, fps: float, walkers: list[Walker], sprites: list):
        self.n, self.width, self.height, self.fps = frames, width, height, fps
        self.walkers, self.sprites = walkers, sprites
        import cv2
        from skimage import data

        self.background = cv2.resize(data.rocket(), (width, height), interpolation=cv2.INTER_AREA)

    def _x(self, w: Walker, i: int) -> float:
        sw = self.sprites[w.sprite].shape[1]
        start = -sw if w.speed > 0 else self.width
        return start + w.speed * (i - w.enter)

    def boxes(self, i: int) -> list[tuple[int, tuple[int, int, int, int]]]:
        """(walker index, visible XYXY box) of every walker at least partly on frame ``i``."""
        out = []
        for k, w in enumerate(self.walkers):
            sh, sw = self.sprites[w.sprite].shape[:2]
            x = int(round(self._x(w, i)))
            y = w.y + int(round(3 * np.sin(i / 2.0)))
            x1, y1, x2, y2 = max(0, x), max(0, y), min(self.width, x + sw), min(self.height, y + sh)
            if x2 - x1 > 0 and y2 - y1 > 0 and i >= w.enter:
                out.append((k, (x1, y1, x2, y2)))
        return out

    def people(self, i: int) -> list[tuple[int, tuple[int, int, int, int], float]]:
        """(walker index, the person's visible XYXY box, the visible share of it) on frame ``i``: the
        share inside the picture and not hidden behind a walker drawn over it (a later one)."""
        out = []
        sprites = dict(self.boxes(i))
        for k, w in enumerate(self.walkers):
            sh, sw = self.sprites[w.sprite].shape[:2]
            x = self._x(w, i)
            y = w.y + int(round(3 * np.sin(i / 2.0)))
            px1, py1, px2, py2 = x + PERSON[0] * sw, y + PERSON[1] * sh, x + PERSON[2] * sw, y + PERSON[3] * sh
            vx1, vy1 = int(max(0, px1)), int(max(0, py1))
            vx2, vy2 = int(min(self.width, px2)), int(min(self.height, py2))
            if i >= w.enter and vx2 > vx1 and vy2 > vy1:
                seen = np.ones((vy2 - vy1, vx2 - vx1), bool)
                for j, (a, b, c, d) in sprites.items():
                    if j > k:
                        seen[max(0, b - vy1) : max(0, d - vy1), max(0, a - vx1) : max(0, c - vx1)] = False
                share = seen.sum() / ((px2 - px1) * (py2 - py1))
                out.append((k, (vx1, vy1, vx2, vy2), float(share)))
        return out

    def frame(self, i: int) -> np.ndarray:
        f = self.background.copy()
        for k, (x1, y1, x2, y2) in self.boxes(i):
            w = self.walkers[k]
            s = self.sprites[w.sprite]
            x = int(round(self._x(w, i)))
            y = w.y + int(round(3 * np.sin(i / 2.0)))
            f[y1:y2, x1:x2] = s[y1 - y : y2 - y, x1 - x : x2 - x]
        return f

    def frames(self) -> Iterator[np.ndarray]:
        for i in range(self.n):
            yield self.frame(i)


def street(
    frames: int = 795, width: int = 768, height: int = 576, fps: float = 10.0, people: int = 10, seed: int = 0
) -> Street:
    """``people`` walkers spread over the clip (at most three on screen at once when spread evenly)."""
    import cv2
    from skimage import data

    ast = data.astronaut()[:, 60:460]
    cam = np.stack([data.camera()[:, 80:400]] * 3, -1)
    sprites = []
    for img, h in ((ast, 200), (cam, 230), (ast, 160), (cam, 190)):
        s = h / img.shape[0]
        sprites.append(cv2.resize(img, (int(img.shape[1] * s), h), interpolation=cv2.INTER_AREA))
    rng = np.random.default_rng(seed)
    walkers = []
    for p in range(people):
        speed = float(rng.uniform(6, 12)) * (1 if p % 2 == 0 else -1)
        sprite = int(p % len(sprites))
        enter = int(p * (frames - (width + 300) / abs(speed)) / max(1, people - 1)) if people > 1 else 0
        y = int(rng.integers(20, height - sprites[sprite].shape[0] - 10))
        walkers.append(Walker(sprite, max(0, enter), y, speed))
    return Street(frames, width, height, fps, walkers, sprites)
