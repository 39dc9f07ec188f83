"""Hostile round 5: a full disk, simulated by a store whose writes raise ENOSPC and by a session
database that answers "database or disk is full" (a tiny tmpfs is not available here). Before: an
upload to the HTTP server was a plain-text "Internal Server Error" (a traceback in the log, and the
client's next request on that connection was reset); a run's answer named the server's data folder
and "OSError: [Errno 28] ..."; a full session database raised sqlite3.OperationalError out of the
Python API and a 500 from the server. Now each says what is full, where, and what to do; nothing
earlier is lost and the session goes on."""

import errno
import sqlite3

import httpx
import pytest

from tests.server.test_http import TOKEN, Server
from vitron_agent.core.errors import StorageFull
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.runtime.turns import TurnRequest
from vitron_agent.server import ServerSettings


class Full:
    """A switch: while on, artifact writes raise ENOSPC and checkpoint writes 'disk is full'."""

    def __init__(self, monkeypatch):
        import vitron_agent.storage.store as store_module
        from vitron_agent.storage.group_commit import GroupCommitSaver

        self.disk = self.db = False
        write, put = store_module._atomic_write, GroupCommitSaver.put

        def full_write(path, data, **kw):
            if self.disk:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            return write(path, data, **kw)

        def full_put(saver, *args, **kw):
            if self.db:
                raise sqlite3.OperationalError("database or disk is full")
            return put(saver, *args, **kw)

        monkeypatch.setattr(store_module, "_atomic_write", full_write)
        monkeypatch.setattr(GroupCommitSaver, "put", full_put)


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(disc_image()[0]).save(buf, format="PNG")
    return buf.getvalue()


def test_the_python_api_says_what_is_full_and_goes_on(tmp_path, monkeypatch):
    full = Full(monkeypatch)
    with Agent(data_dir=tmp_path / "a", db=tmp_path / "s.sqlite") as agent:
        handle = agent.session("full")
        image = handle.store.put_image(disc_image()[0], producer="input")
        full.disk = True
        result = agent.run_turn(TurnRequest("make it brighter", image=image), handle)
        assert not result.ok and "the disk is full (No space left on device)" in result.answer
        assert "free space there and run the turn again" in result.answer and "Errno" not in result.answer
        full.disk, full.db = False, True
        with pytest.raises(StorageFull, match=r"the session database s\.sqlite could not be written"):
            agent.run_turn(TurnRequest("make it darker", image=image), handle)
        full.db = False
        assert agent.run_turn(TurnRequest("make it brighter", image=image), handle).ok


def test_the_server_answers_507_in_words_and_names_no_folder(tmp_path, monkeypatch):
    full = Full(monkeypatch)
    agent = Agent(data_dir=tmp_path / "a", db=tmp_path / "s.sqlite")
    srv = Server(agent, ServerSettings(token=TOKEN))
    try:
        c = httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        ref = c.post("/v1/sessions/h/media", content=_png(), headers={"Content-Type": "image/png"}).json()
        full.disk = True
        ran = c.post("/v1/sessions/h/runs", json={"text": "make it brighter", "image": ref})
        full.disk, full.db = False, True
        db = c.post("/v1/sessions/h/runs", json={"text": "make it darker", "image": ref})
        full.db = False
        after = c.post("/v1/sessions/h/runs", json={"text": "make it brighter", "image": ref})
    finally:
        srv.close()
        agent.close()
    assert ran.status_code == 200 and "the disk is full" in ran.json()["answer"]
    assert str(tmp_path) not in ran.text and "<data>" in ran.text
    assert db.status_code == 507 and "s.sqlite could not be written" in db.json()["detail"]
    assert str(tmp_path) not in db.text
    assert after.status_code == 200 and after.json()["ok"]


def test_an_upload_on_a_full_disk_is_507_not_500(tmp_path, monkeypatch):
    full = Full(monkeypatch)
    agent = Agent(data_dir=tmp_path / "a", checkpointer=False)
    srv = Server(agent, ServerSettings(token=TOKEN))
    try:
        c = httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        full.disk = True
        up = c.post("/v1/sessions/h/media", content=_png(), headers={"Content-Type": "image/png"})
        full.disk = False
        again = c.post("/v1/sessions/h/media", content=_png(), headers={"Content-Type": "image/png"})
    finally:
        srv.close()
        agent.close()
    assert up.status_code == 507 and up.json()["detail"].startswith("nothing was stored: the disk is full"), up.text
    assert str(tmp_path) not in up.text
    assert again.status_code == 200
