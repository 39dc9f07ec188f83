"""Growing a stuff region from a sure seed: the sky down its smooth colour gradient (a sunset's orange
under its blue), the floor, water and ground from the rows they must touch, by colour and place.

The heuristic in :mod:`vitron_agent.perception.stuff` finds sure pixels of a kind (blue or pale smooth
sky at the top; green textured grass low down ...) but a class of stuff is wider than its commonest
colour: a sunset sky is orange near the horizon, a lake reflects that sunset, a wood floor is brown and a
carpet grey. Both growths below stop at an edge, so they take what is continuous with the seed and not
the wall above the floor or the hills under the sky.

- :func:`grow_smooth` floods from the seed across neighbours whose colour differs by at most
  :data:`STEP` (Lab units, on a blurred copy): a smooth gradient is crossed, a horizon is not.
- :func:`grow_alike` keeps the pixels whose colour lies near the seed's own colours (k-means centres,
  tolerance from the seed's own spread), connected to the seed.
"""

from __future__ import annotations

import numpy as np

__all__ = ["grow_smooth", "grow_alike", "fill_holes"]

STEP = 2.2  # Lab units between neighbours (blurred): a sky's gradient steps less, a horizon more
SEEDS = 60  # flood seeds sampled in the seed region
SAMPLE = 4000  # seed pixels the k-means centres are found from, at most


def _lab8(L: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    import cv2

    lab = np.stack([L * 2.55, a + 128, b + 128], -1).astype(np.float32)
    return cv2.GaussianBlur(lab, (5, 5), 0)


def grow_smooth(L, a, b, seed: np.ndarray, allowed: np.ndarray, step: float = STEP) -> np.ndarray:
    """``seed`` grown through ``allowed`` pixels across colour steps of at most ``step`` between
    neighbours (a float flood fill on blurred Lab): HxW bool."""
    import cv2

    if not seed.any():
        return seed
    lab = _lab8(L, a, b)
    sh, sw = seed.shape
    fill = np.zeros((sh + 2, sw + 2), np.uint8)
    fill[1:-1, 1:-1][~allowed] = 1  # the flood does not enter pixels already set in its mask
    ys, xs = np.nonzero(cv2.erode(seed.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0)
    if not len(ys):
        ys, xs = np.nonzero(seed)
    pick = np.linspace(0, len(ys) - 1, min(SEEDS, len(ys))).astype(int)
    flags = 8 | cv2.FLOODFILL_MASK_ONLY | (2 << 8)
    d = (step * 2.55, step, step)
    for y, x in zip(ys[pick], xs[pick], strict=True):
        if fill[y + 1, x + 1] == 0:
            cv2.floodFill(lab, fill, (int(x), int(y)), 0, d, d, flags)
    return seed | ((fill[1:-1, 1:-1] == 2) & allowed)


def grow_alike(L, a, b, seed: np.ndarray, allowed: np.ndarray, k: int = 4, slack: float = 1.3) -> np.ndarray:
    """The ``allowed`` pixels whose Lab colour lies within the seed's own spread (times ``slack``) of
    one of its k-means centres, in components touching ``seed``: HxW bool."""
    import cv2

    if seed.sum() < 20:
        return seed
    lab = _lab8(L, a, b)
    centres = _centres(lab, seed, k)
    dist = np.min(np.linalg.norm(lab[..., None, :] - centres[None, None], axis=-1), -1)
    tol = float(np.percentile(dist[seed], 90)) * slack + 4.0
    cand = (dist <= tol) & allowed
    n, lab_cc = cv2.connectedComponents(cand.astype(np.uint8), connectivity=8)
    hit = np.unique(lab_cc[seed & cand])
    return np.isin(lab_cc, hit[hit > 0]) | seed


def fill_holes(region: np.ndarray, max_share: float = 0.05) -> np.ndarray:
    """``region`` with its enclosed holes (not touching the border) under ``max_share`` of the picture
    filled: a cloud in the sky, a leaf on the lawn."""
    import cv2

    sh, sw = region.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats((~region).astype(np.uint8), connectivity=8)
    x, y, w, h, area = (stats[:, i] for i in range(5))
    inside = (x > 0) & (y > 0) & (x + w < sw) & (y + h < sh) & (area <= max_share * sh * sw)
    inside[0] = False  # the region itself
    return region | np.isin(labels, np.nonzero(inside)[0])


def _centres(lab: np.ndarray, seed: np.ndarray, k: int = 4) -> np.ndarray:
    import cv2

    px = lab[seed].astype(np.float32)
    px = px[:: max(1, len(px) // SAMPLE)]  # the centres of a few thousand pixels are as good
    k = min(k, len(px))
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    return cv2.kmeans(px, k, None, crit, 2, cv2.KMEANS_PP_CENTERS)[2]


def nearer(L, a, b, seed: np.ndarray, rival: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """The ``allowed`` pixels whose colour lies nearer the ``seed``'s colours (k-means centres) than
    the ``rival``'s, in components touching ``seed``: two stuffs that touch and share a hue (a lawn and
    the darker tree line behind it) told apart by their own colours. ``seed`` grown alike when the
    rival has too few pixels."""
    import cv2

    if rival.sum() < 20 or seed.sum() < 20:
        return grow_alike(L, a, b, seed, allowed)
    lab = _lab8(L, a, b)

    def dist(m: np.ndarray) -> np.ndarray:
        c = _centres(lab, m)
        return np.min(np.linalg.norm(lab[..., None, :] - c[None, None], axis=-1), -1)

    cand = (dist(seed) < dist(rival)) & allowed
    _, cc = cv2.connectedComponents(cand.astype(np.uint8), connectivity=8)
    hit = np.unique(cc[seed & cand])
    return np.isin(cc, hit[hit > 0]) | seed
