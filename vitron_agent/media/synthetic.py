"""Synthetic clips with known ground truth, for tests, benchmarks and the demo.

``moving_disc`` draws a coloured disc moving over a textured background, with an
optional fade (the whole frame darkens) and an optional cut (the background and
the disc's position jump), and returns the frames with the true disc masks.
"""

from __future__ import annotations

import numpy as np

__all__ = ["disc_image", "moving_disc", "texture"]


def texture(
    h: int, w: int, seed: int, base: tuple[int, int, int] = (110, 120, 110), spread: float = 45.0
) -> np.ndarray:
    """A smooth, low-saturation random texture (HxWx3 uint8 RGB) around ``base``."""
    import cv2

    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, 1.0, (h, w, 1)).astype(np.float32)
    noise = cv2.GaussianBlur(noise, (0, 0), 2.0)[..., None]
    noise /= max(1e-6, float(noise.std()))
    tint = rng.normal(0.0, 0.15, (h, w, 3)).astype(np.float32)
    tex = np.asarray(base, np.float32) + spread * noise + 12.0 * tint
    return np.clip(tex, 0, 255).astype(np.uint8)


def moving_disc(
    frames: int = 24,
    size: tuple[int, int] = (96, 128),
    radius: int = 12,
    color: tuple[int, int, int] = (220, 30, 30),
    start: tuple[float, float] = (24.0, 30.0),
    velocity: tuple[float, float] = (3.0, 1.5),
    fade: bool = False,
    cut_at: int | None = None,
    seed: int = 0,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Frames (HxWx3 uint8 RGB) of a disc moving at ``velocity`` pixels a frame, bouncing off
    the borders, and its true masks (HxW bool). ``fade``: brightness falls linearly to 40%;
    ``cut_at``: from that frame on, another background and the disc moved elsewhere."""
    import cv2

    h, w = size
    backgrounds = [texture(h, w, seed), texture(h, w, seed + 1, base=(95, 105, 150))]
    x, y = start
    vx, vy = velocity
    out, masks = [], []
    for t in range(frames):
        if cut_at is not None and t == cut_at:
            x, y = w - x, h - y
        bg = backgrounds[1 if cut_at is not None and t >= cut_at else 0]
        frame = bg.copy()
        mask = np.zeros((h, w), np.uint8)
        cv2.circle(mask, (round(x), round(y)), radius, 1, -1)
        frame[mask > 0] = color
        if fade:
            frame = np.clip(frame.astype(np.float32) * (1.0 - 0.6 * t / max(1, frames - 1)), 0, 255).astype(np.uint8)
        out.append(frame)
        masks.append(mask > 0)
        x, y = x + vx, y + vy
        if not radius <= x <= w - radius:
            vx, x = -vx, min(max(x, radius), w - radius)
        if not radius <= y <= h - radius:
            vy, y = -vy, min(max(y, radius), h - radius)
    return out, masks


def disc_image(
    h: int = 120, w: int = 160, center=(80, 60), radius: int = 30, fg=(220, 30, 30), bg=(30, 60, 200)
) -> tuple[np.ndarray, np.ndarray]:
    """A red disc on a blue background: (HxWx3 uint8 image, HxW bool disc mask)."""
    yy, xx = np.mgrid[0:h, 0:w]
    mask = (xx - center[0]) ** 2 + (yy - center[1]) ** 2 <= radius**2
    img = np.empty((h, w, 3), np.uint8)
    img[:] = bg
    img[mask] = fg
    return img, mask
