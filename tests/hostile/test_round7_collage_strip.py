"""Hostile round 7: "describe it" on a long strip with many sharp columns (a 1x8,000,000 picture, 24 MB,
a dark pixel every 1000 columns). The collage finder's seam test took the median of every column's jump
share once per candidate column: quadratic, so the describe step ran into its 300 s timeout (and its
worker thread went on after it). The median is taken once per axis now; what a seam is did not change
(tests/tools/test_collage_counts.py: grids with gutters or butted seams are still tiles)."""

from __future__ import annotations

import numpy as np

from vitron_agent.perception import tiles


def test_the_median_is_taken_once_per_axis(monkeypatch):
    calls = []
    real = np.median

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tiles.np, "median", counted)
    strip = np.full((1, 20_000, 3), 120, np.uint8)
    strip[0, ::2] = 0  # every other column jumps: before, 10,000 medians of 20,000 values
    assert tiles.find_tiles(strip) is None
    assert len(calls) <= 2, len(calls)
