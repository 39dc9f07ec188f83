"""Tiny random-weight checkpoints in the real on-disk formats, for offline tests and demos.

``make_tiny_checkpoints(folder)`` writes:

* ``sam_tiny.pth`` -- a segment-anything state dict (custom arch, 256-pixel input);
* ``sd-txt2img/``, ``sd-inpaint/``, ``sd-ip2p/`` -- diffusers pipeline folders
  (StableDiffusion, StableDiffusionInpaint, StableDiffusionInstructPix2Pix; 64x64);
* ``llava/`` -- a LLaVA-style transformers folder with an offline-built tokenizer and processor;
* ``owlv2/`` -- an OWLv2 open-vocabulary detector folder;
* ``planner-llm/`` -- a tiny Llama with ``[SEG]``/``[GEN]`` tokens for ``--planner vitron``;
* ``vitron-release/`` + ``vitron-release.toml`` -- a tiny Vitron release in the published layout
  (see :mod:`vitron_agent.testing.tiny_release`);
* ``t2v/`` -- a text-to-video pipeline (UNet3D, ``TextToVideoSDPipeline``; also loads as
  ``VideoToVideoSDPipeline``) and ``i2v/`` -- an image-to-video pipeline (``I2VGenXLPipeline``);
* ``vitron.toml`` -- a config that points every tool at them.

They load through exactly the code real checkpoints use; their outputs are noise.
Settings follow shared/NOTES-tiny-models.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vitron_agent.testing.tiny_diffusers import diffusers_pipelines, tiny_clip_tokenizer, video_pipelines

__all__ = ["make_tiny_checkpoints", "TINY_SAM_ARCH", "tiny_clip_tokenizer", "tiny_bpe_tokenizer"]

TINY_SAM_ARCH: dict[str, Any] = {
    "img_size": 256,
    "patch_size": 16,
    "encoder_embed_dim": 64,
    "encoder_depth": 2,
    "encoder_num_heads": 2,
    "encoder_global_attn_indexes": [1],
    "prompt_embed_dim": 32,
    "window_size": 8,
    "mlp_ratio": 2.0,
    "mask_in_chans": 8,
    "decoder_depth": 2,
    "decoder_mlp_dim": 64,
    "decoder_num_heads": 2,
    "iou_head_depth": 2,
    "iou_head_hidden_dim": 32,
}

_SENTENCES = [
    "a photo of a cat",
    "a dog on the grass",
    "describe the image",
    "what color is the car",
    "the red ball",
    "a golden retriever",
    "a lighthouse at sunset",
    "make it look like winter",
    "the image shows a purple cat",
    "there is a blue sky and green trees",
    "segment the person on the left",
    "USER: ASSISTANT:",
]


def tiny_bpe_tokenizer() -> Any:
    """A byte-level BPE fast tokenizer trained offline on a few sentences, with <image> and [SEG]."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=512,
        special_tokens=["<unk>", "<s>", "</s>", "<pad>", "[SEG]", "[GEN]", "<image>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(_SENTENCES * 20, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        additional_special_tokens=["[SEG]", "[GEN]", "<image>"],
    )


def llava_parts(tok: Any, text: dict[str, Any], vision: dict[str, Any]) -> tuple[Any, Any]:
    """``(LlavaConfig, LlavaProcessor)`` for a LLaVA-1.5-style model with ``tok`` (which has an
    ``<image>`` token), Llama ``text`` and CLIP ``vision`` settings (``image_size``, ``patch_size`` ...)."""
    from transformers import (
        CLIPImageProcessor,
        CLIPVisionConfig,
        LlamaConfig,
        LlavaConfig,
        LlavaProcessor,
    )

    text_cfg = LlamaConfig(
        **{
            "num_key_value_heads": text.get("num_attention_heads"),
            "vocab_size": len(tok),
            "max_position_embeddings": 512,
            **text,
        },
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
    )
    cfg = LlavaConfig(
        vision_config=CLIPVisionConfig(**vision),
        text_config=text_cfg,
        vision_feature_layer=-2,
        image_token_id=tok.convert_tokens_to_ids("<image>"),
        vision_feature_select_strategy="default",
    )
    size = vision["image_size"]
    processor = LlavaProcessor(
        image_processor=CLIPImageProcessor(size={"shortest_edge": size}, crop_size={"height": size, "width": size}),
        tokenizer=tok,
        patch_size=vision["patch_size"],
        vision_feature_select_strategy="default",
        image_token="<image>",
        num_additional_image_tokens=1,
    )
    return cfg, processor


def _llava(folder: Path) -> Path:
    if (folder / "llava" / "config.json").exists():
        return folder / "llava"
    import torch
    from transformers import LlavaForConditionalGeneration

    torch.manual_seed(0)
    cfg, processor = llava_parts(
        tiny_bpe_tokenizer(),
        {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4},
        {
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": 32,
            "patch_size": 8,
            "projection_dim": 32,
        },
    )
    model = LlavaForConditionalGeneration(cfg).eval()
    path = folder / "llava"
    model.save_pretrained(path)
    processor.save_pretrained(path)
    return path


def _planner_llm(folder: Path) -> Path:
    """A tiny Llama causal LM with [SEG]/[GEN] tokens (heads are left random: no heads.safetensors)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    tok = tiny_bpe_tokenizer()
    model = LlamaForCausalLM(
        LlamaConfig(
            hidden_size=64,
            intermediate_size=128,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=4,
            vocab_size=len(tok),
            bos_token_id=tok.bos_token_id,
            eos_token_id=tok.eos_token_id,
            pad_token_id=tok.pad_token_id,
            max_position_embeddings=2048,
        )
    ).eval()
    path = folder / "planner-llm"
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return path


def _owlv2(folder: Path) -> Path:
    import torch
    from transformers import (
        Owlv2Config,
        Owlv2ForObjectDetection,
        Owlv2ImageProcessor,
        Owlv2Processor,
    )

    torch.manual_seed(0)
    tok = tiny_clip_tokenizer(max_length=16)
    cfg = Owlv2Config(
        text_config={
            "hidden_size": 32,
            "intermediate_size": 37,
            "num_attention_heads": 4,
            "num_hidden_layers": 2,
            "vocab_size": len(tok),
            "max_position_embeddings": 16,
            "bos_token_id": tok.bos_token_id,
            "eos_token_id": tok.eos_token_id,
            "pad_token_id": tok.pad_token_id,
        },
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 37,
            "num_attention_heads": 4,
            "num_hidden_layers": 2,
            "image_size": 64,
            "patch_size": 16,
        },
        projection_dim=32,
    )
    path = folder / "owlv2"
    Owlv2ForObjectDetection(cfg).eval().save_pretrained(path)
    Owlv2Processor(
        image_processor=Owlv2ImageProcessor(size={"height": 64, "width": 64}), tokenizer=tok
    ).save_pretrained(path)
    return path


# [tools.<name>] tables that load the tiny checkpoints (the registry's ``tiny`` builders)
def sam_table(root: Path) -> dict[str, Any]:
    """A tiny random SAM checkpoint (``sam_tiny.pth``, 256-pixel input) and the table that loads it."""
    import torch

    from vitron_agent.tools.segment_sam import build_sam, sam_arch

    path = root / "sam_tiny.pth"
    if not path.exists():
        torch.manual_seed(0)
        torch.save(build_sam(sam_arch("custom", TINY_SAM_ARCH)).state_dict(), path)
    return {"checkpoint": str(path), "model_type": "custom", "arch": dict(TINY_SAM_ARCH), "device": "cpu"}


def generate_table(root: Path) -> dict[str, Any]:
    return {
        "checkpoint": str(diffusers_pipelines(root)["sd-txt2img"]),
        "steps": 2,
        "height": 64,
        "width": 64,
        "device": "cpu",
    }


def edit_table(root: Path) -> dict[str, Any]:
    sd = diffusers_pipelines(root)
    return {
        "checkpoint": str(sd["sd-inpaint"]),
        "instruct_checkpoint": str(sd["sd-ip2p"]),
        "steps": 2,
        "max_side": 128,
        "device": "cpu",
    }


def vlm_table(root: Path) -> dict[str, Any]:
    return {"checkpoint": str(_llava(root)), "max_new_tokens": 12, "device": "cpu"}


def t2v_table(root: Path) -> dict[str, Any]:
    return {
        "checkpoint": str(video_pipelines(root)["t2v"]),
        "steps": 2,
        "frames": 4,
        "fps": 4,
        "height": 64,
        "width": 64,
        "device": "cpu",
    }


def i2v_table(root: Path) -> dict[str, Any]:
    return {**t2v_table(root), "checkpoint": str(video_pipelines(root)["i2v"])}


def edit_video_table(root: Path) -> dict[str, Any]:
    return {
        "checkpoint": str(diffusers_pipelines(root)["sd-inpaint"]),
        "video_checkpoint": str(video_pipelines(root)["t2v"]),
        "steps": 2,
        "max_side": 64,
        "chunk": 4,
        "device": "cpu",
    }


def owlv2_table(root: Path) -> dict[str, Any]:
    path = root / "owlv2"
    return {
        "checkpoint": str(path if (path / "config.json").exists() else _owlv2(root)),
        "threshold": 0.0,
        "device": "cpu",
    }


def toml_value(value: Any) -> str:
    """A TOML value: strings, numbers, booleans, lists and inline tables."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value))


GROUPS = ("sam", "diffusers", "llava", "owlv2", "planner", "video")


def make_tiny_checkpoints(folder: str | Path, which: tuple[str, ...] = GROUPS) -> Path:
    """Write a tiny checkpoint for every registered model backend (of the ``which`` groups) and a
    ``vitron.toml`` pointing at them into ``folder``; returns the toml path."""
    from vitron_agent.loading.models import quiet_hf
    from vitron_agent.toolkit.registry import backends, default_backends

    quiet_hf()
    root = Path(folder).resolve()
    root.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Tiny random-weight checkpoints made by `vitron-agent make-tiny-checkpoints`: outputs are noise,",
        "# but every backend loads and runs through its real code path.",
        "",
    ]
    order = list(default_backends())
    for b in sorted(backends().values(), key=lambda b: order.index(b.tool) if b.tool in order else len(order)):
        if b.tiny is None or b.group not in which:
            continue
        table = b.tiny_builder()(root)
        lines += [
            f"[tools.{b.tool}]",
            f"backend = {toml_value(b.backend)}",
            *(f"{k} = {toml_value(v)}" for k, v in table.items()),
            "",
        ]
    if "planner" in which:
        lines += [
            "[planner]",
            'kind = "rule"            # --planner vitron uses the tiny LLM below',
            f'checkpoint = "{_planner_llm(root)}"',
            'mode = "tags"',
            "max_new_tokens = 48",
            'device = "cpu"',
            "",
        ]
    toml = root / "vitron.toml"
    toml.write_text("\n".join(lines))
    if "planner" in which:
        from vitron_agent.testing.tiny_release import make_tiny_release

        rel = make_tiny_release(root)
        tools = lines[: lines.index("[planner]")]
        tools[0] = (
            "# The tiny tools of vitron.toml, planned by a tiny Vitron release (its LoRA trained on a few requests)."
        )
        (root / "vitron-release.toml").write_text(
            "\n".join(
                tools
                + [
                    "[planner]",
                    'kind = "vitron"',
                    f'checkpoint = "{rel["base"]}"',
                    f'lora = "{rel["lora"]}"',
                    f'image_tower = "{rel["image_tower"]}"',
                    f'video_tower = "{rel["video_tower"]}"',
                    "max_new_tokens = 120",
                    'device = "cpu"',
                    "",
                ]
            )
        )
    return toml
