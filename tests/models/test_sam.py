"""segment-anything backend on a tiny random checkpoint loaded through the real code."""

import sys

import numpy as np
import pytest
import torch

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.core.refs import Box, Point
from vitron_agent.loading.models import ModelPool
from vitron_agent.loading.torchvision_shim import batched_nms, import_segment_anything
from vitron_agent.media.synthetic import disc_image
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.tiny_checkpoints import TINY_SAM_ARCH
from vitron_agent.toolkit.config import load_config
from vitron_agent.toolkit.tool import Toolbox, ToolContext
from vitron_agent.tools.segment_sam import EMBEDDING_KIND, SamSegmentTool


def sam_tool(tiny_dir, pool=None):
    return SamSegmentTool(
        checkpoint=str(tiny_dir / "sam_tiny.pth"),
        model_type="custom",
        arch=TINY_SAM_ARCH,
        device="cpu",
        pool=pool or ModelPool(),
    )


def encoder_spy(tool):
    predictor = tool.pool.get(tool.key, tool._load)
    enc = predictor.model.image_encoder
    calls = []
    original = enc.forward

    def counting(x):
        calls.append(tuple(x.shape))
        return original(x)

    enc.forward = counting
    return calls


def test_shim_imports_segment_anything_without_leaving_torchvision_behind():
    import_segment_anything()
    assert "segment_anything.utils.transforms" in sys.modules
    assert "torchvision" not in sys.modules or not hasattr(sys.modules["torchvision"], "__vitron_shim__")
    boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30], [0, 0, 10, 10.0]])
    keep = batched_nms(boxes, torch.tensor([0.9, 0.8, 0.7, 0.95]), torch.tensor([0, 0, 0, 1]), 0.5)
    assert keep.tolist() == [3, 0, 2]  # box 1 overlaps box 0 in the same class; box 3 is another class


def test_loads_through_config_and_prompts_matter(tiny_dir, store):
    from vitron_agent.runtime.toolset import build_toolbox

    toolbox = build_toolbox(load_config(tiny_dir / "vitron.toml"))
    seg = toolbox.get("segment")
    assert isinstance(seg, SamSegmentTool) and seg.backend == "segment-anything"
    img, _ = disc_image()
    ref = store.put_image(img)
    ctx = ToolContext(store=store, step_id="t")
    a = seg(ctx, image=ref, box=Box(x1=40, y1=20, x2=120, y2=100))
    m = store.get_mask(a.mask)
    assert m.shape == (120, 160) and m.dtype == bool and 0 < a.area <= 1 and a.area == pytest.approx(m.mean(), abs=1e-6)
    assert 0.0 <= a.score <= 1.5 and a.embedding.kind == EMBEDDING_KIND
    assert seg(ctx, image=ref, box=Box(x1=40, y1=20, x2=120, y2=100)).mask.id == a.mask.id  # deterministic
    b = seg(ctx, image=ref, point=Point(x=10, y=10), multimask=True)
    assert b.mask.id != a.mask.id and "point" in b.method
    c = seg(ctx, image=ref, box=Box(x1=40, y1=20, x2=120, y2=100), mask_input=b.mask)
    assert "mask prompt" in c.method
    words = seg(ctx, image=ref, target="the red disc")
    assert "box from cv" in words.method


def test_encode_once_per_image_and_across_a_restart(tiny_dir, tmp_path):
    tool = sam_tool(tiny_dir)
    calls = encoder_spy(tool)
    plan = {
        "steps": [
            {
                "id": "s1",
                "tool": "segment",
                "args": {"image": "$input.image", "point": {"type": "point", "x": 80, "y": 60}},
            },
            {
                "id": "s2",
                "tool": "segment",
                "args": {"image": "$input.image", "box": {"type": "box", "x1": 10, "y1": 10, "x2": 90, "y2": 90}},
            },
        ]
    }
    db = tmp_path / "s.sqlite"
    img, _ = disc_image()
    with Agent(toolbox=Toolbox([tool]), planner=ScriptedPlanner([plan]), db=db) as agent:
        r = agent.run("two prompts", image=img, session="enc")
        assert r.ok and len(calls) == 1  # two segmentations, one encoder pass
        assert r.step("s1").ref("embedding") == r.step("s2").ref("embedding")
        agent.run("again", image=img, session="enc")
        assert len(calls) == 1  # a later turn on the same image reuses it too
        other = img.copy()
        other[:10] = 0
        agent.run("new image", image=other, session="enc")
        assert len(calls) == 2  # a different image is encoded
    fresh = sam_tool(tiny_dir)  # a new process: model reloaded, embedding read back from disk
    fresh_calls = encoder_spy(fresh)
    with Agent(toolbox=Toolbox([fresh]), planner=ScriptedPlanner([plan]), db=db) as agent:
        r = agent.run("after restart", image=img, session="enc")
        assert r.ok and fresh_calls == []


def test_feature_prompt_drives_the_decoder_and_wrong_width_is_an_argument_error(tiny_dir, store):
    tool = sam_tool(tiny_dir)
    img, _ = disc_image()
    ref = store.put_image(img)
    ctx = ToolContext(store=store, step_id="t")
    rng = np.random.default_rng(0)
    e1 = store.put_feature(rng.normal(size=(32,)).astype(np.float32), kind="seg_token")
    e2 = store.put_feature(rng.normal(size=(1, 32)).astype(np.float32) * 3, kind="seg_token")
    out1 = tool(ctx, image=ref, prompt_embedding=e1)
    out2 = tool(ctx, image=ref, prompt_embedding=e2)
    assert out1.method == "SAM from prompt embedding" and out1.mask.id != out2.mask.id
    bad = store.put_feature(np.zeros((1, 16), np.float32), kind="seg_token")
    with pytest.raises(ToolArgumentError, match=r"shape \(1, 16\) but SAM's prompt space is 32 wide"):
        tool(ctx, image=ref, prompt_embedding=bad)


def test_wrong_architecture_is_a_clear_failure(tiny_dir, store):
    from vitron_agent.core.errors import ToolFailed

    tool = SamSegmentTool(
        checkpoint=str(tiny_dir / "sam_tiny.pth"),
        model_type="custom",
        arch={**TINY_SAM_ARCH, "encoder_embed_dim": 48},
        device="cpu",
        pool=ModelPool(),
    )
    ref = store.put_image(disc_image()[0])
    with pytest.raises(ToolFailed, match="does not match model_type 'custom'"):
        tool(ToolContext(store=store), image=ref, point=Point(x=5, y=5))


@pytest.mark.slow
def test_real_size_vit_b_prediction_at_1024(tmp_path, store):
    from vitron_agent.tools.segment_sam import build_sam, sam_arch

    torch.manual_seed(0)
    path = tmp_path / "sam_vit_b_random.pth"
    torch.save(build_sam(sam_arch("vit_b")).state_dict(), path)
    tool = SamSegmentTool(checkpoint=str(path), model_type="vit_b", device="cpu", pool=ModelPool())
    img, _ = disc_image(h=768, w=1024, center=(512, 384), radius=200)
    out = tool(ToolContext(store=store), image=store.put_image(img), box=Box(x1=300, y1=180, x2=720, y2=590))
    assert out.embedding.shape == (1, 256, 64, 64) and store.get_mask(out.mask).shape == (768, 1024)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision_encoder_with_point_box_and_embedding_prompts(tiny_dir, store, dtype):
    """dtype = float16 failed on the first point prompt (segment_anything encodes points in
    float32); found by benchmarks/gpu_check.py. The encoder runs in the half dtype, the prompt
    encoder and decoder in float32, and masks agree with the float32 model."""
    half, full = sam_tool(tiny_dir), sam_tool(tiny_dir)
    half.dtype_setting = dtype
    img, _ = disc_image()
    ref = store.put_image(img)
    ctx = ToolContext(store=store, step_id="t")
    enc = half.pool.get(half.key, half._load).model.image_encoder
    assert next(enc.parameters()).dtype == getattr(torch, dtype)
    emb = store.put_feature(np.ones((32,), np.float32), kind="seg_token")
    for args in ({"point": Point(x=80, y=60)}, {"box": Box(x1=40, y1=20, x2=120, y2=100)}, {"prompt_embedding": emb}):
        a, b = half(ctx, image=ref, **args), full(ctx, image=ref, **args)
        ma, mb = store.get_mask(a.mask), store.get_mask(b.mask)
        assert ma.shape == (120, 160) and np.isfinite(a.score)
        assert (ma & mb).sum() / max(1, (ma | mb).sum()) > 0.8


def test_a_later_prompt_uses_the_embedding_already_on_the_device(tiny_dir, store):
    """The second prompt on an image neither re-encodes nor reads the embedding back from the
    store; an image set on the predictor by someone else is never mistaken for it."""
    tool = sam_tool(tiny_dir)
    calls = encoder_spy(tool)
    img, _ = disc_image()
    other = img.copy()
    other[:20] = 255
    ref = store.put_image(img)
    ctx = ToolContext(store=store, step_id="t")
    first = tool(ctx, image=ref, point=Point(x=80, y=60))
    reads = []
    original = store.get_feature
    store.get_feature = lambda *a, **k: reads.append(1) or original(*a, **k)
    second = tool(ctx, image=ref, point=Point(x=80, y=60))
    assert second.reused and reads == [] and len(calls) == 1 and second.mask.id == first.mask.id
    predictor = tool.pool.get(tool.key, tool._load)
    predictor.set_image(other)  # a direct use of the shared predictor on another image
    third = tool(ctx, image=ref, point=Point(x=80, y=60))
    assert third.reused and reads == [1] and third.mask.id == first.mask.id
