"""No CPU-heavy work on the server's event loop (issue 40): decoding and storing an upload,
parsing a multipart form or a chat-completions body, building a run's result and checking a download's bytes all run
on worker threads, so /health and every other client are never held behind them. Checked by
recording which thread ran each piece (nothing here is timed)."""

import threading

import httpx
import pytest

from tests.server.test_http import TOKEN, Server, png_bytes
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings
from vitron_agent.server.context import ServerContext
from vitron_agent.storage.store import ArtifactStore


@pytest.fixture
def traced(tmp_path, monkeypatch):
    seen: dict[str, set[int]] = {}

    def trace(cls, name):
        real = getattr(cls, name)

        def wrapper(*args, **kwargs):
            seen.setdefault(name, set()).add(threading.get_ident())
            return real(*args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    for cls, name in ((ArtifactStore, "put_image"), (ArtifactStore, "verified_file"), (ServerContext, "contract")):
        trace(cls, name)
    from starlette.formparsers import MultiPartParser

    parse = MultiPartParser.parse

    async def traced_parse(self):
        seen.setdefault("multipart", set()).add(threading.get_ident())
        return await parse(self)

    monkeypatch.setattr(MultiPartParser, "parse", traced_parse)
    agent = Agent(db=tmp_path / "sessions.sqlite", data_dir=tmp_path / "artifacts")
    srv = Server(agent, ServerSettings(token=TOKEN))
    yield srv, seen
    srv.close()
    agent.close()


def test_heavy_pieces_run_off_the_event_loop(traced):
    srv, seen = traced
    c = httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
    sid = c.post("/v1/sessions").json()["session"]
    image = c.post(
        f"/v1/sessions/{sid}/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"}
    ).json()
    assert c.get(f"/v1/sessions/{sid}/artifacts/{image['id']}").status_code == 200
    form = c.post(f"/v1/sessions/{sid}/media", files={"file": ("d.png", png_bytes(disc_image()[0]), "image/png")})
    assert form.status_code == 200 and form.json()["id"] == image["id"]
    run = c.post(f"/v1/sessions/{sid}/runs", json={"text": "describe it", "image": image})
    assert run.status_code == 200, run.text
    loop = srv.thread.ident  # uvicorn runs its event loop in this thread
    assert {"put_image", "verified_file", "contract", "multipart"} <= seen.keys()
    assert all(loop not in threads for threads in seen.values()), seen
