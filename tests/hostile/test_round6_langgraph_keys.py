"""Hostile round 6: an unknown key in the LangGraph app's input (what `langgraph dev` serves to
langgraph-sdk clients). LangGraph maps only the input schema's keys into the state, so before, a
misspelt "imgae" was dropped and the turn ran on the thread's old picture (or none), said done."""

import base64
import io

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from PIL import Image

from vitron_agent.core.errors import InputError
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.server.langgraph_app import build_app_graph


def _url() -> str:
    buf = io.BytesIO()
    Image.fromarray(disc_image()[0]).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


@pytest.fixture
def app(tmp_path):
    return build_app_graph(Agent(data_dir=tmp_path, checkpointer=False), checkpointer=InMemorySaver())


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("imgae", 'unknown input key "imgae" \\(did you mean "image"\\?\\)'),
        ("Video", 'unknown input key "Video" \\(did you mean "video"\\?\\)'),
        ("sesion", 'unknown input key "sesion" \\(did you mean "session"\\?\\)'),
        ("prompt", 'unknown input key "prompt": the app\'s input keys are "request", "image"'),
    ],
)
def test_an_unknown_key_is_refused_by_name(app, key, says):
    config = {"configurable": {"thread_id": "t"}}
    with pytest.raises(InputError, match=says):
        app.invoke({"request": "make it brighter", key: _url()}, config)
    out = app.invoke({"request": "make it brighter", "image": _url()}, config)  # the thread goes on
    assert out["answer"].startswith("I brightened")


def test_a_known_input_is_not_refused_after_an_unknown_one(app):
    config = {"configurable": {"thread_id": "t"}}
    app.invoke({"request": "make it brighter", "image": _url()}, config)
    with pytest.raises(InputError, match="unknown input key"):
        app.invoke({"request": "make it darker", "imgae": _url()}, config)
    follow = app.invoke({"request": "make it darker"}, config)  # the unknown key did not stay
    assert follow["answer"].startswith("I darkened")
