"""``batch --out`` inside an input folder (hostile round 4): every run took the previous run's
results (input copies, outputs) as new inputs, so 2 pictures became 6 results, then 14, then 30."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from vitron_agent.batch.jobs import named_inputs


def _photos(folder: Path) -> None:
    folder.mkdir()
    rng = np.random.default_rng(4)
    for name in ("a.png", "b.png"):
        Image.fromarray(rng.integers(0, 255, (24, 32, 3), dtype=np.uint8)).save(folder / name)


def test_named_inputs_leave_out_the_results_folder(tmp_path):
    _photos(tmp_path / "photos")
    out = tmp_path / "photos" / "results"
    (out / "items" / "a-1").mkdir(parents=True)
    Image.new("RGB", (4, 4)).save(out / "items" / "a-1" / "s1_image.png")
    names = sorted(name for _, name in named_inputs([str(tmp_path / "photos")], exclude=out))
    assert names == ["a.png", "b.png"]
    assert len(named_inputs([str(tmp_path / "photos")])) == 3  # without it, as before


def test_a_second_run_into_an_out_folder_inside_the_inputs_adds_nothing(tmp_path):
    _photos(tmp_path / "photos")
    exe = str(Path(sys.executable).parent / "vitron-agent")
    cmd = [exe, "batch", "--quiet", "--out", "photos/results", "make it grayscale", "photos"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    for _ in range(2):
        proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
    lines = (tmp_path / "photos" / "results" / "results.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["name"] for line in lines) == ["a.png", "b.png"]  # before: 6 lines
