"""Water as people point at it: below the horizon, blue or blue-green -- or of the sky's own colours (a
lake reflects a sunset's orange or a haze's grey) -- or broken by horizontal ripples, smooth to rippled.

Method (on the stuff heuristic's small copy, :mod:`vitron_agent.perception.stuff`):
1. the horizon: the row under which the sky (its mask) has at most 2 % of its pixels; with no sky, the
   upper fifth of the picture;
2. candidates under it, texture below :data:`MAX_TEX` times the picture's median: blue or blue-green
   (b* < -4, or a* < -4 with b* < 8); of a colour within :data:`SKY_ALIKE` Lab units of the sky's own
   (k-means centres); or rippled (the vertical gradient of lightness :data:`STREAKS` times the
   horizontal one, smoothed); the last two calm (texture under :data:`CALM` L units a pixel);
3. connected regions touching the sides or the bottom, of at least 2 % of the picture, whose centre
   lies under the horizon and in the lower part (:data:`LOW`); water mostly not blue is a pale ground under a pale sky as often as a lake:
   the method says "unsure" then.
"""

from __future__ import annotations

import numpy as np

__all__ = ["water"]

MAX_TEX = 2.5
SKY_ALIKE = 9.0  # Lab units to the nearest of the sky's colour centres
LOW = 0.4  # water's centre lies below this share of the height (far blue hills lie higher)
CALM = 9.0  # L units a pixel: the texture of water that is not blue, at most
STREAKS = 1.8  # a ripple's vertical gradient over its horizontal one


def _horizon(sky: np.ndarray) -> int:
    sh = sky.shape[0]
    if sky.sum() < 0.02 * sky.size:
        return int(0.2 * sh)
    rows = np.cumsum(sky.sum(1)) / sky.sum()
    return int(np.searchsorted(rows, 0.98))


def _sky_alike(lab: np.ndarray, sky: np.ndarray) -> np.ndarray:
    import cv2

    if sky.sum() < 50:
        return np.zeros(sky.shape, bool)
    px = lab[sky].astype(np.float32)
    k = min(4, len(px))
    _, _, centres = cv2.kmeans(px, k, None, (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 15, 0.5), 2, 0)
    dist = np.min(np.linalg.norm(lab[..., None, :] - centres[None, None], axis=-1), -1)
    return dist <= SKY_ALIKE


def _rippled(L: np.ndarray) -> np.ndarray:
    import cv2

    g = cv2.GaussianBlur(L, (3, 3), 0)
    gx = cv2.blur(np.abs(cv2.Sobel(g, cv2.CV_32F, 1, 0)), (9, 9))
    gy = cv2.blur(np.abs(cv2.Sobel(g, cv2.CV_32F, 0, 1)), (9, 9))
    return (gy > STREAKS * gx) & (gy > 1.0)


def water(L, a, b, tex: np.ndarray, sky: np.ndarray, med: float) -> tuple[np.ndarray, str]:
    """(HxW bool water at this size, a note: "" or "unsure ..."): ``L, a, b`` Lab planes (L 0-100),
    ``tex`` texture relative to the picture's median ``med`` (L units a pixel), ``sky`` the sky mask
    at this size."""
    from vitron_agent.perception.masks import components

    sh, sw = L.shape
    lab = np.stack([L, a, b], -1).astype(np.float32)
    below = np.arange(sh)[:, None] > _horizon(sky) + np.zeros((1, sw), int)
    smooth = (tex < MAX_TEX) & below & ~sky
    blue = (b < -4) | ((a < -4) & (b < 8))
    # water not blue must be calm and not green: pebbles, gravel and lawns are textured
    calm = (tex * med < CALM) & (a > -8)
    alike = _sky_alike(lab, sky) & ~blue & calm
    rippled = _rippled(L) & calm
    keep = np.zeros((sh, sw), bool)
    for c in components(_tidy(smooth & (blue | alike | rippled)), min_pixels=max(8, sh * sw // 50)):
        ys, _ = np.nonzero(c)
        touches = c[-1].any() or c[:, 0].any() or c[:, -1].any()
        if touches and ys.mean() > max(_horizon(sky), LOW * sh):  # blue-grey far hills lie higher
            keep |= c
    note = ""
    if keep.any() and float(blue[keep].mean()) < 0.5:
        note = (
            "unsure: it cannot recognise 'the water' by name, so it took calm regions under the horizon of the "
            "sky's colours or rippled (not blue: they may be a pale ground)"
        )
    return keep, note


def _tidy(mask: np.ndarray) -> np.ndarray:
    import cv2

    k = np.ones((3, 3), np.uint8)
    m = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, k)
    return cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) > 0
