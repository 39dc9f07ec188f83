"""segment: a mask for a target given by words, a point, a box or a scribble.

cv backend (no weights, heuristic): GrabCut seeded from a box, a point, a
scribble or a centre prior ("the foreground", "the main object", any named
object it cannot recognise); HSV ranges for colour words ("the red car");
position filters (left/right/top/bottom/center) and "the largest object" over
connected components of the colour or border-contrast ("objectness") mask.
It cannot recognise object categories: "the cat" becomes the main foreground
object, and the output ``method`` says so.
"""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Box, MaskRef
from vitron_agent.perception.colors import (
    COLORS,
    check_color,
    color_distance,
    color_mask,
    normalise_color,
)
from vitron_agent.perception.masks import (
    _downscale,
    _upscale_mask,
    bbox,
    check_same_size,
    clean,
    components,
    fill_holes,
    largest_component,
    objectness,
    pick_by_position,
)
from vitron_agent.perception.places import HALF, QUARTER, STRIP, geometric, place_region, strip_mask
from vitron_agent.perception.target_spec import OnImage, TargetSpec, parse_target
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

# the place words live in perception.places (the video tools read them too); still importable from here
__all__ = [
    "SegmentInput",
    "SegmentOutput",
    "CvSegmentTool",
    "parse_target",
    "HALF",
    "QUARTER",
    "STRIP",
    "geometric",
    "strip_mask",
]

NOTHING_FOUND = (
    "found no {what} in the image; try another colour or position, or give a point "
    "(at (x, y)) or a box (in box (x1, y1, x2, y2))"
)
FOREGROUND_WORDS = ("foreground", "main object", "subject", "main subject", "object", "thing")
GRABCUT_MAX_SIDE = 400
# words that ask for all of a colour, not one thing of it
EVERY_PART = re.compile(
    r"\b(?:parts|areas|bits|regions|patches|spots|pixels|zones|sections|everything|all)\b|\banything\b", re.I
)
# ... and for the part of a colour: "the red part" of a colour wheel is its whole red sector, not the purest
# blob in it (a third of the sector was taken); stray specks of the colour elsewhere are not part of it
WHOLE_PART = re.compile(r"\b(?:part|area|region|section|zone|portion)\b", re.I)


class SegmentInput(TargetSpec, OnImage):  # fields: image, then the target spec, then these
    largest: bool = Field(default=False, description="keep only the largest candidate region")
    scribble: MaskRef | None = Field(default=None, description="a mask of strokes drawn on the target")


class SegmentOutput(BaseModel):
    mask: MaskRef = Field(description="the target's mask (same size as the image)")
    box: Box = Field(description="bounding box of the mask, XYXY pixels")
    area: float = Field(description="fraction of the image covered by the mask (0..1)")
    method: str = Field(description="how the mask was found (heuristic used)")


class CvSegmentTool(VisionTool):
    name = "segment"
    description = (
        "Segment a target in an image and return its mask. Target by words (colour, "
        "position, 'foreground', 'largest object'), a point, a box or a scribble. cv backend: "
        "GrabCut and colour heuristics; it cannot recognise object categories."
    )
    Input = SegmentInput
    Output = SegmentOutput
    backend = "cv"

    def check_inputs(self, inp: SegmentInput, ctx: ToolContext) -> None:
        check_color(inp.color)
        w, h = inp.image.width, inp.image.height
        if inp.point is not None and (inp.point.x >= w or inp.point.y >= h):
            raise ValueError(f"point ({inp.point.x:g}, {inp.point.y:g}) lies outside the {w}x{h} image")
        if inp.box is not None and (inp.box.x1 >= w or inp.box.y1 >= h):
            raise ValueError(
                f"box {inp.box.x1:g},{inp.box.y1:g},{inp.box.x2:g},{inp.box.y2:g} lies outside the {w}x{h} image"
            )
        check_same_size(inp.scribble, inp.image, "scribble")

    def run(self, inp: SegmentInput, ctx: ToolContext) -> SegmentOutput:
        image = ctx.store.get_image(inp.image)
        color, position, largest = parse_target(inp.target)
        color = normalise_color(inp.color) if inp.color else color
        position = inp.position or position
        largest = inp.largest or largest
        ctx.progress(0.1, "segmenting")
        mask, method = self.propose(image, inp, color, position, largest, ctx)
        ctx.progress(0.9, "storing mask")
        box = bbox(mask)
        if box is None:
            raise ToolFailed(NOTHING_FOUND.format(what=_what(inp, color, position)))
        ref = ctx.store.put_mask(mask, producer=ctx.step_id, image=inp.image, made_by=method)
        return SegmentOutput(
            mask=ref, box=Box(x1=box[0], y1=box[1], x2=box[2], y2=box[3]), area=round(ref.area, 6), method=method
        )

    def propose(self, image, inp, color, position, largest, ctx) -> tuple[np.ndarray, str]:
        """The cv mask for ``inp`` (HxW bool) and how it was found; empty when nothing matched."""
        h, w = image.shape[:2]
        if inp.box is not None:
            b = inp.box
            rect = (int(b.x1), int(b.y1), max(1, int(min(b.x2, w) - b.x1)), max(1, int(min(b.y2, h) - b.y1)))
            mask = grabcut_rect(image, rect)
            method = "GrabCut inside the box"
            if color:
                mask &= clean(color_mask(image, color))
                method += f", limited to {color} pixels"
            return largest_component(mask), method
        if inp.point is not None:
            return grabcut_point(image, int(inp.point.x), int(inp.point.y)), "GrabCut seeded at the point"
        if inp.scribble is not None:
            strokes = ctx.store.get_mask(inp.scribble)
            return grabcut_seeds(image, strokes), "GrabCut seeded by the scribble"
        if placed := place_region(h, w, inp.target, centre=True):  # "crop the center": the place, not a speck in it
            mask, said = placed
            return mask, said + " of the image"
        if color and EVERY_PART.search(inp.target or "") and not position and not largest:
            # "the brown parts", "all the green areas": every region of the colour, not only its purest
            # (the purest took a quarter of a slide's brown stain, said done)
            every = components(clean(color_mask(image, color)), min_pixels=max(4, h * w // 5000))
            if every:
                return fill_holes(np.logical_or.reduce(every)), f"Lab colour model for {color}, every region of it"
        if color and WHOLE_PART.search(inp.target or "") and not position and not largest:
            whole = components(clean(color_mask(image, color)), min_pixels=max(4, h * w // 5000))
            if whole:
                keep = [c for c in whole if c.sum() >= 0.1 * whole[0].sum()]
                return fill_holes(np.logical_or.reduce(keep)), f"Lab colour model for {color}, the whole of its regions"
        if color:
            comps = purest_regions(image, color, min_pixels=max(4, h * w // 5000))
            if not comps:
                return np.zeros((h, w), bool), ""
            method = f"Lab colour model for {color}, the regions closest to it"
            if position:
                return fill_holes(pick_by_position(comps, position)), method + f", the region furthest {position}"
            if largest:
                return fill_holes(comps[0]), method + ", the largest region"
            keep = [c for c in comps if c.sum() >= 0.1 * comps[0].sum()]
            if len(keep) > 1 and (top := keep[0].sum() / sum(c.sum() for c in keep)) < ONE_PIECE:
                # no piece holds most of the colour: for one named thing, a weak guess (graphs/policy.weak_guess)
                method += f", scattered in {len(keep)} pieces (the largest {100 * top:.0f}% of it)"
            if noun := named_noun(inp.target):
                method += f"; it cannot recognise {noun!r} by name, so it took the {color} regions"
            return fill_holes(np.logical_or.reduce(keep)), method
        if position or largest:
            comps = components(objectness(image), min_pixels=max(4, h * w // 2000))
            if not comps:
                return np.zeros((h, w), bool), ""
            took = f"the region furthest {position}" if position else "the largest region"
            noun = named_noun(inp.target)
            assumed = f"; it cannot recognise {noun!r} by name, so it took {took}" if noun else ""
            if position:
                return fill_holes(
                    pick_by_position(comps, position)
                ), f"regions unlike the border, the one furthest {position}{assumed}"
            return fill_holes(comps[0]), f"regions unlike the border, the largest{assumed}"
        method = "GrabCut from a centre prior (the main foreground object)"
        if inp.target and not any(wd in inp.target.lower() for wd in FOREGROUND_WORDS):
            method += f"; the cv backend cannot recognise {inp.target.strip()!r}, so it took the main foreground object"
        return grabcut_center(image), method


_NOT_NOUNS = re.compile(
    r"\b(?:the|a|an|on|in|at|of|to|side|half|part|one|thing|things|object|objects|region|regions|"
    r"foreground|main|subject|largest|biggest|smallest|left|right|top|bottom|center|centre|middle|"
    r"upper|lower|leftmost|rightmost|topmost|bottommost|image|picture|photo|"
    r"discs?|disks?|circles?|squares?|rectangles?|triangles?|shapes?|blobs?|spots?|dots?|patch(?:es)?|"
    r"areas?|stripes?|lines?|parts?|pixels?|bits?|splotch(?:es)?|marks?|spaces?)\b",
    re.I,
)


def named_noun(target: str | None) -> str | None:
    """What a target names beyond colours, positions and generic words ('the tower on the right'
    -> 'tower'), or None: a named object the cv heuristics cannot recognise."""
    if not target:
        return None
    rest = _NOT_NOUNS.sub(" ", re.sub(r"\b(?:" + "|".join(COLORS) + r")\b", " ", target.lower()))
    rest = re.sub(r"[^a-z ]+", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip()
    return rest or None


ONE_PIECE = 0.75  # a colour's largest region holding this share of it is one thing (a suit cut by its straps)
CORE_SLACK = 15.0  # Lab ΔE above the purest pixels of the colour that still count as that object's colour
PURITY_SLACK = 10.0


def purest_regions(image: np.ndarray, color: str, min_pixels: int = 4) -> list[np.ndarray]:
    """Regions of ``color``, the closest to it first: the pixels that answer to the colour
    (:func:`color_mask`), kept where they are within CORE_SLACK of the purest such pixels, then
    the regions whose mean distance is within PURITY_SLACK of the best, largest first. A small
    pure red ball beats a large orange-red suit (or a flag's duller stripes) for "red", while
    the suit is still found whole for "orange"."""
    distance = color_distance(image, color)
    cand = clean(color_mask(image, color))
    if not cand.any():
        return []
    floor = float(np.percentile(distance[cand], 1))
    comps = components(clean(cand & (distance <= floor + CORE_SLACK)), min_pixels=min_pixels)
    if not comps:
        comps = components(cand, min_pixels=min_pixels)
    if not comps:
        return []
    means = [float(distance[c].mean()) for c in comps]
    best = min(means)
    return [c for c, m in zip(comps, means, strict=True) if m <= best + PURITY_SLACK]


def _what(inp: SegmentInput, color: str | None, position: str | None) -> str:
    parts = [p for p in (color, "region", f"on the {position}" if position else None) if p]
    return " ".join(parts) if color or position else (repr(inp.target) if inp.target else "foreground object")


def _run_grabcut(image: np.ndarray, init: np.ndarray, iterations: int = 5) -> np.ndarray:
    import cv2

    if (
        not ((init == cv2.GC_FGD) | (init == cv2.GC_PR_FGD)).any()
        or not ((init == cv2.GC_BGD) | (init == cv2.GC_PR_BGD)).any()
    ):
        return (init == cv2.GC_FGD) | (init == cv2.GC_PR_FGD)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(0)
    mask = init.copy()
    cv2.grabCut(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), mask, None, bgd, fgd, iterations, cv2.GC_INIT_WITH_MASK)
    return (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)


def _scaled(image: np.ndarray, build_init) -> np.ndarray:
    """Run GrabCut on a copy at most GRABCUT_MAX_SIDE pixels wide; mask back at full size."""
    small, scale = _downscale(image, GRABCUT_MAX_SIDE)
    mask = _run_grabcut(small, build_init(small.shape[:2], scale))
    mask = clean(mask)
    return _upscale_mask(mask, image.shape[:2]) if scale != 1.0 else mask


def grabcut_rect(image: np.ndarray, rect: tuple[int, int, int, int]) -> np.ndarray:
    import cv2

    def init(shape, s):
        m = np.full(shape, cv2.GC_BGD, np.uint8)
        x, y, rw, rh = (round(v * s) for v in rect)
        m[y : y + max(1, rh), x : x + max(1, rw)] = cv2.GC_PR_FGD
        return m

    return fill_holes(largest_component(_scaled(image, init)))


def grabcut_center(image: np.ndarray) -> np.ndarray:
    import cv2

    def init(shape, s):
        h, w = shape
        m = np.full(shape, cv2.GC_PR_BGD, np.uint8)
        yy, xx = np.mgrid[0:h, 0:w]
        ell = ((xx - w / 2) / (0.36 * w)) ** 2 + ((yy - h / 2) / (0.40 * h)) ** 2 <= 1
        # Soft labels only: a hard background border would cut off subjects that touch the
        # frame (close-ups), which measured worse on scikit-image's sample photos.
        m[ell] = cv2.GC_PR_FGD
        return m

    return fill_holes(largest_component(_scaled(image, init)))


def grabcut_point(image: np.ndarray, x: int, y: int) -> np.ndarray:
    import cv2

    def init(shape, s):
        h, w = shape
        px, py = min(w - 1, round(x * s)), min(h - 1, round(y * s))
        m = np.full(shape, cv2.GC_PR_BGD, np.uint8)
        b = max(1, min(h, w) // 25)
        m[:b], m[-b:], m[:, :b], m[:, -b:] = cv2.GC_BGD, cv2.GC_BGD, cv2.GC_BGD, cv2.GC_BGD
        small = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA) if s != 1.0 else image
        flood = np.zeros((h + 2, w + 2), np.uint8)
        cv2.floodFill(
            small.copy(),
            flood,
            (px, py),
            (0, 0, 0),
            (18,) * 3,
            (18,) * 3,
            cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8),
        )
        m[flood[1:-1, 1:-1] > 0] = cv2.GC_PR_FGD
        r = max(2, min(h, w) // 40)
        cv2.circle(m, (px, py), r, int(cv2.GC_FGD), -1)
        return m

    mask = _scaled(image, init)
    comps = [c for c in components(mask) if c[min(y, mask.shape[0] - 1), min(x, mask.shape[1] - 1)]]
    return fill_holes(comps[0] if comps else largest_component(mask))


def grabcut_seeds(image: np.ndarray, strokes: np.ndarray) -> np.ndarray:
    import cv2

    def init(shape, s):
        h, w = shape
        m = np.full(shape, cv2.GC_PR_BGD, np.uint8)
        st = cv2.resize(strokes.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST) > 0 if s != 1.0 else strokes
        ys, xs = np.nonzero(st)
        if len(xs):
            pad = max(4, min(h, w) // 10)
            m[max(0, ys.min() - pad) : ys.max() + pad, max(0, xs.min() - pad) : xs.max() + pad] = cv2.GC_PR_FGD
        b = max(1, min(h, w) // 25)
        m[:b], m[-b:], m[:, :b], m[:, -b:] = cv2.GC_BGD, cv2.GC_BGD, cv2.GC_BGD, cv2.GC_BGD
        m[st] = cv2.GC_FGD
        return m

    return fill_holes(largest_component(_scaled(image, init)))


register(Backend("segment", "cv", CvSegmentTool))
declare(Traits("segment", role="select", phrase=("selected {target}", "select {target}")))
