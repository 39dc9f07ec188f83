"""benchmarks/gpu_check.py keeps working between GPU windows: the same code at tiny sizes on CPU."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.benchmark
def test_gpu_check_runs_every_check_on_cpu_at_tiny_sizes(tmp_path):
    out = tmp_path / "GPU_RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gpu_check.py"), "--device", "cpu", "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = out.read_text()
    assert "FAILED" not in text and "quick (tiny shapes)" in text
    for check in (
        "SAM tiny",
        "SAM encode once",
        "SD-1.5 inpaint",
        "ZeroScope-shaped t2v",
        "LLaVA-1.5-7B-shaped describe",
        "SAM track",
        "pool: 2 x SAM",
        "pool: real out-of-memory",
    ):
        assert check in text, check
    for dtype in ("float32", "float16", "bfloat16"):
        assert text.count(f"| {dtype} |") >= 4, dtype
    assert "same text as direct: True" in text and "max |agent - direct| = 0" in text
