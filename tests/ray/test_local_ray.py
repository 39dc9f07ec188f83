"""`batch --ray` with no address starts a lean local Ray (vitron_agent.batch.local_ray): the GCS,
the raylet and its agents, no dashboard head, autoscaler monitor or log monitor; it runs actors like
any instance, ends with the batch, and a killed driver leaves none of its processes behind.
VITRON_RAY_LEAN=0 gives plain ray.init (every process Ray starts)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ray, pytest.mark.timeout(600)]
psutil = pytest.importorskip("psutil")
BIN = Path(sys.executable).parent
REQUEST = "make it a bit warmer, then sharpen it"

# A driver that starts the instance as batch --ray does, runs an actor, prints its processes'
# command lines, then ends the instance and prints what is left of them.
_CHILD = """
import json, os, sys, psutil, ray
from vitron_agent.batch import local_ray
lean = local_ray.start(2)
ray.init(address=lean.address if lean else "local", logging_level="ERROR", log_to_driver=False,
         **({} if lean else {"num_cpus": 2, "include_dashboard": False}))

@ray.remote(num_cpus=1)
class Echo:
    def pid(self):
        return os.getpid()

pid = ray.get(Echo.remote().pid.remote())
kids = psutil.Process().children(recursive=True)
print(json.dumps({"lean": lean is not None, "actor": pid, "cmds": [" ".join(k.cmdline()) for k in kids]}))
ray.shutdown()
if lean:
    lean.stop()
print(json.dumps({"left": [k.pid for k in psutil.wait_procs(kids, timeout=30)[1]]}))
"""


def _run_child(**env) -> tuple[dict, dict]:
    p = subprocess.run(
        [sys.executable, "-c", _CHILD],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RAY_worker_niceness": "0", **env},
    )
    assert p.returncode == 0, p.stderr[-3000:]
    first, second = (json.loads(ln) for ln in p.stdout.strip().splitlines()[-2:])
    return first, second


def _has(cmds: list[str], part: str) -> bool:
    return any(part in cmd for cmd in cmds)


def test_a_lean_instance_starts_only_what_a_batch_uses_and_ends_whole():
    got, after = _run_child()
    assert got["lean"] and got["actor"] > 0
    cmds = got["cmds"]
    assert _has(cmds, "gcs_server") and _has(cmds, "raylet")  # Ray itself
    assert _has(cmds, "dashboard/agent.py") and _has(cmds, "runtime_env/agent")  # the raylet needs both
    for left_out in ("dashboard/dashboard.py", "autoscaler/_private/monitor.py", "_private/log_monitor.py"):
        assert not _has(cmds, left_out), (left_out, cmds)
    assert after["left"] == []  # every process of the instance ended with it


def test_plain_ray_init_when_asked():
    got, after = _run_child(VITRON_RAY_LEAN="0")
    assert not got["lean"] and got["actor"] > 0
    assert _has(got["cmds"], "dashboard/dashboard.py") and _has(got["cmds"], "log_monitor.py")  # ray.init's set
    assert after["left"] == []


def test_a_killed_cold_batch_leaves_no_ray_process(tmp_path):
    """kill -9 of `batch --ray` once an actor has run an item: the instance's GCS, raylet and
    actors die with it; the raylet's two agents notice their raylet is gone and end within about a
    minute (Ray's own check: the same with plain ray.init, measured 65 s at load 18 both ways)."""
    from PIL import Image
    from skimage import data

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        Image.fromarray(data.astronaut()[i : 400 + i, i : 400 + i]).save(folder / f"p{i:02d}.png")
    timeline = tmp_path / "timeline.jsonl"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "VITRON_BATCH_TIMELINE": str(timeline), "VITRON_RAY_HEAD_START": "0"}
    cmd = [str(BIN / "vitron-agent"), "batch", REQUEST, str(folder), "--out", str(tmp_path / "out"), "--quiet"]
    driver = subprocess.Popen([*cmd, "--ray", "--workers", "2"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 300
        while not (timeline.exists() and '"actor", "phase": "job done"' in timeline.read_text()):
            assert driver.poll() is None and time.time() < deadline, driver.stderr.read()[-3000:]
            time.sleep(0.2)
        kids = {k: " ".join(k.cmdline()) for k in psutil.Process(driver.pid).children(recursive=True)}
        assert any("raylet" in cmd for cmd in kids.values())
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait(timeout=30)
        agents = [k for k, cmd in kids.items() if "agent" in cmd.lower()]
        _, alive = psutil.wait_procs([k for k in kids if k not in agents], timeout=60)
        assert alive == [], [kids[k] for k in alive]
        _, alive = psutil.wait_procs(agents, timeout=240)
        assert alive == [], [kids[k] for k in alive]
    finally:
        if driver.poll() is None:
            driver.kill()
