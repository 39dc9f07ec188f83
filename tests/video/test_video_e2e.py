"""Video through the Agent and the command line: the flagship chain, follow-up turns,
hostile files, the report and the exported files."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import iou
from vitron_agent.core.errors import MediaError
from vitron_agent.media.video import open_video
from vitron_agent.runtime.agent import Agent

BIN = Path(sys.executable).parent / "vitron-agent"


def test_cli_track_recolor_describe(tmp_path, clip_file, clip):
    out = tmp_path / "out"
    p = subprocess.run(
        [
            str(BIN),
            "run",
            "--video",
            str(clip_file),
            "--json",
            "--out",
            str(out),
            "track the red ball, make it blue, then describe it",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert [(s["tool"], s["status"]) for s in data["steps"]] == [
        ("track", "ok"),
        ("edit_video", "ok"),
        ("describe_video", "ok"),
    ]
    edited = data["steps"][1]["outputs"]["video"]
    assert edited["kind"] == "video" and edited["path"].endswith(".mp4")
    info, frames = open_video(edited["path"])
    decoded = list(frames)
    assert len(decoded) == 24 and (info.width, info.height, info.fps) == (128, 96, 12.0)
    truth = clip[1]
    for t in (0, 12, 23):
        px = decoded[t][truth[t]].astype(int)
        assert (px[:, 2] > px[:, 0]).mean() > 0.95  # the ball is blue on every frame checked
    preview = Path(edited["path"]).with_suffix(".preview.mp4")
    assert sum(1 for _ in open_video(preview)[1]) == 24
    assert (out / "input_video.mp4").exists()
    assert "visible on 24 of 24 frames" in data["answer"]
    report = Path(data["report"]).read_text()
    assert report.count("<video ") >= 3 and "keyframes 0, 5, 9, 14, 18, 23" in report


def test_cli_plan_and_bad_video(tmp_path, clip_file):
    p = subprocess.run(
        [str(BIN), "plan", "--video", str(clip_file), "--json", "follow the red ball and blur the background"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    assert [s["tool"] for s in json.loads(p.stdout)["steps"]] == ["track", "edit_video"]
    bad = tmp_path / "bad.mp4"
    bad.write_text("not a video")
    p = subprocess.run(
        [str(BIN), "run", "--video", str(bad), "describe it"], capture_output=True, text=True, timeout=60
    )
    assert p.returncode != 0 and "not a recognised video" in p.stderr and "Traceback" not in p.stderr


def test_agent_sessions_follow_up_on_the_video(tmp_path, clip_file, clip):
    with Agent(data_dir=tmp_path / "data") as agent:
        first = agent.run("track the red ball", video=str(clip_file), session="v")
        assert first.ok
        track = agent.load(first.step("s1").ref("track"))
        assert min(iou(a, b) for a, b in zip(track, clip[1], strict=True)) >= 0.8
        second = agent.run("now make it green", session="v")
        assert second.ok and [s.tool for s in second.steps] == ["edit_video"]
        assert second.plan.steps[0].args["track"] == "$last.track"
        third = agent.run("take the last frame and describe it", session="v")
        assert third.ok and [s.tool for s in third.steps] == ["frame", "describe"]
        frame = agent.load(third.step("s1").ref("image"))
        ball = frame[clip[1][23]].astype(int)
        assert (ball[:, 1] > ball[:, 0]).mean() > 0.95  # the frame comes from the green video of turn 2
        with pytest.raises(MediaError, match="no video stream|not a recognised video"):
            agent.run("describe it", video=b"\x00" * 100, session="v")
        assert agent.run("describe the video", session="v").ok  # the session goes on


def test_agent_caps_and_array_input(tmp_path, clip):
    from vitron_agent.toolkit.config import Config

    cfg = Config.model_validate({"store": {"max_video_frames": 10}})
    with Agent(config=cfg, data_dir=tmp_path / "d") as agent:
        with pytest.raises(MediaError, match="exceed max_video_frames=10"):
            agent.run("describe it", video=np.stack(clip[0]))
        ok = agent.run("describe it", video=np.stack(clip[0][:8]))
        assert ok.ok and "8 frames at 24 fps" in ok.answer


def test_agent_animates_a_photo_with_the_cv_backend(tmp_path):
    from skimage import data

    with Agent(data_dir=tmp_path / "data") as agent:
        result = agent.run("animate it with a slow zoom out, then describe the video", image=data.chelsea())
    assert result.ok, result.answer
    assert [s.tool for s in result.steps] == ["animate", "describe_video"]
    video = result.step("s1").ref("video")
    assert (video.frames, video.fps, video.width, video.height) == (24, 12.0, 451, 300)
    assert "2.0 s video (24 frames at 12 fps, 451x300)" in result.answer
