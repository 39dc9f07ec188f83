"""The paraphrase benchmark: plans every request of tune.jsonl and test.jsonl offline and prints
plan-exact accuracy side by side for the planner's modes (the old rule table, the learned matcher,
both), per half and per intent family, then the tune half's misses.

    .venv/bin/python benchmarks/reading/run.py                 # both halves, tune misses
    .venv/bin/python benchmarks/reading/run.py --half tune --mode both --misses 40 --intent recolor

The test half's misses are never printed unless ``--show-test-misses`` is given: the test half is
held out (nobody tunes on it or writes examples from it). How a plan is compared with its label is
documented in plan_match.py. Planning happens with a toolbox that has generative backends declared
(nothing is loaded: planning never runs a tool), so generation and generative edits are planned.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plan_match import HERE, case_matches, load_cases, show_plan, steps_of  # noqa: E402

MODES = ("rules", "matcher", "both")
LABELS = {"rules": "old table", "matcher": "matcher", "both": "both"}


def planning_toolbox():
    """The embedded tools, with generative edit / generate / video backends declared at made-up
    checkpoint paths (constructors only store settings; nothing here loads or runs a model)."""
    from vitron_agent.toolkit.tool import Toolbox
    from vitron_agent.tools import default_tools
    from vitron_agent.tools.edit_diffusers import DiffusersEditTool
    from vitron_agent.tools.generate import DiffusersGenerateTool
    from vitron_agent.tools.video_diffusers import DiffusersEditVideoTool, DiffusersVideoGenerateTool

    ckpt = "/nonexistent/benchmark-only"
    extra = [
        DiffusersEditTool(checkpoint=ckpt, instruct_checkpoint=ckpt),
        DiffusersGenerateTool(checkpoint=ckpt),
        DiffusersVideoGenerateTool(checkpoint=ckpt),
        DiffusersEditVideoTool(checkpoint=ckpt, video_checkpoint=ckpt),
    ]
    names = {t.name for t in extra}
    return Toolbox([t for t in default_tools() if t.name not in names] + extra)


def planners() -> dict[str, Any]:
    """mode -> planner: ``RulePlanner(mode=...)`` where the planner has modes; otherwise only the
    current table, shown as "rules" (the matcher columns read n/a)."""
    from vitron_agent.planners.rule import RulePlanner

    try:
        return {m: RulePlanner(mode=m) for m in MODES}
    except TypeError:
        return {"rules": RulePlanner()}


def plan_case(planner: Any, toolbox: Any, case: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """(steps, answer) the planner gives for the case's request; an exception is a miss whose
    answer names it (the benchmark goes on)."""
    from vitron_agent.planners.base import PlanRequest

    inputs = {
        "input": {case["input"]: case["input"], **case.get("extra_inputs", {})},
        "last": dict(case.get("last") or {}),
    }
    try:
        plan = planner.plan(PlanRequest(text=case["request"], inputs=inputs), toolbox)
    except Exception as e:  # a planner bug must show up as a miss, not end the run
        return [], f"raised {type(e).__name__}: {e}"
    return steps_of(plan), plan.answer


def example_utterances() -> set[str]:
    """The planner's example utterances (every intent's ``examples``), normalised."""
    from vitron_agent.planners import rule
    from vitron_agent.toolkit.intents import registered_intents

    intents = [*getattr(rule, "INTENTS", ()), *registered_intents()]
    return {_norm(e) for i in intents for e in (getattr(i, "examples", None) or ())}


def _norm(text: str) -> str:
    return " ".join(text.lower().strip(" .?!").split())


UNSEEN = "(unseen)"  # the row of requests that are not verbatim among the planner's examples


def score(cases, plans, examples: set[str]) -> dict[str, dict[str, list[int]]]:
    """row -> mode -> [exact, asked (plan-free answer), total]; rows: all, UNSEEN, each family."""
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for case in cases:
        rows = ["all", case["intent"]] + ([UNSEEN] if _norm(case["request"]) not in examples else [])
        for mode, (steps, answer) in plans[case["id"]].items():
            for row in rows:
                cell = table[row][mode]
                cell[0] += case_matches(case, steps)
                cell[1] += not steps and answer is not None
                cell[2] += 1
    return table


def print_table(title: str, table, modes: list[str]) -> None:
    print(f"\n{title}")
    head = f"{'intent':<16}{'n':>5}" + "".join(f"{LABELS[m]:>13}" for m in MODES)
    print(head + "   (exact %; asked or refused %)")
    rows = ["all", UNSEEN] + sorted(k for k in table if k not in ("all", UNSEEN))
    for row in rows:
        if row not in table:
            continue
        n = next(iter(table[row].values()))[2]
        cells = []
        for m in MODES:
            if m not in modes:
                cells.append(f"{'n/a':>13}")
            else:
                ok, asked, total = table[row][m]
                cells.append(f"{100 * ok / total:>7.1f}{f'({100 * asked / total:.0f})':>6}")
        print(f"{row:<16}{n:>5}" + "".join(cells))


def print_misses(cases, plans, mode: str, limit: int) -> None:
    missed = [c for c in cases if not case_matches(c, plans[c["id"]][mode][0])]
    print(f"\nmisses ({LABELS[mode]}): {len(missed)}" + (f", first {limit}" if len(missed) > limit else ""))
    for c in missed[:limit]:
        steps, answer = plans[c["id"]][mode]
        got = show_plan(steps) if steps else f"answer: {(answer or '').splitlines()[0][:110]}"
        print(
            f"- [{c['id']} {c['input']} {c['intent']}] {c['request']!r}\n    want {show_plan(c['plan'])}\n    got  {got}"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half", choices=("tune", "test", "both"), default="both")
    ap.add_argument("--mode", choices=MODES, default=None, help="whose misses to list (default: the last mode run)")
    ap.add_argument("--misses", type=int, default=60, help="how many tune-half misses to list (0: none)")
    ap.add_argument("--intent", default=None, help="list only this intent family's misses")
    ap.add_argument("--show-test-misses", action="store_true", help="also list the held-out half's misses")
    ap.add_argument("--data", type=Path, default=HERE, help="folder holding tune.jsonl and test.jsonl")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    halves = ["tune", "test"] if args.half == "both" else [args.half]
    data = {h: load_cases(args.data / f"{h}.jsonl") for h in halves}
    toolbox, by_mode = planning_toolbox(), planners()
    modes = list(by_mode)
    plans: dict[str, dict[str, tuple]] = {}
    t0 = time.perf_counter()
    for cases in data.values():
        for case in cases:
            plans[case["id"]] = {m: plan_case(p, toolbox, case) for m, p in by_mode.items()}
    took = time.perf_counter() - t0
    n = sum(len(c) for c in data.values())
    print(f"{n} requests x {len(modes)} mode(s) planned in {took:.1f} s; modes: {', '.join(LABELS[m] for m in modes)}")
    examples = example_utterances()
    for half, cases in data.items():
        print_table(f"{half} half ({len(cases)} requests)", score(cases, plans, examples), modes)
    print(f"\n{UNSEEN}: requests that are not verbatim among the planner's {len(examples)} example utterances")
    mode = args.mode or modes[-1]
    if mode not in modes:
        ap.error(f"mode {mode!r} is not available here (planner modes: {', '.join(modes)})")
    pick = [c for c in data.get("tune", []) if args.intent in (None, c["intent"])]
    if pick and args.misses:
        print_misses(pick, plans, mode, args.misses)
    if "test" in data and args.show_test_misses:
        print_misses([c for c in data["test"] if args.intent in (None, c["intent"])], plans, mode, 10**6)
    return 0


if __name__ == "__main__":
    sys.exit(main())
