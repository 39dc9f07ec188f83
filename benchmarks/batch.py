"""Batch throughput side by side in one run: 1 worker, N workers (a local process pool), Ray Data
with N actors started cold (``--ray``: a new local instance, ``ray.init`` included in the time)
and attached (``--ray HOST:PORT``: a local cluster started once with ``ray start --head`` before
the timing and stopped after, the way a real cluster is used), over the same photos (scikit-image's
colour photos, cropped, flipped and resized into distinct files); then a scaling run on a local
Ray cluster of simulated one-CPU nodes (``ray.cluster_utils.Cluster``) with 1, 2, 4 ... actors.

    python benchmarks/batch.py [--n 64] [--workers 2] [--cluster 1,2,4] [--cluster-n 24]
    python benchmarks/batch.py --only cluster --n 24   # the simulated-cluster table alone

Every configuration runs in a fresh process (imports, model loading and pool or Ray start-up
included) through :func:`vitron_agent.batch.jobs.run_batch`, as ``vitron-agent batch`` does. Printed
per configuration: wall time (process start to its end), images/s over the whole run, the steady
rate (images/s between the first and the last result: start-up left out), then a timeline of its
phases (``VITRON_BATCH_TIMELINE``: seconds from the process's start) and the CPU seconds of each
process (the batch's own, each helper or actor), then the CPU seconds of *every* process of the
run (Ray's GCS, raylet and agents, Ray Data's own actors included) and the best wall time that
CPU allows on this machine's cores: a floor that no overlap of start-up can go under.

The Ray rows: cold (a new lean local instance: :mod:`vitron_agent.batch.local_ray`; and on plain
``ray.init``'s, ``VITRON_RAY_LEAN=0``) with its workers preloading the runtime and an actor
planning, and with the driver planning and running inputs while Ray and the actors start (its
head start: :mod:`vitron_agent.batch.head_start`; ``VITRON_RAY_PRELOAD=0``); cold with the same actors run through Ray Data
(``VITRON_RAY_EXECUTOR=data``) instead of the default fixed pool of plain actors; attached to a new
cluster (its first batch starts the actors, which stay warm: detached, named by the configuration)
and that cluster's next batch, which reuses the warm actors (models loaded; one of them plans the
request, so the driver builds no Agent). "CPU ms a worker item" splits a helper's or actor's CPU
into its jobs' own work and the machinery between them (from the timeline's job marks); a warm
actor's "CPU s" mark counts its earlier batches too (the every-process table counts only the run).
The simulated-cluster table runs the actors alone (head start off).

A cold run's workers preload the runtime while ``ray.init`` ends and an actor plans, the driver
building no Agent (:mod:`vitron_agent.batch.worker_preload`); ``--only pool,cold,no-preload,head-start``
puts it beside the driver planning with its head start (``VITRON_RAY_PRELOAD=0``) and beside
preloaded actors with the head start (``VITRON_RAY_HEAD_START=1``). A cold run's raylet has stand-in
agents (:mod:`vitron_agent.batch.agent_stand_in`); ``--only pool,cold,ray-agents`` puts it beside
Ray's own agents (``VITRON_RAY_STAND_INS=0``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REQUEST = "make it a bit warmer, then sharpen it"


def photos(folder: Path, n: int, side: int = 1024) -> list[Path]:
    """``n`` distinct photos, ``side`` px on the long side (a modest camera picture; 512 px ones cost
    so little that start-up hides any scaling), from scikit-image's colour photos."""
    import numpy as np
    from PIL import Image
    from skimage import data

    base = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket()]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        img = base[i % len(base)]
        k = i // len(base)
        h, w = img.shape[:2]
        crop = img[(k * 7) % (h // 5) :, (k * 11) % (w // 5) :]
        crop = crop[:, ::-1] if k % 2 else crop
        pic = Image.fromarray(np.ascontiguousarray(crop))
        pic = pic.resize((round(pic.width * side / max(pic.size)), round(pic.height * side / max(pic.size))))
        p = folder / f"p{i:03d}.png"
        pic.save(p)
        out.append(p)
    return out


def one(args: argparse.Namespace) -> None:
    """Child mode: one configuration; prints the time of every result line as JSON."""
    t0 = float(args.t0)
    from vitron_agent.batch.jobs import run_batch

    stamps, failed, tree = [], 0, {}
    expected = len([p for p in Path(args.inputs).iterdir() if p.suffix == ".png"])
    for line in run_batch(REQUEST, [args.inputs], args.out, quiet=True, workers=args.workers, ray=args.ray):
        stamps.append(time.time() - t0)
        failed += line["status"] != "ok"
        if len(stamps) == expected:  # every process of the batch still alive: helpers, actors, Ray's own
            tree = tree_cpu(os.getpid())
            tree.update(tree_cpu(int(args.cluster_pid)) if args.cluster_pid else {})  # an attached cluster's
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's helpers, joined at its end
    cpu = {"main": me.ru_utime + me.ru_stime, "helpers": helpers.ru_utime + helpers.ru_stime}
    print(json.dumps({"stamps": stamps, "failed": failed, "cpu": cpu, "tree": tree}))


def tree_cpu(root: int) -> dict[str, tuple[str, float]]:
    """{pid: (name, CPU seconds)} of ``root`` and every process under it (user + system, the
    process's own and its waited-for children's; names such as ``ray::MapWorker``, ``raylet``,
    ``python``), read from /proc now. Empty where /proc is missing."""
    tick = os.sysconf("SC_CLK_TCK")
    procs: dict[int, tuple[int, str, float]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            text = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        name, rest = text.split("(", 1)[1].rsplit(")", 1)
        fields = rest.split()
        procs[int(entry)] = (int(fields[1]), name, sum(int(f) for f in fields[11:15]) / tick)
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in procs.items():
        children.setdefault(parent, []).append(pid)
    out: dict[str, tuple[str, float]] = {}
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid in procs:
            out[str(pid)] = procs[pid][1:]
            stack.extend(children.get(pid, []))
    return out


def measure(
    inputs: Path, out: Path, workers: int, ray: str | None = None, cluster_pid: int | None = None, **env_extra: str
) -> dict:
    """One configuration in a fresh process (``env_extra``: more environment). ``cluster_pid``: the
    ``ray start`` process of the cluster it attaches to, whose processes' CPU during the run counts
    as the run's."""
    cmd = [sys.executable, __file__, "--one", "--inputs", str(inputs), "--out", str(out), "--workers", str(workers)]
    if ray:
        cmd += ["--ray", ray]
    if cluster_pid:
        cmd += ["--cluster-pid", str(cluster_pid)]
    trace = out.parent / f"{out.name}.timeline.jsonl"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "VITRON_BATCH_TIMELINE": str(trace), **env_extra}
    before = tree_cpu(cluster_pid) if cluster_pid else {}
    t0, cpu0 = time.time(), _children_cpu()
    p = subprocess.run([*cmd, "--t0", repr(t0)], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr[-3000:]}")
    got = json.loads(p.stdout.strip().splitlines()[-1])
    stamps = got["stamps"]
    wall = time.time() - t0
    steady = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 and stamps[-1] > stamps[0] else 0.0
    cpu = _children_cpu() - cpu0  # the process and every helper it waited for (not Ray's actors)
    tree: dict[str, float] = {}  # CPU seconds by process name
    for pid, (name, seconds) in got["tree"].items():  # less what the cluster's processes used before
        tree[name] = tree.get(name, 0.0) + seconds - (before[pid][1] if pid in before else 0.0)
    return {
        "n": len(stamps),
        "failed": got["failed"],
        "wall": wall,
        "rate": len(stamps) / wall,
        "steady": steady,
        "cpu": cpu,
        "main": got["cpu"]["main"],
        "tree": tree,
        "phases": phases(trace, t0, stamps, wall),
    }


def phases(trace: Path, t0: float, stamps: list[float], wall: float) -> dict:
    """Points of the run's timeline (seconds from the process's start) and each process's CPU
    seconds, from the ``VITRON_BATCH_TIMELINE`` file its processes wrote."""
    from vitron_agent.batch.timeline import read

    recs = read(str(trace))

    def at(who: str, phase: str) -> list[float]:
        return sorted(r["t"] - t0 for r in recs if r["who"] == who and r["phase"] == phase)

    workers = [w for w in ("helper", "actor") if any(r["who"] == w for r in recs)]
    who = workers[0] if workers else "driver"
    cpu: dict[str, dict[int, float]] = {}
    for r in recs:  # the last mark of each process: its CPU seconds by then
        cpu.setdefault(r["who"], {})[r["pid"]] = r["cpu"]
    return {
        "worker processes started": at(who, "started" if who == "helper" else "actor started") if workers else [],
        "models loaded (Agent built)": at(who, "agent built") if workers else at("driver", "plan start")[:1],
        "Ray ready (ray.init returned)": at("driver", "ray ready"),
        "inputs listed": at("driver", "inputs listed"),
        "plan ready": at("driver", "planned"),
        "inputs keyed (hashed)": at("driver", "inputs keyed"),
        "first item taken": at(who, "job start")[:1],
        "first result": stamps[:1],
        "last result": stamps[-1:],
        "workers closed": at("driver", "runner closed"),
        "process end": [wall],
        "cpu": {w: sorted(v.values()) for w, v in cpu.items() if w in ("driver", "helper", "actor")},
        "who": who,
        "driver items": sum(1 for r in recs if r["who"] == "driver" and r["phase"] == "job done"),
        "threads": [r.get("threads") for r in recs if r["who"] == who and r["phase"] == "agent built"],
        "job cpu": _job_cpu(recs, who),
        "actors": next((r.get("status") for r in recs if r["phase"] == "actors taken"), "") or "-",
    }


def _job_cpu(recs: list[dict], who: str) -> tuple[float, float, int]:
    """(CPU s inside the workers' jobs, CPU s of the workers between their jobs, jobs) from the
    'job start' / 'job done' marks: an item's own work apart from the machinery around it."""
    inside = between = 0.0
    n = 0
    last: dict[int, dict] = {}
    start: dict[int, dict] = {}
    for r in recs:
        if r["who"] != who:
            continue
        if r["phase"] == "job start":
            start[r["pid"]] = r
            if r["pid"] in last:
                between += r["cpu"] - last[r["pid"]]["cpu"]
        elif r["phase"] == "job done" and r["pid"] in start:
            inside += r["cpu"] - start.pop(r["pid"])["cpu"]
            last[r["pid"]] = r
            n += 1
    return inside, between, n


def timeline_table(runs: list[tuple[str, dict]]) -> list[str]:
    """The phases of every run side by side (two workers: both times)."""
    names = [name for name, _ in runs]
    lines = [f"{'phase (s from process start)':32}" + "".join(f"{n:>20}" for n in names)]
    skip = ("cpu", "who", "driver items", "threads", "actors", "job cpu")
    keys = [k for k in runs[0][1]["phases"] if k not in skip]
    for key in keys:
        cells = []
        for _, r in runs:
            v = r["phases"].get(key) or []
            cells.append("-" if not v else ", ".join(f"{x:.2f}" for x in (v if len(v) <= 2 else [v[0], v[-1]])))
        lines.append(f"{key:32}" + "".join(f"{c:>20}" for c in cells))
    for label, who in (("CPU s, the batch's own process", "driver"), ("CPU s, each helper / actor", "")):
        cells = []
        for _, r in runs:
            cpu = r["phases"]["cpu"]
            v = cpu.get(who) if who else cpu.get(r["phases"]["who"]) if r["phases"]["who"] != "driver" else None
            cells.append("-" if not v else ", ".join(f"{x:.2f}" for x in v))
        lines.append(f"{label:32}" + "".join(f"{c:>20}" for c in cells))
    cells = [str(r["phases"]["driver items"]) if r["phases"]["Ray ready (ray.init returned)"] else "-" for _, r in runs]
    lines.append(f"{'items run by the driver (Ray)':32}" + "".join(f"{c:>20}" for c in cells))
    cells = []
    for _, r in runs:
        inside, between, n = r["phases"]["job cpu"]
        cells.append(f"{1000 * inside / n:.0f} / {1000 * between / n:.0f}" if n else "-")
    lines.append(f"{'CPU ms a worker item: in/between':32}" + "".join(f"{c:>20}" for c in cells))
    cells = [", ".join(_threads(t) for t in r["phases"]["threads"] if t) or "-" for _, r in runs]
    lines.append(f"{'threads a worker: omp/torch/cv2':32}" + "".join(f"{c:>20}" for c in cells))
    lines.append(
        "(a helper's CPU is counted to its exit; an actor's to its last item: its exit and Ray's own "
        "processes (raylet, GCS, the Ray Data executor's threads are in the batch's process) are not)"
    )
    return lines


def _threads(t: dict) -> str:
    """A worker's inference threads as omp/torch/cv2 ('-': that library not loaded)."""
    return "/".join("-" if t.get(k) is None else str(t[k]) for k in ("omp", "torch", "cv2"))


def cpu_table(runs: list[tuple[str, dict]], cores: int, base_row: int = 1) -> list[str]:
    """CPU seconds of every process of each run (the batch's, its helpers or actors, and Ray's own:
    GCS, raylet, agents, Ray Data's actors) up to its last result, and the wall time that CPU
    allows at best on ``cores`` cores: the floor no overlap can go under."""
    names = [name for name, _ in runs]
    total = [sum(r["tree"].values()) for _, r in runs]
    base_row = base_row if len(total) > base_row else 0
    base = total[base_row]
    lines = [
        f"{'CPU s, every process, to the end':32}" + "".join(f"{n:>20}" for n in names),
        f"{'all processes':32}" + "".join(f"{t:20.2f}" for t in total),
        f"{f'best wall on {cores} cores (CPU/{cores})':32}" + "".join(f"{t / cores:20.2f}" for t in total),
        f"{'all CPU vs ' + names[base_row]:32}" + "".join(f"{t / base:19.2f}x" for t in total),
    ]
    for name, r in runs:
        top = sorted(r["tree"].items(), key=lambda kv: -kv[1])
        lines.append(f"  {name}: " + ", ".join(f"{k} {v:.2f}" for k, v in top if v >= 0.05))
    lines.append(
        "(each process's user + system CPU from /proc when the last result came back: 'python' is the "
        "batch's process, a pool's helpers and Ray's Python monitors; an attached cluster's processes "
        "count what they used during the run)"
    )
    return lines


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def row(name: str, r: dict, base: dict) -> str:
    return (
        f"{name:30} {r['wall']:7.1f} s  {r['rate']:5.2f} img/s  {r['rate'] / base['rate']:5.2f}x   "
        f"steady {r['steady']:5.2f} img/s  {r['steady'] / base['steady']:5.2f}x"
        + (f"  ({r['failed']} failed)" if r["failed"] else "")
    )


@contextmanager
def attached_cluster(tmp: Path, cpus: int):
    """A local Ray cluster started with ``ray start --head --block`` (a private port and temp
    folder, so no other Ray user on this machine finds it with ``ray.init()``); yields its address
    once it answers; stopped (SIGTERM to that command, which stops what it started) after."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    temp = Path(tempfile.mkdtemp(prefix="vbr-", dir="/tmp"))  # Ray's socket paths must stay short
    ray_cli = str(Path(sys.executable).parent / "ray")
    cmd = [ray_cli, "start", "--head", "--block", f"--port={port}", f"--num-cpus={cpus}", "--include-dashboard=false"]
    cmd += [f"--temp-dir={temp}", "--disable-usage-stats", "--node-ip-address=127.0.0.1"]
    # RAY_worker_niceness as batch --ray sets it for its local instance; no token authentication
    # (`ray start` turns it on when ~/.ray/auth_token exists, and a driver given an explicit
    # address then needs RAY_AUTH_MODE=token too)
    env = {**os.environ, "RAY_worker_niceness": "0", "RAY_AUTH_MODE": "disabled"}
    log = open(tmp / "ray-start.log", "w")
    head = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        address = f"127.0.0.1:{port}"
        _wait_for_cluster(address, head)
        yield address, head.pid
    finally:
        head.terminate()
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            head.kill()
            head.wait()
        log.close()
        shutil.rmtree(temp, ignore_errors=True)  # Ray's session folders and logs of this cluster


def _wait_for_cluster(address: str, head: subprocess.Popen, timeout: float = 120) -> None:
    """Until a driver can connect to ``address`` (checked in a throwaway process)."""
    probe = f"import ray; ray.init(address={address!r}, logging_level='ERROR'); ray.shutdown()"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if head.poll() is not None:
            raise SystemExit(f"ray start --head exited ({head.returncode}); see ray-start.log")
        if subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0:
            return
        time.sleep(1)
    raise SystemExit(f"the cluster at {address} did not answer in {timeout:.0f} s")


def cluster_scaling(folder: Path, tmp: Path, sizes: list[int]) -> list[tuple[int, dict]]:
    """Per size k: a fresh simulated cluster (a head with no CPUs + k one-CPU nodes), k actors
    running every input (the driver's head start off)."""
    from ray.cluster_utils import Cluster

    os.environ.setdefault("RAY_worker_niceness", "0")  # as batch --ray does for its local instance
    rows = []
    for k in sizes:
        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
        try:
            for _ in range(k):
                cluster.add_node(num_cpus=1)
            cluster.wait_for_nodes()
            # the actors alone (no head start: the driver's inputs are no actor's throughput)
            rows.append((k, measure(folder, tmp / f"cluster{k}", k, ray=cluster.address, VITRON_RAY_HEAD_START="0")))
        finally:
            cluster.shutdown()
    return rows


def cluster_table(tmp: Path, n: int, args: argparse.Namespace) -> list[str]:
    """The scaling table on simulated clusters of ``args.cluster`` one-CPU nodes, over the first
    ``args.cluster_n`` of the ``n`` photos in ``tmp / "in"`` (no lines when ``--cluster ''``)."""
    sizes = [int(size) for size in args.cluster.split(",") if size.strip()]
    if not sizes:
        return []
    cn = min(args.cluster_n, n)
    sub = tmp / "cluster_in"
    sub.mkdir()
    for p in sorted((tmp / "in").iterdir())[:cn]:
        (sub / p.name).symlink_to(p)
    rows = cluster_scaling(sub, tmp, sizes)
    base = rows[0][1]
    out = [f"\nsimulated Ray cluster: a head with no CPUs + k one-CPU nodes, k actors, {cn} photos"]
    out.append(f"{'nodes = actors':>14} {'wall':>8} {'img/s':>7} {'steady':>8} {'steady/actor':>13} {'vs 1 actor':>11}")
    for k, r in rows:
        out.append(
            f"{k:>14} {r['wall']:7.1f}s {r['rate']:7.2f} {r['steady']:8.2f} {r['steady'] / k:13.2f} "
            f"{r['steady'] / base['steady']:10.2f}x" + (f"  ({r['failed']} failed)" if r.get("failed") else "")
        )
    out.append(
        f"(what it shows: the actors spread over k Ray nodes, one each (a node has one CPU, an actor needs one), "
        f"and how throughput follows k up to this "
        f"machine's {os.cpu_count()} cores; what it cannot: every simulated node shares those cores, one disk and "
        "one object store, so beyond that many actors throughput cannot grow here, and network transfer, inputs "
        "read from another machine or an object store, a driver far from its actors and node failures are not "
        "in these figures)"
    )
    return out


ROWS = {  # --only's names: (workers: 1 or N, --ray, more environment)
    "one": (1, None, {}),
    "pool": (0, None, {}),
    "cold": (0, "local", {}),
    "no-head-start": (0, "local", {"VITRON_RAY_HEAD_START": "0"}),
    "data": (0, "local", {"VITRON_RAY_EXECUTOR": "data"}),
    "full-ray": (0, "local", {"VITRON_RAY_LEAN": "0"}),
    "no-preload": (0, "local", {"VITRON_RAY_PRELOAD": "0"}),  # the driver plans and has its head start
    "head-start": (0, "local", {"VITRON_RAY_HEAD_START": "1"}),  # preloaded actors, and the head start
    "ray-agents": (0, "local", {"VITRON_RAY_STAND_INS": "0"}),  # cold with Ray's own raylet agents
}


def only(args: argparse.Namespace) -> None:
    """``--only pool,cold``: those rows alone, side by side in one run, with their timelines and the
    CPU seconds of every process (quick checks; the goals need every row: run without ``--only``)."""
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in ROWS and name != "cluster"]
    if unknown:
        raise SystemExit(f"--only: unknown rows {unknown}; say some of {sorted(ROWS)} or cluster")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        photos(tmp / "in", args.n)
        load = os.getloadavg()
        if names == ["cluster"]:  # the simulated-cluster table alone
            print(f"{os.cpu_count()} CPUs, load before {load[0]:.1f}")
            print("\n".join(cluster_table(tmp, args.n, args)))
            print(f"load after {os.getloadavg()[0]:.1f}")
            return
        table = "cluster" in names
        names = [name for name in names if name != "cluster"]
        runs = []
        for i, name in enumerate(names):
            workers, ray, env = ROWS[name]
            runs.append((name, measure(tmp / "in", tmp / f"o{i}", workers or args.workers, ray=ray, **env)))
        print(f"{args.n} photos (1024 px), {REQUEST!r}, {os.cpu_count()} CPUs, load before {load[0]:.1f}")
        base = runs[0][1]
        for name, r in runs:
            print(row(name, r, base))
        print()
        print("\n".join(timeline_table(runs)))
        print()
        print("\n".join(cpu_table(runs, os.cpu_count() or 1, base_row=0)))
        if table:
            print("\n".join(cluster_table(tmp, args.n, args)))
        print(f"load after {os.getloadavg()[0]:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cluster", default="1,2,4", help="simulated node counts ('' skips the cluster run)")
    ap.add_argument("--cluster-n", type=int, default=24, help="photos for each cluster run")
    ap.add_argument(
        "--only",
        default="",
        help="run only these rows, side by side (comma-separated: pool, cold, ...; see ROWS; cluster: the "
        "simulated-cluster table); the goals' table needs them all",
    )
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--inputs", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--ray", help=argparse.SUPPRESS)
    ap.add_argument("--t0", help=argparse.SUPPRESS)
    ap.add_argument("--cluster-pid", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        return one(args)
    if args.only:
        return only(args)
    n, w = args.n, args.workers
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        photos(tmp / "in", n)
        load = os.getloadavg()
        one_w = measure(tmp / "in", tmp / "b1", 1)
        pool = measure(tmp / "in", tmp / "b2", w)
        cold = measure(tmp / "in", tmp / "b3", w, ray="local")
        # the driver plans and runs inputs while Ray starts (its head start), the actors not preloaded
        no_head = measure(tmp / "in", tmp / "b6", w, ray="local", VITRON_RAY_PRELOAD="0")
        on_data = measure(tmp / "in", tmp / "b7", w, ray="local", VITRON_RAY_EXECUTOR="data")
        full = measure(tmp / "in", tmp / "b8", w, ray="local", VITRON_RAY_LEAN="0")  # every process ray.init starts
        with attached_cluster(tmp, os.cpu_count() or 1) as (address, head_pid):
            attached = measure(tmp / "in", tmp / "b4", w, ray=address, cluster_pid=head_pid)
            # the same cluster's next batch: Ray Data's own actors (stats, autoscaling, actor
            # locations: detached, one per cluster) were made by the first
            again = measure(tmp / "in", tmp / "b5", w, ray=address, cluster_pid=head_pid)
        print(f"{n} photos (1024 px), {REQUEST!r}, {os.cpu_count()} CPUs, load before {load[0]:.1f}")
        print(f"{'':30} {'wall':>9}  {'whole run':>11}  {'vs 1':>5}   {'steady (first→last result)':>27}")
        print(row("batch, 1 worker", one_w, one_w))
        print(row(f"batch, {w} workers", pool, one_w))
        print(row(f"--ray, {w} actors, cold", cold, one_w))
        print(row(f"--ray, {w} actors, cold, head start, no preload", no_head, one_w))
        print(row(f"--ray, {w} actors, cold, Ray Data", on_data, one_w))
        print(row(f"--ray, {w} actors, cold, plain ray.init", full, one_w))
        print(row(f"--ray, {w} actors, attached (started)", attached, one_w))
        print(row(f"--ray, {w} actors, again (warm actors)", again, one_w))
        print(
            f"goals: {w} workers / 1 worker = {pool['rate'] / one_w['rate']:.2f}x (goal ≥ 1.7x on 2 cores, "
            f"steady {pool['steady'] / one_w['steady']:.2f}x)\n"
            f"       --ray {w} actors / pool of {w}: COLD (a new local Ray instance, ray.init in the time) "
            f"{cold['rate'] / pool['rate']:.2f}x, ATTACHED (a cluster already running, started once with "
            f"`ray start --head`; its actors started) {attached['rate'] / pool['rate']:.2f}x, the cluster's next "
            f"batch (the warm actors reused: {again['phases']['actors']}) "
            f"{again['rate'] / pool['rate']:.2f}x (goal ≥ 0.8x); steady {cold['steady'] / pool['steady']:.2f}x "
            f"cold, {attached['steady'] / pool['steady']:.2f}x attached, {again['steady'] / pool['steady']:.2f}x again\n"
            f"       preloaded actors, one of them planning (the default): cold {cold['rate'] / pool['rate']:.2f}x; "
            f"the driver planning with its head start (VITRON_RAY_PRELOAD=0) {no_head['rate'] / pool['rate']:.2f}x\n"
            f"       the same actors through Ray Data (VITRON_RAY_EXECUTOR=data), cold: "
            f"{on_data['rate'] / pool['rate']:.2f}x the pool\n"
            f"       cold on a lean local instance (the default) {cold['rate'] / pool['rate']:.2f}x, on plain "
            f"ray.init's (VITRON_RAY_LEAN=0: dashboard head, autoscaler and log monitors too) "
            f"{full['rate'] / pool['rate']:.2f}x"
        )
        print()
        runs = [("1 worker", one_w), (f"{w} workers", pool), ("ray cold", cold), ("ray attached", attached)]
        runs += [("attached again", again), ("cold, no preload", no_head), ("cold, Ray Data", on_data)]
        runs += [("cold, plain init", full)]
        print("\n".join(timeline_table(runs)))
        print()
        print("\n".join(cpu_table(runs, os.cpu_count() or 1)))
        print("\n".join(cluster_table(tmp, n, args)))
        print(f"load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
