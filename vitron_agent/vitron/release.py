"""The released Vitron (SkyworkAI/Vitron), rebuilt on transformers + peft.

The release is four folders (Vitron's ``checkpoints/README.md``)::

    Vitron-base/    config.json (LLaVA-Llama + mm_image_tower, mm_video_tower, mm_projector_type, ...),
                    pytorch_model-0000X-of-00002.bin + pytorch_model.bin.index.json, tokenizer.model, ...
    Vitron-lora/    adapter_config.json, adapter_model.bin, non_lora_trainables.bin, config.json
    LanguageBind/LanguageBind_Image/        config.json + pytorch_model.bin (CLIP ViT-L/14 vision model)
    LanguageBind/LanguageBind_Video_merge/  the same with temporal attention in every layer (8 frames)

:func:`load_release` does what Vitron's ``vitron/model/builder.py`` does for a ``*lora*`` model
with a base: the LLaVA-Llama from Vitron-base with Vitron-lora's ``config.json``, the
``non_lora_trainables.bin`` (its ``base_model.`` / ``model.`` prefixes stripped) loaded over it,
the LoRA merged with peft, ``<im_patch>`` added to the tokenizer, and the towers loaded from
their folders. The modules keep Vitron's state-dict key names (``model.mm_projector.0.weight``,
``model.region_extractor.region_linear.layers.0.weight``,
``model.image_tower.image_tower.encoder.layers.0.self_attn.q_proj.weight`` ...).

:class:`VitronForCausalLM` is a ``LlamaForCausalLM`` with Vitron's multimodal parts under
``model``: the LanguageBind image and video towers, the projector named by ``mm_projector_type``
(``linear`` / ``mlpNx_gelu`` / ``identity``) and the region extractor (mask pooling of the
patch features over the user's box, an MLP, plus a location encoding of the box). Inputs follow
``vitron/mm_utils.py``: ``<image>`` -> -200 (one per image, one per video frame), ``<objs>``
-> -300 (the region feature of the last image before it).

The template, tokenisation and preprocessing are in :mod:`vitron_agent.vitron.inputs`, the modules
in :mod:`vitron_agent.vitron.architecture`; this module loads a release and answers with it (the
names above are re-exported here).

Differences from Vitron's own code (said in README too): no random horizontal flip of video
frames (LanguageBind's inference transform flips with p=0.5), frames are sampled from our
decoded video rather than decord, and images are resized with PIL's bicubic rather than
torchvision's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch  # imported only when a Vitron release loads

from vitron_agent.core.errors import ConfigError
from vitron_agent.vitron.architecture import RegionExtractor, VitronForCausalLM, build_projector
from vitron_agent.vitron.inputs import (
    IMAGE_TOKEN,
    IMAGE_TOKEN_INDEX,
    OBJS_TOKEN,
    OBJS_TOKEN_INDEX,
    PATCH_TOKEN,
    ROLES,
    SYSTEM,
    llava_v1_prompt,
    preprocess_image,
    preprocess_video,
    region_to_224,
    tokenize_with_media,
    user_message,
)

__all__ = [
    "IMAGE_TOKEN_INDEX",
    "OBJS_TOKEN_INDEX",
    "SYSTEM",
    "VitronForCausalLM",
    "RegionExtractor",
    "build_projector",
    "is_release",
    "llava_v1_prompt",
    "user_message",
    "tokenize_with_media",
    "load_release",
    "release_pieces",
    "preprocess_image",
    "preprocess_video",
    "region_to_224",
]


# -- loading ---------------------------------------------------------------------------------------
def is_release(folder: str | Path) -> bool:
    """A Vitron / LLaVA-style release folder: config.json names a multimodal tower."""
    try:
        cfg = json.loads((Path(folder) / "config.json").read_text())
    except (OSError, ValueError):
        return False
    return bool(cfg.get("mm_image_tower") or cfg.get("mm_video_tower") or cfg.get("mm_vision_tower"))


def _tower_folder(name: str | None, override: str | None, base: Path) -> Path | None:
    """The tower folder: the planner setting, else the config's path (absolute, or relative to
    the base checkpoint's parent, as ``checkpoints/LanguageBind/...`` in Vitron's layout)."""
    if override:
        return Path(override).expanduser()
    if not name:
        return None
    p = Path(name).expanduser()
    if p.is_absolute():
        return p
    if len(p.parts) == 2 and not name.startswith("."):  # a hub id (LanguageBind/LanguageBind_Image): the local cache
        try:
            from huggingface_hub import snapshot_download

            return Path(snapshot_download(name, local_files_only=True))
        except Exception:  # noqa: BLE001 -- not cached: look for the folder on disk below
            pass
    for root in (base.parent, base.parent.parent, Path.cwd()):
        cand = root / p
        if cand.is_dir():
            return cand
        cand = root / "LanguageBind" / p.name
        if cand.is_dir():
            return cand
    return base.parent / p


def _vision_config(folder: Path) -> dict[str, Any]:
    try:
        cfg = json.loads((folder / "config.json").read_text())
    except FileNotFoundError:
        raise ConfigError(
            f"no config.json in the tower folder {folder}; point image_tower / video_tower at "
            "LanguageBind_Image / LanguageBind_Video_merge"
        ) from None
    return cfg.get("vision_config", cfg)


def release_pieces(
    checkpoint: str | Path, lora: str | None = None, image_tower: str | None = None, video_tower: str | None = None
) -> list[tuple[str, str, bool, str]]:
    """(piece, path, ok, detail) for each part of a release: what ``check-config`` reports."""
    base = Path(checkpoint).expanduser()
    rows: list[tuple[str, str, bool, str]] = []
    cfg_path = (Path(lora) if lora else base) / "config.json"
    try:
        cfg = json.loads(cfg_path.read_text())
    except (OSError, ValueError) as exc:
        return [("config", str(cfg_path), False, f"cannot read: {exc}")]
    index = base / "pytorch_model.bin.index.json"
    shards = sorted(base.glob("pytorch_model*.bin")) + sorted(base.glob("model*.safetensors"))
    rows.append(
        (
            "base",
            str(base),
            bool(shards),
            f"{len(shards)} weight file(s)" + (", index" if index.exists() else "")
            if shards
            else "no pytorch_model*.bin / model*.safetensors",
        )
    )
    tok = (base / "tokenizer.model").exists() or (base / "tokenizer.json").exists()
    rows.append(("tokenizer", str(base), tok, "tokenizer.model" if tok else "no tokenizer.model / tokenizer.json"))
    if lora:
        lp = Path(lora).expanduser()
        have = [
            f
            for f in ("adapter_config.json", "adapter_model.bin", "non_lora_trainables.bin")
            if (lp / f).exists() or (f == "adapter_model.bin" and (lp / "adapter_model.safetensors").exists())
        ]
        rows.append(("lora", str(lp), len(have) >= 2 and "adapter_config.json" in have, ", ".join(have) or "empty"))
    rows.append(("projector", cfg.get("mm_projector_type", "linear"), True, "mm_projector_type"))
    for kind, override in (("image", image_tower), ("video", video_tower)):
        name = cfg.get(f"mm_{kind}_tower")
        folder = _tower_folder(name, override, base)
        if folder is None:
            rows.append((f"{kind}_tower", "-", True, "not used by this release"))
            continue
        ok = (folder / "config.json").exists()
        rows.append(
            (
                f"{kind}_tower",
                str(folder),
                ok,
                "config.json found"
                if ok
                else f'missing; set [planner] {kind}_tower = "/path/to/LanguageBind_{kind.capitalize()}'
                f'{"_merge" if kind == "video" else ""}"',
            )
        )
    return rows


def _torch_load(path: Path) -> dict[str, torch.Tensor]:
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return load_file(str(path))
    return torch.load(str(path), map_location="cpu", weights_only=True)


def _base_state(base: Path) -> dict[str, torch.Tensor]:
    index = base / "pytorch_model.bin.index.json"
    if index.exists():
        files = sorted(set(json.loads(index.read_text())["weight_map"].values()))
        paths = [base / f for f in files]
    else:
        paths = sorted(base.glob("pytorch_model*.bin")) or sorted(base.glob("model*.safetensors"))
    if not paths:
        raise ConfigError(
            f"no weights in {base}: expected pytorch_model-0000X-of-0000N.bin (+ index) or model.safetensors"
        )
    state: dict[str, torch.Tensor] = {}
    for p in paths:
        if not p.exists():
            raise ConfigError(f"{p.name} is listed in {index.name} but missing from {base}")
        state.update(_torch_load(p))
    return state


def _tower_state(folder: Path) -> dict[str, torch.Tensor]:
    """A LanguageBind checkpoint's ``vision_model.*`` weights (unmerged-LoRA wrappers stripped)."""
    files = sorted(folder.glob("pytorch_model*.bin")) or sorted(folder.glob("model*.safetensors"))
    if not files:
        raise ConfigError(f"no weights (pytorch_model.bin / model.safetensors) in the tower folder {folder}")
    state: dict[str, torch.Tensor] = {}
    for f in files:
        state.update(_torch_load(f))
    if any(".lora_A" in k or ".lora_B" in k for k in state):
        raise ConfigError(
            f"{folder} holds an unmerged LoRA (lora_A / lora_B weights); use the merged release "
            "(LanguageBind_Video_merge) or merge it first"
        )
    out = {}
    for k, v in state.items():
        if k.startswith("vision_model."):  # a LoRA-wrapped encoder (merged) keeps peft's prefix
            out[
                k[len("vision_model.") :].replace("encoder.base_model.model.", "encoder.").replace(".base_layer.", ".")
            ] = v
    return out


def _assign(model: Any, state: dict[str, torch.Tensor]) -> None:
    """Load ``state`` into ``model`` (built on the meta device), checking shapes; tensors are taken as they are."""
    own = model.state_dict()
    for k, v in state.items():
        if tuple(own[k].shape) != tuple(v.shape):
            raise ConfigError(
                f"{k} has shape {tuple(v.shape)} in the release but {tuple(own[k].shape)} in the model "
                "its config describes; are the pieces from the same release?"
            )
    model.load_state_dict(state, strict=False, assign=True)


def _tokenizer(base: Path) -> Any:
    """The release's tokenizer. Named by class (LlamaTokenizer for Vitron-base): AutoTokenizer would
    go by config.json's ``model_type = "llava"`` and pick a generic backend that drops the ``\n``
    token after ``<image>`` -- every prompt would then differ from the ones Vitron was trained on."""
    import transformers

    try:
        name = json.loads((base / "tokenizer_config.json").read_text()).get("tokenizer_class") or ""
    except (OSError, ValueError):
        name = ""
    cls = getattr(transformers, name.removesuffix("Fast"), None) if name.startswith("Llama") else None
    try:
        if cls is not None:
            return cls.from_pretrained(str(base))
        return transformers.AutoTokenizer.from_pretrained(str(base), use_fast=False)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load the tokenizer from {base}: {exc}") from None


def _llama_config(cfg: dict[str, Any], towers: dict[str, Any]) -> Any:
    from transformers import LlamaConfig

    keep = {
        k: v
        for k, v in cfg.items()
        if not k.startswith("_") and k not in ("architectures", "model_type", "transformers_version", "auto_map")
    }
    keep.setdefault("num_key_value_heads", keep.get("num_attention_heads"))
    config = LlamaConfig(**keep)
    config.vitron_towers = towers
    return config


def load_release(
    checkpoint: str | Path,
    lora: str | None = None,
    image_tower: str | None = None,
    video_tower: str | None = None,
    dtype: Any = None,
    log: Any = None,
    device: str | None = None,
) -> tuple[Any, Any, dict[str, Any]]:
    """(model, tokenizer, info) from a Vitron release (see the module docstring), on ``device``
    in ``dtype`` (the LoRA is merged there). ``info`` has ``num_frames`` and ``pieces`` (what was
    loaded from where). A weight that no piece provides is a ConfigError naming it."""
    say = log or (lambda msg: None)
    base = Path(checkpoint).expanduser()
    lp = Path(lora).expanduser() if lora else None
    cfg_file = (lp or base) / "config.json"
    try:
        cfg = json.loads(cfg_file.read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the Vitron config {cfg_file}: {exc}") from None
    folders = {
        k: _tower_folder(cfg.get(f"mm_{k}_tower"), o, base) for k, o in (("image", image_tower), ("video", video_tower))
    }
    towers = {k: (_vision_config(f) if f is not None else None) for k, f in folders.items()}
    if not any(towers.values()):
        raise ConfigError(f"{cfg_file} names no mm_image_tower / mm_video_tower; this is not a Vitron release")
    config = _llama_config(cfg, towers)
    state = _base_state(base)
    if "model.embed_tokens.weight" in state:
        config.vocab_size = int(state["model.embed_tokens.weight"].shape[0])
    from accelerate import init_empty_weights

    with init_empty_weights(include_buffers=False):  # no 7B random init: every weight comes from the release
        model = VitronForCausalLM(config)
    pieces: dict[str, str] = {}
    expected = set(model.state_dict())
    if getattr(config, "tie_word_embeddings", False):
        expected.discard("lm_head.weight")
    loaded = set(state) & expected
    _assign(model, {k: state[k] for k in loaded})
    del state
    pieces["base"] = f"{base} ({len(loaded)} tensors)"
    say(f"loaded the base from {base}")
    loaded |= _load_towers(model, folders, loaded, expected, pieces, say)
    if lp is not None:
        loaded |= _load_non_lora(model, lp / "non_lora_trainables.bin", expected, pieces)
    missing = sorted(expected - loaded)
    if missing:
        parts = sorted({".".join(k.split(".")[:2]) for k in missing})
        raise ConfigError(
            f"the release is incomplete: {len(missing)} weights were found in no piece (e.g. {missing[0]}; "
            f"parts: {', '.join(parts[:6])}); check checkpoint, lora, image_tower and video_tower"
        )
    if getattr(config, "tie_word_embeddings", False):
        model.tie_weights()
    if device is not None or dtype is not None:  # merge where the model will run (a 7B merge on CPU is slow)
        model = model.to(device=device, dtype=dtype)
    if lp is not None:
        model = _merge_lora(model, lp, pieces, say)
    tokenizer = _tokenizer(base)
    if getattr(config, "mm_use_im_patch_token", True):
        tokenizer.add_tokens([PATCH_TOKEN], special_tokens=True)
    if getattr(config, "mm_use_im_start_end", False):
        tokenizer.add_tokens(["<im_start>", "<im_end>", "<vid_start>", "<vid_end>"], special_tokens=True)
    if len(tokenizer) > model.get_input_embeddings().weight.shape[0]:
        model.resize_token_embeddings(len(tokenizer))
    num_frames = model.model.video_tower.num_frames if hasattr(model.model, "video_tower") else 0
    return model.eval(), tokenizer, {"num_frames": num_frames, "pieces": pieces}


def _load_towers(model: Any, folders: dict, loaded: set, expected: set, pieces: dict, say: Any) -> set[str]:
    """Each tower's weights from its folder, unless the base checkpoint already had them."""
    got: set[str] = set()
    for kind, folder in folders.items():
        if folder is None:
            continue
        prefix = f"model.{kind}_tower.{kind}_tower."
        if any(k.startswith(prefix) for k in loaded):
            pieces[f"{kind}_tower"] = "inside the base checkpoint"
            continue
        tstate = {prefix + k: v for k, v in _tower_state(folder).items() if prefix + k in expected}
        _assign(model, tstate)
        got |= set(tstate)
        pieces[f"{kind}_tower"] = f"{folder} ({len(tstate)} tensors)"
        say(f"loaded the {kind} tower from {folder}")
    return got


def _load_non_lora(model: Any, nl: Path, expected: set, pieces: dict) -> set[str]:
    """Vitron-lora's non_lora_trainables.bin (``base_model.`` / ``model.`` prefixes stripped) over the model."""
    if not nl.exists():
        return set()
    extra = _torch_load(nl)
    extra = {(k[11:] if k.startswith("base_model.") else k): v for k, v in extra.items()}
    if any(k.startswith("model.model.") for k in extra):
        extra = {(k[6:] if k.startswith("model.") else k): v for k, v in extra.items()}
    unknown = sorted(set(extra) - expected)
    if unknown:
        raise ConfigError(
            f"{nl} has {len(unknown)} tensors this model does not have (first: {unknown[0]}); "
            "is it a Vitron-lora folder for this base?"
        )
    _assign(model, extra)
    pieces["non_lora_trainables"] = f"{nl} ({len(extra)} tensors)"
    return set(extra)


def _merge_lora(model: Any, lp: Path, pieces: dict, say: Any) -> Any:
    try:
        from peft import PeftModel
    except ImportError:
        raise ConfigError("merging Vitron-lora needs peft: pip install 'vitron-agent[planners]'") from None
    if not (lp / "adapter_config.json").exists():
        raise ConfigError(f"no adapter_config.json in {lp}; lora must be the Vitron-lora folder")
    say(f"merging the LoRA from {lp}")
    pieces["lora"] = f"{lp} (merged)"
    return PeftModel.from_pretrained(model, str(lp)).merge_and_unload()


def answer(
    model: Any,
    tokenizer: Any,
    num_frames: int,
    text: str,
    image: Any = None,
    frames: list[Any] | None = None,
    box: tuple[float, float, float, float] | None = None,
    max_new_tokens: int = 256,
    do_sample: bool = False,
    history: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """One Vitron turn as app.py's ``predict`` runs it: the llava_v1 prompt (``<image>`` per
    video frame, `` <image>`` for the image, ``<objs>`` when ``box`` -- XYXY image pixels -- is
    given), media encoded, region features at ``<objs>``, generation until ``</s>``.

    Returns ``{"text", "prompt", "region_224", "input_ids"}``. Earlier turns (``history``: user,
    assistant text pairs) are replayed as text only."""
    device = next(model.parameters()).device
    dtype = next(model.parameters()).dtype
    use_frames = bool(frames) and hasattr(model.model, "video_tower")
    use_image = image is not None and hasattr(model.model, "image_tower")
    region = None
    if box is not None and use_image:
        h, w = image.shape[:2]
        region = region_to_224(box, w, h)

    def plain(t: str) -> str:  # a user typing "<image>" must not make a media slot
        return t.replace(IMAGE_TOKEN, "[image]").replace(OBJS_TOKEN, "[objs]")

    text = plain(text)
    messages: list[tuple[str, str | None]] = []
    for q, a in history or []:
        messages += [(ROLES[0], plain(q)), (ROLES[1], plain(a))]
    messages += [
        (ROLES[0], user_message(text, use_image, num_frames if use_frames else 0, region is not None)),
        (ROLES[1], None),
    ]
    prompt = llava_v1_prompt(messages)
    ids = tokenize_with_media(prompt, tokenizer)
    with torch.inference_mode():
        video = preprocess_video(frames, num_frames).to(device, dtype) if use_frames else None
        pixels = preprocess_image(image).to(device, dtype) if use_image else None
        emb = model.embed_media(ids, pixels, video, region)
        out = model.generate(
            inputs_embeds=emb[None],
            attention_mask=torch.ones((1, emb.shape[0]), dtype=torch.long, device=device),
            max_new_tokens=max_new_tokens,
            do_sample=do_sample,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id,
        )
    new = out[0].tolist()
    finished = bool(new) and new[-1] == tokenizer.eos_token_id
    text_out = tokenizer.decode(new, skip_special_tokens=True).strip()
    return {
        "text": text_out,
        "prompt": prompt,
        "region_224": region,
        "input_ids": ids,
        "finish_reason": "stop" if finished or len(new) < max_new_tokens else "length",
    }
