"""Checks that a count by detection saw every one: where the detector found none, does the classifier?

A detector misses the hen behind two others, or the middle cat of a row, and a count of what it found
is then short and would be said surely. The classifier (EfficientNet-Lite2), run on windows the size
of the things counted where no counted box lies, names a missed one as a kind of what is counted when
it is there (a cat's face and flank are still "tabby"). A window it names so is evidence that the count
is short: the count becomes "at least", with where the evidence is.
"""

from __future__ import annotations

import numpy as np

__all__ = ["missed_like"]

MIN_NAMED = 0.35  # the counted kinds' summed probability on a window to call it one more
MAX_WINDOWS = 24  # classifier runs at most (about 12 ms each)


def _covered(box: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]) -> float:
    """The share of ``box`` inside the union of ``boxes`` (sampled on a 16x16 grid)."""
    x1, y1, x2, y2 = box
    xs, ys = np.meshgrid(np.linspace(x1, x2, 16), np.linspace(y1, y2, 16))
    inside = np.zeros(xs.shape, bool)
    for a1, b1, a2, b2 in boxes:
        inside |= (xs >= a1) & (xs <= a2) & (ys >= b1) & (ys <= b2)
    return float(inside.mean())


def _windows(shape: tuple[int, int], size: tuple[float, float], boxes: list[tuple]) -> list[tuple]:
    """Windows of ``size`` (w, h) at half-size strides, at most a quarter covered by ``boxes``."""
    h, w = shape
    bw, bh = min(size[0], w), min(size[1], h)
    out = []
    for y in np.arange(0, max(1.0, h - bh) + 1, max(8.0, bh / 2)):
        for x in np.arange(0, max(1.0, w - bw) + 1, max(8.0, bw / 2)):
            win = (float(x), float(y), float(x + bw), float(y + bh))
            if _covered(win, boxes) <= 0.25:
                out.append(win)
    return out


def missed_like(image: np.ndarray, items: list, kinds: frozenset[int]) -> list[tuple[float, float, float, float]]:
    """XYXY windows (distinct, best first) outside the counted ``items`` (Detections) where the
    classifier names one of ``kinds`` (ImageNet indices of what is counted) with at least
    :data:`MIN_NAMED`; [] when none, when nothing was counted, or when the classifier is not installed."""
    from vitron_agent.perception.classifier import class_probabilities, classifier_ready
    from vitron_agent.perception.detector import box_iou

    if not items or not kinds or not classifier_ready():
        return []
    boxes = [(d.box.x1, d.box.y1, d.box.x2, d.box.y2) for d in items]
    size = (float(np.median([b[2] - b[0] for b in boxes])), float(np.median([b[3] - b[1] for b in boxes])))
    wins = _windows(image.shape[:2], size, boxes)
    if len(wins) > MAX_WINDOWS:  # evenly spread, not the first rows only
        wins = [wins[int(i)] for i in np.linspace(0, len(wins) - 1, MAX_WINDOWS)]
    idx = np.array(sorted(kinds))
    scored = []
    for win in wins:
        p = float(class_probabilities(image, win)[idx].sum())
        if p >= MIN_NAMED:
            scored.append((p, win))
    kept: list[tuple[float, float, float, float]] = []
    for _, win in sorted(scored, key=lambda t: -t[0]):
        if all(box_iou(win, k) < 0.3 for k in kept):
            kept.append(win)
    return kept
