"""Rotate, resize and crop a whole clip (``transform_video``), on a real clip with sound (gradio's b.mp4 with
sax.wav's) and through the planner: these were refused ("rotate works on images; take a frame first")."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.media.audio import get_audio
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.runtime.turns import ingest_video
from vitron_agent.storage.store import ArtifactStore
from vitron_agent.testing.sample_clips import odd_size, with_sound
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.tool import Toolbox, ToolContext
from vitron_agent.tools import default_tools
from vitron_agent.tools.video_transform import TransformVideoTool, place_mask


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    store = ArtifactStore(tmp_path_factory.mktemp("store"), "transform")
    refs = {"sound": ingest_video(str(with_sound(folder)), store, Config())}
    refs["odd"] = ingest_video(str(odd_size(folder)), store, Config())
    return store, refs


def run(store, **args):
    return TransformVideoTool()(ToolContext(store=store), **args)


def seconds(store, ref):
    a = get_audio(store, ref.audio)
    return None if a is None else a.samples.shape[1] / a.rate


def test_a_quarter_turn_swaps_the_sides_exactly_and_keeps_the_sound(session):
    store, refs = session
    v = refs["sound"]
    out = run(store, video=v, operation="rotate", angle=90).video
    assert (out.width, out.height, out.frames, out.fps) == (v.height, v.width, v.frames, v.fps)
    src, got = store.get_video(v).frame(5), store.get_video(out).frame(5)
    assert np.abs(np.rot90(src, k=-1).astype(int) - got.astype(int)).mean() < 2  # clockwise: lossless store
    assert seconds(store, out) == pytest.approx(seconds(store, v), abs=0.02)
    left = run(store, video=v, operation="rotate", angle=-90).video
    assert np.abs(np.rot90(src, k=1).astype(int) - store.get_video(left).frame(5).astype(int)).mean() < 2


def test_resize_to_720p_keeps_the_aspect_in_even_sides(session):
    store, refs = session
    v = refs["odd"]
    out = run(store, video=v, operation="resize", height=120).video
    assert out.height == 120 and out.width % 2 == 0
    assert out.width == pytest.approx(v.width * 120 / v.height, abs=2)
    half = run(store, video=refs["sound"], operation="resize", scale=0.5)
    assert "Resized the video from" in half.text and half.video.width == pytest.approx(refs["sound"].width / 2, abs=1)


def test_crop_to_an_aspect_a_place_or_a_box(session):
    store, refs = session
    v = refs["sound"]
    tall = run(store, video=v, operation="crop", aspect="9:16").video
    assert tall.height == v.height - v.height % 2 and tall.width / tall.height == pytest.approx(9 / 16, abs=0.02)
    left = run(store, video=v, operation="crop", part="the left half").video
    assert left.width == pytest.approx(v.width / 2, abs=2) and left.height == v.height - v.height % 2
    frame = store.get_video(v).frame(3)
    assert (
        np.abs(store.get_video(left).frame(3).astype(int) - frame[: left.height, : left.width].astype(int)).mean() < 2
    )
    boxed = run(store, video=v, operation="crop", box={"x1": 10, "y1": 20, "x2": 110, "y2": 80}).video
    assert (boxed.width, boxed.height) == (100, 60)


def test_crop_to_a_track_holds_the_thing_in_every_frame(session):
    store, refs = session
    v = refs["sound"]
    masks = np.zeros((v.frames, v.height, v.width), bool)
    for i in range(v.frames):  # a thing moving right across the middle
        x = 20 + i * 2
        masks[i, 40:80, x : x + 30] = True
    track = store.put_track(masks, video=v)
    out = run(store, video=v, operation="crop", track=track, margin=0.0).video
    lo, hi = 20, 20 + (v.frames - 1) * 2 + 30
    assert out.width == pytest.approx(min(hi, v.width) - lo, abs=2) and out.height == pytest.approx(40, abs=2)


def test_bad_arguments_say_the_fix(session):
    store, refs = session
    with pytest.raises(ToolArgumentError, match="crop needs a box, an aspect"):
        run(store, video=refs["sound"], operation="crop")
    with pytest.raises(ToolArgumentError, match="not a place on the frame"):
        run(store, video=refs["sound"], operation="crop", part="the dog")
    with pytest.raises(ToolArgumentError, match="resize needs a scale"):
        run(store, video=refs["sound"], operation="resize")
    with pytest.raises(ToolArgumentError, match="MP limit"):
        run(store, video=refs["sound"], operation="resize", scale=8.0, width=16000, height=9000)
    assert place_mask(8, 8, "top-right quarter")[:4, 4:].all() and place_mask(8, 8, "the dog") is None


@pytest.mark.parametrize(
    "text, args",
    [
        ("rotate the video 90 degrees clockwise", {"operation": "rotate", "angle": 90.0}),
        ("rotate the clip to the left", {"operation": "rotate", "angle": -90.0}),
        ("resize the clip to 720p", {"operation": "resize", "height": 720}),
        ("make the video half the size", {"operation": "resize", "scale": 0.5}),
        ("crop the video to a square", {"operation": "crop", "aspect": "1:1"}),
        ("crop it to 9:16 for instagram stories", {"operation": "crop", "aspect": "9:16"}),
        ("crop the clip to the right half", {"operation": "crop", "part": "the right half"}),
    ],
)
def test_the_planner_reads_video_geometry(text, args):
    toolbox = Toolbox(default_tools())
    plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"video": "video"}, "last": {}}), toolbox)
    assert [s.tool for s in plan.steps] == ["transform_video"], (plan.steps, plan.notes)
    assert {k: v for k, v in plan.steps[0].args.items() if k != "video"} == args


def test_a_crop_to_a_named_thing_follows_it_first():
    toolbox = Toolbox(default_tools())
    plan = RulePlanner().plan(
        PlanRequest(text="crop the video to the dog", inputs={"input": {"video": "video"}, "last": {}}), toolbox
    )
    assert [s.tool for s in plan.steps] == ["track", "transform_video"]
    assert plan.steps[0].args["target"] == "the dog" and plan.steps[1].args["track"] == "$s1.track"
