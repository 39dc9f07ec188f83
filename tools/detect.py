"""detect: labelled boxes for the objects in an image (COCO's 80 classes), or for those a phrase names.

embedded backend (the default): SSD-MobileNetV2 (NanoDet-m as a second opinion) via :mod:`vitron_agent.perception.detector`; what a phrase
names is resolved by :mod:`vitron_agent.perception.recognise`. The output ``detections`` is a typed
kind (labels, boxes, scores) the report draws and other steps can count or prompt with.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Detections, ImageRef
from vitron_agent.perception.detector import MIN_SCORE, detect_objects, draw_detections
from vitron_agent.perception.recognise import resolve
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = ["DetectInput", "DetectOutput", "EmbeddedDetectTool"]


class DetectInput(BaseModel):
    image: ImageRef = Field(description="the image to look at")
    target: str | None = Field(
        default=None,
        max_length=200,
        description="only these objects, in words ('the people', 'cups', 'the red car'); "
        "empty: every object recognised",
    )
    min_score: float = Field(default=MIN_SCORE, ge=0.05, le=1.0, description="report detections scoring at least this")


class DetectOutput(BaseModel):
    detections: Detections = Field(description="labels, boxes (XYXY pixels) and scores, best first")
    count: int = Field(description="how many were found")
    image: ImageRef = Field(description="the image with the labelled boxes drawn on it")
    text: str = Field(description="what was found, in words")


class EmbeddedDetectTool(VisionTool):
    name = "detect"
    description = (
        "Find and label objects (COCO's 80 classes: person, car, motorcycle, cat, dog, cup ...) with boxes "
        "and scores; optionally only those named by target, which may be any of ImageNet's 1,000 names "
        "(squirrel, lemon, butterfly ...). Embedded SSD-MobileNetV2 + EfficientNet-Lite2 (real trained weights)."
    )
    Input = DetectInput
    Output = DetectOutput
    backend = "embedded"

    def run(self, inp: DetectInput, ctx: ToolContext) -> DetectOutput:
        from vitron_agent.loading.weights import EXTRA_HINT, embedded_available

        if not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"):
            raise ToolFailed(f"the embedded detector's weights are not installed: {EXTRA_HINT}")
        image = ctx.store.get_image(inp.image)
        ctx.progress(0.1, "detecting objects (SSD-MobileNetV2)")
        found = detect_objects(image, inp.min_score)
        items, said = found, "I found"
        if inp.target:
            items = resolve(image, inp.target, found, with_mask=False).detections
            said = f"For {inp.target.strip()!r} I found"
        dets = Detections(
            width=image.shape[1],
            height=image.shape[0],
            items=items,
            model="SSD-MobileNetV2 (COCO-80)" + (" + EfficientNet-Lite2 (ImageNet-1k)" if inp.target else ""),
        )
        ref = ctx.store.put_image(draw_detections(image, items), producer=ctx.step_id)
        text = f"{said} {len(items)}: {dets.summary()}." if items else f"{said} nothing I can recognise."
        return DetectOutput(detections=dets, count=len(items), image=ref, text=text)


register(Backend("detect", "embedded", EmbeddedDetectTool, default=True))
declare(Traits("detect", phrase=("looked for {target}", "look for {target}")))
