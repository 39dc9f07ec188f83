"""The same follow-up turn through every surface (Python, CLI, HTTP, OpenAI endpoint, MCP,
LangGraph app): segment on one image, then "make it brighter" on a *new* image. Every surface
sets the turn up through vitron_agent/runtime/turns.py, so each gives the same plan and the same
result -- the new image brightened, never the old image's mask applied to it."""

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

import anyio
import httpx
import numpy as np
import pytest
from PIL import Image

from tests.server.test_http import TOKEN, Server
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings

EXE = str(Path(sys.executable).parent / "vitron-agent")
FIRST, SECOND = "segment the red disc", "make it brighter"


def new_image() -> np.ndarray:
    img = np.full((100, 200, 3), 80, np.uint8)  # another size: the first image's mask cannot apply
    img[30:70, 20:60] = (200, 40, 40)
    return img


def png(arr) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return buf.getvalue()


def decode(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def python_surface(tmp_path):
    agent = Agent(data_dir=tmp_path)
    agent.run(FIRST, image=disc_image()[0], session="s")
    r = agent.run(SECOND, image=new_image(), session="s")
    return (
        [s.tool for s in r.steps],
        [s.args for s in r.steps],
        [s.status for s in r.steps],
        agent.load(r.steps[-1].output("image")),
    )


def cli_surface(tmp_path):
    (tmp_path / "a.png").write_bytes(png(disc_image()[0]))
    (tmp_path / "b.png").write_bytes(png(new_image()))
    base = [EXE, "run", "--db", str(tmp_path / "s.sqlite"), "--session", "s", "--quiet", "--json"]
    subprocess.run(
        [*base, "--image", str(tmp_path / "a.png"), "--out", str(tmp_path / "o1"), FIRST],
        check=True,
        capture_output=True,
        timeout=120,
    )
    p = subprocess.run(
        [*base, "--image", str(tmp_path / "b.png"), "--out", str(tmp_path / "o2"), SECOND],
        capture_output=True,
        text=True,
        timeout=120,
    )
    data = json.loads(p.stdout)
    steps = data["steps"]
    return (
        [s["tool"] for s in steps],
        [s["args"] for s in steps],
        [s["status"] for s in steps],
        decode(Path(steps[-1]["outputs"]["image"]["path"]).read_bytes()),
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = tmp_path_factory.mktemp("surfaces")
    agent = Agent(db=d / "s.sqlite", data_dir=d / "artifacts")
    srv = Server(agent, ServerSettings(token=TOKEN))
    yield srv
    srv.close()
    agent.close()


def http_surface(server):
    c = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    a = c.post("/v1/sessions/h/media", content=png(disc_image()[0]), headers={"Content-Type": "image/png"}).json()
    c.post("/v1/sessions/h/runs", json={"text": FIRST, "image": a}).raise_for_status()
    b = c.post("/v1/sessions/h/media", content=png(new_image()), headers={"Content-Type": "image/png"}).json()
    steps = c.post("/v1/sessions/h/runs", json={"text": SECOND, "image": b}).json()["steps"]
    return (
        [s["tool"] for s in steps],
        [s["args"] for s in steps],
        [s["status"] for s in steps],
        decode(c.get(steps[-1]["outputs"]["image"]["path"]).content),
    )


def openai_surface(server):
    from openai import OpenAI

    client = OpenAI(base_url=f"{server.url}/v1", api_key=TOKEN)

    def turn(text, arr):
        url = "data:image/png;base64," + base64.b64encode(png(arr)).decode()
        return client.chat.completions.create(
            model="vitron-agent",
            user="o",
            messages=[
                {
                    "role": "user",
                    "content": [{"type": "text", "text": text}, {"type": "image_url", "image_url": {"url": url}}],
                }
            ],
        )

    turn(FIRST, disc_image()[0])
    steps = turn(SECOND, new_image()).model_extra["vitron_result"]["steps"]
    raw = httpx.get(
        f"{server.url}{steps[-1]['outputs']['image']['path']}", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    return [s["tool"] for s in steps], [s["args"] for s in steps], [s["status"] for s in steps], decode(raw.content)


def mcp_surface(tmp_path):
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def calls():
        params = StdioServerParameters(command=EXE, args=["mcp", "--data", str(tmp_path / "data")])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                b64 = lambda arr: base64.b64encode(png(arr)).decode()  # noqa: E731
                await session.call_tool(
                    "run", {"instruction": FIRST, "image_base64": b64(disc_image()[0]), "session_id": "m"}
                )
                return await session.call_tool(
                    "run", {"instruction": SECOND, "image_base64": b64(new_image()), "session_id": "m"}
                )

    result = anyio.run(calls)
    text = result.content[0].text
    images = [decode(base64.b64decode(c.data)) for c in result.content if c.type == "image"]
    status = ["ok"] if "I brightened " in text else [text]
    return ["edit"] if status == ["ok"] else [], None, status, images[-1]


def langgraph_surface(tmp_path):
    from langgraph.checkpoint.memory import InMemorySaver

    from vitron_agent.server.langgraph_app import build_app_graph

    agent = Agent(data_dir=tmp_path, checkpointer=False)
    graph = build_app_graph(agent, checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "g"}}
    url = lambda arr: "data:image/png;base64," + base64.b64encode(png(arr)).decode()  # noqa: E731
    graph.invoke({"request": FIRST, "image": url(disc_image()[0])}, config)
    out = graph.invoke({"request": SECOND, "image": url(new_image())}, config)
    records = [out["records"][s["id"]] for s in out["plan"]["steps"]]
    return (
        [r["tool"] for r in records],
        [r["args"] for r in records],
        [r["status"] for r in records],
        agent.load(records[-1]["outputs"]["image"]["value"]),
    )


SURFACES = {
    "python": python_surface,
    "cli": cli_surface,
    "http": http_surface,
    "openai": openai_surface,
    "mcp": mcp_surface,
    "langgraph": langgraph_surface,
}


@pytest.mark.parametrize("surface", list(SURFACES))
def test_the_same_follow_up_turn_through_every_surface(surface, tmp_path, request):
    arg = request.getfixturevalue("server") if surface in ("http", "openai") else tmp_path
    tools, args, statuses, image = SURFACES[surface](arg)
    assert tools == ["edit"] and statuses == ["ok"], (tools, statuses)
    if args is not None:  # MCP answers in content, without the plan's arguments
        assert args == [{"image": "$input.image", "operation": "brighten"}]
    before = new_image()
    assert image.shape == before.shape and image.astype(int).mean() > before.astype(int).mean() + 5
    reference = python_surface(tmp_path / "reference")[3]
    assert np.array_equal(image, reference)  # the same pixels on every surface
