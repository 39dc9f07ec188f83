"""The continuous path matched to its references: LISA's [SEG] offset, diffusers' empty-prompt
negative embeddings, SDXL refused, and each [GEN] projected to the width of the tool that takes it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.core.refs import ref_from_dict
from vitron_agent.loading.models import ModelPool
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.vitron import VitronPlanner
from vitron_agent.runtime.toolset import build_toolbox
from vitron_agent.storage.store import ArtifactStore
from vitron_agent.toolkit.config import load_config
from vitron_agent.vitron.heads import load_heads


@pytest.fixture(scope="module")
def tiny_box(tiny_dir):
    return build_toolbox(load_config(tiny_dir / "vitron.toml"))


def scripted_planner(tiny_dir, tiny_box, script, **kw):
    planner = VitronPlanner(
        str(tiny_dir / "planner-llm"), mode="tags", max_new_tokens=64, device="cpu", pool=ModelPool(), **kw
    )
    lm = planner.pool.get(planner.key, lambda: planner._load(tiny_box))
    scripted = lm.tokenizer(script, add_special_tokens=False, return_tensors="pt")["input_ids"]
    lm.model.generate = lambda input_ids=None, **k: torch.cat([input_ids, scripted], dim=1)
    return planner, lm


def plan(planner, box, store, text="segment the cat"):
    return planner.plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}, store=store), box)


def expected_projection(planner, lm, kind, width, offset):
    """Recompute by hand: the last hidden state at (token position + offset) through a head of ``width``."""
    prompt = lm.tokenizer(
        planner._prompt(PlanRequest(text="segment the cat", inputs={"input": {"image": "image"}, "last": {}}), None),
        return_tensors="pt",
    )
    out = lm.model.generate(input_ids=prompt["input_ids"])
    tok = lm.tokenizer.convert_tokens_to_ids("[SEG]" if kind == "seg" else "[GEN]")
    pos = [i for i in range(prompt["input_ids"].shape[1], out.shape[1]) if out[0, i] == tok][0]
    with torch.no_grad():
        hidden = lm.model(input_ids=out, output_hidden_states=True).hidden_states[-1][0].float()
    heads, _ = load_heads(None, lm.hidden, width if kind == "seg" else 1, 77, width if kind == "gen" else 1)
    with torch.no_grad():
        return (
            heads.project_seg(hidden[[pos + offset]])[0]
            if kind == "seg"
            else heads.project_gen(hidden[[pos + offset]])[0]
        )


def test_seg_embedding_is_the_state_before_seg_by_default(tiny_dir, tiny_box, tmp_path):
    script = "<module>B</module><instruction>segmentation: the cat [SEG]</instruction>"
    store = ArtifactStore(tmp_path, "s")
    for offset in (None, 0):
        planner, lm = scripted_planner(tiny_dir, tiny_box, script, seg_offset=offset)
        got = plan(planner, tiny_box, store)
        emb = np.asarray(store.get_feature(ref_from_dict(got.steps[0].args["prompt_embedding"])))
        want = expected_projection(planner, lm, "seg", 32, -1 if offset is None else offset).numpy()
        assert emb.shape == (32,) and np.allclose(emb, want, atol=1e-5)
    other = expected_projection(planner, lm, "seg", 32, 0).numpy()
    before = expected_projection(planner, lm, "seg", 32, -1).numpy()
    assert not np.allclose(other, before)  # the two conventions give different vectors


def test_each_gen_is_sized_for_its_tool_and_nothing_is_cached_across_toolboxes(
    tiny_dir, tiny_box, tmp_path, monkeypatch
):
    from vitron_agent.tools.video_diffusers import DiffusersVideoGenerateTool

    script = (
        "<module>A</module><instruction>generation: a cat [GEN]</instruction>"
        "<module>D</module><instruction>generation: a cat running [GEN]</instruction>"
    )
    store = ArtifactStore(tmp_path, "s")
    planner, _ = scripted_planner(tiny_dir, tiny_box, script)
    first = plan(planner, tiny_box, store)
    assert [tuple(s.args["prompt_embeds"]["shape"]) for s in first.steps] == [(77, 32), (77, 32)]
    monkeypatch.setattr(DiffusersVideoGenerateTool, "text_width", property(lambda self: 48))
    second = plan(planner, tiny_box, store)  # same planner, same loaded model: widths follow the tools
    assert [(s.tool, tuple(s.args["prompt_embeds"]["shape"])) for s in second.steps] == [
        ("generate", (77, 32)),
        ("generate_video", (77, 48)),
    ]


def test_negative_embeddings_are_the_empty_prompt_as_diffusers_encodes_it(tiny_dir, tmp_path):
    from vitron_agent.tools.generate import GenerateInput, add_prompt, load_pipeline

    pipe = load_pipeline("AutoPipelineForText2Image", str(tiny_dir / "sd-txt2img"), "cpu", torch.float32)
    store = ArtifactStore(tmp_path, "s")
    emb = store.put_feature(torch.randn(77, 32), kind="gen_token_embedding", producer="test")
    kwargs: dict = {}
    add_prompt(pipe, kwargs, GenerateInput(prompt_embeds=emb), store)
    _, reference = pipe.encode_prompt("", "cpu", 1, True, negative_prompt=None)  # diffusers' own uncond embeddings
    assert kwargs["negative_prompt_embeds"].shape == (1, 77, 32)
    assert kwargs["negative_prompt_embeds"].abs().sum() > 0
    assert torch.allclose(kwargs["negative_prompt_embeds"], reference, atol=1e-5)
    kwargs = {"negative_prompt": "blurry"}
    add_prompt(pipe, kwargs, GenerateInput(prompt_embeds=emb, negative_prompt="blurry"), store)
    _, blurry = pipe.encode_prompt("x", "cpu", 1, True, negative_prompt="blurry")
    assert "negative_prompt" not in kwargs and torch.allclose(kwargs["negative_prompt_embeds"], blurry, atol=1e-5)


def test_sdxl_pipelines_refuse_prompt_embeds_with_a_reason(tmp_path):
    from types import SimpleNamespace

    from vitron_agent.tools.generate import GenerateInput, add_prompt

    store = ArtifactStore(tmp_path, "s")
    emb = store.put_feature(torch.randn(77, 32), kind="gen_token_embedding", producer="test")
    sdxl_like = SimpleNamespace(text_encoder_2=object(), text_encoder=None)  # only the attribute the check reads
    with pytest.raises(ToolArgumentError, match="pooled_prompt_embeds"):
        add_prompt(sdxl_like, {}, GenerateInput(prompt_embeds=emb), store)
