"""VitronPlanner: a local transformers LLM (causal LM, or a LLaVA-style VLM that sees the
image) as the planner.

Modes:

* ``tags`` -- Vitron's own answer format (``<module>B</module><instruction>...`` ...),
  parsed by :func:`~vitron_agent.planners.parsing.parse_vitron_output`;
* ``json`` -- a JSON plan in free generation (parsed, repaired when invalid);
* ``constrained`` -- generation constrained to the Plan JSON schema built from the
  Toolbox (outlines, outlines_core backend; every string bounded), so even a weak model
  emits a parseable plan with valid tool names.

Continuous signals: ``[SEG]`` and ``[GEN]`` tokens (added to the tokenizer when absent);
their last-layer hidden states go through :mod:`~vitron_agent.vitron.heads` into SAM's
prompt space and the diffusion text-encoder space, are stored as FeatureRefs, and the
plan's segment / generate steps carry them (``prompt_embedding`` / ``prompt_embeds``).
"""

from __future__ import annotations

import json
from string import Template
from typing import Any

from vitron_agent.core.errors import PlannerError, PlanValidationError
from vitron_agent.loading.models import Bundle, ModelBacked, quiet_hf
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.extract import (
    CUT_OFF,
    MAX_REASONING,
    from_text,
    reply_to_plan,
    split_reasoning,
)
from vitron_agent.planners.parsing import parse_vitron_output, request_context
from vitron_agent.planners.plan_schema import constrained_plan_schema, ordered_plan_schema, step_schema
from vitron_agent.planners.vitron_regions import region_line
from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.tool import Toolbox

__all__ = ["VitronPlanner", "constrained_plan_schema", "ordered_plan_schema", "step_schema"]

SEG, GEN = "[SEG]", "[GEN]"
RANDOM_HEADS = (
    "note: the [SEG]/[GEN] projection heads are random-initialised (no heads.safetensors in {ckpt}); "
    "their embeddings carry no trained meaning"
)


CONSTRAINED_TOKENS = 2048  # enough for the longest document the constrained schema allows


class _Lm(Bundle):
    """A loaded planner model: model, tokenizer (or processor), heads, outlines generators;
    ``release`` is set (frames, pieces) when it is a Vitron release."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        processor: Any,
        heads: Any,
        trained_heads: bool,
        release: dict[str, Any] | None = None,
    ):
        super().__init__(model, tokenizer=tokenizer, processor=processor, heads=heads)
        self.trained_heads = trained_heads
        self.release = release
        self.outlines_model = None
        self.generators: dict[str, Any] = {}
        self.tool_heads: dict[tuple[str, str, int], Any] = {}


class VitronPlanner(ModelBacked):
    """The Vitron LLM (or any local transformers LM) as the planner.

    Args:
        checkpoint: a local folder (``save_pretrained`` of the model and tokenizer / processor), or
            the released ``Vitron-base`` folder.
        lora, image_tower, video_tower: the rest of a Vitron release (``Vitron-lora``,
            ``LanguageBind_Image``, ``LanguageBind_Video_merge``); the towers default to the paths
            in the config (``mm_image_tower`` ...), looked up beside the base folder.
        template: ``auto`` (``llava_v1`` for a release, whose config names towers; else the
            project's prompt), ``llava_v1`` or ``project``.
        mode: ``tags``, ``json`` or ``constrained`` (a release speaks tags only).
        region_layout, region_units: how the answer's regions are read (parsing.read_region);
            ``auto`` reads a release's regions in its 224 x 224 region frame.
        seg_dim: SAM prompt width (default: the segment tool's, else 256).
        gen_tokens, gen_dim: shape of ``prompt_embeds`` (default: 77 x the width of the tool that
            takes it -- generate or generate_video --, else 768).
        seg_offset, gen_offset: which hidden state stands for a [SEG] / [GEN] token, relative to
            its position: -1 (LISA: the state that predicts [SEG]) and 0 by default; heads.json
            may set them for a trained head.
    """

    name = "vitron"
    family = "planner"

    def __init__(
        self,
        checkpoint: str,
        mode: str = "tags",
        max_new_tokens: int | None = None,
        device: str = "auto",
        dtype: str = "auto",
        seg_dim: int | None = None,
        gen_tokens: int = 77,
        gen_dim: int | None = None,
        do_sample: bool = False,
        seed: int = 0,
        react: bool = False,
        pool=None,
        lora: str | None = None,
        image_tower: str | None = None,
        video_tower: str | None = None,
        template: str = "auto",
        region_layout: str = "auto",
        region_units: str = "auto",
        seg_offset: int | None = None,
        gen_offset: int | None = None,
    ):
        from vitron_agent.planners.parsing import REGION_LAYOUTS, REGION_UNITS

        self.react = react
        if mode not in ("tags", "json", "constrained"):
            raise ValueError(f"[planner] mode must be tags, json or constrained, got {mode!r}")
        if template not in ("auto", "llava_v1", "project"):
            raise ValueError(f"[planner] template must be auto, llava_v1 or project, got {template!r}")
        if region_layout not in REGION_LAYOUTS or region_units not in REGION_UNITS:
            raise ValueError(
                f"[planner] region_layout must be one of {', '.join(REGION_LAYOUTS)} and region_units one "
                f"of {', '.join(REGION_UNITS)}; got {region_layout!r}, {region_units!r}"
            )
        self.lora, self.image_tower, self.video_tower = lora, image_tower, video_tower
        self.template, self.region_layout, self.region_units = template, region_layout, region_units
        self.seg_offset, self.gen_offset = seg_offset, gen_offset
        self.last_turn: dict[str, Any] | None = None  # the release's last prompt / region / answer (for checks)
        if lora or image_tower or video_tower:  # another piece, another model in the pool
            self.variant = f"lora={lora}|image={image_tower}|video={video_tower}"
        self._setup(checkpoint, device, dtype, pool)
        # default 256 new tokens; a Vitron release gets 1024 (its demo's), as it writes prose before its tags
        self.mode, self.max_new_tokens, self.release_tokens = mode, max_new_tokens or 256, max_new_tokens or 1024
        self.seg_dim, self.gen_tokens, self.gen_dim = seg_dim, gen_tokens, gen_dim
        self.do_sample, self.seed = do_sample, seed

    SEG_TOOLS, GEN_TOOLS = ("segment", "track"), ("generate", "generate_video")

    def _widths(self, toolbox: Toolbox, kind: str) -> dict[str, int]:
        """{tool: width} for the tools that take a [SEG] (SAM prompt width) or [GEN] (text-encoder
        width) embedding. Each [GEN] is projected to the width of the tool that consumes it, so an
        image and a video generator with different text encoders can both take one."""
        out: dict[str, int] = {}
        field = "prompt_embedding" if kind == "seg" else "prompt_embeds"
        for name in self.SEG_TOOLS if kind == "seg" else self.GEN_TOOLS:
            if name not in toolbox or field not in toolbox.get(name).Input.model_fields:
                continue
            tool = toolbox.get(name)
            width = (
                (self.seg_dim or getattr(tool, "arch", {}).get("prompt_embed_dim"))
                if kind == "seg"
                else (self.gen_dim or getattr(tool, "text_width", None))
            )
            out[name] = int(width or (256 if kind == "seg" else 768))
        return out

    @property
    def is_release(self) -> bool:
        """True when this planner speaks Vitron's own template (a release, or template = llava_v1)."""
        from vitron_agent.vitron.release import is_release

        if self.template != "auto":
            return self.template == "llava_v1"
        return is_release(self.lora or self.checkpoint)

    def _load(self, toolbox: Toolbox) -> _Lm:
        quiet_hf()
        if self.is_release:
            from vitron_agent.vitron.release import load_release

            if self.mode != "tags":
                raise PlannerError(
                    f'a Vitron release answers in its tag format; set [planner] mode = "tags" (got {self.mode!r})'
                )
            model, tokenizer, info = load_release(
                self.checkpoint,
                self.lora,
                self.image_tower,
                self.video_tower,
                dtype=self.torch_dtype,
                device=self.device,
            )
            return _Lm(model, tokenizer, None, None, False, release=info)
        from transformers import AutoConfig

        from vitron_agent.vitron.heads import load_heads

        dtype = self.torch_dtype
        try:
            config = AutoConfig.from_pretrained(self.checkpoint, local_files_only=True)
            processor = None
            if hasattr(config, "vision_config"):
                from transformers import AutoModelForImageTextToText, AutoProcessor

                model = AutoModelForImageTextToText.from_pretrained(self.checkpoint, dtype=dtype, local_files_only=True)
                processor = AutoProcessor.from_pretrained(self.checkpoint, local_files_only=True)
                tokenizer = processor.tokenizer
            else:
                from transformers import AutoModelForCausalLM, AutoTokenizer

                model = AutoModelForCausalLM.from_pretrained(self.checkpoint, dtype=dtype, local_files_only=True)
                tokenizer = AutoTokenizer.from_pretrained(self.checkpoint, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise PlannerError(f"cannot load the planner from {self.checkpoint}: {exc}") from None
        missing = [t for t in (SEG, GEN) if tokenizer.convert_tokens_to_ids(t) in (None, tokenizer.unk_token_id)]
        if missing:
            tokenizer.add_special_tokens({"additional_special_tokens": missing})
            model.resize_token_embeddings(len(tokenizer))
        hidden = (
            model.get_output_embeddings().weight.shape[1]
            if model.get_output_embeddings() is not None
            else model.config.get_text_config().hidden_size
        )
        heads, trained = load_heads(self.checkpoint, hidden, 1, self.gen_tokens, 1)
        lm = _Lm(
            model.to(self.device).eval(), tokenizer, processor, heads.to(self.device) if trained else None, trained
        )
        lm.hidden = hidden
        return lm

    def plan(self, request: PlanRequest, toolbox: Toolbox) -> Plan:
        return self.pool.run(self.key, lambda: self._load(toolbox), lambda lm: self._plan(lm, request, toolbox))

    # -- prompting -------------------------------------------------------------------------------
    def _prompt(self, request: PlanRequest, toolbox: Toolbox) -> str:
        from vitron_agent.planners.chat import with_feedback
        from vitron_agent.prompts import load, render_planner_prompt

        if self.mode == "tags":
            regions = "\n".join(
                region_line(k, v) for k, v in request.values.get("input", {}).items() if k in ("box", "point")
            )
            return Template(load("vitron")).safe_substitute(request=with_feedback(request), regions=regions)
        return (
            render_planner_prompt(toolbox, request.inputs, request.feedback)
            + f"\nRequest: {with_feedback(request)}\nPlan:"
        )

    def _plan(self, lm: _Lm, request: PlanRequest, toolbox: Toolbox) -> Plan:
        import torch

        if lm.release is not None:
            return self._plan_release(lm, request, toolbox)
        prompt = self._prompt(request, toolbox)
        torch.manual_seed(self.seed + request.attempt)
        if self.mode == "constrained":
            text = self._constrained(lm, prompt, toolbox, request.inputs)
            return reply_to_plan(from_text(text), start=request.first_id, json_only=True)
        inputs, out, text = self._generate(lm, prompt, request)
        finish = "length" if out.shape[1] - inputs["input_ids"].shape[1] >= self.max_new_tokens else "stop"
        if self.mode == "json":
            return reply_to_plan(from_text(text, finish_reason=finish), start=request.first_id, json_only=True)
        features = self._features(lm, inputs, out, request, toolbox)
        visible, reasoning = split_reasoning(text.replace(SEG, " ").replace(GEN, " "))
        try:
            plan = parse_vitron_output(
                visible,
                toolbox,
                features=features,
                start=request.first_id,
                region_layout=self.region_layout,
                region_units=self.region_units,
                **request_context(request),
            )
        except PlanValidationError as exc:
            raise PlanValidationError(
                exc.problems + ([CUT_OFF.format(reason=finish)] if finish == "length" else [])
            ) from None
        plan.reasoning = reasoning[:MAX_REASONING] or None
        if (features["seg"] or features["gen"]) and not lm.trained_heads:
            plan.notes.append(RANDOM_HEADS.format(ckpt=self.checkpoint))
        elif lm.heads is not None:
            for kind in ("seg", "gen"):
                width = lm.heads.dims["seg_dim" if kind == "seg" else "gen_dim"]
                odd = [t for t, w in self._widths(toolbox, kind).items() if w != width]
                if features[kind] and odd:
                    plan.notes.append(
                        f"the trained [{kind.upper()}] head projects to width {width}; "
                        f"{', '.join(odd)} take(s) another width, so they get the text, not the embedding"
                    )
        return plan

    def _plan_release(self, lm: _Lm, request: PlanRequest, toolbox: Toolbox) -> Plan:
        """One turn of the released Vitron: its template, the image (or video frames) and the
        user's box through the region extractor; the answer parsed with regions read in its
        224 x 224 frame, and the user's region handed to the steps that need one."""
        import torch

        from vitron_agent.core.refs import ref_from_dict
        from vitron_agent.planners.chat import with_feedback
        from vitron_agent.vitron.inputs import REGION_SIZE
        from vitron_agent.vitron.release import answer

        given = request.values.get("input", {})
        image = frames = None
        if request.store is not None and given.get("image") is not None:
            image = request.store.get_image(ref_from_dict(given["image"]))
        if request.store is not None and given.get("video") is not None:
            import numpy as np

            video = request.store.get_video(ref_from_dict(given["video"]))
            wanted = max(1, lm.release["num_frames"])  # decode only the frames the tower takes, not the whole clip
            frames = [video.frame(int(i)) for i in np.linspace(0, len(video) - 1, wanted).round()]
        box = given.get("box")
        xyxy = (box["x1"], box["y1"], box["x2"], box["y2"]) if isinstance(box, dict) else None
        if xyxy is None and given.get("scribble") is not None and request.store is not None:
            xyxy = self._scribble_box(request.store, given["scribble"])  # Vitron: sketch -> its bounding box
        torch.manual_seed(self.seed + request.attempt)
        history = [
            (str(t.get("request", "")), str(t.get("answer") or "")) for t in request.history[-4:] if t.get("request")
        ]
        turn = answer(
            lm.model,
            lm.tokenizer,
            lm.release["num_frames"],
            with_feedback(request),
            image=image,
            frames=frames,
            box=xyxy,
            max_new_tokens=self.release_tokens,
            do_sample=self.do_sample,
            history=history,
        )
        self.last_turn = turn
        visible, reasoning = split_reasoning(turn["text"])
        try:
            plan = parse_vitron_output(
                visible,
                toolbox,
                start=request.first_id,
                region_layout=self.region_layout,
                region_units=self.region_units,
                model_frame=REGION_SIZE,
                **request_context(request),
            )
        except PlanValidationError as exc:
            cut = [CUT_OFF.format(reason="length")] if turn["finish_reason"] == "length" else []
            raise PlanValidationError(exc.problems + cut) from None
        if xyxy is not None and image is None:
            plan.notes.append(
                "I read your box for the tools only: Vitron's region extractor takes a box on an image, not on a video"
            )
        plan.reasoning = reasoning[:MAX_REASONING] or None
        return plan

    @staticmethod
    def _scribble_box(store: Any, scribble: dict[str, Any]) -> tuple[float, float, float, float] | None:
        """The bounding box of a scribble mask (XYXY pixels), as Vitron's demo turns a sketch into a box."""
        import numpy as np

        from vitron_agent.core.refs import ref_from_dict

        mask = np.asarray(store.get_mask(ref_from_dict(scribble)))
        ys, xs = np.nonzero(mask)
        if len(xs) == 0:
            return None
        return float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)

    def _inputs(self, lm: _Lm, prompt: str, request: PlanRequest) -> Any:
        if lm.processor is not None:
            import numpy as np
            from PIL import Image

            image = self._request_image(request)
            if image is None:
                image = np.zeros((32, 32, 3), np.uint8)
            text = prompt if "<image>" in prompt else "<image>\n" + prompt
            return lm.processor(images=Image.fromarray(image), text=text, return_tensors="pt").to(lm.model.device)
        return lm.tokenizer(prompt, return_tensors="pt").to(lm.model.device)

    @staticmethod
    def _request_image(request: PlanRequest) -> Any:
        """The request's image (HxWx3 uint8) -- for a video, its first frame -- when there is one
        and a store to read it from."""
        from vitron_agent.core.refs import ref_from_dict

        given = request.values.get("input", {})
        if request.store is None:
            return None
        if given.get("image") is not None:
            return request.store.get_image(ref_from_dict(given["image"]))
        if given.get("video") is not None:
            return request.store.get_video(ref_from_dict(given["video"])).frame(0)
        return None

    def _generate(self, lm: _Lm, prompt: str, request: PlanRequest) -> tuple[Any, Any, str]:
        import torch

        inputs = self._inputs(lm, prompt, request)
        with torch.inference_mode():
            out = lm.model.generate(
                **inputs,
                max_new_tokens=self.max_new_tokens,
                do_sample=self.do_sample,
                pad_token_id=lm.tokenizer.pad_token_id or lm.tokenizer.eos_token_id,
            )
        new = out[0, inputs["input_ids"].shape[1] :]
        specials = {t for t in lm.tokenizer.all_special_tokens if t not in (SEG, GEN)}
        text = lm.tokenizer.decode(new, skip_special_tokens=False)
        for tok in specials:
            text = text.replace(tok, " ")
        return inputs, out, text

    def _head(self, lm: _Lm, kind: str, width: int) -> Any:
        """The projection of a [SEG] / [GEN] hidden state to ``width``: the trained head when its
        width matches (None when it does not: that tool then gets no embedding), else a random
        head of that width (seed 0; the plan notes that it carries no trained meaning)."""
        if lm.heads is not None:
            dims = lm.heads.dims
            return lm.heads if dims["seg_dim" if kind == "seg" else "gen_dim"] == width else None
        key = (kind, "random", width)
        if key not in lm.tool_heads:
            from vitron_agent.vitron.heads import load_heads

            heads, _ = load_heads(
                None, lm.hidden, width if kind == "seg" else 1, self.gen_tokens, width if kind == "gen" else 1
            )
            lm.tool_heads[key] = heads.to(lm.model.device).float()
        return lm.tool_heads[key]

    def _offsets(self, lm: _Lm) -> dict[str, int]:
        """Which hidden state stands for a [SEG] / [GEN] token, relative to its position. LISA's
        default for [SEG]: -1, the state *before* [SEG] (``input_ids[:, 1:] == seg_token_idx``);
        [GEN]: 0, its own. heads.json may set ``seg_offset`` / ``gen_offset``; [planner] overrides."""
        dims = lm.heads.dims if lm.heads is not None else {}
        seg = self.seg_offset if self.seg_offset is not None else int(dims.get("seg_offset", -1))
        gen = self.gen_offset if self.gen_offset is not None else int(dims.get("gen_offset", 0))
        return {"seg": seg, "gen": gen}

    def _features(
        self, lm: _Lm, inputs: Any, out: Any, request: PlanRequest, toolbox: Toolbox | None = None
    ) -> dict[str, list[Any]]:
        """Hidden states of generated [SEG]/[GEN] tokens (at the head's offset) -> a projection per
        consuming tool -> FeatureRefs in the session store: ``{"seg": [{tool: ref}, ...], "gen": ...}``."""
        import torch

        start = inputs["input_ids"].shape[1]
        seg_id, gen_id = lm.tokenizer.convert_tokens_to_ids(SEG), lm.tokenizer.convert_tokens_to_ids(GEN)
        generated = out[0, start:]
        offsets = self._offsets(lm)
        positions = {
            "seg": [start + i + offsets["seg"] for i, t in enumerate(generated.tolist()) if t == seg_id],
            "gen": [start + i + offsets["gen"] for i, t in enumerate(generated.tolist()) if t == gen_id],
        }
        result: dict[str, list[Any]] = {"seg": [], "gen": []}
        if not (positions["seg"] or positions["gen"]) or request.store is None or toolbox is None:
            return result
        with torch.inference_mode():
            kwargs = {k: v for k, v in inputs.items() if k not in ("input_ids", "attention_mask")}
            full = lm.model(input_ids=out, attention_mask=torch.ones_like(out), output_hidden_states=True, **kwargs)
            last = full.hidden_states[-1][0].float()
            for kind, pos in positions.items():
                if not pos:
                    continue
                h = last[pos]
                per_tool: list[dict[str, Any]] = [{} for _ in pos]
                by_width: dict[int, list[Any]] = {}
                for tool, width in self._widths(toolbox, kind).items():
                    if width not in by_width:
                        head = self._head(lm, kind, width)
                        if head is None:
                            continue
                        head = head.float()
                        vecs = head.project_seg(h) if kind == "seg" else head.project_gen(h)
                        by_width[width] = [
                            request.store.put_feature(
                                v.cpu(), kind=f"{kind}_token_embedding", producer="planner"
                            ).model_dump(mode="json")
                            for v in vecs
                        ]
                    for i, ref in enumerate(by_width[width]):
                        per_tool[i][tool] = ref
                result[kind] = per_tool
        return result

    def _constrained(
        self, lm: _Lm, prompt: str, toolbox: Toolbox, inputs: dict[str, dict[str, str]] | None = None
    ) -> str:
        try:
            import outlines
            from outlines.types import JsonSchema
        except ImportError:
            raise PlannerError("constrained mode needs outlines: pip install 'vitron-agent[planners]'") from None
        schema = json.dumps(
            ordered_plan_schema(toolbox, inputs) if inputs is not None else constrained_plan_schema(toolbox),
            sort_keys=True,
        )
        if lm.outlines_model is None:
            lm.outlines_model = outlines.from_transformers(lm.model, lm.tokenizer)
        gen = lm.generators.get(schema)
        if gen is None:
            gen = lm.generators[schema] = outlines.Generator(lm.outlines_model, JsonSchema(schema))
        # Every string and array in the schema is bounded, so a document always closes within
        # CONSTRAINED_TOKENS; a smaller budget could cut it off mid-way.
        return gen(prompt, max_new_tokens=max(self.max_new_tokens, CONSTRAINED_TOKENS), do_sample=self.do_sample)
