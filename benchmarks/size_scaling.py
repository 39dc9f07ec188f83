"""How the cost of a turn grows with the picture: one real photo resized from 0.25 to 16 MP, a few
common requests, wall time and peak memory per request (each in a fresh process, so the peak
is that request's). The goal: linear in pixels; a 16 MP two-step turn within 2x a 4 MP one plus
the pixels' share (4x), i.e. at most 8x.

    python benchmarks/size_scaling.py [--sizes 0.25,1,4,16]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REQUESTS = ["segment the main object, then blur the background", "make it warmer", "blur the image"]

CHILD = r"""
import json, resource, sys, time
from vitron_agent.runtime.agent import Agent
path, text = sys.argv[1], sys.argv[2]
agent = Agent()
agent.run("make it warmer", image=path)  # load models, warm caches
t = time.perf_counter()
r = agent.run(text, image=path)
secs = time.perf_counter() - t
print(json.dumps({"s": secs, "ok": r.ok, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "edit_s": sum(s.seconds for s in r.steps if s.tool == "edit")}))
"""


def photo(mp: float, folder: Path) -> Path:
    import cv2
    from PIL import Image
    from skimage import data

    img = data.astronaut()
    side = int((mp * 1e6) ** 0.5)
    path = folder / f"astronaut-{mp:g}mp.png"
    Image.fromarray(cv2.resize(img, (side, side), interpolation=cv2.INTER_CUBIC)).save(path, compress_level=1)
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="0.25,1,4,16")
    sizes = [float(v) for v in ap.parse_args().sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mp in sizes:
            path = photo(mp, Path(tmp))
            for text in REQUESTS:
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), text],
                    capture_output=True,
                    text=True,
                    env={**os.environ, "HF_HUB_OFFLINE": "1"},
                    timeout=1200,
                )
                res = (
                    json.loads(out.stdout.strip().splitlines()[-1])
                    if out.returncode == 0
                    else {"error": out.stderr[-300:]}
                )
                rows.append({"mp": mp, "request": text, **res})
    print("| MP | request | turn s | turn s per MP | edit step s | edit s per MP | peak MB |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['mp']:g} | {r['request']} | failed: {r['error'][:80]} | | | | |")
            continue
        print(
            f"| {r['mp']:g} | {r['request']} | {r['s']:.2f} | {r['s'] / r['mp']:.2f} | {r['edit_s']:.3f} | "
            f"{r['edit_s'] / r['mp']:.3f} | {r['peak_mb']:.0f} |"
        )
    print()
    by = {(r["mp"], r["request"]): r for r in rows if "error" not in r}
    if (4, REQUESTS[0]) in by and (16, REQUESTS[0]) in by:
        ratio = by[(16, REQUESTS[0])]["s"] / by[(4, REQUESTS[0])]["s"]
        print(f"16 MP / 4 MP two-step turn: {ratio:.1f}x (goal: at most 8x = 2 x the 4x of pixels)")


if __name__ == "__main__":
    main()
