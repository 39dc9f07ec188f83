"""Tiny random diffusers pipelines in the real folder layout (StableDiffusion text-to-image,
inpainting and InstructPix2Pix at 64x64; a UNet3D text-to-video and an I2VGenXL image-to-video
pipeline), part of :func:`vitron_agent.testing.tiny_checkpoints.make_tiny_checkpoints`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["sd_parts", "diffusers_pipelines", "video_pipelines", "tiny_clip_tokenizer", "tiny_scheduler"]


def tiny_clip_tokenizer(max_length: int = 77) -> Any:
    """A CLIPTokenizer built offline: byte-level alphabet, no merges."""
    from tokenizers import pre_tokenizers
    from transformers import CLIPTokenizer

    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab: dict[str, int] = {}
    for ch in alphabet:
        vocab[ch] = len(vocab)
    for ch in alphabet:
        vocab[ch + "</w>"] = len(vocab)
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=max_length)


def tiny_scheduler() -> Any:
    """The DDIM scheduler of Stable Diffusion v1's settings (what the tiny pipelines and the GPU
    check's real-shape pipelines run with)."""
    from diffusers import DDIMScheduler

    return DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )


def sd_parts(in_channels: int) -> dict[str, Any]:
    import torch
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    torch.manual_seed(0)
    tok = tiny_clip_tokenizer()
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=32,
        in_channels=in_channels,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        attention_head_dim=8,
        norm_num_groups=32,
    )
    vae = AutoencoderKL(
        block_out_channels=[32, 64],
        in_channels=3,
        out_channels=3,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
        up_block_types=["UpDecoderBlock2D", "UpDecoderBlock2D"],
        latent_channels=4,
        layers_per_block=1,
        norm_num_groups=32,
        sample_size=64,
    )
    text = CLIPTextModel(
        CLIPTextConfig(
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            max_position_embeddings=77,
            projection_dim=32,
            vocab_size=len(tok),
            bos_token_id=tok.bos_token_id,
            eos_token_id=tok.eos_token_id,
            pad_token_id=tok.pad_token_id,
        )
    )
    return {
        "unet": unet,
        "vae": vae,
        "text_encoder": text,
        "tokenizer": tok,
        "scheduler": tiny_scheduler(),
        "safety_checker": None,
        "feature_extractor": None,
        "requires_safety_checker": False,
    }


def diffusers_pipelines(folder: Path) -> dict[str, Path]:
    names = ("sd-txt2img", "sd-inpaint", "sd-ip2p")
    if all((folder / n / "model_index.json").exists() for n in names):
        return {n: folder / n for n in names}
    from diffusers import (
        StableDiffusionInpaintPipeline,
        StableDiffusionInstructPix2PixPipeline,
        StableDiffusionPipeline,
    )

    out = {}
    for name, cls, channels in (
        ("sd-txt2img", StableDiffusionPipeline, 4),
        ("sd-inpaint", StableDiffusionInpaintPipeline, 9),
        ("sd-ip2p", StableDiffusionInstructPix2PixPipeline, 8),
    ):
        cls(**sd_parts(channels)).save_pretrained(folder / name)
        out[name] = folder / name
    return out


def video_pipelines(folder: Path) -> dict[str, Path]:
    if all((folder / n / "model_index.json").exists() for n in ("t2v", "i2v")):
        return {"t2v": folder / "t2v", "i2v": folder / "i2v"}
    import torch
    from diffusers import (
        I2VGenXLPipeline,
        I2VGenXLUNet,
        TextToVideoSDPipeline,
        UNet3DConditionModel,
    )
    from transformers import CLIPImageProcessor, CLIPVisionConfig, CLIPVisionModelWithProjection

    parts = sd_parts(4)
    torch.manual_seed(0)
    blocks = {
        "block_out_channels": (32, 64),
        "layers_per_block": 1,
        "sample_size": 32,
        "in_channels": 4,
        "out_channels": 4,
        "down_block_types": ("CrossAttnDownBlock3D", "DownBlock3D"),
        "up_block_types": ("UpBlock3D", "CrossAttnUpBlock3D"),
        "cross_attention_dim": 32,
        "attention_head_dim": 8,
        "norm_num_groups": 32,
    }
    TextToVideoSDPipeline(
        vae=parts["vae"],
        text_encoder=parts["text_encoder"],
        tokenizer=parts["tokenizer"],
        unet=UNet3DConditionModel(**blocks),
        scheduler=parts["scheduler"],
    ).save_pretrained(folder / "t2v")
    torch.manual_seed(0)
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=32,
            projection_dim=32,
            num_hidden_layers=2,
            num_attention_heads=4,
            image_size=32,
            intermediate_size=37,
            patch_size=4,
        )
    )
    I2VGenXLPipeline(
        vae=parts["vae"],
        text_encoder=parts["text_encoder"],
        tokenizer=parts["tokenizer"],
        image_encoder=encoder,
        feature_extractor=CLIPImageProcessor(crop_size=32, size=32),
        unet=I2VGenXLUNet(**blocks, num_attention_heads=None),
        scheduler=parts["scheduler"],
    ).save_pretrained(folder / "i2v")
    return {"t2v": folder / "t2v", "i2v": folder / "i2v"}
