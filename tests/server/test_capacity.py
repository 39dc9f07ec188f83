"""Over capacity the server says so at once (429 + Retry-After) instead of letting requests
wait behind runs; uploads and health never queue behind runs. No timing asserts: the runs are
held on a gate while the other requests are made."""

import threading

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

GATE = threading.Event()


STARTED = threading.Semaphore(0)


def held(inp, ctx):
    """Waits for the test to open the gate."""
    STARTED.release()
    GATE.wait(60)


@pytest.fixture
def server(tmp_path):
    plan = {"steps": [{"id": "s1", "tool": "held", "args": {"image": "$input.image"}}]}
    agent = Agent(
        toolbox=Toolbox([*default_tools(), image_tool("held", held)]),
        planner=ScriptedPlanner([plan]),
        data_dir=tmp_path,
    )
    srv = Server(agent, ServerSettings(token=TOKEN, max_running=1, max_queued=7))
    yield srv
    GATE.set()
    srv.close()


def test_over_capacity_is_a_429_at_once_and_uploads_and_health_do_not_wait(server):
    """8 runs admitted (1 running, 7 queued: more than the 6 threads of the default executor,
    which the queued runs used to block), then: an upload and health answer, a 9th run is a 429."""
    GATE.clear()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    c = httpx.Client(base_url=server.url, headers=headers, timeout=30)
    refs = {
        f"s{i}": c.post(
            f"/v1/sessions/s{i}/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"}
        ).json()
        for i in range(8)
    }
    results: list[int] = []

    def run(session: str) -> None:
        with httpx.Client(base_url=server.url, headers=headers, timeout=60) as own:
            results.append(
                own.post(f"/v1/sessions/{session}/runs", json={"text": "go", "image": refs[session]}).status_code
            )

    admitted = [threading.Thread(target=run, args=(s,)) for s in refs]
    for t in admitted:
        t.start()
    assert STARTED.acquire(timeout=30)  # the first run is inside its tool, holding the only worker
    for _ in range(3000):
        if server_inflight(server) == 8:
            break
        threading.Event().wait(0.01)
    assert server_inflight(server) == 8
    upload = c.post("/v1/sessions/x/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"})
    assert upload.status_code == 200  # not queued behind the held runs
    assert c.get("/health").json()["ok"]
    refused = c.post("/v1/sessions/x/runs", json={"text": "go", "image": upload.json()})
    assert (
        refused.status_code == 429 and refused.headers["Retry-After"] == "2" and "capacity" in refused.json()["detail"]
    )
    assert c.post("/v1/sessions/x/runs/stream", json={"text": "go"}).status_code == 429
    GATE.set()
    for t in admitted:
        t.join(60)
    assert results == [200] * 8  # every admitted run finished; nothing was dropped silently


def server_inflight(server) -> int:
    """Admitted runs, read from the app (the test waits until all 8 are in)."""
    return server.server.config.app.state.runs.inflight
