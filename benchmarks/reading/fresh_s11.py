"""Session 11's fresh image reading cases (``fresh_s11.jsonl``, written by ``fresh_s11_cases.py`` before any
of them was planned): scope words, references after a question, everyday requests, things the agent
cannot do. Each case is ``tune`` or ``heldout`` (alternate cases; only tune misses are read to find
classes). A history item is an earlier turn ``{"request", "answer"}``: its request is planned and passed
on with the answer the user read (a question's answer names what "it" / "the second one" mean), as the
agent graph records a turn (steps without their arguments).

    .venv/bin/python benchmarks/reading/fresh_s11.py [--half tune|heldout|both] [--misses N]
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
    """The case's earlier turns as the graph records them: request, the answer read, steps (tool, status)."""
    from vitron_agent.planners.base import PlanRequest

    turns: list[dict] = []
    for item in case.get("history") or []:
        inputs = {"input": {case["input"]: case["input"]}, "last": dict(case.get("last") or {})}
        plan = planner.plan(PlanRequest(text=item["request"], inputs=inputs, history=list(turns)), toolbox)
        steps = [{"id": s.id, "tool": s.tool, "status": "ok"} for s in plan.steps]
        turns.append({"request": item["request"], "answer": item.get("answer") or plan.answer or "", "steps": steps})
    return turns


def plan_case(planner, toolbox, case) -> tuple[list[dict], str | None]:
    """(steps, answer) for the case's request after its history; an exception is a miss."""
    from vitron_agent.planners.base import PlanRequest

    inputs = {"input": {case["input"]: case["input"]}, "last": dict(case.get("last") or {})}
    if case.get("history"):
        inputs["last"] = {"image": "image"}  # a question left the picture as it was
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
    ap.add_argument("--data", default=str(HERE / "fresh_s11.jsonl"))
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
        hist = (
            f" after {[h['request'] + ' => ' + h.get('answer', '') for h in case['history']]}"
            if case.get("history")
            else ""
        )
        print(f"- [{case['id']}] {case['request']!r}{hist}\n    want {show_plan(case['plan'])}\n    got  {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
