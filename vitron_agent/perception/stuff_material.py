"""Surfaces named by their material -- a brick wall, the rock, the concrete, the wooden floor, the tiles
-- found by colour and texture, as the other stuff is; said how sure, refused when none is found.

"make the brick wall white" fell back to the salient object (no model here names a material, and the
phrase was no stuff word), so the cat in front of the wall was painted. A material has a colour range
and a texture of its own, measured per pixel over a window (at most 320 px, as
:mod:`vitron_agent.perception.stuff`):

* texture strength: the local mean of the lightness gradient's magnitude (L units a pixel);
* grain: the structure tensor's coherence (0: no direction, 1: all edges one way) -- wood's grain;
* grid: the share of the gradient's energy along the picture's axes (|gx| or |gy| alone) -- the
  mortar lines of bricks and the grout of tiles run straight across the picture;

and each material is a rule on them (:data:`RULES`, in words in the method): brick is red-orange and
gridded, wood orange-brown to yellow-brown with a grain, concrete grey and finely textured without a
grain, rock and stone grey to brown, rough and without a grid, tiles any colour with a grid of
straight lines. The pixels that pass (the recognised objects cut out) are closed, their specks
dropped, and the main object (U²-Netp's salient object) is never the surface: the surface lies behind
or under it. The seeds grow into pixels of their own colours; where under :data:`SUPPORT` of the grown
region passes the rule itself, only the part that does is kept and the method says it is unsure. A
region under :data:`MIN_SHARE` of the picture is none (the segment step refuses). How sure comes from
:func:`~vitron_agent.perception.stuff_sure.how_sure` (its edge against what is round it), at most
"fair": no model confirms a material.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["MATERIALS", "material_kind", "material_mask", "MIN_SHARE"]

MATERIALS = {
    "brick": ("brick", "bricks", "brickwork"),
    "wood": ("wood", "wooden", "timber", "plank", "planks", "boards", "floorboards", "parquet", "decking"),
    "concrete": ("concrete", "cement"),
    "rock": ("rock", "rocks", "boulder", "boulders", "stone", "stony", "cliff", "stonework"),
    "tiles": ("tile", "tiles", "tiled", "tiling"),
}
_MATERIAL_WORD = {w: k for k, ws in MATERIALS.items() for w in ws}
# a material word before one of these names the surface ("the brick wall", "the wooden floor")
_SURFACES = frozenset("wall walls floor floors surface ground table fence path steps background backdrop".split())
MIN_SHARE = 0.03  # a material region under this share of the picture is none
SUPPORT = 0.8  # a grown region whose pixels pass the material's rule less often than this is a guess
REFUSE = 0.5  # ... and under this, none: "make the tiles blue" on the astronaut (21 %) painted the shuttle and the flag
WINDOW = 15  # px at the small size: the window the texture statistics are measured over


def material_kind(phrase: str | None) -> str | None:
    """'brick', 'wood', 'concrete', 'rock' or 'tiles' when the phrase names a surface by its material
    ("the brick wall", "the rocks", "the wooden floor", "the tiles"); None otherwise ("the wooden spoon"
    is a thing, "the stone" in "the stone's colour" still a material)."""
    if not phrase:
        return None
    text = re.sub(
        r"\b(?:in|on|at|near|with|behind|under|above|below|of|that|which|to|into|for)\b.*$", "", phrase.lower()
    )
    words = re.findall(r"[a-z]+", text)
    if not words:
        return None
    if words[-1] in _MATERIAL_WORD:
        return _MATERIAL_WORD[words[-1]]
    if words[-1] in _SURFACES and len(words) > 1 and words[-2] in _MATERIAL_WORD:
        return _MATERIAL_WORD[words[-2]]
    return None


def _statistics(L: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(texture strength in L units a pixel, grain coherence 0..1, grid share 0..1) per pixel of the
    lightness plane ``L`` (HxW float, 0..100)."""
    import cv2

    g = cv2.GaussianBlur(L.astype(np.float32), (3, 3), 0)
    gx, gy = cv2.Sobel(g, cv2.CV_32F, 1, 0) / 8, cv2.Sobel(g, cv2.CV_32F, 0, 1) / 8
    k = (WINDOW, WINDOW)
    strength = cv2.blur(np.hypot(gx, gy), k)
    jxx, jyy, jxy = cv2.blur(gx * gx, k), cv2.blur(gy * gy, k), cv2.blur(gx * gy, k)
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / np.maximum(jxx + jyy, 1e-6)
    # energy along the axes: |gx| or |gy| alone against the diagonal part of each gradient
    axis = cv2.blur(np.abs(np.abs(gx) - np.abs(gy)), k) / np.maximum(cv2.blur(np.abs(gx) + np.abs(gy), k), 1e-6)
    return strength, coherence, axis


def _rule(kind: str, L, a, b, strength, coherence, axis) -> tuple[np.ndarray, str]:
    """(HxW bool candidate pixels, the rule in words) of one material; thresholds set on the tuning
    half of benchmarks/seen_s12.py's scenes (scikit-image's brick, crops of real rock, concrete, wood)."""
    chroma = np.hypot(a, b)
    hue = np.degrees(np.arctan2(b, a))
    if kind == "brick":
        cand = (hue > 20) & (hue < 50) & (chroma > 18) & (L > 15) & (L < 70) & (axis > 0.55)
        return cand, "red to orange-brown, its lines straight across the picture (mortar)"
    if kind == "wood":
        cand = (hue > 45) & (hue < 80) & (chroma > 20) & (L > 30) & (L < 85) & (axis < 0.55) & (strength > 0.5)
        return cand, "orange-brown to yellow-brown, textured, without a grid of lines"
    if kind == "concrete":
        cand = (chroma < 10) & (L > 35) & (L < 90) & (strength > 0.3) & (strength < 4) & (axis < 0.55)
        return cand, "grey, finely textured, without a grid of lines"
    if kind == "rock":
        cand = (chroma < 25) & (L > 15) & (L < 90) & (strength > 2.0) & (axis < 0.55)
        return cand, "grey to brown, rough, without a grid of lines"
    cand = (axis > 0.6) & (strength > 0.5)
    return cand, "a grid of straight lines across and down the picture (grout), any colour"


def _main_object(image: np.ndarray) -> np.ndarray | None:
    """The salient object (U²-Netp) when it is a thing in front (under 60 % of the picture): a surface
    named by its material lies behind or under it, never in it. None without the weights."""
    from vitron_agent.loading.weights import embedded_available

    if not embedded_available("u2netp"):
        return None
    from vitron_agent.perception.salient import salient_map, salient_objects

    main = salient_objects(salient_map(image))
    return main if 0 < main.mean() < 0.6 else None


def material_mask(image: np.ndarray, kind: str, exclude: np.ndarray | None = None) -> tuple[np.ndarray, str]:
    """(HxW bool mask of the surface of material ``kind`` in ``image`` (HxWx3 uint8 RGB), one line
    saying how it was found and how sure); the mask is empty when less than MIN_SHARE passes.
    ``exclude``: HxW bool, pixels that are recognised objects, never the surface."""
    import cv2

    from vitron_agent.perception.masks import components
    from vitron_agent.perception.stuff_features import _close, _features, _open, _small
    from vitron_agent.perception.stuff_grow import fill_holes, grow_alike
    from vitron_agent.perception.stuff_sure import how_sure

    h, w = image.shape[:2]
    small, scale = _small(image)
    L, a, b, _, _ = _features(small)
    cand, rule = _rule(kind, L, a, b, *_statistics(L))
    main = _main_object(image)
    exclude = main if exclude is None else (exclude | main if main is not None else exclude)
    free = np.ones_like(cand)
    if exclude is not None:
        size = (small.shape[1], small.shape[0])
        free = cv2.resize(exclude.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) == 0
    seed = np.zeros_like(cand)
    for c in components(_close(_open(cand & free, 3), 7) & free, min_pixels=max(16, int(0.01 * cand.size))):
        seed |= c
    # the seeds grown into pixels of their own colours (the rule's texture is measured over a window and
    # misses a surface's edges and plain patches), holes filled
    keep = fill_holes(grow_alike(L, a, b, seed, free), 0.02) & free if seed.any() else seed
    method = f"material finder for {kind}: pixels {rule}, grown into their own colours, the main object and "
    method += "recognised objects cut out (no model here names a material)"
    if keep.mean() < MIN_SHARE:
        return np.zeros((h, w), bool), method + f"; none covers {100 * MIN_SHARE:.0f} % of the picture"
    support = float(cand[keep].mean()) if keep.any() else 0.0
    note = ""
    if support < REFUSE:  # mostly grown over plain regions of its colours: not the material, however hedged
        return np.zeros((h, w), bool), method + (
            f"; only {100 * support:.0f} % of the region grown from it has {kind}'s texture: none found surely"
        )
    if support < SUPPORT:  # grown past the material's texture into plain regions of its colours: the textured part
        keep &= _close(cand, 9)
        note = (
            f"; unsure: it cannot tell {kind} surely, so it took the part with its colour and texture (only "
            f"{100 * support:.0f} % of the region grown from it has that texture)"
        )
    sure = "low (a guess by colour and texture)" if note else how_sure(keep, L, a, b, guessed=True)
    mask = cv2.resize(keep.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0 if scale < 1 else keep
    if exclude is not None:
        mask &= ~exclude
    return mask, method + f"; how sure: {sure}" + note
