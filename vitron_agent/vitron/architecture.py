"""Vitron's architecture: the projector, the region extractor, the LanguageBind vision towers and
:class:`VitronForCausalLM` (a LlamaForCausalLM with the multimodal parts under ``model``), with
Vitron's own state-dict key names."""

from __future__ import annotations

import math
import re
from typing import Any

import torch  # imported only when a Vitron release loads
from torch import nn
from torch.nn import functional as F

from vitron_agent.core.errors import ConfigError
from vitron_agent.vitron.inputs import IMAGE_TOKEN_INDEX, OBJS_TOKEN_INDEX, REGION_SIZE


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
