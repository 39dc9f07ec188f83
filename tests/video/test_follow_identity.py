"""'follow the cat' keeps its identity through a gap: the track switched to another cat after an
occlusion and said it had followed the cat. A cat that looks different is never taken for it; one
found after a gap is said as "found something similar (may be another one)", never silently.

Clips: :mod:`vitron_agent.testing.follow_clips` (a tabby from scikit-image and a cheetah from gradio's
test data, behind a pillar)."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.perception.identity import Event, events_said
from vitron_agent.testing.follow_clips import follow_clips, on_box
from vitron_agent.tools.video_time import clock

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _track(tmp_path, clip):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext
    from vitron_agent.tools.track_detect import EmbeddedTrackTool

    store = ArtifactStore(tmp_path, "follow")
    video = store.put_video(iter(clip.frames), clip.fps)
    out = EmbeddedTrackTool()(ToolContext(store=store), video=video.model_dump(), target="the cat")
    return out, store.get_track(out.track).astype(bool)


def test_another_cat_where_the_cat_hid_is_not_taken_for_it(tmp_path):
    clip = next(c for c in follow_clips((0,)) if c.kind == "replaced")  # the tabby hides; a cheetah comes out
    out, masks = _track(tmp_path, clip)
    on_other = [i for i in range(len(masks)) if clip.b[i] is not None and on_box(masks[i], clip.b[i])]
    assert not on_other, (on_other, out.method)
    assert "was not taken for it (it looks different)" in out.method, out.method


def test_a_cat_found_after_a_gap_is_said_as_maybe_another(tmp_path):
    clip = next(c for c in follow_clips((0,)) if c.kind == "lookalike")  # a darker mirrored tabby comes out
    out, masks = _track(tmp_path, clip)
    on_other = [i for i in range(len(masks)) if clip.b[i] is not None and on_box(masks[i], clip.b[i])]
    if on_other:  # followed onto the look-alike: only ever said as a doubt
        assert "found something similar at" in out.method and "(may be another one)" in out.method, out.method


def test_the_events_in_words():
    said = events_said([Event("similar", 15, 25), Event("other", 15, 29), Event("similar", 28, 33)], 10.0, "cat", clock)
    assert said.startswith("; lost at 0:01.5, found something similar at 0:02.5 (may be another one); cannot tell")
    assert "another cat at 0:02.9 was not taken for it (it looks different)" in said
    assert said.endswith("1 more such gap after it, each may be another one")
    assert events_said([], 10.0, "cat", clock) == ""


def test_the_answer_says_the_doubt():
    from vitron_agent.tools.track import identity_notes

    method = (
        "SSD-MobileNetV2 recognised cat 0.68 on frame 0; detected on every frame; followed only 0:00-0:01.6 of the "
        "0:04.8 clip" + events_said([Event("similar", 15, 25), Event("other", 15, 29)], 10.0, "cat", clock)
    )
    assert identity_notes(method) == [
        "lost at 0:01.5, found something similar at 0:02.5 (may be another one)",
        "another cat at 0:02.9 was not taken for it (it looks different)",
    ]
    assert np.all([identity_notes("BlazeFace recognised faces 0.9 at best") == []])
