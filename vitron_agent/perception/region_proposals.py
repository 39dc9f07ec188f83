"""Region proposals by selective search: boxes where objects may be, from the picture alone.

Uijlings et al., "Selective Search for Object Recognition" (IJCV 2013): the picture is cut into
small regions of one colour (Felzenszwalb & Huttenlocher's graph segmentation,
``skimage.segmentation.felzenszwalb``), then the two most similar neighbouring regions are merged,
again and again, until one is left; every region met on the way -- the first ones and each merge --
is a proposal (its box). Similarity is the paper's colour (histogram intersection of 25 bins a
channel, HSV), size (small regions merge first, so no one region eats the picture) and fill (two
regions whose joint box they fill merge first). Texture similarity is left out (its gradient
histograms cost more than the rest here). Two segmentation scales diversify the proposals (the
paper's "fast" mode uses two as well, with several colour spaces).

Run at most :data:`SIDE` pixels a side (≈ 30-60 ms on one core for a 256-px picture) and scaled
back; boxes under :data:`MIN_SHARE` of the picture or over :data:`MAX_SHARE`, or longer than
:data:`MAX_ASPECT` to one, are dropped, and near duplicates (IoU >= :data:`SAME`) kept once.
"""

from __future__ import annotations

import heapq

import numpy as np

from vitron_agent.perception.picture_memo import per_picture

__all__ = ["region_proposals", "SIDE", "SCALES"]

SIDE = 256  # the longer side the search runs at
SCALES = (100, 300)  # Felzenszwalb's k: a larger k gives larger first regions
MIN_SHARE, MAX_SHARE = 0.004, 0.9  # a proposal's box as a share of the picture
MAX_ASPECT = 5.0
SAME = 0.8  # boxes this alike are one proposal
_BINS = 25

Box4 = tuple[float, float, float, float]


@per_picture(maxsize=4)
def region_proposals(image: np.ndarray) -> list[Box4]:
    """XYXY pixel boxes (floats, in ``image``'s coordinates) of selective search's regions over
    ``image`` (HxWx3 uint8 RGB), larger regions (later merges) first within each scale, the scales
    interleaved; near duplicates removed. Empty for a picture under 16 px a side."""
    import cv2

    h, w = image.shape[:2]
    if min(h, w) < 16:
        return []
    f = min(1.0, SIDE / max(h, w))
    small = cv2.resize(image, (max(8, round(w * f)), max(8, round(h * f))), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    per_scale = [_hierarchy(small, hsv, k) for k in SCALES]
    boxes: list[Box4] = []
    for group in _interleave(per_scale):
        x1, y1, x2, y2 = (float(v) / f for v in group)
        boxes.append((max(0.0, x1), max(0.0, y1), min(float(w), x2), min(float(h), y2)))
    return _kept(boxes, w, h)


def _interleave(lists: list[list[Box4]]) -> list[Box4]:
    out: list[Box4] = []
    for i in range(max((len(x) for x in lists), default=0)):
        out.extend(x[i] for x in lists if i < len(x))
    return out


def _kept(boxes: list[Box4], w: int, h: int) -> list[Box4]:
    """The boxes of a sensible size and shape, each near duplicate once (the first kept)."""
    area = float(w * h)
    out: list[Box4] = []
    arr = np.zeros((0, 4))
    for b in boxes:
        bw, bh = b[2] - b[0], b[3] - b[1]
        if not (MIN_SHARE * area <= bw * bh <= MAX_SHARE * area) or max(bw / bh, bh / bw) > MAX_ASPECT:
            continue
        if len(arr):
            ix = np.clip(np.minimum(arr[:, 2], b[2]) - np.maximum(arr[:, 0], b[0]), 0, None)
            iy = np.clip(np.minimum(arr[:, 3], b[3]) - np.maximum(arr[:, 1], b[1]), 0, None)
            inter = ix * iy
            union = (arr[:, 2] - arr[:, 0]) * (arr[:, 3] - arr[:, 1]) + bw * bh - inter
            if (inter / union).max() >= SAME:
                continue
        out.append(b)
        arr = np.vstack([arr, b])
    return out


def _features(labels: np.ndarray, hsv: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(colour histograms n x 75 L1-normalised, sizes n, boxes n x 4 XYXY) of the regions."""
    flat = labels.ravel()
    hists = []
    for c, top in zip(range(3), (180, 256, 256), strict=True):
        b = np.minimum(hsv[..., c].ravel().astype(np.int64) * _BINS // top, _BINS - 1)
        hists.append(np.bincount(flat * _BINS + b, minlength=n * _BINS).reshape(n, _BINS))
    hist = np.concatenate(hists, 1).astype(np.float64)
    hist /= np.maximum(hist.sum(1, keepdims=True), 1)
    size = np.bincount(flat, minlength=n).astype(np.float64)
    from scipy.ndimage import find_objects

    box = np.zeros((n, 4))
    for i, sl in enumerate(find_objects(labels + 1, max_label=n)):
        if sl is not None:
            box[i] = (sl[1].start, sl[0].start, sl[1].stop, sl[0].stop)
    return hist, size, box


def _neighbours(labels: np.ndarray) -> set[tuple[int, int]]:
    pairs = set()
    for a, b in ((labels[:, :-1], labels[:, 1:]), (labels[:-1, :], labels[1:, :])):
        diff = a != b
        lo, hi = np.minimum(a[diff], b[diff]), np.maximum(a[diff], b[diff])
        pairs.update(zip(lo.tolist(), hi.tolist(), strict=True))
    return pairs


def _hierarchy(rgb: np.ndarray, hsv: np.ndarray, k: int) -> list[Box4]:
    """Every region's box over one segmentation scale: the merges, last (largest) first, then the
    first regions, largest first."""
    from skimage.segmentation import felzenszwalb

    labels = felzenszwalb(rgb, scale=k, sigma=0.8, min_size=max(20, k // 4))
    n = int(labels.max()) + 1
    hist, size, box = _features(labels, hsv, n)
    hists, sizes, boxes = list(hist), list(size), [tuple(b) for b in box]
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
    merged: list[Box4] = []
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
        merged.append(boxes[t])
        alive -= {a, b}
        near = (adj.pop(a) | adj.pop(b)) - {a, b}
        adj[t] = near
        for o in near:
            adj[o] -= {a, b}
            adj[o].add(t)
            heapq.heappush(heap, (-sim(t, o), min(t, o), max(t, o)))
        alive.add(t)
    first = sorted(range(n), key=lambda i: -sizes[i])
    return merged[::-1] + [boxes[i] for i in first]
