"""Hostile round 5: numbers on the command line. Before: `batch --workers 1000000` tried to start a
million processes (still going after 120 s), `serve --max-upload-mb nan` was a traceback
("cannot convert float NaN to integer"), `serve --max-running 0` served and never ran a turn, and
`--box nan,0,5,5` was refused as "greater than or equal to 0"."""

import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "vitron-agent"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["batch", "x.png", "grey", "--out", "o", "--workers", "1000000"],
            "--workers takes a whole number from 1 to 256",
        ),
        (["serve", "--no-auth", "--max-upload-mb", "nan"], "--max-upload-mb takes a number from 0.001 to 10240"),
        (["serve", "--no-auth", "--max-running", "0"], "--max-running takes a whole number from 1 to 256"),
        (["serve", "--no-auth", "--port", "99999"], "--port takes a whole number from 0 to 65535"),
        (["serve", "--no-auth", "--head-timeout", "inf"], "--head-timeout takes a number from 0.1 to 3600"),
        (["run", "--image", "x.png", "--box", "nan,0,5,5", "blur"], "--box takes 4 comma-separated finite numbers"),
    ],
)
def test_a_number_option_out_of_range_is_a_usage_error_naming_the_range(tmp_path, args, says):
    p = subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert p.returncode == 2 and says in p.stderr and "Traceback" not in p.stderr, p.stderr
