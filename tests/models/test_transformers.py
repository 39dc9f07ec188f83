"""transformers backends (OWLv2 grounding, LLaVA describe) on tiny folders loaded with from_pretrained."""

import numpy as np
import pytest

from vitron_agent.core.refs import Box
from vitron_agent.loading.models import ModelPool
from vitron_agent.media.synthetic import disc_image
from vitron_agent.tools.describe_vlm import VlmDescribeTool, focus_region
from vitron_agent.tools.ground import OwlGroundTool


def test_ground_returns_a_box_inside_the_image(tiny_dir, ctx):
    tool = OwlGroundTool(checkpoint=str(tiny_dir / "owlv2"), threshold=0.0, device="cpu", pool=ModelPool())
    img, _ = disc_image()
    ref = ctx.store.put_image(img)
    a = tool(ctx, image=ref, target="the dog")
    assert 0 <= a.box.x1 < a.box.x2 <= 160 and 0 <= a.box.y1 < a.box.y2 <= 120
    assert 0.0 <= a.score <= 1.0 and a.count >= 1
    assert tool(ctx, image=ref, target="the dog") == a  # deterministic
    b = tool(ctx, image=ref, target="a red umbrella")
    assert (b.box, b.score) != (a.box, a.score)  # the text matters
    from vitron_agent.core.errors import ToolFailed

    with pytest.raises(ToolFailed, match="found no 'the dog' above score threshold 1"):
        tool(ctx, image=ref, target="the dog", threshold=1.0)


def test_describe_with_vlm_is_deterministic_and_region_aware(tiny_dir, ctx):
    tool = VlmDescribeTool(checkpoint=str(tiny_dir / "llava"), max_new_tokens=8, device="cpu", pool=ModelPool())
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)
    ref = ctx.store.put_image(img)
    whole = tool(ctx, image=ref).text
    assert isinstance(whole, str) and whole and tool(ctx, image=ref).text == whole
    question = tool(ctx, image=ref, question="What colour is the car?").text
    region = tool(ctx, image=ref, box=Box(x1=10, y1=10, x2=50, y2=40)).text
    assert len({whole, question, region}) == 3


def test_focus_region_crops_with_context_and_dims_outside():
    img = np.full((100, 100, 3), 200, np.uint8)
    mask = np.zeros((100, 100), bool)
    mask[40:60, 40:60] = True
    crop = focus_region(img, mask)
    assert crop.shape == (52, 52, 3)  # 20 px region + 16 px context each side
    assert crop[26, 26, 0] == 200 and crop[2, 2, 0] == 70
