"""Parts of a picture named by place alone: a half, a corner's quarter, an edge's strip, the centre.

"the left half", "the top right", "the bottom 20%", "the middle": these are places, not things, and no
model is asked about them. The picture's segment tool and the video tools read them the same way
through :func:`place_region`, so "the top half" means the same rows on a photo and on a clip.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["HALF", "QUARTER", "STRIP", "geometric", "place_region", "strip_mask"]

HALF = re.compile(r"\b(left|right|top|bottom|upper|lower)\s+(?:side|half|part|portion|edge)\b", re.I)
# a corner of the picture named alone ("the top right", "in the bottom-left corner"): that quarter of it; a
# thing in a corner ("the person in the top right") is a thing, not this
QUARTER = re.compile(
    r"^(?:(?:what(?:'s| is)\s+)?(?:in|at)\s+)?(?:the\s+)?(?:very\s+)?(top|upper|bottom|lower)[\s-]*(left|right)"
    r"(?:[\s-]+(?:hand\s+)?(?:corner|quarter|part|area|bit|side|section))?(?:\s+of\s+(?:it|the\s+(?:image|picture|photo)))?$",
    re.I,
)
# a strip along one edge by its share ("the top 80%", "the left 25 percent of the picture"): that strip
STRIP = re.compile(
    r"^(?:the\s+)?(top|upper|bottom|lower|left|right)\s+(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b|per\s*cent\b)"
    r"(?:\s+of\s+(?:it|the\s+(?:image|picture|photo|frame)))?$",
    re.I,
)
# the middle of the picture named alone ("the centre", "the middle part of the frame")
CENTRE = re.compile(
    r"^(?:the\s+)?(?:very\s+)?(?:centre|center|middle)(?:\s+(?:part|area|bit|of it|of the (?:frame|video|image|picture)))?$",
    re.I,
)
_SIDE = {"upper": "top", "lower": "bottom"}


def geometric(target: str | None) -> bool:
    """A part of the picture by place alone (a half, a side, a corner, an edge's strip), not a thing."""
    text = (target or "").strip()
    return bool(HALF.search(text) or QUARTER.match(text) or STRIP.match(text))


def strip_mask(h: int, w: int, side: str, share: float) -> np.ndarray:
    """The strip along ``side`` ("top", "bottom", "left", "right") covering ``share`` (0..1] of the picture."""
    mask = np.zeros((h, w), bool)
    rows, cols = max(1, round(h * share)), max(1, round(w * share))
    sl = {
        "top": np.s_[:rows, :],
        "bottom": np.s_[h - rows :, :],
        "left": np.s_[:, :cols],
        "right": np.s_[:, w - cols :],
    }
    mask[sl[side]] = True
    return mask


def place_region(h: int, w: int, words: str | None, centre: bool = False) -> tuple[np.ndarray, str] | None:
    """The ``h`` x ``w`` mask of the place ``words`` name and how to say it ("the top-left quarter"), or
    None when they name no place. The centre (the middle half each way) counts only with ``centre``:
    on a picture "the middle" is usually a thing's position, on a clip's crop it is the place."""
    text = (words or "").strip()
    if quarter := QUARTER.match(text):
        row = _SIDE.get(quarter.group(1).lower(), quarter.group(1).lower())
        col = quarter.group(2).lower()
        mask = np.zeros((h, w), bool)
        mask[
            slice(0, h // 2) if row == "top" else slice(h - h // 2, h),
            slice(0, w // 2) if col == "left" else slice(w - w // 2, w),
        ] = True
        return mask, f"the {row}-{col} quarter"
    if (strip := STRIP.match(text)) and 0 < float(strip.group(2)) <= 100:
        side = _SIDE.get(strip.group(1).lower(), strip.group(1).lower())
        return strip_mask(h, w, side, float(strip.group(2)) / 100), f"the {side} {strip.group(2)}%"
    if half := HALF.search(text):
        side = _SIDE.get(half.group(1).lower(), half.group(1).lower())
        mask = np.zeros((h, w), bool)
        half_rows, half_cols = h // 2, w // 2
        rows = {"top": slice(0, half_rows), "bottom": slice(h - half_rows, h)}.get(side, slice(0, h))
        cols = {"left": slice(0, half_cols), "right": slice(w - half_cols, w)}.get(side, slice(0, w))
        mask[rows, cols] = True
        return mask, f"the {side} half"
    if centre and CENTRE.match(text):
        mask = np.zeros((h, w), bool)
        mask[h // 4 : h - h // 4, w // 4 : w - w // 4] = True  # the middle half each way
        return mask, "the centre"
    return None
