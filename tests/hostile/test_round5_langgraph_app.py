"""Hostile round 5: the LangGraph app graph (what `langgraph dev` serves to langgraph-sdk clients).
Its input keys are state that outlives a turn. Before: an input that misspelt "request" ran the
thread's previous request again, said done; after a refused request (100,000 characters) or session
id ("../../x"), every later turn of the thread without those keys was refused the same way; a
number as the image was a TypeError."""

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


def test_a_turn_without_a_request_is_refused_not_run_again(app):
    config = {"configurable": {"thread_id": "t"}}
    first = app.invoke({"request": "make it brighter", "image": _url()}, config)
    assert first["answer"].startswith("I brightened")
    with pytest.raises(InputError, match='unknown input key "reqest" \\(did you mean "request"'):
        app.invoke({"reqest": "make it darker"}, config)
    with pytest.raises(InputError, match='the input has no "request"'):
        app.invoke({"image": _url()}, config)
    follow = app.invoke({"request": "make it darker"}, config)  # "it" is still the brighter picture
    assert follow["answer"].startswith("I darkened")


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ({"request": "x" * 100_000}, "keep it under 10,000"),
        ({"request": "describe it", "session": "../x"}, "pick another"),
    ],
)
def test_a_refused_input_does_not_stay_in_the_thread(app, bad, says):
    config = {"configurable": {"thread_id": "t"}}
    with pytest.raises(InputError, match=says):
        app.invoke(bad, config)
    out = app.invoke({"request": "make it brighter", "image": _url()}, config)
    assert out["answer"].startswith("I brightened") and out["session"] == "t"


def test_an_input_that_is_not_text_is_named(app):
    with pytest.raises(InputError, match='the input\'s "image" must be a string .* not int'):
        app.invoke({"request": "describe it", "image": 5}, {"configurable": {"thread_id": "t"}})
