"""Start-up cost as whole processes: `vitron-agent --help`, `import vitron_agent`, and a
first `run` on the cv backend, against a bare `python -c pass`. Prints medians of
repeated runs and whether torch was imported on the cv path (target: never)."""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
CLI = str(Path(PY).parent / "vitron-agent")


def timed(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> list[str]:
    lines = [f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}"]
    base = timed([PY, "-c", "pass"], 7)
    help_s = timed([CLI, "--help"], 7)
    imp = timed([PY, "-c", "import vitron_agent"], 7)
    with tempfile.TemporaryDirectory() as d:
        from skimage import data

        from vitron_agent.media import save_png

        img = str(save_png(data.chelsea(), Path(d) / "cat.png"))
        run_s = timed([CLI, "run", "--quiet", "--json", "--image", img, "--out", d, "segment the cat"], 3)
        probe = (
            "import sys\nfrom vitron_agent import Agent\n"
            f"Agent(data_dir={d!r}).run('segment the cat, then make it purple', image={img!r})\n"
            "print(sorted(m for m in ('torch','transformers','diffusers') if m in sys.modules))"
        )
        heavy = subprocess.run([PY, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    lines += [
        "| what | median s | vs `python -c pass` |",
        "|---|---|---|",
        f"| python -c pass | {base:.3f} | 1.00x |",
        f"| vitron-agent --help | {help_s:.3f} | {help_s / base:.2f}x |",
        f"| import vitron_agent | {imp:.3f} | {imp / base:.2f}x |",
        f"| vitron-agent run (segment, cv) | {run_s:.3f} | {run_s / base:.2f}x |",
        "",
        f"--help target < 0.5 s: {'met' if help_s < 0.5 else 'MISSED'}; model libraries imported on the cv path: {heavy}",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(main()))
