"""Blob counts for things no model names (coins, cells, galaxies): the count tool now against the count
before this round, per picture, side by side.

    python benchmarks/blob_counts.py          # a table; --json for machines

Pictures with known counts made here under a fixed seed (drawn discs; coin-like discs on a lit,
noisy table; touching and overlapping discs; a field of specks; a texture with no blobs at all) and
scikit-image's coins (24), cell (1 cell; a faint second at the top edge is allowed) and
hubble_deep_field (hundreds of galaxies: only "at least" / "more than I can separate" is honest).
None of the recognition benchmark's photos are used.

Each answer is *exact* (the number said is the truth), *honest* (a range that holds the truth, "at
least N" with N at most the truth, or no number with the reason when the truth is no clean count),
or *wrong* (a precise wrong number, a range that misses). The old count always gave one number.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

Truth = tuple[int, int] | None  # (least, most) right; None: no clean count exists


def _disc(img: np.ndarray, cx: float, cy: float, r: float, colour) -> None:
    yy, xx = np.ogrid[: img.shape[0], : img.shape[1]]
    img[(xx - cx) ** 2 + (yy - cy) ** 2 <= r * r] = colour


def _spaced(rng, n: int, r: float, h: int, w: int, gap: float) -> list[tuple[float, float]]:
    """n centres at least ``gap`` x 2r apart, inside the picture: random cells of a grid, jittered."""
    cell = 2 * r * gap
    cols, rows = int(w // cell), int(h // cell)
    if cols * rows < n:
        raise ValueError(f"{n} things of radius {r} do not fit {w}x{h} at gap {gap}")
    picked = rng.choice(cols * rows, n, replace=False)
    slack = (cell - 2 * r) / 2 if gap > 1 else 0.0
    return [
        ((i % cols + 0.5) * cell + rng.uniform(-slack, slack), (i // cols + 0.5) * cell + rng.uniform(-slack, slack))
        for i in picked
    ]


def made(rng) -> dict[str, tuple[np.ndarray, Truth]]:
    """The pictures with known counts, HxWx3 uint8 RGB."""
    pics: dict[str, tuple[np.ndarray, Truth]] = {}
    img = np.full((360, 480, 3), 255, np.uint8)  # drawn discs, well apart
    for x, y in _spaced(rng, 12, 22, 360, 480, 1.3):
        _disc(img, x, y, 22, tuple(int(v) for v in rng.integers(0, 200, 3)))
    pics["12 drawn discs"] = (img, (12, 12))

    yy, xx = np.mgrid[:400, :520]  # coin-like: textured grey discs on a lit, noisy table
    table = 90 + 60 * xx / 520 + 20 * yy / 400 + rng.normal(0, 6, (400, 520))
    img = np.stack([table] * 3, -1)
    for x, y in _spaced(rng, 20, 26, 400, 520, 1.15):
        r = rng.uniform(19, 26)
        d = (xx - x) ** 2 + (yy - y) ** 2 <= r * r
        img[d] = (190 + rng.normal(0, 12, (int(d.sum()), 1))).repeat(3, 1)
    pics["20 coin-like discs"] = (np.clip(img, 0, 255).astype(np.uint8), (20, 20))

    img = np.full((360, 520, 3), 245, np.uint8)  # 5 touching pairs + 5 alone
    for i, (x, y) in enumerate(_spaced(rng, 10, 40, 360, 520, 1.3)):  # a pair fits a radius of 40
        if i < 5:
            _disc(img, x - 19, y, 20, (40, 70, 160))
            _disc(img, x + 19, y, 20, (40, 70, 160))
        else:
            _disc(img, x, y, 20, (40, 70, 160))
    pics["15 discs, 5 pairs touching"] = (img, (15, 15))

    img = np.full((360, 520, 3), 245, np.uint8)  # clusters of 3-4 overlapping discs
    for k, (x, y) in enumerate(_spaced(rng, 3, 60, 360, 520, 1.1)):
        n = 4 if k == 0 else 3
        for j in range(n):
            a = 2 * np.pi * j / n
            _disc(img, x + 24 * np.cos(a), y + 24 * np.sin(a), 22, (150, 40, 40))
    pics["10 discs overlapping in 3 clumps"] = (img, (10, 10))

    img = rng.normal(12, 4, (500, 600, 1)).repeat(3, -1)  # a field: 300 specks and 10 big discs
    for x, y in _spaced(rng, 10, 14, 500, 600, 1.2):
        _disc(img, x, y, 14, (230, 230, 220))
    for _ in range(300):
        _disc(img, rng.uniform(3, 597), rng.uniform(3, 497), 2.2, (200, 200, 200))
    pics["field of 310 (300 specks)"] = (np.clip(img, 0, 255).astype(np.uint8), (250, 310))

    img = np.full((360, 480, 3), 250, np.uint8)  # sizes from 10 to 60 px radius
    for (x, y), r in zip(_spaced(rng, 8, 60, 360, 480, 1.0), (10, 14, 20, 26, 34, 42, 50, 60), strict=True):
        _disc(img, x, y, r * 0.85, (30, 120, 60))
    pics["8 discs of mixed sizes"] = (img, (8, 8))

    from scipy import ndimage as ndi

    noise = ndi.gaussian_filter(rng.normal(0, 1, (360, 480)), 3)  # a texture: nothing to count
    img = np.clip(128 + 400 * noise, 0, 255).astype(np.uint8)
    pics["texture (no blobs)"] = (np.stack([img] * 3, -1), None)
    return pics


def scikit_image() -> dict[str, tuple[np.ndarray, Truth]]:
    from skimage import data

    return {
        "skimage coins": (np.stack([data.coins()] * 3, -1), (24, 24)),
        "skimage cell": (np.stack([data.cell()] * 3, -1) if data.cell().ndim == 2 else data.cell()[..., :3], (1, 2)),
        "skimage hubble_deep_field": (data.hubble_deep_field()[..., :3], (200, 2000)),
    }


def old_count(image: np.ndarray, min_pixels: int) -> int:
    """The count before this round: every watershed blob of the adaptive threshold, one number."""
    import cv2
    from scipy import ndimage as ndi

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    blur = cv2.GaussianBlur(gray, (5, 5), 0)
    block = max(31, (min(h, w) // 6) | 1)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    best = None
    for kind, c in ((cv2.THRESH_BINARY, -5), (cv2.THRESH_BINARY_INV, 5)):
        m = cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, kind, block, c)
        m = ndi.binary_fill_holes(cv2.morphologyEx(cv2.morphologyEx(m, cv2.MORPH_OPEN, k), cv2.MORPH_CLOSE, k))
        if best is None or m.mean() < best.mean():
            best = m
    return len(_old_blob_masks(best, min_pixels))


# Copied from tools/describe.py's blob_masks before this round (specks under a quarter of the median dropped)
def _old_blob_masks(foreground: np.ndarray, min_pixels: int) -> list[np.ndarray]:
    import cv2
    from scipy import ndimage as ndi
    from skimage.feature import peak_local_max
    from skimage.segmentation import watershed

    h, w = foreground.shape
    fg = foreground.astype(np.uint8)
    dist = cv2.distanceTransform(fg, cv2.DIST_L2, 5)
    labels, _ = ndi.label(fg)
    peaks = peak_local_max(dist, min_distance=max(5, int(min(h, w) / 40)), labels=labels, exclude_border=False)
    markers = np.zeros(labels.shape, np.int32)
    markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)
    ws = watershed(-dist, markers, mask=fg > 0)
    areas = np.bincount(ws.ravel())
    ids = [i for i in range(1, len(areas)) if areas[i] >= min_pixels]
    if not ids:
        return []
    median = float(np.median(areas[ids]))
    return [ws == i for i in ids if areas[i] >= 0.25 * median]


def verdict(found, truth: Truth) -> str:
    """'exact', 'honest' or 'wrong' for a :class:`~vitron_agent.perception.blob_count.BlobCount`."""
    if found.verdict in ("mass", "none") or truth is None:
        ok = truth is None and (found.verdict in ("mass", "none", "unsure"))
        return "honest" if ok else "wrong"
    least, most = truth
    if found.verdict == "field":
        return "honest" if found.count <= most and found.high >= least else "wrong"
    if least <= found.count <= most:
        return "exact" if found.verdict == "count" else "honest"
    return "honest" if found.low <= most and found.high >= least else "wrong"


def _said(found) -> str:
    if found.verdict in ("mass", "none"):
        return f"no number ({found.verdict})"
    if found.verdict == "field":
        return f"at least {found.count} (field)"
    return str(found.count) + (f" [{found.low}-{found.high}]" if (found.low, found.high) != (found.count,) * 2 else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from vitron_agent.perception.blob_count import count_blobs, standout_foreground

    rows = []
    pics = {**made(np.random.default_rng(7)), **scikit_image()}
    for name, (image, truth) in pics.items():
        min_pixels = max(1, int(0.0005 * image.shape[0] * image.shape[1]))  # the count tool's default
        t = time.perf_counter()
        found = count_blobs(image, standout_foreground(image), min_pixels)
        ms = 1000 * (time.perf_counter() - t)
        t = time.perf_counter()
        old = old_count(image, min_pixels)
        old_ms = 1000 * (time.perf_counter() - t)
        truth_said = (
            "no clean count" if truth is None else (f"{truth[0]}" if truth[0] == truth[1] else f"{truth[0]}-{truth[1]}")
        )
        old_v = "wrong" if truth is None or not truth[0] <= old <= truth[1] else "exact"
        err = (
            ""
            if truth is None or found.verdict != "count"
            else f"{found.count - truth[0] if found.count < truth[0] else max(0, found.count - truth[1]):+d}"
        )
        old_err = "" if truth is None else f"{old - truth[0] if old < truth[0] else max(0, old - truth[1]):+d}"
        rows.append(
            dict(
                picture=name,
                truth=truth_said,
                now=_said(found),
                now_verdict=verdict(found, truth),
                now_error=err,
                old=old,
                old_verdict=old_v,
                old_error=old_err,
                ms=round(ms),
                old_ms=round(old_ms),
            )
        )
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(
        f"{'picture':34} {'truth':>14} | {'now':>24} {'':7} {'err':>4} | {'before':>6} {'':7} {'err':>5} | ms now/before"
    )
    for r in rows:
        print(
            f"{r['picture']:34} {r['truth']:>14} | {r['now']:>24} {r['now_verdict']:7} {r['now_error']:>4} | "
            f"{r['old']:>6} {r['old_verdict']:7} {r['old_error']:>5} | {r['ms']}/{r['old_ms']}"
        )
    for key in ("now_verdict", "old_verdict"):
        tally = {v: sum(r[key] == v for r in rows) for v in ("exact", "honest", "wrong")}
        print(f"{key.split('_')[0]:>6}: " + ", ".join(f"{v} {n}" for v, n in tally.items()) + f" of {len(rows)}")


if __name__ == "__main__":
    sys.exit(main())
