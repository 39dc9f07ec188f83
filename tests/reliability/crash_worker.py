"""A process the crash-resume test kills: a 4-step chain of slow deterministic steps with a
SQLite session. Usage: crash_worker.py run|resume|committed DB MARKERS"""

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from pydantic import Field

from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.testing.stub_tools import ImageIn, ImageOut
from vitron_agent.toolkit.tool import Toolbox, VisionTool


class In(ImageIn):
    shift: int = Field(description="how far to roll the pixels")


class SlowRoll(VisionTool):
    """Deterministic: rolls the image and brightens it; leaves a marker per execution."""

    name = "roll"
    description = "roll the image"
    Input = In
    Output = ImageOut

    def __init__(self, markers: Path):
        self.markers = markers

    def run(self, inp, ctx):
        (self.markers / f"{ctx.step_id}-{os.getpid()}-{time.time_ns()}").touch()
        time.sleep(0.8)
        img = np.roll(ctx.store.get_image(inp.image), inp.shift, axis=1)
        out = np.clip(img.astype(int) + 7, 0, 255).astype(np.uint8)
        return ImageOut(image=ctx.store.put_image(out, producer=ctx.step_id))


PLAN = {
    "steps": [
        {
            "id": f"s{i}",
            "tool": "roll",
            "args": {"image": "$input.image" if i == 1 else f"$s{i - 1}.image", "shift": 3 * i},
        }
        for i in range(1, 5)
    ]
}


def main() -> None:
    mode, db, markers = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    markers.mkdir(parents=True, exist_ok=True)
    with Agent(toolbox=Toolbox([SlowRoll(markers)]), planner=ScriptedPlanner([PLAN]), db=db) as agent:
        if mode == "committed":  # the step records checkpointed so far (nothing runs)
            records = agent.graph.get_state(agent._config("crash")).values.get("records") or {}
            print(json.dumps(sorted(sid for sid, r in records.items() if r.get("status") == "ok")))
            return
        if mode == "run":
            img = np.arange(24 * 32 * 3, dtype=np.uint32).reshape(24, 32, 3).astype(np.uint8)
            result = agent.run("roll four times", image=img, session="crash")
        else:
            result = agent.resume("crash")
    print(json.dumps({s.id: [s.status, s.outputs.get("image", {}).get("value", {}).get("id")] for s in result.steps}))


if __name__ == "__main__":
    main()
