"""Stuff regions no detector has -- sky, clouds, water, grass, trees / foliage, ground / floor / road --
by a documented heuristic that says what it did.

Method (on a copy at most 320 px wide; masks scaled back):
1. Measure per pixel: CIE Lab colour, and texture = the local mean of the gradient magnitude of
   lightness (a 9 x 9 window), normalised by the image's median texture; ``smooth`` for the sky is
   judged against that median or an absolute floor (SKY_TEX_FLOOR), whichever is larger, so a
   picture that is all sky (its median texture is the sky's own) keeps its cirrus streaks.
2. Candidates by colour and texture:
   - sky: blue (b* < -6, any lightness: day and dusk) or bright and colourless (L > 68, chroma
     < 18: overcast, haze), smooth; holes inside it (thin cirrus, haze streaks) of a blue or
     bright colourless tint are filled, as people include them in "the sky"; then grown from its
     part high in the picture down its smooth gradient (:func:`~vitron_agent.perception.stuff_grow.grow_smooth`:
     a sunset's orange, a haze's white; a horizon's edge stops it), dark clouds inside filled;
   - clouds (:func:`cloud_mask`): bright, low-saturation regions lighter than the blue sky round
     them and touching it; not the blue sky itself;
   - water (:mod:`vitron_agent.perception.stuff_water`): under the horizon, blue or blue-green, or of
     the sky's own colours (its reflection) or rippled while calm; "unsure" when mostly not blue;
   - grass: green (a* < -8), textured, grown from the greens along the bottom edge and told from the
     darker tree line behind it by its own colours (:func:`~vitron_agent.perception.stuff_grow.nearer`);
   - trees / foliage: textured (in L units: a smooth green wall is none), of any foliage colour (green;
     yellow, orange, red, brown against the sky; dark trunks and shade among them; not blue, not
     bright and colourless), standing up (reaching above the lower 40 %),
     less the lawn; a colour named in the phrase ("the orange tree") keeps only that colour;
   - ground / floor / road: neither blue nor green, of the colours found along the bottom edge and
     connected to it (:func:`~vitron_agent.perception.stuff_grow.grow_alike`): a carpet or gravel however
     textured, not the wall above a floor nor the houses beside a road.
3. Place: sky must touch the top border and lie mostly in the upper 60 %; grass and ground must
   touch the bottom or side borders and lie mostly in the lower half. Connected components that do
   not are dropped, as are specks.
4. What the detector recognised (people, cars ...) is cut out of every stuff region.
The ``method`` string returned says this in one line, with "how sure: high|fair|low (why)"
(:mod:`vitron_agent.perception.stuff_sure`: how far the mask's edge stands out of what is round it)
and "unsure ..." where the heuristic guessed; ``benchmarks/stuff_check.py`` (a hand-labelled set,
IoU per kind and half) and ``benchmarks/recognition.py`` measure it.
"""

from __future__ import annotations

import re

import numpy as np

from vitron_agent.perception.stuff_features import MAX_SIDE, _close, _features, _open, _small  # noqa: F401

__all__ = ["STUFF", "stuff_kind", "stuff_mask"]

STUFF = {
    "sky": ("sky", "skies"),
    "clouds": ("clouds", "cloud", "cirrus", "cumulus"),
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
        "snow",
        "gravel",
    ),
}
_WORD = {w: k for k, ws in STUFF.items() for w in ws}
SKY_TEX_FLOOR = 7.0  # L units a pixel (at 320 px): below this a region is smooth whatever the picture's median
AUTUMN_MIN = 0.02  # an autumn-coloured tree against the sky covers this share at least (not a speck of fur)
GROW_STEPS = 3  # the sky grows this many 2-px steps (at 320 px) into blue, not darker, pixels next to it
FOLIAGE_TEX = 8.0  # L units a pixel (at 320 px): foliage is at least this textured
FOLIAGE_REL = 0.7  # ... and at least this share of the picture's median texture
STANDS_UP = 0.6  # a tree reaches above this share of the height (from the top); grass lies below it


def stuff_kind(phrase: str | None) -> str | None:
    """'sky', 'clouds', 'water', 'grass', 'trees' or 'ground' when the phrase's head noun names one; a
    material ('brick', 'wood', 'concrete', 'rock', 'tiles') when it names a surface by what it is made
    of ("the brick wall", "the wooden floor": :mod:`~vitron_agent.perception.stuff_material`)."""
    from vitron_agent.perception.stuff_material import material_kind

    if (material := material_kind(phrase)) is not None:
        return material
    word = _head(phrase)
    return _WORD.get(word) if word else None


def _head(phrase: str | None) -> str | None:
    """The phrase's head noun ("floor" in "the floor area"), None for no phrase."""
    if not phrase:
        return None
    text = re.sub(
        r"\b(?:in|on|at|near|with|behind|under|above|below|of|that|which|to|into|for)\b.*$", "", phrase.lower()
    ).strip()
    words = re.findall(r"[a-z]+", text or phrase.lower())
    while len(words) > 1 and words[-1] in _PART_WORDS:  # "the grass area", "the tree line": the stuff's part
        words.pop()
    # the head noun (the last word) names it: "the tree creature" is a creature, not trees (it blurred Groot
    # as the background behind "the trees")
    return words[-1] if words else None


_PART_WORDS = frozenset(
    "area areas region regions part parts bit bits section sections surface patch patches line lines top edge "
    "edges zone zones portion bits stuff cover".split()
)


def _placed(cand: np.ndarray, kind: str) -> np.ndarray:
    """The candidate's connected components (no specks) that lie where ``kind`` lies."""
    from vitron_agent.perception.masks import components

    sh, sw = cand.shape
    keep = np.zeros((sh, sw), bool)
    for c in components(cand, min_pixels=max(8, sh * sw // 400)):
        ys, _ = np.nonzero(c)
        bottom, sides = c[-1].any(), c[:, 0].any() or c[:, -1].any()
        cy = ys.mean() / sh
        if kind == "sky":
            ok = c[0].any() and cy < 0.6
        elif kind in ("water", "grass"):
            ok = (bottom or sides) and cy > 0.5
        elif kind == "ground":
            ok = bottom and cy > 0.5
        else:  # trees stand up: they reach above the lower 40 %
            ok = ys.min() < STANDS_UP * sh
        if ok:
            keep |= c
    return keep


def _fill_holes(region: np.ndarray, tint: np.ndarray, max_share: float = 0.03) -> np.ndarray:
    """``region`` with its holes (not touching the border, each under ``max_share`` of the picture)
    filled where most of the hole has the ``tint``: thin cirrus and haze inside a blue sky."""
    from vitron_agent.perception.masks import components

    sh, sw = region.shape
    out = region.copy()
    for hole in components(~region):
        if hole.sum() > max_share * sh * sw:
            continue
        if hole[0].any() or hole[-1].any() or hole[:, 0].any() or hole[:, -1].any():
            if hole.sum() > 0.004 * sh * sw:  # a bay on the border that is small is still filled
                continue
        if tint[hole].mean() >= 0.6:
            out |= hole
    return out


def _sky(L, a, b, tex, med) -> tuple[np.ndarray, np.ndarray]:
    """(the sky at the small size, the blue part of it)."""
    chroma = np.hypot(a, b)
    blue = b < -6
    colourless = (L > 68) & (chroma < 18)
    seed = _placed(_open((blue | colourless) & (tex < 1.2)), "sky")
    if not seed.any():
        return seed, blue
    # a picture that is mostly sky has the sky's own texture as its median: the absolute floor keeps
    # its streaks, grown only from the strict seed and not below its lowest row (not into a lake)
    low = int(np.percentile(np.nonzero(seed)[0], 98))
    loose = _open((blue | colourless) & (tex * med < max(1.2 * med, SKY_TEX_FLOOR)))
    loose[low + 1 :] = False
    keep = seed | _touching(loose, seed)
    keep = _fill_holes(keep, blue | colourless | ((b < -2) & (chroma < 30)))
    rim = blue & (L >= float(np.median(L[keep])) + 3) if keep.any() else blue
    for _ in range(GROW_STEPS):  # the blue soft rims of clouds and streaks, textured but still sky (not darker
        keep |= _dilate(keep, 5) & rim  # than it: a tower or a lake at dusk)
    keep = _down_the_gradient(keep, L, a, b, tex, med)
    return _close(keep), blue


def _down_the_gradient(keep: np.ndarray, L, a, b, tex, med) -> np.ndarray:
    """The sky grown from its blue or pale part down its smooth gradient (a sunset's orange and
    yellow near the horizon, a haze): smooth pixels reached across small colour steps, never a
    horizon's edge; its enclosed holes (dark clouds) filled."""
    from vitron_agent.perception.stuff_grow import fill_holes, grow_smooth

    smooth = tex * med < max(1.5 * med, SKY_TEX_FLOOR)
    top = keep.copy()
    top[max(2, int(0.15 * keep.shape[0])) :] = False  # seeds high in the sky, not on blue-grey hills
    grown = grow_smooth(L, a, b, top, smooth)
    return fill_holes(_placed(_open(grown), "sky") | keep)


def _lawn(L, a, b, tex, sky: np.ndarray) -> np.ndarray:
    """The grass grown from the green textured pixels along the bottom edge through greens of their
    own colours (empty when the bottom edge holds too little green): a tree line behind a lawn is a
    darker green and stays out."""
    from vitron_agent.perception.stuff_grow import fill_holes, nearer

    green = (a < -8) & (tex > 0.6)
    seed = np.zeros_like(green)
    seed[-max(2, int(0.08 * green.shape[0])) :] = True
    seed &= _open(green)
    if seed.sum() < 0.02 * green.size:
        return np.zeros_like(green)
    # the tree line's own greens: those just under the sky
    crowns = _dilate(sky, 9) & ~sky & (a < -6) & (tex > 0.6) & ~seed
    if crowns.sum() < 0.01 * crowns.size:  # a lawn reaching the sky here and there: no tree line
        crowns[:] = False
    return fill_holes(nearer(L, a, b, seed, crowns, green | ((a < -6) & (tex > 0.6))), 0.01)


def _from_the_bottom(allowed: np.ndarray, cand: np.ndarray, L, a, b) -> np.ndarray:
    """The ground, floor or road: the ``allowed`` pixels (neither blue nor green) of the colours found
    along the bottom edge, connected to it -- not the wall above a floor nor the houses beside a road,
    which differ in colour; a textured carpet or gravel is ground too. ``cand`` (the smooth ones) where
    the bottom edge holds too little of it."""
    from vitron_agent.perception.stuff_grow import fill_holes, grow_alike

    seed = np.zeros_like(allowed)
    seed[-max(2, int(0.08 * allowed.shape[0])) :] = True
    seed &= _open(allowed)
    if seed.sum() < 0.02 * allowed.size:
        return cand
    return fill_holes(grow_alike(L, a, b, seed, allowed), 0.02)


def _dilate(mask: np.ndarray, k: int) -> np.ndarray:
    import cv2

    return cv2.dilate(mask.astype(np.uint8), np.ones((k, k), np.uint8)) > 0


def _touching(mask: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """The connected components of ``mask`` that overlap ``seed``."""
    import cv2

    n, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    hit = np.unique(labels[seed & mask])
    return np.isin(labels, hit[hit > 0])


def _colour_words(phrase: str | None) -> list[str]:
    from vitron_agent.perception.colors import normalise_color

    words = re.findall(r"[a-z]+", (phrase or "").lower())
    return [c for w in words if (c := normalise_color(w)) is not None and w not in _WORD]


def _trees(small, L, a, b, tex, med, phrase, sky: np.ndarray) -> tuple[np.ndarray, str, str]:
    """(foliage at the small size, the rule in words, a note): green textured pixels standing up
    (less low green grass), autumn-coloured textured regions (orange, red, yellow, brown leaves)
    where they stand against the sky -- a cat's fur or a coffee cup is warm and textured too, but
    is not framed by sky -- and dark textured regions (trunks, shade) among those."""
    sh = L.shape[0]
    chroma = np.hypot(a, b)
    # leaves have edges in L units whatever the picture's median (a smooth green wall has none);
    # a frame full of leaves has their texture as its median
    textured = tex * med > max(FOLIAGE_REL * med, FOLIAGE_TEX)
    low = np.arange(sh)[:, None] >= STANDS_UP * sh
    # low and green, or the lawn grown from the bottom edge: grass, not a tree
    green = (a < -6) & (b > -6) & textured & ~((a < -8) & low) & ~_lawn(L, a, b, tex, sky)
    warm = (a >= -6) & (b > 8) & (chroma >= 15) & textured & ~((L > 75) & (chroma < 30))  # not a pastel sky
    dark = (L < 35) & (b >= -6) & textured  # trunks and shaded leaves (a dark blue sky is not)
    backdrop = (b < -6) | ((L > 68) & (chroma < 30))  # a sky: blue or pale
    autumn = _against(_placed(_open(warm), "trees"), backdrop, min_share=AUTUMN_MIN)
    cand = green | autumn
    cand |= _against(_placed(_open(dark & ~cand), "trees"), cand)  # among the foliage
    rule = "green and textured (not low: grass), or autumn-coloured and textured against the sky, or dark among them"
    colours = _colour_words(phrase)
    if colours:
        from vitron_agent.perception.colors import color_mask

        tinted = np.zeros_like(cand)
        for c in colours:
            tinted |= color_mask(small, c)
        cand &= _close(tinted, 7)
        rule += f", {' or '.join(colours)} as the phrase says"
    keep = _close(_placed(_open(cand), "trees"), 7)
    note = ""
    if keep.any() and float(green[keep].mean()) < 0.5:
        what = (phrase or "trees").strip()
        note = (
            f"unsure: it cannot recognise {what!r} by name, so it took the textured autumn-coloured regions "
            "standing against the sky as foliage, finding nothing green"
        )
    return keep, rule, note


def _against(mask: np.ndarray, backdrop: np.ndarray, share: float = 0.3, min_share: float = 0.0) -> np.ndarray:
    """The components of ``mask`` (each at least ``min_share`` of the picture) reaching the upper
    35 % whose surroundings (a 4-px ring at 320 px) are at least ``share`` ``backdrop``."""
    import cv2

    from vitron_agent.perception.masks import components

    out = np.zeros_like(mask)
    for c in components(mask, min_pixels=max(1, int(min_share * mask.size))):
        ring = (cv2.dilate(c.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0) & ~c
        if np.nonzero(c)[0].min() < 0.35 * mask.shape[0] and ring.any() and backdrop[ring].mean() >= share:
            out |= c
    return out


def stuff_mask(
    image: np.ndarray, kind: str, exclude: np.ndarray | None = None, phrase: str | None = None
) -> tuple[np.ndarray, str]:
    """(HxW bool mask of the ``kind`` of stuff, one line saying how it was found; "unsure ..." in
    it where the heuristic had to guess). ``phrase``: the words naming it (a colour in it,
    "the orange tree", narrows trees to that colour)."""
    import cv2

    from vitron_agent.perception.stuff_material import MATERIALS, material_mask

    if kind in MATERIALS:  # a surface by its material: its own colour and texture rule
        return material_mask(image, kind, exclude)
    h, w = image.shape[:2]
    small, scale = _small(image)
    L, a, b, tex, med = _features(small)
    blue = b < -6
    note = ""
    if kind == "sky":
        keep, _ = _sky(L, a, b, tex, med)
        rule, place = "blue or bright colourless, smooth, with the cirrus and haze inside it", "touching the top"
    elif kind == "clouds":
        from vitron_agent.perception.clouds import clouds

        keep, rule, note = clouds(L, a, b, tex * med, _sky(L, a, b, tex, med)[0])
        place = "in or next to the blue sky"
    elif kind == "trees":
        keep, rule, note = _trees(small, L, a, b, tex, med, phrase, _sky(L, a, b, tex, med)[0])
        place = "standing up (reaching above the lower 40 %)"
    elif kind == "water":
        from vitron_agent.perception.stuff_water import water

        keep, note = water(L, a, b, tex, _sky(L, a, b, tex, med)[0], med)
        rule = "blue or blue-green, or of the sky's colours (its reflection), or rippled; smooth to rippled"
        place = "touching the bottom or sides, under the horizon"
    else:
        if kind == "grass":
            cand = _lawn(L, a, b, tex, _sky(L, a, b, tex, med)[0])
            if not cand.any():
                cand = (a < -8) & (tex > 0.6)
            rule = "green, textured, of the greens along the bottom edge (not the darker trees behind)"
            place = "touching the bottom or sides, in the lower half"
        else:
            cand = ~blue & ~(a < -8) & (tex < 2.5)
            rule = "neither blue nor green, smooth to moderately textured, of the colours along the bottom edge"
            place = "touching the bottom, in the lower half"
            cand = _from_the_bottom(~blue & ~(a < -8), cand, L, a, b)
        keep = _close(_placed(_open(cand), kind))
    mask = cv2.resize(keep.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0 if scale < 1 else keep
    if exclude is not None:
        mask &= ~exclude
    said = _head(phrase) if _WORD.get(_head(phrase) or "") == kind else kind  # "the floor", not "the ground"
    method = f"stuff heuristic for {said}: pixels {rule}, connected regions {place}, recognised objects cut out"
    if kind == "sky" and keep.any() and float(blue[keep].mean()) < 0.5:
        # a gray or white sky looks like a bright wall or ceiling: say it was assumed (edits that destroy wait)
        note = (
            "it cannot recognise 'the sky' by name, so it took the smooth regions at the top (mostly not blue: "
            "they may be a wall or a ceiling)"
        )
    if keep.any():
        from vitron_agent.perception.stuff_sure import how_sure

        method += f"; how sure: {how_sure(keep, L, a, b, bool(note))}"
    return mask, method + (f"; {note}" if note else "")
