"""Adding a tool is one module: declared in it, discovered, listed by `tools --json`, checked by
`check-config`, and run in a plan -- no other file changes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.toolkit.config import Config

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).parent / "vitron-agent")
MIRROR = str(ROOT / "examples" / "mirror_tool.py")  # README's "Add a tool": the tool and its sentence


def cli(*args, tmp_path):
    env = {**os.environ, "VITRON_TOOL_MODULES": MIRROR}
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)


@pytest.fixture
def forget_mirror():
    """The registry is process-wide: take the test tool out again, so later tests see the built-ins only."""
    yield
    from vitron_agent.toolkit import registry
    from vitron_agent.toolkit.intents import unregister_intent

    registry.unregister("mirror", "cv")
    unregister_intent("mirror")
    registry._DISCOVERED.discard(MIRROR)
    sys.modules.pop("vitron_agent_plugin_mirror_tool", None)


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

    config = Config.model_validate(
        {"agent": {"tool_modules": [MIRROR]}, "tools": {"mirror": {"backend": "cv", "axis": "horizontal"}}}
    )
    plan = {
        "steps": [
            {"id": "s1", "tool": "mirror", "args": {"image": "$input.image"}},
            {"id": "s2", "tool": "describe", "args": {"image": "$s1.image"}},
        ]
    }
    agent = Agent(planner=ScriptedPlanner([plan]), config=config, data_dir=tmp_path / "data")
    img = np.zeros((8, 12, 3), np.uint8)
    img[:, :3] = (255, 0, 0)
    result = agent.run("mirror it", image=img)
    assert result.ok, result.answer
    out = agent.load(result.step("s1").ref("image"))
    assert (out[:, -3:] == (255, 0, 0)).all() and (out[:, :3] == 0).all()


def test_the_tool_and_the_sentence_that_calls_it_are_one_module(tmp_path, forget_mirror):
    """README's command, as written: the example module's own sentence plans its tool."""
    env = {**os.environ, "VITRON_TOOL_MODULES": "examples/mirror_tool.py"}
    p = subprocess.run(
        [EXE, "plan", "--input", "image", "--json", "mirror it, then describe it"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert p.returncode == 0, p.stderr
    assert [s["tool"] for s in json.loads(p.stdout)["steps"]] == ["mirror", "describe"]
    assert json.loads(p.stdout)["steps"][1]["args"]["image"] == "$s1.image"
    without = subprocess.run(
        [EXE, "plan", "--input", "image", "--json", "mirror it"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "VITRON_TOOL_MODULES"},
    )
    # the sentence comes with the module, not before (the built-in table reads "mirror it" as a flip)
    assert "mirror" not in [s["tool"] for s in json.loads(without.stdout)["steps"]]
