"""`vitron-agent batch --ray` on a local Ray instance and attached to a running cluster: Ray actors
(a fixed pool of plain actors, or Ray Data's with VITRON_RAY_EXECUTOR=data) hold the models, the driver writes results.jsonl and the items; the results lines are the
same as one process's and the local pool's (artifact hashes, answers, item folders; only timings
differ), a broken input is an error line, and running it again skips what is done."""

from __future__ import annotations

import json
import os
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


def cli(*args, **env):
    return subprocess.run(
        [EXE, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", **env},
    )


def lines(out):
    return [json.loads(ln) for ln in (out / "results.jsonl").read_text().splitlines()]


def comparable(out: Path) -> dict[str, dict]:
    """Each input's results line with its timings removed and ``out`` written as <out>: what must
    not depend on where or how the batch ran."""

    def scrub(value):
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if k != "seconds"}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value.replace(str(out), "<out>") if isinstance(value, str) else value

    return {ln["key"]: scrub(ln) for ln in lines(out)}


@pytest.fixture
def photos(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    Image.fromarray(data.coffee()[::2, ::2]).save(folder / "coffee.png")
    Image.fromarray(data.chelsea()[::2, ::2]).save(folder / "cat.png")
    Image.fromarray(data.astronaut()[::2, ::2]).save(folder / "astronaut.png")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnope")
    return folder


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A cluster started with `ray start --head` on a free port and a private temp folder (no other
    Ray user here finds it), stopped after by ending that command (never `ray stop`: it would stop
    every Ray instance on the machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    temp = Path(os.path.realpath("/tmp")) / f"vbt-{os.getpid()}-{port}"  # Ray's socket paths stay short
    cmd = [str(BIN / "ray"), "start", "--head", "--block", f"--port={port}", "--num-cpus=2"]
    cmd += ["--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp}", "--node-ip-address=127.0.0.1"]
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["RAY_AUTH_MODE"] = "disabled"  # `ray start` turns token auth on when ~/.ray/auth_token exists
    logs = tmp_path_factory.mktemp("ray-head")
    log = open(logs / "ray-start.log", "w")
    head = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    address = f"127.0.0.1:{port}"
    probe = f"import ray; ray.init(address={address!r}, logging_level='ERROR'); ray.shutdown()"
    try:
        deadline = time.time() + 180
        while subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env).returncode != 0:
            assert head.poll() is None and time.time() < deadline, (logs / "ray-start.log").read_text()[-2000:]
            time.sleep(1)
        yield address
    finally:
        head.terminate()
        try:
            head.wait(timeout=120)
        except subprocess.TimeoutExpired:
            head.kill()
        log.close()


def test_batch_on_ray_data_matches_one_process_and_the_pool(photos, tmp_path, cluster):
    pytest.importorskip("ray.data")
    runs = {
        "one process": [],
        "pool of 2": ["--workers", "2"],
        "ray, local": ["--ray", "--workers", "2"],  # every input on the actors (no head start), one plans
        "ray, local, no preload": ["--ray", "--workers", "2"],  # the driver plans; its actors import as they start
        "ray, attached": ["--ray", cluster, "--workers", "2"],
        "ray, local, head start": ["--ray", "--workers", "2"],  # the driver runs inputs while Ray starts
        "ray, local, Ray Data": ["--ray", "--workers", "2"],  # the same actors through Ray Data's map_batches
    }
    got = {}
    for name, extra in runs.items():
        out = tmp_path / name.replace(" ", "_").replace(",", "")
        env = {"VITRON_RAY_HEAD_START": "1" if "head start" in name else "0"}
        if "no preload" in name:
            env["VITRON_RAY_PRELOAD"] = "0"
        if "Ray Data" in name:
            env["VITRON_RAY_EXECUTOR"] = "data"
        if name == "ray, attached":
            env["VITRON_BATCH_TIMELINE"] = str(tmp_path / "attached.timeline.jsonl")
        p = cli("batch", REQUEST, str(photos), "--out", str(out), "--quiet", *extra, **env)
        # the broken input fails; the others are ok (a batch that failed as a whole has no results)
        assert p.returncode == 1 and (out / "results.jsonl").exists(), (name, p.stderr[-3000:])
        got[name] = comparable(out)
    # each actor (one CPU each) runs its inference libraries on one thread: cores / workers (the
    # batch may end, its actors with it, before the second actor is built)
    built = [json.loads(ln) for ln in (tmp_path / "attached.timeline.jsonl").read_text().splitlines()]
    actors = [b["threads"] for b in built if b["who"] == "actor" and b["phase"] == "agent built"]
    assert 1 <= len(actors) <= 2, built
    assert all(t["omp"] == 1 and t["torch"] in (None, 1) and t["cv2"] in (None, 1) for t in actors), actors
    base = got["one process"]
    assert sorted(ln["status"] for ln in base.values()) == ["error", "ok", "ok", "ok"]
    for name, result in got.items():
        assert result == base, name  # the same lines: hashes, answers, steps, item folders
    on_ray = tmp_path / "ray_local"
    ok = next(ln for ln in lines(on_ray) if ln["status"] == "ok")
    assert Path(ok["steps"][-1]["outputs"]["image"]["path"]).is_file() and (Path(ok["folder"]) / "report.html").exists()
    assert (on_ray / "index.html").exists()
    again = cli("batch", REQUEST, str(photos), "--out", str(on_ray), "--ray")
    assert "skipping 4 of 4" in again.stderr and len(lines(on_ray)) == 4  # done is done (--force redoes), no duplicate


def test_a_local_ray_run_never_joins_a_running_cluster(photos, tmp_path, cluster):
    """`--ray` with no address starts its own instance even when RAY_ADDRESS names a cluster (Ray's
    ray.init() with no address would join it); a timeline shows which instance the actors ran on."""
    pytest.importorskip("ray.data")
    timeline = tmp_path / "timeline.jsonl"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAY_ADDRESS": cluster, "VITRON_BATCH_TIMELINE": str(timeline)}
    code = (
        "import ray, sys; from vitron_agent.batch.ray_data import RayRunner; from pathlib import Path\n"
        "r = RayRunner(None, 1, None, None, None, Path(sys.argv[1]), 'token')\n"
        "try:\n    r._init(); print(ray.get_runtime_context().gcs_address)\nfinally:\n    r.close()\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, env=env, timeout=300
    )
    assert p.returncode == 0, p.stderr[-3000:]
    gcs = p.stdout.strip().splitlines()[-1]
    assert gcs and not gcs.endswith(":" + cluster.rsplit(":", 1)[1])  # not the cluster's GCS port
    assert any(json.loads(ln)["phase"] == "ray ready" for ln in timeline.read_text().splitlines())


def test_the_drivers_head_start_and_the_actors_run_each_input_once(tmp_path, cluster):
    """With the head start the driver runs inputs from the end of the list while the actors start
    and take it from the front; each input runs once (the timeline's 'job done' marks of the
    driver and the actors together) and has one line."""
    pytest.importorskip("ray.data")
    folder = tmp_path / "in"
    folder.mkdir()
    base = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket()]
    for i in range(24):
        Image.fromarray(base[i % 4][i:, i:]).save(folder / f"p{i:02d}.png")
    timeline = tmp_path / "timeline.jsonl"
    out = tmp_path / "out"
    p = cli(
        "batch",
        REQUEST,
        str(folder),
        "--out",
        str(out),
        "--ray",
        cluster,
        "--workers",
        "2",
        "--quiet",
        "--ray-keep",
        "0",  # actors of its own (warm ones left by the test above would answer at once: no head start)
        VITRON_BATCH_TIMELINE=str(timeline),
    )
    assert p.returncode == 0, p.stderr[-3000:]
    got = lines(out)
    assert len(got) == 24 and len({ln["key"] for ln in got}) == 24 and all(ln["status"] == "ok" for ln in got)
    done = [json.loads(ln) for ln in timeline.read_text().splitlines() if '"job done"' in ln]
    assert sorted(d["name"] for d in done) == sorted(f"p{i:02d}.png" for i in range(24))  # none ran twice
    by_driver = {d["name"] for d in done if d["who"] == "driver"}
    assert by_driver == {f"p{i:02d}.png" for i in range(24 - len(by_driver), 24)}  # the driver took the end


def test_claims_give_each_input_to_one_side():
    """The claims the head start and the actors make in Ray's key-value store (a real local Ray)."""
    pytest.importorskip("ray.data")
    code = """
import ray
from vitron_agent.batch.head_start import Claims
driver = Claims("tok")
assert driver.take("a") and not driver.take("a")  # before Ray is up: claims kept in this process
ray.init(address="local", num_cpus=1, include_dashboard=False, logging_level="ERROR")
try:
    assert driver.publish() == {"a"}
    actor, other_batch = Claims("tok", shared=True), Claims("tok2", shared=True)
    assert not actor.actor_runs("a")  # the driver has it: the actor skips it
    assert other_batch.actor_runs("a")  # another batch's claims are its own
    assert actor.actor_runs("b") and not driver.take("b")  # an actor has b: the driver stops there
    assert actor.actor_runs("b")  # Ray Data retrying b after its actor died runs it again
    assert driver.take("c") and not actor.actor_runs("c")
    driver.clear()
    assert actor.actor_runs("a")  # the batch's claims are gone once it ends
finally:
    ray.shutdown()
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0 and p.stdout.strip().endswith("ok"), p.stderr[-3000:]
