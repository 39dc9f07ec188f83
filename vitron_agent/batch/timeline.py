"""Per-phase timestamps of a batch, for benchmarks (``benchmarks/batch.py``) and for anyone asking
where a batch's start-up goes: with ``VITRON_BATCH_TIMELINE=FILE`` set, every process of the batch
(the driver, the pool's helpers, Ray actors given the path) appends one JSON line per phase to
FILE: ``{"pid", "who", "phase", "t", "cpu"}`` (``t``: wall clock, ``time.time()``; ``cpu``: the
process's CPU seconds so far). Unset (the default), :func:`mark` does nothing and costs one
environment lookup.

Each line is one ``write`` on a descriptor opened with ``O_APPEND``, so lines from several
processes on one machine never interleave.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

__all__ = ["ENV", "mark", "path", "read"]

ENV = "VITRON_BATCH_TIMELINE"


def path() -> str | None:
    """The timeline file of this process's batch, or None (timestamps off)."""
    return os.environ.get(ENV) or None


def mark(phase: str, who: str, file: str | None = None, **extra: Any) -> None:
    """Append ``phase`` for ``who`` ("driver", "helper", "actor") to ``file`` (default: $ENV)."""
    file = file or path()
    if not file:
        return
    line = {"pid": os.getpid(), "who": who, "phase": phase, "t": time.time(), "cpu": time.process_time(), **extra}
    fd = os.open(file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (json.dumps(line) + "\n").encode())
    finally:
        os.close(fd)


def read(file: str) -> list[dict[str, Any]]:
    """The lines of a timeline file, oldest first (a partial last line is skipped)."""
    try:
        text = open(file).read()
    except FileNotFoundError:
        return []
    out = []
    for line in text.splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return sorted(out, key=lambda rec: rec["t"])
