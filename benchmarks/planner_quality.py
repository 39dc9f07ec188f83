"""How often each planner picks the right tools: for each instruction, the planned sequence of
tools against the expected one (arguments are not scored), for the rule planner and the local
LLM planner (SmolLM2-135M-Instruct from the embedded package, constrained decoding) side by side.

    python benchmarks/planner_quality.py [--planners rule,local] [--show]

Prints the fraction right per planner, and with --show every plan that was wrong.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# (instruction, expected tools in order) on an image; "+last" runs it as a follow-up turn.
CASES: list[tuple[str, list[str]]] = [
    ("segment the cat", ["segment"]),
    ("segment the cat, then make it purple", ["segment", "edit"]),
    ("select the red car; turn it yellow", ["segment", "edit"]),
    ("describe the image", ["describe"]),
    ("what colour is the cup?", ["segment", "describe"]),
    ("blur the background", ["segment", "edit"]),
    ("make the image grayscale", ["edit"]),
    ("brighten the photo", ["edit"]),
    ("darken the image", ["edit"]),
    ("increase the contrast", ["edit"]),
    ("remove the person", ["segment", "edit"]),
    ("how many coins are there?", ["count"]),
    ("count the red apples", ["count"]),
    ("cut out the main object", ["segment", "edit"]),
    ("highlight the dog and describe it", ["segment", "describe"]),
    ("make the car blue", ["segment", "edit"]),
    ("paint the shirt green", ["segment", "edit"]),
    ("find the largest object", ["segment"]),
    ("select the object on the left, then blur it", ["segment", "edit"]),
    ("caption this image", ["describe"]),
    ("tell me about the picture", ["describe"]),
    ("read the sign", ["read_text"]),
    ("what does the label say?", ["read_text"]),
    ("transcribe the text", ["read_text"]),
    ("segment the cup, recolor it red, then describe it", ["segment", "edit", "describe"]),
    ("isolate the bird", ["segment"]),
    ("erase the logo", ["segment", "edit"]),
    ("make it black and white, then describe it", ["edit", "describe"]),
    ("mask the foreground and make it brighter", ["segment", "edit"]),
    ("how many blue circles are in the image?", ["count"]),
    ("select the person on the right", ["segment"]),
    ("change the background to blue", ["segment", "edit"]),
]


def main() -> None:
    from vitron_agent.core.errors import VitronError
    from vitron_agent.runtime.agent import Agent

    ap = argparse.ArgumentParser()
    ap.add_argument("--planners", default="rule,local")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    results: dict[str, tuple[int, float, list[str]]] = {}
    for name in args.planners.split(","):
        agent = Agent(planner=name)
        right, wrong, start = 0, [], time.perf_counter()
        for text, expected in CASES:
            try:
                plan = agent.plan(text, image="<image>")
                problems = agent.validate(plan, image="<image>") if plan.steps else ["no steps"]
                got = [s.tool for s in plan.steps]
            except VitronError as exc:
                got, problems = [], [str(exc).splitlines()[0]]
            if got == expected and not problems:
                right += 1
            else:
                wrong.append(
                    f"  {text!r}: expected {expected}, got {got}" + (f" ({problems[0][:80]})" if problems else "")
                )
        results[name] = (right, time.perf_counter() - start, wrong)
    print(f"{len(CASES)} instructions; right = the planned tools in the expected order, and a valid plan")
    for name, (right, secs, wrong) in results.items():
        print(
            f"{name:8} {right}/{len(CASES)} right ({right / len(CASES):.0%}), {secs / len(CASES):.2f} s per plan "
            "(model load included)"
        )
        if args.show:
            print("\n".join(wrong))


if __name__ == "__main__":
    main()
