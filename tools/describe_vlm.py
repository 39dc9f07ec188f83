"""describe, transformers backend: captioning and VQA with a LLaVA-family VLM.

The checkpoint is a local folder loadable with ``AutoModelForImageTextToText`` and
``AutoProcessor``. Region-aware by **crop plus context**: with a mask or box, the
region's bounding box grown by a quarter of its size on each side (at least 16
pixels) is cropped, and inside the crop the pixels outside the mask are dimmed to
35% -- the model sees the region in its surroundings but centred and highlighted,
and the prompt says to focus on the highlighted region.
"""

from __future__ import annotations

import numpy as np
from vitron_agent.tools.describe import CvDescribeTool, DescribeInput, DescribeOutput, region_mask

from vitron_agent.errors import ToolFailed
from vitron_agent.models import Bundle, ModelBacked, quiet_hf
from vitron_agent.tool import ToolContext, VisionTool

__all__ = ["VlmDescribeTool", "focus_region"]

CAPTION = "Describe this image in one or two sentences."
REGION_CAPTION = "Describe the highlighted region in the centre of this image in one or two sentences."
REGION_HINT = "Focus on the highlighted region in the centre of the image. "


def focus_region(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Crop around ``mask`` with context and dim what lies outside it (HxWx3 uint8 in and out)."""
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        raise ToolFailed("the region to describe is empty")
    h, w = mask.shape
    x1, x2, y1, y2 = xs.min(), xs.max() + 1, ys.min(), ys.max() + 1
    px, py = max(16, (x2 - x1) // 4), max(16, (y2 - y1) // 4)
    x1, y1, x2, y2 = max(0, x1 - px), max(0, y1 - py), min(w, x2 + px), min(h, y2 + py)
    crop = image[y1:y2, x1:x2].astype(np.float32)
    inside = mask[y1:y2, x1:x2]
    crop[~inside] *= 0.35
    return crop.astype(np.uint8)


class VlmDescribeTool(ModelBacked, VisionTool):
    name = "describe"
    description = ("Describe an image or a region of it (mask or box), or answer a question about it, with a "
                   "vision-language model (LLaVA family).")
    Input = DescribeInput
    Output = DescribeOutput
    backend = "transformers"

    family = "describe"

    def __init__(self, checkpoint: str, max_new_tokens: int = 96, device: str = "auto", dtype: str = "auto", pool=None):
        self._setup(checkpoint, device, dtype, pool)
        self.max_new_tokens = max_new_tokens

    def _load(self) -> _Vlm:
        quiet_hf()
        from transformers import AutoModelForImageTextToText, AutoProcessor

        model = AutoModelForImageTextToText.from_pretrained(self.checkpoint, dtype=self.torch_dtype, local_files_only=True)
        processor = AutoProcessor.from_pretrained(self.checkpoint, local_files_only=True)
        return _Vlm(model.to(self.device).eval(), processor=processor)

    def check_inputs(self, inp: DescribeInput, ctx: ToolContext) -> None:
        CvDescribeTool().check_inputs(inp, ctx)

    def run(self, inp: DescribeInput, ctx: ToolContext) -> DescribeOutput:
        image = ctx.store.get_image(inp.image)
        region = region_mask(ctx.store, image.shape[:2], inp.mask, inp.box)
        shown = focus_region(image, region) if region is not None else image
        if inp.question:
            question = (REGION_HINT if region is not None else "") + inp.question
        else:
            question = REGION_CAPTION if region is not None else CAPTION
        ctx.progress(0.2, "asking the vision-language model")
        text = self.pool.run(self.key, self._load, lambda vlm: vlm.answer(shown, question, self.max_new_tokens), ctx.progress)
        return DescribeOutput(text=text or "(the model returned no text)")


class _Vlm(Bundle):
    """A VLM and its processor; ``answer`` asks one question about one image."""

    def prompt(self, question: str) -> str:
        if getattr(self.processor, "chat_template", None):
            messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": question}]}]
            return self.processor.apply_chat_template(messages, add_generation_prompt=True)
        return f"USER: <image>\n{question} ASSISTANT:"

    def answer(self, image: np.ndarray, question: str, max_new_tokens: int) -> str:
        import torch
        from PIL import Image

        inputs = self.processor(images=Image.fromarray(image), text=self.prompt(question), return_tensors="pt")
        inputs = inputs.to(self.model.device)
        if "pixel_values" in inputs:
            inputs["pixel_values"] = inputs["pixel_values"].to(self.model.dtype)
        with torch.inference_mode():
            out = self.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        new = out[0, inputs["input_ids"].shape[1]:]
        return self.processor.decode(new, skip_special_tokens=True).strip()
