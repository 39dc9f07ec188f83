"""Session 13's fresh reading cases for follow-ups, video requests, chains and small talk (``fresh_s13c.jsonl``,
written by ``fresh_s13c_cases.py`` before any of them was planned). Each case is ``tune`` or ``heldout``; only
tune misses are read. A history item is an earlier turn: its request is planned on the case's medium and passed
on with the answer the user read, as the agent graph records a turn. A plan-free case is right when the planner
gives no steps and its answer says what the case's ``answer`` pattern asks (and, for ``short`` cases, in at most
400 characters).

    .venv/bin/python benchmarks/reading/fresh_s13c.py [--half tune|heldout|both] [--misses N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from plan_match import case_matches, show_plan, steps_of  # noqa: E402
from run import planning_toolbox  # noqa: E402

SHORT = 400


def _inputs(case: dict) -> dict:
    medium = case["input"]
    return {"input": {medium: medium}, "last": {medium: medium} if case.get("history") else {}}


def plan_case(planner, toolbox, case) -> tuple[list[dict], str | None]:
    """(steps, answer) for the case's request after its history; an exception is a miss."""
    from vitron_agent.planners.base import PlanRequest

    try:
        turns: list[dict] = []
        for item in case.get("history") or []:
            plan = planner.plan(PlanRequest(text=item["request"], inputs=_inputs(case), history=list(turns)), toolbox)
            steps = [{"id": s.id, "tool": s.tool, "status": "ok"} for s in plan.steps]
            said = item.get("answer") or plan.answer or ""
            turns.append({"request": item["request"], "answer": said, "steps": steps})
        plan = planner.plan(PlanRequest(text=case["request"], inputs=_inputs(case), history=turns), toolbox)
    except Exception as e:  # a planner bug is a miss, the run goes on
        return [], f"raised {type(e).__name__}: {e}"
    return steps_of(plan), plan.answer


def right(case: dict, steps: list[dict], answer: str | None) -> bool:
    """The plan matches; a plan-free label's answer also says what the case asks (and briefly, where short)."""
    if not case_matches(case, steps):
        return False
    if steps or not case.get("answer"):
        return True
    said = answer or ""
    return re.search(case["answer"], said, re.I | re.S) is not None and (not case.get("short") or len(said) <= SHORT)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half", choices=["tune", "heldout", "both"], default="both")
    ap.add_argument("--misses", type=int, default=100)
    ap.add_argument("--show-heldout-misses", action="store_true")
    ap.add_argument("--data", default=str(HERE / "fresh_s13c.jsonl"))
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
        ok = right(case, steps, answer)
        for key in [(case["half"], "all"), (case["half"], case["intent"])]:
            table[key][0] += ok
            table[key][1] += 1
        if not ok and (case["half"] == "tune" or args.show_heldout_misses):
            missed.append((case, steps, answer))
    for (half, fam), (ok, n) in sorted(table.items()):
        print(f"{half:<8} {fam:<10} {ok:>4}/{n:<4} {100 * ok / n:6.1f} %")
    for case, steps, answer in missed[: args.misses]:
        got = show_plan(steps) if steps else f"answer: {(answer or '').replace(chr(10), ' ')[:160]}"
        hist = f" after {[h['request'] for h in case['history']]}" if case.get("history") else ""
        want = show_plan(case["plan"]) + (f" saying /{case['answer']}/" if case.get("answer") else "")
        print(f"- [{case['id']}] {case['request']!r}{hist}\n    want {want}\n    got  {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
