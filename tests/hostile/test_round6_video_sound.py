"""Hostile round 6: a frame-by-frame edit of a clip with sound (edit_video: grayscale, a flip, text, a
look, blur inside a tracked thing) keeps the same frames at the same rate, so it keeps the sound. Before,
the cv backend stored the edited clip without it: the user's sound was lost without a word."""

from __future__ import annotations

import pytest

from vitron_agent.core.refs import VideoRef
from vitron_agent.media.audio import get_audio
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.sample_clips import with_sound


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return str(with_sound(tmp_path_factory.mktemp("clips")))


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    return Agent(data_dir=tmp_path_factory.mktemp("data"))


@pytest.mark.parametrize(
    "request_", ["make it grayscale", "flip it upside down", "add the caption 'hello'", "add a sepia look"]
)
def test_a_frame_by_frame_edit_keeps_the_sound(agent, clip, request_):
    result = agent.run(request_, video=clip, session="s")
    assert result.ok, result.answer
    video = [ref for ref in result.artifacts if isinstance(ref, VideoRef)][-1]
    store = agent.session("s").store
    given = get_audio(store, result.inputs["video"]["audio"]) if result.inputs.get("video") else None
    kept = get_audio(store, video.audio)
    assert kept is not None, f"{request_!r} dropped the sound"
    if given is not None:
        assert kept.samples.shape == given.samples.shape
