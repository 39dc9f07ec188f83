"""Where one thing ends and another of its kind begins.

Two giraffes, one behind the other, are one salient region: the right one's mask, from its box as a
prompt, took the left one's body too, and "make the giraffe on the right pink" painted both, said done.
:func:`without_others` cannot take the other out when its own mask covers the chosen one as well. Here
the pixels of the chosen mask that lie outside every chosen box and inside the box of another sure thing
of the same kind are that thing's, and are cut; where the boxes overlap, no model says whose a pixel is,
so a cut that mattered is said as an assumption (a destructive edit on it is held).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["apart_from_its_kind"]

SURE = 0.5  # another thing the detector is at least this sure of is a separate instance
MATTERS = 0.03  # a cut of this share of the mask is said


def _box_mask(box: Any, h: int, w: int) -> np.ndarray:
    out = np.zeros((h, w), bool)
    x1, y1 = max(0, int(box.x1)), max(0, int(box.y1))
    x2, y2 = min(w, int(np.ceil(box.x2)) + 1), min(h, int(np.ceil(box.y2)) + 1)
    out[y1:y2, x1:x2] = True
    return out


def apart_from_its_kind(mask: np.ndarray, chosen: list, others: list) -> tuple[np.ndarray, str]:
    """(``mask`` less what lies only in other same-kind things' boxes, and a note that says so, or '')."""
    total = int(mask.sum())
    if not total or not chosen:
        return mask, ""
    h, w = mask.shape
    ids = {id(c) for c in chosen}
    kinds = {c.label for c in chosen}
    mine = np.zeros((h, w), bool)
    for c in chosen:
        mine |= _box_mask(c.box, h, w)
    theirs = np.zeros((h, w), bool)
    cut_from = []
    for o in others:
        if id(o) in ids or o.label not in kinds or o.score < SURE:
            continue
        if any(_same_thing(o, c) for c in chosen):
            continue
        region = _box_mask(o.box, h, w)
        if (mask & region & ~mine).any():
            theirs |= region
            cut_from.append(o)
    cut = mask & theirs & ~mine
    if not cut_from or cut.sum() < MATTERS * total:
        return mask, ""
    kept = mask & ~cut
    label = chosen[0].label
    return kept, (
        f"it cannot tell where the {label} ends and the {label} beside it begins (their outlines meet), so it "
        f"cut off the part inside only the other's box ({100 * cut.sum() / total:.0f}% of the mask)"
    )


def _same_thing(a: Any, b: Any) -> bool:
    """Two boxes that each hold most of the other: the same thing found twice."""

    def inside(p: Any, q: Any) -> float:
        ix = max(0.0, min(p.box.x2, q.box.x2) - max(p.box.x1, q.box.x1))
        iy = max(0.0, min(p.box.y2, q.box.y2) - max(p.box.y1, q.box.y1))
        area = max(1e-6, (p.box.x2 - p.box.x1) * (p.box.y2 - p.box.y1))
        return ix * iy / area

    return inside(a, b) >= 0.7 and inside(b, a) >= 0.7
