"""Stuff regions no detector has -- sky, water, grass, trees / foliage, ground / floor / road -- by
a documented heuristic that says what it did.

Method (on a copy at most 320 px wide; masks scaled back):
1. Measure per pixel: CIE Lab colour, and texture = the local mean of the gradient magnitude of
   lightness (a 9 x 9 window), normalised by the image's median texture.
2. Candidates by colour and texture:
   - sky: blue (b* < -6, any lightness: day and dusk) or bright and colourless (L > 68, chroma
     < 18: overcast, haze), smooth (texture below 1.2 x the median);
   - water: blue-green or blue (b* < -4 or a* < -4 with b* < 8), smooth to moderately textured;
   - grass: green (a* < -8), textured; trees / foliage: green (a* < -6), any texture;
   - ground / floor / road: neither blue nor green, smooth to moderately textured.
3. Place: sky must touch the top border and lie mostly in the upper 60 %; water, grass and
   ground must touch the bottom or side borders and lie mostly in the lower half; trees may be
   anywhere. Connected components that do not are dropped, as are specks.
4. What the detector recognised (people, cars ...) is cut out of every stuff region.
The ``method`` string returned says this in one line, and the IoU against hand-traced masks is
measured in ``benchmarks/recognition.py``.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["STUFF", "stuff_kind", "stuff_mask"]

STUFF = {
    "sky": ("sky", "skies", "clouds", "cloud"),
    "water": ("water", "sea", "ocean", "lake", "river", "pond", "pool", "waves"),
    "grass": ("grass", "lawn", "meadow", "field", "turf"),
    "trees": (
        "tree",
        "trees",
        "foliage",
        "leaves",
        "bushes",
        "bush",
        "forest",
        "woods",
        "vegetation",
        "greenery",
        "hedge",
        "plants",
    ),
    "ground": (
        "ground",
        "floor",
        "road",
        "street",
        "pavement",
        "sidewalk",
        "path",
        "dirt",
        "sand",
        "beach",
        "earth",
        "soil",
        "asphalt",
        "tarmac",
        "carpet",
    ),
}
_WORD = {w: k for k, ws in STUFF.items() for w in ws}
MAX_SIDE = 320


def stuff_kind(phrase: str | None) -> str | None:
    """'sky', 'water', 'grass', 'trees' or 'ground' when the phrase's head noun names one."""
    if not phrase:
        return None
    text = re.sub(r"\b(?:in|on|at|near|with|behind|under|above|below|of|that|which)\b.*$", "", phrase.lower()).strip()
    words = re.findall(r"[a-z]+", text or phrase.lower())
    return next((_WORD[w] for w in reversed(words) if w in _WORD), None)


def _features(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    import cv2

    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    L, a, b = lab[..., 0] * (100 / 255), lab[..., 1] - 128, lab[..., 2] - 128
    g = cv2.GaussianBlur(L, (3, 3), 0)
    mag = np.hypot(cv2.Sobel(g, cv2.CV_32F, 1, 0), cv2.Sobel(g, cv2.CV_32F, 0, 1))
    tex = cv2.blur(mag, (9, 9))
    tex = tex / max(float(np.median(tex)), 1e-3)
    return L, a, b, tex


def stuff_mask(image: np.ndarray, kind: str, exclude: np.ndarray | None = None) -> tuple[np.ndarray, str]:
    """(HxW bool mask of the ``kind`` of stuff, one line saying how it was found)."""
    import cv2

    from vitron_agent.perception.masks import components

    h, w = image.shape[:2]
    scale = min(1.0, MAX_SIDE / max(h, w))
    small = (
        cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
        if scale < 1
        else image
    )
    sh, sw = small.shape[:2]
    L, a, b, tex = _features(small)
    chroma = np.hypot(a, b)
    blue, green = b < -6, a < -8
    if kind == "sky":
        cand = (blue | ((L > 68) & (chroma < 18))) & (tex < 1.2)
        rule, place = "blue or bright colourless, smooth", "touching the top, in the upper 60 %"
    elif kind == "water":
        cand = ((b < -4) | ((a < -4) & (b < 8))) & (tex < 2.5)
        rule, place = "blue or blue-green, smooth to rippled", "touching the bottom or sides, in the lower half"
    elif kind == "grass":
        cand = green & (tex > 0.6)
        rule, place = "green, textured", "touching the bottom or sides, in the lower half"
    elif kind == "trees":
        cand = (a < -6) & (tex > 0.5)
        rule, place = "green, textured", "anywhere"
    else:
        cand = ~blue & ~(a < -8) & (tex < 2.5)
        rule, place = "neither blue nor green, smooth to moderately textured", "touching the bottom, in the lower half"
    cand = cv2.morphologyEx(cand.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    keep = np.zeros((sh, sw), bool)
    for c in components(cand, min_pixels=max(8, sh * sw // 400)):
        ys, xs = np.nonzero(c)
        top, bottom, sides = c[0].any(), c[-1].any(), c[:, 0].any() or c[:, -1].any()
        cy = ys.mean() / sh
        if kind == "sky":
            ok = top and cy < 0.6
        elif kind in ("water", "grass"):
            ok = (bottom or sides) and cy > 0.5
        elif kind == "ground":
            ok = bottom and cy > 0.5
        else:
            ok = True
        if ok:
            keep |= c
    keep = cv2.morphologyEx(keep.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)) > 0
    mask = cv2.resize(keep.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0 if scale < 1 else keep
    if exclude is not None:
        mask &= ~exclude
    method = f"stuff heuristic for {kind}: pixels {rule}, connected regions {place}, recognised objects cut out"
    if kind == "sky" and mask.any() and float(blue[keep].mean()) < 0.5:
        # a gray or white sky looks like a bright wall or ceiling: say it was assumed (edits that destroy wait)
        method += (
            "; it cannot recognise 'the sky' by name, so it took the bright smooth regions at the top (not blue: "
            "they may be a bright wall)"
        )
    return mask, method
