"""Tools declare what the hold policy and the answer builder need (registry.Traits); nothing in
graphs/policy.py or graphs/respond.py names a tool: a new tool module that declares an operation
destructive is held by the same rule as the built-in edits (examples/erase_tool.py)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest

from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.toolkit import registry

ROOT = Path(__file__).resolve().parents[2]
ERASE = str(ROOT / "examples" / "erase_tool.py")


@pytest.fixture
def erase_tool():
    registry.discover([ERASE])
    yield
    registry.unregister("erase", "cv")
    registry._DISCOVERED.discard(ERASE)
    sys.modules.pop("vitron_agent_plugin_erase_tool", None)


def _plan(target: str, operation: str) -> dict:
    return {
        "steps": [
            {"id": "s1", "tool": "segment", "args": {"image": "$input.image", "target": target}},
            {
                "id": "s2",
                "tool": "erase",
                "args": {"image": "$input.image", "mask": "$s1.mask", "operation": operation},
            },
        ]
    }


def _picture() -> np.ndarray:
    """A grey picture with one red square: no detector knows a "flag", so segment takes the red."""
    image = np.full((96, 128, 3), 128, np.uint8)
    image[30:60, 40:80] = (220, 20, 20)
    return image


def test_a_declared_destructive_operation_on_an_assumed_mask_is_held(erase_tool):
    assert registry.traits("erase").destructive == {"erase": "erase"}
    assert registry.traits("erase").masks == ("mask",)
    with Agent(planner=ScriptedPlanner([_plan("red flag", "erase")])) as agent:
        r = agent.run("erase the red flag", image=_picture())
    assert r.steps[0].status == "ok" and "cannot recognise" in r.steps[0].outputs["method"]["value"]
    assert r.steps[1].status == "skipped" and r.steps[1].error_kind == "held"
    assert "to erase what I found instead" in r.steps[1].error
    assert any(w.startswith("I can't recognise 'flag' by name") for w in r.warnings)


def test_the_same_tool_runs_an_operation_it_did_not_declare_destructive(erase_tool):
    with Agent(planner=ScriptedPlanner([_plan("red flag", "dim")])) as agent:
        r = agent.run("dim the red flag", image=_picture())
    assert [s.status for s in r.steps] == ["ok", "ok"] and r.steps[1].outputs["image"]
    assert r.warnings  # it still says what it assumed


def test_an_undeclared_tool_is_never_held():
    from vitron_agent.graphs.policy import hold_reason

    records = {
        "s1": {
            "status": "ok",
            "tool": "segment",
            "outputs": {
                "method": {
                    "kind": "text",
                    "value": ("colour; it cannot recognise 'flag' by name, so it took the red regions"),
                }
            },
        }
    }
    step = {"tool": "no_such_tool", "args": {"mask": "$s1.mask", "operation": "remove"}}
    assert hold_reason(step, records) is None
    assert hold_reason({**step, "tool": "edit"}, records).startswith("held back: I can't recognise 'flag'")


def test_policy_and_answer_builder_name_no_tool():
    """No string in them is a tool's name (a value kind such as "track" or "mask" may be: kinds
    are the typed contract of outputs, not a tool)."""
    from vitron_agent.toolkit.tool import _KIND_OF_TYPE

    names = {t for t, _ in registry.backends()} - set(_KIND_OF_TYPE.values())
    assert {"segment", "edit", "edit_video", "read_text", "ground", "frame"} <= names
    for path in (ROOT / "graphs" / "policy.py", ROOT / "graphs" / "respond.py"):
        strings = {n.value for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Constant)}
        assert sorted(names & {s for s in strings if isinstance(s, str)}) == [], path.name
