"""Ray Serve execution vs in-process: per-call overhead and replica scaling.

* per-call time of a tiny-SAM ``segment`` call whose image embedding is cached (so the
  mask decoder is the only model work and the hosting overhead shows), in-process vs
  through a Serve deployment, on a 160x120 image and on a 1024x1024 (SAM-sized) one:
  only refs cross the boundary, so the payload size should not change the overhead;
* throughput of concurrent uncached segmentations (image encoder + decoder each) with
  1 and 2 replicas of the deployment.

Starts a local Ray instance with 2 CPUs. Run: ``python benchmarks/ray_overhead.py``.

``python benchmarks/ray_overhead.py --batch [--n 64]``: the machinery of ``batch --ray`` alone, with
trivial jobs (20 ms of sleep each, no models), two actors: the CPU seconds of every process of a
new local Ray (the driver, GCS, raylet, agents, workers, Ray Data's own actors: psutil over the
driver's process tree) for ``ray.init``, the first run and a second run in the same instance,
through Ray Data (``map_batches`` with an ``ActorPoolStrategy``) and through the fixed pool of plain
actors ``batch --ray`` uses (:mod:`vitron_agent.batch.ray_actors`). Each in a fresh process.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np


def _median_ms(fn, n: int) -> float:
    times = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main(calls: int = 20) -> list[str]:
    import ray
    from ray import serve

    from vitron_agent.runtime.ray_serve import DeploymentSettings, ExecutionSection, RayExecutor
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.testing.tiny_checkpoints import make_tiny_checkpoints
    from vitron_agent.toolkit.config import load_config
    from vitron_agent.toolkit.registry import build_tool, tool_config
    from vitron_agent.toolkit.tool import ToolContext

    lines = []
    with tempfile.TemporaryDirectory() as root:
        toml = make_tiny_checkpoints(Path(root) / "tiny", which=("sam",))
        cfg = load_config(toml)
        section = ExecutionSection(
            backend="ray", local_cpus=2, deployments={"segment": DeploymentSettings(num_cpus=0.5)}
        )
        local = build_tool("segment", tool_config(cfg, "segment"))
        executor = RayExecutor(section)
        remote = executor.remote_tool(local, tool_config(cfg, "segment").model_dump())
        executor.connect()
        executor.deploy("segment", remote.settings)
        store = ArtifactStore(Path(root) / "shared", "bench")
        ctx = ToolContext(store=store)
        rng = np.random.default_rng(0)
        lines += ["| call (tiny SAM, cached embedding) | in-process | Ray Serve | overhead |", "|---|---|---|---|"]
        for label, (h, w) in (("160x120 image", (120, 160)), ("1024x1024 image", (1024, 1024))):
            image = store.put_image(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).model_dump()
            points = [{"type": "point", "x": 10 + i % (w - 20), "y": h // 2} for i in range(calls)]
            local(ctx, image=image, point=points[0])  # warm up: load, encode once, decode once
            remote(ctx, image=image, point=points[0])
            a = _median_ms(lambda i, im=image, pts=points: local(ctx, image=im, point=pts[i]), calls)
            b = _median_ms(lambda i, im=image, pts=points: remote(ctx, image=im, point=pts[i]), calls)
            lines.append(f"| {label} | {a:.1f} ms | {b:.1f} ms | {b - a:+.1f} ms ({b / a:.2f}x) |")

        lines += ["", "| uncached segmentations, 8 concurrent (encoder + decoder) | calls/s |", "|---|---|"]
        images = [store.put_image(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).model_dump() for _ in range(32)]
        for replicas in (1, 2):
            executor.section.deployments["segment"] = DeploymentSettings(num_cpus=0.5, replicas=replicas)
            executor.deploy("segment", remote.settings)
            batch = images[(replicas - 1) * 16 : replicas * 16]
            remote(ctx, image=batch[0], point={"type": "point", "x": 5, "y": 5})  # every replica warm
            remote(ctx, image=batch[1], point={"type": "point", "x": 5, "y": 5})
            t = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda im: remote(ctx, image=im, point={"type": "point", "x": 9, "y": 9}), batch[2:]))
            lines.append(
                f"| {replicas} replica{'s' if replicas > 1 else ''} | {(len(batch) - 2) / (time.perf_counter() - t):.1f} |"
            )
        serve.shutdown()
        ray.shutdown()
    lines += [
        "",
        "On this 2-core machine two replicas compete with each other and with the driver for the same "
        "cores, so a second replica can only help as far as one replica leaves cores idle; on a cluster "
        "each replica brings its own CPU or GPU.",
    ]
    return lines


class _Trivial:
    """A stand-in for the batch's actor: 20 ms a job, no models."""

    def __init__(self, **_):
        pass

    def __call__(self, batch):
        time.sleep(0.02)
        return {"job": list(batch["job"]), "reply": list(batch["job"])}


def _tree_cpu() -> dict[int, tuple[str, float]]:
    import psutil

    out = {}
    me = psutil.Process()
    for p in [me, *me.children(recursive=True)]:
        try:
            t = p.cpu_times()
            out[p.pid] = (p.name(), t.user + t.system)
        except psutil.Error:
            pass
    return out


def _by_name(before: dict, after: dict) -> dict[str, float]:
    agg: dict[str, float] = {}
    for pid, (name, cpu) in after.items():
        agg[name] = agg.get(name, 0.0) + cpu - before.get(pid, (name, 0.0))[1]
    return {k: v for k, v in sorted(agg.items(), key=lambda kv: -kv[1]) if v >= 0.01}


def _batch_child(executor: str, n: int) -> None:
    """Child mode: one executor in a new local Ray; prints its CPU by phase and process as JSON."""
    import json
    import os
    import queue

    os.environ.setdefault("RAY_DATA_USAGE_DISABLED", "1")  # as batch --ray sets it
    s0 = _tree_cpu()
    import ray

    ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    s1 = _tree_cpu()
    records = [json.dumps({"i": i}) for i in range(n)]

    def one_run() -> None:
        if executor == "data":
            import ray.data as ray_data

            ray_data.DataContext.get_current().enable_progress_bars = False
            ds = ray_data.from_items([{"job": r} for r in records], override_num_blocks=n)
            compute = ray_data.ActorPoolStrategy(size=2)
            assert len(list(ds.map_batches(_Trivial, batch_size=1, compute=compute, num_cpus=1).iter_rows())) == n
        else:
            from vitron_agent.batch.ray_actors import ActorRows

            rows, merged = ActorRows(ray, _Trivial, {}, 2), queue.Queue()
            rows.run(records, merged)
            assert len([x for x in iter(merged.get, None) if x[0] == "row"]) == n
            rows.stop()

    times = []
    for _ in range(2):
        t = time.perf_counter()
        one_run()
        times.append(time.perf_counter() - t)
    s2 = _tree_cpu()
    ray.shutdown()
    print(json.dumps({"init": _by_name(s0, s1), "runs": _by_name(s1, s2), "times": times}))


def batch_machinery(n: int = 64) -> list[str]:
    """The CPU seconds of ``batch --ray``'s machinery, Ray Data against the plain actor pool."""
    import json
    import subprocess
    import sys

    lines = [f"batch --ray machinery, {n} trivial jobs (20 ms each), 2 actors, a new local Ray each (CPU s)"]
    got = {}
    for executor in ("data", "actors"):
        cmd = [sys.executable, __file__, "--batch-child", executor, "--n", str(n)]
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
        got[executor] = json.loads(p.stdout.strip().splitlines()[-1])
    for executor, r in got.items():
        init, runs = sum(r["init"].values()), sum(r["runs"].values())
        lines.append(
            f"{executor:7} ray.init {init:5.2f}  two runs {runs:5.2f}  (walls {r['times'][0]:.1f} s, "
            f"{r['times'][1]:.1f} s)  runs by process: " + ", ".join(f"{k} {v:.2f}" for k, v in r["runs"].items())
        )
    a, d = (sum(got[e]["runs"].values()) for e in ("actors", "data"))
    lines.append(f"Ray Data's machinery over the plain pool: {d - a:+.2f} CPU-s for the two runs ({d / a:.1f}x)")
    return lines


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", action="store_true", help="the machinery of batch --ray (Ray Data vs actors)")
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--batch-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.batch_child:
        _batch_child(args.batch_child, args.n)
    else:
        print("\n".join(batch_machinery(args.n) if args.batch else main()))
