"""The frameworks people plug into: LangChain's standard tool tests, the agent graph as a
subgraph of a user's LangGraph graph, and the LangGraph server (`langgraph dev`) driven by
langgraph-sdk."""

import base64
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TypedDict

import httpx
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests
from PIL import Image

from vitron_agent.media.synthetic import disc_image
from vitron_agent.storage.store import ArtifactStore
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

ROOT = Path(__file__).resolve().parents[2]
_STORE_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / f"vitron-lc-tests-{os.getpid()}"
STORE = ArtifactStore(_STORE_DIR, "lc")
IMAGE = STORE.put_image(disc_image()[0]).model_dump(mode="json")
TOOLS = {t.name: t for t in Toolbox(default_tools()).as_langchain_tools(STORE)}


class TestSegmentToolStandard(ToolsUnitTests):
    @property
    def tool_constructor(self):
        return TOOLS["segment"]

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"image": IMAGE, "color": "red"}


class TestDescribeToolStandardIntegration(ToolsIntegrationTests):
    @property
    def tool_constructor(self):
        return TOOLS["describe"]

    @property
    def tool_invoke_params_example(self) -> dict:
        return {"image": IMAGE, "question": "what colour is it?"}


def test_agent_graph_as_a_subgraph_of_a_user_graph(tmp_path):
    from langgraph.checkpoint.memory import InMemorySaver
    from langgraph.graph import END, START, StateGraph

    from vitron_agent.runtime.agent import Agent
    from vitron_agent.server.langgraph_app import build_app_graph

    agent = Agent(data_dir=tmp_path, checkpointer=False)
    vision = build_app_graph(agent)

    class Outer(TypedDict, total=False):
        request: str
        image: str
        answer: str
        shout: str

    def shout(state: Outer) -> dict:
        return {"shout": state["answer"].upper()}

    g = StateGraph(Outer)
    g.add_node("vision", vision)
    g.add_node("shout", shout)
    g.add_edge(START, "vision")
    g.add_edge("vision", "shout")
    g.add_edge("shout", END)
    app = g.compile(checkpointer=InMemorySaver())
    buf = io.BytesIO()
    Image.fromarray(disc_image()[0]).save(buf, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    out = app.invoke(
        {"request": "segment the red disc then describe it", "image": url},
        {"configurable": {"thread_id": "user-thread"}},
    )
    assert "MOSTLY RED" in out["shout"]
    assert (tmp_path / "user-thread").is_dir()  # artifacts under the user's thread id


def test_app_graph_takes_a_video_data_url(tmp_path):
    from vitron_agent.media.synthetic import moving_disc
    from vitron_agent.media.video import write_video
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.server.langgraph_app import build_app_graph

    write_video(moving_disc(frames=8)[0], tmp_path / "c.mp4", 8.0)
    url = "data:video/mp4;base64," + base64.b64encode((tmp_path / "c.mp4").read_bytes()).decode()
    app = build_app_graph(Agent(data_dir=tmp_path / "d", checkpointer=False))
    out = app.invoke(
        {"request": "track the red ball, then describe it", "video": url}, {"configurable": {"thread_id": "vid"}}
    )
    assert "visible on 8 of 8 frames" in out["answer"]


def test_langgraph_dev_server_with_langgraph_sdk(tmp_path):
    from langgraph_sdk import get_sync_client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "VITRON_DATA": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "langgraph"),
            "dev",
            "--no-browser",
            "--no-reload",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 90
        while True:
            assert proc.poll() is None, proc.stderr.read().decode(errors="replace")[-2000:]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ok", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.time() < deadline, "langgraph dev did not start"
            time.sleep(0.5)
        client = get_sync_client(url=f"http://127.0.0.1:{port}")
        assert [a["graph_id"] for a in client.assistants.search()] == ["vitron"]
        buf = io.BytesIO()
        Image.fromarray(disc_image()[0]).save(buf, format="PNG")
        url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
        thread = client.threads.create()
        out = client.runs.wait(
            thread["thread_id"], "vitron", input={"request": "segment the red disc then describe it", "image": url}
        )
        assert "mostly red" in out["answer"]
        again = client.runs.wait(thread["thread_id"], "vitron", input={"request": "what colour is it?"})
        assert again["answer"].startswith("The region is mostly red")  # the thread keeps the session
    finally:
        proc.terminate()
        proc.wait(20)
