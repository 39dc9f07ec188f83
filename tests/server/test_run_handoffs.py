"""A run costs one thread hand-off (issue 44 item 4): the request's dependencies (the caller's
owner, the server context) run on the event loop, not on AnyIO's thread pool, and the turn and
its result contract run in one job on the run pool -- still never on the event loop. Checked by
recording which thread ran each piece and counting trips to the generic thread pools (nothing
here is timed)."""

import asyncio
import threading

import anyio.to_thread
import httpx
import pytest

from tests.server.test_http import TOKEN, Server, png_bytes
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings
from vitron_agent.server.context import ServerContext


@pytest.fixture
def traced(tmp_path, monkeypatch):
    seen: dict[str, list[int]] = {}
    trips: list[str] = []

    def trace(cls, name):
        real = getattr(cls, name)

        def wrapper(*args, **kwargs):
            seen.setdefault(name, []).append(threading.get_ident())
            return real(*args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    trace(Agent, "run_turn")
    trace(Agent, "review")
    trace(ServerContext, "contract")
    run_sync, to_thread = anyio.to_thread.run_sync, asyncio.to_thread

    async def counted_run_sync(fn, *args, **kwargs):
        trips.append(f"anyio:{getattr(fn, '__name__', fn)}")
        return await run_sync(fn, *args, **kwargs)

    async def counted_to_thread(fn, *args, **kwargs):
        trips.append(f"asyncio:{getattr(fn, '__name__', fn)}")
        return await to_thread(fn, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted_run_sync)
    monkeypatch.setattr(asyncio, "to_thread", counted_to_thread)
    agent = Agent(db=tmp_path / "sessions.sqlite", data_dir=tmp_path / "artifacts")
    srv = Server(agent, ServerSettings(token=TOKEN))
    yield srv, seen, trips
    srv.close()
    agent.close()


def test_a_run_is_one_hand_off_to_the_run_pool(traced):
    srv, seen, trips = traced
    c = httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    image = c.post("/v1/sessions/s1/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"})
    assert image.status_code == 200, image.text
    trips.clear()
    run = c.post("/v1/sessions/s1/runs", json={"text": "describe it", "image": image.json()})
    assert run.status_code == 200, run.text
    body = run.json()
    assert body["session"] == "s1" and body["steps"] and all(s["status"] == "ok" for s in body["steps"])
    assert trips == [], f"a run went through a generic thread pool: {trips}"
    loop = srv.thread.ident  # uvicorn runs its event loop in this thread
    assert len(seen["run_turn"]) == 1 and seen["contract"] == seen["run_turn"], seen  # one job, one thread
    assert loop not in seen["run_turn"]
    # a refusal from a dependency still answers on the loop: wrong token, 401 before anything runs
    bad = httpx.post(
        f"{srv.url}/v1/sessions/s1/runs", json={"text": "describe it"}, headers={"Authorization": "Bearer x"}
    )
    assert bad.status_code == 401 and len(seen["run_turn"]) == 1


def test_review_decision_and_its_contract_share_a_job(traced):
    srv, seen, trips = traced
    c = httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    image = c.post("/v1/sessions/s2/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"})
    paused = c.post("/v1/sessions/s2/runs", json={"text": "describe it", "image": image.json(), "review": True})
    assert paused.status_code == 200 and paused.json().get("awaiting_review"), paused.text
    seen.clear()
    trips.clear()
    done = c.post("/v1/sessions/s2/review", json={"action": "approve"})
    assert done.status_code == 200, done.text
    assert done.json()["steps"] and all(s["status"] == "ok" for s in done.json()["steps"])
    assert trips == [] and seen["contract"] == seen["review"], (trips, seen)
    assert srv.thread.ident not in seen["review"]
