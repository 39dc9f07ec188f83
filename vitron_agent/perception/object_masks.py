"""An object's mask from its box, the box used as a prompt rather than a crop.

U²-Netp's salient map is read in a window around the box grown by a third a side; the salient
regions that belong to the box (at least half of each inside it) are kept whole, even where they
leave the box (a detector's box often cuts a helmet held at arm's length, a wheel, a hand). When
a kept region still reaches the window's edge where the picture goes on, the window grows once
(to the box grown by its own size) so the mask does not end in a straight line along a window
edge unless the object does. No region: GrabCut's object seeded by the box (not a box-shaped mask),
else the box itself, and :func:`object_mask` says so.

What stands in front of the object, or beside it inside its box, is not the object:
:func:`without_others` takes out the masks of other detected things (the people standing in front of
the bus; the man whose box the other man's pointing arm reaches over).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["grabcut_in_box", "object_mask", "without_others"]


def _seeded(seed: np.ndarray | None, win: tuple[int, int, int, int], shape: tuple[int, int], rect: tuple) -> np.ndarray:
    """GrabCut's starting labels on the scaled window: zeros (the rectangle starts it) without a
    seed; else background outside the rectangle, probable foreground in it, sure foreground on
    the seed (eroded a pixel, so its rim may still go either way)."""
    import cv2

    gc = np.zeros(shape, np.uint8)
    if seed is None:
        return gc
    x1, y1, x2, y2 = win
    rx, ry, rw, rh = rect
    gc[ry : ry + rh, rx : rx + rw] = cv2.GC_PR_FGD
    small = cv2.resize(seed[y1:y2, x1:x2].astype(np.uint8), (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST)
    gc[cv2.erode(small, np.ones((3, 3), np.uint8)) > 0] = cv2.GC_FGD
    return gc


def _window(box: tuple[float, float, float, float], pad: float, h: int, w: int) -> tuple[int, int, int, int]:
    x1, y1, x2, y2 = box
    px, py = max(4, (x2 - x1) * pad), max(4, (y2 - y1) * pad)
    return int(max(0, x1 - px)), int(max(0, y1 - py)), int(min(w, x2 + px + 1)), int(min(h, y2 + py + 1))


def _regions(image: np.ndarray, box: tuple, win: tuple[int, int, int, int]) -> np.ndarray:
    """HxW bool: the salient regions of the window that belong to the box."""
    from vitron_agent.perception.masks import components
    from vitron_agent.perception.salient import salient_map

    h, w = image.shape[:2]
    cx1, cy1, cx2, cy2 = win
    prob = salient_map(image[cy1:cy2, cx1:cx2])
    inside = np.zeros(prob.shape, bool)
    bx1, by1 = int(box[0]) - cx1, int(box[1]) - cy1
    inside[max(0, by1) : int(np.ceil(box[3])) - cy1, max(0, bx1) : int(np.ceil(box[2])) - cx1] = True
    box_area = max(1, int(inside.sum()))
    local = np.zeros(prob.shape, bool)
    for comp in components(prob > 0.5, min_pixels=max(4, prob.size // 5000)):
        size = int(comp.sum())
        share_in = (comp & inside).sum() / size
        if share_in >= 0.5 and (comp & inside).sum() >= 0.02 * box_area:
            local |= comp
    mask = np.zeros((h, w), bool)
    mask[cy1:cy2, cx1:cx2] = local
    return mask


def _touches_open_edge(mask: np.ndarray, win: tuple[int, int, int, int]) -> bool:
    """Whether the mask runs along a window edge that is not the picture's edge."""
    h, w = mask.shape
    x1, y1, x2, y2 = win
    sides = []
    if x1 > 0:
        sides.append(mask[y1:y2, x1])
    if x2 < w:
        sides.append(mask[y1:y2, x2 - 1])
    if y1 > 0:
        sides.append(mask[y1, x1:x2])
    if y2 < h:
        sides.append(mask[y2 - 1, x1:x2])
    return any(s.sum() >= max(3, 0.05 * len(s)) for s in sides)


def object_mask(image: np.ndarray, box: Any) -> tuple[np.ndarray, bool]:
    """(HxW bool mask, found): the object the box (a Box or XYXY) holds, by the salient segmenter
    with the box as a prompt; ``found`` False when nothing salient belongs to the box and the
    mask is GrabCut's object in the box (:func:`grabcut_in_box`), or the box itself when that has no
    shape either."""
    from vitron_agent.perception.masks import fill_holes

    h, w = image.shape[:2]
    b = (box.x1, box.y1, box.x2, box.y2) if hasattr(box, "x1") else tuple(box)
    win = _window(b, 1 / 3, h, w)
    mask = _regions(image, b, win)
    if mask.any() and _touches_open_edge(mask, win):
        wider = _window(b, 1.0, h, w)
        grown = _regions(image, b, wider)
        if grown.sum() >= mask.sum():
            mask = grown
    area = (b[2] - b[0]) * (b[3] - b[1])
    if mask.sum() < 0.05 * area:
        cut = grabcut_in_box(image, b)
        if cut is not None:
            return cut, False
        out = np.zeros((h, w), bool)
        out[int(b[1]) : int(np.ceil(b[3])), int(b[0]) : int(np.ceil(b[2]))] = True
        return out, False
    return fill_holes(mask), True


GRABCUT_SIDE = 192  # GrabCut runs on the window scaled to at most this side (a fallback: 0.1-0.3 s idle)


def grabcut_in_box(
    image: np.ndarray, b: tuple[float, float, float, float], seed: np.ndarray | None = None
) -> np.ndarray | None:
    """HxW bool: GrabCut's foreground in the box (its largest part, holes filled), seeded by the box
    as a rectangle (outside it: background) in a window a quarter larger -- an object's own shape where
    the salient segmenter sees nothing in the box (a red panda among leaves came out box-shaped); None
    when GrabCut's object is under a fifth or over 95 % of the box (no shape: the box says as much).
    ``seed`` (HxW bool): pixels known to be the thing (a salient mask), marked sure foreground."""
    import cv2

    from vitron_agent.perception.masks import fill_holes, largest_component

    h, w = image.shape[:2]
    x1, y1, x2, y2 = _window(b, 0.25, h, w)
    crop = np.ascontiguousarray(image[y1:y2, x1:x2, :3])
    scale = min(1.0, GRABCUT_SIDE / max(crop.shape[:2]))
    small = cv2.resize(crop, (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale))))
    rx, ry = int((b[0] - x1) * scale), int((b[1] - y1) * scale)
    rw, rh = max(2, int((b[2] - b[0]) * scale)), max(2, int((b[3] - b[1]) * scale))
    if rw < 8 or rh < 8 or rx + rw > small.shape[1] or ry + rh > small.shape[0]:
        return None
    gc = _seeded(seed, (x1, y1, x2, y2), small.shape[:2], (rx, ry, rw, rh))
    try:
        cv2.grabCut(
            small[:, :, ::-1].copy(),
            gc,
            (rx, ry, rw, rh),
            np.zeros((1, 65)),
            np.zeros((1, 65)),
            3,
            cv2.GC_INIT_WITH_RECT if seed is None else cv2.GC_INIT_WITH_MASK,
        )
    except cv2.error:
        return None
    fg = (gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)
    if not fg.any():
        return None
    fg = fill_holes(largest_component(fg))
    share = float(fg.sum()) / (rw * rh)
    if not 0.2 <= share <= 0.95:
        return None
    big = cv2.resize(fg.astype(np.uint8), (x2 - x1, y2 - y1), interpolation=cv2.INTER_NEAREST).astype(bool)
    out = np.zeros((h, w), bool)
    out[y1:y2, x1:x2] = big
    return out


# at most this many other things are segmented to be taken out of a mask (each costs a U²-Netp pass)
_MAX_OTHERS = 6


def _inside_share(inner: Any, outer: Any) -> float:
    """The share of box ``inner``'s area that lies inside box ``outer``."""
    ix = max(0.0, min(inner.x2, outer.x2) - max(inner.x1, outer.x1))
    iy = max(0.0, min(inner.y2, outer.y2) - max(inner.y1, outer.y1))
    return ix * iy / max(1e-6, (inner.x2 - inner.x1) * (inner.y2 - inner.y1))


def _kept_with(o: Any, chosen: list) -> bool:
    """Whether ``o`` goes with a chosen thing rather than apart from it: the same thing found twice,
    or a lifeless thing beside a person or an animal (the bag she carries, the tie he wears, the
    helmet she holds out -- which the detector may call a mouse: removing the person removes it
    too), or one the detector is not sure of."""
    from vitron_agent.perception.wordnet_names import is_living, wordnet_ready

    if o.score < 0.5:
        return True
    for c in chosen:
        if o.label == c.label and _inside_share(o.box, c.box) >= 0.7 and _inside_share(c.box, o.box) >= 0.7:
            return True
        if wordnet_ready() and is_living(c.label) and not is_living(o.label):
            return True
    return False


def without_others(image: np.ndarray, mask: np.ndarray, chosen: list, others: list) -> tuple[np.ndarray, list[str]]:
    """(``mask`` less the other things' own masks, the labels taken out). Another detected thing
    (the detector at least even on it, overlapping the mask) is taken out when it is a separate
    instance: its own mask, found from its own box, covers less than half of ``mask`` (a mask that
    covers the chosen thing too -- the bus's box prompt, when a person in front is chosen -- says
    nothing about where one ends). Things that go with a chosen one (:func:`_kept_with`) stay."""
    from vitron_agent.perception.masks import components

    total = int(mask.sum())
    if not total or not chosen:
        return mask, []
    h, w = mask.shape
    ids = {id(c) for c in chosen}

    def overlaps(o: Any) -> bool:
        x1, y1 = max(0, int(o.box.x1)), max(0, int(o.box.y1))
        x2, y2 = min(w, int(np.ceil(o.box.x2))), min(h, int(np.ceil(o.box.y2)))
        return x2 > x1 and y2 > y1 and mask[y1:y2, x1:x2].sum() >= 0.01 * total

    cands = [o for o in others if id(o) not in ids and not _kept_with(o, chosen)]
    cands = sorted((o for o in cands if overlaps(o)), key=lambda o: -o.score)[:_MAX_OTHERS]
    out, taken, removed = mask.copy(), np.zeros_like(mask), []
    for o in cands:
        theirs, found = object_mask(image, o.box)
        shared = int((theirs & mask).sum())
        if not found or shared < 0.01 * total or shared >= 0.5 * total:
            continue
        out &= ~theirs
        taken |= theirs
        removed.append(o.label)
    if not removed:
        return mask, []
    import cv2

    near = cv2.dilate(taken.astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    for part in components(out, min_pixels=1):  # crumbs left beside the ones taken out are not the object
        if part.sum() < 0.02 * total and (part & near).any():
            out &= ~part
    return out, removed
