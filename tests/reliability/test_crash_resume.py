"""kill -9 a run during each of its four steps, resume in a new process: the outputs match an
uninterrupted run, completed steps are not run again, nothing is lost or duplicated."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

WORKER = Path(__file__).with_name("crash_worker.py")
ROOT = Path(__file__).resolve().parents[2]


def worker(mode, db, markers, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), mode, str(db), str(markers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kw,
    )


def executions(markers: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in markers.iterdir():
        step = m.name.split("-")[0]
        counts[step] = counts.get(step, 0) + 1
    return counts


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("reference")
    p = worker("run", d / "s.sqlite", d / "markers")
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    result = json.loads(out)
    assert all(status == "ok" for status, _ in result.values())
    return result


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_kill_during_step_k_then_resume(tmp_path, reference, k):
    db, markers = tmp_path / "s.sqlite", tmp_path / "markers"
    p = worker("run", db, markers)
    deadline = time.time() + 60
    while not (markers.exists() and any(m.name.startswith(f"s{k}-") for m in markers.iterdir())):
        assert p.poll() is None, p.communicate()[1]
        assert time.time() < deadline, "the step never started"
        time.sleep(0.02)
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=10)
    before = executions(markers)
    assert before == {f"s{i}": 1 for i in range(1, k + 1)}
    c = worker("committed", db, markers)
    out, err = c.communicate(timeout=60)
    assert c.returncode == 0, err
    committed = set(json.loads(out))
    # s{k} started once s{k-1} had computed, while s{k-1}'s picture was being written; s{k-1} is
    # committed only once that write is durable, so a kill in that window leaves it uncommitted
    assert committed in [{f"s{i}" for i in range(1, j)} for j in range(1, k + 1)]  # s1..sj, j < k: in order

    r = worker("resume", db, markers)
    out, err = r.communicate(timeout=120)
    assert r.returncode == 0, err
    assert json.loads(out) == reference  # same artifact hashes as the uninterrupted run
    after = executions(markers)
    # a checkpointed step never runs again; the killed step and any not yet checkpointed do
    assert after == {f"s{i}": (1 if f"s{i}" in committed or i > k else 2) for i in range(1, 5)}
    artifacts = [f for f in (Path(str(db) + ".artifacts") / "crash").iterdir() if f.suffix == ".png"]
    assert len(artifacts) == 5  # the input and four outputs, each stored once
    assert not list((Path(str(db) + ".artifacts") / "crash").glob(".*.tmp"))
