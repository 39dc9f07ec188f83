"""The cost of the many-machines set-up: turn latency with artifacts in a local folder and sessions
in SQLite, against artifacts in S3 (moto's server) and sessions in PostgreSQL (a throwaway
cluster from Debian's package), both on loopback, side by side in one run.

    python benchmarks/distributed.py [--turns 12] [--size 512]

Each turn is "make it a bit brighter" on the previous turn's picture (one edit: a write of the
result, a checkpoint per step); the first turn uploads the photo. A second agent with an empty
local cache then reads every result (what another machine pays to serve them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def turns(agent, photo, n: int) -> list[float]:
    out = []
    for i in range(n):
        t = time.perf_counter()
        r = agent.run("make it a bit brighter", image=photo if i == 0 else None, session="bench")
        out.append(time.perf_counter() - t)
        assert r.ok, r.answer
    return out


def reads(agent, refs) -> float:
    t = time.perf_counter()
    for ref in refs:
        agent.load(ref)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=12)
    ap.add_argument("--size", type=int, default=512)
    args = ap.parse_args()
    from skimage import data
    from skimage.transform import resize

    from tests.distributed.conftest import PostgresCluster, S3Server
    from vitron_agent.runtime.agent import Agent

    photo = (resize(data.astronaut(), (args.size, args.size), anti_aliasing=True) * 255).astype("uint8")
    s3, pg = S3Server(), PostgresCluster()
    s3.start()
    pg.start()
    os.environ.update(s3.env())
    try:
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            for label, kw in (
                ("local folder + SQLite", {"db": Path(tmp) / "s.sqlite", "data_dir": Path(tmp) / "a"}),
                (
                    "S3 + PostgreSQL (loopback)",
                    {"db": pg.create_db(), "artifacts": s3.bucket(), "data_dir": Path(tmp) / "b"},
                ),
            ):
                with Agent(**kw) as agent:
                    times = turns(agent, photo, args.turns)
                    results = _result_refs(agent)
                other_kw = {**kw, "data_dir": Path(tmp) / (label[:5] + "-other")}  # another machine: cold cache
                if "artifacts" not in kw:
                    other_kw["data_dir"] = kw["data_dir"]  # a local folder is only readable where it is
                with Agent(**other_kw) as other:
                    cold = reads(other, results)
                rows.append((label, statistics.median(times[1:]), times[0], cold / max(1, len(results))))
        base = rows[0][1]
        print(f"turn latency, {args.size}x{args.size} photo, {args.turns} turns (median of turns 2..n):")
        for label, med, first, cold in rows:
            print(
                f"  {label:28s} median {1000 * med:7.1f} ms  ({med / base:4.2f}x)  first turn {1000 * first:7.1f} ms  "
                f"read on another machine {1000 * cold:6.1f} ms/artifact"
            )
    finally:
        s3.stop()
        pg.cleanup()


def _result_refs(agent) -> list[dict]:
    """The image every turn of the benchmark session produced."""
    values = agent.graph.get_state(agent._config("bench")).values
    out = []
    for snap in agent.graph.get_state_history(agent._config("bench")):
        last = (snap.values or {}).get("last", {})
        if "image" in last and last["image"] not in out:
            out.append(last["image"])
    return out or [values["last"]["image"]]


if __name__ == "__main__":
    main()
