"""`vitron-agent batch --ray` on a local Ray instance: Ray Data actors hold the models, the driver
writes results.jsonl and the items; same artifact hashes as the local run, a broken input is an
error line, and running it again skips what is done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

pytestmark = pytest.mark.ray
EXE = str(Path(sys.executable).parent / "vitron-agent")


def cli(*args):
    return subprocess.run(
        [EXE, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"},
    )


def lines(out):
    return [json.loads(ln) for ln in (out / "results.jsonl").read_text().splitlines()]


def test_batch_on_ray_data_matches_the_local_run(tmp_path):
    pytest.importorskip("ray.data")
    photos = tmp_path / "in"
    photos.mkdir()
    Image.fromarray(data.coffee()[::2, ::2]).save(photos / "coffee.png")
    Image.fromarray(data.chelsea()[::2, ::2]).save(photos / "cat.png")
    Image.fromarray(data.astronaut()[::2, ::2]).save(photos / "astronaut.png")
    (photos / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnope")
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert (
        cli("batch", "make it a bit warmer, then sharpen it", str(photos), "--out", str(local), "--quiet").returncode
        == 1
    )
    p = cli(
        "batch", "make it a bit warmer, then sharpen it", str(photos), "--out", str(on_ray), "--ray", "--workers", "2"
    )
    assert p.returncode == 1, p.stderr[-3000:]  # the broken input fails; the others are ok

    def ids(out):
        return {
            Path(ln["input"]).name: (
                ln["status"],
                ln["steps"][-1]["outputs"]["image"]["value"]["id"] if ln["status"] == "ok" else None,
            )
            for ln in lines(out)
        }

    assert ids(on_ray) == ids(local) and sum(s == "ok" for s, _ in ids(on_ray).values()) == 3
    ok = next(ln for ln in lines(on_ray) if ln["status"] == "ok")
    assert Path(ok["steps"][-1]["outputs"]["image"]["path"]).is_file() and (Path(ok["folder"]) / "report.html").exists()
    assert (on_ray / "index.html").exists()
    again = cli("batch", "make it a bit warmer, then sharpen it", str(photos), "--out", str(on_ray), "--ray")
    assert "skipping 4 of 4" in again.stderr and len(lines(on_ray)) == 4  # done is done (--force redoes), no duplicate
