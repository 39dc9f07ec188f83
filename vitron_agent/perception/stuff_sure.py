"""How sure a stuff mask is, in words the turn can quote: by how much it stands out from what is
round it, and how much of the picture it covers.

A stuff region found by colour, texture and place is as good as its edge: a sky above dark hills or a
lawn under a dark tree line is cut cleanly; a pale floor under a pale wall, or a haze sliding into a
hazy lake, is not. The measure: the Lab distance between the mean colour of a band just inside the
mask's edge and a band just outside it, in a window of :data:`BAND` px round each edge pixel inside
the picture (at 320 px), its median along the edge. Levels (benchmarks/stuff_check.py prints IoU per
level): "high" at :data:`HIGH` Lab units or more, "fair" at :data:`FAIR` or more, "low" under it;
"low" too for a mask under :data:`TINY` of the picture; a method that already says it guessed is at
most "fair".
"""

from __future__ import annotations

import numpy as np

__all__ = ["how_sure"]

BAND = 4
HIGH = 25.0
FAIR = 12.0
TINY = 0.01


def _contrast(mask: np.ndarray, lab: np.ndarray) -> float | None:
    """The median, over the mask's edge pixels inside the picture, of the Lab distance between the
    mean colour of the mask's pixels and of the others in a window round each."""
    import cv2

    m = mask.astype(np.float32)
    k = (2 * BAND + 1, 2 * BAND + 1)
    edge = (cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0) & ~mask.astype(bool)
    edge[[0, -1]] = False
    edge[:, [0, -1]] = False
    if edge.sum() < 10:
        return None
    n_in = cv2.boxFilter(m, -1, k, normalize=False)
    n_out = cv2.boxFilter(1 - m, -1, k, normalize=False)
    diff = np.zeros(int(edge.sum()), np.float32)
    for ch in range(3):
        s_in = cv2.boxFilter(lab[..., ch] * m, -1, k, normalize=False)
        s_out = cv2.boxFilter(lab[..., ch] * (1 - m), -1, k, normalize=False)
        d = s_in[edge] / np.maximum(n_in[edge], 1) - s_out[edge] / np.maximum(n_out[edge], 1)
        diff += d * d
    return float(np.median(np.sqrt(diff)))


def how_sure(mask: np.ndarray, L: np.ndarray, a: np.ndarray, b: np.ndarray, guessed: bool) -> str:
    """'high', 'fair' or 'low', with the reason in words: "how sure: fair (its edge stands 18 Lab
    units out from what is round it)". ``mask`` HxW bool at the size of the Lab planes ``L, a, b``;
    ``guessed``: the method already says it assumed (a sky not blue, foliage not green)."""
    share = float(mask.mean())
    if share < TINY:
        return f"low (it covers only {100 * share:.1f} % of the picture)"
    lab = np.stack([L, a, b], -1).astype(np.float32)
    c = _contrast(mask, lab)
    if c is None:
        return "low (it has no edge inside the picture to judge it by)"
    edge = f"its edge stands {c:.0f} Lab units out from what is round it"
    if c >= HIGH and not guessed:  # a guess (a sky not blue) is at most fair however clean its edge
        return f"high ({edge})"
    if c >= FAIR:
        return f"fair ({edge})"
    return f"low (it blends into what is round it: {c:.0f} Lab units)"
