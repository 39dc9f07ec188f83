"""The cv video tools on synthetic clips with known ground truth."""

import numpy as np
import pytest

from tests.conftest import iou
from tests.video.conftest import put_clip
from vitron_agent.core.errors import ToolArgumentError, ToolFailed
from vitron_agent.media.synthetic import moving_disc
from vitron_agent.perception.masks import bbox
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.track import CvTrackTool
from vitron_agent.tools.video_cv import CvAnimateTool, CvDescribeVideoTool, CvEditVideoTool, FrameTool


def _track(store, frames, **args):
    video = put_clip(store, frames)
    out = CvTrackTool()(ToolContext(store=store), video=video.model_dump(), **args)
    return video, out, store.get_track(out.track)


@pytest.mark.parametrize(
    "clip_args",
    [
        {},
        {"fade": True},
        {"cut_at": 12},
        {"velocity": (5.0, -3.0)},
        {"fade": True, "cut_at": 9, "frames": 30},
        {"color": (40, 160, 60), "radius": 9},
        {"color": (230, 200, 40), "velocity": (-4.0, 2.0), "start": (100.0, 40.0)},
    ],
    ids=["plain", "fade", "cut", "bounce", "fade+cut", "green-small", "yellow-left"],
)
def test_tracking_iou_on_every_frame(store, clip_args):
    frames, truth = moving_disc(**clip_args)
    ys, xs = np.nonzero(truth[0])
    _, out, track = _track(store, frames, point={"type": "point", "x": float(xs.mean()), "y": float(ys.mean())})
    ious = [iou(a, b) for a, b in zip(track, truth, strict=True)]
    assert min(ious) >= 0.8, (int(np.argmin(ious)), min(ious))
    assert out.present == len(frames) and out.track.frames == len(frames)


def test_textured_target_on_a_photo_and_a_growing_target(store):
    """Harder than a flat disc: a cat cut-out moving over a photo whose colours it shares (the colour
    model alone erodes it), and a disc that grows (a pure translation would lag behind)."""
    import cv2
    from skimage import data

    bg = cv2.resize(data.astronaut(), (256, 192))
    cat = cv2.resize(data.chelsea()[50:250, 100:350], (50, 40))
    yy, xx = np.mgrid[0:40, 0:50]
    shape = ((xx - 25) / 25) ** 2 + ((yy - 20) / 20) ** 2 <= 1
    frames, truth = [], []
    for t in range(30):
        f, m = bg.copy(), np.zeros(bg.shape[:2], bool)
        x, y = 20 + 5 * t, 30 + int(2.5 * t)
        f[y : y + 40, x : x + 50][shape] = cat[shape]
        m[y : y + 40, x : x + 50] = shape
        frames.append(f)
        truth.append(m)
    _, _, track = _track(store, frames, mask=store.put_mask(truth[0]).model_dump())
    assert min(iou(a, b) for a, b in zip(track, truth, strict=True)) >= 0.8

    from vitron_agent.media.synthetic import texture

    frames, truth = [], []
    for t in range(24):
        f, m = texture(96, 128, 0), np.zeros((96, 128), np.uint8)
        cv2.circle(m, (30 + 3 * t, 48), 8 + t // 2, 1, -1)
        f[m > 0] = (220, 30, 30)
        frames.append(f)
        truth.append(m > 0)
    _, _, track = _track(store, frames, target="red")
    assert min(iou(a, b) for a, b in zip(track, truth, strict=True)) >= 0.8


def test_text_target_and_box_on_a_middle_frame(store):
    frames, truth = moving_disc()
    _, out, track = _track(store, frames, target="the red ball")
    assert "red" in out.method and min(iou(a, b) for a, b in zip(track, truth, strict=True)) >= 0.8
    x1, y1, x2, y2 = bbox(truth[15])
    _, out, track = _track(
        store, frames, box={"type": "box", "x1": x1 - 3, "y1": y1 - 3, "x2": x2 + 3, "y2": y2 + 3}, frame=15
    )
    assert min(iou(a, b) for a, b in zip(track, truth, strict=True)) >= 0.8  # backward and forward
    assert "frame 15" in out.method


def test_mask_prompt(store):
    frames, truth = moving_disc()
    mask = store.put_mask(truth[0])
    _, out, track = _track(store, frames, mask=mask.model_dump())
    assert out.method.startswith("the given mask") and iou(track[-1], truth[-1]) >= 0.8


def test_target_absent_and_bad_arguments(store):
    frames, _ = moving_disc()
    video = put_clip(store, frames)
    tool, ctx = CvTrackTool(), ToolContext(store=store)
    with pytest.raises(ToolFailed, match="found no purple target on frame 0"):
        tool(ctx, video=video.model_dump(), target="the purple ball")
    with pytest.raises(ToolArgumentError, match="frame 40 is outside the 24-frame video"):
        tool(ctx, video=video.model_dump(), target="red", frame=40)
    with pytest.raises(ToolArgumentError, match="outside the 128x96 video"):
        tool(ctx, video=video.model_dump(), point={"type": "point", "x": 500, "y": 5})


def test_object_that_leaves_is_reported_absent(store):
    frames, truth = moving_disc(frames=12)
    for f in frames[6:]:  # the disc disappears: paint the background over it
        f[:] = frames[0][0, 0]
    _, out, track = _track(store, frames, target="red")
    assert out.present == 6 and not track[8:].any()


def test_recolor_changes_only_the_tracked_region(store):
    frames, truth = moving_disc()
    video, out, track = _track(store, frames, target="the red ball")
    ctx = ToolContext(store=store)
    edited = CvEditVideoTool()(
        ctx, video=video.model_dump(), track=out.track.model_dump(), operation="recolor", color="blue"
    ).video
    assert (edited.frames, edited.fps, edited.width, edited.height) == (24, 12.0, 128, 96)
    store.cache._items.clear()  # read back from the mp4
    result = list(store.get_video(edited).frames())
    for t, (before, after) in enumerate(zip(frames, result, strict=True)):
        changed = np.any(before != after, axis=2)
        assert not (changed & ~track[t]).any(), f"frame {t}: pixels outside the track changed"
        inside = after[truth[t]].astype(int)
        assert (inside[:, 2] > inside[:, 0]).mean() > 0.95, f"frame {t}: the disc is not blue"


def test_background_edit_and_time_range(store):
    frames, truth = moving_disc()
    video, out, track = _track(store, frames, target="red")
    ctx = ToolContext(store=store)
    edited = CvEditVideoTool()(
        ctx,
        video=video.model_dump(),
        track=out.track.model_dump(),
        operation="replace_background",
        color="white",
        smooth=0,
        start=1.0,
    ).video
    result = list(store.get_video(edited).frames())
    assert all(np.array_equal(a, b) for a, b in zip(result[:12], frames[:12], strict=True))  # before 1 s: untouched
    for t in range(12, 24):
        assert (result[t][~track[t]] == 255).all() and np.array_equal(result[t][track[t]], frames[t][track[t]])


def test_edit_video_argument_errors(store):
    frames, truth = moving_disc()
    video = put_clip(store, frames)
    short = store.put_track(truth[:5])
    ctx, tool = ToolContext(store=store), CvEditVideoTool()
    with pytest.raises(ToolArgumentError, match="needs a track"):
        tool(ctx, video=video.model_dump(), operation="recolor", color="blue")
    with pytest.raises(ToolArgumentError, match="the track has 5 frames but the video has 24"):
        tool(ctx, video=video.model_dump(), operation="recolor", color="blue", track=short.model_dump())
    with pytest.raises(ToolArgumentError, match="recolor needs a color"):
        tool(ctx, video=video.model_dump(), operation="recolor", track=short.model_dump())
    whole = tool(ctx, video=video.model_dump(), operation="grayscale").video
    f = store.get_video(whole).frame(3)
    assert np.abs(f[..., 0].astype(int) - f[..., 2]).max() <= 1


def test_temporal_smoothing_removes_a_one_frame_flicker(store):
    from vitron_agent.tools.video_cv import smoothed_masks

    masks = [np.zeros((8, 8), bool) for _ in range(5)]
    for m in masks:
        m[2:6, 2:6] = True
    masks[2] = np.zeros((8, 8), bool)  # the target flickers out for one frame
    ref = store.put_track(masks)
    smooth = list(smoothed_masks(store, ref, 1))
    assert smooth[2][2:6, 2:6].all() and len(smooth) == 5
    assert not list(smoothed_masks(store, ref, 0))[2].any()


def test_describe_video(store):
    frames, truth = moving_disc(fade=True, cut_at=12)
    video = put_clip(store, frames)
    track = store.put_track(truth, video=video)
    ctx, tool = ToolContext(store=store), CvDescribeVideoTool()
    out = tool(ctx, video=video.model_dump(), track=track.model_dump())
    assert out.cuts == 1 and "1 scene cut" in out.text and "darker" in out.text
    assert "2.0 s video (24 frames at 12 fps, 128x96)" in out.text and "visible on 24 of 24 frames" in out.text
    plain, ptruth = moving_disc(velocity=(4.0, 0.0), start=(20.0, 48.0))
    v2 = put_clip(store, plain)
    t2 = store.put_track(ptruth, video=v2)
    answer = tool(ctx, video=v2.model_dump(), track=t2.model_dump(), question="where does it go?").text
    assert "moves right" in answer and "starts at the left" in answer
    still = put_clip(store, [plain[0]] * 10)
    assert tool(ctx, video=still.model_dump()).motion == 0.0


def test_frame_and_animate(store):
    frames, _ = moving_disc()
    video = put_clip(store, frames)
    ctx = ToolContext(store=store)
    out = FrameTool()(ctx, video=video.model_dump(), time=1.0)
    assert out.index == 12 and np.array_equal(store.get_image(out.image), frames[12])
    assert FrameTool()(ctx, video=video.model_dump(), position="last").index == 23
    with pytest.raises(ToolArgumentError, match="past the end"):
        FrameTool()(ctx, video=video.model_dump(), time=5.0)
    image = store.put_image(frames[0])
    clip = CvAnimateTool()(ctx, image=image.model_dump(), prompt="slowly zoom out", frames=10, fps=5).video
    got = list(store.get_video(clip).frames())
    assert (clip.frames, clip.fps, clip.width, clip.height) == (10, 5.0, 128, 96)
    assert np.array_equal(got[-1], frames[0]) and not np.array_equal(got[0], frames[0])  # ends unzoomed
