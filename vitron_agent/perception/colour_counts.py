"""Things of a colour on a photograph ("how many red things are there?"): the detector's objects whose
colour a person would call that colour (:func:`colors.box_colour`, judged against the light), and the
other areas of the colour, large enough to be a thing, that no counted object holds (a red box the
detector does not know). Blob counting, which the words "things" / "objects" used to select, counts
round spots of a colour standing out from their ring: on a garage photo with a red motorbike and a red
box it said "I see no red blobs clearly" (newcomer, session 12)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["ColouredThings", "coloured_things", "AREA"]

AREA = 0.005  # an area of the colour covering this share of the picture or more may be a thing of its own
_LIVING = frozenset(
    {"person", "bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe"}
)  # their browns are their own (colors.object_colour's ``natural``)


@dataclass
class ColouredThings:
    """``named``: detections of the colour; ``areas``: (mask, where) of other areas of it, largest first;
    ``checked``: how many detections were judged."""

    named: list[Any] = field(default_factory=list)
    areas: list[tuple[np.ndarray, str]] = field(default_factory=list)
    checked: int = 0
    outlines: list[np.ndarray] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.named) + len(self.areas)


def _is_colour(said: str, colour: str) -> bool:
    from vitron_agent.perception.colors import normalise_color

    words = said.replace("/", " ").split()
    return any(normalise_color(w) == colour for w in words)


def _where(mask: np.ndarray) -> str:
    ys, xs = np.nonzero(mask)
    h, w = mask.shape
    cx, cy = xs.mean() / w, ys.mean() / h
    col = "left" if cx < 0.36 else "right" if cx > 0.64 else "middle"
    row = "top" if cy < 0.36 else "bottom" if cy > 0.64 else ""
    return f"at the {row + ' ' if row else ''}{col}".replace("at the middle", "in the middle")


def coloured_things(
    image: np.ndarray,
    colour: str,
    found: list[Any],
    outline: Callable[[Any], np.ndarray] | None = None,
    min_score: float = 0.3,
) -> ColouredThings:
    """The detections in ``found`` (scoring ``min_score`` or more) of ``colour`` (a colour name the
    colour model knows), and the other areas of ``colour`` covering :data:`AREA` of the picture or more
    outside them (an area on a detected object is a part of it: a motorbike's red tank). A detection of
    the colour leaves out its ``outline`` (its mask; default its box: a red box standing inside the
    motorbike's box is a thing of its own only where outlines are given); one of another colour, its box.
    ``outlines``: the masks of the detections of the colour, in order (empty without ``outline``)."""
    import cv2

    from vitron_agent.perception.colors import box_colour, color_mask, normalise_color

    canon = normalise_color(colour)
    if canon is None:
        raise ValueError(f"unknown colour {colour!r}")
    out = ColouredThings()
    boxes = [d for d in found if d.score >= min_score]
    for d in boxes:
        out.checked += 1
        said = box_colour(image, (d.box.x1, d.box.y1, d.box.x2, d.box.y2), natural=d.label in _LIVING)
        if _is_colour(said, canon):
            out.named.append(d)
    h, w = image.shape[:2]
    mask = color_mask(image, canon).astype(np.uint8)
    k = max(3, int(round(min(h, w) / 100)) | 1)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))  # specks and edges of the colour
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((2 * k + 1, 2 * k + 1), np.uint8))  # one thing, one area
    for d in boxes:  # on a detected thing: a part of it, whatever its own colour
        if outline is not None and d in out.named:
            shape = outline(d)
            out.outlines.append(shape)
            grown = cv2.dilate(shape.astype(np.uint8), np.ones((2 * k + 1, 2 * k + 1), np.uint8)) > 0
            mask[grown] = 0
        else:
            mask[int(d.box.y1) : int(np.ceil(d.box.y2)), int(d.box.x1) : int(np.ceil(d.box.x2))] = 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    order = sorted(range(1, n), key=lambda i: -stats[i, cv2.CC_STAT_AREA])
    for i in order:
        if stats[i, cv2.CC_STAT_AREA] < AREA * h * w:
            break
        region = labels == i
        out.areas.append((region, _where(region)))
    return out
