"""The video basics a newcomer expects, on the bundled sample clips (vitron_agent.testing.sample_clips)
through the Agent: a named thing that enters later is tracked from where it first appears; a thing
filling a whole short shot is counted; the clip's length is read from its metadata; "is there a cat?
when?" is answered by the detector; the sound can be removed. Each case failed before (the probe's
v07, v09, v11, v12, v16)."""

from __future__ import annotations

import pytest

from vitron_agent.core.refs import VideoRef
from vitron_agent.media.video import write_video
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.sample_clips import photo_shots, with_sound
from vitron_agent.tools.video_count import long_enough

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """shots.mp4 (a cup 0-1 s, a person 1-2.5 s, a cat 2.5-3.5 s, a person 3.5-4.2 s at 10 fps) and
    sound.mp4 (b.mp4 with a sound track), as ``python -m vitron_agent.testing.sample_clips`` writes them."""
    folder = tmp_path_factory.mktemp("clips")
    shots = folder / "shots.mp4"
    write_video(photo_shots(), shots, 10.0)
    return {"shots": str(shots), "sound": str(with_sound(folder))}


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    with Agent(data_dir=tmp_path_factory.mktemp("data")) as a:
        yield a


def test_tracking_starts_where_the_named_thing_first_appears(agent, clips):
    result = agent.run("track the cat and make it red", video=clips["shots"])
    assert result.ok, result.answer
    track = result.step("s1")
    assert "first seen at 0:02.5 (frame 25)" in str(track.output("method"))
    assert "followed the cat from 0:02.5 to 0:03.5 (not found in the rest of the 0:04.2 clip)" in result.answer
    ref = track.output("track")
    assert 8 <= ref.present <= 11  # the cat's shot (10 frames), not the person's or the cup's


def test_a_thing_filling_a_whole_short_shot_is_counted(agent, clips):
    result = agent.run("how many cups are in the video", video=clips["shots"])
    assert result.ok, result.answer
    assert result.step("s1").output("count") == 1, result.answer
    assert "I counted 1 distinct cup. On screen: 0:00-0:01" in result.answer


def test_long_enough_by_time_or_by_its_shot():
    v = VideoRef(id="v", session="s", width=32, height=32, frames=100, fps=10.0)
    assert long_enough(0, 9, v, [])  # 1.0 s, both ends counted
    assert not long_enough(0, 5, v, [])  # 0.6 s in a 10 s shot: a fragment
    assert long_enough(40, 45, v, [40, 47])  # 0.6 s filling most of a 0.7 s shot
    assert not long_enough(40, 42, v, [40, 47])  # under 80 % of its shot
    assert not long_enough(38, 45, v, [40, 47])  # spans a cut: held to the time rule


@pytest.mark.parametrize("text", ["how long is the video?", "how long is this?"])
def test_how_long_is_the_video_is_read_from_the_metadata(agent, clips, text):
    result = agent.run(text, video=clips["shots"])
    assert result.ok, result.answer
    assert "The video is 0:04.2 long (4.20 s): 42 frames at 10 fps, 320x240 pixels" in result.answer
    assert "look for" not in result.answer and "through the video" not in result.answer


@pytest.mark.parametrize(
    "text",
    [
        "how long is the clip",
        "how long is it?",
        "what's the duration?",
        "what is the frame rate?",
        "what fps is this clip",
        "what resolution is the video?",
        "how many frames does the video have?",
    ],
)
def test_questions_about_the_clip_itself_read_its_metadata(text):
    from vitron_agent.planners.base import PlanRequest
    from vitron_agent.planners.rule import RulePlanner
    from vitron_agent.toolkit.tool import Toolbox
    from vitron_agent.tools import default_tools

    p = RulePlanner().plan(
        PlanRequest(text=text, inputs={"input": {"video": "video"}, "last": {}}), Toolbox(default_tools())
    )
    assert [(s.tool, s.args.get("target")) for s in p.steps] == [("find_in_video", "the video")], text


def test_how_long_a_thing_is_on_screen_is_still_searched(agent, clips):
    result = agent.run("how long is the cat on screen?", video=clips["shots"])
    assert result.ok and "The cat is on screen for 1.0 s of the 4.2 s clip" in result.answer, result.answer


def test_is_there_a_cat_and_when(agent, clips):
    result = agent.run("is there a cat in this video? when?", video=clips["shots"])
    assert result.ok, result.answer
    # "Yes. A cat is visible ..." (describe_video) or "A cat is visible ..." (find_in_video, as readB now plans it)
    assert "cat is visible from 0:02.5 to 0:03.5" in result.answer, result.answer
    assert "does not recognise objects" not in result.answer
    none = agent.run("is there a dog in this video?", video=clips["shots"])
    assert "I did not see a dog" in none.answer and "can miss" in none.answer


@pytest.mark.parametrize("text", ["remove the sound", "mute it"])
def test_mute_removes_the_sound_and_keeps_the_pictures(agent, clips, text):
    result = agent.run(text, video=clips["sound"])
    assert result.ok, result.answer
    assert [s.tool for s in result.steps] == ["mute_video"]
    before = agent.run("how long is the video?", video=clips["sound"]).step("s1")
    out = result.step("s1").output("video")
    assert out.audio is None and "with a sound track" in before.output("text")
    assert (out.frames, out.fps, out.width, out.height) == (150, 30.0, 480, 270)
    assert "Removed the sound" in result.answer


def test_a_silent_clip_says_there_was_nothing_to_mute(agent, clips):
    result = agent.run("remove the sound", video=clips["shots"])
    assert result.ok and "no sound, so there was nothing to remove" in result.answer


def test_other_sound_edits_are_still_refused(agent, clips):
    result = agent.run("make it louder", video=clips["sound"])
    assert not result.steps and "I cannot change sound beyond removing it ('mute it')" in result.answer


@pytest.mark.parametrize(
    "text, tools",
    [
        ("is there any sound?", ["describe_video"]),
        ("does this video have audio?", ["describe_video"]),
        ("loop it three times, no audio needed", ["loop_video"]),
        ("take the sound out", ["mute_video"]),
        ("remove the sound and make it black and white", ["mute_video", "edit_video"]),
    ],
)
def test_a_sound_question_or_remark_is_no_mute(text, tools):
    from vitron_agent.planners.base import PlanRequest
    from vitron_agent.planners.rule import RulePlanner
    from vitron_agent.toolkit.tool import Toolbox
    from vitron_agent.tools import default_tools

    p = RulePlanner().plan(
        PlanRequest(text=text, inputs={"input": {"video": "video"}, "last": {}}), Toolbox(default_tools())
    )
    assert [s.tool for s in p.steps] == tools, (text, p.answer)


def test_an_exported_clip_carries_its_sound_in_both_files(agent, clips, tmp_path):
    """The answer said 'Sound kept', but the exported full-quality s1_video.mp4 had no sound (only the
    preview copy had it)."""
    import av

    from vitron_agent.runtime.export import export_run

    result = agent.run("make it twice as fast", video=clips["sound"])
    assert result.ok, result.answer
    export_run(result, agent.store, tmp_path / "out", report=False)
    for name in ("s1_video.mp4", "s1_video.preview.mp4"):
        with av.open(str(tmp_path / "out" / name)) as f:
            assert [s.type for s in f.streams] == ["video", "audio"], name
