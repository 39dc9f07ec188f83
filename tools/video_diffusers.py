"""Video generation and editing with diffusers pipelines (local folders only).

* ``generate_video`` -- text to video with a text-to-video pipeline (ModelScope /
  ZeroScope ``TextToVideoSDPipeline`` and the like), from a prompt or
  ``prompt_embeds`` (a FeatureRef in the text encoder's space, e.g. an LLM ``[GEN]``
  token projected by a head).
* ``animate`` -- image to video with an image-to-video pipeline (``I2VGenXLPipeline``;
  ``StableVideoDiffusionPipeline`` works too: arguments a pipeline does not take are
  not passed), so "generate an image ..., then animate it" chains.
* ``edit_video`` -- ``inpaint``: every frame inpainted inside (or outside) the mask
  track with an image inpainting pipeline, the same seed on every frame, pixels
  outside the region kept exactly; ``instruct``: a global video-to-video edit
  (``VideoToVideoSDPipeline``) in chunks, composited through the track when one is
  given; every cv operation as in the cv backend.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from vitron_agent.core.errors import ToolFailed
from vitron_agent.core.refs import VideoRef
from vitron_agent.loading.models import ModelBacked, ModelKey
from vitron_agent.toolkit.registry import Backend, Traits, declare, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.edit import GenerativeEditOperation
from vitron_agent.tools.edit_diffusers import (
    DiffusersEditInput,
    DiffusersEditTool,
    DiffusionArgs,
    check_denoising_steps,
)
from vitron_agent.tools.generate import (
    GenerateInput,
    add_prompt,
    check_prompt_embeds,
    diffusion_callback,
    load_pipeline,
    text_encoder_width,
)
from vitron_agent.tools.video_cv import (
    AnimateInput,
    AnimateOutput,
    CvEditVideoTool,
    EditVideoInput,
    EditVideoOutput,
    check_edit_video,
    edit_frames,
    selected_frames,
)

__all__ = [
    "GenerateVideoInput",
    "GenerateVideoOutput",
    "DiffusersVideoGenerateTool",
    "DiffusersAnimateInput",
    "DiffusersAnimateTool",
    "DiffusersEditVideoInput",
    "DiffusersEditVideoTool",
    "frames_to_uint8",
]


def frames_to_uint8(frames: Any) -> np.ndarray:
    """The first video of a pipeline's ``frames`` -> TxHxWx3 uint8. ``frames``: a (B, T, C, H, W)
    float tensor in [0, 1] (``output_type="pt"``: converted on the pipeline's device, so a
    quarter of the bytes cross to the CPU and the float work runs on the GPU), np floats in
    [0, 1] (B, T, H, W, C), or lists of PIL images."""
    first = frames[0]
    if hasattr(first, "permute"):
        import torch

        u8 = (first.float() * 255.0 + 0.5).clamp(0, 255).to(torch.uint8)
        return np.ascontiguousarray(u8.permute(0, 2, 3, 1)[..., :3].cpu().numpy())
    arr = np.stack([np.asarray(f) for f in first]) if isinstance(first, list) else np.asarray(first)
    if arr.dtype != np.uint8:
        arr = np.clip(arr.astype(np.float32) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr[..., :3])


def _call(pipe: Any, ctx: ToolContext, steps: int, seed: int = 0, **kwargs: Any) -> Any:
    """Call ``pipe`` with the arguments its ``__call__`` takes (None values dropped, except
    ``clip_skip=None``, which must override a pipeline default of 1). The global RNGs are
    seeded too (and restored after): some pipelines sample without the generator (I2VGenXL
    encodes its image latents with the global RNG), which made the same seed give another video."""
    import torch

    accepted = inspect.signature(pipe.__call__).parameters
    args = {k: v for k, v in kwargs.items() if k in accepted and (v is not None or k == "clip_skip")}
    if "callback_on_step_end" in accepted:
        args["callback_on_step_end"] = diffusion_callback(ctx, steps)
    device = getattr(pipe, "device", None)
    cuda = [device.index or 0] if getattr(device, "type", "") == "cuda" else []
    with torch.random.fork_rng(devices=cuda):
        torch.manual_seed(seed)
        out = pipe(**args)
    if ctx.cancelled.is_set():
        raise ToolFailed("the video pipeline was cancelled")
    return out


class GenerateVideoInput(GenerateInput):
    prompt: str | None = Field(default=None, max_length=1000, description="what the video shows")
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="random seed (same seed, same video)")
    frames: int | None = Field(default=None, ge=1, le=256, description="number of frames (default from config)")
    fps: float | None = Field(
        default=None, gt=0, le=120, description="frames per second of the result (default from config)"
    )


class GenerateVideoOutput(BaseModel):
    video: VideoRef = Field(description="the generated video")


class _VideoPipelineTool(ModelBacked, VisionTool):
    backend = "diffusers"

    def __init__(
        self,
        checkpoint: str,
        steps: int = 25,
        guidance: float = 9.0,
        frames: int = 16,
        fps: float = 8.0,
        width: int | None = None,
        height: int | None = None,
        device: str = "auto",
        dtype: str = "auto",
        pool=None,
    ):
        self._setup(checkpoint, device, dtype, pool)
        self.steps, self.guidance, self.frames, self.fps, self.width, self.height = (
            steps,
            guidance,
            frames,
            fps,
            width,
            height,
        )

    def _load(self) -> Any:
        return load_pipeline("DiffusionPipeline", self.checkpoint, self.device, self.torch_dtype)

    @property
    def text_width(self) -> int | None:
        """Width D of the pipeline's text embeddings (sizes the planner's [GEN] projection for this tool)."""
        return text_encoder_width(self.checkpoint)

    def _common(self, inp: Any) -> dict[str, Any]:
        import torch

        return {
            "num_inference_steps": inp.steps or self.steps,
            "num_frames": inp.frames or self.frames,
            "guidance_scale": inp.guidance if inp.guidance is not None else self.guidance,
            "width": getattr(inp, "width", None) or self.width,
            "height": getattr(inp, "height", None) or self.height,
            "generator": torch.Generator(device="cpu").manual_seed(inp.seed),
            "output_type": "pt",
        }


class DiffusersVideoGenerateTool(_VideoPipelineTool):
    name = "generate_video"
    description = (
        "Generate a short video from a text prompt (or a prompt embedding) with a diffusers text-to-video pipeline."
    )
    Input = GenerateVideoInput
    Output = GenerateVideoOutput
    family = "generate-video"

    def check_inputs(self, inp: GenerateVideoInput, ctx: ToolContext) -> None:
        check_prompt_embeds(inp)

    def run(self, inp: GenerateVideoInput, ctx: ToolContext) -> GenerateVideoOutput:
        kwargs = self._common(inp)

        def generate(pipe: Any) -> np.ndarray:
            add_prompt(pipe, kwargs, inp, ctx.store)
            negative = None if "negative_prompt_embeds" in kwargs else inp.negative_prompt
            out = _call(pipe, ctx, kwargs["num_inference_steps"], seed=inp.seed, negative_prompt=negative, **kwargs)
            return frames_to_uint8(out.frames)

        frames = self.pool.run(self.key, self._load, generate, ctx.progress)
        ref = ctx.store.put_video(iter(frames), inp.fps or self.fps, producer=ctx.step_id)
        return GenerateVideoOutput(video=ref)


class DiffusersAnimateInput(AnimateInput):
    steps: int | None = Field(default=None, ge=1, le=200, description="denoising steps (default from config)")
    guidance: float | None = Field(default=None, ge=0.0, le=30.0, description="guidance scale")


class DiffusersAnimateTool(_VideoPipelineTool):
    name = "animate"
    description = (
        "Animate a still image into a short video with a diffusers image-to-video pipeline "
        "(optionally guided by a prompt saying how it moves)."
    )
    Input = DiffusersAnimateInput
    Output = AnimateOutput
    family = "animate"

    def run(self, inp: DiffusersAnimateInput, ctx: ToolContext) -> AnimateOutput:
        from PIL import Image

        image = ctx.store.get_image(inp.image)
        kwargs = self._common(inp)
        h, w = image.shape[:2]
        s = min(1.0, 1024 / max(h, w))
        kwargs["height"] = kwargs["height"] or max(64, int(h * s) // 8 * 8)
        kwargs["width"] = kwargs["width"] or max(64, int(w * s) // 8 * 8)
        fps = inp.fps or self.fps

        def animate(pipe: Any) -> np.ndarray:
            pil = Image.fromarray(image).resize((kwargs["width"], kwargs["height"]), Image.BICUBIC)
            # clip_skip=None: I2VGenXL's clip_skip path reads text_encoder.text_model, gone in transformers 5
            out = _call(
                pipe,
                ctx,
                kwargs["num_inference_steps"],
                seed=inp.seed,
                image=pil,
                prompt=inp.prompt or "",
                target_fps=round(fps),
                fps=round(fps),
                clip_skip=None,
                **kwargs,
            )
            return frames_to_uint8(out.frames)

        frames = self.pool.run(self.key, self._load, animate, ctx.progress)
        return AnimateOutput(video=ctx.store.put_video(iter(frames), fps, producer=ctx.step_id))


class DiffusersEditVideoInput(EditVideoInput, DiffusionArgs):
    operation: GenerativeEditOperation = Field(description="what to do on each frame")
    prompt: str | None = Field(
        default=None,
        max_length=1000,
        description="inpaint: what to paint in the track; instruct: the edit (video-to-video)",
    )
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="random seed (the same on every frame)")
    strength: float | None = Field(
        default=None,
        gt=0.0,
        le=1.0,
        description="how far to move from the input (inpaint default 1, instruct default 0.6)",
    )


class DiffusersEditVideoTool(ModelBacked, VisionTool):
    name = "edit_video"
    description = (
        "Edit a video: inpaint a tracked region (or the background) from a prompt on every frame, apply a "
        "global edit instruction (video-to-video), or recolor / remove / blur / replace background / "
        "keep only / grayscale / brighten / darken / contrast inside or outside a track."
    )
    Input = DiffusersEditVideoInput
    Output = EditVideoOutput
    backend = "diffusers"

    def __init__(
        self,
        checkpoint: str | None = None,
        video_checkpoint: str | None = None,
        steps: int = 25,
        guidance: float = 7.5,
        max_side: int = 512,
        chunk: int = 16,
        device: str = "auto",
        dtype: str = "auto",
        pool=None,
    ):
        self._setup(str(checkpoint) if checkpoint else "", device, dtype, pool)
        self.checkpoint = self.checkpoint or None
        self.video_checkpoint = str(video_checkpoint) if video_checkpoint else None
        self.steps, self.guidance, self.max_side, self.chunk = steps, guidance, max_side, chunk
        self._images = (
            DiffusersEditTool(
                checkpoint=checkpoint,
                steps=steps,
                guidance=guidance,
                max_side=max_side,
                device=device,
                dtype=dtype,
                pool=pool,
            )
            if checkpoint
            else None
        )
        self._cv = CvEditVideoTool()

    def check_inputs(self, inp: DiffusersEditVideoInput, ctx: ToolContext) -> None:
        if inp.operation not in ("inpaint", "instruct"):
            return check_edit_video(inp)
        if not inp.prompt:
            raise ValueError(f"{inp.operation} needs a prompt, e.g. prompt='a snowy street'")
        if inp.operation == "inpaint" and not self.checkpoint:
            raise ValueError(
                "inpaint is not configured: set [tools.edit_video] checkpoint to a local inpainting pipeline"
            )
        if inp.operation == "instruct" and not self.video_checkpoint:
            raise ValueError(
                "instruct is not configured: set [tools.edit_video] video_checkpoint to a local video-to-video pipeline"
            )
        strength = inp.strength or (1.0 if inp.operation == "inpaint" else 0.6)
        check_denoising_steps(inp.steps or self.steps, strength)
        check_edit_video(inp, operations_needing_mask=("inpaint",))

    def run(self, inp: DiffusersEditVideoInput, ctx: ToolContext) -> EditVideoOutput:
        if inp.operation not in ("inpaint", "instruct"):
            return self._cv.run(inp, ctx)
        frames = self._inpainted(inp, ctx) if inp.operation == "inpaint" else self._restyled(inp, ctx)
        return EditVideoOutput(video=ctx.store.put_video(frames, inp.video.fps, producer=ctx.step_id))

    def _inpainted(self, inp: DiffusersEditVideoInput, ctx: ToolContext) -> Iterator[np.ndarray]:
        editor = self._images
        quiet = ToolContext(store=ctx.store, step_id=ctx.step_id, cancelled=ctx.cancelled)
        einp = DiffusersEditInput.model_construct(
            operation="inpaint",
            prompt=inp.prompt,
            negative_prompt=inp.negative_prompt,
            seed=inp.seed,
            steps=inp.steps,
            guidance=inp.guidance,
            strength=inp.strength or 1.0,
            where=inp.where,
        )

        def one(frame: np.ndarray, mask: np.ndarray | None, i: int) -> np.ndarray:
            out = self.pool.run(
                editor._key("inpaint"),
                lambda: editor._load("inpaint"),
                lambda pipe: editor._diffuse(pipe, "inpaint", frame, mask, inp.prompt, einp, quiet),
            )
            return _composite(frame, out, mask, inp.where)

        return edit_frames(ctx.store, inp, ctx, one)

    def _restyled(self, inp: DiffusersEditVideoInput, ctx: ToolContext) -> Iterator[np.ndarray]:
        """Video-to-video over chunks of ``chunk`` consecutive selected frames, composited through
        the track when one is given."""
        import cv2
        import torch
        from PIL import Image

        key = ModelKey("edit-video-v2v", str(self.video_checkpoint), self.device, str(self.torch_dtype))
        v = inp.video
        s = min(1.0, self.max_side / max(v.width, v.height))
        h, w = max(64, int(v.height * s) // 8 * 8), max(64, int(v.width * s) // 8 * 8)
        steps = inp.steps or self.steps
        quiet = ToolContext(store=ctx.store, step_id=ctx.step_id, cancelled=ctx.cancelled)

        def edit(chunk: list[tuple[np.ndarray, np.ndarray | None]]) -> list[np.ndarray]:
            video = [np.asarray(Image.fromarray(f).resize((w, h), Image.BICUBIC), np.float32) / 255.0 for f, _ in chunk]
            out = self.pool.run(
                key,
                lambda: load_pipeline("VideoToVideoSDPipeline", self.video_checkpoint, self.device, self.torch_dtype),
                lambda pipe: _call(
                    pipe,
                    quiet,
                    steps,
                    seed=inp.seed,
                    prompt=inp.prompt,
                    video=video,
                    negative_prompt=inp.negative_prompt,
                    strength=inp.strength or 0.6,
                    num_inference_steps=steps,
                    output_type="pt",
                    guidance_scale=inp.guidance if inp.guidance is not None else self.guidance,
                    generator=torch.Generator(device="cpu").manual_seed(inp.seed),
                ),
            )
            edited = frames_to_uint8(out.frames)
            return [
                _composite(f, cv2.resize(e, (v.width, v.height), interpolation=cv2.INTER_CUBIC), m, inp.where)
                for (f, m), e in zip(chunk, edited, strict=True)
            ]

        chunk: list[tuple[np.ndarray, np.ndarray | None]] = []
        for _, frame, mask, selected in selected_frames(ctx.store, inp, ctx):
            if selected:
                chunk.append((frame, mask))
                if len(chunk) < self.chunk:
                    continue
            if chunk:
                yield from edit(chunk)
                chunk = []
            if not selected:
                yield frame
        if chunk:
            yield from edit(chunk)


def _composite(frame: np.ndarray, edited: np.ndarray, mask: np.ndarray | None, where: str) -> np.ndarray:
    if edited.shape != frame.shape:
        import cv2

        edited = cv2.resize(edited, (frame.shape[1], frame.shape[0]), interpolation=cv2.INTER_CUBIC)
    if mask is None:
        return np.ascontiguousarray(edited, dtype=np.uint8)
    region = ~mask if where == "outside" else mask
    return np.ascontiguousarray(np.where(region[..., None], edited, frame), dtype=np.uint8)


register(
    Backend(
        "generate_video",
        "diffusers",
        DiffusersVideoGenerateTool,
        checkpoints={"checkpoint": "folder"},
        tiny="vitron_agent.testing.tiny_checkpoints:t2v_table",
        group="video",
    )
)
declare(Traits("generate_video", phrase=("made a video of {prompt}", "make a video of {prompt}")))
register(
    Backend(
        "animate",
        "diffusers",
        DiffusersAnimateTool,
        checkpoints={"checkpoint": "folder"},
        tiny="vitron_agent.testing.tiny_checkpoints:i2v_table",
        group="video",
    )
)
register(
    Backend(
        "edit_video",
        "diffusers",
        DiffusersEditVideoTool,
        checkpoints={"checkpoint": "folder?", "video_checkpoint": "folder?"},
        one_of=("checkpoint", "video_checkpoint"),
        tiny="vitron_agent.testing.tiny_checkpoints:edit_video_table",
        group="video",
    )
)
