"""Adding a planner backend or a command is one module (docs/how-to/add-a-planner-or-command.md):
the planner registry and the surface registry are what the CLI and the Agent read, so an example
module named in the environment appears in `--help`, is accepted by `--planner`, and runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).with_name("vitron-agent"))
PLANNER = str(ROOT / "examples" / "keyword_planner.py")
SURFACE = str(ROOT / "examples" / "answer_surface.py")


def cli(*args, tmp_path, **env):
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, timeout=180, env={**os.environ, **env}, cwd=tmp_path
    )


@pytest.fixture
def photo(tmp_path):
    image = np.zeros((48, 64, 3), np.uint8)
    image[:, :32] = (200, 40, 40)
    image[:, 32:] = (40, 40, 200)
    path = tmp_path / "photo.png"
    Image.fromarray(image).save(path)
    return path


@pytest.fixture
def keyword_planner():
    from vitron_agent.planners import kinds

    kinds.discover_planners([PLANNER])
    yield
    kinds.unregister_planner("keyword")
    kinds._DISCOVERED.discard(PLANNER)
    sys.modules.pop("vitron_agent_plugin_keyword_planner", None)


def test_a_planner_module_is_a_kind_the_agent_builds(keyword_planner, photo):
    from vitron_agent.planners.kinds import planner_names
    from vitron_agent.runtime.agent import Agent

    assert planner_names()[-1] == "keyword"
    with Agent(planner="keyword") as agent:
        r = agent.run("make it black and white", image=str(photo))
        said = agent.run("what is this?", image=str(photo))
    assert [(s.tool, s.args["operation"], s.status) for s in r.steps] == [("edit", "grayscale", "ok")]
    assert said.steps == [] and said.answer.startswith("The keyword planner knows only")


def test_a_planner_module_is_accepted_by_the_cli(tmp_path, photo):
    env = {"VITRON_PLANNER_MODULES": PLANNER}
    assert "keyword" in cli("run", "--help", tmp_path=tmp_path, **env).stdout
    out = cli("run", "--planner", "keyword", "--image", str(photo), "blur it", "--json", tmp_path=tmp_path, **env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [(s["tool"], s["args"]["operation"]) for s in data["steps"]] == [("edit", "blur")]
    unknown = cli("run", "--planner", "keyword", "--image", str(photo), "blur it", tmp_path=tmp_path)
    assert unknown.returncode == 2 and "invalid choice: 'keyword'" in unknown.stderr  # not declared without it


def test_a_surface_module_is_a_command(tmp_path, photo):
    env = {"VITRON_SURFACE_MODULES": SURFACE}
    listed = cli("--help", tmp_path=tmp_path, **env)
    assert listed.returncode == 0 and "answer" in listed.stdout and "print only the answer" in listed.stdout
    out = cli("answer", "--image", str(photo), "make it grayscale", tmp_path=tmp_path, **env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 1 and "black and white" in out.stdout
    missing = cli("answer", "--image", str(tmp_path / "none.png"), "describe it", tmp_path=tmp_path, **env)
    assert missing.returncode == 2 and missing.stderr.startswith("vitron-agent: error:")  # the CLI's one line
    broken = cli("--help", tmp_path=tmp_path, VITRON_SURFACE_MODULES=str(tmp_path / "nope.py"))
    assert broken.returncode == 2 and "surface module" in broken.stderr and "nope.py" in broken.stderr


def test_every_builtin_command_is_a_declared_surface():
    from vitron_agent.cli import build_parser
    from vitron_agent.cli.surface import ORDER, surfaces

    found = surfaces()
    assert list(found)[: len(ORDER)] == list(ORDER)
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert list(sub.choices) == list(found)
    assert all(s.run.__module__.startswith("vitron_agent.cli.") for s in found.values())
