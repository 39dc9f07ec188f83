"""Session 10's fresh reading cases (``fresh_s10.jsonl``): video requests, chains, questions and
multi-turn follow-ups and things the agent cannot do, in three rounds (``s10-`` 222, ``s10b-`` 92, ``s10c-``
54), each round written before any of its cases was planned and before the fixes it led to, each case
marked ``tune`` or ``heldout`` (alternate cases; only tune misses were read to find classes). A follow-up
carries the session's earlier requests (``history``): each is planned first and passed on as a turn that
did something, as a session does. Figures before and after each round's fixes: benchmarks/RESULTS.md
is the lead's; the commits that added each round say its before figures.

    .venv/bin/python benchmarks/reading/fresh_s10.py [--half tune|heldout|both] [--misses N]

Prints plan-exact accuracy (the same comparison as run.py) per half and family; misses of the tune
half only unless ``--show-heldout-misses``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from plan_match import case_matches, show_plan, steps_of  # noqa: E402
from run import planning_toolbox  # noqa: E402


def _history(planner, toolbox, case) -> list[dict]:
    """The case's earlier requests as session turns, each with the steps its own plan has."""
    from vitron_agent.planners.base import PlanRequest

    turns: list[dict] = []
    for text in case.get("history") or []:
        inputs = {"input": {case["input"]: case["input"]}, "last": dict(case.get("last") or {})}
        plan = planner.plan(PlanRequest(text=text, inputs=inputs, history=list(turns)), toolbox)
        steps = [{"tool": s.tool, "args": dict(s.args), "status": "ok"} for s in plan.steps]
        turns.append({"request": text, "answer": plan.answer or "", "steps": steps})
    return turns


def plan_case(planner, toolbox, case) -> tuple[list[dict], str | None]:
    """(steps, answer) for the case's request after its history; an exception is a miss."""
    from vitron_agent.planners.base import PlanRequest

    inputs = {
        "input": {case["input"]: case["input"], **case.get("extra_inputs", {})},
        "last": dict(case.get("last") or {}),
    }
    try:
        history = _history(planner, toolbox, case)
        plan = planner.plan(PlanRequest(text=case["request"], inputs=inputs, history=history), toolbox)
    except Exception as e:  # a planner bug is a miss, the run goes on
        return [], f"raised {type(e).__name__}: {e}"
    return steps_of(plan), plan.answer


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half", choices=["tune", "heldout", "both"], default="both")
    ap.add_argument("--misses", type=int, default=100)
    ap.add_argument("--show-heldout-misses", action="store_true")
    ap.add_argument("--data", default=str(HERE / "fresh_s10.jsonl"))
    args = ap.parse_args(argv)
    from vitron_agent.planners.rule import RulePlanner

    cases = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line.strip()]
    planner, toolbox = RulePlanner(), planning_toolbox()
    table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for case in cases:
        if args.half != "both" and case["half"] != args.half:
            continue
        steps, answer = plan_case(planner, toolbox, case)
        ok = case_matches(case, steps)
        for key in [(case["half"], "all"), (case["half"], case["intent"])]:
            table[key][0] += ok
            table[key][1] += 1
        if not ok and (case["half"] == "tune" or args.show_heldout_misses):
            missed.append((case, steps, answer))
    for (half, fam), (ok, n) in sorted(table.items()):
        print(f"{half:<8} {fam:<10} {ok:>4}/{n:<4} {100 * ok / n:6.1f} %")
    for case, steps, answer in missed[: args.misses]:
        got = show_plan(steps) if steps else f"answer: {(answer or '').splitlines()[0][:110]}"
        hist = f" after {case['history']}" if case.get("history") else ""
        print(f"- [{case['id']}] {case['request']!r}{hist}\n    want {show_plan(case['plan'])}\n    got  {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
