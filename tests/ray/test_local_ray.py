"""`batch --ray` with no address starts a lean local Ray (vitron_agent.batch.local_ray): the GCS,
the raylet and stand-ins for its two agents (vitron_agent.batch.agent_stand_in), no dashboard head,
autoscaler monitor or log monitor; it runs actors like any instance, refuses a runtime environment
at once and says why, ends with the batch, and a killed driver leaves none of its processes behind.
VITRON_RAY_STAND_INS=0 keeps Ray's agents; VITRON_RAY_LEAN=0 gives plain ray.init (every process
Ray starts)."""

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
cmds = [" ".join(k.cmdline()) for k in kids]
try:  # a runtime environment: the stand-in runtime-env agent refuses it at once
    ray.get(Echo.options(runtime_env={"env_vars": {"A": "1"}}).remote().pid.remote(), timeout=120)
    env = "made"
except Exception as exc:
    env = type(exc).__name__ + ": " + str(exc)
print(json.dumps({"lean": lean is not None, "actor": pid, "cmds": cmds, "env": env}))
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
    assert _has(cmds, "agent_stand_in.py dashboard") and _has(cmds, "agent_stand_in.py runtime-env")
    for left_out in ("dashboard/dashboard.py", "autoscaler/_private/monitor.py", "_private/log_monitor.py"):
        assert not _has(cmds, left_out), (left_out, cmds)
    assert not _has(cmds, "dashboard/agent.py") and not _has(cmds, "runtime_env/agent")  # Ray's agents
    assert got["env"].startswith("RuntimeEnvSetupError") and "VITRON_RAY_STAND_INS=0" in got["env"], got["env"]
    assert after["left"] == []  # every process of the instance ended with it


def test_ray_s_own_agents_when_asked():
    got, after = _run_child(VITRON_RAY_STAND_INS="0")
    assert got["lean"] and got["actor"] > 0
    assert _has(got["cmds"], "dashboard/agent.py") and _has(got["cmds"], "runtime_env/agent")
    assert not _has(got["cmds"], "agent_stand_in") and not _has(got["cmds"], "dashboard/dashboard.py")
    assert got["env"] == "made"  # Ray's runtime-env agent sets an environment up
    assert after["left"] == []


def test_the_stand_in_replies_are_ray_s_messages():
    """The runtime-env stand-in's hand-written protobuf replies parse as Ray's own classes."""
    from ray.core.generated import runtime_env_agent_pb2 as pb

    from vitron_agent.batch import agent_stand_in

    made = pb.GetOrCreateRuntimeEnvReply.FromString(agent_stand_in.reply("/get_or_create_runtime_env"))
    assert made.status == pb.AGENT_RPC_STATUS_FAILED and "stand-ins" in made.error_message
    gone = pb.DeleteRuntimeEnvIfPossibleReply.FromString(agent_stand_in.reply("/delete_runtime_env_if_possible"))
    assert gone.status == pb.AGENT_RPC_STATUS_OK
    assert pb.GetRuntimeEnvsInfoReply.FromString(agent_stand_in.reply("/get_runtime_envs_info")).total == 0
    assert agent_stand_in.reply("/elsewhere") is None


def test_another_ray_s_raylet_command_keeps_its_agents():
    """A raylet command line without the two agent options (another Ray version) is not rewritten:
    with_stand_ins raises, and the raylet is started with Ray's own agents."""
    from vitron_agent.batch.local_ray import with_stand_ins

    with pytest.raises(LookupError):
        with_stand_ins(["raylet", "--node_id=ab", "--dashboard_agent_command=python agent.py"])


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


# A driver whose lean instance preloads ``n`` workers; its actors (a class that imports nothing of
# vitron_agent) say whether the runtime was imported in their process before they were built.
_PRELOAD_CHILD = """
import json, os, sys, ray
from vitron_agent.batch import local_ray
lean = local_ray.start(2, (int(sys.argv[1]), None, None))
ray.init(address=lean.address, logging_level="ERROR", log_to_driver=False)

@ray.remote(num_cpus=1)
class Probe:
    def __init__(self):
        self.had = "vitron_agent.runtime.agent" in sys.modules and "vitron_agent.planners.rule" in sys.modules

    def had_runtime(self):
        return self.had

actors = [Probe.remote() for _ in range(2)]
print(json.dumps({"had": sorted(ray.get([a.had_runtime.remote() for a in actors])), "slots": lean.slots}))
ray.shutdown()
lean.stop()
"""


@pytest.mark.parametrize(("n", "env", "expected"), [(2, {}, [True, True]), (1, {}, [False, True])])
def test_prestarted_workers_import_the_runtime_before_their_actor(n, env, expected):
    """The raylet's prestarted workers run the preload hook (vitron_agent.batch.worker_preload):
    the first n import the runtime an actor's Agent is built from, the others nothing."""
    p = subprocess.run(
        [sys.executable, "-c", _PRELOAD_CHILD, str(n)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RAY_worker_niceness": "0", **env},
    )
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got["had"] == expected
    assert got["slots"] and not os.path.exists(got["slots"])  # its slot folder went with the instance


def test_no_preload_when_turned_off():
    p = subprocess.run(
        [sys.executable, "-c", _PRELOAD_CHILD, "2"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RAY_worker_niceness": "0", "VITRON_RAY_PRELOAD": "0"},
    )
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got == {"had": [False, False], "slots": None}


def test_the_preload_hook_claims_each_slot_once_and_never_raises(tmp_path, monkeypatch):
    from vitron_agent.batch import worker_preload

    env = worker_preload.environment(str(tmp_path), 2, str(tmp_path / "missing.toml"), None)
    assert env[worker_preload.HOOK_ENV] == "vitron_agent.batch.worker_preload.preload"
    monkeypatch.setenv(worker_preload.ENV, env[worker_preload.ENV])
    assert [worker_preload._claim_slot(env[worker_preload.ENV]) for _ in range(3)] == [True, True, False]
    assert sorted(os.listdir(tmp_path)) == ["0", "1"]
    monkeypatch.setenv(worker_preload.ENV, f"{tmp_path / 'other'}:1")
    (tmp_path / "other").mkdir()
    monkeypatch.setenv("VITRON_RAY_PRELOAD_CONFIG", str(tmp_path / "missing.toml"))
    worker_preload.preload()  # a config that cannot load: nothing raised (the actor reports it itself)
    assert os.listdir(tmp_path / "other") == ["0"]


def test_a_cold_batch_plans_on_a_preloaded_actor_and_runs_every_input_there(tmp_path):
    """Cold, with the head start on auto: the actors' workers imported the runtime before them
    (their 'preloaded' mark, in the actor's own process), one actor plans the request and the
    driver runs no input; with VITRON_RAY_PRELOAD=0 the driver plans and has its head start."""
    from PIL import Image
    from skimage import data

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        Image.fromarray(data.astronaut()[i : 300 + i, i : 300 + i]).save(folder / f"p{i:02d}.png")
    marks = {}
    for name, extra in (("preloaded", {}), ("not preloaded", {"VITRON_RAY_PRELOAD": "0"})):
        timeline = tmp_path / f"{name}.jsonl"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "VITRON_BATCH_TIMELINE": str(timeline), **extra}
        env.pop("VITRON_RAY_HEAD_START", None)
        out = tmp_path / name.replace(" ", "_")
        cmd = [str(BIN / "vitron-agent"), "batch", REQUEST, str(folder), "--out", str(out), "--quiet"]
        p = subprocess.run([*cmd, "--ray", "--workers", "2"], env=env, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, p.stderr[-3000:]
        lines = [json.loads(ln) for ln in (out / "results.jsonl").read_text().splitlines()]
        assert len(lines) == 6 and all(ln["status"] == "ok" for ln in lines)
        marks[name] = [json.loads(ln) for ln in timeline.read_text().splitlines()]
    recs = marks["preloaded"]
    preloaded = {r["pid"] for r in recs if r["who"] == "actor" and r["phase"] == "preloaded"}
    built = {r["pid"] for r in recs if r["who"] == "actor" and r["phase"] == "agent built"}
    assert built and built <= preloaded, recs
    assert [r["who"] for r in recs if r["phase"] == "plan start"] == ["actor"]
    assert not [r for r in recs if r["who"] == "driver" and r["phase"] == "job start"]
    recs = marks["not preloaded"]
    assert not [r for r in recs if r["phase"] == "preloaded"]
    assert [r["who"] for r in recs if r["phase"] == "plan start"] == ["driver"]


# The CLI in a driver that sees ``cores`` cores (os.cpu_count and its CPU affinity): a machine
# with more cores than --workers, simulated on any machine.
_MANY_CORES = """
import os, sys
cores = int(sys.argv.pop(1))
os.cpu_count = lambda: cores
os.sched_getaffinity = lambda pid: set(range(cores))
from vitron_agent.cli import main
sys.argv[0] = "vitron-agent"
sys.exit(main())
"""


def test_a_cold_batch_on_more_cores_than_workers_runs_on_preloaded_actors_with_their_share_of_threads(tmp_path):
    """On 8 cores with --workers 2, Ray prestarted a worker per core and only 2 of them preloaded:
    the actors could land on cold ones (the reviewer's finding). The batch's private instance has a
    CPU per actor (so Ray prestarts one worker per actor, each preloaded), and each actor runs with
    the threads a local pool's helper would have (8 cores // 2 workers), not the 1 CPU Ray gave it."""
    from PIL import Image
    from skimage import data

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        Image.fromarray(data.astronaut()[i : 300 + i, i : 300 + i]).save(folder / f"p{i:02d}.png")
    timeline = tmp_path / "timeline.jsonl"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "VITRON_BATCH_TIMELINE": str(timeline), "RAY_worker_niceness": "0"}
    for var in ("VITRON_RAY_HEAD_START", "VITRON_RAY_PRELOAD", "VITRON_RAY_LEAN"):
        env.pop(var, None)
    cmd = ["batch", REQUEST, str(folder), "--out", str(tmp_path / "out"), "--quiet", "--ray", "--workers", "2"]
    p = subprocess.run(
        [sys.executable, "-c", _MANY_CORES, "8", *cmd], env=env, capture_output=True, text=True, timeout=600
    )
    assert p.returncode == 0, p.stderr[-3000:]
    lines = [json.loads(ln) for ln in (tmp_path / "out" / "results.jsonl").read_text().splitlines()]
    assert len(lines) == 4 and all(ln["status"] == "ok" for ln in lines)
    recs = [json.loads(ln) for ln in timeline.read_text().splitlines()]
    preloaded = {r["pid"] for r in recs if r["who"] == "actor" and r["phase"] == "preloaded"}
    built = [r for r in recs if r["who"] == "actor" and r["phase"] == "agent built"]
    assert len(built) == 2 and {r["pid"] for r in built} <= preloaded, recs
    assert not [r for r in recs if r["phase"] == "no preload slot"], recs  # no cold worker started
    assert [r["threads"]["omp"] for r in built] == [4, 4], built


# A fresh process as a Ray worker is when its setup hook runs (Ray imported), given one slot.
_HOOK_CHILD = """
import gc, json, os, sys
import ray
from vitron_agent.batch import worker_preload
os.environ[worker_preload.ENV] = sys.argv[1] + ":1"
worker_preload.preload()
loaded = "vitron_agent.runtime.agent" in sys.modules and "vitron_agent.planners.rule" in sys.modules
client = "langgraph_sdk.client" in sys.modules
frozen, collecting = gc.get_freeze_count(), gc.isenabled()
import langgraph_sdk
print(json.dumps({"loaded": loaded, "client": client, "frozen": frozen, "collecting": collecting,
                  "whole": callable(langgraph_sdk.get_client)}))
"""


def test_the_preload_imports_as_the_console_command_does(tmp_path):
    """The hook's imports skip what an actor never uses (LangGraph's SDK client: its package's
    __init__ runs on a first use of its names, which still work) and leave the objects they made
    frozen for the garbage collector, which is on again (vitron_agent.cli's start-up, in the actor)."""
    p = subprocess.run([sys.executable, "-c", _HOOK_CHILD, str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got["loaded"] and os.listdir(tmp_path) == ["0"], got
    assert not got["client"] and got["whole"], got
    assert got["frozen"] > 10000 and got["collecting"], got
