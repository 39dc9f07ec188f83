"""The Vitron release loader at the real release's shapes, on a GPU (run on a lent device).

Writes a release-layout checkpoint with *random* weights at Vitron's real sizes -- Llama-7B
(4096 x 32 layers, vocab 32000) in fp16 as two ``pytorch_model-0000X-of-00002.bin`` shards, a
rank-128 LoRA on every LLM projection (B non-zero, so the merge changes weights), the non-LoRA
trainables, LanguageBind ViT-L/14 image and video towers (the video one with temporal attention,
8 frames) -- then loads it through :func:`vitron_agent.vitron.release.load_release` exactly as
``--planner vitron`` does, and prints what it costs: load time, GPU memory, the time of one turn
with an image and a box, and one with an 8-frame video. The weights are random, so the text is
noise; the shapes, dtypes, CUDA paths and memory are the release's.

    python benchmarks/vitron_release_gpu.py /tmp/vitron-real   # needs ~30 GB disk, a 24 GB+ GPU
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REAL = {
    "hidden_size": 4096,
    "intermediate_size": 11008,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "vision_hidden": 1024,
    "vision_inner": 4096,
    "vision_layers": 24,
    "vision_heads": 16,
    "lora_r": 128,
}
SMOKE = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "vision_hidden": 32,
    "vision_inner": 64,
    "vision_layers": 2,
    "vision_heads": 2,
    "lora_r": 8,
}


def write(root: Path, dims: dict[str, int], device: str) -> dict[str, Path]:
    import torch

    from vitron_agent.testing.tiny_release import _llava_config, _tokenizer
    from vitron_agent.vitron.release import VitronForCausalLM, _llama_config

    rel = root / "vitron-release"
    paths = {
        "base": rel / "Vitron-base",
        "lora": rel / "Vitron-lora",
        "image_tower": rel / "LanguageBind" / "LanguageBind_Image",
        "video_tower": rel / "LanguageBind" / "LanguageBind_Video_merge",
    }
    _tokenizer(paths["base"])  # writes tokenizer.model & co into Vitron-base
    cfg = _llava_config(32000)
    cfg.update(
        hidden_size=dims["hidden_size"],
        intermediate_size=dims["intermediate_size"],
        num_hidden_layers=dims["num_hidden_layers"],
        num_attention_heads=dims["num_attention_heads"],
        num_key_value_heads=dims["num_attention_heads"],
        mm_hidden_size=dims["vision_hidden"],
    )
    vision = {
        "hidden_size": dims["vision_hidden"],
        "intermediate_size": dims["vision_inner"],
        "num_hidden_layers": dims["vision_layers"],
        "num_attention_heads": dims["vision_heads"],
        "image_size": 224,
        "patch_size": 14,
        "num_channels": 3,
        "hidden_act": "gelu",
        "layer_norm_eps": 1e-5,
        "projection_dim": 768,
        "lora_r": 0,
        "model_type": "clip_vision_model",
    }
    towers = {
        "image": {**vision, "add_time_attn": False, "num_frames": 1},
        "video": {**vision, "add_time_attn": True, "num_frames": 8},
    }
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float16 if device != "cpu" else torch.float32)
    with torch.device(device):
        model = VitronForCausalLM(_llama_config(cfg, towers))
    torch.set_default_dtype(torch.float32)
    state = {
        k: v for k, v in model.state_dict().items() if not k.startswith(("model.image_tower.", "model.video_tower."))
    }
    keys = sorted(state)
    shards = {
        "pytorch_model-00001-of-00002.bin": keys[: len(keys) // 2],
        "pytorch_model-00002-of-00002.bin": keys[len(keys) // 2 :],
    }
    for name, ks in shards.items():
        torch.save({k: state[k].cpu() for k in ks}, paths["base"] / name)
    (paths["base"] / "pytorch_model.bin.index.json").write_text(
        json.dumps({"metadata": {}, "weight_map": {k: n for n, ks in shards.items() for k in ks}})
    )
    (paths["base"] / "config.json").write_text(json.dumps(cfg))
    for kind in ("image", "video"):
        folder = paths[f"{kind}_tower"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.json").write_text(
            json.dumps({"model_type": f"LanguageBind{kind.capitalize()}", "vision_config": towers[kind]})
        )
        tower = getattr(model.model, f"{kind}_tower")
        torch.save(
            {f"vision_model.{k}": v.cpu() for k, v in getattr(tower, f"{kind}_tower").state_dict().items()},
            folder / "pytorch_model.bin",
        )
    from peft import LoraConfig, get_peft_model

    peft_model = get_peft_model(
        model,
        LoraConfig(
            r=dims["lora_r"],
            lora_alpha=2 * dims["lora_r"],
            lora_dropout=0.0,
            task_type="CAUSAL_LM",
            target_modules=r".*model\.layers\.\d+\.(self_attn\.(q|k|v|o)_proj|"
            r"mlp\.(gate|up|down)_proj)",
        ),
    )
    with torch.no_grad():
        for n, p in peft_model.named_parameters():
            if "lora_B" in n:
                p.normal_(0, 1e-3)
    peft_model.save_pretrained(str(paths["lora"]), safe_serialization=False)
    torch.save(
        {
            n: p.detach().cpu()
            for n, p in peft_model.named_parameters()
            if ".mm_projector." in n or ".region_extractor." in n
        },
        paths["lora"] / "non_lora_trainables.bin",
    )
    (paths["lora"] / "config.json").write_text(json.dumps(cfg))
    del model, peft_model, state
    if device != "cpu":
        torch.cuda.empty_cache()
    return paths


def main(root: str, smoke: bool = False) -> None:
    import numpy as np
    import torch

    from vitron_agent.vitron.release import answer, load_release

    t0 = time.perf_counter()
    device = "cpu" if smoke else "cuda"
    if not smoke:
        torch.cuda.reset_peak_memory_stats()
    paths = write(Path(root), SMOKE if smoke else REAL, device)
    print(
        f"wrote the release-shaped checkpoint in {time.perf_counter() - t0:.0f} s "
        f"({sum(f.stat().st_size for f in Path(root).rglob('*') if f.is_file()) / 1e9:.1f} GB)"
    )
    cuda = device != "cpu"
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    model, tok, info = load_release(
        paths["base"], str(paths["lora"]), dtype=torch.float16 if cuda else torch.float32, device=device
    )
    print(f"load_release + merge on {device}: {time.perf_counter() - t0:.0f} s; pieces: {sorted(info['pieces'])}")
    if cuda:
        print(
            f"GPU memory after load: {torch.cuda.memory_allocated() / 2**30:.1f} GiB "
            f"(peak while loading {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB)"
        )
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
    frames = [rng.integers(0, 255, (360, 640, 3), dtype=np.uint8) for _ in range(24)]
    for name, kw in (
        ("image + box", {"image": image, "box": (100, 80, 400, 300)}),
        ("8-frame video", {"frames": frames}),
    ):
        if cuda:
            torch.cuda.reset_peak_memory_stats()
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        out = answer(model, tok, info["num_frames"], "segment the dog", max_new_tokens=32, **kw)
        if cuda:
            torch.cuda.synchronize()
        peak = f", peak {torch.cuda.max_memory_allocated() / 2**30:.1f} GiB" if cuda else ""
        print(
            f"{name}: {len(out['input_ids'])} prompt ids, {time.perf_counter() - t0:.2f} s for up to 32 new tokens"
            f"{peak}, region_224={[round(v, 1) for v in out['region_224'] or []]}, finish={out['finish_reason']}"
        )


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--smoke"]
    main(args[0] if args else "/tmp/vitron-real", smoke="--smoke" in sys.argv)
