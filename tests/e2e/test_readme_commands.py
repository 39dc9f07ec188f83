"""README's commands, as written: every line of its "Use it" block runs in a folder holding the
files it names (a photo, a clip, a cat, a folder of photos), in order (the second turn of session
s1 follows the first), and ends with exit 0 and no traceback; its `vitron.toml` parses and
`check-config` names what is missing on this machine in one line. A README example that does not
work as written (the upload example's 415 was one) fails here."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from skimage import data

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).parent / "vitron-agent")
LONG_RUNNING = ("ui",)  # serves until stopped: the UI's own tests drive it in a browser


def _block(heading: str, lang: str) -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split(f"\n## {heading}\n", 1)[1]
    return section.split(f"```{lang}\n", 1)[1].split("```", 1)[0]


def _commands() -> list[str]:
    lines = [ln.split("   #")[0].strip() for ln in _block("Use it", "bash").splitlines()]
    return [ln for ln in lines if ln.startswith(".venv/bin/vitron-agent ")]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from vitron_agent.media.synthetic import moving_disc
    from vitron_agent.media.video import write_video

    d = tmp_path_factory.mktemp("readme")
    Image.fromarray(data.astronaut()).save(d / "photo.jpg")
    Image.fromarray(data.chelsea()).save(d / "cat.png")
    (d / "photos").mkdir()
    Image.fromarray(data.astronaut()).save(d / "photos" / "astronaut.png")
    frames, _ = moving_disc()
    write_video(frames, d / "clip.mp4", 12, lossless=False)
    return d


def test_the_use_it_block_is_what_the_test_runs():
    commands = _commands()
    assert len(commands) >= 10 and any(" batch " in c for c in commands) and any(" resume " in c for c in commands)


def test_every_command_of_the_use_it_block_runs_as_written(folder):
    """In README's order; the lines of one --session (each turn follows the one before) in one
    thread, the rest in another (two cores: half the wall time)."""
    from concurrent.futures import ThreadPoolExecutor

    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    lines = [
        ln
        for ln in _commands()
        if shlex.split(ln)[1] not in LONG_RUNNING and " check-config --config " not in ln  # the toml: the next test
    ]

    def run_in_order(group: list[str]) -> list[tuple[str, subprocess.CompletedProcess]]:
        done = []
        for line in group:
            argv = shlex.split(line)
            done.append(
                (
                    line,
                    subprocess.run([EXE, *argv[1:]], cwd=folder, capture_output=True, text=True, timeout=300, env=env),
                )
            )
        return done

    session = [ln for ln in lines if "--session" in ln]
    with ThreadPoolExecutor(2) as pool:
        results = [
            r for part in pool.map(run_in_order, [session, [ln for ln in lines if ln not in session]]) for r in part
        ]
    for line, p in results:
        assert p.returncode == 0 and "Traceback" not in p.stderr, f"{line}\n{p.stderr[-1500:]}"
    ran = [shlex.split(line)[1] for line, _ in results]
    assert ran.count("run") >= 5 and {"plan", "tools", "resume", "demo", "batch"} <= set(ran)


def test_the_readme_toml_parses_and_check_config_names_what_is_missing(tmp_path):
    toml = _block("Real checkpoints", "toml")
    (tmp_path / "vitron.toml").write_text(toml)
    line = next(c for c in _commands() if " check-config " in c)
    p = subprocess.run([EXE, *shlex.split(line)[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    checkpoint = re.search(r'checkpoint = "([^"]+)"', toml).group(1)
    if Path(checkpoint).exists():  # a machine with the real SAM checkpoint
        assert p.returncode == 0, p.stderr
    else:
        assert p.returncode == 2 and p.stderr.count("\n") == 1, p.stderr
        assert f"checkpoint = '{checkpoint}' does not exist" in p.stderr
