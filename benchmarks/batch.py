"""Images per second over a folder of photos: `batch` with 1 and 2 workers against N separate
`vitron-agent run` calls (what a user had before), and `batch --ray` (Ray Data on a local
instance, 2 actors; its time includes starting Ray).

    python benchmarks/batch.py [--n 8]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = str(Path(sys.executable).parent / "vitron-agent")
REQUEST = "make it a bit warmer, then sharpen it"


def photos(folder: Path, n: int) -> list[Path]:
    from PIL import Image
    from skimage import data

    base = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket()]
    out = []
    for i in range(n):
        p = folder / f"p{i}.png"
        img = base[i % len(base)]
        Image.fromarray(img[i // len(base) :, i // len(base) :]).save(p)  # all different files
        out.append(p)
    return out


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=False, capture_output=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=8)
    n = ap.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = photos(tmp, n)
        separate = sum(
            timed([EXE, "run", "--image", str(f), "--out", str(tmp / f"r{i}"), "--quiet", REQUEST])
            for i, f in enumerate(files)
        )
        one = timed([EXE, "batch", REQUEST, *map(str, files), "--out", str(tmp / "b1"), "--quiet"])
        two = timed([EXE, "batch", REQUEST, *map(str, files), "--out", str(tmp / "b2"), "--quiet", "--workers", "2"])
        ray = timed(
            [EXE, "batch", REQUEST, *map(str, files), "--out", str(tmp / "b3"), "--quiet", "--workers", "2", "--ray"]
        )
    print(f"{n} photos, {REQUEST!r}, {os.cpu_count()} CPUs")
    print(f"{'separate runs':16} {separate:6.1f} s  {n / separate:5.2f} images/s  1.00x")
    print(f"{'batch, 1 worker':16} {one:6.1f} s  {n / one:5.2f} images/s  {separate / one:4.2f}x")
    print(f"{'batch, 2 workers':16} {two:6.1f} s  {n / two:5.2f} images/s  {separate / two:4.2f}x")
    print(f"{'batch --ray, 2':16} {ray:6.1f} s  {n / ray:5.2f} images/s  {separate / ray:4.2f}x")


if __name__ == "__main__":
    main()
