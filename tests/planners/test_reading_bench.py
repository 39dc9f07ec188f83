"""benchmarks/reading/: the paraphrase benchmark's data parse, its halves are disjoint, every intent
family has cases in both halves, every labelled tool exists, the comparison rules hold, and the
harness runs (on a few cases; accuracy is the benchmark's business, not asserted here)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "reading"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"reading_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture(scope="module")
def match():
    return _load("plan_match")


@pytest.fixture(scope="module")
def halves(match):
    return {h: match.load_cases(BENCH / f"{h}.jsonl") for h in ("tune", "test")}


def test_data_parses_and_is_large_enough(halves):
    assert len(halves["tune"]) >= 300 and len(halves["test"]) >= 300
    assert sum(c["input"] == "video" for c in halves["tune"] + halves["test"]) >= 150


def test_halves_are_disjoint(halves):
    key = lambda c: " ".join(c["request"].lower().split())  # noqa: E731
    tune, test = {key(c) for c in halves["tune"]}, {key(c) for c in halves["test"]}
    assert len(tune) == len(halves["tune"]) and len(test) == len(halves["test"])  # no repeats inside a half
    assert not tune & test
    assert not {c["id"] for c in halves["tune"]} & {c["id"] for c in halves["test"]}


def test_every_intent_family_has_cases_in_both_halves(match, halves):
    for half, cases in halves.items():
        counts = {f: sum(c["intent"] == f for c in cases) for f in match.FAMILIES}
        assert [f for f, n in counts.items() if n < 3] == [], half


def test_every_rule_table_intent_has_cases(match, halves):
    """Each intent of the planner's table is a family here, or (an intent a tool module declares)
    the benchmark labels plans that call its tool."""
    rule = pytest.importorskip("vitron_agent.planners.rule")
    labelled = {
        s["tool"] for c in halves["tune"] + halves["test"] for p in [c["plan"], *c.get("alternatives", [])] for s in p
    }
    uncovered = [
        i.name
        for i in getattr(rule, "INTENTS", ())
        if i.name not in match.FAMILIES and i.name not in labelled and getattr(i, "tool", None) not in labelled
    ]
    assert uncovered == []


# Tools the video issue announced (VIDEO_TOOLS) that may not have landed yet: labelled, not yet plannable.
ANNOUNCED = {"count_in_video"}


def test_labelled_tools_and_operations_exist(halves):
    run = _load("run")
    toolbox = run.planning_toolbox()
    missing = set()
    for case in halves["tune"] + halves["test"]:
        for plan in [case["plan"], *case.get("alternatives", [])]:
            for step in plan:
                if step["tool"] not in toolbox:
                    missing.add(step["tool"])
                    continue
                op = step["args"].get("operation")
                assert op is None or toolbox.supports(step["tool"], op), (case["id"], op)
    assert missing <= ANNOUNCED, f"labels name tools nobody declares: {sorted(missing - ANNOUNCED)}"


def test_comparison_rules(match):
    want = [
        {"tool": "segment", "args": {"target": "left side"}},
        {"tool": "edit", "args": {"operation": "blur_background"}},
    ]
    got = [
        {"tool": "segment", "args": {"target": "the left half", "position": "left"}},
        {"tool": "edit", "args": {"operation": "blur", "where": "outside", "mask": "$s1.mask", "amount": 0.7}},
    ]
    assert match.plan_matches(want, got)
    got[1]["args"]["where"] = "inside"  # an inversion is a miss
    assert not match.plan_matches(want, got)
    assert not match.plan_matches(want, got[:1])  # a missing step is a miss
    colour = [{"tool": "edit", "args": {"operation": "recolor", "color": "grey"}}]
    assert match.plan_matches(colour, [{"tool": "edit", "args": {"operation": "recolor", "color": "Gray"}}])
    assert not match.plan_matches(colour, [{"tool": "edit", "args": {"operation": "recolor", "color": "blue"}}])
    rot = [{"tool": "edit", "args": {"operation": "rotate", "angle": -90}}]
    assert match.plan_matches(rot, [{"tool": "edit", "args": {"operation": "rotate", "angle": 270.0}}])
    assert not match.plan_matches(rot, [{"tool": "edit", "args": {"operation": "rotate"}}])  # default 90
    low = [{"tool": "edit", "args": {"operation": "brighten", "amount": "low"}}]
    assert match.plan_matches(low, [{"tool": "edit", "args": {"operation": "brighten", "amount": 0.2}}])
    assert not match.plan_matches(low, [{"tool": "edit", "args": {"operation": "brighten"}}])
    assert match.normalise_target("the people in the centre") == match.normalise_target("person in middle")
    assert match.normalise_target({"head": "car", "colour": "red", "largest": True}) == match.normalise_target(
        "the largest red car"
    )
    assert match.normalise_target("the foreground") == match.normalise_target("main subject")
    assert match.normalise_target("people walk") != match.normalise_target("people")
    first = [{"tool": "trim_video", "args": {"first": 5}}]
    assert match.plan_matches(first, [{"tool": "trim_video", "args": {"start": 0, "end": 5.0}}])
    assert not match.plan_matches(first, [{"tool": "trim_video", "args": {"start": 5.0}}])
    last = [{"tool": "trim_video", "args": {"last": 3}}]
    assert match.plan_matches(last, [{"tool": "trim_video", "args": {"start": -3.0}}])
    span = [{"tool": "trim_video", "args": {"start": 20, "end": 35}}]
    assert not match.plan_matches(span, [{"tool": "trim_video", "args": {"start": 20}}])
    faster = [{"tool": "speed_video", "args": {"factor": ">1"}}]
    assert match.plan_matches(faster, [{"tool": "speed_video", "args": {"factor": 1.5}}])
    assert not match.plan_matches(faster, [{"tool": "speed_video", "args": {"factor": 0.5}}])
    gen = [{"tool": "generate", "args": {"prompt": "a red fox in the snow"}}]
    assert match.plan_matches(gen, [{"tool": "generate", "args": {"prompt": "red fox in snow"}}])
    assert not match.plan_matches(gen, [{"tool": "generate", "args": {"prompt": "me a red fox in the snow"}}])


def test_harness_runs_on_a_few_cases(tmp_path, halves, capsys):
    import json

    few = {"tune": halves["tune"][:4], "test": halves["test"][:2]}
    for half, cases in few.items():
        (tmp_path / f"{half}.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases))
    run = _load("run")
    assert run.main(["--data", str(tmp_path), "--misses", "10"]) == 0
    out = capsys.readouterr().out
    assert "tune half (4 requests)" in out and "test half (2 requests)" in out and "old table" in out
    assert halves["test"][0]["request"] not in out.split("misses")[-1]  # test-half misses are not listed


def test_the_held_out_half_is_not_copied_into_the_planners_examples(halves):
    """Short common requests ("flip it") are also example utterances by chance, in both halves alike;
    a held-out half that overlaps the examples clearly more than the tuning half means test
    requests were copied into them. Only counts are said, never the requests."""
    rule = pytest.importorskip("vitron_agent.planners.rule")
    from vitron_agent.toolkit.intents import registered_intents

    intents = [*getattr(rule, "INTENTS", ()), *registered_intents()]
    examples = {_norm(e) for i in intents for e in (getattr(i, "examples", None) or ())}
    # like with like: the tuning cases of the source groups the split drew both halves from (cases appended later,
    # written fresh to find misreadings, are in no example by construction and would only dilute the tune share)
    groups = {c["id"].split("-")[0] for c in halves["test"]}
    paired = {"tune": [c for c in halves["tune"] if c["id"].split("-")[0] in groups], "test": halves["test"]}
    share = {h: sum(_norm(c["request"]) in examples for c in cases) / len(cases) for h, cases in paired.items()}
    assert share["test"] <= share["tune"] + 0.05, f"held-out overlap {share['test']:.1%} vs tune {share['tune']:.1%}"


def _norm(text: str) -> str:
    return " ".join(text.lower().strip(" .?!").split())
