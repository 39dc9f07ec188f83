"""Warm batch actors on a cluster (`batch --ray ADDRESS`): detached, named by the configuration,
reused by the cluster's next batch with their models loaded (the progress line says so), the same
results lines as one process; `--ray-release ADDRESS` ends them, an idle one ends itself after
`--ray-keep` seconds, `--ray-keep 0` leaves none, a changed configuration gets new ones; a job whose
driver is gone is not run."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

pytestmark = [pytest.mark.ray, pytest.mark.timeout(900)]
BIN = Path(sys.executable).parent
EXE = str(BIN / "vitron-agent")
REQUEST = "make it a bit warmer, then sharpen it"
ALONE = {"VITRON_RAY_HEAD_START": "0"}  # every input on the actors: the progress line names them
ENV = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"} | {"RAY_AUTH_MODE": "disabled"}

LIST = """
import sys, ray
ray.init(address=sys.argv[1], logging_level="ERROR", log_to_driver=False)
print(sorted(a["name"] for a in ray.util.list_named_actors(all_namespaces=True) if a["namespace"] == "vitron_batch"))
ray.shutdown()
"""


def cli(*args, **env):
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, timeout=600, env={**ENV, "HF_HUB_OFFLINE": "1", **env}
    )


def warm_actors(address: str) -> list[str]:
    p = subprocess.run([sys.executable, "-c", LIST, address], capture_output=True, text=True, env=ENV, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1].replace("'", '"'))


def comparable(out: Path) -> dict[str, dict]:
    def scrub(value):
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if k != "seconds"}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value.replace(str(out), "<out>") if isinstance(value, str) else value

    lines = [json.loads(ln) for ln in (out / "results.jsonl").read_text().splitlines()]
    return {ln["key"]: scrub(ln) for ln in lines}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A private `ray start --head` cluster (free port, own temp folder), ended by ending that command."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    temp = Path(os.path.realpath("/tmp")) / f"vbw-{os.getpid()}-{port}"
    cmd = [str(BIN / "ray"), "start", "--head", "--block", f"--port={port}", "--num-cpus=2"]
    cmd += ["--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp}", "--node-ip-address=127.0.0.1"]
    logs = tmp_path_factory.mktemp("ray-head")
    log = open(logs / "ray-start.log", "w")
    head = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=ENV)
    address = f"127.0.0.1:{port}"
    probe = f"import ray; ray.init(address={address!r}, logging_level='ERROR'); ray.shutdown()"
    try:
        deadline = time.time() + 180
        while subprocess.run([sys.executable, "-c", probe], capture_output=True, env=ENV).returncode != 0:
            assert head.poll() is None and time.time() < deadline, (logs / "ray-start.log").read_text()[-2000:]
            time.sleep(1)
        yield address
    finally:
        head.terminate()
        try:
            head.wait(timeout=120)
        except subprocess.TimeoutExpired:
            head.kill()
            head.wait()
        log.close()
        shutil.rmtree(temp, ignore_errors=True)  # Ray's session folders and logs of this cluster


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    Image.fromarray(data.coffee()[::2, ::2]).save(folder / "coffee.png")
    Image.fromarray(data.chelsea()[::2, ::2]).save(folder / "cat.png")
    Image.fromarray(data.astronaut()[::2, ::2]).save(folder / "astronaut.png")
    return folder


def test_the_next_batch_reuses_warm_actors_and_release_ends_them(photos, tmp_path, cluster):
    base = tmp_path / "one"
    assert cli("batch", REQUEST, str(photos), "--out", str(base), "--quiet").returncode == 0
    first, second = tmp_path / "first", tmp_path / "second"
    timeline = tmp_path / "second.timeline.jsonl"
    keep = ("--ray-keep", "300")
    p = cli("batch", REQUEST, str(photos), "--out", str(first), "--ray", cluster, "--workers", "2", *keep, **ALONE)
    assert p.returncode == 0 and "Ray actors: 2 started; kept warm 300 s idle" in p.stderr, p.stderr[-3000:]
    names = warm_actors(cluster)
    assert len(names) == 2 and names[0].endswith("-0") and names[1].endswith("-1"), names
    p = cli(
        "batch",
        REQUEST,
        str(photos),
        "--out",
        str(second),
        "--ray",
        cluster,
        "--workers",
        "2",
        VITRON_BATCH_TIMELINE=str(timeline),
    )
    assert p.returncode == 0 and "Ray actors: 2 reused (warm)" in p.stderr, p.stderr[-3000:]
    marks = [json.loads(ln) for ln in timeline.read_text().splitlines()]
    assert not [m for m in marks if m["phase"] == "actor started"]  # nothing was built again
    planned = [m["who"] for m in marks if m["phase"] == "plan start"]
    assert planned == ["actor"]  # a warm actor planned the request: the driver built no Agent
    assert len([m for m in marks if m["phase"] == "job done"]) == 3  # each input once
    assert comparable(first) == comparable(base) and comparable(second) == comparable(base)
    assert warm_actors(cluster) == names
    p = cli("batch", "--ray-release", cluster)
    assert p.returncode == 0 and "ended 2 warm batch actors" in p.stderr, p.stderr[-2000:]
    assert warm_actors(cluster) == []


def test_an_idle_warm_actor_ends_itself_and_keep_0_leaves_none(photos, tmp_path, cluster):
    p = cli("batch", REQUEST, str(photos), "--out", str(tmp_path / "a"), "--ray", cluster, "--ray-keep", "0")
    assert p.returncode == 0 and "kept warm" not in p.stderr, p.stderr[-2000:]
    assert warm_actors(cluster) == []  # --ray-keep 0: the actors ended with the batch
    p = cli("batch", REQUEST, str(photos), "--out", str(tmp_path / "b"), "--ray", cluster, "--ray-keep", "4", **ALONE)
    assert p.returncode == 0 and "1 started; kept warm 4 s idle" in p.stderr, p.stderr[-2000:]
    assert len(warm_actors(cluster)) == 1
    deadline = time.time() + 60
    while warm_actors(cluster) and time.time() < deadline:
        time.sleep(2)
    assert warm_actors(cluster) == []  # it ended itself, idle for 4 s


def test_another_configuration_on_a_full_cluster_ends_the_idle_warm_actors(photos, tmp_path, cluster):
    """Warm actors hold the cluster's CPUs (one each): a batch with another configuration asks the
    idle ones to end rather than wait for CPUs until their idle limit (the cluster has 2 CPUs)."""
    two = ("--ray", cluster, "--workers", "2", "--ray-keep", "3000")  # without asking them, b would wait that long
    p = cli("batch", REQUEST, str(photos), "--out", str(tmp_path / "a"), *two, **ALONE)
    assert p.returncode == 0 and "2 started" in p.stderr, p.stderr[-2000:]
    before = warm_actors(cluster)
    assert len(before) == 2
    # its own generous deadline: on a loaded machine the warm actors' ending can be slow, and should
    # room never come, the batch ends with a message saying why (it had hung 600 s in a CI run)
    patient = {**ALONE, "VITRON_RAY_PLACE_S": "300"}
    p = cli("batch", REQUEST, str(photos), "--out", str(tmp_path / "b"), *two, "--planner", "rule", **patient)
    assert p.returncode == 0 and "Ray actors: 2 started" in p.stderr, p.stderr[-2000:]
    after = warm_actors(cluster)
    assert len(after) == 2 and not set(after) & set(before), (before, after)  # the new configuration's
    assert comparable(tmp_path / "b") == comparable(tmp_path / "a")
    assert cli("batch", "--ray-release", cluster).returncode == 0


HOG = """
import sys, time, ray
ray.init(address=sys.argv[1], logging_level="ERROR", log_to_driver=False, namespace="someone-else")
@ray.remote(num_cpus=1)
class Hog:
    def ping(self):
        return 1
hog = Hog.remote()
ray.get(hog.ping.remote(), timeout=120)
print("holding", flush=True)
time.sleep(900)
"""


def test_a_batch_that_finds_no_room_ends_with_the_fix_and_loses_nothing(photos, tmp_path, cluster):
    """Another user's actor holds one of the cluster's 2 CPUs: of a 2-worker batch one actor is
    placed and one never is. The batch ends (it waited for ever before) naming the full cluster and
    the fixes; the lines written are kept, and the same command with one worker finishes the rest."""
    hog = subprocess.Popen([sys.executable, "-c", HOG, cluster], stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert hog.stdout.readline().strip() == "holding"
        out = tmp_path / "out"
        args = ("batch", REQUEST, str(photos), "--out", str(out), "--ray", cluster, "--ray-keep", "0")
        t0 = time.time()
        p = cli(*args, "--workers", "2", **ALONE, VITRON_RAY_PLACE_S="15")
        assert p.returncode == 2 and time.time() - t0 < 300, p.stderr[-2000:]
        said = p.stderr.replace("\n", " ")
        assert f"the Ray cluster at {cluster} is full: 1 of the batch's 2 actors" in said, said[-2000:]
        assert "0 of its 2 CPUs free" in said  # the hog holds one, the placed actor the other
        assert "fewer --workers" in said and f"--ray-release {cluster}" in said and "bigger cluster" in said
        done = (out / "results.jsonl").read_text().splitlines() if (out / "results.jsonl").exists() else []
        assert len(done) < 3  # one job was queued on the actor that never came
        p = cli(*args, "--workers", "1", **ALONE)
        assert p.returncode == 0, p.stderr[-2000:]
        lines = [json.loads(ln) for ln in (out / "results.jsonl").read_text().splitlines()]
        assert sorted(ln["key"] for ln in lines) == sorted(set(ln["key"] for ln in lines)) and len(lines) == 3
        assert all(ln["status"] == "ok" for ln in lines)
    finally:
        hog.terminate()
        hog.wait(timeout=60)
    assert warm_actors(cluster) == []


def test_the_place_setting_is_checked(monkeypatch):
    from vitron_agent.batch.ray_actors import PLACE_ENV, PLACE_S, place_seconds
    from vitron_agent.core.errors import InputError

    monkeypatch.delenv(PLACE_ENV, raising=False)
    assert place_seconds() == PLACE_S and place_seconds(0) == 0 and place_seconds("7") == 7
    monkeypatch.setenv(PLACE_ENV, "later")
    with pytest.raises(InputError, match="seconds"):
        place_seconds()


def test_a_changed_configuration_gets_new_actors(tmp_path):
    from vitron_agent.batch.ray_actors import warm_name

    toml = tmp_path / "vitron.toml"
    toml.write_text("[agent]\nstep_timeout = 30\n")
    one = warm_name(str(toml), None, None)
    assert one == warm_name(str(toml), None, None) and one.startswith("vitron-batch-")
    toml.write_text("[agent]\nstep_timeout = 31\n")
    assert warm_name(str(toml), None, None) != one
    assert warm_name(None, "rule", None) != warm_name(None, None, None)
    assert warm_name(None, None, "s3://bucket/x") != warm_name(None, None, None)


def test_the_keep_setting_is_checked(monkeypatch):
    from vitron_agent.batch.ray_actors import KEEP_ENV, KEEP_S, keep_seconds
    from vitron_agent.core.errors import InputError

    monkeypatch.delenv(KEEP_ENV, raising=False)
    assert keep_seconds() == KEEP_S and keep_seconds(0) == 0 and keep_seconds(12.5) == 12.5
    monkeypatch.setenv(KEEP_ENV, "30")
    assert keep_seconds() == 30
    monkeypatch.setenv(KEEP_ENV, "soon")
    with pytest.raises(InputError, match="seconds"):
        keep_seconds()
    with pytest.raises(InputError, match="seconds"):
        keep_seconds(-1)


def test_a_job_whose_driver_is_gone_is_not_run(tmp_path):
    """A warm actor outlives the driver that sent it jobs: a job of a dead driver on its node, or
    of a batch whose --out lock now names another run, is answered skip without running."""
    from vitron_agent.batch.batch_actor import BatchActor
    from vitron_agent.batch.results_log import ResultsLog

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    actor = object.__new__(BatchActor)
    actor._node = "node-a"
    log = ResultsLog(tmp_path)
    log.lock()
    try:
        ctx = {"out": str(tmp_path), "token": log.token, "driver": {"node": "node-a", "pid": os.getpid()}}
        assert not actor._driver_gone(ctx)
        assert actor._driver_gone({**ctx, "driver": {"node": "node-a", "pid": dead.pid}})
        assert not actor._driver_gone({**ctx, "driver": {"node": "node-b", "pid": dead.pid}})  # not this node's
        assert actor._driver_gone({**ctx, "token": "another-run"})
        job = {"path": "x.png", "name": "x.png", "sha": "0", "key": "k", "medium": "image", "request": "r"}
        reply = actor._run(json.dumps({**job, "item_dir": str(tmp_path / "i")}), {**ctx, "token": "old"}, None, True)
        assert reply["skip"] and not (tmp_path / "i").exists()
    finally:
        log.unlock()
