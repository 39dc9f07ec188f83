"""Named colours: reference values, HSV pixel masks and Lab-based naming.

Hue ranges are OpenCV's (H in 0..179). Achromatic names (black, white, gray)
are decided by value and saturation.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_color", "COLORS", "SYNONYMS", "normalise_color", "color_mask", "name_colors", "rgb_to_lab", "parse_color_value"]

# name -> reference RGB
COLORS: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 35),
    "orange": (245, 135, 20),
    "yellow": (240, 215, 40),
    "green": (40, 165, 60),
    "cyan": (30, 200, 210),
    "blue": (30, 70, 215),
    "purple": (125, 45, 170),
    "magenta": (215, 40, 190),
    "pink": (245, 140, 185),
    "brown": (125, 80, 45),
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "gray": (128, 128, 128),
}
SYNONYMS = {"grey": "gray", "violet": "purple", "teal": "cyan", "turquoise": "cyan", "gold": "yellow",
            "golden": "yellow", "crimson": "red", "scarlet": "red", "navy": "blue", "lime": "green",
            "silver": "gray", "tan": "brown", "beige": "brown", "lilac": "purple", "lavender": "purple",
            "maroon": "red", "aqua": "cyan", "fuchsia": "magenta", "olive": "green"}

# chromatic name -> list of (h_lo, h_hi) in OpenCV hue units, min saturation, min value
_HUE_RANGES: dict[str, tuple[list[tuple[int, int]], int, int]] = {
    "red": ([(0, 9), (170, 179)], 90, 60),
    "orange": ([(10, 21)], 110, 120),
    "yellow": ([(22, 34)], 80, 110),
    "green": ([(35, 84)], 60, 40),
    "cyan": ([(85, 99)], 60, 50),
    "blue": ([(100, 129)], 70, 40),
    "purple": ([(130, 149)], 50, 40),
    "magenta": ([(150, 169)], 80, 60),
}


def normalise_color(name: str) -> str | None:
    """Canonical colour name for ``name`` (synonyms, case, 'grey'), or None if unknown."""
    key = name.strip().lower()
    key = SYNONYMS.get(key, key)
    return key if key in COLORS else None


def check_color(value: str | None) -> None:
    """Raise ``ValueError`` naming the known colours when ``value`` is not one of them."""
    if value is not None and normalise_color(value) is None:
        raise ValueError(f"color {value!r} is unknown; use one of: {', '.join([*COLORS, *SYNONYMS])}")


def parse_color_value(value: str) -> tuple[int, int, int] | None:
    """An RGB triple from a colour name or '#rrggbb'."""
    name = normalise_color(value)
    if name:
        return COLORS[name]
    v = value.strip().lstrip("#")
    if len(v) == 6:
        try:
            return tuple(int(v[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
        except ValueError:
            return None
    return None


def color_mask(image: np.ndarray, name: str) -> np.ndarray:
    """HxW bool mask of the pixels of ``image`` (HxWx3 uint8 RGB) that look like colour ``name``."""
    import cv2

    canon = normalise_color(name)
    if canon is None:
        raise ValueError(f"unknown colour {name!r}; known colours: {', '.join(COLORS)}")
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    h, s, v = hsv[..., 0].astype(np.int16), hsv[..., 1].astype(np.int16), hsv[..., 2].astype(np.int16)
    if canon == "black":
        return v < 55
    if canon == "white":
        return (s < 45) & (v > 195)
    if canon == "gray":
        return (s < 45) & (v >= 55) & (v <= 195)
    if canon == "pink":
        hue = (h >= 140) | (h <= 8)
        return hue & (s >= 25) & (s < 150) & (v >= 150)
    if canon == "brown":
        return (h >= 5) & (h <= 25) & (s >= 70) & (v >= 25) & (v < 150)
    ranges, s_min, v_min = _HUE_RANGES[canon]
    hue = np.zeros(h.shape, bool)
    for lo, hi in ranges:
        hue |= (h >= lo) & (h <= hi)
    return hue & (s >= s_min) & (v >= v_min)


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """Nx3 (or HxWx3) uint8 RGB -> float32 CIE Lab (L in 0..100)."""
    import cv2

    arr = np.asarray(rgb, dtype=np.float32) / 255.0
    flat = arr.reshape(-1, 1, 3)
    return cv2.cvtColor(flat, cv2.COLOR_RGB2Lab).reshape(arr.shape)


_REF_LAB = None


def _nearest_names(lab: np.ndarray) -> list[str]:
    global _REF_LAB
    if _REF_LAB is None:
        _REF_LAB = rgb_to_lab(np.array(list(COLORS.values()), dtype=np.uint8))
    names = list(COLORS)
    d = ((lab[:, None, :] - _REF_LAB[None, :, :]) ** 2).sum(-1)
    return [names[i] for i in d.argmin(1)]


def name_colors(pixels: np.ndarray, k: int = 4, max_samples: int = 20000) -> list[tuple[str, float]]:
    """Dominant named colours of Nx3 uint8 RGB ``pixels``: k-means in Lab (fixed seed),
    each centre named by its nearest reference colour; returns (name, fraction) pairs,
    largest first, same names merged."""
    import cv2

    px = np.asarray(pixels, dtype=np.uint8).reshape(-1, 3)
    if len(px) == 0:
        return []
    if len(px) > max_samples:
        idx = np.linspace(0, len(px) - 1, max_samples).astype(np.int64)
        px = px[idx]
    lab = rgb_to_lab(px).astype(np.float32)
    k = max(1, min(k, len(np.unique(px, axis=0))))
    cv2.setRNGSeed(0)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, labels, centres = cv2.kmeans(lab, k, None, criteria, 3, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=k).astype(np.float64)
    names = _nearest_names(centres)
    merged: dict[str, float] = {}
    for name, count in zip(names, counts, strict=False):
        merged[name] = merged.get(name, 0.0) + count / counts.sum()
    return sorted(merged.items(), key=lambda kv: -kv[1])
