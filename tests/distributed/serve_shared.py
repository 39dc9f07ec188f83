"""One of several servers on one PostgreSQL database and one S3 bucket, with the crash worker's
slow deterministic tool: serve_shared.py DB_URL ARTIFACTS_URL LOCAL_DIR MARKERS PORT"""

import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from crash_worker import PLAN, SlowRoll  # noqa: E402

from vitron_agent.planners.base import ScriptedPlanner  # noqa: E402
from vitron_agent.runtime.agent import Agent  # noqa: E402
from vitron_agent.server import ServerSettings, create_app  # noqa: E402
from vitron_agent.toolkit.tool import Toolbox  # noqa: E402

db, artifacts, local, markers, port = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
markers.mkdir(parents=True, exist_ok=True)
agent = Agent(
    toolbox=Toolbox([SlowRoll(markers)]), planner=ScriptedPlanner([PLAN]), db=db, artifacts=artifacts, data_dir=local
)
uvicorn.run(
    create_app(agent, ServerSettings(token="t", max_running=4)), host="127.0.0.1", port=port, log_level="warning"
)
