"""generate, diffusers backend: text-to-image from a prompt or from ``prompt_embeds``.

The checkpoint is a local diffusers pipeline folder (Stable Diffusion family,
loaded with ``AutoPipelineForText2Image``). ``prompt_embeds`` is the continuous
path: a FeatureRef of shape (T, D) or (1, T, D) in the text encoder's space
(e.g. an LLM ``[GEN]`` token projected by a head).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, Field, model_validator

from vitron_agent.core.errors import ToolArgumentError, ToolFailed
from vitron_agent.core.refs import FeatureRef, ImageRef
from vitron_agent.loading.models import ModelBacked, quiet_hf
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool

__all__ = [
    "GenerateInput",
    "GenerateOutput",
    "DiffusersGenerateTool",
    "load_pipeline",
    "diffusion_callback",
    "pipeline_output_to_uint8",
    "add_prompt",
    "check_prompt_embeds",
    "empty_prompt_embeds",
    "text_encoder_width",
]


class GenerateInput(BaseModel):
    prompt: str | None = Field(default=None, max_length=1000, description="what to draw")
    prompt_embeds: FeatureRef | None = Field(
        default=None, description="text-encoder-space embedding (T, D) instead of a prompt"
    )
    negative_prompt: str | None = Field(default=None, max_length=1000, description="what to avoid")
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="random seed (same seed, same image)")
    steps: int | None = Field(default=None, ge=1, le=200, description="denoising steps (default from config)")
    guidance: float | None = Field(default=None, ge=0.0, le=30.0, description="classifier-free guidance scale")
    width: int | None = Field(default=None, ge=64, le=2048, multiple_of=8, description="pixels, multiple of 8")
    height: int | None = Field(default=None, ge=64, le=2048, multiple_of=8, description="pixels, multiple of 8")

    @model_validator(mode="after")
    def _one_prompt(self) -> GenerateInput:
        if not self.prompt and self.prompt_embeds is None:
            raise ValueError("give a prompt or prompt_embeds")
        return self


def check_prompt_embeds(inp: GenerateInput) -> None:
    if inp.prompt_embeds is not None and len(inp.prompt_embeds.shape) not in (2, 3):
        raise ValueError(f"prompt_embeds has shape {tuple(inp.prompt_embeds.shape)}; expected (T, D) or (1, T, D)")


class GenerateOutput(BaseModel):
    image: ImageRef = Field(description="the generated image")


def load_pipeline(auto_cls_name: str, checkpoint: str, device: str, dtype: Any) -> Any:
    """A diffusers pipeline from a local folder, on ``device``, with its own progress bars off."""
    quiet_hf()
    import diffusers

    cls = getattr(diffusers, auto_cls_name)
    diffusers.utils.logging.disable_progress_bar()
    pipe = cls.from_pretrained(checkpoint, dtype=dtype, local_files_only=True)
    if getattr(pipe, "safety_checker", None) is not None:
        pipe.safety_checker = None  # a local pipeline's own choice; vitron-agent adds no filter of its own
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(device)


def diffusion_callback(ctx: ToolContext, total: int, start: float = 0.1, span: float = 0.85):
    """A ``callback_on_step_end`` that reports progress and stops when the step is cancelled."""

    def callback(pipe: Any, step: int, timestep: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        ctx.progress(start + span * (step + 1) / max(1, total), f"denoising step {step + 1}/{total}")
        if ctx.cancelled.is_set():
            pipe._interrupt = True
        return kwargs

    return callback


def add_prompt(pipe: Any, kwargs: dict[str, Any], inp: GenerateInput, store: Any) -> None:
    """Put the prompt, or ``prompt_embeds`` (checked against the text encoder's width), into the
    pipeline's ``kwargs``. With embeddings and no negative prompt, the negative embeddings are
    the text encoder's encoding of ``""`` padded to the same length -- what diffusers' own
    ``encode_prompt`` uses for classifier-free guidance -- not zeros. SDXL-family pipelines
    (two text encoders) also need ``pooled_prompt_embeds``, which a [GEN] head does not give:
    they are refused with a message."""
    import torch

    if inp.prompt_embeds is None:
        kwargs["prompt"] = inp.prompt
        return
    if getattr(pipe, "text_encoder_2", None) is not None:
        raise ToolArgumentError(
            f"{type(pipe).__name__} (SDXL family) needs pooled_prompt_embeds beside prompt_embeds, and a [GEN] "
            "embedding has none; give a prompt instead, or use an SD 1.x / 2.x checkpoint for embeddings"
        )
    emb = torch.from_numpy(np.array(store.get_feature(inp.prompt_embeds), dtype=np.float32))
    emb = emb[None] if emb.ndim == 2 else emb
    width = pipe.text_encoder.config.hidden_size
    if emb.shape[-1] != width:
        raise ToolArgumentError(f"prompt_embeds width {emb.shape[-1]} does not match the text encoder's {width}")
    kwargs["prompt_embeds"] = emb.to(device=pipe.device, dtype=pipe.unet.dtype)
    if inp.negative_prompt is None:
        kwargs["negative_prompt_embeds"] = empty_prompt_embeds(pipe, emb.shape[1]).to(kwargs["prompt_embeds"].dtype)
    else:  # diffusers encodes a negative prompt only beside a prompt: encode it here, to the same length
        kwargs["negative_prompt_embeds"] = empty_prompt_embeds(pipe, emb.shape[1], inp.negative_prompt).to(
            kwargs["prompt_embeds"].dtype
        )
        kwargs.pop("negative_prompt", None)


def empty_prompt_embeds(pipe: Any, length: int, text: str = "") -> Any:
    """The text encoder's last hidden state for ``text`` (default ``""``) padded to ``length`` tokens, (1, length, D)."""
    import torch

    tok = pipe.tokenizer(text, padding="max_length", max_length=length, truncation=True, return_tensors="pt")
    with torch.inference_mode():
        out = pipe.text_encoder(tok.input_ids.to(pipe.text_encoder.device))
    return out[0]


def text_encoder_width(checkpoint: str) -> int | None:
    """Width D of a diffusers pipeline's text embeddings (from text_encoder/config.json; no weights load)."""
    import json
    from pathlib import Path

    try:
        return int(json.loads((Path(checkpoint) / "text_encoder" / "config.json").read_text())["hidden_size"])
    except (OSError, KeyError, ValueError):
        return None


def pipeline_output_to_uint8(images: Any) -> np.ndarray:
    """First image of a pipeline's ``output_type="np"`` result -> HxWx3 uint8."""
    arr = np.asarray(images[0], dtype=np.float32)
    return np.ascontiguousarray(np.clip(arr * 255.0 + 0.5, 0, 255).astype(np.uint8))


class DiffusersGenerateTool(ModelBacked, VisionTool):
    name = "generate"
    description = "Generate an image from a text prompt (or a prompt embedding) with a diffusers pipeline."
    Input = GenerateInput
    Output = GenerateOutput
    backend = "diffusers"
    family = "generate"

    def __init__(
        self,
        checkpoint: str,
        steps: int = 30,
        guidance: float = 7.5,
        width: int | None = None,
        height: int | None = None,
        device: str = "auto",
        dtype: str = "auto",
        pool=None,
    ):
        self._setup(checkpoint, device, dtype, pool)
        self.steps, self.guidance, self.width, self.height = steps, guidance, width, height

    @property
    def text_width(self) -> int | None:
        """Width D of the pipeline's text embeddings (from text_encoder/config.json; no weights load)."""
        return text_encoder_width(self.checkpoint)

    def _load(self) -> Any:
        return load_pipeline("AutoPipelineForText2Image", self.checkpoint, self.device, self.torch_dtype)

    def check_inputs(self, inp: GenerateInput, ctx: ToolContext) -> None:
        check_prompt_embeds(inp)

    def run(self, inp: GenerateInput, ctx: ToolContext) -> GenerateOutput:
        import torch

        steps = inp.steps or self.steps
        kwargs: dict[str, Any] = {
            "num_inference_steps": steps,
            "guidance_scale": inp.guidance if inp.guidance is not None else self.guidance,
            "width": inp.width or self.width,
            "height": inp.height or self.height,
            "negative_prompt": inp.negative_prompt,
            "output_type": "np",
        }

        def generate(pipe: Any) -> np.ndarray:
            add_prompt(pipe, kwargs, inp, ctx.store)
            gen = torch.Generator(device="cpu").manual_seed(inp.seed)
            out = pipe(generator=gen, callback_on_step_end=diffusion_callback(ctx, steps), **kwargs)
            if ctx.cancelled.is_set():
                raise ToolFailed("generation was cancelled")
            return pipeline_output_to_uint8(out.images)

        image = self.pool.run(self.key, self._load, generate, ctx.progress)
        return GenerateOutput(image=ctx.store.put_image(image, producer=ctx.step_id))


register(
    Backend(
        "generate",
        "diffusers",
        DiffusersGenerateTool,
        checkpoints={"checkpoint": "folder"},
        tiny="vitron_agent.testing.tiny_checkpoints:generate_table",
        group="diffusers",
    )
)
declare(Traits("generate", phrase=("made a picture of {prompt}", "make a picture of {prompt}")))
