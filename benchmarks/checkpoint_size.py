"""Checkpoint bytes per step for images of 0.25, 4 and 16 megapixels (target: flat).

Runs the same three-step plan (segment by colour -> recolor -> describe) on a SQLite
session for each size and divides the growth of the checkpoint tables by the number of
checkpoints written. Pixels live in the ArtifactStore, so the state -- and every
checkpoint -- holds refs only.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
from pathlib import Path

import numpy as np


def _bytes_in_checkpoints(db: Path) -> tuple[int, int]:
    con = sqlite3.connect(db)
    try:
        n, size = con.execute(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(checkpoint) + LENGTH(metadata)), 0) FROM checkpoints"
        ).fetchone()
        w = con.execute("SELECT COALESCE(SUM(LENGTH(value)), 0) FROM writes").fetchone()[0]
    except sqlite3.OperationalError:  # tables are created on the first write
        return 0, 0
    finally:
        con.close()
    return int(n), int(size + w)


def _image(megapixels: float) -> np.ndarray:
    side = int((megapixels * 1e6) ** 0.5)
    img = np.full((side, side, 3), (30, 60, 200), np.uint8)
    yy, xx = np.ogrid[:side, :side]
    img[(xx - side // 2) ** 2 + (yy - side // 2) ** 2 <= (side // 4) ** 2] = (220, 30, 30)
    return img


def main(repeat: int = 3) -> list[str]:
    from vitron_agent.runtime.agent import Agent

    lines = ["| image | checkpoints per turn | bytes per checkpoint (median) | vs 0.25 MP |", "|---|---|---|---|"]
    base = None
    for mp in (0.25, 4, 16):
        per = []
        with tempfile.TemporaryDirectory() as d:
            with Agent(db=Path(d) / "s.sqlite") as agent:
                img = _image(mp)
                for r in range(repeat):
                    before = _bytes_in_checkpoints(Path(d) / "s.sqlite")
                    result = agent.run(
                        "segment the red disc, then make it green, then describe it", image=img, session=f"s{r}"
                    )
                    if not result.ok:
                        raise RuntimeError(result.answer)
                    after = _bytes_in_checkpoints(Path(d) / "s.sqlite")
                    count = after[0] - before[0]
                    per.append((after[1] - before[1]) / max(1, count))
        value = statistics.median(per)
        base = base or value
        lines.append(f"| {mp:g} MP | {count} | {value:,.0f} | {value / base:.2f}x |")
    return lines


if __name__ == "__main__":
    print("\n".join(main()))
