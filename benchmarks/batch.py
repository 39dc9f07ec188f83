"""Batch throughput side by side in one run: 1 worker, N workers (a local process pool), and Ray
Data with N actors on a local instance, over the same photos (scikit-image's colour photos,
cropped, flipped and resized into distinct files); then a scaling run on a local Ray cluster of
simulated one-CPU nodes (``ray.cluster_utils.Cluster``) with 1, 2, 4 ... actors.

    python benchmarks/batch.py [--n 64] [--workers 2] [--cluster 1,2,4] [--cluster-n 24]

Every configuration runs in a fresh process (imports, model loading and pool or Ray start-up
included) through :func:`vitron_agent.batch.jobs.run_batch`, as ``vitron-agent batch`` does. Printed
per configuration: wall time (process start to the last result), images/s over the whole run,
and the steady rate (images/s between the first and the last result: start-up left out).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
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

    stamps, failed = [], 0
    for line in run_batch(REQUEST, [args.inputs], args.out, quiet=True, workers=args.workers, ray=args.ray):
        stamps.append(time.time() - t0)
        failed += line["status"] != "ok"
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's helpers, joined at its end
    cpu = {"main": me.ru_utime + me.ru_stime, "helpers": helpers.ru_utime + helpers.ru_stime}
    print(json.dumps({"stamps": stamps, "failed": failed, "cpu": cpu}))


def measure(inputs: Path, out: Path, workers: int, ray: str | None = None) -> dict:
    cmd = [sys.executable, __file__, "--one", "--inputs", str(inputs), "--out", str(out), "--workers", str(workers)]
    if ray:
        cmd += ["--ray", ray]
    t0, cpu0 = time.time(), _children_cpu()
    p = subprocess.run(
        [*cmd, "--t0", repr(t0)], capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"}
    )
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr[-3000:]}")
    got = json.loads(p.stdout.strip().splitlines()[-1])
    stamps = got["stamps"]
    wall = time.time() - t0
    steady = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 and stamps[-1] > stamps[0] else 0.0
    cpu = _children_cpu() - cpu0  # the process and every helper it waited for (not Ray's actors)
    return {
        "n": len(stamps),
        "failed": got["failed"],
        "wall": wall,
        "rate": len(stamps) / wall,
        "steady": steady,
        "cpu": cpu,
        # the busiest process's CPU seconds: the wall on an idle machine with a core per process and
        # no I/O waits (an estimate for scaling, not a measurement; Ray's actors are not counted)
        # (with workers > 1 the pool is ``workers`` helpers and this process only lists, hands out
        # and writes: its CPU and a helper's average are printed apart)
        "busiest": max(got["cpu"]["main"], got["cpu"]["helpers"] / workers if workers > 1 else 0.0),
        "main": got["cpu"]["main"],
        "per_helper": got["cpu"]["helpers"] / workers if workers > 1 else 0.0,
    }


def _children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def row(name: str, r: dict, base: dict, local: bool = True) -> str:
    return (
        f"{name:24} {r['wall']:7.1f} s  {r['rate']:5.2f} img/s  {r['rate'] / base['rate']:5.2f}x   "
        f"steady {r['steady']:5.2f} img/s  {r['steady'] / base['steady']:5.2f}x   "
        + (f"cpu {r['cpu']:6.1f} s  busiest process {r['busiest']:5.1f} s" if local else "cpu: actors not counted")
        + (
            f" (batch's own {r['main']:.1f} s, helpers {r['per_helper']:.1f} s each)"
            if local and r["per_helper"]
            else ""
        )
        + (f"  ({r['failed']} failed)" if r["failed"] else "")
    )


def cluster_scaling(folder: Path, tmp: Path, sizes: list[int]) -> list[tuple[int, dict]]:
    """Per size k: a fresh simulated cluster (a head with no CPUs + k one-CPU nodes), k actors."""
    from ray.cluster_utils import Cluster

    os.environ.setdefault("RAY_worker_niceness", "0")  # as batch --ray does for its local instance
    rows = []
    for k in sizes:
        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
        try:
            for _ in range(k):
                cluster.add_node(num_cpus=1)
            cluster.wait_for_nodes()
            rows.append((k, measure(folder, tmp / f"cluster{k}", k, ray=cluster.address)))
        finally:
            cluster.shutdown()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cluster", default="1,2,4", help="simulated node counts ('' skips the cluster run)")
    ap.add_argument("--cluster-n", type=int, default=24, help="photos for each cluster run")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--inputs", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--ray", help=argparse.SUPPRESS)
    ap.add_argument("--t0", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        return one(args)
    n, w = args.n, args.workers
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        photos(tmp / "in", n)
        load = os.getloadavg()
        one_w = measure(tmp / "in", tmp / "b1", 1)
        pool = measure(tmp / "in", tmp / "b2", w)
        on_ray = measure(tmp / "in", tmp / "b3", w, ray="local")
        print(f"{n} photos (1024 px), {REQUEST!r}, {os.cpu_count()} CPUs, load before {load[0]:.1f}")
        print(f"{'':24} {'wall':>9}  {'whole run':>11}  {'vs 1':>5}   {'steady (first→last result)':>27}")
        print(row("batch, 1 worker", one_w, one_w))
        print(row(f"batch, {w} workers", pool, one_w))
        print(row(f"batch --ray, {w} actors", on_ray, one_w, local=False))
        print(
            f"goals: {w} workers / 1 worker = {pool['rate'] / one_w['rate']:.2f}x (goal ≥ 1.7x on 2 cores); "
            f"--ray {w} / pool {w} = {on_ray['rate'] / pool['rate']:.2f}x (goal ≥ 0.8x); steady: "
            f"{pool['steady'] / one_w['steady']:.2f}x, {on_ray['steady'] / pool['steady']:.2f}x"
        )
        print(
            f"idle-machine estimate from CPU seconds (busiest process, 1 worker / {w} workers): "
            f"{one_w['busiest'] / pool['busiest']:.2f}x (assumes a free core per helper, helpers given equal "
            "shares by the pull queue, and no I/O waits)"
        )
        sizes = [int(s) for s in args.cluster.split(",") if s.strip()]
        if sizes:
            cn = min(args.cluster_n, n)
            sub = tmp / "cluster_in"
            sub.mkdir()
            for p in sorted((tmp / "in").iterdir())[:cn]:
                (sub / p.name).symlink_to(p)
            rows = cluster_scaling(sub, tmp, sizes)
            base = rows[0][1]
            print(f"\nsimulated Ray cluster: a head with no CPUs + k one-CPU nodes, k actors, {cn} photos")
            print(
                f"{'nodes = actors':>14} {'wall':>8} {'img/s':>7} {'steady':>8} {'steady/actor':>13} {'vs 1 actor':>11}"
            )
            for k, r in rows:
                print(
                    f"{k:>14} {r['wall']:7.1f}s {r['rate']:7.2f} {r['steady']:8.2f} {r['steady'] / k:13.2f} "
                    f"{r['steady'] / base['steady']:10.2f}x"
                )
            print(
                f"(every simulated node shares this machine's {os.cpu_count()} cores, one disk and one "
                "object store: beyond that many actors throughput cannot grow here, and network transfer, "
                "remote reads of inputs and a real object store's latency are not in these figures)"
            )
        print(f"load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
