"""ground: text -> boxes with an open-vocabulary detector (transformers OWLv2 / OWL-ViT).

"segment the dog" becomes ground -> segment(box=...) in a plan, like Grounded-SAM.
The checkpoint is a local folder saved with ``save_pretrained`` (model + processor).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import Box, ImageRef
from vitron_agent.loading.models import Bundle, ModelBacked, quiet_hf
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = ["GroundInput", "GroundOutput", "OwlGroundTool"]

NOTHING_FOUND = "found no {target!r} above score threshold {threshold:g}; lower [tools.ground] threshold or rephrase"


class GroundInput(BaseModel):
    image: ImageRef = Field(description="the image to search")
    target: str = Field(min_length=1, max_length=200, description="what to find, in words, e.g. 'the dog'")
    threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="minimum detection score (default from config)"
    )


class GroundOutput(BaseModel):
    box: Box = Field(description="the best-scoring box, XYXY pixels")
    score: float = Field(description="its detection score (0..1)")
    count: int = Field(description="how many boxes passed the threshold")


class OwlGroundTool(ModelBacked, VisionTool):
    name = "ground"
    description = "Find a target described in words and return its box (open-vocabulary detector, OWLv2 / OWL-ViT)."
    Input = GroundInput
    Output = GroundOutput
    backend = "transformers"

    family = "ground"

    def __init__(
        self, checkpoint: str, threshold: float = 0.1, device: str = "auto", dtype: str = "float32", pool=None
    ):
        self._setup(checkpoint, device, dtype, pool)
        self.threshold = threshold

    def _load(self) -> Bundle:
        quiet_hf()
        from transformers import AutoModelForZeroShotObjectDetection, AutoProcessor

        model = AutoModelForZeroShotObjectDetection.from_pretrained(
            self.checkpoint, dtype=self.torch_dtype, local_files_only=True
        )
        processor = AutoProcessor.from_pretrained(self.checkpoint, local_files_only=True)
        return Bundle(model.to(self.device).eval(), processor=processor)

    def run(self, inp: GroundInput, ctx: ToolContext) -> GroundOutput:
        import torch

        image = ctx.store.get_image(inp.image)
        h, w = image.shape[:2]
        threshold = self.threshold if inp.threshold is None else inp.threshold
        query = inp.target.strip()

        def detect(det: Bundle) -> tuple[np.ndarray, np.ndarray]:
            inputs = det.processor(text=[[query]], images=image, return_tensors="pt").to(det.model.device)
            with torch.inference_mode():
                out = det.model(**inputs)
            side = max(h, w)  # OWLv2 pads to a square: boxes are relative to the padded side
            res = det.processor.post_process_grounded_object_detection(
                out, threshold=threshold, target_sizes=torch.tensor([[side, side]]), text_labels=[[query]]
            )[0]
            return res["boxes"].float().cpu().numpy(), res["scores"].float().cpu().numpy()

        ctx.progress(0.2, f"looking for {query!r}")
        boxes, scores = self.pool.run(self.key, self._load, detect, ctx.progress)
        keep = []
        for b, s in zip(boxes, scores, strict=True):
            x1, y1, x2, y2 = np.clip(b[0], 0, w), np.clip(b[1], 0, h), np.clip(b[2], 0, w), np.clip(b[3], 0, h)
            if x2 - x1 >= 1 and y2 - y1 >= 1:
                keep.append(((float(x1), float(y1), float(x2), float(y2)), float(s)))
        if not keep:
            raise ToolFailed(NOTHING_FOUND.format(target=query, threshold=threshold))
        (x1, y1, x2, y2), score = max(keep, key=lambda kv: kv[1])
        return GroundOutput(box=Box(x1=x1, y1=y1, x2=x2, y2=y2), score=round(score, 6), count=len(keep))


register(
    Backend(
        "ground",
        "transformers",
        OwlGroundTool,
        checkpoints={"checkpoint": "folder"},
        tiny="vitron_agent.testing.tiny_checkpoints:owlv2_table",
        group="owlv2",
    )
)
declare(Traits("ground", role="select", phrase=("found {target}", "find {target}")))
