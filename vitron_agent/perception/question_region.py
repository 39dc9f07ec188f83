"""The part of a picture a question names, for a describe or read step: a side or corner, the
background, or the picture beside a thing.

"what is on the left of the motorbike?", "what colour is the background?", "read the text at the bottom
left" were answered about the whole picture or about the motorbike itself (the place words were
dropped). A step given ``place`` looks only there, and its answer says where it looked. A place is a
side or corner as :func:`~vitron_agent.perception.places.place_region` reads it ("top right", "left
half", "center"), or a relation to the step's mask followed by the thing's words (for the answer):
"outside the cheetah" (the background), "left of the motorbike", "right of …", "above …", "below …".
"""

from __future__ import annotations

import re

import numpy as np

from vitron_agent.perception.places import place_region

__all__ = ["question_region", "UNKNOWN_PLACE", "NEEDS_MASK", "EMPTY_PLACE"]

_RELATION = re.compile(r"^(outside|left of|right of|above|below)\b\s*(.*)$", re.I)
_SIDES = re.compile(r"^(?:top|bottom|upper|lower|left|right)(?:[\s-]+(?:left|right))?$", re.I)

UNKNOWN_PLACE = (
    "unknown place {place!r}: use a side or corner ('left', 'top right', 'center') or 'outside', "
    "'left of', 'right of', 'above', 'below' followed by the thing's name (with its mask)"
)
NEEDS_MASK = "place {place!r} is beside a thing: give that thing's mask (a segment step's mask)"
EMPTY_PLACE = "There is no picture {where}: the region is empty (the thing reaches that edge)."


def question_region(shape: tuple[int, int], place: str, mask: np.ndarray | None) -> tuple[np.ndarray, str]:
    """(HxW bool region, the words naming it: 'the top-right quarter of the picture', 'the picture left
    of the motorbike') for ``place`` on a picture of ``shape`` (H, W). A relation needs ``mask`` (HxW
    bool, the thing): 'outside' is every pixel but the thing's; 'left of' the full-height strip left of
    the thing's leftmost pixel (likewise right of, above, below). The region may be empty; ValueError
    for a place it cannot read, or a relation without a mask."""
    h, w = shape
    text = " ".join(place.strip().split())
    if (rel := _RELATION.match(text)) is None:
        side = text + (" half" if _SIDES.match(text) and " " not in text.replace("-", " ") else "")
        found = place_region(h, w, side, centre=True)
        if found is None:
            raise ValueError(UNKNOWN_PLACE.format(place=place))
        return found[0], f"{found[1]} of the picture"
    if mask is None or not mask.any():
        raise ValueError(NEEDS_MASK.format(place=place))
    key, thing = rel.group(1).lower(), rel.group(2).strip() or "the main object"
    if key == "outside":
        return ~mask, f"the background (the picture outside {thing})"
    ys, xs = np.nonzero(mask)
    region = np.zeros((h, w), bool)
    if key == "left of":
        region[:, : xs.min()] = True
    elif key == "right of":
        region[:, xs.max() + 1 :] = True
    elif key == "above":
        region[: ys.min(), :] = True
    else:
        region[ys.max() + 1 :, :] = True
    return region & ~mask, f"the picture {key} {thing}"
