"""Kill -9 the HTTP server in the middle of a plan, start it again, resume over HTTP: completed
steps are not run again and the outputs match an uninterrupted run."""

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
HEADERS = {"Authorization": "Bearer t"}


def start(data, markers):
    return start_script(Path(__file__).with_name("serve_slow.py"), data, markers)


def start_script(script, *args, timeout=90):
    """Run ``script ARGS... PORT`` (a uvicorn server) and wait until its /health answers: (process, url)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, str(script), *map(str, args), str(port)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        assert time.time() < deadline, f"{script} did not start"
        time.sleep(0.1)


def test_server_killed_mid_plan_then_resumed(tmp_path):
    img = np.arange(24 * 32 * 3, dtype=np.uint32).reshape(24, 32, 3).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    markers = tmp_path / "markers"

    proc, url = start(tmp_path / "data", markers)
    ref = httpx.post(f"{url}/v1/sessions/k/media", content=buf.getvalue(), headers=HEADERS).json()

    answered = []  # what the doomed request got, if the server answered it before the kill

    def doomed_request():
        try:
            r = httpx.post(f"{url}/v1/sessions/k/runs", json={"text": "go", "image": ref}, headers=HEADERS, timeout=60)
            answered.append((r.status_code, r.text[:500]))
        except httpx.HTTPError:  # the server dies under it
            pass

    threading.Thread(target=doomed_request, daemon=True).start()
    deadline = time.time() + 60
    while not (markers.exists() and any(m.name.startswith("s3-") for m in markers.iterdir())):
        assert time.time() < deadline and not answered, f"s3 never started; the run answered {answered}"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)

    proc, url = start(tmp_path / "data", markers)
    try:
        info = httpx.get(f"{url}/v1/sessions/k", headers=HEADERS).json()
        assert info["pending"] is True, info
        # s3 starts once s2 has computed, while s2's picture is still being written; s2's record is
        # checkpointed only once that write is durable, so a kill in between leaves s2 to run again.
        # (The kill may also land after s2's record was saved but before the checkpoint after it:
        # the turn is still pending, see test_killed_between_a_steps_writes_and_its_checkpoint.)
        committed = set(info["steps_done"])
        assert committed in ({"s1", "s2"}, {"s1"}, set())  # checkpointed in order, never s3 (in flight)
        done = httpx.post(f"{url}/v1/sessions/k/resume", headers=HEADERS, timeout=60).json()
        assert [s["status"] for s in done["steps"]] == ["ok"] * 4
        runs = {}
        for m in markers.iterdir():
            runs[m.name.split("-")[0]] = runs.get(m.name.split("-")[0], 0) + 1
        # a checkpointed step never runs again; the step in flight (and one not yet checkpointed) does
        assert runs == {s: 1 if s in committed or s == "s4" else 2 for s in ("s1", "s2", "s3", "s4")}
        expected = img
        for i in range(1, 5):
            expected = np.clip(np.roll(expected, 3 * i, axis=1).astype(int) + 7, 0, 255).astype(np.uint8)
        out = httpx.get(f"{url}{done['steps'][3]['outputs']['image']['path']}", headers=HEADERS).content
        np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(out))), expected)
    finally:
        proc.terminate()
        proc.wait(10)


# A process that dies exactly between LangGraph's two saves of a superstep: the node's writes
# (s2's record) are saved, then SIGKILL as the checkpoint after them is about to be written.
DIE_IN_CHECKPOINT = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import numpy as np
from crash_worker import PLAN, SlowRoll
from langgraph.checkpoint.sqlite import SqliteSaver
from vitron_agent.runtime.agent import Agent
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.toolkit.tool import Toolbox
import sqlite3

import threading
s2_saved = threading.Event()

def s2_ok(records):
    return isinstance(records, dict) and (records.get("s2") or {}).get("status") == "ok"

class DiesBeforeCheckpoint(SqliteSaver):
    # LangGraph saves a task's writes and the checkpoint after them on two threads, in either
    # order: wait until s2's record is saved, then die before the checkpoint is
    def put_writes(self, config, writes, task_id, task_path=""):
        out = super().put_writes(config, writes, task_id, task_path)
        if any(channel == "records" and s2_ok(value) for channel, value in writes):
            s2_saved.set()
        return out

    def put(self, config, checkpoint, metadata, new_versions):
        if s2_ok(checkpoint["channel_values"].get("records")):
            assert s2_saved.wait(60), "s2's record was never saved as a write"
            os.kill(os.getpid(), signal.SIGKILL)
        return super().put(config, checkpoint, metadata, new_versions)

db, markers = Path(sys.argv[1]), Path(sys.argv[2])
markers.mkdir(parents=True, exist_ok=True)
saver = DiesBeforeCheckpoint(sqlite3.connect(str(db), check_same_thread=False))
agent = Agent(toolbox=Toolbox([SlowRoll(markers)]), planner=ScriptedPlanner([PLAN]), checkpointer=saver, db=db)
img = np.arange(24 * 32 * 3, dtype=np.uint32).reshape(24, 32, 3).astype(np.uint8)
agent.run("roll four times", image=img, session="crash")
"""


def test_killed_between_a_steps_writes_and_its_checkpoint(tmp_path):
    """The kill lands after s2's record was saved (LangGraph's pending writes) but before the
    checkpoint after it: LangGraph's snapshot then lists nothing in ``next``, yet the turn has not
    ended. The session is pending, resume finishes it and s2 does not run again."""
    sys.path.insert(0, str(ROOT / "tests" / "reliability"))
    from crash_worker import PLAN, SlowRoll

    from vitron_agent.planners.base import ScriptedPlanner
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.runtime.sessions import list_sessions
    from vitron_agent.toolkit.tool import Toolbox

    db, markers = tmp_path / "s.sqlite", tmp_path / "markers"
    proc = subprocess.run(
        [sys.executable, "-c", DIE_IN_CHECKPOINT, str(db), str(markers), str(ROOT / "tests" / "reliability")],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    with Agent(toolbox=Toolbox([SlowRoll(markers)]), planner=ScriptedPlanner([PLAN]), db=db) as agent:
        snapshot = agent.graph.get_state(agent._config("crash"))
        assert snapshot.next == () and not snapshot.values.get("history")  # the window: nothing "next"
        assert agent.pending("crash")
        assert [s.pending for s in list_sessions(agent)] == [True]
        result = agent.resume("crash")
    assert [s.status for s in result.steps] == ["ok"] * 4
    runs = sorted(m.name.split("-")[0] for m in markers.iterdir())
    # s2's saved record stands (it ran once); s3, started while s2's picture was being written, ran again
    assert runs == ["s1", "s2", "s3", "s3", "s4"]
