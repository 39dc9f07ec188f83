"""The video model backends on tiny random checkpoints in the real formats (2 steps, a few frames):
SAM per-frame tracking with the frame-embedding cache, text-to-video, image-to-video,
per-frame inpainting and video-to-video editing, and the VLM storyboard description."""

import numpy as np
import pytest

from tests.video.conftest import put_clip
from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.media.synthetic import moving_disc
from vitron_agent.runtime.agent import Agent
from vitron_agent.toolkit.config import load_config


@pytest.fixture
def small_clip():
    return moving_disc(frames=6, size=(64, 96), radius=8)


def _sam_track(tiny_dir, pool, **kw):
    from vitron_agent.testing.tiny_checkpoints import TINY_SAM_ARCH
    from vitron_agent.tools.segment_sam import sam_arch
    from vitron_agent.tools.track_sam import SamTrackTool

    return (
        SamTrackTool(
            checkpoint=str(tiny_dir / "sam_tiny.pth"),
            model_type="custom",
            arch=dict(TINY_SAM_ARCH),
            device="cpu",
            pool=pool,
            **kw,
        )
        if sam_arch
        else None
    )


def test_sam_track_encodes_each_frame_once(tiny_dir, pool, ctx, small_clip, monkeypatch):
    from segment_anything import SamPredictor

    encoded = []
    original = SamPredictor.set_image
    monkeypatch.setattr(
        SamPredictor, "set_image", lambda self, image, *a, **k: (encoded.append(1), original(self, image, *a, **k))[1]
    )
    frames, truth = small_clip
    video = put_clip(ctx.store, frames)
    tool = _sam_track(tiny_dir, pool)
    out = tool(ctx, video=video.model_dump(), box={"type": "box", "x1": 10, "y1": 15, "x2": 40, "y2": 45})
    assert out.track.frames == 6 and (out.track.width, out.track.height) == (96, 64) and out.track.video == video.id
    assert "SAM from the box on frame 0" in out.method and len(encoded) == 6
    again = tool(ctx, video=video.model_dump(), point={"type": "point", "x": 30, "y": 30}, frame=3)
    assert len(encoded) == 6, "the second track re-ran the image encoder"
    assert "0 frames encoded, 6 embeddings reused" in again.method
    uncached = _sam_track(tiny_dir, pool, frame_cache=False)
    video2 = put_clip(ctx.store, frames[::-1])
    uncached(ctx, video=video2.model_dump(), box={"type": "box", "x1": 10, "y1": 15, "x2": 40, "y2": 45})
    uncached(ctx, video=video2.model_dump(), box={"type": "box", "x1": 10, "y1": 15, "x2": 40, "y2": 45})
    assert len(encoded) == 18


def test_sam_track_from_words_and_from_a_mask(tiny_dir, pool, ctx, small_clip):
    frames, truth = small_clip
    video = put_clip(ctx.store, frames)
    tool = _sam_track(tiny_dir, pool)
    out = tool(ctx, video=video.model_dump(), target="the red ball")
    assert "Lab colour model for red" in out.method and out.track.frames == 6
    mask = ctx.store.put_mask(truth[2])
    out = tool(ctx, video=video.model_dump(), mask=mask.model_dump(), frame=2)
    assert out.method.startswith("the given mask on frame 2")
    assert np.array_equal(ctx.store.get_track_frame(out.track, 2), truth[2])


def test_sam_track_from_a_seg_embedding(tiny_dir, pool, ctx, small_clip):
    frames, _ = small_clip
    video = put_clip(ctx.store, frames)
    tool = _sam_track(tiny_dir, pool)
    emb = ctx.store.put_feature(
        np.random.default_rng(0).normal(size=(1, 32)).astype(np.float32), kind="seg_token_embedding"
    )
    out = tool(ctx, video=video.model_dump(), prompt_embedding=emb.model_dump(), frame=2)
    assert out.method.startswith("SAM from the prompt embedding on frame 2") and out.track.frames == 6
    bad = ctx.store.put_feature(np.zeros((1, 16), np.float32), kind="seg_token_embedding")
    with pytest.raises(
        ToolArgumentError, match="prompt_embedding has shape \\(1, 16\\) but SAM's prompt space is 32 wide"
    ):
        tool(ctx, video=video.model_dump(), prompt_embedding=bad.model_dump())


@pytest.fixture(scope="module")
def agent(tiny_dir, tmp_path_factory):
    return Agent(config=load_config(tiny_dir / "vitron.toml"), data_dir=tmp_path_factory.mktemp("data"))


def test_text_to_video_then_describe(agent):
    result = agent.run("make a video of a lighthouse at night, then describe it")
    assert result.ok, result.answer
    video = result.step("s1").ref("video")
    assert (video.frames, video.fps, video.width, video.height) == (4, 4.0, 64, 64)
    frames = agent.load(video).array()
    assert frames.std() > 0
    assert result.step("s2").outputs["text"]["value"]


def test_text_to_video_from_prompt_embeds(tiny_dir, pool, ctx):
    from vitron_agent.tools.video_diffusers import DiffusersVideoGenerateTool

    tool = DiffusersVideoGenerateTool(
        checkpoint=str(tiny_dir / "t2v"), steps=2, frames=3, fps=6, width=64, height=64, device="cpu", pool=pool
    )
    emb = ctx.store.put_feature(
        np.random.default_rng(0).normal(size=(8, 32)).astype(np.float32), kind="gen_token_embedding"
    )
    a = tool(ctx, prompt_embeds=emb.model_dump(), seed=1).video
    assert (a.frames, a.fps) == (3, 6.0)
    assert tool(ctx, prompt_embeds=emb.model_dump(), seed=1).video.id == a.id  # same seed, same video
    assert tool(ctx, prompt="a red boat", seed=1).video.id != a.id
    bad = ctx.store.put_feature(np.zeros((8, 16), np.float32), kind="gen_token_embedding")
    with pytest.raises(ToolArgumentError, match="prompt_embeds width 16 does not match the text encoder's 32"):
        tool(ctx, prompt_embeds=bad.model_dump())


def test_generate_an_image_then_animate_it(agent):
    result = agent.run("draw a lighthouse, then animate it so the waves move")
    assert result.ok, result.answer
    assert [s.tool for s in result.steps] == ["generate", "animate"]
    assert result.plan.steps[1].args == {"image": "$s1.image", "prompt": "the waves move"}
    video = result.step("s2").ref("video")
    assert (video.frames, video.width, video.height) == (4, 64, 64)


def test_inpaint_along_a_track_changes_only_the_track(tiny_dir, pool, ctx, small_clip):
    from vitron_agent.tools.video_diffusers import DiffusersEditVideoTool

    frames, truth = small_clip
    video = put_clip(ctx.store, frames)
    track = ctx.store.put_track(truth, video=video)
    tool = DiffusersEditVideoTool(
        checkpoint=str(tiny_dir / "sd-inpaint"),
        video_checkpoint=str(tiny_dir / "t2v"),
        steps=2,
        max_side=64,
        chunk=4,
        device="cpu",
        pool=pool,
    )
    out = tool(
        ctx, video=video.model_dump(), track=track.model_dump(), operation="inpaint", prompt="a green apple", smooth=0
    ).video
    assert (out.frames, out.fps, out.width, out.height) == (6, 12.0, 96, 64)
    edited = agent_frames(ctx, out)
    for t in range(6):
        assert np.array_equal(edited[t][~truth[t]], frames[t][~truth[t]])
        assert not np.array_equal(edited[t][truth[t]], frames[t][truth[t]])
    restyled = tool(ctx, video=video.model_dump(), operation="instruct", prompt="snowy winter").video
    assert (restyled.frames, restyled.width, restyled.height) == (6, 96, 64)  # two chunks of 4 and 2
    assert not np.array_equal(agent_frames(ctx, restyled)[5], frames[5])
    with pytest.raises(ToolArgumentError, match="operation 'inpaint' needs a track"):
        tool(ctx, video=video.model_dump(), operation="inpaint", prompt="x")
    with pytest.raises(ToolArgumentError, match="instruct needs a prompt"):
        tool(ctx, video=video.model_dump(), operation="instruct")


def agent_frames(ctx, ref):
    return list(ctx.store.get_video(ref).frames())


def test_vlm_describes_a_storyboard(tiny_dir, pool, ctx, small_clip):
    from vitron_agent.tools.describe_vlm import VlmDescribeVideoTool, storyboard

    frames, truth = small_clip
    import cv2

    board = storyboard(frames[:5], cell=32)
    first = cv2.resize(frames[0], (32, 21), interpolation=cv2.INTER_AREA)
    assert board.shape == (2 * 21, 3 * 32, 3) and np.array_equal(board[:21, :32], first)
    assert not board[21:, 64:].any()  # the sixth cell stays empty
    video = put_clip(ctx.store, frames)
    track = ctx.store.put_track(truth, video=video)
    tool = VlmDescribeVideoTool(checkpoint=str(tiny_dir / "llava"), max_new_tokens=8, device="cpu", pool=pool)
    out = tool(ctx, video=video.model_dump(), track=track.model_dump(), question="where does the ball go?", frames=4)
    assert isinstance(out.text, str) and out.text and out.motion > 0 and out.cuts == 0


def test_vitron_tags_drive_the_video_tools(agent, small_clip):
    """A scripted Vitron answer (modules E then F) through the agent with the tiny video tools."""
    from vitron_agent.planners.parsing import parse_vitron_output

    class Scripted:
        name = "scripted-vitron"

        def plan(self, request, toolbox):
            return parse_vitron_output(
                "Tracking it. <module>E</module><instruction>track: the ball</instruction>"
                "<region>[10, 15, 40, 45]</region><module>F</module>"
                "<instruction>background: a sandy beach</instruction>",
                toolbox,
                image=None,
                video="$input.video",
            )

    scripted = Agent(toolbox=agent.toolbox, planner=Scripted(), data_dir=agent.data_dir)
    result = scripted.run("track the ball and put it on a beach", video=np.stack(small_clip[0]))
    assert result.ok, result.answer
    assert [s.tool for s in result.steps] == ["track", "edit_video"] and result.answer.startswith("Tracking it.")
    assert result.plan.steps[1].args["where"] == "outside" and result.plan.steps[1].args["operation"] == "inpaint"
