"""Run every benchmark and write benchmarks/RESULTS.md (`make bench`).

Each benchmark runs as its own process (a fresh interpreter: no warm caches carried from one to
the next, and a crash is one failed section, not a lost run); its output becomes a section headed
by the command and the date it was measured. The file starts with the machine and the versions.

    python benchmarks/run_all.py                     # everything (~40 min on 2 cores)
    python benchmarks/run_all.py --only overhead,size_scaling   # re-measure some; keep the others' sections
    python benchmarks/run_all.py --list

GPU-only measurements (gpu_check.py --device cuda, vitron_release_gpu.py) write GPU_RESULTS.md on a
GPU machine; vitron_parity.py needs a checkout of SkyworkAI/Vitron. They are listed, not run.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "RESULTS.md"

# name -> (title, arguments after the script, timeout s)
BENCHMARKS: dict[str, tuple[str, list[str], int]] = {
    "startup": ("Start-up", [], 600),
    "overhead": ("Orchestration overhead per step vs bare LangGraph, and where it goes", [], 900),
    "scheduling": ("Scheduling: dataflow vs waves", [], 900),
    "checkpoint_size": ("Checkpoint size", [], 600),
    "server": ("HTTP server under load", [], 900),
    "server_speed": ("Server at the tools' speed", [], 600),
    "encode_once": ("Encode once, prompt many (SAM vit_b)", ["--arch", "vit_b", "--repeat", "3"], 1800),
    "gpu_check": (
        "Persistence on the CPU: SAM vit_b at real size, writes now vs deferred vs direct",
        ["--device", "cpu", "--only", "persistence", "--sam", "vit_b", "--repeat", "2", "--dtypes", "float32"],
        1800,
    ),
    "size_scaling": ("Cost vs picture size (0.25 to 16 MP)", [], 2400),
    "video": ("Video: trackers and memory vs clip length", [], 1800),
    "batch": ("Batch over a folder", [], 1200),
    "distributed": ("Many machines: S3 (moto) + PostgreSQL vs folder + SQLite", [], 1200),
    "ray_overhead": ("Ray Serve execution vs in-process", [], 1200),
    "segment_quality": ("Segmentation quality: GrabCut vs the embedded models", [], 1800),
    "recognition": ("Recognition: detector, faces, stuff", [], 1800),
    "recognition_eval": ("Recognition on the labelled photos (tuning and held-out halves)", [], 2400),
    "planner_quality": ("Planner quality: rule vs the local LLM", [], 1800),
    "reading/run": ("Reading paraphrases: plan-exact per mode, tune and held-out halves", ["--misses", "0"], 600),
}
NOT_RUN = {
    "gpu_check.py --device cuda": "GPU machine only: writes GPU_RESULTS.md",
    "vitron_release_gpu.py": "GPU machine and a released Vitron checkpoint only",
    "vitron_parity.py": "needs a checkout of SkyworkAI/Vitron (see its docstring)",
}


ANSI = re.compile(r"\x1b\[[0-9;]*m")
NOISE = re.compile(r"^\((raylet|pid=\d+|ServeController|ProxyActor)[^)]*\)")  # Ray's own log lines on stdout


def _clean(line: str) -> str:
    return ANSI.sub("", line)


def machine() -> list[str]:
    import importlib.metadata as md

    cpu = platform.processor() or platform.machine()
    try:
        model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = model.group(1).strip() if model else cpu
    except OSError:
        pass
    try:
        mem = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024**2
    except (OSError, AttributeError):
        mem = float("nan")

    def version(pkg: str) -> str:
        try:
            return md.version(pkg)
        except md.PackageNotFoundError:
            return "absent"

    versions = ", ".join(
        f"{p} {version(p)}" for p in ("vitron-agent", "torch", "transformers", "diffusers", "langgraph", "ray")
    )
    return [
        f"Machine: {cpu}, {os.cpu_count()} cores, {mem:.0f} GiB; {platform.platform()}; "
        f"Python {platform.python_version()}",
        "",
        f"Versions: {versions}",
    ]


def run(name: str) -> tuple[str, list[str]]:
    title, args, timeout = BENCHMARKS[name]
    cmd = [sys.executable, str(HERE / f"{name}.py"), *args]
    shown = " ".join(["python", f"benchmarks/{name}.py", *args])
    print(f"... {time.strftime('%H:%M:%S')} {shown}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        out = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=HERE.parent,
            env={**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(HERE)},
        )
        body = [_clean(line) for line in out.stdout.rstrip().splitlines() if not NOISE.match(_clean(line))]
        if out.returncode != 0:
            body += [
                "",
                f"**failed** (exit {out.returncode}):",
                "",
                "```",
                *out.stderr.strip().splitlines()[-15:],
                "```",
            ]
    except subprocess.TimeoutExpired:
        body = [f"**failed**: still running after {timeout} s"]
    secs = time.perf_counter() - start
    head = f"## {title} ({time.strftime('%Y-%m-%d')})"
    return head, [f"`{shown}` ({secs:.0f} s)", "", *body]


def sections(text: str) -> dict[str, tuple[str, list[str]]]:
    """The existing file's sections, by benchmark name (from each section's command line)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"(?m)^(?=## )", text):
        if not block.startswith("## "):
            continue
        lines = block.rstrip().splitlines()
        m = re.match(r"`python benchmarks/([\w/]+)\.py", lines[2] if len(lines) > 2 else "")
        if m:
            body = lines[1:]
            while body and not body[0].strip():
                body = body[1:]
            found[m.group(1)] = (lines[0], body)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated names (see --list); the others' sections are kept")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args(argv)
    if a.list:
        for name, (title, _args, _) in BENCHMARKS.items():
            print(f"{name:16} {title}")
        return 0
    only = [n.strip() for n in a.only.split(",") if n.strip()]
    unknown = [n for n in only if n not in BENCHMARKS]
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; --list names them")
    kept = sections(OUT.read_text()) if only and OUT.exists() else {}
    done: dict[str, tuple[str, list[str]]] = {}
    failed = 0
    for name in BENCHMARKS:
        if only and name not in only:
            if name in kept:
                done[name] = kept[name]
            continue
        done[name] = run(name)
        failed += any("**failed**" in line for line in done[name][1])
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`benchmarks/run_all.py`); each section says when it was measured.",
        "",
        *machine(),
        "",
        "Not run here: " + "; ".join(f"`{k}` ({v})" for k, v in NOT_RUN.items()) + ".",
        "",
    ]
    for head, body in done.values():
        lines += [head, "", *body, ""]
    OUT.write_text("\n".join(lines))
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
