"""Plain borders along a picture's or a clip's edges: black bars (letterbox, pillarbox), a white margin, a
scanned page's blank edge. "crop the black bars", "trim the whitespace", "remove the white border" had been
read as a thing to select ("the black bars") and the picture was cropped to it, or the border painted over.

A line (a row or a column) belongs to the border when it is plain (its pixels vary little) and of the
outermost line's colour, and that colour is black, white or grey (a clear blue sky along the top is
picture); lines are taken from each edge inward while they are, and the first line past them must differ from the
border on most of its length (a border ends in a step; an overcast sky ends where a head rises into it). On a clip, every sampled
frame is read and the kept box is the union of what the frames show (a frame that is all one colour, at a
fade, is skipped), so no frame loses picture. Nothing is found when no edge has a border of at least
:data:`MIN_SHARE` of its side.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["content_box", "border_words", "MIN_SHARE", "BORDER_PART"]

PLAIN_STD = 7.0  # a line's pixels vary at most this much (standard deviation, 0-255 per channel): plain
SAME_COLOUR = 18.0  # and its mean colour is within this (per channel) of the outermost line's
MIN_SHARE = 0.01  # a border is at least this share of the side it lies across (and 2 pixels)
MAX_CHROMA = 30.0  # a border is black, white or grey: its channels differ by at most this
MAX_SHARE = 0.45  # and at most this share from one edge (more is a plain picture, not a border)
STEP = 30.0  # the first line past a border differs from the border's colour by this (max channel) ...
STEP_SHARE = 0.3  # ... on at least this share of its length
BORDER_PART = "inside the borders"  # the crop's ``part`` words for the picture inside its plain borders


def _plain(lines: np.ndarray) -> np.ndarray:
    """Per line (axis 0 of an N x L x 3 float array): its mean colour (N x 3) and whether it is plain."""
    mean = lines.mean(axis=1)
    return mean, lines.std(axis=1).max(axis=1) <= PLAIN_STD


def _depth(lines: np.ndarray) -> int:
    """How many lines from the start of ``lines`` (N x L x 3, the edge first) are border."""
    mean, plain = _plain(lines)
    if not plain[0] or float(mean[0].max() - mean[0].min()) > MAX_CHROMA:
        return 0  # a coloured plain edge (a clear sky) is picture: borders are black, white or grey
    same = plain & (np.abs(mean - mean[0]).max(axis=1) <= SAME_COLOUR)
    limit = int(MAX_SHARE * len(lines))
    stop = np.flatnonzero(~same[: limit + 1])
    if not stop.size:
        return 0  # all plain up to the limit: a plain picture, no border
    # a border ends in a step: most of the next line is far from its colour (a grey sky ends where a head
    # rises into it, a few pixels of the line)
    step = np.abs(lines[stop[0]] - mean[0]).max(axis=1) > STEP
    return int(stop[0]) if float(step.mean()) >= STEP_SHARE else 0


def _one(frame: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x1, y1, x2, y2) of ``frame`` inside its borders; None for a frame of one colour."""
    img = frame[..., :3].astype(np.float32) if frame.ndim == 3 else np.repeat(frame[..., None], 3, 2).astype(np.float32)
    h, w = img.shape[:2]
    if float(img.std(axis=(0, 1)).max()) <= PLAIN_STD:
        return None
    top, bottom = _depth(img), _depth(img[::-1])
    left, right = _depth(img.transpose(1, 0, 2)), _depth(img.transpose(1, 0, 2)[::-1])
    return left, top, w - right, h - bottom


def content_box(frames: Iterable[np.ndarray]) -> tuple[int, int, int, int] | None:
    """(x1, y1, x2, y2) that keeps what every frame shows inside its plain borders (the union over the frames),
    or None when no edge has a border (at least :data:`MIN_SHARE` of the side and 2 pixels)."""
    box: list[int] | None = None
    size = None
    for frame in frames:
        size = frame.shape[:2]
        one = _one(frame)
        if one is None:
            continue
        box = (
            list(one)
            if box is None
            else [min(box[0], one[0]), min(box[1], one[1]), max(box[2], one[2]), max(box[3], one[3])]
        )
    if box is None or size is None:
        return None
    h, w = size
    x1, y1, x2, y2 = box
    cuts = (x1, w - x2, y1, h - y2)
    sides = (w, w, h, h)
    if not any(c >= max(2, MIN_SHARE * s) for c, s in zip(cuts, sides, strict=True)):
        return None
    return x1, y1, x2, y2


def border_words(box: tuple[int, int, int, int], width: int, height: int) -> str:
    """ "40 px at the top and 40 px at the bottom" for what ``box`` cuts off a ``width`` x ``height`` picture."""
    x1, y1, x2, y2 = box
    said = [
        f"{n} px at the {side}"
        for n, side in ((y1, "top"), (height - y2, "bottom"), (x1, "left"), (width - x2, "right"))
        if n
    ]
    return " and ".join(said) if said else "nothing"
