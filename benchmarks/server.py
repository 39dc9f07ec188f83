"""The HTTP API under load on loopback: N concurrent sessions x M turns on the cv backend.
Prints throughput, p50/p99 latency and errors (must be 0), and checkpoint bytes per step
for a 0.25 MP and a 16 MP image (must not grow with image size)."""

from __future__ import annotations

import io
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np


def _png(side: int) -> bytes:
    from PIL import Image

    img = np.full((side, side, 3), (30, 60, 200), np.uint8)
    yy, xx = np.ogrid[:side, :side]
    img[(xx - side // 2) ** 2 + (yy - side // 2) ** 2 <= (side // 4) ** 2] = (220, 30, 30)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _serve(agent, settings):
    import uvicorn

    from vitron_agent.server import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(agent, settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def main(sessions: int = 8, turns: int = 3) -> list[str]:
    import httpx

    from vitron_agent.runtime.agent import Agent
    from vitron_agent.server import ServerSettings

    lines = []
    with tempfile.TemporaryDirectory() as d:
        agent = Agent(db=Path(d) / "s.sqlite", data_dir=Path(d) / "artifacts")
        server, url = _serve(
            agent, ServerSettings(token="bench", max_running=4, max_queued=64, max_upload_bytes=200 * 1024 * 1024)
        )
        headers = {"Authorization": "Bearer bench"}
        small = _png(500)
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()

        def session(i: int) -> None:
            nonlocal errors
            with httpx.Client(base_url=url, headers=headers, timeout=300) as c:
                ref = c.post(f"/v1/sessions/b{i}/media", content=small).json()
                for t in range(turns):
                    body = (
                        {"text": "segment the red disc, then make it green, then describe it", "image": ref}
                        if t == 0
                        else {"text": "make it brighter, then describe it"}
                    )
                    start = time.perf_counter()
                    r = c.post(f"/v1/sessions/b{i}/runs", json=body)
                    with lock:
                        latencies.append(time.perf_counter() - start)
                        errors += r.status_code != 200 or any(s["status"] != "ok" for s in r.json().get("steps", []))

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            list(pool.map(session, range(sessions)))
        wall = time.perf_counter() - start
        lat = sorted(latencies)
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
        lines += [
            f"{sessions} sessions x {turns} turns (3 + 2 steps, cv backend, 0.25 MP), server running 4 at once",
            "| turns | wall s | turns/s | p50 s | p99 s | errors |",
            "|---|---|---|---|---|---|",
            f"| {len(lat)} | {wall:.2f} | {len(lat) / wall:.2f} | {statistics.median(lat):.3f} | {p99:.3f} | {errors} |",
            "",
        ]

        from checkpoint_size import _bytes_in_checkpoints

        lines += ["| image | bytes per checkpoint | vs 0.25 MP |", "|---|---|---|"]
        base = None
        with httpx.Client(base_url=url, headers=headers, timeout=600) as c:
            for mp, side in ((0.25, 500), (16, 4000)):
                ref = c.post(f"/v1/sessions/size{side}/media", content=_png(side)).json()
                before = _bytes_in_checkpoints(Path(d) / "s.sqlite")
                r = c.post(
                    f"/v1/sessions/size{side}/runs",
                    json={"text": "segment the red disc, then describe it", "image": ref},
                )
                after = _bytes_in_checkpoints(Path(d) / "s.sqlite")
                per = (after[1] - before[1]) / max(1, after[0] - before[0])
                base = base or per
                lines.append(
                    f"| {mp:g} MP | {per:,.0f} | {per / base:.2f}x |"
                    + ("" if r.status_code == 200 else " (run failed)")
                )
        server.should_exit = True
        agent.close()
    return lines + [""] + over_capacity()


def over_capacity(sessions: int = 30) -> list[str]:
    """``sessions`` concurrent sessions against the default capacity (2 running, 8 queued): the
    rest must get 429 at once (not 40 s waits), a client that retries after Retry-After loses no
    turn, and health answers quickly throughout."""
    import httpx

    from vitron_agent.runtime.agent import Agent
    from vitron_agent.server import ServerSettings

    with tempfile.TemporaryDirectory() as d:
        agent = Agent(db=Path(d) / "s.sqlite", data_dir=Path(d) / "artifacts")
        settings = ServerSettings(token="bench")
        server, url = _serve(agent, settings)
        headers = {"Authorization": "Bearer bench"}
        small = _png(500)
        admitted: list[float] = []
        refused_wait: list[float] = []
        health: list[float] = []
        done = threading.Event()
        lock = threading.Lock()

        def session(i: int) -> None:
            with httpx.Client(base_url=url, headers=headers, timeout=300) as c:
                ref = c.post(f"/v1/sessions/o{i}/media", content=small).json()
                while True:
                    start = time.perf_counter()
                    r = c.post(
                        f"/v1/sessions/o{i}/runs", json={"text": "segment the red disc, then describe it", "image": ref}
                    )
                    took = time.perf_counter() - start
                    with lock:
                        (admitted if r.status_code == 200 else refused_wait).append(took)
                    if r.status_code != 429:
                        return
                    time.sleep(float(r.headers.get("Retry-After", "1")) * 0.25)

        def probe() -> None:
            with httpx.Client(base_url=url, timeout=30) as c:
                while not done.is_set():
                    start = time.perf_counter()
                    c.get("/health")
                    health.append(time.perf_counter() - start)
                    time.sleep(0.05)

        prober = threading.Thread(target=probe)
        prober.start()
        with ThreadPoolExecutor(max_workers=sessions) as pool:
            list(pool.map(session, range(sessions)))
        done.set()
        prober.join()
        turns = sum(
            len(agent.graph.get_state({"configurable": {"thread_id": f"t{_owner()}-o{i}"}}).values.get("history", []))
            for i in range(sessions)
        )
        server.should_exit = True
        agent.close()

    def p(values: list[float], q: float) -> float:
        v = sorted(values)
        return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")

    return [
        f"Over capacity: {sessions} concurrent sessions, default limits (2 running, 8 queued), clients retry on 429",
        "| admitted turns | 429 answers | p99 admitted s | p99 429 answer s | health p50 / p99 s | turns lost |",
        "|---|---|---|---|---|---|",
        f"| {len(admitted)} | {len(refused_wait)} | {p(admitted, 0.99):.2f} | {p(refused_wait, 0.99):.3f} | "
        f"{p(health, 0.5):.3f} / {p(health, 0.99):.3f} | {sessions - turns} |",
        "",
        "(clients, server and runs share one Python process and 2 cores here: health waits for the GIL "
        "behind the CPU-bound runs, not behind a queue)",
    ]


def _owner() -> str:
    import hashlib

    return hashlib.sha256(b"bench").hexdigest()[:12]


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    print("\n".join(main()))
