"""Counting blobs no model names (coins, cells, galaxies, spots), with what the count may be off by.

A blob count is a measurement, not recognition: pixels that stand out from their surroundings,
split where round blobs touch. It is right on clean material (drawn discs, coins on a table) and
wrong in ways that can be seen in the blobs themselves, so :func:`count_blobs` says which:

* **faint** blobs: their contrast with the ring around them is far below the clearest blob's
  (interference fringes around one cell; texture): left out of the count, added to its upper end;
* **merged** blobs: much larger than the typical one (touching things the split could not part):
  each may be several, added to the upper end;
* **split** things: one connected region cut into several pieces (a horse's legs): the lower end
  counts them once;
* a **field** of many small specks below the size counted (a deep-sky photograph): the count is
  of the larger ones only, said as "at least";
* **not separable**: what stands out is a few large irregular masses (fur, a textured surface):
  no number is given, and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["BlobCount", "blob_masks", "count_blobs", "standout_foreground"]

FAINT_RATIO = 6.0  # a blob under 1/6 of the clearest blob's contrast is faint (cell.png's fringes: 1/12)
MIN_CONTRAST = 1.5  # in units of the background's spread: below this nothing stands out
MERGED = 1.9  # a blob this many times the median area may be touching ones merged
FIELD = 20  # this many small specks (and at least twice the count) make a field


@dataclass
class BlobCount:
    """A blob count and its honesty: ``count`` clear blobs, ``low``..``high`` the range the truth
    likely lies in, ``verdict`` one of "count" (a number, perhaps a range), "unsure" (a range
    more than twice the count: no number stood behind), "field" (at least ``count``: many more
    small ones), "mass" (not separable: no number), "none"; ``across`` the
    typical blob's diameter range in pixels (10th-90th percentile), ``faint`` / ``merged`` /
    ``split`` / ``small`` how many blobs were left out, may be several, were one thing cut in
    pieces, or were too small to count; ``masks`` the counted blobs (HxW bool each)."""

    count: int
    low: int
    high: int
    verdict: str
    across: tuple[int, int] = (0, 0)
    faint: int = 0
    merged: int = 0
    split: int = 0
    small: int = 0
    reason: str = ""
    masks: list[np.ndarray] = field(default_factory=list, repr=False)


def standout_foreground(image: np.ndarray) -> np.ndarray:
    """HxW bool: pixels brighter (or darker) than their surroundings, whichever is the minority:
    coins on a table, stars on the sky, nuclei on tissue. Adaptive mean threshold, opened and
    filled. On a flat background (a drawing, a collage, a screenshot: the border is one colour)
    the pixels unlike it. ``image``: HxWx3 uint8 RGB."""
    import cv2
    from scipy import ndimage as ndi

    flat = _unlike_flat_border(image)
    if flat is not None:
        return flat
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    blur = cv2.GaussianBlur(gray, (5, 5), 0)
    block = max(31, (min(h, w) // 6) | 1)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    best = None
    for kind, c in ((cv2.THRESH_BINARY, -5), (cv2.THRESH_BINARY_INV, 5)):
        m = cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, kind, block, c)
        m = ndi.binary_fill_holes(cv2.morphologyEx(cv2.morphologyEx(m, cv2.MORPH_OPEN, k), cv2.MORPH_CLOSE, k))
        if best is None or m.mean() < best.mean():
            best = m
    return best


FLAT_BORDER = 0.95  # this share of the border within FLAT_EDGE of its median colour makes a flat background
FLAT_EDGE = 3.0  # Lab distance: drawn and pasted-on backgrounds; photographed ones (sky, a slide) vary more
FLAT_DELTA = 12.0  # Lab distance from the background that makes a pixel part of a thing


def _unlike_flat_border(image: np.ndarray) -> np.ndarray | None:
    """HxW bool of the pixels unlike a flat background (holes filled), or None when the border is
    not one colour (a photograph)."""
    import cv2
    from scipy import ndimage as ndi

    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    ref = np.median(border, axis=0)
    if (np.linalg.norm(border - ref, axis=1) < FLAT_EDGE).mean() < FLAT_BORDER:
        return None
    unlike = np.linalg.norm(lab - ref, axis=2) >= FLAT_DELTA
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    unlike = cv2.morphologyEx(unlike.astype(np.uint8), cv2.MORPH_OPEN, k)
    # a pattern of small gaps (a pasted cut-out's checkerboard) closes into one thing
    unlike = cv2.morphologyEx(unlike, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9)))
    return ndi.binary_fill_holes(unlike.astype(bool))


def blob_masks(foreground: np.ndarray, min_pixels: int) -> list[np.ndarray]:
    """Object-like blobs of a HxW bool foreground: touching ones split by a watershed on the
    distance transform (one seed per local maximum), specks under a quarter of the median blob
    dropped."""
    import cv2
    from scipy import ndimage as ndi
    from skimage.feature import peak_local_max
    from skimage.segmentation import watershed

    h, w = foreground.shape
    fg = foreground.astype(np.uint8)
    dist = cv2.distanceTransform(fg, cv2.DIST_L2, 5)
    labels, _ = ndi.label(fg)
    peaks = peak_local_max(dist, min_distance=max(5, int(min(h, w) / 40)), labels=labels, exclude_border=False)
    markers = np.zeros(labels.shape, np.int32)
    markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)
    ws = watershed(-dist, markers, mask=fg > 0)
    areas = np.bincount(ws.ravel())
    ids = [i for i in range(1, len(areas)) if areas[i] >= min_pixels]
    if not ids:
        return []
    median = float(np.median(areas[ids]))
    # a small blob is kept when it is a compact thing of its own (a small disc among large ones)
    return [ws == i for i in ids if areas[i] >= 0.25 * median or _solidity(ws == i) >= 0.9]


def _contrast(gray: np.ndarray, blob: np.ndarray, foreground: np.ndarray, spread: float) -> float:
    """|mean inside - mean of a background ring around it| / the background's spread, computed in
    the blob's padded bounding box (hundreds of specks stay cheap)."""
    import cv2

    ys, xs = np.nonzero(blob)
    r = max(2, int(np.sqrt(len(ys) / np.pi) / 2))
    y1, y2 = max(0, ys.min() - r - 1), min(blob.shape[0], ys.max() + r + 2)
    x1, x2 = max(0, xs.min() - r - 1), min(blob.shape[1], xs.max() + r + 2)
    b = blob[y1:y2, x1:x2].astype(np.uint8)
    ring = cv2.dilate(b, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))).astype(bool)
    ring &= ~foreground[y1:y2, x1:x2]
    if not ring.any():
        return 0.0
    g = gray[y1:y2, x1:x2]
    return abs(float(g[b > 0].mean()) - float(g[ring].mean())) / spread


def _roundness(mask: np.ndarray) -> float:
    """4 pi area / perimeter^2 of the largest outline: 1 for a disc, ~0.85 for a disc cut flat on
    one side, 0.7 for a 1:2 rectangle."""
    import cv2

    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return 0.0
    c = max(contours, key=cv2.contourArea)
    perimeter = cv2.arcLength(c, True)
    return float(4 * np.pi * cv2.contourArea(c) / perimeter**2) if perimeter else 0.0


def _solidity(mask: np.ndarray) -> float:
    import cv2

    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    c = max(contours, key=cv2.contourArea)
    hull = cv2.contourArea(cv2.convexHull(c))
    return float(cv2.contourArea(c) / hull) if hull else 0.0


def count_blobs(
    image: np.ndarray, foreground: np.ndarray, min_pixels: int, standing_out: np.ndarray | None = None
) -> BlobCount:
    """Count the blobs of ``foreground`` (HxW bool, e.g. :func:`standout_foreground` or a colour's
    pixels) in ``image`` (HxWx3 uint8 RGB), blobs under ``min_pixels`` too small to count, and
    judge the count (see the module's docstring). ``standing_out``: all that stands out when
    ``foreground`` is only part of it (the blobs in a box): the rest is not background."""
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    background = gray[~(foreground if standing_out is None else standing_out | foreground)]
    spread = (1.4826 * float(np.median(np.abs(background - np.median(background)))) if background.size else 0.0) + 1.0
    blobs = blob_masks(foreground, min_pixels)
    contrast = [_contrast(gray, b, foreground, spread) for b in blobs]
    top = max(contrast, default=0.0)
    floor = max(MIN_CONTRAST, top / FAINT_RATIO)
    clear = [b for b, c in zip(blobs, contrast, strict=True) if c >= floor]
    faint = len(blobs) - len(clear)
    borderline = sum(1 for c in contrast if floor / 2 <= c < floor)  # perhaps real: the range's upper end
    small = _small_specks(gray, foreground, min_pixels, spread, floor)
    if not clear:
        return BlobCount(0, 0, borderline, "none", faint=faint, small=small, reason="nothing stands out clearly")
    areas = np.array([b.sum() for b in clear], float)
    median = float(np.median(areas))
    merged_extra = [int(round(a / median)) - 1 for a in areas if a >= MERGED * median]
    across = tuple(int(round(2 * np.sqrt(np.percentile(areas, p) / np.pi))) for p in (10, 90))
    split = _split_pieces(clear, foreground)
    n = len(clear) - split
    out = BlobCount(
        n,
        n,
        n + split + sum(merged_extra) + borderline,
        "count",
        across=across,
        faint=faint,
        merged=len(merged_extra),
        split=split,
        small=small,
        masks=clear,
    )
    cover = float(foreground.mean())
    if cover > 0.2 and (across[1] > 4 * max(1, across[0]) or _ragged(foreground, min_pixels) or faint > 2 * n):
        out.verdict, out.low, out.high = "mass", 0, 0
        out.reason = (
            f"what stands out covers {100 * cover:.0f}% of the picture in regions from {across[0]} to "
            f"{across[1]} px across, {faint} of them faint, not separate blobs"
        )
    elif small >= max(FIELD, 2 * n):
        out.verdict, out.high = "field", n + small + borderline
    elif out.high > 2 * n + 3:
        out.verdict = "unsure"
    return out


def _ragged(foreground: np.ndarray, min_pixels: int) -> bool:
    """Whether what stands out is ragged masses (fur, a texture), not blobs: the area-weighted
    solidity of its regions under 0.7 (a texture 0.49, a cub's fur 0.51; coins, cells, drawn
    shapes and galaxies 0.81-1)."""
    from scipy import ndimage as ndi

    labels, n = ndi.label(foreground)
    sizes = np.bincount(labels.ravel())[1:]
    big = [i + 1 for i in range(n) if sizes[i] >= min_pixels]
    if not big:
        return False
    solidity = [_solidity(labels == i) for i in big]
    return float(np.average(solidity, weights=sizes[np.array(big) - 1])) < 0.7


def _small_specks(gray: np.ndarray, foreground: np.ndarray, min_pixels: int, spread: float, floor: float) -> int:
    """How many connected specks too small to count (from a twentieth of ``min_pixels``, at least
    4 px) stand out as clearly as counted blobs do."""
    import cv2

    n, labels, stats, _ = cv2.connectedComponentsWithStats(foreground.astype(np.uint8), connectivity=8)
    lo = max(4, min_pixels // 20)
    ids = [i for i in range(1, n) if lo <= stats[i, cv2.CC_STAT_AREA] < min_pixels]
    if len(ids) > 3000:  # a texture, not specks: sample
        ids = ids[:: len(ids) // 3000 + 1]
    found = 0
    for i in ids:
        x, y, w, h = stats[i, :4]
        pad = max(w, h) + 2
        win = (slice(max(0, y - pad), y + h + pad), slice(max(0, x - pad), x + w + pad))
        if _contrast(gray[win], labels[win] == i, foreground[win], spread) >= floor:
            found += 1
    return found


def _split_pieces(blobs: list[np.ndarray], foreground: np.ndarray) -> int:
    """How many of ``blobs`` are extra pieces of one thing cut by the split. A connected region is
    several touching things when its outline has necks (solidity under 0.93) and every piece is
    compact; then it holds about its area over the typical region's (at most its pieces: two
    overlapping photographs cut in five is two). Otherwise (a rectangle, a horse's legs) it is one."""
    from scipy import ndimage as ndi

    labels, _ = ndi.label(foreground)
    by_region: dict[int, list[np.ndarray]] = {}
    for b in blobs:
        by_region.setdefault(int(labels[b].max()), []).append(b)
    areas = {lab: float((labels == lab).sum()) for lab in by_region}
    singles = [areas[lab] for lab, pieces in by_region.items() if len(pieces) == 1]
    # the typical thing: a region the split left whole, or (every region cut) a piece
    typical = float(np.median(singles if len(singles) >= 3 else [b.sum() for b in blobs]))
    extra = 0
    for lab, pieces in by_region.items():
        if len(pieces) < 2:
            continue
        if _solidity(labels == lab) >= 0.93:  # no necks: one thing (a rectangle cut in two)
            things = 1
        elif min(_roundness(p) for p in pieces) >= 0.8:  # round pieces with necks between: touching discs
            things = len(pieces)
        else:  # about its area over the typical region's
            things = min(len(pieces), max(1, int(round(areas[lab] / typical))))
        extra += len(pieces) - things
    return extra
