"""One piece of a stuff that comes in pieces -- "the tree on the right", "the fir tree", "the bush on
the left" -- found by colour and texture at the place the words name: a guess, and said as one.

No model here knows a tree: ImageNet's 1,000 classes hold no tree, COCO's 80 neither. The stuff
heuristic (:mod:`vitron_agent.perception.stuff`) finds foliage as a whole; people point at one tree.
Method (on a copy at most 320 px wide; the mask scaled back):

1. foliage: textured pixels (:data:`TEXTURED` times the picture's median texture) of a leaf's colour --
   green (a* < -2 with b* > -8: olive and dark greens too), dark and nearly colourless (trunks,
   shade: L < 40, chroma < 25) -- and, only when the phrase asks for them ("the orange tree",
   "autumn", "maple") or no green is found, warm autumn colours; never the smooth sky;
2. evergreen words ("fir", "pine", "spruce", "conifer", "cypress", "cedar", "evergreen") keep the dark
   greens only (L < 45, a* < -2): a fir stands dark among lighter or autumn trees;
3. pieces: the foliage opened with a 5-px disc (thin bridges of shade between two crowns break),
   connected components of at least :data:`MIN_PIECE` of the picture that stand up (reaching above the
   lower 40 %), the grass below them cut off (light green, low and touching the bottom), at least
   :data:`GREEN_SHARE` of each green unless autumn colours were asked (a cup's dark shadow is no tree);
4. the piece the place words point at (:func:`~vitron_agent.perception.name_finder._place_key`); with
   no place word, the tallest piece for an evergreen (a fir is taller than wide), else the largest;
   none when that piece spans :data:`WIDE` of the picture's width (a wall of foliage, not one tree:
   the stuff heuristic's "all the trees it found" is the answer then).

The answer is never sure: it says it is a guess by colour and texture.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["one_piece", "EVERGREEN", "MIN_PIECE"]

EVERGREEN = frozenset(
    "fir firs pine pines spruce spruces conifer conifers cypress cedar cedars evergreen evergreens".split()
)
_AUTUMN = frozenset("autumn autumnal fall maple orange red yellow golden brown".split())
TEXTURED = 0.8  # a pixel's texture over the picture's median for foliage
MIN_PIECE = 0.004  # a piece's share of the picture, at least
WIDE = 0.6  # a piece at least this share of the picture's width is a mass of foliage, not one tree
GREEN_SHARE = 0.3  # a piece's share of green pixels (a* < -2), at least, unless autumn colours are asked
_PIECES = re.compile(r"\b(tree|bush|shrub|hedge|plant|fir|pine|spruce|conifer|cypress|cedar)\b")


def _foliage(small: np.ndarray, words: set[str]) -> tuple[np.ndarray, str]:
    """(foliage at the small size, the rule in words)."""
    from vitron_agent.perception.stuff import _features, _open, _sky

    L, a, b, tex, med = _features(small)
    chroma = np.hypot(a, b)
    textured = tex > TEXTURED
    sky, _ = _sky(L, a, b, tex, med)
    green = (a < -2) & (b > -8) & textured
    dark = (L < 40) & (chroma < 25) & (b >= -6) & (tex > TEXTURED / 2)  # shade shows less texture
    if words & EVERGREEN:
        return _open(textured & (L < 45) & (a < -2) & ~sky), "dark green and textured (an evergreen's colour)"
    cand = green | dark
    rule = "green or dark and textured"
    if words & _AUTUMN or not green.any():
        cand |= (a >= -6) & (b > 8) & (chroma >= 15) & textured
        rule += ", or autumn-coloured and textured"
    return _open(cand & ~sky), rule


def _pieces(fol: np.ndarray, small: np.ndarray) -> list[np.ndarray]:
    """The foliage's pieces that stand up, the low grass cut off, each at least MIN_PIECE."""
    import cv2

    from vitron_agent.perception.masks import components
    from vitron_agent.perception.stuff import STANDS_UP, _features

    sh, sw = fol.shape
    L, a, _, _, _ = _features(small)
    low = np.arange(sh)[:, None] >= STANDS_UP * sh
    grass = np.zeros_like(fol)
    for c in components(fol & low & (a < -8) & (L >= 40)):  # grass is a lighter green than a fir's foot
        if c[-1].any():
            grass |= c
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    split = cv2.morphologyEx((fol & ~grass).astype(np.uint8), cv2.MORPH_OPEN, disc) > 0
    out = []
    for c in components(split, min_pixels=max(8, int(MIN_PIECE * sh * sw))):
        if np.nonzero(c)[0].min() < STANDS_UP * sh:
            out.append(c)
    return out


def _grown(piece: np.ndarray, small: np.ndarray, steps: int = 8) -> np.ndarray:
    """``piece`` grown (2-px steps, within its own columns) into the dark textured pixels touching it:
    the shaded lower branches of a fir are darker than its crown and greyer."""
    import cv2

    from vitron_agent.perception.stuff import _features

    L, a, b, tex, _ = _features(small)
    loose = (L < 45) & (np.hypot(a, b) < 30) & (tex > TEXTURED / 2)
    cols = np.nonzero(piece.any(0))[0]
    loose[:, : cols.min()] = False
    loose[:, cols.max() + 1 :] = False
    out = piece.copy()
    for _ in range(steps):
        out |= (cv2.dilate(out.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0) & loose
    return out


def _crown(piece: np.ndarray) -> np.ndarray:
    """A piece wider than tall (a tree and the bushes in front of it) cut to the columns around its
    highest point whose top lies in the upper half of the piece's height: one crown and what is under it."""
    cols = np.nonzero(piece.any(0))[0]
    tops = np.full(piece.shape[1], piece.shape[0])
    tops[cols] = piece[:, cols].argmax(0)
    peak = int(cols[np.argmin(tops[cols])])
    bottom = int(np.nonzero(piece.any(1))[0].max())
    limit = tops[peak] + 0.5 * (bottom - tops[peak])
    left, right = peak, peak
    while left - 1 >= 0 and tops[left - 1] <= limit:
        left -= 1
    while right + 1 < piece.shape[1] and tops[right + 1] <= limit:
        right += 1
    out = np.zeros_like(piece)
    out[:, left : right + 1] = piece[:, left : right + 1]
    return out


def one_piece(image: np.ndarray, phrase: str, exclude: np.ndarray | None = None) -> tuple[np.ndarray, str] | None:
    """(HxW bool mask, method) of the one tree (bush, hedge) ``phrase`` names, found by colour and
    texture where its place words point (see the module docstring); None when the phrase names no
    one piece of foliage or none is found there. ``exclude``: HxW bool of recognised objects, cut
    out. The method says it is a guess, in the words of an assumption."""
    import cv2

    from vitron_agent.perception.name_finder import _place_key, _place_words
    from vitron_agent.perception.stuff import _features, _small

    text = phrase.lower()
    if not (m := _PIECES.search(text)):
        return None
    words = set(re.findall(r"[a-z]+", text))
    h, w = image.shape[:2]
    small, scale = _small(image)
    fol, rule = _foliage(small, words)
    if exclude is not None:
        ex = cv2.resize(exclude.astype(np.uint8), (fol.shape[1], fol.shape[0]), interpolation=cv2.INTER_NEAREST) > 0
        fol &= ~ex
    pieces = _pieces(fol, small)
    if not words & _AUTUMN:  # a piece with little green is a dark thing, not a tree (a cup's shadow)
        _, a, _, _, _ = _features(small)
        pieces = [p for p in pieces if float((a[p] < -2).mean()) >= GREEN_SHARE]
    if not pieces:
        return None
    sh, sw = fol.shape
    boxes = [(xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) for ys, xs in (np.nonzero(p) for p in pieces)]
    n = _place_words(words)
    if n:
        i = min(range(len(pieces)), key=lambda j: (_place_key(words, boxes[j], sw, sh), -int(pieces[j].sum())))
        if _place_key(words, boxes[i], sw, sh) > 0.5 * n:
            return None  # no piece lies where the words say
        how = "the piece furthest where the phrase says"
    elif words & EVERGREEN:
        i = max(range(len(pieces)), key=lambda j: (boxes[j][3] - boxes[j][1]) / max(1, boxes[j][2] - boxes[j][0]))
        pieces[i] = _grown(pieces[i], small)
        how = "the piece tallest for its width (an evergreen's shape), grown into the shade under it"
    else:
        i = max(range(len(pieces)), key=lambda j: int(pieces[j].sum()))
        how = "the largest piece"
    mask = _crown(pieces[i]) if n and boxes[i][2] - boxes[i][0] > boxes[i][3] - boxes[i][1] else pieces[i]
    cols = np.nonzero(mask.any(0))[0]
    if cols.max() + 1 - cols.min() >= WIDE * sw:
        return None  # a wall of foliage across the picture, not one tree: the stuff heuristic's answer
    if scale < 1:
        mask = cv2.resize(mask.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0
    what = m.group(1)
    method = (
        f"a guess by colour and texture, unsure: it cannot recognise {what!r} by name, so it took {how} among "
        f"{len(pieces)} pieces of foliage (pixels {rule}, standing up, the grass below cut off)"
    )
    return mask, method
