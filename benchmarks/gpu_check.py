"""GPU check: every model backend's CUDA path at real model shapes, in fp32 / fp16 / bf16.

Random weights built in memory from the real architectures (nothing is downloaded):
SAM ViT-H at 1024, an SD-1.5-shaped inpainting UNet + VAE at 512, a ZeroScope-shaped
text-to-video UNet at its real 576x320 frame size, and a LLaVA-1.5-7B-shaped VLM (real
widths, fewer language layers). For each, the agent's tool call (``invoke``: the path a
plan step takes, artifacts written to the store) and the direct library call on the same
inputs run side by side in one process, alternating who goes first; then the ModelPool
on the device (LRU offload under a budget, and a real out-of-memory), encode-once and the
video frame cache. Prints one table; on CUDA writes ``benchmarks/GPU_RESULTS.md``.

    python benchmarks/gpu_check.py --device cuda            # < 8 min on one H100/H200
    python benchmarks/gpu_check.py --device cpu --quick     # the same code at tiny sizes (make test)

Models enter the tool's ModelPool under the tool's own key (``pool.get(tool.key, ...)``),
so no multi-GB checkpoint is written and read back; loading from disk is covered by the
CPU tests on tiny checkpoints. Exit status 1 when any check failed (timings never fail).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import gc
import platform
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent

# Real shapes (the published configs) and tiny ones for --quick; the code path is the same.
REAL: dict[str, Any] = {
    "sam": "vit_h",
    "sam_image": (1024, 1024),
    "prompts": 8,
    "sd_unet": {
        "block_out_channels": (320, 640, 1280, 1280),
        "layers_per_block": 2,
        "cross_attention_dim": 768,
        "attention_head_dim": 8,
        "sample_size": 64,
    },
    "sd_vae": {"block_out_channels": (128, 256, 512, 512), "layers_per_block": 2, "sample_size": 512, "blocks": 4},
    "sd_text": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_attention_heads": 12},
    "sd_size": 512,
    "sd_steps": 4,
    "t2v_unet": {
        "block_out_channels": (320, 640, 1280, 1280),
        "layers_per_block": 2,
        "cross_attention_dim": 1024,
        "attention_head_dim": 64,
        "sample_size": 32,
    },
    "t2v_text": {"hidden_size": 1024, "intermediate_size": 4096, "num_hidden_layers": 23, "num_attention_heads": 16},
    "t2v_size": (320, 576),
    "t2v_frames": 24,
    "t2v_steps": 2,
    "vlm_text": {
        "hidden_size": 4096,
        "intermediate_size": 11008,
        "num_hidden_layers": 4,
        "num_attention_heads": 32,
        "vocab_size": 32064,
    },
    "vlm_vision": {
        "hidden_size": 1024,
        "intermediate_size": 4096,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "image_size": 336,
        "patch_size": 14,
        "projection_dim": 768,
    },
    "vlm_tokens": 32,
    "clip": (12, 480, 854),
    "repeat": 5,
}
QUICK: dict[str, Any] = {
    "sam": "tiny",
    "sam_image": (240, 320),
    "prompts": 3,
    "sd_unet": {
        "block_out_channels": (32, 64),
        "layers_per_block": 1,
        "cross_attention_dim": 32,
        "attention_head_dim": 8,
        "sample_size": 32,
        "norm_num_groups": 32,
        "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D"),
        "up_block_types": ("CrossAttnUpBlock2D", "UpBlock2D"),
    },
    "sd_vae": {"block_out_channels": (32, 64), "layers_per_block": 1, "sample_size": 64, "blocks": 2},
    "sd_text": {"hidden_size": 32, "intermediate_size": 37, "num_hidden_layers": 2, "num_attention_heads": 4},
    "sd_size": 64,
    "sd_steps": 2,
    "t2v_unet": {
        "block_out_channels": (32, 64),
        "layers_per_block": 1,
        "cross_attention_dim": 32,
        "attention_head_dim": 8,
        "sample_size": 32,
        "norm_num_groups": 32,
        "down_block_types": ("CrossAttnDownBlock3D", "DownBlock3D"),
        "up_block_types": ("UpBlock3D", "CrossAttnUpBlock3D"),
    },
    "t2v_text": {"hidden_size": 32, "intermediate_size": 37, "num_hidden_layers": 2, "num_attention_heads": 4},
    "t2v_size": (64, 64),
    "t2v_frames": 4,
    "t2v_steps": 2,
    "vlm_text": {
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "vocab_size": 512,
    },
    "vlm_vision": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "image_size": 32,
        "patch_size": 8,
        "projection_dim": 32,
    },
    "vlm_tokens": 8,
    "clip": (4, 96, 128),
    "repeat": 1,
}


@dataclass
class Row:
    check: str
    dtype: str
    agent_s: float | None = None
    direct_s: float | None = None
    peak_gib: float | None = None
    ok: bool = True
    note: str = ""

    def line(self) -> str:
        ratio = f"{self.agent_s / self.direct_s:.3f}x" if self.agent_s and self.direct_s else "-"

        def fmt(v: float | None) -> str:
            return "-" if v is None else f"{v:.3f}"

        return (
            f"| {self.check} | {self.dtype} | {fmt(self.agent_s)} | {fmt(self.direct_s)} | {ratio} | "
            f"{'-' if self.peak_gib is None else f'{self.peak_gib:.2f}'} | {'ok' if self.ok else 'FAILED'} | {self.note} |"
        )


class Check:
    """Shared machinery: device, timing with synchronisation, peak memory, a fresh store."""

    def __init__(self, device: str, sizes: dict[str, Any], tmp: Path):
        import torch

        self.torch, self.device, self.s, self.tmp = torch, device, sizes, tmp
        self.cuda = device.startswith("cuda")
        self.rows: list[Row] = []
        self.stores = 0

    def sync(self) -> None:
        if self.cuda:
            self.torch.cuda.synchronize()

    def timed(self, fn: Callable[[], Any]) -> tuple[float, Any]:
        self.sync()
        t = time.perf_counter()
        out = fn()
        self.sync()
        return time.perf_counter() - t, out

    def reset_peak(self) -> None:
        if self.cuda:
            self.torch.cuda.reset_peak_memory_stats()

    def peak(self) -> float | None:
        return self.torch.cuda.max_memory_allocated() / 1024**3 if self.cuda else None

    def compare(self, agent: Callable[[int], Any], direct: Callable[[int], Any]) -> tuple[float, float, Any, Any]:
        """One warm-up each, then ``repeat`` rounds alternating who goes first; medians.
        Each callable takes the round number (so it can use a fresh input) and returns its output."""
        agent(-1), direct(-1)
        times: dict[str, list[float]] = {"agent": [], "direct": []}
        outs: dict[str, Any] = {}
        for r in range(self.s["repeat"]):
            for who in ("agent", "direct") if r % 2 == 0 else ("direct", "agent"):
                t, outs[who] = self.timed(lambda w=who, r=r: (agent if w == "agent" else direct)(r))
                times[who].append(t)
        return statistics.median(times["agent"]), statistics.median(times["direct"]), outs["agent"], outs["direct"]

    def store(self) -> Any:
        from vitron_agent.storage.store import ArtifactStore

        self.stores += 1
        return ArtifactStore(self.tmp / f"store{self.stores}", session="gpu")

    def build(self, fn: Callable[[], Any], dtype: Any) -> Any:
        """A model built by ``fn`` directly on the device (fixed seed), cast to ``dtype``."""
        self.torch.manual_seed(0)
        try:
            with self.torch.device(self.device):  # initialised on the GPU: seconds, not minutes, at 7B widths
                model = fn()
        except (RuntimeError, TypeError):  # a constructor that insists on CPU tensors
            self.torch.manual_seed(0)
            model = fn().to(self.device)
        return model.to(dtype=dtype).eval()

    def free(self) -> None:
        gc.collect()
        if self.cuda:
            self.torch.cuda.empty_cache()

    def run(self, name: str, dtype: str, fn: Callable[[], Row | list[Row]]) -> None:
        """Run one check; an exception becomes a FAILED row with its message (the run goes on)."""
        print(f"... {time.strftime('%H:%M:%S')} {name} {dtype}", file=sys.stderr, flush=True)
        try:
            out = fn()
            self.rows.extend(out if isinstance(out, list) else [out])
        except Exception as exc:
            traceback.print_exc()
            self.rows.append(Row(name, dtype, ok=False, note=f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"))
        finally:
            self.free()


def photo(h: int, w: int) -> np.ndarray:
    """scikit-image's astronaut, resized to HxW (a real photo, HxWx3 uint8 RGB)."""
    import cv2
    from skimage import data

    return np.ascontiguousarray(cv2.resize(data.astronaut(), (w, h), interpolation=cv2.INTER_AREA))


def finite(a: Any) -> bool:
    return bool(np.isfinite(np.asarray(a, dtype=np.float32)).all())


def _ctx(c: Check) -> Any:
    from vitron_agent.toolkit.tool import ToolContext

    return ToolContext(store=c.store(), step_id="s1")


def _sam_arch(name: str) -> dict[str, Any]:
    from vitron_agent.testing.tiny_checkpoints import TINY_SAM_ARCH
    from vitron_agent.tools.segment_sam import sam_arch

    return sam_arch("custom", TINY_SAM_ARCH) if name == "tiny" else sam_arch(name)


def _sam_tool(c: Check, dtype: str, name: str, cls: Any = None, **kw: Any) -> Any:
    """A SAM tool whose model is built in memory and placed in its pool under its own key."""
    from vitron_agent.loading.models import ModelPool
    from vitron_agent.tools.segment_sam import SamSegmentTool, build_sam

    cls = cls or SamSegmentTool
    arch = _sam_arch(name)
    tool = cls(
        f"in-memory:{name}", model_type="custom", arch=arch, device=c.device, dtype=dtype, pool=ModelPool(), **kw
    )
    tool.pool.get(tool.key, lambda: tool.wrap(c.build(lambda: build_sam(arch), c.torch.float32)))
    return tool


def check_sam(c: Check, dtype: str) -> list[Row]:
    """SAM: one image encoder pass then k point prompts; tool calls vs SamPredictor."""
    from vitron_agent.toolkit.tool import invoke

    tool, ctx = _sam_tool(c, dtype, c.s["sam"]), _ctx(c)
    predictor = tool.pool.get(tool.key, tool._load)
    base = photo(*c.s["sam_image"])
    h, w = base.shape[:2]
    rng = np.random.default_rng(0)
    points = [
        (float(x), float(y))
        for x, y in zip(
            rng.uniform(0.2, 0.8, c.s["prompts"]) * w, rng.uniform(0.2, 0.8, c.s["prompts"]) * h, strict=True
        )
    ]
    images = {}
    for r in range(-1, c.s["repeat"]):  # a new image each round: one encoder pass per round on both sides
        images[r] = base.copy()
        images[r][0, 0, 0] = (r + 2) % 256
    refs = {r: ctx.store.put_image(img) for r, img in images.items()}
    calls: list[float] = []

    def agent(r: int) -> list[Any]:
        outs = []
        for x, y in points:
            t, out = c.timed(lambda x=x, y=y: invoke(tool, {"image": refs[r], "point": {"x": x, "y": y}}, ctx))
            calls.append(t)
            outs.append(out)
        return outs

    predicts: list[float] = []

    def direct(r: int) -> list[Any]:
        outs = []
        with c.torch.inference_mode():
            predictor.set_image(images[r])
            for x, y in points:
                t, out = c.timed(
                    lambda x=x, y=y: predictor.predict(
                        point_coords=np.array([[x, y]]), point_labels=np.array([1]), multimask_output=False
                    )
                )
                predicts.append(t)
                outs.append(out)
        return outs

    c.reset_peak()
    a, d, outs, direct_outs = c.compare(agent, direct)
    masks = [ctx.store.get_mask(o.mask) for o in outs]
    ok = all(m.shape == (h, w) for m in masks) and all(np.isfinite(o.score) for o in outs)
    ok = ok and all(m.shape == (1, h, w) and finite(s) for m, s, _ in direct_outs)
    ious = [
        float((m & dm[0]).sum() / max(1, (m | dm[0]).sum())) for m, (dm, _, _) in zip(masks, direct_outs, strict=True)
    ]
    k = len(points)
    firsts, laters = calls[k::k], [t for i, t in enumerate(calls) if i >= k and i % k]
    first, later = statistics.median(firsts), statistics.median(laters) if laters else float("nan")
    predict = statistics.median(predicts)
    return [
        Row(
            f"SAM {c.s['sam']} {w}x{h}: encode + {k} point prompts",
            dtype,
            a,
            d,
            c.peak(),
            ok,
            f"mask IoU agent vs direct min {min(ious):.3f}; a later prompt: tool call {later * 1e3:.1f} ms, "
            f"predictor.predict {predict * 1e3:.1f} ms",
        ),
        Row(
            "SAM encode once: a later prompt vs the first",
            dtype,
            ok=ok,
            note=f"first tool call {first:.3f} s (image encoder), later ones {later:.3f} s: {first / later:.1f}x faster",
        ),
    ]


def check_persistence(c: Check, dtype: str) -> list[Row]:
    """What persisting a step's outputs costs: SAM encode + k point prompts through the tool with
    its masks written before each call returns, with the writes deferred to the store's writer
    (settled once at the end of the round, as the agent settles a step before checkpointing it
    while the next prompt runs), and the direct SamPredictor calls."""
    from vitron_agent.toolkit.tool import invoke

    tool, ctx = _sam_tool(c, dtype, c.s["sam"]), _ctx(c)
    predictor = tool.pool.get(tool.key, tool._load)
    base = photo(*c.s["sam_image"])
    h, w = base.shape[:2]
    rng = np.random.default_rng(1)
    k = c.s["prompts"]
    points = list(zip(rng.uniform(0.2, 0.8, k) * w, rng.uniform(0.2, 0.8, k) * h, strict=True))
    rounds = range(-1, c.s["repeat"])
    images = {(who, r): base.copy() for who in ("now", "deferred", "direct") for r in rounds}
    for i, img in enumerate(images.values()):  # a new image each round and side: one encoder pass each
        img[0, 0, 0], img[0, 0, 1] = i % 256, i // 256
    refs = {key: ctx.store.put_image(img) for key, img in images.items() if key[0] != "direct"}
    later: dict[str, list[float]] = {"now": [], "deferred": [], "direct": []}

    def through_tool(who: str, r: int) -> float:
        view = ctx.store.deferring() if who == "deferred" else ctx.store
        call = dataclasses.replace(ctx, store=view)
        t0 = time.perf_counter()
        for i, (x, y) in enumerate(points):
            t, _ = c.timed(lambda x=x, y=y: invoke(tool, {"image": refs[(who, r)], "point": {"x": x, "y": y}}, call))
            if i and r >= 0:
                later[who].append(t)
        if who == "deferred":
            view.settle()
        return time.perf_counter() - t0

    def direct(r: int) -> float:
        t0 = time.perf_counter()
        with c.torch.inference_mode():
            predictor.set_image(images[("direct", r)])
            for i, (x, y) in enumerate(points):
                t, _ = c.timed(
                    lambda x=x, y=y: predictor.predict(
                        point_coords=np.array([[x, y]]), point_labels=np.array([1]), multimask_output=False
                    )
                )
                if i and r >= 0:
                    later["direct"].append(t)
        return time.perf_counter() - t0

    totals: dict[str, list[float]] = {"now": [], "deferred": [], "direct": []}
    for r in rounds:
        order = ("now", "deferred", "direct") if r % 2 == 0 else ("direct", "deferred", "now")
        for who in order:
            c.sync()
            t = direct(r) if who == "direct" else through_tool(who, r)
            if r >= 0:
                totals[who].append(t)
    med = {who: statistics.median(v) for who, v in totals.items()}
    per = {who: statistics.median(v) * 1e3 if v else float("nan") for who, v in later.items()}
    title = f"persistence: SAM {c.s['sam']} {w}x{h} encode + {k} prompts"
    return [
        Row(
            f"{title}, masks written before each call returns",
            dtype,
            med["now"],
            med["direct"],
            note=f"a later prompt {per['now']:.1f} ms vs predict {per['direct']:.1f} ms",
        ),
        Row(
            f"{title}, writes deferred (settled at the end)",
            dtype,
            med["deferred"],
            med["direct"],
            note=f"a later prompt {per['deferred']:.1f} ms vs predict {per['direct']:.1f} ms",
        ),
    ]


def _clip_text(c: Check, key: str, tok: Any, dtype: Any) -> Any:
    from transformers import CLIPTextConfig, CLIPTextModel

    vocab = len(tok) if c.s is QUICK else 49408
    cfg = CLIPTextConfig(
        max_position_embeddings=77,
        vocab_size=vocab,
        projection_dim=c.s[key]["hidden_size"],
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
        **c.s[key],
    )
    return c.build(lambda: CLIPTextModel(cfg), dtype)


def _vae(c: Check, dtype: Any) -> Any:
    from diffusers import AutoencoderKL

    cfg = dict(c.s["sd_vae"])
    n = cfg.pop("blocks")
    return c.build(
        lambda: AutoencoderKL(
            in_channels=3,
            out_channels=3,
            down_block_types=["DownEncoderBlock2D"] * n,
            up_block_types=["UpDecoderBlock2D"] * n,
            latent_channels=4,
            **cfg,
        ),
        dtype,
    )


def _scheduler() -> Any:
    from vitron_agent.testing.tiny_diffusers import tiny_scheduler

    return tiny_scheduler()


def check_inpaint(c: Check, dtype: str) -> Row:
    """SD-1.5-shaped inpainting (UNet with 9 input channels, VAE, CLIP ViT-L text encoder)."""
    from diffusers import StableDiffusionInpaintPipeline, UNet2DConditionModel
    from PIL import Image

    from vitron_agent.loading.models import ModelPool
    from vitron_agent.testing.tiny_checkpoints import tiny_clip_tokenizer
    from vitron_agent.toolkit.tool import invoke
    from vitron_agent.tools.edit_diffusers import DiffusersEditTool

    tool = DiffusersEditTool(
        "in-memory:sd15-inpaint", steps=c.s["sd_steps"], device=c.device, dtype=dtype, pool=ModelPool()
    )
    td, tok = tool.torch_dtype, tiny_clip_tokenizer()
    pipe = StableDiffusionInpaintPipeline(
        vae=_vae(c, td),
        text_encoder=_clip_text(c, "sd_text", tok, td),
        tokenizer=tok,
        scheduler=_scheduler(),
        unet=c.build(lambda: UNet2DConditionModel(in_channels=9, out_channels=4, **c.s["sd_unet"]), td),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.set_progress_bar_config(disable=True)
    tool.pool.get(tool._key("inpaint"), lambda: pipe)
    size, steps, ctx = c.s["sd_size"], c.s["sd_steps"], _ctx(c)
    image = photo(size, size)
    yy, xx = np.mgrid[:size, :size]
    mask = (yy - size * 0.4) ** 2 + (xx - size * 0.5) ** 2 < (size * 0.2) ** 2
    iref, mref = ctx.store.put_image(image), ctx.store.put_mask(mask)
    args = {"image": iref, "mask": mref, "operation": "inpaint", "prompt": "a red ball", "seed": 0, "steps": steps}

    def agent(r: int) -> np.ndarray:
        return ctx.store.get_image(invoke(tool, args, ctx).image)

    def direct(r: int) -> np.ndarray:
        return pipe(
            prompt="a red ball",
            image=Image.fromarray(image),
            mask_image=Image.fromarray(mask.astype(np.uint8) * 255),
            height=size,
            width=size,
            strength=1.0,
            num_inference_steps=steps,
            guidance_scale=tool.guidance,
            generator=c.torch.Generator(device="cpu").manual_seed(0),
            output_type="np",
        ).images[0]

    c.reset_peak()
    a, d, out, raw = c.compare(agent, direct)
    ok = out.shape == image.shape and raw.shape == (size, size, 3) and finite(raw)
    ref = np.clip(np.asarray(raw, np.float32) * 255 + 0.5, 0, 255).astype(np.uint8)
    diff = int(np.abs(out[mask].astype(int) - ref[mask].astype(int)).max())
    kept = bool((out[~mask] == image[~mask]).all())
    return Row(
        f"SD-1.5 inpaint {size}x{size}, {steps} steps",
        dtype,
        a,
        d,
        c.peak(),
        ok and kept,
        f"inside the mask max |agent - direct| = {diff}; outside kept exactly: {kept}",
    )


def check_t2v(c: Check, dtype: str) -> Row:
    """ZeroScope-shaped text-to-video (UNet3D, OpenCLIP-H-wide text encoder) at its real frame size."""
    from diffusers import TextToVideoSDPipeline, UNet3DConditionModel

    from vitron_agent.loading.models import ModelPool
    from vitron_agent.testing.tiny_checkpoints import tiny_clip_tokenizer
    from vitron_agent.toolkit.tool import invoke
    from vitron_agent.tools.video_diffusers import DiffusersVideoGenerateTool

    (h, w), frames, steps = c.s["t2v_size"], c.s["t2v_frames"], c.s["t2v_steps"]
    tool = DiffusersVideoGenerateTool(
        "in-memory:zeroscope",
        steps=steps,
        frames=frames,
        width=w,
        height=h,
        device=c.device,
        dtype=dtype,
        pool=ModelPool(),
    )
    td, tok = tool.torch_dtype, tiny_clip_tokenizer()
    pipe = TextToVideoSDPipeline(
        vae=_vae(c, td),
        text_encoder=_clip_text(c, "t2v_text", tok, td),
        tokenizer=tok,
        unet=c.build(lambda: UNet3DConditionModel(in_channels=4, out_channels=4, **c.s["t2v_unet"]), td),
        scheduler=_scheduler(),
    )
    pipe.set_progress_bar_config(disable=True)
    tool.pool.get(tool.key, lambda: pipe)
    ctx = _ctx(c)

    def agent(r: int) -> Any:
        return invoke(tool, {"prompt": "a red ball bouncing", "seed": 0}, ctx).video

    def direct(r: int) -> np.ndarray:
        return pipe(
            prompt="a red ball bouncing",
            num_frames=frames,
            height=h,
            width=w,
            num_inference_steps=steps,
            guidance_scale=tool.guidance,
            generator=c.torch.Generator(device="cpu").manual_seed(0),
            output_type="np",
        ).frames[0]

    c.reset_peak()
    a, d, ref, raw = c.compare(agent, direct)
    raw = np.asarray(raw)
    ok = (ref.frames, ref.height, ref.width) == (frames, h, w) and raw.shape == (frames, h, w, 3) and finite(raw)
    u8 = np.clip(raw.astype(np.float32) * 255 + 0.5, 0, 255).astype(np.uint8)
    t_store, _ = c.timed(lambda: c.store().put_video(iter(u8), 8.0))
    return Row(
        f"ZeroScope-shaped t2v {w}x{h}x{frames}, {steps} steps",
        dtype,
        a,
        d,
        c.peak(),
        ok,
        f"of the agent's time, storing these frames as lossless H.264: {t_store:.2f} s "
        "(random weights give noise frames, the worst case for the encoder)",
    )


def check_vlm(c: Check, dtype: str) -> Row:
    """LLaVA-1.5-7B-shaped describe (real widths; fewer language layers)."""
    from PIL import Image
    from transformers import LlavaForConditionalGeneration

    from vitron_agent.loading.models import ModelPool
    from vitron_agent.testing.tiny_checkpoints import llava_parts, tiny_bpe_tokenizer
    from vitron_agent.toolkit.tool import invoke
    from vitron_agent.tools.describe_vlm import CAPTION, VlmDescribeTool, _Vlm

    n = c.s["vlm_tokens"]
    tool = VlmDescribeTool("in-memory:llava", max_new_tokens=n, device=c.device, dtype=dtype, pool=ModelPool())
    t = c.s["vlm_text"]
    cfg, processor = llava_parts(tiny_bpe_tokenizer(), {**t, "max_position_embeddings": 4096}, c.s["vlm_vision"])
    model = c.build(lambda: LlavaForConditionalGeneration(cfg), tool.torch_dtype)
    tool.pool.get(tool.key, lambda: _Vlm(model, processor=processor))
    ctx = _ctx(c)
    image = photo(480, 640)
    iref = ctx.store.put_image(image)

    def agent(r: int) -> str:
        return invoke(tool, {"image": iref}, ctx).text

    def direct(r: int) -> tuple[str, int]:
        inputs = processor(
            images=Image.fromarray(image), text=f"USER: <image>\n{CAPTION} ASSISTANT:", return_tensors="pt"
        ).to(model.device)
        inputs["pixel_values"] = inputs["pixel_values"].to(model.dtype)
        with c.torch.inference_mode():
            out = model.generate(**inputs, max_new_tokens=n, do_sample=False)
        new = out[0, inputs["input_ids"].shape[1] :]
        return processor.decode(new, skip_special_tokens=True).strip(), int(new.numel())

    c.reset_peak()
    a, d, said, (direct_said, tokens) = c.compare(agent, direct)
    with c.torch.inference_mode():  # logits finite on the image prompt
        inputs = processor(
            images=Image.fromarray(image), text=f"USER: <image>\n{CAPTION} ASSISTANT:", return_tensors="pt"
        ).to(model.device)
        logits = model(**{**inputs, "pixel_values": inputs["pixel_values"].to(model.dtype)}).logits
    ok = bool(c.torch.isfinite(logits).all()) and said == (direct_said or "(the model returned no text)")
    return Row(
        f"LLaVA-1.5-7B-shaped describe ({t['num_hidden_layers']} LM layers), {tokens} new tokens",
        dtype,
        a,
        d,
        c.peak(),
        ok,
        f"same text as direct: {said == (direct_said or '(the model returned no text)')}",
    )


def check_frame_cache(c: Check, dtype: str) -> Row:
    """Two SAM tracks on one clip: the second reuses every frame's stored embedding."""
    from vitron_agent.toolkit.tool import invoke
    from vitron_agent.tools.track_sam import SamTrackTool

    tool, ctx = _sam_tool(c, dtype, c.s["sam"], SamTrackTool), _ctx(c)
    t, h, w = c.s["clip"]
    big = photo(h + 4 * t, w + 4 * t)
    clip = np.stack([big[2 * i : 2 * i + h, 4 * i : 4 * i + w] for i in range(t)])  # a slow pan over a real photo
    vref = ctx.store.put_video(iter(clip), 8.0)
    first, out1 = c.timed(lambda: invoke(tool, {"video": vref, "point": {"x": w * 0.45, "y": h * 0.4}}, ctx))
    second, out2 = c.timed(lambda: invoke(tool, {"video": vref, "point": {"x": w * 0.6, "y": h * 0.7}}, ctx))
    ok = f"{t} frames encoded" in out1.method and f"{t} embeddings reused" in out2.method
    return Row(
        f"SAM track {w}x{h}x{t}: a second track on the same clip",
        dtype,
        peak_gib=c.peak(),
        ok=ok,
        note=f"first track {first:.3f} s, second {second:.3f} s: {first / second:.1f}x faster "
        f"({out2.method.split('(')[-1].rstrip(')')})",
    )


def check_pool(c: Check) -> list[Row]:
    """The ModelPool on the device: LRU offload under a budget and back; a real out-of-memory."""
    from vitron_agent.core.errors import ToolFailed
    from vitron_agent.loading.models import ModelPool, model_bytes
    from vitron_agent.toolkit.tool import invoke
    from vitron_agent.tools.segment_sam import SamSegmentTool, build_sam

    torch = c.torch
    name = "tiny" if c.s is QUICK else "vit_b"
    arch = _sam_arch(name)
    ckpts, nbytes = [], 0
    for i in range(2):
        torch.manual_seed(i)
        ckpts.append(c.tmp / f"sam{i}.pth")
        sam = build_sam(arch)
        nbytes = sum(p.numel() * 4 for p in sam.parameters())
        torch.save(sam.state_dict(), ckpts[-1])
        del sam
    pool = ModelPool(budget_bytes=int(nbytes * 1.5))
    tools = [
        SamSegmentTool(str(p), model_type="custom", arch=arch, device=c.device, dtype="float32", pool=pool)
        for p in ckpts
    ]
    ctx = _ctx(c)
    iref = ctx.store.put_image(photo(*c.s["sam_image"]))
    args = {"image": iref, "point": {"x": 60.0, "y": 50.0}}
    mem = (lambda: torch.cuda.memory_allocated() / 1024**3) if c.cuda else (lambda: 0.0)
    t_load0, first = c.timed(lambda: invoke(tools[0], args, ctx))
    one, mb = mem(), model_bytes(pool.get(tools[0].key, tools[0]._load)) / 1e6
    t_load1, _ = c.timed(lambda: invoke(tools[1], args, ctx))
    offloaded = pool.resident(c.device) == [tools[1].key] and mem() <= one * 1.2
    t_back, again = c.timed(lambda: invoke(tools[0], args, ctx))
    same = bool((ctx.store.get_mask(first.mask) == ctx.store.get_mask(again.mask)).all())
    back = pool.resident(c.device) == [tools[0].key]
    rows = [
        Row(
            f"pool: 2 x SAM {name} ({mb:.0f} MB) under a 1.5-model budget",
            "float32",
            peak_gib=c.peak(),
            ok=offloaded and back and same,
            note=f"load + first call {t_load0:.2f} s; loading the 2nd offloads the 1st to CPU ({offloaded}, "
            f"{t_load1:.2f} s); a call on the 1st brings it back ({back}, {t_back:.2f} s) with the same mask ({same})",
        )
    ]
    if not c.cuda:
        return rows + [Row("pool: real out-of-memory", "float32", note="skipped: CUDA only")]
    filler = []
    for block in (1 << 30, 1 << 26, 1 << 22):  # allocate until a real CUDA out-of-memory
        while True:
            try:
                filler.append(torch.empty(block, dtype=torch.uint8, device=c.device))
            except torch.OutOfMemoryError:
                break
    fresh = ctx.store.put_image(photo(*c.s["sam_image"])[::-1].copy())  # a new image: the encoder must run
    try:
        invoke(tools[1], {"image": fresh, "point": {"x": 60.0, "y": 50.0}}, ctx)
        message, failed = "the call succeeded after the pool offloaded the other model", False
    except ToolFailed as exc:
        message, failed = str(exc), True
    told = failed and "out of memory" in message and "tried to allocate" in message
    filled = len(filler)
    del filler
    c.free()
    ok_after = invoke(tools[1], {"image": fresh, "point": {"x": 60.0, "y": 50.0}}, ctx).mask is not None
    rows.append(
        Row(
            "pool: real CUDA out-of-memory (device filled)",
            "float32",
            ok=told and ok_after,
            note=f"{filled} filler blocks; ToolFailed: {message[:150]!r}; after freeing, the same call works: {ok_after}",
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cuda", help="cuda, cuda:N or cpu")
    ap.add_argument("--quick", action="store_true", help="tiny shapes (seconds on a CPU)")
    ap.add_argument("--dtypes", default="float32,float16,bfloat16")
    ap.add_argument("--only", default="", help="comma-separated subset: sam,persistence,inpaint,t2v,vlm,pool,frames")
    ap.add_argument(
        "--sam", default=None, help="SAM size for the sam/persistence rows (default: vit_h; tiny with --quick)"
    )
    ap.add_argument("--repeat", type=int, default=None, help="timed rounds per check (default 5; 1 with --quick)")
    ap.add_argument(
        "--out", default=None, help="results markdown (default benchmarks/GPU_RESULTS.md on CUDA, none on CPU)"
    )
    a = ap.parse_args(argv)
    import torch

    from vitron_agent.loading.models import quiet_hf, resolve_device

    quiet_hf()
    device = resolve_device(a.device)
    sizes = dict(QUICK if a.quick else REAL)
    if a.sam:
        sizes["sam"] = a.sam
    if a.repeat:
        sizes["repeat"] = a.repeat
    dtypes = [d.strip() for d in a.dtypes.split(",") if d.strip()]
    only = {x.strip() for x in a.only.split(",") if x.strip()}
    out = Path(a.out) if a.out else (ROOT / "GPU_RESULTS.md" if device.startswith("cuda") and not a.quick else None)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        c = Check(device, sizes, Path(tmp))
        for dtype in dtypes:
            checks = (
                ("sam", check_sam),
                ("persistence", check_persistence),
                ("inpaint", check_inpaint),
                ("t2v", check_t2v),
                ("vlm", check_vlm),
            )
            for name, fn in checks:
                if not only or name in only:
                    c.run(name, dtype, lambda f=fn, d=dtype: f(c, d))
        half = "float16" if device.startswith("cuda") else "float32"
        if not only or "frames" in only:
            c.run("frame cache", half, lambda: check_frame_cache(c, half))
        if not only or "pool" in only:
            c.run("pool", "float32", lambda: check_pool(c))
    name = torch.cuda.get_device_name(device) if device.startswith("cuda") else platform.processor() or "CPU"
    head = [
        f"device: {name} ({device}); torch {torch.__version__}; "
        f"{'quick (tiny shapes)' if a.quick else 'real shapes'}; {time.perf_counter() - start:.0f} s in all; "
        f"{datetime.date.today().isoformat()}",
        "",
        "| check | dtype | agent s | direct s | agent / direct | peak GiB | outputs | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines = head + [r.line() for r in c.rows]
    print("\n".join(lines))
    if out is not None:
        out.write_text(
            "# GPU check results\n\n`python benchmarks/gpu_check.py --device cuda` "
            "(see the script's docstring for what each row measures).\n\n" + "\n".join(lines) + "\n"
        )
    return 0 if all(r.ok for r in c.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
