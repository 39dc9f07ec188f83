"""Naming segments, not boxes: the classifier asked about a region's own pixels, the rest greyed out.

The classifier (EfficientNet-Lite2) names what a square window holds. Around a thing that is not the
picture's subject the window holds mostly other things, and the thing's own name gets almost
nothing: on the tuning half's own boxes of the astronaut's space-shuttle model the classifier gives
"space shuttle" 0.02, the sundial 0.02, the motorcycle's front wheel "car wheel" 0.04. With the
pixels outside the thing's outline set to the classifier's mean grey it gives 0.72, 0.29 and 0.48
(benchmarks/recognition_segments.py: the tuning half's traced outlines). The boxes were never the
problem; what else they held was.

So the proposals here are *segments*: selective search's regions as pixel sets (Uijlings et al.,
IJCV 2013; the grouping of :mod:`~vitron_agent.perception.region_proposals`, which keeps only
boxes), each the union of the first Felzenszwalb regions merged into it. They are ranked by how
much of the wanted classes' activation map they hold (the F-measure of its mass inside and its mean
inside), and the first :data:`LIMIT` are classified on their own pixels (12 ms each). A segment
whose wanted classes -- the name's WordNet hyponyms -- reach :data:`MIN_SEGMENT_SCORE` together is a
find; the threshold was fitted on the tuning half's expressions and on tuning photos asked for names
they do not hold (benchmarks/recognition_segments.py), never on the held-out half: on 39 tuning
expressions whose name the classifier knows and 108 absent-name asks, 0.2 gave 9 hits and 1 false
find, 0.25 8 hits and 1 false find ("rocket" on the rowing boats, 0.28), 0.3 6 hits and none.
Every answer found so is said unsure (:func:`~vitron_agent.perception.region_search.by_segments`).
"""

from __future__ import annotations

import heapq

import numpy as np

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.picture_memo import per_picture

__all__ = ["segments", "named_segments", "masked_probabilities", "LIMIT", "MIN_SEGMENT_SCORE"]

SIDE = 256  # the longer side the grouping runs at
SCALES = (100, 300)  # Felzenszwalb's k, as region_proposals
MIN_SHARE, MAX_SHARE = 0.002, 0.6  # a segment's pixels as a share of the picture
SAME = 0.8  # segments this alike (mask IoU) are one
LIMIT = 48  # segments classified a look
MIN_SEGMENT_SCORE = 0.25  # the wanted classes' summed probability on a segment's own pixels (fitted, module doc)
GREY = np.array([124, 116, 104], np.uint8)  # the classifier's input mean: what "nothing" looks like to it
_BINS = 25


@per_picture(maxsize=4)
def segments(image: np.ndarray) -> tuple[np.ndarray, ...]:
    """Selective search's regions of ``image`` (HxWx3 uint8 RGB) as HxW bool masks at
    :data:`SIDE` px on the longer side (a tuple; each between :data:`MIN_SHARE` and
    :data:`MAX_SHARE` of the picture, near duplicates once), larger merges first."""
    import cv2

    h, w = image.shape[:2]
    if min(h, w) < 16:
        return ()
    f = min(1.0, SIDE / max(h, w))
    small = cv2.resize(image, (max(8, round(w * f)), max(8, round(h * f))), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    out: list[np.ndarray] = []
    candidates: list[np.ndarray] = []
    for k in SCALES:
        labels, groups = _grouping(small, hsv, k)
        candidates += [_pixels(labels, members) for members in groups]
        if k == SCALES[0]:
            candidates += _box_segments(labels, image, f)
    arr = np.zeros((len(candidates), 4))
    for m in candidates:
        share = m.mean()
        if not MIN_SHARE <= share <= MAX_SHARE:
            continue
        ys, xs = np.nonzero(m)
        b = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        if any(_mask_iou(m, out[i]) >= SAME for i in np.nonzero(_box_ious(b, arr[: len(out)]) >= SAME)[0]):
            continue
        arr[len(out)] = b
        out.append(m)
    return tuple(out)


INSIDE = 0.8  # a first region this much inside a proposal's box belongs to the segment the box holds


def _box_segments(labels: np.ndarray, image: np.ndarray, f: float) -> list[np.ndarray]:
    """A segment for each of selective search's boxes (:func:`~vitron_agent.perception.region_proposals.region_proposals`):
    the first regions (``labels``, at scale ``f`` of ``image``) at least :data:`INSIDE` inside it --
    the thing the box holds without what only passes through it (the floor behind a wheel, the grass
    round a sundial), which a merge of similar colours never gives as one region."""
    from vitron_agent.perception.region_proposals import region_proposals

    n = int(labels.max()) + 1
    total = np.bincount(labels.ravel(), minlength=n)
    out = []
    for b in region_proposals(image):
        x1, y1, x2, y2 = (int(round(v * f)) for v in b)
        inside = np.bincount(labels[y1:y2, x1:x2].ravel(), minlength=n)
        keep = np.nonzero(inside >= INSIDE * np.maximum(total, 1))[0]
        if len(keep):
            out.append(_pixels(labels, keep))
    return out


def _pixels(labels: np.ndarray, members) -> np.ndarray:
    """HxW bool: the pixels whose first region is one of ``members`` (a lookup, not a search)."""
    lut = np.zeros(int(labels.max()) + 1, bool)
    lut[np.asarray(members, np.int64)] = True
    return lut[labels]


def _box_ious(b: tuple, arr: np.ndarray) -> np.ndarray:
    """IoU of box ``b`` with each row of ``arr`` (N x 4, XYXY)."""
    ix = np.clip(np.minimum(arr[:, 2], b[2]) - np.maximum(arr[:, 0], b[0]), 0, None)
    iy = np.clip(np.minimum(arr[:, 3], b[3]) - np.maximum(arr[:, 1], b[1]), 0, None)
    inter = ix * iy
    union = (arr[:, 2] - arr[:, 0]) * (arr[:, 3] - arr[:, 1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / np.maximum(union, 1e-9)


def _mask_iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 0.0


def _grouping(rgb: np.ndarray, hsv: np.ndarray, k: int) -> tuple[np.ndarray, list[list[int]]]:
    """(Felzenszwalb's labels, each region's first labels): every merge of selective search over one
    scale (colour, size and fill similarity, as :func:`~vitron_agent.perception.region_proposals._hierarchy`),
    last (largest) first, then the first regions."""
    from skimage.segmentation import felzenszwalb

    from vitron_agent.perception.region_proposals import _features, _neighbours

    labels = felzenszwalb(rgb, scale=k, sigma=0.8, min_size=max(20, k // 4))
    n = int(labels.max()) + 1
    hist, size, box = _features(labels, hsv, n)
    hists, sizes, boxes = list(hist), list(size), [tuple(b) for b in box]
    members: list[list[int]] = [[i] for i in range(n)]
    total = float(labels.size)
    adj: dict[int, set[int]] = {i: set() for i in range(n)}
    for a, b in _neighbours(labels):
        adj[a].add(b)
        adj[b].add(a)

    def sim(a: int, b: int) -> float:
        ba, bb = boxes[a], boxes[b]
        joint = (max(ba[2], bb[2]) - min(ba[0], bb[0])) * (max(ba[3], bb[3]) - min(ba[1], bb[1]))
        colour = float(np.minimum(hists[a], hists[b]).sum())
        return colour + (1 - (sizes[a] + sizes[b]) / total) + (1 - (joint - sizes[a] - sizes[b]) / total)

    heap = [(-sim(a, b), a, b) for a in adj for b in adj[a] if a < b]
    heapq.heapify(heap)
    alive = set(range(n))
    merged: list[list[int]] = []
    while heap:
        _, a, b = heapq.heappop(heap)
        if a not in alive or b not in alive:
            continue
        t = len(sizes)
        sa, sb = sizes[a], sizes[b]
        hists.append((sa * hists[a] + sb * hists[b]) / (sa + sb))
        sizes.append(sa + sb)
        ba, bb = boxes[a], boxes[b]
        boxes.append((min(ba[0], bb[0]), min(ba[1], bb[1]), max(ba[2], bb[2]), max(ba[3], bb[3])))
        members.append(members[a] + members[b])
        merged.append(members[t])
        alive -= {a, b}
        near = (adj.pop(a) | adj.pop(b)) - {a, b}
        adj[t] = near
        for o in near:
            adj[o] -= {a, b}
            adj[o].add(t)
            heapq.heappush(heap, (-sim(t, o), min(t, o), max(t, o)))
        alive.add(t)
    first = sorted(range(n), key=lambda i: -sizes[i])
    return labels, merged[::-1] + [members[i] for i in first]


def _full(mask: np.ndarray, h: int, w: int) -> np.ndarray:
    """A segment's mask at the picture's size (HxW bool)."""
    import cv2

    return cv2.resize(mask.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)


def _bbox(mask: np.ndarray) -> tuple[float, float, float, float]:
    ys, xs = np.nonzero(mask)
    return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)


def masked_probabilities(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The 1,000 ImageNet class probabilities of the pixels of ``mask`` (HxW bool, the picture's
    size) alone: the window around them with every other pixel set to :data:`GREY`."""
    from vitron_agent.perception.classifier import class_probabilities

    x1, y1, x2, y2 = _bbox(mask)
    h, w = image.shape[:2]
    side = max(x2 - x1, y2 - y1) * 1.2
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    ax1, ay1 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    ax2, ay2 = int(min(w, cx + side / 2 + 1)), int(min(h, cy + side / 2 + 1))
    crop = image[ay1:ay2, ax1:ax2].copy()
    crop[~mask[ay1:ay2, ax1:ax2]] = GREY
    return class_probabilities(crop)


def _ranked(image: np.ndarray, masks: tuple[np.ndarray, ...], indices: list[int]) -> list[int]:
    """The segments' indices ordered by how well each holds the activation map of ``indices``."""
    import cv2

    from vitron_agent.perception.classifier import cam_map

    if not masks:
        return []
    sh, sw = masks[0].shape
    m = cv2.resize(cam_map(image, indices), (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float64)
    total = max(float(m.sum()), 1e-6)
    scores = []
    for seg in masks:
        inside = float(m[seg].sum())
        recall, mean = inside / total, inside / max(1, int(seg.sum()))
        scores.append(2 * recall * mean / max(recall + mean, 1e-9))
    return sorted(range(len(masks)), key=lambda i: -scores[i])


def named_segments(
    image: np.ndarray, wanted: frozenset[int], limit: int = LIMIT, min_score: float = MIN_SEGMENT_SCORE
) -> list[tuple[Detection, np.ndarray]]:
    """(detection, HxW bool mask) of each segment whose own pixels the classifier names as one of
    ``wanted`` (ImageNet indices) with at least ``min_score`` together, best first, one per thing
    (a segment inside a better one is a piece of it). The detection is labelled with the best wanted
    name and scored with the summed probability; its box is the segment's (XYXY pixels)."""
    from vitron_agent.perception.classifier import class_name, class_probabilities

    masks = segments(image)
    if not masks or not wanted:
        return []
    h, w = image.shape[:2]
    idx = sorted(wanted)
    whole = class_probabilities(image)
    top = sorted(idx, key=lambda i: -whole[i])[:3]
    hits: list[tuple[float, int, np.ndarray]] = []
    for i in _ranked(image, masks, top)[:limit]:
        full = _full(masks[i], h, w)
        if not full.any():
            continue
        p = masked_probabilities(image, full)
        score = float(p[idx].sum())
        if score >= min_score:
            hits.append((score, idx[int(np.argmax(p[idx]))], full))
    hits.sort(key=lambda t: -t[0])
    kept: list[tuple[Detection, np.ndarray]] = []
    for score, best, full in hits:
        if any((full & m).sum() >= 0.5 * full.sum() for _, m in kept):
            continue
        x1, y1, x2, y2 = _bbox(full)
        d = Detection(label=class_name(best), score=round(min(score, 1.0), 3), box=Box(x1=x1, y1=y1, x2=x2, y2=y2))
        kept.append((d, full))
    return kept
