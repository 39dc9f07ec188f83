"""'When does X appear', 'describe the video', 'how many people walk past' on real material: scikit-image's
photos as shots (a person on screen 1.0-2.5 s and 3.5-4.2 s), gradio's a.mp4 (text on screen, a silent
sound track), b.mp4 with sax.wav's sound, and people (cut from scikit-image's astronaut and cameraman
photos) walking across a real photo (vitron_agent.testing.walkers)."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.perception.track_boxes import BoxTracker
from vitron_agent.runtime.turns import ingest_video
from vitron_agent.storage.store import ArtifactStore
from vitron_agent.testing.sample_clips import gradio_file, photo_shots, with_sound
from vitron_agent.testing.walkers import street
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.tool import ToolContext
from vitron_agent.tools.video_count import CountInVideoTool
from vitron_agent.tools.video_describe import EmbeddedDescribeVideoTool, shot_cuts
from vitron_agent.tools.video_edit import TrimVideoTool
from vitron_agent.tools.video_time import FindInVideoTool, answer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    store = ArtifactStore(tmp_path_factory.mktemp("store"), "understand")
    shots = store.put_video(iter(photo_shots()), 10.0)
    return store, shots


def run(tool, store, **args):
    return tool(ToolContext(store=store), **args)


def test_when_is_the_person_visible_to_the_frame(session):
    store, v = session
    out = run(FindInVideoTool(), store, video=v.model_dump(), target="the person")
    assert [(r.start, r.end) for r in out.ranges] == [(1.0, 2.5), (3.5, 4.2)]
    assert out.seconds == pytest.approx(2.2) and out.first == 1.0 and out.last == 4.2
    assert "sampled every 0.20 s" in out.text and "placed to the frame" in out.text
    appear = run(FindInVideoTool(), store, video=v.model_dump(), target="the person", question="appear")
    assert appear.text.startswith("The person first appears at 0:01.")
    gone = run(FindInVideoTool(), store, video=v.model_dump(), target="a cup", question="disappear")
    assert gone.text.startswith("A cup disappears at 0:01.")


def test_a_coarse_sample_is_still_placed_to_the_frame(session):
    store, v = session
    out = run(FindInVideoTool(), store, video=v.model_dump(), target="the person", every=1.0)
    assert [(r.start, r.end) for r in out.ranges] == [(1.0, 2.5), (3.5, 4.2)]
    assert "every 1.00 s" in out.text


def test_trim_to_the_part_where_the_cat_is_visible(session):
    store, v = session
    out = run(TrimVideoTool(), store, video=v.model_dump(), visible="the cat")
    assert out.video.frames == 10 and "0:02.5 to 0:03.5" in out.text
    assert np.array_equal(store.get_video(out.video).frame(0), photo_shots()[25])


def test_find_refuses_what_it_cannot_recognise(session):
    store, v = session
    with pytest.raises(ToolArgumentError, match="not one of them"):
        run(FindInVideoTool(), store, video=v.model_dump(), target="the sky")


def test_answer_wording():
    assert answer("the dog", "when", [], 10, "how").startswith("I did not see the dog")
    assert "throughout" in answer("the dog", "when", [(0.0, 10.0)], 10.0, "how")
    assert "on screen for 3.0 s" in answer("the dog", "how_long", [(1.0, 2.0), (5.0, 7.0)], 10.0, "how")


def test_describe_names_shots_things_and_sound(session, tmp_path):
    store, v = session
    out = run(EmbeddedDescribeVideoTool(), store, video=v.model_dump())
    assert out.cuts == 3 and "4 shots (PySceneDetect)" in out.text
    assert "Shot 1 (0:00-0:01): cup" in out.text and "Shot 2 (0:01-0:02.5): person" in out.text
    assert "cat" in out.text.split("Shot 3")[1] and "It has no sound track." in out.text
    assert "42 frames at 10 fps" in out.text

    trailer = ingest_video(str(gradio_file("videos/a.mp4")), store, Config())
    out = run(EmbeddedDescribeVideoTool(), store, video=trailer.model_dump())
    assert "THANKS" in out.text and "FOR" in out.text and "silent" in out.text
    sound = ingest_video(str(with_sound(tmp_path)), store, Config())
    asked = run(EmbeddedDescribeVideoTool(), store, video=sound.model_dump(), question="is there any sound?")
    assert asked.text.startswith("It has sound (1 channel, 48000 Hz")


def test_shot_cuts_on_a_real_clip_without_cuts():
    from vitron_agent.media.video import open_video

    _, frames = open_video(gradio_file("videos/b.mp4"))
    assert shot_cuts(frames, 30.0) == []


def test_count_people_walking_past_counts_tracks_not_boxes(tmp_path):
    st = street(frames=160, width=480, height=360, people=3, seed=1)
    store = ArtifactStore(tmp_path, "walk")
    v = store.put_video(st.frames(), st.fps)
    out = run(CountInVideoTool(), store, video=v.model_dump(), target="people")
    assert out.count == 3, out.text
    assert "moved across the frame" in out.text and "sure" in out.text


def test_tracker_keeps_one_id_through_a_low_score_frame():
    t = BoxTracker(max_gap=10, high=0.5)
    a = t.update(0, [[10, 10, 50, 90]], [0.9])
    b = t.update(2, [[14, 10, 54, 90]], [0.35])  # half hidden: a low score continues the track
    c = t.update(4, [[18, 10, 58, 90], [200, 10, 240, 90]], [0.8, 0.9])
    assert a == [0] and b == [0] and c == [0, 1]
    assert t.update(6, [[300, 300, 320, 330]], [0.35]) == [-1]  # a low score starts nothing
