"""diffusers backends (generate, edit) on tiny pipelines saved with save_pretrained."""

import numpy as np
import pytest

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.media.synthetic import disc_image
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.edit_diffusers import DiffusersEditTool
from vitron_agent.tools.generate import DiffusersGenerateTool


def gen_tool(tiny_dir, pool):
    return DiffusersGenerateTool(
        checkpoint=str(tiny_dir / "sd-txt2img"), steps=2, width=64, height=64, device="cpu", pool=pool
    )


def edit_tool(tiny_dir, pool):
    return DiffusersEditTool(
        checkpoint=str(tiny_dir / "sd-inpaint"),
        instruct_checkpoint=str(tiny_dir / "sd-ip2p"),
        steps=2,
        max_side=128,
        device="cpu",
        pool=pool,
    )


def test_generate_is_deterministic_and_prompt_and_seed_matter(tiny_dir, pool, ctx):
    tool = gen_tool(tiny_dir, pool)
    a = tool(ctx, prompt="a lighthouse", seed=1)
    img = ctx.store.get_image(a.image)
    assert img.shape == (64, 64, 3) and img.dtype == np.uint8 and img.std() > 0
    assert tool(ctx, prompt="a lighthouse", seed=1).image.id == a.image.id
    assert tool(ctx, prompt="a lighthouse", seed=2).image.id != a.image.id
    assert tool(ctx, prompt="a red boat", seed=1).image.id != a.image.id
    events = []
    progress_ctx = ToolContext(store=ctx.store, progress=lambda f, m: events.append((f, m)))
    tool(progress_ctx, prompt="a lighthouse", seed=3, steps=2)
    assert any("denoising step 2/2" in m for _, m in events)


def test_generate_from_prompt_embeds(tiny_dir, pool, ctx):
    tool = gen_tool(tiny_dir, pool)
    rng = np.random.default_rng(0)
    e1 = ctx.store.put_feature(rng.normal(size=(77, 32)).astype(np.float32), kind="gen_token")
    e2 = ctx.store.put_feature(rng.normal(size=(1, 77, 32)).astype(np.float32), kind="gen_token")
    a, b = tool(ctx, prompt_embeds=e1), tool(ctx, prompt_embeds=e2)
    assert a.image.id != b.image.id
    bad = ctx.store.put_feature(np.zeros((77, 16), np.float32), kind="gen_token")
    with pytest.raises(ToolArgumentError, match="width 16 does not match the text encoder's 32"):
        tool(ctx, prompt_embeds=bad)
    with pytest.raises(ToolArgumentError, match="give a prompt or prompt_embeds"):
        tool(ctx)


def test_inpaint_changes_only_the_mask_and_prompt_matters(tiny_dir, pool, ctx):
    tool = edit_tool(tiny_dir, pool)
    img, disc = disc_image()
    ref = ctx.store.put_image(img)
    mref = ctx.store.put_mask(disc, image=ref)
    a = ctx.store.get_image(tool(ctx, image=ref, mask=mref, operation="inpaint", prompt="a golden retriever").image)
    assert a.shape == img.shape
    np.testing.assert_array_equal(a[~disc], img[~disc])
    assert np.abs(a[disc].astype(int) - img[disc]).mean() > 5
    b = ctx.store.get_image(tool(ctx, image=ref, mask=mref, operation="inpaint", prompt="a blue vase").image)
    assert not np.array_equal(a[disc], b[disc])
    again = ctx.store.get_image(tool(ctx, image=ref, mask=mref, operation="inpaint", prompt="a golden retriever").image)
    np.testing.assert_array_equal(a, again)


def test_instruct_edit_and_cv_operations(tiny_dir, pool, ctx):
    tool = edit_tool(tiny_dir, pool)
    img, disc = disc_image()
    ref = ctx.store.put_image(img)
    out = ctx.store.get_image(tool(ctx, image=ref, operation="instruct", prompt="make it look like winter").image)
    assert out.shape == img.shape and np.abs(out.astype(int) - img).mean() > 5
    mref = ctx.store.put_mask(disc, image=ref)
    masked = ctx.store.get_image(tool(ctx, image=ref, mask=mref, operation="instruct", prompt="winter").image)
    np.testing.assert_array_equal(masked[~disc], img[~disc])
    recolored = ctx.store.get_image(tool(ctx, image=ref, mask=mref, operation="recolor", color="green").image)
    assert recolored[disc][:, 1].mean() > recolored[disc][:, 0].mean()
    with pytest.raises(ToolArgumentError, match="inpaint needs a mask"):
        tool(ctx, image=ref, operation="inpaint", prompt="x")
    with pytest.raises(ToolArgumentError, match="needs a prompt"):
        tool(ctx, image=ref, mask=mref, operation="inpaint")
    no_instruct = DiffusersEditTool(checkpoint=str(tiny_dir / "sd-inpaint"), steps=2, device="cpu", pool=pool)
    with pytest.raises(ToolArgumentError, match=r"set \[tools.edit\] instruct_checkpoint"):
        no_instruct(ctx, image=ref, operation="instruct", prompt="winter")
