"""Counting drawn shapes (circles, squares, triangles, stars ...) by their outlines, not by any model.

No detector or classifier knows "a circle" in a drawing: it is geometry. On a drawing (a flat
background: the border is one colour) the pixels unlike the background are split into colour layers
(a drawing has few flat colours; anti-aliased edges belong to none), each layer into connected pieces,
and each piece is read by its outline (:func:`read_outline`):

* how much of its enclosing circle it fills (a disc about 0.95, a hexagon 0.83, a square 0.64);
* its corners: the polygon :func:`cv2.approxPolyDP` fits to its convex hull (3: a triangle, 4: a
  square or a rectangle by its sides' ratio, 5, 6: a pentagon, a hexagon);
* its solidity and the deep notches of its outline (a five-pointed star has five).

A piece partly covered by a shape of another colour, that reads as no shape, is fitted by the part of
its outline that faces the background (a disc under a square is still a circle, "partly hidden"); one
that reads as no shape even so (two shapes of one colour overlapping, one mostly covered) makes the
count "at least", with the reason. A photograph's round things (coins, oranges) are not drawn circles:
:func:`is_drawing` tells the two apart, and the count tool says which it counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Shape", "ShapeCount", "count_shapes", "find_shapes", "is_drawing", "read_outline", "shape_word"]

_WORDS = {
    "circle": "circle",
    "disc": "circle",
    "disk": "circle",
    "dot": "circle",
    "oval": "oval",
    "ellipse": "oval",
    "square": "square",
    "rectangle": "rectangle",
    "oblong": "rectangle",
    "triangle": "triangle",
    "star": "star",
    "pentagon": "pentagon",
    "hexagon": "hexagon",
    "shape": "shape",
}
_PLURAL = {"circle": "circles", "oval": "ovals", "square": "squares", "rectangle": "rectangles"}
_PLURAL |= {"triangle": "triangles", "star": "stars", "pentagon": "pentagons", "hexagon": "hexagons"}
_PLURAL |= {"shape": "shapes", "clump": "clumps"}
DELTA = 14.0  # Lab distance from the background that makes a pixel part of a drawn thing
LAYER = 16.0  # Lab distance within which pixels are one drawn colour


def shape_word(target: str | None) -> str | None:
    """The kind of shape ``target`` names ("circles" -> "circle", "the red squares" -> "square",
    "shapes" -> "shape" for every kind), or None when it names none. Only the last word counts:
    "the star on the flag" is a star, "the stars' names" nothing."""
    words = re.findall(r"[a-z]+", (target or "").lower())
    words = [w for w in words if w not in ("the", "a", "an", "of", "all", "drawn", "any")]
    if not words:
        return None
    head = words[-1]
    for cut in ("es", "s", ""):
        if cut and head.endswith(cut) and head[: -len(cut)] in _WORDS:
            return _WORDS[head[: -len(cut)]]
    return _WORDS.get(head)


def plural_shape(kind: str, n: int) -> str:
    """'1 circle', '3 circles'."""
    return f"{n} {kind if n == 1 else _PLURAL.get(kind, kind + 's')}"


@dataclass
class Shape:
    """One drawn shape: ``kind`` (circle, oval, square, rectangle, triangle, pentagon, hexagon, star,
    or "clump": no shape), ``mask`` HxW bool (what is seen of it), ``box`` XYXY pixels, ``colour``
    an RGB triple, ``hidden`` whether less than half of its outline's area is seen, ``corners`` the
    polygon fit's corner count (points for a star)."""

    kind: str
    mask: np.ndarray = field(repr=False)
    box: tuple[int, int, int, int]
    colour: tuple[int, int, int]
    hidden: bool = False
    corners: int = 0


@dataclass
class ShapeCount:
    """Shapes of ``kind`` in a drawing: ``count`` read surely, ``clumps`` pieces read as no shape
    (perhaps overlapping shapes of one colour: the count is then at least ``count``), ``others``
    the other kinds and how many, ``shapes`` those counted."""

    kind: str
    count: int
    clumps: int
    others: dict[str, int]
    shapes: list[Shape] = field(default_factory=list, repr=False)
    hidden: int = 0
    ink: float = 0.0  # the share of the picture drawn on (not its flat background)

    @property
    def sure(self) -> bool:
        return self.clumps == 0

    def words(self) -> str:
        """The count in words, as sure as the outlines allow."""
        what = "shapes" if self.kind == "shape" else _PLURAL.get(self.kind, self.kind + "s")
        if not self.count and not self.others and not self.clumps and self.ink >= INKED:
            # nothing read as a shape where much is drawn: a zero would be the method's, not the picture's ("I see
            # no circles" on a flower of life of 19 overlapping outlines: newcomer s13, class 5)
            return (
                f"I cannot count the {what} surely: I read no shape at all in this drawing ({100 * self.ink:.0f} % of it "
                "is drawn: lines that cross, or line art rather than filled shapes), so I cannot say there are none."
            )
        others = [plural_shape(k, n) for k, n in sorted(self.others.items(), key=lambda t: -t[1]) if k not in UNREAD]
        hidden = f", {self.hidden} of them partly hidden under others" if self.hidden else ""
        if self.kind == "shape" and self.count:
            said = f"I count {self.count} {what if self.count != 1 else 'shape'} ({', '.join(others)}{hidden})"
        else:
            said = f"I count {plural_shape(self.kind, self.count)}" if self.count else f"I see no {what}"
            said += f" ({hidden[2:]})" if hidden else ""
            if others and self.kind != "shape":
                said += f"; the drawing also has {_joined(others)}"
        if self.clumps:
            lump = "a piece" if self.clumps == 1 else f"{self.clumps} pieces"
            why = f"{lump} I cannot read as one shape (shapes overlapping, or one mostly covered) may hold more"
            if not self.count:
                rest = f" (the drawing has {_joined(others)})" if others else ""
                return f"I cannot count the {what} surely: {why}, and none I can read is one{rest}."
            return f"At least {plural_shape(self.kind, self.count) if self.kind != 'shape' else f'{self.count} shapes'}: {why}. {said}."
        return said + "."


UNREAD = ("clump", "hidden")
CROSSED = 3  # a drawn piece enclosing this many holes is lines that cross (a flower of life), not one shape
INKED = 0.02  # a drawing with at least this share drawn on, and no shape read in it, is not counted as having none


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _background(lab: np.ndarray) -> np.ndarray | None:
    """The Lab colour of a flat background (95 % of the border within 3 of its median), or None."""
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    ref = np.median(border, axis=0)
    return ref if (np.linalg.norm(border - ref, axis=1) < 3.0).mean() >= 0.95 else None


def is_drawing(image: np.ndarray) -> bool:
    """Whether ``image`` (HxWx3 uint8 RGB) is drawn on a flat background (a diagram, a worksheet, a
    cv2 drawing), where shapes are read by outline; a photograph's border is never one colour."""
    import cv2

    return _background(cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)) is not None


def _palette(lab: np.ndarray, fg: np.ndarray) -> list[np.ndarray]:
    """The drawing's flat colours (Lab): the most common colours of the foreground, at least
    :data:`LAYER` apart, each covering at least 0.5 % of it (edges' blends are rarer)."""
    px = lab[fg]
    if not len(px):
        return []
    keys, counts = np.unique((px / 4).round().astype(np.int32), axis=0, return_counts=True)
    order = np.argsort(-counts)
    floor = max(20, int(0.005 * len(px)))
    out: list[np.ndarray] = []
    for i in order:
        if counts[i] < floor:
            break
        c = keys[i].astype(np.float32) * 4
        if all(np.linalg.norm(c - o) >= LAYER for o in out):
            out.append(c)
    return out


def _unblended(palette: list[np.ndarray], bg: np.ndarray) -> list[np.ndarray]:
    """The palette less the colours that are a blend of the background and a more common drawn colour
    (an anti-aliased outline's rim, which would read as a second shape inside the first)."""
    out: list[np.ndarray] = []
    for c in palette:  # most common first: a blend comes after the colour it blends
        if not any(_on_segment(c, bg, o) < 6.0 for o in out):
            out.append(c)
    return out


def _on_segment(c: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Lab distance from ``c`` to the segment a-b."""
    ab = b - a
    t = float(np.clip(np.dot(c - a, ab) / max(1e-6, float(np.dot(ab, ab))), 0.0, 1.0))
    return float(np.linalg.norm(c - (a + t * ab)))


def find_shapes(image: np.ndarray, min_share: float = 0.0002) -> list[Shape] | None:
    """Every drawn shape in ``image`` (HxWx3 uint8 RGB), largest first; None when it is not a
    drawing on a flat background. Pieces under ``min_share`` of the picture are specks, not shapes."""
    import cv2
    from scipy import ndimage as ndi

    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    bg = _background(lab)
    if bg is None:
        return None
    fg = np.linalg.norm(lab - bg, axis=2) >= DELTA
    h, w = fg.shape
    min_px = max(12, int(min_share * h * w))
    layers = [fg & (np.linalg.norm(lab - c, axis=2) < LAYER) for c in _unblended(_palette(lab, fg), bg)]
    inked = np.logical_or.reduce(layers) if layers else fg
    shapes: list[Shape] = []
    for layer in layers:
        labels, n = ndi.label(ndi.binary_fill_holes(layer))
        for i in range(1, n + 1):
            piece = labels == i
            if piece.sum() >= min_px:
                shape = _shape_of(image, piece, inked & ~layer)
                if ndi.label(piece & ~layer)[1] >= CROSSED:  # lines that cross: no one shape's outline
                    shape.kind, shape.hidden = "clump", False
                shapes.append(shape)
    return _without_specks(_one_per_outline(sorted(shapes, key=lambda s: -int(s.mask.sum()))))


def _one_per_outline(shapes: list[Shape]) -> list[Shape]:
    """One shape per outline: an anti-aliased rim (a second, paler layer of a drawn outline) fills to
    nearly the same region as the outline itself (IoU 0.7): the larger is kept."""
    kept: list[Shape] = []
    for s in shapes:
        if not any(_iou(s.mask, k.mask) >= 0.7 for k in kept):
            kept.append(s)
    return kept


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    inter = np.logical_and(a, b).sum()
    return float(inter / np.logical_or(a, b).sum()) if inter else 0.0


def _without_specks(shapes: list[Shape]) -> list[Shape]:
    """The shapes less the unreadable pieces that are no shape: far smaller than the readable ones
    (under a quarter of the median), or strokes far thinner (letters of a label, a drawn line)."""
    readable = [s for s in shapes if s.kind not in UNREAD]
    if not readable:
        return shapes
    floor = 0.25 * float(np.median([s.mask.sum() for s in readable]))
    thick = 0.35 * float(np.median([_thickness(s.mask) for s in readable]))
    return [s for s in shapes if s.kind not in UNREAD or (s.mask.sum() >= floor and _thickness(s.mask) >= thick)]


def _thickness(mask: np.ndarray) -> float:
    """Twice the largest distance from inside ``mask`` (HxW bool) to its edge: a stroke's width, a disc's diameter."""
    import cv2

    return 2.0 * float(cv2.distanceTransform(np.pad(mask, 1).astype(np.uint8), cv2.DIST_L2, 5).max())


def _shape_of(image: np.ndarray, piece: np.ndarray, others: np.ndarray) -> Shape:
    """One layer's piece read as a shape. A piece that reads as none and borders other drawn colours is
    partly covered: its outline against the background is fitted with a circle (a disc under a square);
    failing that it is "hidden" (a shape too covered to read)."""
    kind, corners = read_outline(piece)
    ys, xs = np.nonzero(piece)
    colour = tuple(int(v) for v in np.median(image[piece], axis=0))
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    hidden = False
    if kind == "clump" and (free := _free_outline(piece, others)) is not None:
        hidden = True
        kind = "circle" if _arc_fits(free) else "hidden"
    return Shape(kind, piece, box, colour, hidden, corners)


def _free_outline(piece: np.ndarray, others: np.ndarray) -> np.ndarray | None:
    """Nx2 (x, y) outline points of ``piece`` that face the background, when at least a tenth of its
    outline faces ``others`` (HxW bool: the other drawn colours' pixels; it is covered there); else None."""
    import cv2

    contours, _ = cv2.findContours(piece.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    pts = max(contours, key=cv2.contourArea)[:, 0, :]
    other = cv2.dilate((others & ~piece).astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool)
    covered = other[pts[:, 1], pts[:, 0]]
    return pts[~covered] if covered.mean() >= 0.1 and (~covered).sum() >= 12 else None


def _arc_fits(pts: np.ndarray) -> bool:
    """Whether outline points (Nx2) lie on one circle (least squares; residual under 4 % of the
    radius) that they go at least a third of the way round."""
    x, y = pts[:, 0].astype(float), pts[:, 1].astype(float)
    a = np.stack([x, y, np.ones_like(x)], 1)
    sol, *_ = np.linalg.lstsq(a, x * x + y * y, rcond=None)
    cx, cy = sol[0] / 2, sol[1] / 2
    r = np.sqrt(max(1e-6, sol[2] + cx * cx + cy * cy))
    resid = np.abs(np.hypot(x - cx, y - cy) - r)
    angles = np.sort(np.arctan2(y - cy, x - cx))
    gaps = np.diff(np.concatenate([angles, angles[:1] + 2 * np.pi]))
    return bool(np.median(resid) < 0.04 * r and 2 * np.pi - gaps.max() >= 2 * np.pi / 3)


def read_outline(mask: np.ndarray) -> tuple[str, int]:
    """(kind, corners) of one filled outline (HxW bool): "circle", "oval", "triangle", "square",
    "rectangle", "pentagon", "hexagon", "star" (corners: its points) or "clump" (none of these)."""
    import cv2

    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return "clump", 0
    c = max(contours, key=cv2.contourArea)
    area = float(mask.sum())
    hull = cv2.convexHull(c)
    solidity = area / max(1.0, float(cv2.contourArea(hull)) + 0.5 * cv2.arcLength(hull, True))
    (_, _), radius = cv2.minEnclosingCircle(c)
    fill = area / (np.pi * radius * radius) if radius else 0.0
    if solidity < 0.8:
        points = _points(c, hull, radius)
        return ("star", points) if 4 <= points <= 12 and 0.25 <= fill <= 0.65 else ("clump", points)
    if _points(
        c, hull, radius, max(0.06, 1.5 / max(radius, 1.0))
    ):  # notches: shapes of one colour overlapping, or a cut-out
        return "clump", 0
    if len(c) >= 5 and fill >= 0.86:
        return "circle", 0
    poly = cv2.approxPolyDP(hull, 0.035 * cv2.arcLength(hull, True), True)
    corners = len(poly)
    if corners <= 6 and area < (0.9 if radius >= 15 else 0.8) * cv2.contourArea(poly):
        return "clump", corners
    if len(c) >= 5 and corners > 6:
        (_, _), (a, b), _ = cv2.fitEllipse(c)
        if min(a, b) and area / (np.pi * a * b / 4) >= 0.9:
            return ("circle" if max(a, b) / min(a, b) < 1.15 else "oval"), 0
    if solidity < 0.9:
        return "clump", corners
    if corners == 4:
        (_, _), (a, b), _ = cv2.minAreaRect(c)
        return ("square" if max(a, b) <= 1.15 * min(a, b) else "rectangle"), 4
    return {3: "triangle", 5: "pentagon", 6: "hexagon"}.get(corners, "clump"), corners


def _points(contour: np.ndarray, hull: np.ndarray, radius: float, depth: float = 0.2) -> int:
    """How many notches deeper than ``depth`` x the enclosing radius the outline has between hull
    points (a five-pointed star: 5 at 0.2)."""
    import cv2

    idx = cv2.convexHull(contour, returnPoints=False)
    try:
        defects = cv2.convexityDefects(contour, idx)
    except cv2.error:  # a self-touching outline
        return 0
    if defects is None:
        return 0
    return int((defects.reshape(-1, 4)[:, 3] / 256.0 >= depth * radius).sum())


def count_shapes(image: np.ndarray, kind: str, region: np.ndarray | None = None) -> ShapeCount | None:
    """Shapes of ``kind`` ("circle" ...; "shape": every kind) in a drawing, those whose centre lies in
    ``region`` (HxW bool) when given; None when ``image`` is not a drawing on a flat background."""
    shapes = find_shapes(image)
    if shapes is None:
        return None
    if region is not None:
        h, w = region.shape
        shapes = [
            s for s in shapes if region[min(h - 1, (s.box[1] + s.box[3]) // 2), min(w - 1, (s.box[0] + s.box[2]) // 2)]
        ]
    tally: dict[str, int] = {}
    for s in shapes:
        tally[s.kind] = tally.get(s.kind, 0) + 1
    if kind == "shape":
        chosen = [s for s in shapes if s.kind not in ("clump", "hidden")]
    else:
        same = ("square", "rectangle") if kind == "rectangle" else ("circle",) if kind == "circle" else (kind,)
        chosen = [s for s in shapes if s.kind in same]
    others = {k: n for k, n in tally.items() if kind == "shape" or k not in {s.kind for s in chosen}}
    unread = tally.get("clump", 0) + tally.get("hidden", 0)
    return ShapeCount(kind, len(chosen), unread, others, chosen, sum(s.hidden for s in chosen), _inked(image))


def _inked(image: np.ndarray) -> float:
    """The share of ``image`` (a drawing on a flat background) that is drawn on."""
    import cv2

    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    bg = _background(lab)
    return 0.0 if bg is None else float((np.linalg.norm(lab - bg, axis=2) >= DELTA).mean())


METHOD = (
    "drawn shapes read by their outlines on a flat background (no model knows shapes): colour layers, "
    "each piece's fill of its enclosing circle, corners of the polygon fitted to its hull, notches for "
    "a star's points; a partly covered disc by the arc of its outline left free"
)


def shape_answer(
    image: np.ndarray, target: str, colour: str | None = None, region: np.ndarray | None = None
) -> tuple[int, list[np.ndarray], str, str] | None:
    """(count, the counted shapes' masks, the answer, the method) for a count of drawn shapes ("how
    many circles", "count the red stars", "how many shapes"), of ``colour`` (a colour name) when given;
    None when ``target`` names no shape or ``image`` is no drawing (the blob counter answers, and says
    that a photograph's round things are not drawn circles)."""
    from vitron_agent.perception.colors import name_colors

    kind = shape_word(target)
    if kind is None:
        return None
    found = count_shapes(image, kind, region)
    if found is None:
        return None
    if colour:
        keep = [s for s in found.shapes if name_colors(image[s.mask])[0][0] == colour]
        found.others = {}
        found.count, found.shapes, found.hidden = len(keep), keep, sum(s.hidden for s in keep)
    text = found.words()
    if colour and found.count:
        text = text.replace(
            plural_shape(kind, found.count),
            f"{found.count} {colour} {plural_shape(kind, found.count).split(' ', 1)[1]}",
            1,
        )
    shapes = "; ".join(f"{s.kind} at ({s.box[0]},{s.box[1]})-({s.box[2]},{s.box[3]})" for s in found.shapes[:12])
    return found.count, [s.mask for s in found.shapes], text, METHOD + (f": {shapes}" if shapes else "")


PHOTO_NOTE = (
    "This looks like a photograph, not a drawing: I read shapes by their outlines only in drawings, so I "
    "counted the round things that stand out (coins, fruit, balls ...), not drawn circles."
)
PHOTO_NOTE_ANGULAR = (
    "This looks like a photograph, not a drawing: I read shapes by their outlines only in drawings, so what "
    "follows counts every blob that stands out, whatever its shape."
)
