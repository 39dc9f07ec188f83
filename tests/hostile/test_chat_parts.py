"""The OpenAI-compatible endpoint says what it will not do instead of doing part of it (hostile
round 4): two pictures in one message ran on the last one only ('what colour is the first
picture?' answered 'mostly blue' for a red then a blue picture), and an instruction over 10,000
characters was cut there without a word (the session routes and MCP refuse it)."""

import base64
import io

import pytest
from PIL import Image

from tests.server.test_http import TOKEN, Server
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("chat-parts")
    agent = Agent(db=d / "s.sqlite", data_dir=d / "a")
    srv = Server(agent, ServerSettings(token=TOKEN))
    yield srv
    srv.close()
    agent.close()


def _url(color: str) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _chat(server, parts):
    from openai import BadRequestError, OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, max_retries=0)
    try:
        reply = client.chat.completions.create(model="vitron-agent", messages=[{"role": "user", "content": parts}])
        return 200, reply.choices[0].message.content
    except BadRequestError as exc:
        return exc.status_code, str(exc)


def test_two_pictures_in_one_message_are_refused_not_half_used(server):
    text = {"type": "text", "text": "what colour is the first picture?"}
    red, blue = ({"type": "image_url", "image_url": {"url": _url(c)}} for c in ("red", "blue"))
    status, said = _chat(server, [text, red, blue])
    assert status == 400 and "2 image_url parts" in said and "one per message" in said, said
    status, said = _chat(server, [text, red])  # one picture: answered about that picture
    assert status == 200 and "red" in said.lower(), said


def test_an_instruction_over_the_limit_is_refused_not_cut(server):
    long = "make it grayscale " + "please " * 2000 + "and then flip it"
    status, said = _chat(server, [{"type": "text", "text": long}])
    assert status == 400 and f"{len(long):,} characters; keep it under 10,000" in said, said
