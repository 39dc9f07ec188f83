"""Hostile round 7: an MCP tool argument of the wrong type (a number for a string, a string for a point,
a list for a colour), with the official client in process. Before, the SDK's own argument model answered
in pydantic's words: "Error executing tool edit: 1 validation error for editArguments / operation / Input
should be ... [type=literal_error, input_value=5, input_type=int] / For further information visit
https://errors.pydantic.dev/...". Now it is the message a plan step, a direct call and a LangChain call
get ("bad arguments for tool 'edit': operation: Input should be ..."), and the session goes on."""

from __future__ import annotations

import base64
import io

import anyio
import pytest
from PIL import Image

from vitron_agent.media.synthetic import disc_image


def _png64(arr) -> str:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


IMG = _png64(disc_image()[0])
CALLS = [
    ("edit", {"image": IMG, "operation": 5}, "bad arguments for tool 'edit': operation: Input should be 'recolor'"),
    ("edit", {"image": 12345, "operation": "brighten"}, "bad arguments for tool 'edit': image: Input should be a"),
    ("edit", {"image": IMG, "operation": "recolor", "color": ["red"]}, "tool 'edit': color: Input should be a"),
    ("segment", {"image": IMG, "point": "10,10"}, "bad arguments for tool 'segment': point: Input should be"),
    ("segment", {"image": IMG, "target": 42}, "bad arguments for tool 'segment': target: Input should be a"),
    ("run", {"instruction": 42}, "bad arguments for tool 'run': instruction: Input should be a valid string"),
    ("run", {"instruction": "describe it", "session_id": 7}, "tool 'run': session_id: Input should be a"),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    from mcp import Client

    from vitron_agent.runtime.agent import Agent
    from vitron_agent.server.mcp_server import build_mcp_server

    agent = Agent(data_dir=tmp_path_factory.mktemp("mcp"), checkpointer=False)
    server = build_mcp_server(agent)

    async def main():
        async with Client(server) as client:
            results = [await client.call_tool(name, args) for name, args, _ in CALLS]
            after = await client.call_tool("run", {"instruction": "make it brighter", "image_base64": IMG})
            return results, after

    try:
        yield anyio.run(main)
    finally:
        agent.close()


@pytest.mark.parametrize(("index", "call"), list(enumerate(CALLS)), ids=[f"{c[0]}-{i}" for i, c in enumerate(CALLS)])
def test_a_wrong_type_is_named_in_the_tools_words(answers, index, call):
    result = answers[0][index]
    text = result.content[0].text
    assert result.is_error and call[2] in text, text
    assert "validation error" not in text and "pydantic" not in text and "input_type" not in text, text


def test_the_session_goes_on(answers):
    after = answers[1]
    assert not after.is_error and after.content[0].text.startswith("I brightened"), after.content[0].text
