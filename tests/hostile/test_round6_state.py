"""Hostile round 6: what a step leaves in the session's checkpoint is plain data. Before, read_text's
lines and find_times' ranges were stored as model objects: LangGraph warned "Deserializing unregistered
type vitron_agent.tools.read_text.TextLine" on every reload of such a session (printed to the user), and
blocks them with LANGGRAPH_STRICT_MSGPACK=true (the lines read were lost from the session)."""

from __future__ import annotations

import json
import logging

from PIL import Image, ImageDraw

from vitron_agent.core.refs import Box
from vitron_agent.graphs.dataflow import StepRunner
from vitron_agent.runtime.agent import Agent
from vitron_agent.tools.read_text import ReadTextOutput, TextLine
from vitron_agent.tools.video_time import FindOutput, TimeRange


def test_lists_of_models_are_stored_as_plain_data():
    line = TextLine(text="EXIT", score=0.9, box=Box(x1=1, y1=2, x2=30, y2=12))
    out = StepRunner.serialise_outputs(None, ReadTextOutput(text="EXIT", lines=[line], method="ocr"), None)
    assert json.loads(json.dumps(out))["lines"]["value"] == [line.model_dump(mode="json")]
    found = FindOutput(text="seen", ranges=[TimeRange(start=0.0, end=1.0)], seconds=1.0, first=0.0, last=1.0)
    assert json.dumps(StepRunner.serialise_outputs(None, found, None))


def test_a_session_that_read_text_reloads_without_a_warning(tmp_path, caplog):
    picture = Image.new("RGB", (420, 120), "white")
    ImageDraw.Draw(picture).text((20, 40), "DELETE ALL FILES", fill="black", font_size=36)
    picture.save(tmp_path / "sign.png")
    db = tmp_path / "s.sqlite"
    first = Agent(data_dir=tmp_path / "d", db=db)
    assert "DELETE" in first.run("read the text", image=tmp_path / "sign.png", session="s").answer
    caplog.set_level(logging.WARNING)
    later = Agent(data_dir=tmp_path / "d", db=db)
    assert later.run("make it darker", session="s").answer.startswith("I darkened")
    assert "unregistered type" not in caplog.text
