"""Hostile round 6: a batch folder with things that are not pictures. Before, a text file, a link to
nothing, a FIFO, a link to a folder and a second name of the same file (a link, or the same path given
twice) were left out without a word: `batch ... a.png a.png link.png` said "1 of 1 ok"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from vitron_agent.batch.jobs import named_inputs

BIN = Path(sys.executable).parent / "vitron-agent"


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    Image.new("RGB", (32, 24), (200, 30, 30)).save(src / "a.png")
    Image.new("RGB", (32, 24), (30, 200, 30)).save(src / "sub" / "c.png")
    (src / "notes.txt").write_text("hello")
    os.symlink("a.png", src / "link.png")
    os.symlink("/nonexistent/x.png", src / "broken.png")
    os.symlink("sub", src / "sublink")
    os.mkfifo(src / "pipe.png")
    return src


def test_each_file_left_out_of_a_folder_is_named_with_why(tmp_path):
    src = _folder(tmp_path)
    skipped: list[str] = []
    names = sorted(name for _, name in named_inputs([str(src)], skipped=skipped))
    assert names == ["a.png", "sub/c.png"]
    said = "\n".join(skipped)
    for line in (
        f"{src / 'notes.txt'} (not an image or video)",
        f"{src / 'broken.png'} (a link to nothing)",
        f"{src / 'sublink'} (a link to a folder: not followed)",
        f"{src / 'pipe.png'} (not a regular file)",
        f"{src / 'link.png'} (the same file as {src / 'a.png'}: done once)",
    ):
        assert line in said, said
    assert len(skipped) == 5


def test_the_same_file_named_twice_is_said_on_stderr_even_when_quiet(tmp_path):
    src = _folder(tmp_path)
    p = subprocess.run(
        [str(BIN), "batch", "make it grayscale", "in/a.png", "in/a.png", "--out", "out", "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert p.returncode == 0, p.stderr
    assert "left out 1 of the inputs: in/a.png (the same file as in/a.png: done once)" in p.stderr, p.stderr
    assert src.exists()


def test_a_request_after_the_inputs_is_told_where_it_goes(tmp_path):
    _folder(tmp_path)
    p = subprocess.run(
        [str(BIN), "batch", "in/a.png", "make it grayscale", "--out", "out", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert p.returncode == 2 and 'the request goes first: vitron-agent batch "make it grayscale"' in p.stderr, p.stderr
