"""Tools declare what the hold policy and the answer builder need (registry.Traits); nothing in
graphs/policy.py, graphs/respond.py or graphs/step_phrases.py names a tool: a new tool module that
declares an operation destructive is held by the same rule as the built-in edits, and its step is
said by the phrase it declares (examples/erase_tool.py)."""

from __future__ import annotations

import ast
import sys
import types
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
    assert r.answer.endswith("I took the red regions as the red flag and dimmed it.")  # its declared phrase


def test_a_held_step_is_said_by_its_declared_phrase(erase_tool):
    with Agent(planner=ScriptedPlanner([_plan("red flag", "erase")])) as agent:
        r = agent.run("erase the red flag", image=_picture())
    assert "\nI did not erase it: " in r.answer and r.answer.endswith("I took the red regions as the red flag.")


def test_step_phrases_read_the_declarations():
    """Templates, functions and the generic phrase of a tool that declares none; a selection named
    by what was grounded is said once."""
    from vitron_agent.graphs.step_phrases import feeds_a_segment, phrases
    from vitron_agent.toolkit.plan import Plan

    plan = Plan.model_validate(
        {
            "steps": [
                {"id": "s1", "tool": "ground", "args": {"image": "$input.image", "target": "dog"}},
                {"id": "s2", "tool": "segment", "args": {"image": "$input.image", "box": "$s1.box"}},
                {
                    "id": "s3",
                    "tool": "edit",
                    "args": {"image": "$input.image", "mask": "$s2.mask", "operation": "blur"},
                },
                {"id": "s4", "tool": "edit", "args": {"image": "$s3.image", "operation": "rotate", "angle": -90}},
                {"id": "s5", "tool": "no_such_tool", "args": {"image": "$s4.image"}},
            ]
        }
    )
    assert phrases(plan, {}) == {
        "s1": "found the dog",
        "s2": "selected the dog",
        "s3": "blurred it",
        "s4": "rotated the picture 90° counter-clockwise",
        "s5": "ran no_such_tool",
    }
    assert phrases(plan, {}, past=False)["s3"] == "blur it"
    assert [feeds_a_segment(plan, s) for s in plan.steps] == [True, False, False, False, False]
    # a segment's box that prompts a later selection is not folded away: the segment made a mask
    segment_then_track = Plan.model_validate(
        {
            "steps": [
                {"id": "s1", "tool": "segment", "args": {"image": "$input.image", "target": "cat"}},
                {"id": "s2", "tool": "track", "args": {"video": "$input.video", "box": "$s1.box"}},
            ]
        }
    )
    assert not feeds_a_segment(segment_then_track, segment_then_track.steps[0])
    assert phrases(segment_then_track, {})["s2"] == "followed the cat through the video"


def test_a_phrase_function_declared_again_by_a_fresh_import_is_the_same_declaration():
    def phrase(step):
        return "probed it"

    fresh = types.FunctionType(phrase.__code__, phrase.__globals__, phrase.__name__)  # as a re-import makes it
    fresh.__qualname__ = phrase.__qualname__
    assert fresh is not phrase and fresh != phrase
    first = registry.Traits("probe_phrase", phrase=phrase)
    again = registry.Traits("probe_phrase", phrase=fresh)
    other = registry.Traits("probe_phrase", phrase=("probed {it}", "probe {it}"))
    try:
        registry.declare(first)
        registry.declare(again)
        with pytest.raises(ValueError, match="already declared"):
            registry.declare(other)
    finally:
        registry._TRAITS.pop("probe_phrase", None)


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
    are the typed contract of outputs, not a tool); the step phrases included."""
    from vitron_agent.toolkit.tool import _KIND_OF_TYPE

    names = {t for t, _ in registry.backends()} - set(_KIND_OF_TYPE.values())
    assert {"segment", "edit", "edit_video", "read_text", "ground", "frame", "describe", "speed_video"} <= names
    for path in (ROOT / "graphs" / "policy.py", ROOT / "graphs" / "respond.py", ROOT / "graphs" / "step_phrases.py"):
        strings = {n.value for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Constant)}
        assert sorted(names & {s for s in strings if isinstance(s, str)}) == [], path.name


@pytest.mark.parametrize(
    "phrase, error",
    [
        (("counted {things}", "count {things}"), "names things; a template may name {target}, {it}, {prompt}"),
        ("counted them", "must be \\(done, todo\\) templates or a function"),
    ],
)
def test_a_phrase_template_naming_an_unknown_value_is_refused_when_declared(phrase, error):
    """Not a KeyError in the middle of an answer: the declaration names what is wrong."""
    with pytest.raises(ValueError, match=error):
        registry.declare(registry.Traits("probe_template", phrase=phrase))
    assert "probe_template" not in registry._TRAITS
