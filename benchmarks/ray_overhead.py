"""Ray Serve execution vs in-process: per-call overhead and replica scaling.

* per-call time of a tiny-SAM ``segment`` call whose image embedding is cached (so the
  mask decoder is the only model work and the hosting overhead shows), in-process vs
  through a Serve deployment, on a 160x120 image and on a 1024x1024 (SAM-sized) one:
  only refs cross the boundary, so the payload size should not change the overhead;
* throughput of concurrent uncached segmentations (image encoder + decoder each) with
  1 and 2 replicas of the deployment.

Starts a local Ray instance with 2 CPUs. Run: ``python benchmarks/ray_overhead.py``.
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


if __name__ == "__main__":
    print("\n".join(main()))
