"""Every stream ends, and malformed input is a 4xx with a one-line reason (never a bare 500)."""

import json

import httpx
import pytest

from tests.conftest import image_tool
from tests.server.test_http import TOKEN, Server, png_bytes
from vitron_agent.media.synthetic import disc_image
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


def buggy(inp, ctx):
    raise ZeroDivisionError("a bug in a tool")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("malformed")
    plan = {"steps": [{"id": "s1", "tool": "buggy", "args": {"image": "$input.image"}}]}
    agent = Agent(
        toolbox=Toolbox([*default_tools(), image_tool("buggy", buggy)]),
        planner=ScriptedPlanner([plan]),
        db=d / "s.sqlite",
        data_dir=d / "a",
    )
    srv = Server(agent, ServerSettings(token=TOKEN))
    yield srv
    srv.close()
    agent.close()


def client(server):
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)


def test_streams_end_with_an_error_after_an_unexpected_tool_error(server, caplog):
    c = client(server)
    ref = c.post(
        "/v1/sessions/s1/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"}
    ).json()
    with c.stream("POST", "/v1/sessions/s1/runs/stream", json={"text": "go", "image": ref}) as r:
        events = [json.loads(line[5:]) for line in r.iter_lines() if line.startswith("data:")]
    assert events[-1]["type"] == "error" and events[-1]["status"] == 500
    assert "ZeroDivisionError" in events[-1]["detail"] and "a bug in a tool" not in events[-1]["detail"]
    body = {
        "model": "vitron-agent",
        "user": "s1",
        "stream": True,
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "go"},
                    {"type": "image_url", "image_url": {"url": f"vitron://{ref['id']}"}},
                ],
            }
        ],
    }
    with c.stream("POST", "/v1/chat/completions", json=body) as r:
        lines = [line for line in r.iter_lines() if line.startswith("data:")]
    assert lines[-1] == "data: [DONE]"
    last = json.loads(lines[-2][5:])
    assert last["choices"][0]["finish_reason"] == "stop" and "error" in last["choices"][0]["delta"]["content"]
    assert c.get("/health").status_code == 200  # the server goes on


@pytest.mark.parametrize(
    "case",
    [
        "multipart without boundary",
        "NaN region",
        "infinite region",
        "non-string content",
        "non-dict part",
        "url is a number",
        "deep nesting",
        "session a..b",
        "messages not a list",
        "user not a string",
    ],
)
def test_malformed_input_is_a_4xx_with_a_reason(server, case):
    c = client(server)
    chat = {"model": "vitron-agent", "messages": [{"role": "user", "content": "hi"}]}
    if case == "multipart without boundary":
        r = c.post("/v1/sessions/s2/media", content=b"--x\r\n", headers={"Content-Type": "multipart/form-data"})
    elif case in ("NaN region", "infinite region"):
        value = "NaN" if case == "NaN region" else "Infinity"
        text = '{"text": "segment it", "regions": [{"type": "point", "x": VALUE, "y": 1}]}'.replace("VALUE", value)
        r = c.post("/v1/sessions/s2/runs", content=text.encode(), headers={"Content-Type": "application/json"})
    elif case == "non-string content":
        r = c.post("/v1/chat/completions", json={**chat, "messages": [{"role": "user", "content": 42}]})
    elif case == "non-dict part":
        r = c.post("/v1/chat/completions", json={**chat, "messages": [{"role": "user", "content": ["hi"]}]})
    elif case == "url is a number":
        r = c.post(
            "/v1/chat/completions",
            json={
                **chat,
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "describe"},
                            {"type": "image_url", "image_url": {"url": 123}},
                        ],
                    }
                ],
            },
        )
    elif case == "deep nesting":
        r = c.post(
            "/v1/chat/completions",
            content=b'{"messages": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            headers={"Content-Type": "application/json"},
        )
    elif case == "session a..b":
        r = c.post("/v1/sessions/a..b/runs", json={"text": "hi"})
    elif case == "messages not a list":
        r = c.post("/v1/chat/completions", json={**chat, "messages": "hi"})
    else:
        r = c.post("/v1/chat/completions", json={**chat, "user": 5})
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    data = r.json()
    reason = data.get("detail") if "detail" in data else data["error"]["message"]
    assert reason and "\n" not in json.dumps(reason)
