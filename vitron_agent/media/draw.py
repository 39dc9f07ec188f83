"""Drawing on pictures: a mask tinted over its image with its outline."""

from __future__ import annotations

import numpy as np

__all__ = ["overlay"]


def overlay(image: np.ndarray, mask: np.ndarray, color=(0, 200, 83), alpha: float = 0.45) -> np.ndarray:
    """The image with the mask tinted and its outline drawn (HxWx3 uint8)."""
    import cv2

    out = image.copy()
    tint = np.array(color, np.float32)
    out[mask] = (out[mask].astype(np.float32) * (1 - alpha) + tint * alpha).astype(np.uint8)
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(out, contours, -1, tuple(int(c) for c in color), max(1, min(mask.shape) // 200))
    return out
