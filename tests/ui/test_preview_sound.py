"""The web UI's preview of a video with sound (gradio's b.mp4 with sax.wav's) keeps the sound: it was
silent although the turn said "Sound kept"."""

from __future__ import annotations

import av


def test_the_ui_preview_of_a_clip_with_sound_has_its_sound(tmp_path):
    from vitron_agent import Agent
    from vitron_agent.testing.sample_clips import with_sound
    from vitron_agent.ui.turn_view import Pictures

    agent = Agent(data_dir=tmp_path / "store")
    try:
        session = agent.session("ui-sound")
        ref = agent.run("reverse the video", video=str(with_sound(tmp_path)), session=session)
        assert ref.ok, ref.answer
        out = ref.steps[-1].outputs["video"]["value"]
        assert out.get("audio"), out  # reversing keeps (reverses) the sound
        path, kind = Pictures(agent, tmp_path / "shown").of(out)
        assert kind == "video"
        with av.open(path) as container:
            assert len(container.streams.audio) == 1 and len(container.streams.video) == 1
        silent = dict(out, audio=None)
        path2, _ = Pictures(agent, tmp_path / "shown").of(silent)
        with av.open(path2) as container:
            assert len(container.streams.audio) == 0
    finally:
        agent.close()
