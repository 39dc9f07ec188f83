"""An edit of one part of a clip (a shot, a half or third, the part with a thing, the last N seconds): the
part is found on the clip, only its frames change, every other frame stays byte-identical, and the answer
says the range (they all had edited the whole clip, or tracked "the first half" as a thing)."""

import numpy as np
import pytest

from vitron_agent.core.errors import ToolFailed
from vitron_agent.testing.part_clips import clip as part_clip
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.video_clip_parts import clip_part
from vitron_agent.tools.video_cv import CvEditVideoTool
from vitron_agent.tools.video_edit import SpeedVideoTool, part_speed_mapping


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    """rocket 0-2 s, a motorcycle 2-4 s (zooming), the cat 4-6 s (panning), 10 fps, in a store."""
    from vitron_agent.storage.store import ArtifactStore

    store = ArtifactStore(tmp_path_factory.mktemp("store"), "scope")
    c = part_clip("shots")
    return store, store.put_video(iter(c.frames), c.fps)


def _changed(store, a, b) -> list[int]:
    x, y = store.get_video(a).array(), store.get_video(b).array()
    assert x.shape == y.shape
    return [i for i in range(len(x)) if not np.array_equal(x[i], y[i])]


@pytest.mark.parametrize(
    "part, frames, words",
    [
        ({"shot": -1}, (40, 60), "the last shot of 3, 0:04 to 0:06"),
        ({"shot": "middle"}, (20, 40), "the second shot of 3"),
        ({"piece": 1, "pieces": 2}, (0, 30), "the first half, 0:00 to 0:03"),
        ({"piece": -1, "pieces": 3}, (40, 60), "the last third"),
        ({"last": 1.5}, (45, 60), "the last 1.5 s"),
    ],
)
def test_only_the_part_changes_and_the_rest_is_byte_identical(shots, part, frames, words):
    store, ref = shots
    out = CvEditVideoTool()(ToolContext(store=store), video=ref.model_dump(), operation="grayscale", part=part)
    assert _changed(store, ref, out.video) == list(range(*frames))
    assert words in out.edited


def test_the_part_with_a_thing_is_found_on_the_clip(shots):
    store, ref = shots
    out = CvEditVideoTool()(
        ToolContext(store=store), video=ref.model_dump(), operation="blur", part={"visible": "the cat"}
    )
    changed = _changed(store, ref, out.video)
    assert abs(changed[0] - 40) <= 2 and changed[-1] == 59 and len(changed) == 60 - changed[0]
    assert "the part with the cat" in out.edited


def test_a_shot_the_clip_lacks_is_refused_with_its_shots(shots):
    store, ref = shots
    with pytest.raises(ToolFailed, match=r"3 shots .*no shot 5"):
        CvEditVideoTool()(ToolContext(store=store), video=ref.model_dump(), operation="blur", part={"shot": 5})


def test_an_empty_part_is_refused_and_a_part_longer_than_the_clip_is_said(shots):
    """ "the last 0 seconds" was said done over "0:06 to 0:06"; "the last 10 s" of a 6 s clip edited all of it
    unsaid (review s12)."""
    store, ref = shots
    with pytest.raises(ToolFailed, match="hold no frame"):
        CvEditVideoTool()(ToolContext(store=store), video=ref.model_dump(), operation="blur", part={"last": 0.01})
    out = CvEditVideoTool()(ToolContext(store=store), video=ref.model_dump(), operation="grayscale", part={"last": 10})
    assert "the clip is only 0:06 long: all of it" in out.edited


def test_speed_of_one_shot_keeps_the_frames_around_it(shots):
    store, ref = shots
    out = SpeedVideoTool()(ToolContext(store=store), video=ref.model_dump(), factor=0.5, part={"shot": 2})
    src, got = store.get_video(ref).array(), store.get_video(out.video).array()
    assert len(got) == 80 and np.array_equal(got[:20], src[:20]) and np.array_equal(got[-20:], src[-20:])
    assert np.array_equal(got[20], got[21]) and "the second shot of 3" in out.text


def test_part_speed_mapping():
    assert part_speed_mapping(10, [(2, 6)], 2.0) == [0, 1, 2, 4, 6, 7, 8, 9]
    assert part_speed_mapping(6, [(0, 2), (4, 6)], 0.5) == [0, 0, 1, 1, 2, 3, 4, 4, 5, 5]


@pytest.mark.parametrize(
    "text, part",
    [
        ("make the last shot black and white", {"shot": -1}),
        ("blur the first half", {"piece": 1, "pieces": 2}),
        ("darken the second half of the video", {"piece": 2, "pieces": 2}),
        ("make the middle shot grayscale", {"shot": "middle"}),
        ("brighten the part with the cat", {"visible": "the cat"}),
        ("make it red", None),
        ("blur the first person", None),
    ],
)
def test_the_part_is_read_from_the_words(text, part):
    got = clip_part(text)
    assert (got.model_dump(exclude_none=True) if got else None) == part


@pytest.mark.parametrize(
    "text, tool, part",
    [
        ("make the last shot black and white", "edit_video", {"shot": -1}),
        ("blur the first half", "edit_video", {"piece": 1, "pieces": 2}),
        ("blur the last 3 seconds", "edit_video", {"last": 3.0}),
        ("slow down the second shot", "speed_video", {"shot": 2}),
    ],
)
def test_the_planner_passes_the_part_and_tracks_nothing(text, tool, part):
    from vitron_agent.planners.base import PlanRequest
    from vitron_agent.planners.rule import RulePlanner
    from vitron_agent.toolkit.tool import Toolbox
    from vitron_agent.tools import default_tools

    plan = RulePlanner().plan(
        PlanRequest(text=text, inputs={"input": {"video": "video"}, "last": {}}), Toolbox(default_tools())
    )
    assert [(s.tool, s.args.get("part")) for s in plan.steps] == [(tool, part)]


def test_a_tracked_edit_in_one_shot_tracks_the_thing_and_edits_that_shot():
    from vitron_agent.planners.base import PlanRequest
    from vitron_agent.planners.rule import RulePlanner
    from vitron_agent.toolkit.tool import Toolbox
    from vitron_agent.tools import default_tools

    plan = RulePlanner().plan(
        PlanRequest(text="make the cat blue in the last shot", inputs={"input": {"video": "video"}, "last": {}}),
        Toolbox(default_tools()),
    )
    assert [s.tool for s in plan.steps] == ["track", "edit_video"]
    assert plan.steps[0].args["target"] == "the cat" and plan.steps[1].args["part"] == {"shot": -1}
