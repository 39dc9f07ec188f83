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

Differences from Vitron's own code (said in README too): no random horizontal flip of video
frames (LanguageBind's inference transform flips with p=0.5), frames are sampled from our
decoded video rather than decord, and images are resized with PIL's bicubic rather than
torchvision's.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import torch  # imported only when a Vitron release loads
from torch import nn
from torch.nn import functional as F

from vitron_agent.errors import ConfigError

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

IMAGE_TOKEN_INDEX, OBJS_TOKEN_INDEX = -200, -300
IMAGE_TOKEN, OBJS_TOKEN, PATCH_TOKEN = "<image>", "<objs>", "<im_patch>"
# vitron/conversation.py conv_llava_v1 (the conv_mode app.py uses)
SYSTEM = (
    "A chat between a curious human and an artificial intelligence assistant. "
    "The assistant is so powerful and can not only understand text, image and video, but also able to generate "
    "text, images and videos."
    "The assistant gives helpful, detailed, and polite answers to the human's questions."
)
ROLES = ("USER", "ASSISTANT")
SEPS = (" ", "</s>")
OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)
REGION_SIZE = 224  # the region extractor's frame (mm_utils.preprocess_region(..., [224, 224]))


# -- prompt -------------------------------------------------------------------------------------
def llava_v1_prompt(messages: list[tuple[str, str | None]]) -> str:
    """Conversation.get_prompt() for SeparatorStyle.TWO: ``SYSTEM USER: ... ASSISTANT: ...</s>USER: ... ASSISTANT:``."""
    ret = SYSTEM + SEPS[0]
    for i, (role, message) in enumerate(messages):
        ret += f"{role}: {message}{SEPS[i % 2]}" if message else f"{role}:"
    return ret


def user_message(text: str, image: bool, frames: int = 0, region: bool = False) -> str:
    """The user turn as app.py's ``predict`` builds it: ``<image>`` per video frame, then
    `` <image>`` for the image, ``\\n<objs> `` when the user marked a box, then the text."""
    inp = ""
    if frames:
        inp += " ".join([IMAGE_TOKEN] * frames)
    if image:
        inp += " " + IMAGE_TOKEN
        if region:
            inp += "\n" + OBJS_TOKEN + " "
    return inp + "\n" + text if inp.endswith(">") else inp + text


def _image_token_ids(prompt: str, tokenizer: Any, is_first: bool) -> list[int]:
    """mm_utils.tokenizer_image_token: chunks around ``<image>`` tokenized separately, -200 between."""
    chunks = [tokenizer(chunk).input_ids for chunk in prompt.split(IMAGE_TOKEN)]
    ids: list[int] = []
    offset = 0
    if chunks and chunks[0] and chunks[0][0] == tokenizer.bos_token_id and is_first:
        offset = 1
        ids.append(chunks[0][0])
    sep = [IMAGE_TOKEN_INDEX] * (offset + 1)
    joined = [e for pair in zip(chunks, [sep] * len(chunks), strict=True) for e in pair][:-1]
    for x in joined:
        ids.extend(x[offset:])
    return ids


def tokenize_with_media(prompt: str, tokenizer: Any) -> list[int]:
    """mm_utils.tokenizer_image_region_token: split on ``<objs>`` (-300), then on ``<image>`` (-200).
    As in Vitron, chunks after an ``<objs>`` keep their BOS token (the model was trained so)."""
    ids: list[int] = []
    chunks = prompt.split(OBJS_TOKEN)
    for i, chunk in enumerate(chunks):
        ids.extend(_image_token_ids(chunk, tokenizer, is_first=(i == 0)))
        if i < len(chunks) - 1:
            ids.append(OBJS_TOKEN_INDEX)
    return ids


# -- pixels ---------------------------------------------------------------------------------------
def _normalise(x: torch.Tensor) -> torch.Tensor:
    mean = torch.tensor(OPENAI_MEAN).view(3, 1, 1)
    std = torch.tensor(OPENAI_STD).view(3, 1, 1)
    return (x - mean) / std


def _resize_crop(rgb: Any, size: int) -> torch.Tensor:
    """Shortest side to ``size`` (bicubic), centre crop ``size`` x ``size``, [0, 1] CHW."""
    import numpy as np
    from PIL import Image

    img = Image.fromarray(np.asarray(rgb, dtype=np.uint8))
    w, h = img.size
    scale = size / min(w, h)
    img = img.resize((max(size, round(w * scale)), max(size, round(h * scale))), Image.BICUBIC)
    w, h = img.size
    left, top = (w - size) // 2, (h - size) // 2
    img = img.crop((left, top, left + size, top + size))
    return torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)


def preprocess_image(rgb: Any, size: int = 224) -> torch.Tensor:
    """LanguageBindImageProcessor: (3, size, size), OpenAI CLIP mean/std."""
    return _normalise(_resize_crop(rgb, size))


def preprocess_video(frames: list[Any], num_frames: int, size: int = 224) -> torch.Tensor:
    """LanguageBindVideoProcessor: ``num_frames`` frames sampled uniformly -> (3, T, size, size)."""
    import numpy as np

    idx = np.linspace(0, len(frames) - 1, num_frames).round().astype(int)
    return torch.stack([_normalise(_resize_crop(frames[i], size)) for i in idx], dim=1)


def region_to_224(box: tuple[float, float, float, float], width: int, height: int) -> list[float]:
    """mm_utils.preprocess_region: an XYXY box in image pixels -> the 224 x 224 frame."""
    x1, y1, x2, y2 = box
    sx, sy = REGION_SIZE / width, REGION_SIZE / height
    return [x1 * sx, y1 * sy, x2 * sx, y2 * sy]


# -- modules --------------------------------------------------------------------------------------
def build_projector(kind: str, mm_hidden: int, hidden: int) -> nn.Module:
    """vitron/model/multimodal_projector/builder.py."""
    if kind == "linear":
        return nn.Linear(mm_hidden, hidden)
    m = re.match(r"^mlp(\d+)x_gelu$", kind)
    if m:
        layers: list[nn.Module] = [nn.Linear(mm_hidden, hidden)]
        for _ in range(1, int(m.group(1))):
            layers += [nn.GELU(), nn.Linear(hidden, hidden)]
        return nn.Sequential(*layers)
    if kind == "identity":
        return nn.Identity()
    raise ConfigError(
        f"unknown mm_projector_type {kind!r} in the Vitron config; expected linear, mlpNx_gelu or identity"
    )


class _MLP(nn.Module):
    def __init__(self, i: int, h: int, o: int, n: int):
        super().__init__()
        self.num_layers = n
        dims = [h] * (n - 1)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip([i] + dims, dims + [o], strict=True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, layer in enumerate(self.layers):
            x = F.relu(layer(x)) if i < self.num_layers - 1 else layer(x)
        return x


class _LocationEncoder(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.loc_encoder = nn.Sequential(nn.Linear(4, hidden // 2), nn.ReLU(), nn.Linear(hidden // 2, hidden))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.loc_encoder(x)


class RegionExtractor(nn.Module):
    """vitron/model/region_extractor/layer.py: box (224 frame) -> mask -> pooled patch features
    -> 3-layer MLP, plus an MLP of the four coordinates. Vitron fills the mask as
    ``mask[x1:x2, y1:y2]`` (rows indexed by x); that is kept, since the weights were trained so."""

    def __init__(self, in_dim: int, out_dim: int, image_size: int = REGION_SIZE):
        super().__init__()
        self.image_size = image_size
        self.region_linear = _MLP(in_dim, out_dim, out_dim, 3)
        self.loc_encoder = _LocationEncoder(out_dim)

    def forward(self, feats: torch.Tensor, regions: list[list[float]]) -> torch.Tensor:
        b, n, c = feats.shape
        side = int(math.sqrt(n))
        masks = torch.zeros((b, 1, self.image_size, self.image_size), dtype=feats.dtype, device=feats.device)
        for i, (x1, y1, x2, y2) in enumerate(regions):
            masks[i, 0, int(x1) : int(x2), int(y1) : int(y2)] = 1
        grid = feats.reshape(b, side, side, c).permute(0, 3, 1, 2)
        masks = F.interpolate(masks, size=grid.shape[-2:], mode="bilinear", align_corners=False)
        masks = (masks > 0).to(masks.dtype)
        pooled = torch.einsum("bchw,bqhw->bqc", grid, masks / (masks.sum(dim=(-1, -2), keepdim=True) + 1e-8))
        out = self.region_linear(pooled.reshape(-1, c))
        loc = self.loc_encoder(torch.tensor(regions, dtype=out.dtype, device=out.device))
        return (out + loc).unsqueeze(1)


class _Attention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads, self.scale = heads, (dim // heads) ** -0.5
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(dim, dim) for _ in range(4))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape
        split = lambda t: t.view(b, n, self.heads, d // self.heads).transpose(1, 2)  # noqa: E731
        out = F.scaled_dot_product_attention(
            split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x)), scale=self.scale
        )
        return self.out_proj(out.transpose(1, 2).reshape(b, n, d))


class _Mlp(nn.Module):
    def __init__(self, dim: int, inner: int, act: str):
        super().__init__()
        from transformers.activations import ACT2FN

        self.activation_fn = ACT2FN[act]
        self.fc1, self.fc2 = nn.Linear(dim, inner), nn.Linear(inner, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.activation_fn(self.fc1(x)))


class _Layer(nn.Module):
    """LanguageBind's CLIPEncoderLayer: optional temporal attention (over frames, per patch) then
    CLIP's spatial block. The image tower has a temporal MLP too; the video tower does not."""

    def __init__(self, cfg: dict[str, Any], temporal_mlp: bool):
        super().__init__()
        d, eps = cfg["hidden_size"], cfg.get("layer_norm_eps", 1e-5)
        self.self_attn = _Attention(d, cfg["num_attention_heads"])
        self.layer_norm1, self.layer_norm2 = nn.LayerNorm(d, eps=eps), nn.LayerNorm(d, eps=eps)
        self.mlp = _Mlp(d, cfg["intermediate_size"], cfg.get("hidden_act", "quick_gelu"))
        self.add_time_attn = bool(cfg.get("add_time_attn", False))
        self.t = int(cfg.get("num_frames", 1))
        self.has_temporal_mlp = temporal_mlp
        if self.add_time_attn:
            self.temporal_embedding = nn.Parameter(torch.zeros(1, self.t, d))
            self.temporal_attn = _Attention(d, cfg["num_attention_heads"])
            self.temporal_layer_norm1 = nn.LayerNorm(d, eps=eps)
            if temporal_mlp:
                self.temporal_mlp = _Mlp(d, cfg["intermediate_size"], cfg.get("hidden_act", "quick_gelu"))
                self.temporal_layer_norm2 = nn.LayerNorm(d, eps=eps)

    def _over_time(self, x: torch.Tensor, fn: Any, t: int) -> torch.Tensor:
        bt, n, d = x.shape
        y = x.view(bt // t, t, n, d).permute(0, 2, 1, 3).reshape(-1, t, d)  # (b t) n d -> (b n) t d
        y = fn(y)
        return y.view(bt // t, n, t, d).permute(0, 2, 1, 3).reshape(bt, n, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.add_time_attn:
            t = self.t
            if t != 1:
                x = self._over_time(x, lambda y: y + self.temporal_embedding[:, :t, :], t)
            x = x + self._over_time(x, lambda y: self.temporal_attn(self.temporal_layer_norm1(y)), t)
            if self.has_temporal_mlp:
                x = x + self._over_time(x, lambda y: self.temporal_mlp(self.temporal_layer_norm2(y)), t)
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class _Encoder(nn.Module):
    def __init__(self, cfg: dict[str, Any], temporal_mlp: bool):
        super().__init__()
        self.layers = nn.ModuleList(_Layer(cfg, temporal_mlp) for _ in range(cfg["num_hidden_layers"]))


class _Embeddings(nn.Module):
    def __init__(self, cfg: dict[str, Any]):
        super().__init__()
        d, p, s = cfg["hidden_size"], cfg["patch_size"], cfg["image_size"]
        self.class_embedding = nn.Parameter(torch.zeros(d))
        self.patch_embedding = nn.Conv2d(cfg.get("num_channels", 3), d, kernel_size=p, stride=p, bias=False)
        self.position_embedding = nn.Embedding((s // p) ** 2 + 1, d)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.patch_embedding(pixels.to(self.patch_embedding.weight.dtype)).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1)
        return x + self.position_embedding.weight[None, : x.shape[1]]


class LanguageBindVision(nn.Module):
    """LanguageBind's CLIPVisionTransformer (``vision_model``): embeddings, ``pre_layrnorm``
    (sic), encoder, ``post_layernorm``. Returns every layer's hidden states; 5-D input
    (b, c, t, h, w) comes back as (b, t, n, c) per layer."""

    def __init__(self, cfg: dict[str, Any], temporal_mlp: bool):
        super().__init__()
        self.cfg = cfg
        d, eps = cfg["hidden_size"], cfg.get("layer_norm_eps", 1e-5)
        self.embeddings = _Embeddings(cfg)
        self.pre_layrnorm = nn.LayerNorm(d, eps=eps)
        self.encoder = _Encoder(cfg, temporal_mlp)
        self.post_layernorm = nn.LayerNorm(d, eps=eps)

    def forward(self, pixels: torch.Tensor) -> list[torch.Tensor]:
        video = pixels.ndim == 5
        if video:
            b, _, t, h, w = pixels.shape
            pixels = pixels.permute(0, 2, 1, 3, 4).reshape(b * t, -1, h, w)
        x = self.pre_layrnorm(self.embeddings(pixels))
        states = [x]
        for layer in self.encoder.layers:
            x = layer(x)
            states.append(x)
        if video:
            states = [s.view(b, t, *s.shape[1:]) for s in states]
        return states


class _Tower(nn.Module):
    """LanguageBindImageTower / LanguageBindVideoTower: the vision model under ``image_tower`` /
    ``video_tower``, features of ``mm_vision_select_layer`` without the CLS token."""

    def __init__(self, attr: str, cfg: dict[str, Any], select_layer: int, select_feature: str):
        super().__init__()
        self.attr, self.select_layer, self.select_feature = attr, select_layer, select_feature
        self.vision_cfg = cfg
        setattr(self, attr, LanguageBindVision(cfg, temporal_mlp=(attr == "image_tower")))

    @property
    def num_frames(self) -> int:
        return int(self.vision_cfg.get("num_frames", 1))

    @torch.no_grad()
    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        vision = getattr(self, self.attr)
        feats = vision(pixels.to(vision.embeddings.patch_embedding.weight.dtype))[self.select_layer]
        if self.select_feature == "patch":
            return feats[..., 1:, :]
        if self.select_feature == "cls_patch":
            return feats
        raise ConfigError(f"unknown mm_vision_select_feature {self.select_feature!r}; expected patch or cls_patch")


def _llama_cls() -> Any:
    from transformers import LlamaForCausalLM

    return LlamaForCausalLM


class VitronForCausalLM(_llama_cls()):  # type: ignore[misc]
    """LlavaLlamaForCausalLM (Vitron's): Llama + towers, projector, region extractor under ``model``.

    ``config.vitron_towers`` = ``{"image": vision config dict or None, "video": ...}`` must be set
    before construction (the towers' shapes come from their own folders)."""

    def __init__(self, config: Any):
        super().__init__(config)
        towers = getattr(config, "vitron_towers", {}) or {}
        layer = int(getattr(config, "mm_vision_select_layer", -2))
        feature = getattr(config, "mm_vision_select_feature", "patch")
        mm_hidden = None
        for kind in ("image", "video"):
            cfg = towers.get(kind)
            if cfg is not None:
                setattr(self.model, f"{kind}_tower", _Tower(f"{kind}_tower", cfg, layer, feature))
                mm_hidden = cfg["hidden_size"]
        if mm_hidden is not None:
            mm_hidden = int(getattr(config, "mm_hidden_size", None) or mm_hidden)
            self.model.mm_projector = build_projector(
                getattr(config, "mm_projector_type", "linear"), mm_hidden, config.hidden_size
            )
            self.model.region_extractor = RegionExtractor(mm_hidden, config.hidden_size)

    # -- encoding (llava_arch.LlavaMetaForCausalLM) ---------------------------------------------
    def encode_image(self, pixels: torch.Tensor, region: list[float] | None) -> tuple[torch.Tensor, torch.Tensor]:
        """(image features (256, H), region feature (1, H)) for one (3, 224, 224) image; with no
        region, zeros (Vitron's dummy)."""
        feats = self.model.image_tower(pixels[None])
        regions = self.model.region_extractor(feats, [region]) if region is not None else None
        proj = self.model.mm_projector(feats)[0]
        return proj, (regions[0] if regions is not None else torch.zeros_like(proj))

    def encode_video(self, pixels: torch.Tensor) -> list[torch.Tensor]:
        """One (n, H) feature block per frame of a (3, T, 224, 224) clip."""
        feats = self.model.mm_projector(self.model.video_tower(pixels[None]))[0]
        return [feats[t] for t in range(feats.shape[0])]

    def embed_media(
        self, ids: list[int], image: torch.Tensor | None, video: torch.Tensor | None, region: list[float] | None
    ) -> torch.Tensor:
        """Input embeddings of one sequence from preprocessed pixels: the video's frame blocks, then
        the image's block, and the region feature at ``<objs>`` when a region (224 frame) is given."""
        blocks: list[torch.Tensor] = []
        reg = None
        if video is not None:
            blocks += self.encode_video(video)
        if image is not None:
            img, reg = self.encode_image(image, region)
            blocks.append(img)
        return self.embed(ids, blocks, reg if region is not None else None)

    def embed(self, ids: list[int], images: list[torch.Tensor], region: torch.Tensor | None) -> torch.Tensor:
        """prepare_inputs_labels_for_multimodal for one sequence: -200 -> the next feature block,
        -300 -> the region feature of the last image block."""
        emb = self.get_input_embeddings()
        dtype = emb.weight.dtype
        parts, text, used = [], [], 0
        for tok in ids + [None]:
            if tok is None or tok < 0:
                if text:
                    parts.append(emb(torch.tensor(text, device=emb.weight.device)))
                    text = []
                if tok == IMAGE_TOKEN_INDEX:
                    if used >= len(images):
                        raise ConfigError("the prompt has more <image> tokens than images/frames were given")
                    parts.append(images[used].to(dtype))
                    used += 1
                elif tok == OBJS_TOKEN_INDEX:
                    if region is None:
                        raise ConfigError("the prompt has an <objs> token but no region was given")
                    parts.append(region.to(dtype))
            else:
                text.append(tok)
        return torch.cat(parts, dim=0)


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
    for kind, folder in folders.items():
        if folder is None:
            continue
        prefix = f"model.{kind}_tower.{kind}_tower."
        if any(k.startswith(prefix) for k in loaded):
            pieces[f"{kind}_tower"] = "inside the base checkpoint"
            continue
        tstate = {prefix + k: v for k, v in _tower_state(folder).items() if prefix + k in expected}
        _assign(model, tstate)
        loaded |= set(tstate)
        pieces[f"{kind}_tower"] = f"{folder} ({len(tstate)} tensors)"
        say(f"loaded the {kind} tower from {folder}")
    if lp is not None:
        nl = lp / "non_lora_trainables.bin"
        if nl.exists():
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
            loaded |= set(extra)
            pieces["non_lora_trainables"] = f"{nl} ({len(extra)} tensors)"
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
        try:
            from peft import PeftModel
        except ImportError:
            raise ConfigError("merging Vitron-lora needs peft: pip install 'vitron-agent[planners]'") from None
        if not (lp / "adapter_config.json").exists():
            raise ConfigError(f"no adapter_config.json in {lp}; lora must be the Vitron-lora folder")
        say(f"merging the LoRA from {lp}")
        model = PeftModel.from_pretrained(model, str(lp)).merge_and_unload()
        pieces["lora"] = f"{lp} (merged)"
    tokenizer = _tokenizer(base)
    if getattr(config, "mm_use_im_patch_token", True):
        tokenizer.add_tokens([PATCH_TOKEN], special_tokens=True)
    if getattr(config, "mm_use_im_start_end", False):
        tokenizer.add_tokens(["<im_start>", "<im_end>", "<vid_start>", "<vid_end>"], special_tokens=True)
    if len(tokenizer) > model.get_input_embeddings().weight.shape[0]:
        model.resize_token_embeddings(len(tokenizer))
    num_frames = model.model.video_tower.num_frames if hasattr(model.model, "video_tower") else 0
    return model.eval(), tokenizer, {"num_frames": num_frames, "pieces": pieces}


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
