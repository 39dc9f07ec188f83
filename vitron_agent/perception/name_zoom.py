"""Look where the name points, then zoom: a name the classifier knows, found where its own classes'
activation points, on crops at several sizes.

The resolver's cheap proposals (the detector's boxes, the salient object, the whole picture and a few
activation peaks at 520 px: :func:`~vitron_agent.perception.name_finder.classifier_proposals`) miss a
thing that is small or off to one side: in a whole picture squeezed to 260 px a bird on a branch is a
few pixels, and the classifier names the scene. This module looks for the *asked* classes, not the
top ones:

1. **where the name points**: the classifier's last features times each class's weights give, per
   cell, the class logits that cell alone would have (the class activation maps plus the bias:
   their mean over the cells is the picture's logits). A per-cell softmax over the 1,000 classes gives
   the share of the asked classes in each cell. It is computed on the whole picture at 520 px (17x17
   cells) and on a 2x2 and a 3x3 tiling at 260 px each (tiles overlap by a quarter: 18x18 and 27x27
   cells over the picture, each tile seen two to three times larger than in the whole);
2. **the peaks**: local maxima at least :data:`POINTS` (the asked classes win that cell), the
   strongest :data:`PEAKS` of them at least 1.5 cells apart;
3. **zoom**: around each peak, square crops of :data:`SIDES` cells (a part, the thing, the thing with
   its surroundings) are classified at 260 px. A crop is *a look that finds the name* when the asked
   classes win it: the first name is one of them, they hold at least :data:`ACCEPT_P` of its
   probability and lead the best other class by :data:`MARGIN` (fitted on the tuning photos against
   absent names; ``benchmarks/recognition_zoom.py``);
4. **agreement**: a find is the peak's best look; the looks at the same place (other crop sizes,
   other peaks whose crops hold its centre) that also find the name agree with it. Only a find that
   at least two looks agree on is said sure; one look alone is an assumption.

Cost: 14 classifier runs for the maps and up to ``PEAKS x len(SIDES)`` crops (about 0.4 s on an idle
core); it runs only when the cheap proposals have not found the name.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from vitron_agent.core.refs import Box, Detection
from vitron_agent.perception.detector import Named

if TYPE_CHECKING:
    from vitron_agent.perception.resolving import Resolved

__all__ = ["Look", "ZoomFind", "pointed_peaks", "zoom_find", "by_zoom", "ACCEPT_P", "MARGIN", "POINTS", "SIDES"]

POINTS = 0.5  # the asked classes' per-cell share for a cell to be a place the name points at
PEAKS = 6  # places looked at
SIDES = (2, 3, 5, 8)  # crop sides, in cells of the map the peak came from
CLOSER = (4, 6)  # crop sides around a zoomed-in peak, in cells of the best look's own 9x9 map
ACCEPT_P = 0.3  # the asked classes' probability on a crop for it to find the name ...
MARGIN = 0.1  # ... and their lead over the best other class
FILLS = 0.15  # the share of the naming look a salient object must fill to be the thing it names
VETO = 0.5  # the widest look's other first name at this probability: the place is a part of that thing
AGREE = 2  # looks that must find the name at one place for a sure answer
_TILINGS = ((520, 1), (260, 2), (260, 3))  # (input size, tiles a side)
_OVERLAP = 0.25  # tiles grow by this share of their side (half on each side)


@dataclass(frozen=True)
class Look:
    """One crop classified: its XYXY box (pixels), the asked classes' probability, the best asked
    class's name, and the best other class (name, probability)."""

    box: tuple[float, float, float, float]
    p: float
    label: str
    other: tuple[str, float]
    first: bool  # whether the crop's first name is one of the asked classes

    @property
    def finds(self) -> bool:
        return self.first and self.p >= ACCEPT_P and self.p - self.other[1] >= MARGIN


@dataclass(frozen=True)
class ZoomFind:
    """A place the name was found: the detection (label the best asked class, score its probability
    on the best look, box the region of cells around the peak where the asked classes win) and how
    many looks there agree."""

    detection: Detection
    agree: int
    bounded: bool  # whether the box is an object's outline (a salient object named so), not a map's region
    window: Box | None = None  # the crop of the look that named it best


@dataclass(frozen=True)
class Peak:
    """A place the name points at: the asked classes' share of the cell, its centre (x, y) and the
    cell's side in pixels, and the XYXY region of the connected cells where they win (at least
    :data:`POINTS`)."""

    share: float
    x: float
    y: float
    cell: float
    region: tuple[float, float, float, float]
    tiles: int = 1  # the tiling it came from: 1 the whole picture, n an n x n tiling


def _cell_share(pixels: np.ndarray, size: int, wanted: list[int]) -> np.ndarray:
    """GxG: the asked classes' share of each cell's softmax (cell logits = CAM + the fc bias)."""
    from vitron_agent.perception.classifier import _run

    logits, cam = _run(np.ascontiguousarray(pixels), size)
    bias = logits - cam.mean((1, 2))
    z = cam + bias[:, None, None]
    z = z - z.max(0, keepdims=True)
    e = np.exp(z)
    return e[wanted].sum(0) / e.sum(0)


def _tiles(h: int, w: int, n: int) -> list[tuple[int, int, int, int]]:
    """The n x n overlapping tiles (x1, y1, x2, y2) covering an h x w picture."""
    th, tw = h / n, w / n
    gy, gx = _OVERLAP * th / 2 if n > 1 else 0, _OVERLAP * tw / 2 if n > 1 else 0
    return [
        (
            max(0, int(c * tw - gx)),
            max(0, int(r * th - gy)),
            min(w, int((c + 1) * tw + gx)),
            min(h, int((r + 1) * th + gy)),
        )
        for r in range(n)
        for c in range(n)
    ]


def pointed_peaks(image: np.ndarray, wanted: frozenset[int]) -> list[Peak]:
    """The places the asked ImageNet classes ``wanted`` point at (see the module docstring, steps
    1-2), strongest first. ``image`` HxWx3 uint8 RGB."""
    import cv2

    h, w = image.shape[:2]
    idx = sorted(wanted)
    cand = []
    for size, n in _TILINGS:
        for x1, y1, x2, y2 in _tiles(h, w, n):
            if x2 - x1 < 16 or y2 - y1 < 16:
                continue
            share = _cell_share(image[y1:y2, x1:x2], size, idx).astype(np.float32)
            g = share.shape[0]
            sx, sy = (x2 - x1) / g, (y2 - y1) / g
            local = share >= cv2.dilate(share, np.ones((3, 3), np.uint8))
            _, lab, stats, _ = cv2.connectedComponentsWithStats((share >= POINTS).astype(np.uint8), connectivity=8)
            for iy, ix in zip(*np.nonzero(local & (share >= POINTS)), strict=True):
                bx, by, bw, bh = stats[lab[iy, ix], :4]
                region = (x1 + bx * sx, y1 + by * sy, x1 + (bx + bw) * sx, y1 + (by + bh) * sy)
                centre = (x1 + (ix + 0.5) * sx, y1 + (iy + 0.5) * sy)
                cand.append(Peak(float(share[iy, ix]), *centre, max(sx, sy), region, n))
    kept: list[Peak] = []
    # the whole picture's peaks first: a thing larger than a tile is one region there, cut up in the tiles
    for c in sorted(cand, key=lambda c: (c.tiles, -c.share)):
        if all(np.hypot(c.x - k.x, c.y - k.y) > 1.5 * max(c.cell, k.cell) and not _inside(c, k.region) for k in kept):
            kept.append(c)
        if len(kept) >= PEAKS:
            break
    return kept


def _object_at(
    image: np.ndarray, pk: Peak, look: tuple[float, float, float, float], wanted: frozenset[int]
) -> tuple[Box, bool]:
    """(box, whether it is an object's outline): the salient object (U²-Netp) that holds the peak or
    lies mostly in the best ``look``'s crop, nearest the peak, when the classifier names that object's
    box as one of ``wanted`` (a cat that fills the picture, whose winning cells are patches of fur; a
    small cat a cell off its peak), or the salient object of the look's own window when the look that
    named the place holds half of it and it fills at least :data:`FILLS` of that look (a 90-px cat the
    classifier names on a crop with some field round it, not on its tight box); else the look's crop."""
    from vitron_agent.perception.box_refine import MIN_OBJECT_NAMED, _named, _salient_parts, _xyxy
    from vitron_agent.perception.object_masks import object_mask

    h, w = image.shape[:2]
    yi, xi = min(h - 1, int(pk.y)), min(w - 1, int(pk.x))
    near = []
    for part in _salient_parts(image):
        box = _xyxy(part)
        inter = max(0.0, min(box[2], look[2]) - max(box[0], look[0])) * max(
            0.0, min(box[3], look[3]) - max(box[1], look[1])
        )
        inside = inter / max(1.0, (box[2] - box[0]) * (box[3] - box[1]))
        if part[yi, xi] or inside >= 0.5:
            gap = 0.0 if part[yi, xi] else np.hypot((box[0] + box[2]) / 2 - pk.x, (box[1] + box[3]) / 2 - pk.y)
            near.append((gap, box))
    for _, box in sorted(near, key=lambda t: t[0])[:2]:
        if _named(image, box, wanted) >= MIN_OBJECT_NAMED:
            return Box(x1=box[0], y1=box[1], x2=box[2], y2=box[3]), True
    # too small to stand out in the whole picture: the salient segmenter on the look's own window
    mask, found = object_mask(image, look)
    if found:
        box = _xyxy(mask)
        area = (box[2] - box[0]) * (box[3] - box[1])
        inter = max(0.0, min(box[2], look[2]) - max(box[0], look[0])) * max(
            0.0, min(box[3], look[3]) - max(box[1], look[1])
        )
        held = inter >= 0.5 * area and area >= FILLS * (look[2] - look[0]) * (look[3] - look[1])
        if area < 0.9 * h * w and (held or _named(image, box, wanted) >= MIN_OBJECT_NAMED):
            return Box(x1=box[0], y1=box[1], x2=box[2], y2=box[3]), True
    return Box(x1=look[0], y1=look[1], x2=look[2], y2=look[3]), False


def _inside(p: Peak, region: tuple[float, float, float, float]) -> bool:
    return region[0] <= p.x <= region[2] and region[1] <= p.y <= region[3]


def _look(image: np.ndarray, box: tuple[float, float, float, float], wanted: frozenset[int]) -> Look:
    from vitron_agent.perception.classifier import class_name, class_probabilities

    p = class_probabilities(image, box)
    order = np.argsort(-p)
    best = max(wanted, key=lambda i: p[i])
    other = next(int(i) for i in order if int(i) not in wanted)
    total = float(sum(p[i] for i in wanted))
    return Look(box, total, class_name(best), (class_name(other), float(p[other])), int(order[0]) in wanted)


def _crop(cx: float, cy: float, side: float, w: int, h: int) -> tuple[float, float, float, float]:
    """The square of ``side`` centred at (cx, cy), moved inside the picture (smaller where it must be)."""
    side = min(side, float(w), float(h))
    x1, y1 = min(max(0.0, cx - side / 2), w - side), min(max(0.0, cy - side / 2), h - side)
    return (x1, y1, x1 + side, y1 + side)


def zoom_find(image: np.ndarray, wanted: frozenset[int]) -> tuple[list[ZoomFind], int, float]:
    """(the places where looks find a name of ``wanted``, most agreed and surest first; how many crops
    were classified; the milliseconds it took). A find's box is its peak's region of winning cells;
    a place whose widest look (the thing in its surroundings) the classifier names as something else
    at least :data:`VETO` is a part of that other thing (a cat's face read as a dog's) and is dropped,
    as is a find inside a larger salient object named so (:func:`_part_of_other`)."""
    t0 = time.perf_counter()
    h, w = image.shape[:2]
    peaks = pointed_peaks(image, wanted)
    looks = [[_look(image, _crop(pk.x, pk.y, k * pk.cell, w, h), wanted) for k in SIDES] for pk in peaks]
    for i, at in enumerate(looks):
        hits = [lk for lk in at if lk.finds]
        if hits and (closer := _zoom_in(image, max(hits, key=lambda lk: lk.p), wanted)) is not None:
            peaks[i], looks[i] = closer[0], at + closer[1]
    every = [lk for at in looks for lk in at if lk.finds]
    finds = []
    for pk, at in zip(peaks, looks, strict=True):
        hits = [lk for lk in at if lk.finds]
        wide = at[len(SIDES) - 1]
        if not hits or (not wide.first and wide.other[1] >= VETO):
            continue
        best = max(hits, key=lambda lk: lk.p)
        agree = sum(1 for lk in every if lk.box[0] <= pk.x <= lk.box[2] and lk.box[1] <= pk.y <= lk.box[3])
        box, bounded = _object_at(image, pk, best.box, wanted)
        if _part_of_other(image, box, wanted):
            continue
        window = Box(x1=best.box[0], y1=best.box[1], x2=best.box[2], y2=best.box[3])
        finds.append(ZoomFind(Detection(label=best.label, score=round(best.p, 3), box=box), agree, bounded, window))
    return _apart(finds), sum(len(at) for at in looks), (time.perf_counter() - t0) * 1000


def _part_of_other(image: np.ndarray, box: Box, wanted: frozenset[int]) -> bool:
    """Whether ``box`` lies in a salient object (U²-Netp) at least twice its size that the classifier
    names, first and at least :data:`VETO`, as a class not in ``wanted``: a cheetah's flank read as an
    Egyptian cat is a part of the cheetah."""
    from vitron_agent.perception.box_refine import _salient_parts, _xyxy
    from vitron_agent.perception.classifier import classify_indices
    from vitron_agent.perception.detector import _within

    b = (box.x1, box.y1, box.x2, box.y2)
    area = max(1.0, (b[2] - b[0]) * (b[3] - b[1]))
    for part in _salient_parts(image)[:4]:
        o = _xyxy(part)
        if _within(b, o) >= 0.8 and (o[2] - o[0]) * (o[3] - o[1]) >= 2 * area:
            first, p = classify_indices(image, o, 1)[0]
            if first not in wanted and p >= VETO:
                return True
    return False


def _zoom_in(image: np.ndarray, look: Look, wanted: frozenset[int]) -> tuple[Peak, list[Look]] | None:
    """Zoom: the asked classes' cell map of the best look's crop on its own (260 px, 9x9 cells), its
    peak (the place, a cell of the crop more exact than the map it came from) and the looks
    :data:`CLOSER` cells wide around it; None when no cell of the crop reaches :data:`POINTS`."""
    h, w = image.shape[:2]
    x1, y1, x2, y2 = (int(round(v)) for v in look.box)
    share = _cell_share(image[y1:y2, x1:x2], 260, sorted(wanted))
    if share.max() < POINTS:
        return None
    g = share.shape[0]
    iy, ix = np.unravel_index(int(share.argmax()), share.shape)
    cell = max(x2 - x1, y2 - y1) / g
    pk = Peak(float(share[iy, ix]), x1 + (ix + 0.5) * (x2 - x1) / g, y1 + (iy + 0.5) * (y2 - y1) / g, cell, look.box, 0)
    return pk, [_look(image, _crop(pk.x, pk.y, k * cell, w, h), wanted) for k in CLOSER]


def _apart(finds: list[ZoomFind]) -> list[ZoomFind]:
    """One find per thing, the best first: one whose outline bounds it before one that is a map's
    region, then the most agreed, then the surest; a find overlapping a better one (a third of the
    smaller box) is a piece of the same thing (a bird's tail below the bird)."""
    from vitron_agent.perception.detector import _within

    def xyxy(f: ZoomFind) -> tuple[float, float, float, float]:
        b = f.detection.box
        return (b.x1, b.y1, b.x2, b.y2)

    out: list[ZoomFind] = []
    for f in sorted(finds, key=lambda f: (not f.bounded, -f.agree, -f.detection.score)):
        if not any(max(_within(xyxy(f), xyxy(o)), _within(xyxy(o), xyxy(f))) >= 1 / 3 for o in out):
            out.append(f)
    return out


def _not_others(f: ZoomFind, found: list[Detection], imagenet: frozenset[int]) -> ZoomFind | None:
    """``f``, or its look's window when its box is mostly a sure person's or animal's (the salient
    photographer holding the tripod), or None when that too is theirs
    (:func:`~vitron_agent.perception.classifier_hits._mostly_other`)."""
    from dataclasses import replace

    from vitron_agent.perception.classifier_hits import _mostly_other

    if not _mostly_other(f.detection, found, imagenet):
        return f
    if f.window is None:
        return None
    d = f.detection
    moved = replace(f, detection=Detection(label=d.label, score=d.score, box=f.window), bounded=False)
    return None if _mostly_other(moved.detection, found, imagenet) else moved


def by_zoom(
    image: np.ndarray, found: list[Detection], imagenet: frozenset[int], what: Named, phrase: str, with_mask: bool
) -> Resolved | None:
    """The place(s) :func:`zoom_find` finds the name at that the phrase means, refined to the object
    each holds and masked by a box prompt, as a :class:`~vitron_agent.perception.resolving.Resolved`;
    sure only when :data:`AGREE` looks agree on the chosen place. None when the classifier is not set
    up, no look finds the name, or the find is mostly a sure person's or animal's box."""
    from vitron_agent.perception.classifier import classifier_ready
    from vitron_agent.perception.classifier_hits import _refined
    from vitron_agent.perception.resolving import Resolved, _mask, select

    if not classifier_ready() or not imagenet:
        return None
    finds, looked, ms = zoom_find(image, imagenet)
    finds = [f for f in (_not_others(f, found, imagenet) for f in finds) if f is not None]
    if not finds:
        return None
    by_id = {id(f.detection): f for f in finds}
    dets = [f.detection for f in finds]
    items, note = select(image, dets, Named(tuple(d.label for d in dets), what.word, what.plural), phrase)
    chosen = by_id[id(items[0])]
    n = chosen.agree
    how = (
        "the classifier (EfficientNet-Lite2) named " + ", ".join(d.describe() for d in items) + " on a closer look "
        f"where its activation map for {what.word} points ({looked} crops looked at, {ms:.0f} ms; "
        f"{n} look{'s' if n != 1 else ''} there agree)"
    )
    items, masks, refined = _refined(image, items, imagenet)
    how += "".join(f"; {h}" for h in refined)
    bounded = chosen.bounded or id(items[0]) in masks
    if n < AGREE:
        how += f"; unsure: it cannot tell surely that this is the {what.word} (one look alone names it so), so it took that place"
    elif not bounded:
        how += (
            f"; unsure where: it cannot tell where the {what.word}'s outline is (no object there that it names so), "
            "so it took the region its activation map points at"
        )
    sure = n >= AGREE and bounded
    return Resolved(items, _mask(image, items, with_mask, masks), how + (f" ({note})" if note else ""), sure=sure)
