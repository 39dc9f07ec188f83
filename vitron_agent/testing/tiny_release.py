"""A tiny Vitron release, in the layout of the real one (SkyworkAI/Vitron ``checkpoints/README.md``)::

    vitron-release/
      Vitron-base/   config.json  generation_config.json  pytorch_model-00001-of-00002.bin
                     pytorch_model-00002-of-00002.bin  pytorch_model.bin.index.json
                     special_tokens_map.json  tokenizer_config.json  tokenizer.model  README.md
      Vitron-lora/   adapter_config.json  adapter_model.bin  non_lora_trainables.bin  config.json
                     trainer_state.json
      LanguageBind/LanguageBind_Image/        config.json  pytorch_model.bin
      LanguageBind/LanguageBind_Video_merge/  config.json  pytorch_model.bin

Same file names, config keys and state-dict key names as Vitron's code reads and writes; the
sizes are tiny (Llama 2 x 64, ViTs 2 x 32 with 56-px patches on 224-px inputs, 4 frames).

The base is random (like a LLaVA base before Vitron's instruction tuning). The LoRA and the
non-LoRA trainables (projector, region extractor) are *trained* here, for a few hundred steps,
on a handful of Vitron-format conversations built with Vitron's own template and tokenisation
(:data:`CONVERSATIONS`), so the merged model answers those requests in Vitron's format -- and
only the merged model does: the base alone, or a wrong merge, answers noise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["CONVERSATIONS", "TinyReleaseError", "make_tiny_release", "verify_release"]

# (user text, media: "image" | "image+box" | "video" | "", Vitron's answer)
CONVERSATIONS = [
    (
        "segment the cat",
        "image",
        "Sure! I will outline the cat in the image. <module>B</module> <instruction>segmentation: cat</instruction>",
    ),
    (
        "replace the marked object with a teapot",
        "image+box",
        "Sure thing! I'm going to replace the object in the designated area with a teapot. "
        "<module>B</module> <instruction>segmentation: object</instruction> "
        "<module>C</module> <instruction>generation: a teapot</instruction>",
    ),
    (
        "track the ball and make it look like an orange",
        "video",
        "Absolutely! I will track the ball throughout the video and then edit it. "
        "<module>E</module> <instruction>segmentation: ball</instruction> "
        "<module>F</module> <instruction> foreground: an orange </instruction> <instruction> background: keep </instruction>"
        " <SP>None</SP>",
    ),
    (
        "draw a red ball on the grass",
        "",
        "Here is a red ball on the grass. <module>A</module> <instruction>generation: a red ball on the grass</instruction>",
    ),
    ("what is in the picture?", "image", "A cat is sitting on a sofa."),
]
_CORPUS_EXTRA = (
    "the a an of in on and with is are to it I will Sure image video picture object region "
    "segment track edit generate describe replace remove color purple red blue green white black "
    "foreground background keep None module instruction generation segmentation 0 1 2 3 4 5 6 7 8 9"
)
TEXT = {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4}
VISION = {
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "image_size": 224,
    "patch_size": 56,
    "num_channels": 3,
    "hidden_act": "gelu",
    "layer_norm_eps": 1e-5,
    "projection_dim": 16,
    "lora_r": 0,
    "lora_alpha": 16,
    "lora_dropout": 0.0,
    "force_patch_dropout": 0.0,
    "video_decode_backend": "decord",
    "model_type": "clip_vision_model",
}
FRAMES = 4


def _tokenizer(folder: Path) -> Any:
    import sentencepiece as spm

    from vitron_agent.vitron.release import SYSTEM

    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.txt"
    lines = [SYSTEM, _CORPUS_EXTRA] + [f"USER: {u} ASSISTANT: {a}" for u, _, a in CONVERSATIONS]
    corpus.write_text("\n".join(lines * 8))
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(folder / "tokenizer"),
        vocab_size=480,
        model_type="bpe",
        character_coverage=1.0,
        byte_fallback=True,
        split_digits=True,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    corpus.unlink()
    (folder / "tokenizer.vocab").unlink()
    (folder / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "LlamaTokenizer",
                "bos_token": "<s>",
                "eos_token": "</s>",
                "unk_token": "<unk>",
                "pad_token": None,
                "add_bos_token": True,
                "add_eos_token": False,
                "legacy": False,
                "model_max_length": 2048,
                "padding_side": "right",
                "clean_up_tokenization_spaces": False,
            },
            indent=2,
        )
    )
    (folder / "special_tokens_map.json").write_text(
        json.dumps({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<unk>"}, indent=2)
    )
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(folder), use_fast=False)


def _llava_config(vocab: int) -> dict[str, Any]:
    """Vitron-base/config.json (LLaVA-Llama keys as Vitron's train.py writes them)."""
    return {
        "_name_or_path": "./checkpoints/vicuna-7b-v1.5",
        "architectures": ["LlavaLlamaForCausalLM"],
        "model_type": "llava",
        "attention_bias": False,
        "bos_token_id": 1,
        "eos_token_id": 2,
        "pad_token_id": 0,
        "hidden_act": "silu",
        "initializer_range": 0.02,
        "max_position_embeddings": 2048,
        "rms_norm_eps": 1e-5,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "pretraining_tp": 1,
        "tie_word_embeddings": False,
        "torch_dtype": "float16",
        "use_cache": True,
        "vocab_size": vocab,
        **TEXT,
        "num_key_value_heads": TEXT["num_attention_heads"],
        "image_aspect_ratio": "pad",
        "freeze_mm_mlp_adapter": False,
        "tune_mm_mlp_adapter": False,
        "mm_hidden_size": VISION["hidden_size"],
        "mm_projector_type": "mlp2x_gelu",
        "mm_use_im_patch_token": False,
        "mm_use_im_start_end": False,
        "mm_vision_select_feature": "patch",
        "mm_vision_select_layer": -2,
        "mm_image_tower": "./checkpoints/LanguageBind/LanguageBind_Image",
        "mm_video_tower": "./checkpoints/LanguageBind/LanguageBind_Video_merge",
        "tokenizer_model_max_length": 2048,
        "tokenizer_padding_side": "right",
        "use_mm_proj": True,
        "transformers_version": "4.31.0",
    }


def _tower(folder: Path, kind: str, module: Any) -> None:
    """LanguageBind_{Image,Video_merge}: config.json + pytorch_model.bin (``vision_model.*`` plus
    the text side's projection and logit scale, which Vitron does not use)."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    vision = {**VISION, "add_time_attn": kind == "video", "num_frames": FRAMES if kind == "video" else 1}
    (folder / "config.json").write_text(
        json.dumps(
            {
                "architectures": [f"LanguageBind{kind.capitalize()}"],
                "model_type": f"LanguageBind{kind.capitalize()}",
                "projection_dim": 16,
                "logit_scale_init_value": 2.6592,
                "text_config": {"hidden_size": 32, "vocab_size": 64},
                "vision_config": vision,
                "transformers_version": "4.31.0",
            },
            indent=2,
        )
    )
    state = {f"vision_model.{k}": v.clone().half() for k, v in module.state_dict().items()}
    state["visual_projection.weight"] = torch.zeros(16, VISION["hidden_size"]).half()
    state["text_projection.weight"] = torch.zeros(16, 32).half()
    state["logit_scale"] = torch.tensor(2.6592)
    torch.save(state, folder / "pytorch_model.bin")


def _samples(tok: Any, rng: Any) -> list[tuple[list[int], dict[str, Any], Any, int]]:
    """(token ids with -200/-300, pixels, region in the 224 frame, answer start) per conversation,
    with fresh random pictures (sizes too) each call, so the answers do not hang on one picture."""
    from vitron_agent.vitron.inputs import (
        ROLES,
        llava_v1_prompt,
        preprocess_image,
        preprocess_video,
        region_to_224,
        tokenize_with_media,
        user_message,
    )

    out = []
    for text, media, answer in CONVERSATIONS:
        h, w = (int(v) for v in rng.integers(48, 160, 2))
        image = rng.integers(0, 255, (h, w, 3), dtype="uint8")
        frames = [rng.integers(0, 255, (h, w, 3), dtype="uint8") for _ in range(int(rng.integers(FRAMES, 12)))]
        msg = user_message(
            text, image="image" in media, frames=FRAMES if media == "video" else 0, region="box" in media
        )
        prompt = llava_v1_prompt([(ROLES[0], msg), (ROLES[1], None)])
        full = llava_v1_prompt([(ROLES[0], msg), (ROLES[1], answer)])
        pre, ids = tokenize_with_media(prompt, tok), tokenize_with_media(full, tok)
        assert ids[: len(pre)] == pre, "the prompt must tokenise as a prefix of the conversation"
        pixels = {
            "image": preprocess_image(image) if "image" in media else None,
            "video": preprocess_video(frames, FRAMES) if media == "video" else None,
        }
        x1, y1 = int(rng.integers(0, w // 2)), int(rng.integers(0, h // 2))
        region = region_to_224((x1, y1, x1 + w // 3, y1 + h // 3), w, h) if "box" in media else None
        out.append((ids, pixels, region, len(pre)))
    return out


def _embed(model: Any, ids: list[int], pixels: dict[str, Any], region: Any) -> Any:
    return model.embed_media(ids, pixels["image"], pixels["video"], region)


LEARNING_RATE = 3e-3
WARMUP = 20
CLIP = 1.0
CONVERGED = 0.002  # mean loss per conversation, held for CALM steps in a row on new pictures
CALM = 10


def _rate(step: int, steps: int) -> float:
    """Linear warm-up, then cosine decay to a tenth: a seed-stable schedule (a flat 1e-2 with no
    clipping diverged on AMD EPYC CPUs while converging on others)."""
    import math

    if step < WARMUP:
        return LEARNING_RATE * (step + 1) / WARMUP
    t = min(1.0, (step - WARMUP) / max(1, steps - WARMUP))
    return LEARNING_RATE * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))


def _train(model: Any, tok: Any, steps: int, log: Any = None) -> tuple[float, int]:
    """Fit the LoRA + projector + region extractor to :data:`CONVERSATIONS`; returns (last mean
    loss, steps taken). Gradients are clipped and the rate warms up and decays, so the same
    recipe converges whatever the CPU's float rounding."""
    import numpy as np
    import torch

    rng = np.random.default_rng(0)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.0)
    inner = model.base_model.model
    loss_value, calm, step = float("inf"), 0, 0
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = _rate(step, steps)
        total = 0.0
        opt.zero_grad()
        samples = _samples(tok, rng)
        for ids, pixels, region, start in samples:
            emb = _embed(inner, ids, pixels, region)
            out = model(inputs_embeds=emb[None], labels=torch.tensor(_labels(ids, start, pixels))[None])
            (out.loss / len(samples)).backward()
            total += float(out.loss.detach())
        torch.nn.utils.clip_grad_norm_(params, CLIP)
        opt.step()
        loss_value = total / len(samples)
        if log is not None and step % 25 == 0:
            log(f"step {step}: loss {loss_value:.4f}")
        calm = calm + 1 if loss_value < CONVERGED else 0
        if calm >= CALM:  # ten steps in a row on new pictures
            break
    return loss_value, step + 1


def _labels(ids: list[int], start: int, pixels: dict[str, Any]) -> list[int]:
    """-100 for the prompt (media blocks expanded to their lengths), token ids for the answer."""
    lengths = []
    if pixels["video"] is not None:
        lengths += [(VISION["image_size"] // VISION["patch_size"]) ** 2] * FRAMES
    if pixels["image"] is not None:
        lengths.append((VISION["image_size"] // VISION["patch_size"]) ** 2)
    out, media = [], iter(lengths)
    for i, t in enumerate(ids):
        if t == -200:
            out += [-100] * next(media)
        elif t == -300:
            out.append(-100)
        else:
            out.append(t if i >= start else -100)
    return out


def _non_lora(name: str) -> bool:
    """Trained in full beside the LoRA (Vitron's non_lora_trainables: projector, region extractor;
    here the token embeddings and LM head too, so a tiny random base can learn in seconds)."""
    return any(part in name for part in (".mm_projector.", ".region_extractor.", ".embed_tokens.", ".lm_head."))


def make_tiny_release(root: Path, steps: int = 400, log: Any = None) -> dict[str, Path]:
    """Write the tiny release under ``root / "vitron-release"``; returns its four folders.

    The release is built in a ``.partial`` folder, loaded back through :func:`load_release` and
    asked every conversation on pictures it never saw; only when it answers each one verbatim is
    the folder renamed into place. Otherwise a :class:`TinyReleaseError` names the loss and the
    wrong answers: a release that answers noise is never written."""
    import shutil

    final = root / "vitron-release"
    if (final / "Vitron-lora" / "adapter_model.bin").exists():
        return _paths(final)
    partial = root / "vitron-release.partial"
    shutil.rmtree(partial, ignore_errors=True)
    loss, taken = _build(partial, steps, log)
    wrong = verify_release(_paths(partial))
    if wrong:
        raise TinyReleaseError(
            f"the tiny Vitron release did not learn its {len(CONVERSATIONS)} conversations: mean loss {loss:.4f} after "
            f"{taken} steps; {len(wrong)} answered wrongly, e.g. {wrong[0][0]!r} -> {wrong[0][1][:80]!r}. Its training "
            f"is in vitron_agent/testing/tiny_release.py (rate {LEARNING_RATE}, clip {CLIP}); the partial release is in {partial}"
        )
    shutil.rmtree(final, ignore_errors=True)
    partial.rename(final)
    return _paths(final)


class TinyReleaseError(RuntimeError):
    """The tiny release's training did not converge (see :func:`make_tiny_release`)."""


def _paths(rel: Path) -> dict[str, Path]:
    return {
        "base": rel / "Vitron-base",
        "lora": rel / "Vitron-lora",
        "image_tower": rel / "LanguageBind" / "LanguageBind_Image",
        "video_tower": rel / "LanguageBind" / "LanguageBind_Video_merge",
    }


def verify_release(paths: dict[str, Path], seed: int = 1) -> list[tuple[str, str]]:
    """(request, answer) for each conversation the release loaded from ``paths`` answers other
    than :data:`CONVERSATIONS` says, on random pictures (a fresh seed) and a box where one is due."""
    import numpy as np

    from vitron_agent.vitron.release import answer, load_release

    model, tok, info = load_release(
        paths["base"], str(paths["lora"]), str(paths["image_tower"]), str(paths["video_tower"])
    )
    rng = np.random.default_rng(seed)
    wrong = []
    for text, media, expected in CONVERSATIONS:
        h, w = (int(v) for v in rng.integers(64, 200, 2))
        image = rng.integers(0, 255, (h, w, 3), dtype="uint8") if "image" in media else None
        frames = [rng.integers(0, 255, (h, w, 3), dtype="uint8") for _ in range(6)] if media == "video" else None
        box = (w * 0.1, h * 0.1, w * 0.6, h * 0.7) if "box" in media else None
        got = answer(
            model,
            tok,
            info["num_frames"],
            text,
            image=image,
            frames=frames,
            box=box,
            max_new_tokens=len(tok(expected).input_ids) + 8,
        )["text"]
        if got != expected:
            wrong.append((text, got))
    return wrong


def _build(rel: Path, steps: int, log: Any) -> tuple[float, int]:
    """Write every file of the release under ``rel``; returns (last loss, steps taken)."""
    import torch

    from vitron_agent.vitron.release import VitronForCausalLM, _llama_config

    paths = _paths(rel)
    torch.manual_seed(0)
    tok = _tokenizer(paths["base"])
    cfg = _llava_config(len(tok))
    towers = {
        "image": {**VISION, "add_time_attn": False, "num_frames": 1},
        "video": {**VISION, "add_time_attn": True, "num_frames": FRAMES},
    }
    model = VitronForCausalLM(_llama_config(cfg, towers))
    with torch.no_grad():  # the release is fp16: train from the fp16-rounded base, as a user loads it
        for p in model.parameters():
            p.copy_(p.half().float())
    # -- Vitron-base: LLaVA-Llama weights (towers live in their own folders), two shards + index
    base_state = {
        k: v.clone().half()
        for k, v in model.state_dict().items()
        if not k.startswith(("model.image_tower.", "model.video_tower."))
    }
    keys = sorted(base_state)
    half = len(keys) // 2
    shards = {"pytorch_model-00001-of-00002.bin": keys[:half], "pytorch_model-00002-of-00002.bin": keys[half:]}
    base = paths["base"]
    for name, ks in shards.items():
        torch.save({k: base_state[k] for k in ks}, base / name)
    (base / "pytorch_model.bin.index.json").write_text(
        json.dumps(
            {
                "metadata": {"total_size": sum(v.numel() * 2 for v in base_state.values())},
                "weight_map": {k: n for n, ks in shards.items() for k in ks},
            },
            indent=2,
        )
    )
    (base / "config.json").write_text(json.dumps(cfg, indent=2))
    (base / "generation_config.json").write_text(
        json.dumps({"bos_token_id": 1, "eos_token_id": 2, "pad_token_id": 0, "max_length": 2048}, indent=2)
    )
    (base / "README.md").write_text("Tiny random Vitron-base made by `vitron-agent make-tiny-checkpoints`.\n")
    _tower(paths["image_tower"], "image", model.model.image_tower.image_tower)
    _tower(paths["video_tower"], "video", model.model.video_tower.video_tower)
    # -- Vitron-lora: LoRA on the LLM's linear layers + the non-LoRA trainables, trained
    from peft import LoraConfig, get_peft_model

    lora_cfg = LoraConfig(
        r=16,
        lora_alpha=32,
        lora_dropout=0.0,
        bias="none",
        task_type="CAUSAL_LM",
        target_modules=r".*model\.layers\.\d+\.(self_attn\.(q|k|v|o)_proj|mlp\.(gate|up|down)_proj)",
    )
    peft_model = get_peft_model(model, lora_cfg)
    for name, p in peft_model.named_parameters():
        if _non_lora(name):
            p.requires_grad_(True)
    loss, taken = _train(peft_model, tok, steps, log)
    lora = paths["lora"]
    peft_model.save_pretrained(str(lora), safe_serialization=False)
    non_lora = {n: p.detach().clone().half() for n, p in peft_model.named_parameters() if _non_lora(n)}
    torch.save(non_lora, lora / "non_lora_trainables.bin")
    (lora / "config.json").write_text(json.dumps(cfg, indent=2))
    (lora / "trainer_state.json").write_text(json.dumps({"global_step": taken, "log_history": [{"loss": loss}]}))
    return loss, taken
