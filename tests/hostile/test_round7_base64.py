"""Hostile round 7: a picture sent as base64 wrapped in lines, as `base64 photo.png` (GNU coreutils wraps
at 76 columns), Python's ``base64.encodebytes`` and every MIME tool write it; a data URL's base64 may
hold whitespace (WHATWG's forgiving-base64 drops it, as browsers do). Before, the OpenAI endpoint, the
LangGraph app and MCP refused such a picture as "not valid base64". Now the whitespace is dropped and
anything else that is no base64 is still refused."""

from __future__ import annotations

import base64
import io

import anyio
import pytest
from langgraph.checkpoint.memory import InMemorySaver
from PIL import Image

from tests.server.test_http import TOKEN, Server
from vitron_agent.core.errors import InputError
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings
from vitron_agent.server.transport import data_url_bytes


def _png() -> bytes:
    buf = io.BytesIO()
    Image.fromarray(disc_image()[0]).save(buf, format="PNG")
    return buf.getvalue()


PNG = _png()
WRAPPED = base64.encodebytes(PNG).decode()  # 76 columns, "\n" after each line
assert "\n" in WRAPPED.strip()


@pytest.mark.parametrize("body", [WRAPPED, WRAPPED.replace("\n", "\r\n"), " ".join(WRAPPED.split("\n"))])
def test_a_data_url_with_whitespace_in_its_base64_is_read(body):
    assert data_url_bytes("data:image/png;base64," + body) == PNG


@pytest.mark.parametrize("body", ["!!!notbase64!!!", WRAPPED[:-10] + "*" * 10, "abc"])
def test_what_is_no_base64_is_still_refused(body):
    with pytest.raises(InputError, match="not valid base64"):
        data_url_bytes("data:image/png;base64," + body)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    agent = Agent(data_dir=tmp_path_factory.mktemp("b64"), checkpointer=False)
    srv = Server(agent, ServerSettings(token=TOKEN))
    yield srv
    srv.close()
    agent.close()


def test_the_openai_client_with_a_wrapped_picture(server):
    from openai import OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN, max_retries=0)
    url = "data:image/png;base64," + WRAPPED
    content = [{"type": "text", "text": "make it brighter"}, {"type": "image_url", "image_url": {"url": url}}]
    reply = client.chat.completions.create(model="vitron-agent", messages=[{"role": "user", "content": content}])
    assert reply.choices[0].message.content.startswith("I brightened"), reply.choices[0].message.content


def test_the_langgraph_app_with_a_wrapped_picture(tmp_path):
    from vitron_agent.server.langgraph_app import build_app_graph

    app = build_app_graph(Agent(data_dir=tmp_path, checkpointer=False), checkpointer=InMemorySaver())
    out = app.invoke(
        {"request": "make it brighter", "image": "data:image/png;base64," + WRAPPED},
        {"configurable": {"thread_id": "t"}},
    )
    assert out["answer"].startswith("I brightened"), out["answer"]


def test_mcp_with_a_wrapped_picture(tmp_path):
    from mcp import Client

    from vitron_agent.server.mcp_server import build_mcp_server

    agent = Agent(data_dir=tmp_path, checkpointer=False)
    server = build_mcp_server(agent)

    async def main():
        async with Client(server) as client:
            run = await client.call_tool("run", {"instruction": "make it brighter", "image_base64": WRAPPED})
            edit = await client.call_tool("edit", {"image": WRAPPED, "operation": "darken"})
            bad = await client.call_tool("edit", {"image": "%%%" + WRAPPED, "operation": "darken"})
            return run, edit, bad

    try:
        run, edit, bad = anyio.run(main)
    finally:
        agent.close()
    assert not run.is_error and run.content[0].text.startswith("I brightened"), run.content[0].text
    assert not edit.is_error and [c.type for c in edit.content][0] == "image", edit.content
    assert bad.is_error and "image is not valid base64" in bad.content[0].text, bad.content[0].text
