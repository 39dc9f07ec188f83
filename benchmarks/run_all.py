"""Run every benchmark and write benchmarks/RESULTS.md (`make bench`)."""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import checkpoint_size  # noqa: E402
import encode_once  # noqa: E402
import overhead  # noqa: E402
import ray_overhead  # noqa: E402
import scheduling  # noqa: E402
import server  # noqa: E402
import startup  # noqa: E402
import video  # noqa: E402


def main() -> None:
    import langgraph.version

    import vitron_agent

    head = [
        f"# Benchmark results ({time.strftime('%Y-%m-%d')})",
        "",
        f"{platform.platform()}, {platform.machine()}, Python {platform.python_version()}, "
        f"vitron-agent {vitron_agent.__version__}, langgraph {langgraph.version.__version__}",
        "",
    ]
    sections = [
        ("Start-up (startup.py)", startup.main()),
        ("Orchestration overhead (overhead.py)", overhead.main()),
        ("Scheduling: dataflow vs waves (scheduling.py)", scheduling.main()),
        ("Checkpoint size (checkpoint_size.py)", checkpoint_size.main()),
        ("HTTP server under load (server.py)", server.main()),
        ("Encode once, prompt many (encode_once.py)", encode_once.main("vit_b", repeat=4)),
        ("Video: trackers and memory vs clip length (video.py)", video.main()),
        ("Ray Serve execution vs in-process (ray_overhead.py)", ray_overhead.main()),
    ]
    text = "\n".join(head + [line for title, body in sections for line in (f"## {title}", "", *body, "")])
    out = Path(__file__).parent / "RESULTS.md"
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
