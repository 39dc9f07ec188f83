"""The tiny Vitron release (published layout, LoRA trained on a few requests) through
``--planner vitron``: the user's box reaches the model (``<objs>`` + region extractor) and the
tool steps; image and video chains run end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vitron_agent.core.refs import Box
from vitron_agent.testing.tiny_release import CONVERSATIONS


@pytest.fixture(scope="module")
def release_agent(tiny_dir, tmp_path_factory):
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.toolkit.config import load_config

    return Agent(
        config=load_config(tiny_dir / "vitron-release.toml"),
        planner="vitron",
        data_dir=tmp_path_factory.mktemp("release"),
    )


@pytest.fixture(scope="module")
def cat():
    from skimage import data

    return data.chelsea()  # 300 x 451


def test_image_chain_with_the_users_box(release_agent, cat, monkeypatch):
    from vitron_agent.vitron import release

    seen = []
    original = release.RegionExtractor.forward

    def spy(self, feats, regions):
        seen.append([list(map(float, r)) for r in regions])
        return original(self, feats, regions)

    monkeypatch.setattr(release.RegionExtractor, "forward", spy)
    box = Box(x1=40, y1=30, x2=200, y2=180)
    result = release_agent.run("replace the marked object with a teapot", image=cat, regions=[box])
    turn = release_agent.planner.last_turn
    # the model's input: Vitron's template, <objs> after the image, the box in the 224 frame
    assert turn["prompt"].startswith("A chat between a curious human") and " <image>\n<objs> replace" in turn["prompt"]
    assert -200 in turn["input_ids"] and -300 in turn["input_ids"]
    expected = [40 * 224 / 451, 30 * 224 / 300, 200 * 224 / 451, 180 * 224 / 300]
    assert seen and np.allclose(seen[-1][0], expected)
    # the answer the LoRA learnt, and the plan: B with the user's box, C inpainting B's mask
    assert turn["text"] == CONVERSATIONS[1][2]
    tools = [(s.tool, s.args.get("box"), s.args.get("operation"), s.args.get("mask")) for s in result.plan.steps]
    assert tools == [("segment", "$input.box", None, None), ("edit", None, "inpaint", "$s1.mask")]
    assert [s.status for s in result.steps] == ["ok", "ok"], [s.error for s in result.steps]
    assert "teapot" in result.answer
    # the segmenter was prompted with the user's box (tiny random SAM: where its mask falls says nothing)
    assert "box" in str(result.steps[0].outputs["method"]["value"])


def test_video_chain_tracks_then_edits_and_keeps_the_background(release_agent):
    rng = np.random.default_rng(1)
    clip = np.repeat(rng.integers(0, 255, (1, 64, 80, 3), dtype=np.uint8), 6, axis=0)
    clip[:, 20:40, 30:50] = (220, 30, 30)
    result = release_agent.run(
        "track the ball and make it look like an orange", video=clip, regions=[Box(x1=28, y1=18, x2=52, y2=42)]
    )
    turn = release_agent.planner.last_turn
    assert turn["prompt"].count("<image>") == 4 and "<objs>" not in turn["prompt"]  # 4 frames; no region on a video
    assert turn["text"] == CONVERSATIONS[2][2]
    plan = [(s.tool, s.args.get("box"), s.args.get("where")) for s in result.plan.steps]
    assert plan == [("track", "$input.box", None), ("edit_video", None, "inside")]  # background: keep -> untouched
    assert any("leave it as it is" in n for n in result.plan.notes)
    assert "<SP>" not in result.answer and "None" not in result.answer
    assert [s.status for s in result.steps] == ["ok", "ok"], [s.error for s in result.steps]


def test_a_scribble_reaches_the_model_as_its_box_and_the_tool_as_itself(release_agent, cat):
    from vitron_agent.core.refs import Scribble

    store = release_agent.store.for_session("scribble")
    strokes = np.zeros(cat.shape[:2], np.uint8)
    strokes[60:120, 100:260] = 1
    mask = store.put_mask(strokes, producer="test")
    result = release_agent.run(
        "replace the marked object with a teapot", image=cat, regions=[Scribble(mask=mask)], session="scribble"
    )
    turn = release_agent.planner.last_turn
    assert "<objs>" in turn["prompt"]
    assert np.allclose(turn["region_224"], [100 * 224 / 451, 60 * 224 / 300, 260 * 224 / 451, 120 * 224 / 300])
    assert turn["text"] == CONVERSATIONS[1][2]
    assert [(s.tool, s.args.get("scribble"), s.args.get("mask")) for s in result.plan.steps] == [
        ("segment", "$input.scribble", None),
        ("edit", None, "$s1.mask"),
    ]


def test_earlier_turns_are_replayed_in_the_template(release_agent, cat):
    release_agent.run("segment the cat", image=cat, session="history")
    release_agent.run("what is in the picture?", image=cat, session="history")
    prompt = release_agent.planner.last_turn["prompt"]
    assert prompt.count("USER:") == 2 and "USER: segment the cat ASSISTANT:" in prompt and "</s>USER:" in prompt


def test_text_only_request_generates(release_agent):
    result = release_agent.run("draw a red ball on the grass")
    assert [(s.tool, s.args.get("prompt")) for s in result.plan.steps] == [("generate", "a red ball on the grass")]
    assert result.steps[0].status == "ok"


def test_the_lora_is_what_makes_it_answer(tiny_dir, cat):
    """The base alone answers noise: the merge (and the non-LoRA trainables) are what was trained."""
    from vitron_agent.vitron.release import answer, load_release

    rel = tiny_dir / "vitron-release"
    base, tok, info = load_release(rel / "Vitron-base")
    text = answer(base, tok, info["num_frames"], "segment the cat", image=cat, max_new_tokens=40)["text"]
    assert text != CONVERSATIONS[0][2] and "<module>B</module>" not in text
    merged, tok, info = load_release(rel / "Vitron-base", lora=str(rel / "Vitron-lora"))
    assert info["pieces"]["lora"].endswith("(merged)") and "non_lora_trainables" in info["pieces"]
    assert answer(merged, tok, info["num_frames"], "segment the cat", image=cat)["text"] == CONVERSATIONS[0][2]


def test_release_layout_and_keys(tiny_dir):
    import torch

    rel = tiny_dir / "vitron-release"
    base = rel / "Vitron-base"
    assert {p.name for p in base.iterdir()} >= {
        "config.json",
        "pytorch_model-00001-of-00002.bin",
        "pytorch_model-00002-of-00002.bin",
        "pytorch_model.bin.index.json",
        "tokenizer.model",
        "tokenizer_config.json",
        "special_tokens_map.json",
    }
    cfg = json.loads((base / "config.json").read_text())
    assert cfg["mm_image_tower"].endswith("LanguageBind_Image") and cfg["mm_video_tower"].endswith("Video_merge")
    index = json.loads((base / "pytorch_model.bin.index.json").read_text())["weight_map"]
    assert "model.mm_projector.0.weight" in index and "model.region_extractor.region_linear.layers.0.weight" in index
    assert "model.region_extractor.loc_encoder.loc_encoder.0.weight" in index and "lm_head.weight" in index
    lora = rel / "Vitron-lora"
    adapter = torch.load(lora / "adapter_model.bin", weights_only=True)
    assert any(k.startswith("base_model.model.model.layers.0.self_attn.q_proj.lora_A") for k in adapter)
    non_lora = torch.load(lora / "non_lora_trainables.bin", weights_only=True)
    assert "base_model.model.model.mm_projector.0.weight" in non_lora  # stripped to model.mm_projector... on load
    video = torch.load(rel / "LanguageBind" / "LanguageBind_Video_merge" / "pytorch_model.bin", weights_only=True)
    assert "vision_model.encoder.layers.0.temporal_attn.q_proj.weight" in video


def test_tokenizer_keeps_the_newline_after_image(tiny_dir):
    """AutoTokenizer would pick a backend that drops '\\n' after <image> (config says model_type llava)."""
    from vitron_agent.vitron.release import _tokenizer, tokenize_with_media

    tok = _tokenizer(tiny_dir / "vitron-release" / "Vitron-base")
    ids = tokenize_with_media("USER: <image>\nhello", tok)
    nl = tok.convert_tokens_to_ids("<0x0A>")
    assert ids[ids.index(-200) + 1] == nl or nl in ids[ids.index(-200) :]


def test_check_config_names_a_missing_piece(tiny_dir, tmp_path):
    text = (tiny_dir / "vitron-release.toml").read_text()
    broken = tmp_path / "broken.toml"
    broken.write_text(
        text.replace(
            str(tiny_dir / "vitron-release" / "LanguageBind" / "LanguageBind_Video_merge"), str(tmp_path / "nowhere")
        )
    )
    exe = str(Path(sys.executable).parent / "vitron-agent")
    ok = subprocess.run(
        [exe, "check-config", "--config", str(tiny_dir / "vitron-release.toml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0 and "ok lora:" in ok.stdout and "ok video_tower:" in ok.stdout, ok.stderr
    bad = subprocess.run([exe, "check-config", "--config", str(broken)], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "video_tower" in (bad.stdout + bad.stderr)


def test_image_tower_matches_transformers_clip_on_the_same_weights(tiny_dir):
    """LanguageBind's image vision model is CLIP's (its checkpoint's ``vision_model.*`` keys load
    into transformers' CLIPVisionModel unchanged): the tower must give the same features."""
    import torch
    from transformers import CLIPVisionConfig, CLIPVisionModel

    from vitron_agent.vitron.release import load_release

    rel = tiny_dir / "vitron-release"
    model, _, _ = load_release(rel / "Vitron-base", lora=str(rel / "Vitron-lora"), dtype=torch.float32)
    folder = rel / "LanguageBind" / "LanguageBind_Image"
    vision = json.loads((folder / "config.json").read_text())["vision_config"]
    keep = {
        k: vision[k]
        for k in (
            "hidden_size",
            "intermediate_size",
            "num_hidden_layers",
            "num_attention_heads",
            "image_size",
            "patch_size",
            "hidden_act",
            "layer_norm_eps",
            "projection_dim",
        )
    }
    clip = CLIPVisionModel(CLIPVisionConfig(**keep)).eval()
    state = torch.load(folder / "pytorch_model.bin", weights_only=True)
    prefixed = any(k.startswith("vision_model.") for k in clip.state_dict())  # transformers versions differ
    result = clip.load_state_dict(
        {
            (k if prefixed else k[len("vision_model.") :]): v.float()
            for k, v in state.items()
            if k.startswith("vision_model.")
        },
        strict=False,
    )
    assert not [k for k in result.missing_keys if "position_ids" not in k]
    pixels = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        want = clip(pixel_values=pixels, output_hidden_states=True).hidden_states[-2][:, 1:]
        got = model.model.image_tower(pixels)
    assert got.shape == want.shape and torch.allclose(got, want, atol=1e-5)


def test_an_unmerged_tower_lora_is_refused_by_name(tiny_dir, tmp_path):
    import shutil

    import torch

    from vitron_agent.core.errors import ConfigError
    from vitron_agent.vitron.release import load_release

    rel = tiny_dir / "vitron-release"
    tower = tmp_path / "LanguageBind_Image"
    shutil.copytree(rel / "LanguageBind" / "LanguageBind_Image", tower)
    state = torch.load(tower / "pytorch_model.bin", weights_only=True)
    state["vision_model.encoder.layers.0.self_attn.q_proj.lora_A.default.weight"] = torch.zeros(4, 32)
    torch.save(state, tower / "pytorch_model.bin")
    with pytest.raises(ConfigError, match="unmerged LoRA"):
        load_release(rel / "Vitron-base", lora=str(rel / "Vitron-lora"), image_tower=str(tower))


def test_media_tokens_typed_by_the_user_are_text(release_agent, cat):
    release_agent.run("what is <image> and <objs>?", image=cat)
    turn = release_agent.planner.last_turn
    assert turn["input_ids"].count(-200) == 1 and -300 not in turn["input_ids"]


def test_the_cli_with_planner_vitron_and_a_box(tiny_dir, tmp_path, cat):
    from PIL import Image

    img = tmp_path / "cat.png"
    Image.fromarray(cat).save(img)
    p = subprocess.run(
        [
            str(Path(sys.executable).parent / "vitron-agent"),
            "run",
            "--planner",
            "vitron",
            "--config",
            str(tiny_dir / "vitron-release.toml"),
            "--image",
            str(img),
            "--box",
            "40,30,200,180",
            "--json",
            "--out",
            str(tmp_path / "out"),
            "replace the marked object with a teapot",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    data = json.loads(p.stdout)
    assert [(s["tool"], s["status"]) for s in data["steps"]] == [("segment", "ok"), ("edit", "ok")]
    assert data["steps"][0]["args"].get("box") not in (None, "")  # the user's box reached the segment step
    assert "teapot" in data["answer"]


def test_a_release_that_did_not_learn_is_refused_loudly(tmp_path):
    """Three steps of training cannot learn the conversations: the build fails naming the loss,
    and no release is left where the next run would take it for a good one."""
    from vitron_agent.testing.tiny_release import TinyReleaseError, make_tiny_release

    with pytest.raises(TinyReleaseError, match=r"mean loss \d+\.\d+ after 3 steps"):
        make_tiny_release(tmp_path, steps=3)
    assert not (tmp_path / "vitron-release").exists()
