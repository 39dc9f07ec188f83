"""Pixel features and mask clean-ups shared by the stuff finders (:mod:`stuff`, :mod:`stuff_material`,
:mod:`stuff_pieces`): Lab channels and texture, the working size, opening and closing. Their own
module so that the finders that share them do not import each other."""

from __future__ import annotations

import numpy as np

MAX_SIDE = 320  # the stuff finders work at most this many pixels a side


def _features(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """(L, a, b, texture relative to its median, the median texture in L units a pixel)."""
    import cv2

    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    L, a, b = lab[..., 0] * (100 / 255), lab[..., 1] - 128, lab[..., 2] - 128
    g = cv2.GaussianBlur(L, (3, 3), 0)
    mag = np.hypot(cv2.Sobel(g, cv2.CV_32F, 1, 0), cv2.Sobel(g, cv2.CV_32F, 0, 1))
    tex = cv2.blur(mag, (9, 9))
    med = max(float(np.median(tex)), 1e-3)
    return L, a, b, tex / med, med


def _small(image: np.ndarray) -> tuple[np.ndarray, float]:
    import cv2

    h, w = image.shape[:2]
    scale = min(1.0, MAX_SIDE / max(h, w))
    if scale >= 1:
        return image, 1.0
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale


def _open(mask: np.ndarray, k: int = 3) -> np.ndarray:
    import cv2

    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, np.ones((k, k), np.uint8)) > 0


def _close(mask: np.ndarray, k: int = 5) -> np.ndarray:
    import cv2

    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((k, k), np.uint8)) > 0
