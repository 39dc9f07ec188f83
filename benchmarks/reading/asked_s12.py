"""A question about the picture is answered, not carried out as an edit (the newcomer of session 12:
"what is rotating?" rotated the video, "why is the background blurry?" blurred it); a request put as a
question ("can you rotate it?", "why don't you make it warmer?") is still carried out.

32 cases written before the fix; odd lines are the tuning half, even lines held out. Prints right /
wrong for each half: `python benchmarks/reading/asked_s12.py [--show]`."""

from __future__ import annotations

import sys
from pathlib import Path

# (request, medium, "answer" | "edit")
CASES = [
    ("what is rotating?", "video", "answer"),
    ("why is the background blurry?", "image", "answer"),
    ("which part is rotating?", "video", "answer"),
    ("what is making it blurry?", "image", "answer"),
    ("why does the sky look so orange?", "image", "answer"),
    ("is the picture rotated?", "image", "answer"),
    ("was this photo flipped?", "image", "answer"),
    ("what is blurred here?", "image", "answer"),
    ("does the video loop?", "video", "answer"),
    ("why is the cat so bright?", "image", "answer"),
    ("who is holding the umbrella?", "image", "answer"),
    ("what is the sharpest part of the picture?", "image", "answer"),
    ("what got cropped out?", "image", "answer"),
    ("did you blur the faces?", "image", "answer"),
    ("which way is the dog facing?", "image", "answer"),
    ("is the background blurred?", "image", "answer"),
    ("what is spinning in this clip?", "video", "answer"),
    ("why are the colours so warm?", "image", "answer"),
    ("can you rotate it?", "image", "edit"),
    ("could you blur the background?", "image", "edit"),
    ("why don't you make it warmer?", "image", "edit"),
    ("how about making it black and white?", "image", "edit"),
    ("is it possible to brighten the sky?", "image", "edit"),
    ("would you flip it horizontally?", "image", "edit"),
    ("will you sharpen it?", "image", "edit"),
    ("can the background be blurred?", "image", "edit"),
    ("is there a way to make the cat blue?", "image", "edit"),
    ("would it be possible to crop it to a square?", "image", "edit"),
    ("can you make the video play backwards?", "video", "edit"),
    ("could you speed it up?", "video", "edit"),
    ("any chance you could mirror it?", "image", "edit"),
    ("why not make it sepia?", "image", "edit"),
]

# written after the fix, before running it on them: held out from the method's design
LATER = [
    ("why is the dog so small in this picture?", "image", "answer"),
    ("what is flipped here?", "image", "answer"),
    ("is the video upside down?", "video", "answer"),
    ("which car is blurred?", "image", "answer"),
    ("who made the background black?", "image", "answer"),
    ("why is there so much noise in the sky?", "image", "answer"),
    ("does the cat look blurry to you?", "image", "answer"),
    ("what is being zoomed in on?", "video", "answer"),
    ("were the colours inverted?", "image", "answer"),
    ("how come the picture is so grainy?", "image", "answer"),
    ("is it possible to sharpen the dog?", "image", "edit"),
    ("would you be able to remove the car?", "image", "edit"),
    ("why not crop it tighter?", "image", "edit"),
    ("could you possibly make the sky pink?", "image", "edit"),
    ("can we get rid of the people?", "image", "edit"),
    ("is there any way to slow the video down?", "video", "edit"),
]

ASKING_TOOLS = {"describe", "describe_video", "count", "count_video", "read", "ask", "detect", "video_facts"}


def verdict(plan) -> str:
    tools = [s.tool for s in plan.steps]
    if not tools:
        return "answer" if plan.answer else "none"
    if all(t in ASKING_TOOLS or t in ("segment", "track") for t in tools):
        return "answer"
    return "edit"


def main(show: bool = False) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import planning_toolbox  # the reading benchmark's own toolbox (every tool declared)

    from vitron_agent.planners.base import PlanRequest
    from vitron_agent.planners.rule import RulePlanner

    toolbox = planning_toolbox()
    planner = RulePlanner()
    halves = {"tune": [0, 0], "held-out": [0, 0], "later": [0, 0]}
    if True:
        for i, (text, medium, want) in enumerate(CASES + LATER):
            plan = planner.plan(PlanRequest(text, inputs={"input": {medium: medium}, "last": {}}), toolbox)
            got = verdict(plan)
            half = "later" if i >= len(CASES) else "tune" if i % 2 == 0 else "held-out"
            halves[half][got == want] += 1
            if show or got != want:
                steps = "; ".join(f"{s.tool}({s.args.get('operation', '')})" for s in plan.steps)
                print(
                    f"{'ok ' if got == want else 'BAD'} [{half}] {text!r}: want {want}, got {got}: {steps or plan.answer}"
                )
    for half, (bad, good) in halves.items():
        print(f"{half}: {good} right / {good + bad}")


if __name__ == "__main__":
    main("--show" in sys.argv)
