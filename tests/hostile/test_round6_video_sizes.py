"""Hostile round 6: a resize or crop of a clip that cannot be made as asked says so. H.264 frames have even
sides of at least 2 pixels: before, "resize to 1x1" made 2x2 and "resize to 100x75" 100x76, and "crop the
left half" of a 2x2 clip kept it whole, each said done without a word."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.media.video import write_video
from vitron_agent.runtime.turns import ingest_video
from vitron_agent.storage.store import ArtifactStore
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.video_transform import TransformVideoTool


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    store = ArtifactStore(tmp_path_factory.mktemp("store"), "sizes")
    rng = np.random.default_rng(0)
    made = {}
    for name, (h, w) in {"small": (96, 128), "tiny": (2, 2), "odd": (63, 81)}.items():
        write_video([rng.integers(0, 255, (h, w, 3), np.uint8) for _ in range(4)], folder / f"{name}.mp4", 8.0)
        made[name] = ingest_video(str(folder / f"{name}.mp4"), store, Config())
    return store, made


@pytest.mark.parametrize(
    ("clip", "args", "made", "says"),
    [
        ("small", {"operation": "resize", "width": 1, "height": 1}, (2, 2), "I made it 2x2, not 1x1"),
        ("small", {"operation": "resize", "width": 100, "height": 75}, (100, 76), "I made it 100x76, not 100x75"),
        ("tiny", {"operation": "crop", "part": "left half"}, (2, 2), "I made it 2x2, not 1x2"),
        ("odd", {"operation": "crop", "part": "left half"}, (40, 62), "I made it 40x62, not 40x63"),
    ],
)
def test_a_size_that_cannot_be_made_is_said(clips, clip, args, made, says):
    store, refs = clips
    out = TransformVideoTool()(ToolContext(store=store), video=refs[clip], **args)
    assert (out.video.width, out.video.height) == made
    assert says in out.text and "even and at least 2 pixels" in out.text, out.text


@pytest.mark.parametrize(
    "args",
    [
        {"operation": "resize", "scale": 0.5},
        {"operation": "crop", "part": "left half"},
        {"operation": "crop", "aspect": "square"},
    ],
)
def test_a_size_made_as_asked_has_no_note(clips, args):
    store, refs = clips
    out = TransformVideoTool()(ToolContext(store=store), video=refs["small"], **args)
    assert "I made it" not in out.text, out.text


def test_shot_zero_is_said_as_asked(tmp_path):
    from vitron_agent.runtime.agent import Agent

    clip = tmp_path / "c.mp4"
    write_video([np.full((48, 64, 3), 40 * i, np.uint8) for i in range(4)], clip, 8.0)
    answer = Agent(data_dir=tmp_path / "d").run("remove shot 0", video=clip, session="s").answer
    assert answer.startswith("I could not remove shot 0:") and "counted from 1" in answer, answer


def test_a_sheet_of_a_one_frame_clip_does_not_claim_twelve(tmp_path):
    from vitron_agent.runtime.agent import Agent

    clip = tmp_path / "one.mp4"
    write_video([np.full((48, 64, 3), 90, np.uint8)], clip, 12.0)
    answer = Agent(data_dir=tmp_path / "d").run("make a contact sheet", video=clip, session="s").answer
    assert "Put 1 frames" in answer and "I put 12 frames" not in answer, answer
