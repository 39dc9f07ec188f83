"""A server whose only tool is the crash worker's slow deterministic step: serve_slow.py DATA MARKERS PORT"""

import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from crash_worker import PLAN, SlowRoll  # noqa: E402

from vitron_agent.planners.base import ScriptedPlanner  # noqa: E402
from vitron_agent.runtime.agent import Agent  # noqa: E402
from vitron_agent.server import ServerSettings, create_app  # noqa: E402
from vitron_agent.toolkit.tool import Toolbox  # noqa: E402

data, markers, port = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
markers.mkdir(parents=True, exist_ok=True)
agent = Agent(
    toolbox=Toolbox([SlowRoll(markers)]),
    planner=ScriptedPlanner([PLAN]),
    db=data / "sessions.sqlite",
    data_dir=data / "artifacts",
)
uvicorn.run(create_app(agent, ServerSettings(token="t")), host="127.0.0.1", port=port, log_level="warning")
