"""segment, embedded backend (the default): small real trained models shipped inside packages.

* Words ("the cat", "the foreground", "the main object"): U²-Netp's salient-object mask.
  It finds the most prominent object, not a category: a target it cannot recognise is
  reported in ``method`` (configure ``[tools.ground]`` to find objects by name).
* A click: the salient object under the click; when the click is not on the image's most
  prominent object, salient segmentation of a window around the click; else GrabCut.
* A box: U²-Netp on the padded box (default), or LiteMedSAM (TinyViT + SAM's prompt encoder
  and mask decoder, through the SAM backend) with ``box_model = "lite_medsam"``. Measured by
  ``benchmarks/segment_quality.py``: salient-in-box IoU 0.86 / 0.95 / 0.82 on the cat /
  astronaut / cup against LiteMedSAM's 0.88 / 0.21 / 0.71 (it was trained on medical images).
* Colours, positions, "the largest", scribbles: the cv backend's filters, unchanged.

Weights come from the ``embedded`` install (see :mod:`vitron_agent.loading.weights`); a missing
distribution is a ConfigError naming what to install, never a silent fallback.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import numpy as np

from vitron_agent.core.errors import ConfigError
from vitron_agent.perception.masks import components, fill_holes
from vitron_agent.perception.salient import salient_objects
from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.segment import FOREGROUND_WORDS, CvSegmentTool, SegmentInput

__all__ = ["EmbeddedSegmentTool"]

THRESHOLD = 0.5
WINDOW = 0.5  # side of the window around a click, as a fraction of the image's longer side


def component_at(mask: np.ndarray, x: int, y: int) -> np.ndarray | None:
    for c in components(mask):
        if c[y, x]:
            return fill_holes(c)
    return None


NEAR = 0.04  # a click this share of the longer side off an object is taken as meant for it (said so)


def component_near(mask: np.ndarray, x: int, y: int) -> tuple[np.ndarray, int] | None:
    """(the component of ``mask`` nearest the point, its distance in pixels) when one lies within
    ``NEAR`` of the image's longer side -- a click that landed just off a thin or small object."""
    h, w = mask.shape
    reach = max(6, int(NEAR * max(h, w)))
    y0, y1, x0, x1 = max(0, y - reach), min(h, y + reach + 1), max(0, x - reach), min(w, x + reach + 1)
    ys, xs = np.nonzero(mask[y0:y1, x0:x1])
    if not len(ys):
        return None
    d = np.hypot(ys + y0 - y, xs + x0 - x)
    i = int(np.argmin(d))
    if d[i] > reach:
        return None
    found = component_at(mask, int(xs[i] + x0), int(ys[i] + y0))
    return (found, round(float(d[i]))) if found is not None else None


class EmbeddedSegmentTool(CvSegmentTool):
    description = (
        "Segment a target in an image and return its mask. Target by words (an object by name: 'the "
        "people', 'the red car on the left', 'the largest cup'; faces and their parts: 'her face', 'the "
        "faces', 'his eyes'; the sky, water, grass, trees, the ground; 'the main object'; a colour or "
        "position), a point, a box or a scribble. Embedded backend: SSD-MobileNetV2 recognises COCO's 80 classes, "
        "BlazeFace finds faces, U²-Netp segments inside each box (real trained weights)."
    )
    backend = "embedded"

    def __init__(self, box_model: Literal["salient", "lite_medsam"] = "salient"):
        from vitron_agent.loading.weights import EXTRA_HINT, embedded_available

        needed = ("u2netp", "lite_medsam") if box_model == "lite_medsam" else ("u2netp",)
        if not embedded_available(*needed):
            raise ConfigError(
                f"the embedded segment backend needs its weights: {EXTRA_HINT}; or choose "
                '[tools.segment] backend = "cv" (GrabCut, no weights)'
            )
        self.box_model = box_model
        self._sam: Any = None
        self.detector = embedded_available("ssd_mobilenet", "ssd_mobilenet_config")
        self.faces = embedded_available("blazeface", "blazeface_weights")

    def propose(self, image, inp: SegmentInput, color, position, largest, ctx: ToolContext) -> tuple[np.ndarray, str]:
        """Several things named at once ("the dog and the cat": "make them orange" after an answer that named
        both): each found as its own target, the mask their union, the way each was found said; one not found
        fails the step, said (an edit of the others alone would be said done on what was asked of all)."""
        kinds = _kinds_named(inp) if self.detector else []
        if not kinds:
            return self._propose_one(image, inp, color, position, largest, ctx)
        from vitron_agent.tools.segment import parse_target

        masks, methods = [], []
        for kind in kinds:
            one = inp.model_copy(update={"target": kind})
            mask, method = self._propose_one(image, one, *parse_target(kind), ctx)
            masks.append(mask)
            methods.append(f"{kind}: {method}")
        return np.logical_or.reduce(masks), "; ".join(methods)

    def _propose_one(self, image, inp: SegmentInput, color, position, largest, ctx) -> tuple[np.ndarray, str]:
        from vitron_agent.perception.salient import salient_map
        from vitron_agent.tools.segment import geometric, named_noun

        regionless = inp.box is None and inp.point is None and inp.scribble is None
        if regionless and self.detector and not geometric(inp.target) and not _foreground(inp.target):
            from vitron_agent.perception.detector import MIN_SCORE, detect_objects, label_score, named
            from vitron_agent.perception.person_parts import person_part, person_part_region
            from vitron_agent.perception.recognise import face_part, face_region, stuff_region
            from vitron_agent.perception.stuff import stuff_kind
            from vitron_agent.tools.read_text import text_region, text_target

            if text_target(inp.target):  # "blur the text", "crop out the writing": the OCR model's lines
                ctx.progress(0.2, "finding the text (PP-OCRv4)")
                mask, method = text_region(image, inp.target or "")
                if not mask.any():
                    from vitron_agent.core.errors import ToolFailed

                    what = re.sub(r"^(?:the|all the|any|some)\s+", "", (inp.target or "text").strip(), flags=re.I)
                    raise ToolFailed(f"I found no {what} in the picture: {method}")
                return mask, method
            if face_part(inp.target) is not None and self.faces:
                ctx.progress(0.2, "finding faces (BlazeFace)")
                mask, method, _ = face_region(image, inp.target or "")
                return mask, method
            if person_part(inp.target) and (worn := person_part_region(image, inp.target or "", detect_objects(image))):
                return worn  # "his shirt", "her hair": placed by MoveNet's joints on the person's mask
            if (kind := stuff_kind(inp.target)) is not None and named(inp.target) is None:
                ctx.progress(0.2, f"finding the {kind} (colour, texture and place)")
                return stuff_region(image, kind, detect_objects(image), inp.target)
            name = named(inp.target)
            if name is not None or named_noun(inp.target) is not None:
                from vitron_agent.core.errors import ToolFailed
                from vitron_agent.perception.recognise import resolve

                ctx.progress(0.2, "recognising objects (SSD-MobileNetV2, EfficientNet-Lite2)")
                found = detect_objects(image)
                if (
                    name is not None
                    and color
                    and not any(max(label_score(d, lab) for lab in name.labels) >= MIN_SCORE for d in found)
                ):
                    # "the red ball" and no ball: the red regions, said (and destructive edits held)
                    mask, method = super().propose(image, inp, color, position, largest, ctx)
                    method = method.split("; it cannot recognise")[0]
                    return mask, method + f"; it found no {name.word}, so it took the {color} regions"
                try:
                    res = resolve(
                        image, inp.target or "", found, relation=inp.relation, relative_to=inp.relative_to, guess=True
                    )
                except ToolFailed:
                    if name is not None or not (color or position or largest):
                        raise
                else:
                    if name is None and color and "so it took the most prominent" in res.method:
                        # "the white label" no model names: the white regions (as documented), not the
                        # salient object, which ignored the colour (a black chip kept sharp as the white label)
                        return super().propose(image, inp, color, position, largest, ctx)
                    ctx.progress(0.5, "segmenting with each box as a prompt (U²-Netp)")
                    return res.mask, res.method + "; the mask is U²-Netp's object, each box as its prompt"
        generic = regionless and self.detector and _foreground(inp.target) and not geometric(inp.target)
        if generic and (position or largest) and not color and (picked := _among_detections(image, inp, ctx)):
            return picked  # "the biggest object": the largest thing recognised, not a region unlike the border
        if color or position or largest or inp.scribble is not None or geometric(inp.target):
            return super().propose(image, inp, color, position, largest, ctx)
        h, w = image.shape[:2]
        if inp.box is not None:
            return self._box(image, inp, ctx)
        if inp.point is not None:
            return self._point(image, inp, color, position, largest, ctx)
        ctx.progress(0.2, "salient object map (U²-Netp)")
        mask = salient_objects(salient_map(image))
        method = "U²-Netp salient object (the most prominent object)"
        if inp.target and not any(wd in inp.target.lower() for wd in FOREGROUND_WORDS):
            method += (
                f"; it cannot recognise {inp.target.strip()!r} by name, so it took the most prominent "
                "object; configure [tools.ground] to find objects by name"
            )
        return mask, method

    def _point(self, image, inp: SegmentInput, color, position, largest, ctx: ToolContext) -> tuple[np.ndarray, str]:
        """The salient object under the user's click, or in a window around it; else GrabCut seeded there
        -- refused when that is a speck or everything."""
        from vitron_agent.perception.salient import salient_map

        h, w = image.shape[:2]
        x, y = min(w - 1, int(inp.point.x)), min(h - 1, int(inp.point.y))
        ctx.progress(0.2, "salient object map (U²-Netp)")
        whole = salient_objects(salient_map(image))
        found = component_at(whole, x, y)
        if found is not None:
            if self.detector and (one := _one_of_several(image, found, x, y, ctx)) is not None:
                return one
            return found, "U²-Netp salient object under the point"
        near = component_near(whole, x, y)
        if near is not None:  # a click just off the object: taken, and said as an assumption first
            return near[0], (
                f"U²-Netp salient object near the point; it cannot tell what the click at ({x}, {y}) meant, "
                f"so it took the object nearest to it ({near[1]} px away)"
            )
        side = max(1, int(max(h, w) * WINDOW))  # a 1x1 picture: a 1-pixel window, never an empty one
        x0, y0 = max(0, min(w - side, x - side // 2)), max(0, min(h - side, y - side // 2))
        crop = image[y0 : y0 + side, x0 : x0 + side]
        ctx.progress(0.5, "salient object map of a window around the point")
        local = salient_objects(salient_map(crop), keep=0.0)
        found = component_at(local, x - x0, y - y0)
        if found is not None:
            mask = np.zeros((h, w), bool)
            mask[y0 : y0 + crop.shape[0], x0 : x0 + crop.shape[1]] = found
            return mask, "U²-Netp salient object in a window around the point"
        mask, method = super().propose(image, inp, color, position, largest, ctx)
        if not max(64, 0.0005 * h * w) <= mask.sum() <= 0.9 * h * w:  # a speck, or everything
            from vitron_agent.core.errors import ToolFailed

            raise ToolFailed(
                f"nothing stands out under the point ({x}, {y}): GrabCut's region there is "
                f"{100 * mask.mean():.1f}% of the picture. Click the middle of the object, or draw a box "
                "around it (--box X1,Y1,X2,Y2, or drag in the UI)"
            )
        return mask, method + " (no salient object under the point)"

    def _box(self, image: np.ndarray, inp: SegmentInput, ctx: ToolContext) -> tuple[np.ndarray, str]:
        h, w = image.shape[:2]
        b = inp.box
        x1, y1, x2, y2 = int(b.x1), int(b.y1), int(min(b.x2, w)), int(min(b.y2, h))
        if self.box_model == "lite_medsam":
            from vitron_agent.tools.segment_sam import (
                LITE_MEDSAM_CHECKPOINT,
                SamSegmentInput,
                SamSegmentTool,
            )

            if self._sam is None:
                self._sam = SamSegmentTool(LITE_MEDSAM_CHECKPOINT, model_type="lite_medsam", device="cpu")
            out = self._sam.run(SamSegmentInput(image=inp.image, box=inp.box), ctx)
            mask = ctx.store.get_mask(out.mask)
            inside = np.zeros((h, w), bool)
            inside[y1 : y2 + 1, x1 : x2 + 1] = True
            return _or_the_box(fill_holes(mask & inside), inside, "LiteMedSAM (SAM decoder) from the box")
        from vitron_agent.perception.salient import object_in_box

        ctx.progress(0.3, "salient object map of the box (U²-Netp)")
        inside = np.zeros((h, w), bool)
        inside[y1 : y2 + 1, x1 : x2 + 1] = True
        return _or_the_box(object_in_box(image, x1, y1, x2, y2), inside, "U²-Netp salient object in the box")


BOX_SHARE = 0.1  # a segmenter's object under this share of the user's box is not what the box holds


def _or_the_box(mask: np.ndarray, box: np.ndarray, method: str) -> tuple[np.ndarray, str]:
    """The segmenter's object in a box the user drew -- or, when it is a speck of the box (a label on the
    cardboard box, 5 pixels of a 40x40 box), the box itself, said so: the user's box is what they meant."""
    share = float(mask.sum()) / max(1, int(box.sum()))
    if share >= BOX_SHARE:
        return mask, method
    return box, f"the box itself: no object stood out in it ({method} covered {100 * share:.1f}% of it)"


def _among_detections(image: np.ndarray, inp: SegmentInput, ctx: ToolContext) -> tuple[np.ndarray, str] | None:
    """("the biggest object", "the thing on the left") the one of the sure detections (>= 0.5) the
    size or place words pick, its mask from its box as a prompt less what stands in front; None
    when the detector is sure of nothing (the cv heuristics answer)."""
    from vitron_agent.perception.detector import Named, detect_objects
    from vitron_agent.perception.object_masks import without_others
    from vitron_agent.perception.recognise import mask_of, select

    ctx.progress(0.2, "recognising objects (SSD-MobileNetV2)")
    found = detect_objects(image)
    sure = [d for d in found if d.score >= 0.5]
    if not sure:
        return None
    items, note = select(image, sure, Named(tuple(dict.fromkeys(d.label for d in sure)), "object", False), inp.target)
    mask, apart = without_others(image, mask_of(image, items), items, found)
    method = f"{note} of the things the detector recognised: " + ", ".join(d.describe() for d in items)
    method += f"; without the {', '.join(dict.fromkeys(apart))} in front of or beside it" if apart else ""
    return mask, method + "; the mask is U²-Netp's object, its box as the prompt"


def _one_of_several(
    image: np.ndarray, region: np.ndarray, x: int, y: int, ctx: ToolContext
) -> tuple[np.ndarray, str] | None:
    """The one thing clicked when the salient region under the click holds several things the detector
    is sure of (a herd of horses is one salient region: a click on the foal took all four, and removed
    them): the smallest sure detection whose box holds the click, its mask from its box as a prompt, kept
    to the region, less the others. None when the region holds fewer than two sure things. When the click
    lies in none of their boxes, the whole region is kept and said."""
    from vitron_agent.perception.detector import detect_objects
    from vitron_agent.perception.object_masks import object_mask, without_others

    ctx.progress(0.3, "is it one thing? (SSD-MobileNetV2)")
    found = detect_objects(image)
    h, w = region.shape

    def centre_in(d: Any) -> bool:
        cx = min(w - 1, max(0, int((d.box.x1 + d.box.x2) / 2)))
        cy = min(h - 1, max(0, int((d.box.y1 + d.box.y2) / 2)))
        return bool(region[cy, cx])

    inside = [d for d in found if d.score >= 0.5 and centre_in(d)]
    if len(inside) < 2:
        return None
    names = ", ".join(d.describe() for d in inside[:6])
    hit = [d for d in inside if d.box.x1 <= x <= d.box.x2 and d.box.y1 <= y <= d.box.y2]
    if not hit:
        return region, (
            f"U²-Netp salient object under the point; it cannot tell which of the {len(inside)} things there "
            f"({names}) the click meant, so it took all of them"
        )

    def area(d: Any) -> float:
        return (d.box.x2 - d.box.x1) * (d.box.y2 - d.box.y1)

    masks = {id(d): object_mask(image, d.box)[0] & region for d in sorted(hit, key=area)[:4]}
    under = [d for d in hit if id(d) in masks and masks[id(d)][y, x]]  # its own outline holds the click
    chosen = min(under or hit, key=area)
    mask = masks.get(id(chosen))
    if mask is None or mask.sum() < 64:
        return None
    mask, apart = without_others(image, mask, [chosen], found)
    method = (
        f"the {chosen.label} under the point ({chosen.describe()}): the salient object there held "
        f"{len(inside)} things ({names}), so it took the one whose outline holds the click"
    )
    if len(under) != 1:
        which = f"{len(under)} things whose outlines" if under else f"{len(hit)} things whose boxes"
        method += f"; it cannot tell which of the {which} hold the click it meant, so it took the smallest"
    return mask, method + (f"; without the {', '.join(dict.fromkeys(apart))} beside it" if apart else "")


_NO_BLOBS = re.compile(r"(?!)")  # a segment finds things by name; a count's blob words are its own
_ONE_PHRASE = re.compile(r"\b(?:or|between|black and white|salt and pepper)\b", re.I)


def _kinds_named(inp: SegmentInput) -> list[str]:
    """The things a target lists ("the dog and the cat" -> ["the dog", "the cat"]), each a kind the models know;
    [] for one thing ("the black and white cat", "the cup between the cat and the dog", "the dog or the cat")
    or a target given by a region."""
    if inp.box is not None or inp.point is not None or inp.scribble is not None or not inp.target:
        return []
    if _ONE_PHRASE.search(inp.target):
        return []
    from vitron_agent.perception.count_kinds import split_kinds

    return split_kinds(inp.target, _NO_BLOBS)


def _foreground(target: str | None) -> bool:
    """'the foreground', 'the main object' ...: the user asked for the most prominent object."""
    return not target or any(wd in target.lower() for wd in FOREGROUND_WORDS)


register(Backend("segment", "embedded", EmbeddedSegmentTool, default=True))
