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

from vitron_agent.core.errors import ToolFailed
from vitron_agent.loading.models import Bundle, ModelBacked, quiet_hf
from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.describe import CvDescribeTool, DescribeInput, DescribeOutput, region_mask
from vitron_agent.tools.video_cv import (
    CvDescribeVideoTool,
    DescribeVideoInput,
    DescribeVideoOutput,
    video_facts,
)

__all__ = ["VlmDescribeTool", "VlmDescribeVideoTool", "focus_region", "storyboard"]

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
    description = (
        "Describe an image or a region of it (mask or box), or answer a question about it, with a "
        "vision-language model (LLaVA family)."
    )
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

        model = AutoModelForImageTextToText.from_pretrained(
            self.checkpoint, dtype=self.torch_dtype, local_files_only=True
        )
        processor = AutoProcessor.from_pretrained(self.checkpoint, local_files_only=True)
        return _Vlm(model.to(self.device).eval(), processor=processor)

    def check_inputs(self, inp: DescribeInput, ctx: ToolContext) -> None:
        CvDescribeTool().check_inputs(inp, ctx)

    def run(self, inp: DescribeInput, ctx: ToolContext) -> DescribeOutput:
        image = ctx.store.get_image(inp.image)
        region = region_mask(ctx.store, image.shape[:2], inp.mask, inp.box, inp.place)
        shown = focus_region(image, region) if region is not None else image
        if inp.question:
            question = (REGION_HINT if region is not None else "") + inp.question
        else:
            question = REGION_CAPTION if region is not None else CAPTION
        ctx.progress(0.2, "asking the vision-language model")
        text = self.pool.run(
            self.key, self._load, lambda vlm: vlm.answer(shown, question, self.max_new_tokens), ctx.progress
        )
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
        new = out[0, inputs["input_ids"].shape[1] :]
        return self.processor.decode(new, skip_special_tokens=True).strip()


STORYBOARD = "These are {k} frames of a video, in order from left to right and top to bottom. {ask}"
VIDEO_CAPTION = "Describe what happens in the video in one or two sentences."
TARGET_HINT = "The tracked target is outlined in green. "


def storyboard(frames: list[np.ndarray], cell: int = 336) -> np.ndarray:
    """Frames (HxWx3 uint8, one size) tiled in a near-square grid, each at most ``cell`` pixels wide."""
    import cv2

    k = len(frames)
    cols = int(np.ceil(np.sqrt(k)))
    rows = int(np.ceil(k / cols))
    h, w = frames[0].shape[:2]
    s = min(1.0, cell / max(h, w))
    th, tw = max(1, round(h * s)), max(1, round(w * s))
    grid = np.zeros((rows * th, cols * tw, 3), np.uint8)
    for i, f in enumerate(frames):
        r, c = divmod(i, cols)
        grid[r * th : (r + 1) * th, c * tw : (c + 1) * tw] = cv2.resize(f, (tw, th), interpolation=cv2.INTER_AREA)
    return grid


class VlmDescribeVideoTool(VlmDescribeTool):
    """describe_video with the describe VLM: ``frames`` sampled uniformly, tiled into one storyboard
    image (a tracked target outlined on each), and the question asked about it. Motion and cuts are
    measured as by the cv backend."""

    name = "describe_video"
    description = (
        "Describe a video or answer a question about it with a vision-language model looking at "
        "sampled frames (a tracked target is outlined); also measures motion and scene cuts."
    )
    Input = DescribeVideoInput
    Output = DescribeVideoOutput

    def check_inputs(self, inp: DescribeVideoInput, ctx: ToolContext) -> None:
        CvDescribeVideoTool().check_inputs(inp, ctx)

    def run(self, inp: DescribeVideoInput, ctx: ToolContext) -> DescribeVideoOutput:
        from vitron_agent.media.draw import overlay

        clip = ctx.store.get_video(inp.video)
        picks = clip.sample(k=inp.frames)
        frames = list(clip.frames(picks))
        if inp.track is not None:
            frames = [
                overlay(f, ctx.store.get_track_frame(inp.track, i), alpha=0.0)
                for f, i in zip(frames, picks, strict=True)
            ]
        ask = (TARGET_HINT if inp.track is not None else "") + (inp.question or VIDEO_CAPTION)
        question = STORYBOARD.format(k=len(frames), ask=ask)
        board = storyboard(frames)
        ctx.progress(0.2, f"asking the vision-language model about {len(frames)} frames")
        text = self.pool.run(
            self.key, self._load, lambda vlm: vlm.answer(board, question, self.max_new_tokens), ctx.progress
        )
        facts = video_facts(ctx.store, inp.video, None, 1, ctx)
        return DescribeVideoOutput(
            text=text or "(the model returned no text)", motion=round(facts["motion"], 3), cuts=facts["cuts"]
        )


register(
    Backend(
        "describe",
        "transformers",
        VlmDescribeTool,
        checkpoints={"checkpoint": "folder"},
        tiny="vitron_agent.testing.tiny_checkpoints:vlm_table",
        group="llava",
    )
)
register(
    Backend(
        "describe_video",
        "transformers",
        VlmDescribeVideoTool,
        checkpoints={"checkpoint": "folder"},
        tiny="vitron_agent.testing.tiny_checkpoints:vlm_table",
        group="llava",
    )
)
