"""Hostile round 6: values and files that begin with '-' on the command line. Before: `--point -5,3`
was "expected one argument" (argparse took it for an option), `--point=-5,3` a pydantic traceback,
`--box -5,...` pydantic's bare text, and a file named "-photo.png" "unrecognized arguments" with no
way out said."""

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

BIN = Path(sys.executable).parent / "vitron-agent"


def _cli(tmp_path, *args):
    Image.new("RGB", (64, 48), (200, 30, 30)).save(tmp_path / "p.png")
    Image.new("RGB", (64, 48), (200, 30, 30)).save(tmp_path / "-photo.png")
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=120, cwd=tmp_path)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--point", "-5,3"], "--point -5,3: a point is in pixels from the picture's top-left corner, 0 or more"),
        (["--point=-5,3"], "--point -5,3: a point is in pixels"),
        (["--point", "-1.5e1, 3"], "--point -15,3: a point is in pixels"),
        (["--box", "-5,3,10,20"], "--box -5,3,10,20: a box is in pixels from the picture's top-left corner"),
    ],
)
def test_a_negative_region_is_read_and_refused_in_words(tmp_path, args, says):
    p = _cli(tmp_path, "run", "segment it", "p.png", *args)
    assert p.returncode == 2 and says in p.stderr and "Traceback" not in p.stderr, p.stderr


def test_a_file_that_begins_with_a_dash_is_told_how_to_pass(tmp_path):
    p = _cli(tmp_path, "run", "make it grayscale", "-photo.png")
    assert p.returncode == 2 and "written ./-photo.png, or after --: -- -photo.png" in p.stderr, p.stderr
    p = _cli(tmp_path, "run", "make it grayscale", "--image", "-photo.png")
    assert p.returncode == 2 and "goes after '=': --image=-photo.png" in p.stderr, p.stderr
    p = _cli(tmp_path, "run", "make it grayscale", "--image=-photo.png")
    assert p.returncode == 0 and "black and white" in p.stdout, p.stderr


def test_a_missing_option_value_gets_no_dash_hint(tmp_path):
    p = _cli(tmp_path, "run", "make it grayscale", "--image")
    assert p.returncode == 2 and "expected one argument" in p.stderr and "'='" not in p.stderr, p.stderr
