"""A vehicle's wheels from its outline: the round lobes at the bottom of its mask.

Seen from the side or three-quarters, a wheeled vehicle stands on its wheels: the lowest edge of
its mask, column by column, is a row of downward arcs (the tyres) joined by higher stretches (the
underside between them). Each arc is followed from its lowest point outwards while the edge keeps
rising and stays a curve (it stops where the edge turns vertical -- the tyre's side meets the
mudguard -- or falls again -- the underside); an arc at least :data:`MIN_WIDTH` of the vehicle wide
whose lowest point lies near the vehicle's bottom is a wheel. A wheel is about as tall as it is
wide (a circle seen at an angle is an ellipse no wider than it is tall), so its box is the arc's
width square on its lowest point, and its mask the vehicle's mask inside that ellipse. A
kickstand or a foot is a narrow spike, not an arc.

No learned model: it holds for any vehicle the detector outlines, and says nothing of which
wheel is the front (:func:`find_wheels` returns them left to right).
"""

from __future__ import annotations

import numpy as np

__all__ = ["find_wheels", "wheel_mask", "MIN_WIDTH"]

MIN_WIDTH = 0.12  # an arc at least this share of the vehicle's width is a wheel
_NEAR_BOTTOM = 0.25  # its lowest point within this share of the vehicle's height of the bottom
_STEEP = 3.0
_CURVED = 0.3  # ... and rises at both ends by this share of its half-width (a round tyre, not an underside)  # the edge rising this many rows a column has turned vertical: the tyre's side


def _bottom(mask: np.ndarray) -> np.ndarray:
    """The lowest mask row of each column (-1 where the column is empty), lightly smoothed."""
    h = mask.shape[0]
    rows = np.where(mask.any(0), h - 1 - np.argmax(mask[::-1], 0), -1).astype(float)
    out = rows.copy()
    for x in range(2, len(rows) - 2):
        win = rows[x - 2 : x + 3]
        if (win >= 0).all():
            out[x] = float(np.median(win))
    return out


def _arc(b: np.ndarray, xc: int, step: int, tol: float) -> int:
    """The column where the arc from its lowest point ``xc`` ends, going ``step`` (+1 / -1): where
    the edge turns vertical (the tyre's side) or, having risen, falls back by more than ``tol``
    rows (the underside after the tyre): then at its highest point."""
    x, best = xc, xc
    while 0 <= x + step < len(b) and b[x + step] >= 0:
        if b[x] - b[x + step] > _STEEP:
            break
        x += step
        if b[x] < b[best]:
            best = x
        elif b[x] > b[best] + tol:
            return best
    return x


def _top_beyond(b: np.ndarray, end: int, step: int, reach: int) -> float:
    """The highest edge row (smallest row) from an arc's ``end`` up to ``reach`` columns past it,
    going ``step``: an arc that stops where the tyre's side turns vertical has risen by its side
    too (a one-column step in the mask's edge had stopped the rear wheel's arc half-way up)."""
    cols = [end + step * k for k in range(reach + 1) if 0 <= end + step * k < len(b) and b[end + step * k] >= 0]
    return float(min(b[c] for c in cols))


def find_wheels(mask: np.ndarray) -> list[tuple[float, float, float, float]]:
    """The wheels' boxes (XYXY pixels, left to right) of the vehicle whose HxW bool ``mask`` is
    given; [] when its bottom edge shows no wheel-sized arc (a vehicle seen from the front, a
    mask that stops short of the ground)."""
    ys, xs = np.nonzero(mask)
    if not len(xs):
        return []
    x0, x1, top, low = int(xs.min()), int(xs.max()) + 1, int(ys.min()), int(ys.max())
    width, height = x1 - x0, low - top + 1
    b = _bottom(mask)
    out: list[tuple[float, float, float, float]] = []
    taken = np.zeros(len(b), bool)
    for xc in sorted(range(x0, x1), key=lambda x: -b[x]):
        if b[xc] < low - _NEAR_BOTTOM * height:
            break  # lowest first: every later column is higher
        if taken[xc]:
            continue
        tol = max(2.0, 0.02 * height)
        left, right = _arc(b, xc, -1, tol), _arc(b, xc, +1, tol)
        taken[max(left - 1, 0) : right + 2] = True
        w = right - left + 1
        # a wheel-sized arc that curves up at both ends (a flat underside does not)
        reach = max(3, min(12, w // 8))
        if w < MIN_WIDTH * width or min(
            b[xc] - _top_beyond(b, left, -1, reach), b[xc] - _top_beyond(b, right, 1, reach)
        ) < (_CURVED * w / 2):
            continue
        out.append((float(left), float(max(top, b[xc] + 1 - w)), float(right + 1), float(b[xc] + 1)))
    return sorted(out)


def wheel_mask(mask: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The vehicle's ``mask`` inside the ellipse ``box`` bounds."""
    h, w = mask.shape
    yy, xx = np.mgrid[0:h, 0:w]
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    rx, ry = max(1.0, (box[2] - box[0]) / 2), max(1.0, (box[3] - box[1]) / 2)
    return mask & (((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 <= 1.0)
