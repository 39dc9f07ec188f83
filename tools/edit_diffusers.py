"""edit, diffusers backend: mask-guided inpainting and instruction editing.

* ``inpaint`` -- repaint the masked region from ``prompt`` ("replace it with a golden
  retriever"); ``remove`` is inpainting with a background prompt. Checkpoint: a local
  inpainting pipeline folder (``AutoPipelineForInpainting``).
* ``instruct`` -- InstructPix2Pix-style global edit from an instruction ("make it look
  like winter"); with a mask, only the masked region changes. Checkpoint:
  ``instruct_checkpoint``, a ``StableDiffusionInstructPix2PixPipeline`` folder.
* every cv operation (recolor, blur, ...) stays available and runs on the cv code.

Images are processed at their own size rounded to a multiple of 8 (longest side at
most ``max_side``), resized back, and pixels outside the mask are kept exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.loading.models import ModelBacked, ModelKey
from vitron_agent.perception.masks import check_same_size
from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.edit import CvEditTool, EditInput, EditOutput, GenerativeEditOperation
from vitron_agent.tools.generate import diffusion_callback, load_pipeline, pipeline_output_to_uint8

__all__ = ["DiffusionArgs", "DiffusersEditInput", "DiffusersEditTool", "check_denoising_steps"]

REMOVE_PROMPT = "empty background, seamless, nothing there"


def check_denoising_steps(steps: int, strength: float) -> None:
    """ValueError when ``steps`` x ``strength`` leaves no denoising step (diffusers then fails
    deep inside the scheduler)."""
    if int(steps * strength) < 1:
        need = -(-1 // strength) if strength else steps
        raise ValueError(
            f"steps={steps} with strength={strength:g} leaves no denoising step; use steps >= {int(need)} "
            "or a higher strength"
        )


class DiffusionArgs(BaseModel):
    """The denoising arguments the image and video editors share."""

    negative_prompt: str | None = Field(default=None, max_length=1000, description="what to avoid")
    steps: int | None = Field(default=None, ge=1, le=200, description="denoising steps (default from config)")
    guidance: float | None = Field(default=None, ge=0.0, le=30.0, description="text guidance scale")


class DiffusersEditInput(EditInput, DiffusionArgs):
    operation: GenerativeEditOperation = Field(description="what to do")
    prompt: str | None = Field(
        default=None, max_length=1000, description="inpaint: what to paint in the mask; instruct: the edit instruction"
    )
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="random seed")
    strength: float = Field(default=1.0, gt=0.0, le=1.0, description="inpaint strength (1 = repaint fully)")
    image_guidance: float = Field(
        default=1.5, ge=0.0, le=10.0, description="instruct: how closely to follow the input image"
    )


class DiffusersEditTool(ModelBacked, VisionTool):
    name = "edit"
    description = (
        "Edit an image: inpaint a masked region from a prompt, follow an edit instruction (InstructPix2Pix), "
        "or recolor / remove / blur / replace background / keep only / grayscale / brighten / darken / contrast."
    )
    Input = DiffusersEditInput
    Output = EditOutput
    backend = "diffusers"

    def __init__(
        self,
        checkpoint: str | None = None,
        instruct_checkpoint: str | None = None,
        steps: int = 30,
        guidance: float = 7.5,
        max_side: int = 1024,
        device: str = "auto",
        dtype: str = "auto",
        pool=None,
    ):
        self._setup(str(checkpoint) if checkpoint else "", device, dtype, pool)
        self.checkpoint = self.checkpoint or None
        self.instruct_checkpoint = str(instruct_checkpoint) if instruct_checkpoint else None
        self.steps, self.guidance, self.max_side = steps, guidance, max_side
        self._cv = CvEditTool()

    def _key(self, which: str) -> ModelKey:
        ckpt = self.checkpoint if which == "inpaint" else self.instruct_checkpoint
        return ModelKey(f"edit-{which}", str(ckpt), self.device, str(self.torch_dtype))

    def check_inputs(self, inp: DiffusersEditInput, ctx: ToolContext) -> None:
        if inp.operation in ("inpaint", "instruct"):
            if not inp.prompt:
                raise ValueError(f"{inp.operation} needs a prompt, e.g. prompt='a golden retriever'")
            if inp.operation == "inpaint" and inp.mask is None:
                raise ValueError("inpaint needs a mask; segment the region first and pass its mask")
            if inp.operation == "inpaint":
                check_denoising_steps(inp.steps or self.steps, inp.strength)
            ckpt = self.checkpoint if inp.operation == "inpaint" else self.instruct_checkpoint
            if not ckpt:
                key = "checkpoint" if inp.operation == "inpaint" else "instruct_checkpoint"
                raise ValueError(
                    f"{inp.operation} is not configured: set [tools.edit] {key} to a local pipeline folder"
                )
            check_same_size(inp.mask, inp.image)
        elif inp.operation == "remove" and self.checkpoint:
            if inp.mask is None:
                raise ValueError("remove needs a mask; segment the target first and pass its mask")
        else:
            self._cv.check_inputs(inp, ctx)

    def run(self, inp: DiffusersEditInput, ctx: ToolContext) -> EditOutput:
        if inp.operation not in ("inpaint", "instruct") and not (inp.operation == "remove" and self.checkpoint):
            return self._cv.run(inp, ctx)
        image = ctx.store.get_image(inp.image)
        mask = ctx.store.get_mask(inp.mask) if inp.mask is not None else None
        which = "instruct" if inp.operation == "instruct" else "inpaint"
        prompt = REMOVE_PROMPT if inp.operation == "remove" else inp.prompt
        out = self.pool.run(
            self._key(which),
            lambda: self._load(which),
            lambda pipe: self._diffuse(pipe, which, image, mask, prompt, inp, ctx),
            ctx.progress,
        )
        if out.shape != image.shape:
            import cv2

            out = cv2.resize(out, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_CUBIC)
        if mask is not None:
            region = ~mask if inp.where == "outside" else mask
            out = np.where(region[..., None], out, image)
        return EditOutput(image=ctx.store.put_image(np.ascontiguousarray(out, dtype=np.uint8), producer=ctx.step_id))

    def _load(self, which: str) -> Any:
        if which == "inpaint":
            return load_pipeline("AutoPipelineForInpainting", self.checkpoint, self.device, self.torch_dtype)
        return load_pipeline(
            "StableDiffusionInstructPix2PixPipeline", self.instruct_checkpoint, self.device, self.torch_dtype
        )

    def _work_size(self, h: int, w: int) -> tuple[int, int]:
        s = min(1.0, self.max_side / max(h, w))
        return max(64, int(h * s) // 8 * 8), max(64, int(w * s) // 8 * 8)

    def _diffuse(
        self,
        pipe: Any,
        which: str,
        image: np.ndarray,
        mask: np.ndarray | None,
        prompt: str,
        inp: DiffusersEditInput,
        ctx: ToolContext,
    ) -> np.ndarray:
        import torch
        from PIL import Image

        h, w = self._work_size(*image.shape[:2])
        pil = Image.fromarray(image).resize((w, h), Image.BICUBIC)
        steps = inp.steps or self.steps
        common = {
            "prompt": prompt,
            "negative_prompt": inp.negative_prompt,
            "num_inference_steps": steps,
            "guidance_scale": inp.guidance if inp.guidance is not None else self.guidance,
            "generator": torch.Generator(device="cpu").manual_seed(inp.seed),
            "output_type": "np",
            "callback_on_step_end": diffusion_callback(ctx, steps),
        }
        if which == "inpaint":
            region = ~mask if inp.where == "outside" else mask
            pil_mask = Image.fromarray(region.astype(np.uint8) * 255).resize((w, h), Image.NEAREST)
            result = pipe(image=pil, mask_image=pil_mask, height=h, width=w, strength=inp.strength, **common)
        else:
            result = pipe(image=pil, image_guidance_scale=inp.image_guidance, **common)
        if ctx.cancelled.is_set():
            raise ToolFailed("editing was cancelled")
        return pipeline_output_to_uint8(result.images)


register(
    Backend(
        "edit",
        "diffusers",
        DiffusersEditTool,
        checkpoints={"checkpoint": "folder?", "instruct_checkpoint": "folder?"},
        one_of=("checkpoint", "instruct_checkpoint"),
        tiny="vitron_agent.testing.tiny_checkpoints:edit_table",
        group="diffusers",
    )
)
