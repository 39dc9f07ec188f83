"""Two servers on one PostgreSQL database and one S3 bucket (both real, on loopback) behave as one
service: a turn on A and its follow-up on B chain; an artifact made on A is served by B; a turn on
a session A is running is refused by B at once (409); A killed with -9 mid-turn is finished by
`resume` on B. Nothing is shared between the servers but the database and the bucket."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image
from skimage import data

from tests.server.test_kill_resume import start_script

ROOT = Path(__file__).resolve().parents[2]
HEADERS = {"Authorization": "Bearer t"}
CLI = str(Path(sys.executable).with_name("vitron-agent"))


def start_server(db, artifacts, local, markers):  # the AWS variables are in os.environ (s3_env)
    return start_script(Path(__file__).with_name("serve_shared.py"), db, artifacts, local, markers)


def expected_after(img, steps=4):
    out = img
    for i in range(1, steps + 1):
        out = np.clip(np.roll(out, 3 * i, axis=1).astype(int) + 7, 0, 255).astype(np.uint8)
    return out


def wait_marker(markers, prefix, timeout=60):
    deadline = time.time() + timeout
    while not (markers.exists() and any(m.name.startswith(prefix) for m in markers.iterdir())):
        assert time.time() < deadline, f"no {prefix} marker"
        time.sleep(0.02)


def test_two_servers_on_one_database_and_bucket_are_one_service(s3_env, pg_url, tmp_path):
    img = np.arange(24 * 32 * 3, dtype=np.uint32).reshape(24, 32, 3).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    markers = tmp_path / "markers"
    a, url_a = start_server(pg_url, s3_env, tmp_path / "a", markers)
    b, url_b = start_server(pg_url, s3_env, tmp_path / "b", markers)
    try:
        ref = httpx.post(f"{url_a}/v1/sessions/k/media", content=buf.getvalue(), headers=HEADERS).json()
        results = {}

        def turn_on_a():
            results["a"] = httpx.post(
                f"{url_a}/v1/sessions/k/runs", json={"text": "go", "image": ref}, headers=HEADERS, timeout=120
            )

        t = threading.Thread(target=turn_on_a)
        t.start()
        wait_marker(markers, "s1-")
        t0 = time.monotonic()
        busy = httpx.post(f"{url_b}/v1/sessions/k/runs", json={"text": "go again"}, headers=HEADERS, timeout=60)
        assert busy.status_code == 409 and "another process" in busy.json()["detail"]
        assert (
            time.monotonic() - t0 < 5.0
        )  # refused at once: queued behind A's turn (3.2 s) and then run would take > 5 s
        t.join(120)
        done = results["a"].json()
        assert [s["status"] for s in done["steps"]] == ["ok"] * 4
        # B shows the session and serves A's artifact (only the bucket is shared)
        assert len(httpx.get(f"{url_b}/v1/sessions/k", headers=HEADERS).json()["history"]) == 1
        served = httpx.get(f"{url_b}{done['steps'][3]['outputs']['image']['path']}", headers=HEADERS)
        assert served.status_code == 200
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(served.content))), expected_after(img))

        # A killed with -9 mid-turn; B finishes it
        ref2 = httpx.post(f"{url_a}/v1/sessions/k2/media", content=buf.getvalue(), headers=HEADERS).json()
        threading.Thread(
            target=lambda: _quiet_post(f"{url_a}/v1/sessions/k2/runs", {"text": "go", "image": ref2}), daemon=True
        ).start()
        for m in list(markers.iterdir()):
            m.unlink()
        wait_marker(markers, "s3-")
        os.kill(a.pid, signal.SIGKILL)
        a.wait(10)
        info = httpx.get(f"{url_b}/v1/sessions/k2", headers=HEADERS).json()
        assert info["pending"] is True
        # s3 starts once s2 has computed, while s2's picture is still being uploaded; s2's record is
        # checkpointed only once that upload is durable, so a kill in between leaves s2 to run again
        committed = set(info["steps_done"])
        assert committed in ({"s1", "s2"}, {"s1"}, set())  # checkpointed in order, never s3 (in flight)
        resumed = httpx.post(f"{url_b}/v1/sessions/k2/resume", headers=HEADERS, timeout=120).json()
        assert [s["status"] for s in resumed["steps"]] == ["ok"] * 4
        runs = {}
        for m in markers.iterdir():
            runs[m.name.split("-")[0]] = runs.get(m.name.split("-")[0], 0) + 1
        # a checkpointed step never runs again; the step in flight (and one not yet checkpointed) does
        assert runs == {s: 1 if s in committed or s == "s4" else 2 for s in ("s1", "s2", "s3", "s4")}
        out = httpx.get(f"{url_b}{resumed['steps'][3]['outputs']['image']['path']}", headers=HEADERS).content
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(out))), expected_after(img))
    finally:
        for p in (a, b):
            if p.poll() is None:
                p.terminate()
                p.wait(10)


def _quiet_post(url, body):
    try:
        httpx.post(url, json=body, headers=HEADERS, timeout=120)
    except httpx.HTTPError:  # the server dies under it
        pass


def test_a_follow_up_on_another_machine_chains(s3_env, pg_url, tmp_path):
    """Two CLI processes with separate local folders: 'make it brighter' on the second works on the
    first one's result, read from the bucket."""
    photo = tmp_path / "cat.png"
    Image.fromarray(data.chelsea()).save(photo)
    base = [CLI, "run", "--db", pg_url, "--artifacts", s3_env, "--session", "c", "--json", "--quiet"]
    first = subprocess.run(
        [
            *base[:2],
            "segment the cat then make it purple",
            *base[2:],
            "--image",
            str(photo),
            "--out",
            str(tmp_path / "o1"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "TMPDIR": str(_mk(tmp_path / "m1"))},
    )
    assert first.returncode == 0, first.stderr[-2000:]
    second = subprocess.run(
        [*base[:2], "make it brighter", *base[2:], "--out", str(tmp_path / "o2")],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "TMPDIR": str(_mk(tmp_path / "m2"))},
    )
    assert second.returncode == 0, second.stderr[-2000:]
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert [s["status"] for s in two["steps"]] == ["ok"]
    purple = np.asarray(Image.open(one["steps"][-1]["outputs"]["image"]["path"])).astype(int)
    brighter = np.asarray(Image.open(two["steps"][-1]["outputs"]["image"]["path"])).astype(int)
    assert brighter.shape == purple.shape and brighter.mean() > purple.mean() + 5
    recoloured = np.abs(purple - data.chelsea().astype(int)).sum(-1) > 40  # the cat, purple after turn one
    assert recoloured.mean() > 0.2
    assert (brighter[recoloured][:, 2] - brighter[recoloured][:, 1]).mean() > 20  # still purple: it chained
    assert one["session"] == two["session"] == "c"


def _mk(p):
    p.mkdir(parents=True, exist_ok=True)
    return p


def test_the_database_unreachable_then_restarted(pg_cluster, pg_url, tmp_path):
    from vitron_agent.core.errors import InputError
    from vitron_agent.runtime.agent import Agent

    with pytest.raises(InputError, match=r"postgresql://postgres:\*\*\*@127\.0\.0\.1:1/x") as err:
        Agent(db="postgresql://postgres:secret@127.0.0.1:1/x", data_dir=tmp_path / "a")
    assert "secret" not in str(err.value)
    agent = Agent(db=pg_url, data_dir=tmp_path / "b")
    try:
        first = agent.run("make it darker", image=data.coffee()[:48, :48], session="r")
        assert first.ok
        pg_cluster.restart()  # the database goes down and comes back between two turns
        r = agent.run("make it brighter", session="r")
        assert r.ok and r.inputs["input"]["image"]["id"] == first.steps[-1].outputs["image"]["value"]["id"]
        from vitron_agent.runtime.sessions import list_sessions

        assert [s.turns for s in list_sessions(agent) if s.id == "r"] == [2]
    finally:
        agent.close()
