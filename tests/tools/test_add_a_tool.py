"""Adding a tool is one module: declared in it, discovered, listed by `tools --json`, checked by
`check-config`, and run in a plan -- no other file changes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vitron_agent.agent import Agent
from vitron_agent.config import Config
from vitron_agent.planners.base import ScriptedPlanner

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).parent / "vitron-agent")


def cli(*args, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VITRON_TOOL_MODULES": "tests.tools.mirror_tool"}
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)


@pytest.fixture
def forget_mirror():
    """The registry is process-wide: take the test tool out again, so later tests see the built-ins only."""
    yield
    from vitron_agent import registry

    registry.unregister("mirror", "cv")
    registry._DISCOVERED.discard("tests.tools.mirror_tool")
    sys.modules.pop("tests.tools.mirror_tool", None)


def test_a_tool_module_appears_everywhere_and_runs_in_a_plan(tmp_path, forget_mirror):
    listed = cli("tools", "--json", tmp_path=tmp_path)
    assert listed.returncode == 0, listed.stderr
    mirror = next(t for t in json.loads(listed.stdout) if t["name"] == "mirror")
    assert mirror["backend"] == "cv" and "image" in mirror["input_schema"]["properties"]

    good = tmp_path / "good.toml"
    good.write_text('[tools.mirror]\nbackend = "cv"\naxis = "vertical"\n')
    checked = cli("check-config", "--config", str(good), tmp_path=tmp_path)
    assert checked.returncode == 0 and "mirror: cv" in checked.stdout, checked.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[tools.mirror]\nbackend = "cv"\nangle = 90\n')
    refused = cli("check-config", "--config", str(bad), tmp_path=tmp_path)
    assert refused.returncode == 2 and "unknown setting(s) angle" in refused.stderr and "axis" in refused.stderr

    config = Config.model_validate({"agent": {"tool_modules": ["tests.tools.mirror_tool"]},
                                    "tools": {"mirror": {"backend": "cv", "axis": "horizontal"}}})
    plan = {"steps": [{"id": "s1", "tool": "mirror", "args": {"image": "$input.image"}},
                      {"id": "s2", "tool": "describe", "args": {"image": "$s1.image"}}]}
    agent = Agent(planner=ScriptedPlanner([plan]), config=config, data_dir=tmp_path / "data")
    img = np.zeros((8, 12, 3), np.uint8)
    img[:, :3] = (255, 0, 0)
    result = agent.run("mirror it", image=img)
    assert result.ok, result.answer
    out = agent.load(result.step("s1").ref("image"))
    assert (out[:, -3:] == (255, 0, 0)).all() and (out[:, :3] == 0).all()
