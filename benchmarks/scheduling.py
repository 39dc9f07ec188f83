"""Dataflow vs wave scheduling: scripted plans of sleeping tools with known durations
(chains, diamonds, fan-out/fan-in, uneven branches) through the Agent, each with the
``dataflow`` scheduler (a step starts when its own inputs are ready) and the earlier
``waves`` scheduler (a round starts when the whole previous round is done), side by side.

Prints, per shape: the critical path (longest chain of durations), the makespan (first
step start to last step end, from the tools' own clocks) and makespan / critical path
(target <= 1.10 for every shape). Then the per-step orchestration overhead against a bare
LangGraph graph with the same checkpointer (benchmarks/overhead.py), both schedulers.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from typing import Any

from pydantic import Field

from vitron_agent.core.refs import ImageRef
from vitron_agent.testing.stub_tools import ImageIn, ImageOut
from vitron_agent.toolkit.tool import VisionTool

UNIT = 0.1  # seconds per duration unit


class _In(ImageIn):
    units: float = Field(description="how long to sleep, in units")
    after: list[ImageRef] = Field(default_factory=list, description="outputs this step waits for")


class Sleep(VisionTool):
    """Sleeps ``units`` x UNIT seconds and records when it ran (its own clock)."""

    name = "sleep"
    description = "sleeps"
    Input = _In
    Output = ImageOut

    def __init__(self) -> None:
        self.spans: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def run(self, inp: _In, ctx) -> ImageOut:
        start = time.perf_counter()
        time.sleep(inp.units * UNIT)
        with self._lock:
            self.spans[ctx.step_id] = (start, time.perf_counter())
        return ImageOut(image=inp.image)


# shape -> {step: (units, [dependencies])}
SHAPES: dict[str, dict[str, tuple[float, list[str]]]] = {
    "chain of 4": {"s1": (1, []), "s2": (1, ["s1"]), "s3": (1, ["s2"]), "s4": (1, ["s3"])},
    "diamond, uneven arms": {
        "s1": (1, []),
        "s2": (3, ["s1"]),
        "s3": (1, ["s1"]),
        "s4": (1, ["s3"]),
        "s5": (1, ["s2", "s4"]),
    },
    "fan-out 6 / fan-in": {
        "s1": (1, []),
        **{f"s{i}": (float(i - 1), ["s1"]) for i in range(2, 8)},
        "s8": (1, [f"s{i}" for i in range(2, 8)]),
    },
    "describe || segment -> edit -> describe": {"s1": (5, []), "s2": (1, []), "s3": (1, ["s2"]), "s4": (1, ["s3"])},
    "two uneven chains": {
        "s1": (4, []),
        "s2": (1, ["s1"]),
        "s3": (1, []),
        "s4": (1, ["s3"]),
        "s5": (1, ["s4"]),
        "s6": (1, ["s5"]),
        "s7": (1, ["s6"]),
    },
}


def plan_for(shape: dict[str, tuple[float, list[str]]]) -> dict[str, Any]:
    steps = []
    for sid, (units, deps) in shape.items():
        steps.append(
            {
                "id": sid,
                "tool": "sleep",
                "args": {"image": "$input.image", "units": units, "after": [f"${d}.image" for d in deps]},
            }
        )
    return {"steps": steps}


def critical_path(shape: dict[str, tuple[float, list[str]]]) -> float:
    finish: dict[str, float] = {}
    for sid, (units, deps) in shape.items():  # listed in dependency order
        finish[sid] = max((finish[d] for d in deps), default=0.0) + units * UNIT
    return max(finish.values())


def makespan(shape, scheduler: str, checkpointer: str, d: str, repeat: int = 3) -> float:
    import numpy as np

    from vitron_agent.planners.base import ScriptedPlanner
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.toolkit.config import Config
    from vitron_agent.toolkit.tool import Toolbox

    tool = Sleep()
    config = Config.model_validate({"agent": {"scheduler": scheduler}})
    kw: dict[str, Any] = {"db": f"{d}/{scheduler}-{time.perf_counter_ns()}.sqlite"} if checkpointer == "sqlite" else {}
    agent = Agent(toolbox=Toolbox([tool]), planner=ScriptedPlanner([plan_for(shape)]), data_dir=d, config=config, **kw)
    spans = []
    try:
        for i in range(repeat):
            tool.spans.clear()
            r = agent.run("go", image=np.zeros((8, 8, 3), np.uint8), session=f"m{i}")
            if not r.ok:
                raise RuntimeError(r.answer)
            spans.append(max(e for _, e in tool.spans.values()) - min(s for s, _ in tool.spans.values()))
    finally:
        agent.close()
    return statistics.median(spans)


def main(checkpointer: str = "sqlite") -> list[str]:
    import overhead

    lines = [
        f"Sleeping tools, 1 unit = {UNIT:g} s; {checkpointer} checkpointer; medians of 3 runs.",
        "",
        "| shape | critical path s | dataflow makespan s | dataflow / critical | waves makespan s | waves / critical |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as d:
        for name, shape in SHAPES.items():
            cp = critical_path(shape)
            flow, waves = makespan(shape, "dataflow", checkpointer, d), makespan(shape, "waves", checkpointer, d)
            lines.append(f"| {name} | {cp:.2f} | {flow:.2f} | {flow / cp:.2f}x | {waves:.2f} | {waves / cp:.2f}x |")
    lines += [
        "",
        "Per-step overhead, no-op steps, against a bare LangGraph graph with the same checkpointer:",
        "",
        "| steps | shape | checkpointer | dataflow µs/step | waves µs/step | bare µs/step | dataflow / bare | waves / bare |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in ("memory", "sqlite"):
        for n in (8, 32):
            for chained in (True, False):
                flow, bare = overhead.measure(n, chained, kind, scheduler="dataflow")
                waves, _ = overhead.measure(n, chained, kind, scheduler="waves")
                lines.append(
                    f"| {n} | {'chained' if chained else 'parallel'} | {kind} | {flow:.0f} | {waves:.0f} | "
                    f"{bare:.0f} | {flow / bare:.2f}x | {waves / bare:.2f}x |"
                )
    return lines


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    print("\n".join(main()))
