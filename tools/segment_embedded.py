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

Weights come from the ``embedded`` install (see :mod:`vitron_agent.weights`); a missing
distribution is a ConfigError naming what to install, never a silent fallback.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from vitron_agent.errors import ConfigError
from vitron_agent.registry import Backend, register
from vitron_agent.tool import ToolContext
from vitron_agent.tools.masks import components, fill_holes
from vitron_agent.tools.segment import FOREGROUND_WORDS, CvSegmentTool, SegmentInput

__all__ = ["EmbeddedSegmentTool"]

THRESHOLD = 0.5
WINDOW = 0.5  # side of the window around a click, as a fraction of the image's longer side


def salient_objects(prob: np.ndarray, keep: float = 0.15) -> np.ndarray:
    """The salient mask: components of prob > 0.5 at least ``keep`` of the largest one's size."""
    comps = components(prob > THRESHOLD, min_pixels=max(4, prob.size // 5000))
    if not comps:
        return np.zeros(prob.shape, bool)
    big = comps[0].sum()
    return fill_holes(np.logical_or.reduce([c for c in comps if c.sum() >= keep * big]))


def component_at(mask: np.ndarray, x: int, y: int) -> np.ndarray | None:
    for c in components(mask):
        if c[y, x]:
            return fill_holes(c)
    return None


class EmbeddedSegmentTool(CvSegmentTool):
    description = ("Segment a target in an image and return its mask. Target by words ('the foreground', "
                   "'the main object', a colour or position, 'the largest object'), a point, a box or a scribble. "
                   "Embedded backend: U²-Netp salient objects and LiteMedSAM boxes (real trained weights); it "
                   "finds the most prominent object but cannot recognise categories by name.")
    backend = "embedded"

    def __init__(self, box_model: Literal["salient", "lite_medsam"] = "salient"):
        from vitron_agent.weights import EXTRA_HINT, embedded_available

        needed = ("u2netp", "lite_medsam") if box_model == "lite_medsam" else ("u2netp",)
        if not embedded_available(*needed):
            raise ConfigError(f"the embedded segment backend needs its weights: {EXTRA_HINT}; or choose "
                              "[tools.segment] backend = \"cv\" (GrabCut, no weights)")
        self.box_model = box_model
        self._sam: Any = None

    def propose(self, image, inp: SegmentInput, color, position, largest, ctx: ToolContext) -> tuple[np.ndarray, str]:
        from vitron_agent.tools.salient import salient_map
        from vitron_agent.tools.segment import HALF

        if color or position or largest or inp.scribble is not None or HALF.search(inp.target or ""):
            return super().propose(image, inp, color, position, largest, ctx)
        h, w = image.shape[:2]
        if inp.box is not None:
            return self._box(image, inp, ctx)
        if inp.point is not None:
            x, y = min(w - 1, int(inp.point.x)), min(h - 1, int(inp.point.y))
            ctx.progress(0.2, "salient object map (U²-Netp)")
            whole = salient_objects(salient_map(image))
            found = component_at(whole, x, y)
            if found is not None:
                return found, "U²-Netp salient object under the point"
            side = int(max(h, w) * WINDOW)
            x0, y0 = max(0, min(w - side, x - side // 2)), max(0, min(h - side, y - side // 2))
            crop = image[y0:y0 + side, x0:x0 + side]
            ctx.progress(0.5, "salient object map of a window around the point")
            local = salient_objects(salient_map(crop), keep=0.0)
            found = component_at(local, x - x0, y - y0)
            if found is not None:
                mask = np.zeros((h, w), bool)
                mask[y0:y0 + crop.shape[0], x0:x0 + crop.shape[1]] = found
                return mask, "U²-Netp salient object in a window around the point"
            mask, method = super().propose(image, inp, color, position, largest, ctx)
            return mask, method + " (no salient object under the point)"
        ctx.progress(0.2, "salient object map (U²-Netp)")
        mask = salient_objects(salient_map(image))
        method = "U²-Netp salient object (the most prominent object)"
        if inp.target and not any(wd in inp.target.lower() for wd in FOREGROUND_WORDS):
            method += (f"; it cannot recognise {inp.target.strip()!r} by name, so it took the most prominent "
                       "object; configure [tools.ground] to find objects by name")
        return mask, method

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
            inside[y1:y2 + 1, x1:x2 + 1] = True
            return fill_holes(mask & inside), "LiteMedSAM (SAM decoder) from the box"
        from vitron_agent.tools.salient import salient_map

        px, py = max(2, (x2 - x1) // 10), max(2, (y2 - y1) // 10)
        cx1, cy1, cx2, cy2 = max(0, x1 - px), max(0, y1 - py), min(w, x2 + px), min(h, y2 + py)
        ctx.progress(0.3, "salient object map of the box (U²-Netp)")
        local = salient_objects(salient_map(image[cy1:cy2, cx1:cx2]))
        mask = np.zeros((h, w), bool)
        mask[cy1:cy2, cx1:cx2] = local
        inside = np.zeros((h, w), bool)
        inside[y1:y2 + 1, x1:x2 + 1] = True
        return fill_holes(mask & inside), "U²-Netp salient object in the box"


register(Backend("segment", "embedded", EmbeddedSegmentTool, default=True))
