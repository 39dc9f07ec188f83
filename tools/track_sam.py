"""track, segment-anything backend: SAM on every frame, prompted by the previous frame.

The target's mask on the prompt frame comes from SAM with the given point or box,
from the given mask, or -- for words -- from the cv heuristics' box refined by SAM.
Each next frame is segmented with the previous mask's box (grown by 10%) and the
previous mask as SAM's mask prompt. Frame embeddings go into the same encode-once
cache as images (FeatureRefs keyed by ``<video id>/<frame>`` and the model), so a
second track on the same video -- another target, or a re-run -- runs only the
light mask decoder. ``frame_cache = false`` turns that off (the cache costs
disk: 4 MB a frame for vit_h).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from vitron_agent.core.refs import FeatureRef
from vitron_agent.perception.masks import bbox
from vitron_agent.toolkit.registry import Backend, register
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.segment_sam import SamSegmentTool
from vitron_agent.tools.track import (
    TrackInput,
    TrackOutput,
    check_track_inputs,
    first_mask,
    propagate,
    track_output,
)

__all__ = ["SamTrackInput", "SamTrackTool"]


class SamTrackInput(TrackInput):
    prompt_embedding: FeatureRef | None = Field(
        default=None,
        description="the target as vector(s) in SAM's prompt space (e.g. a projected [SEG] token), "
        "used on the prompt frame; shape (C,), (1, C) or (N, C)",
    )


class SamTrackTool(SamSegmentTool):
    name = "track"
    description = (
        "Track a target through a video with segment-anything on every frame (prompted by the previous "
        "frame's box and mask). Give the target on one frame by a point, a box, a mask or words."
    )
    Input = SamTrackInput
    Output = TrackOutput
    backend = "segment-anything"

    def __init__(
        self,
        checkpoint: str,
        model_type: str = "vit_h",
        arch: dict[str, Any] | None = None,
        device: str = "auto",
        dtype: str = "float32",
        frame_cache: bool = True,
        min_score: float = 0.0,
        pool=None,
    ):
        super().__init__(checkpoint, model_type, arch, device, dtype, pool)
        self.frame_cache, self.min_score = frame_cache, min_score

    def check_inputs(self, inp: SamTrackInput, ctx: ToolContext) -> None:
        check_track_inputs(inp)
        self.check_prompt_embedding(inp.prompt_embedding)

    def run(self, inp: TrackInput, ctx: ToolContext) -> TrackOutput:
        import torch

        clip = ctx.store.get_video(inp.video)
        stats = {"encoded": 0, "reused": 0}

        def work(predictor: Any) -> tuple[np.ndarray, str, list[np.ndarray]]:
            with torch.inference_mode():
                first, how = self._first(predictor, clip, inp, ctx, stats)
                packed = propagate(
                    clip,
                    inp.frame,
                    first,
                    lambda frame, mask: self._stepper(predictor, inp.video.id, mask, ctx, stats),
                    ctx,
                )
            return first, how, packed

        first, how, packed = self.pool.run(self.key, self._load, work, ctx.progress)
        method = (
            f"{how} on frame {inp.frame}; SAM on every frame prompted by the previous box and mask "
            f"({stats['encoded']} frames encoded, {stats['reused']} embeddings reused)"
        )
        return track_output(ctx, inp.video, packed, inp.frame, first, method)

    def _set_frame(
        self, predictor: Any, frame: np.ndarray, video_id: str, index: int, ctx: ToolContext, stats: dict[str, int]
    ) -> None:
        quiet = ToolContext(store=ctx.store, step_id=ctx.step_id, cancelled=ctx.cancelled)
        _, reused = self._set_image(predictor, frame, f"{video_id}/{index}", quiet, cache=self.frame_cache)
        stats["reused" if reused else "encoded"] += 1

    def _first(self, predictor: Any, clip, inp: SamTrackInput, ctx: ToolContext, stats) -> tuple[np.ndarray, str]:
        if inp.prompt_embedding is not None:
            return self._first_from_embedding(predictor, clip, inp, ctx, stats)
        if inp.mask is not None or (inp.point is None and inp.box is None):
            seed, how = first_mask(clip, inp, ctx)
            if inp.mask is not None:
                return seed, how
            box, parts = np.array(bbox(seed), dtype=np.float64), f"SAM from a box from cv ({how})"
            points = labels = None
        else:
            box = np.array([inp.box.x1, inp.box.y1, inp.box.x2, inp.box.y2]) if inp.box is not None else None
            points = np.array([[inp.point.x, inp.point.y]]) if inp.point is not None else None
            labels = np.array([inp.point.label]) if inp.point is not None else None
            parts = "SAM from the " + " + ".join(p for p, v in (("point", points), ("box", box)) if v is not None)
            seed = None
        self._set_frame(predictor, clip.frame(inp.frame), inp.video.id, inp.frame, ctx, stats)
        masks, scores, _ = predictor.predict(point_coords=points, point_labels=labels, box=box, multimask_output=True)
        mask = np.asarray(masks[int(np.argmax(scores))], bool)
        if not mask.any():
            if seed is None:
                from vitron_agent.core.errors import ToolFailed

                raise ToolFailed(
                    f"segment-anything found nothing at the given prompt on frame {inp.frame}; try another point or box"
                )
            return seed, parts.replace("SAM from a box from cv", "cv") + " (SAM returned an empty mask)"
        return mask, parts

    def _first_from_embedding(
        self, predictor: Any, clip, inp: SamTrackInput, ctx: ToolContext, stats
    ) -> tuple[np.ndarray, str]:
        """The prompt frame's mask from the embedding (plus a point or box when given)."""
        import torch

        from vitron_agent.core.errors import ToolFailed

        self._set_frame(predictor, clip.frame(inp.frame), inp.video.id, inp.frame, ctx, stats)
        emb = torch.from_numpy(np.array(ctx.store.get_feature(inp.prompt_embedding), dtype=np.float32))
        points = np.array([[inp.point.x, inp.point.y]]) if inp.point is not None else None
        labels = np.array([inp.point.label]) if inp.point is not None else None
        box = np.array([inp.box.x1, inp.box.y1, inp.box.x2, inp.box.y2]) if inp.box is not None else None
        masks, scores = self._decode_with_embedding(
            predictor, emb.reshape(-1, emb.shape[-1]), points, labels, box, None, True
        )
        mask = np.asarray(masks[int(np.argmax(scores))], bool)
        if not mask.any():
            raise ToolFailed(
                f"segment-anything found nothing for the prompt embedding on frame {inp.frame}; add a point or a box"
            )
        return mask, "SAM from the prompt embedding"

    def _stepper(self, predictor: Any, video_id: str, first: np.ndarray, ctx: ToolContext, stats: dict[str, int]):
        state = {"mask": first}

        def step(frame: np.ndarray, index: int) -> np.ndarray:
            prev = state["mask"]
            b = bbox(prev)
            if b is None:
                return np.zeros(frame.shape[:2], bool)
            self._set_frame(predictor, frame, video_id, index, ctx, stats)
            h, w = frame.shape[:2]
            pad = 0.1 * max(b[2] - b[0], b[3] - b[1])
            box = np.array([max(0, b[0] - pad), max(0, b[1] - pad), min(w, b[2] + pad), min(h, b[3] + pad)])
            masks, scores, _ = predictor.predict(
                box=box, mask_input=self._mask_prompt(predictor, prev), multimask_output=False
            )
            mask = np.asarray(masks[0], bool)
            if float(scores[0]) < self.min_score or not mask.any():
                return np.zeros(frame.shape[:2], bool)  # lost here; the next frame is prompted from the last sighting
            state["mask"] = mask
            return mask

        return step


register(
    Backend(
        "track",
        "segment-anything",
        SamTrackTool,
        checkpoints={"checkpoint": "file"},
        tiny="vitron_agent.testing.tiny_checkpoints:sam_table",
        group="sam",
    )
)
