"""The real server (default agent, bearer token "t") under server_config with a head deadline and
connection cap chosen by the test: serve_guarded.py DATA PORT HEAD_TIMEOUT MAX_CONNECTIONS"""

import sys
from pathlib import Path

import uvicorn

from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings, create_app
from vitron_agent.server.transport import server_config

data, port, head_timeout, cap = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
agent = Agent(db=data / "sessions.sqlite", data_dir=data / "artifacts")
app = create_app(agent, ServerSettings(token="t"))
uvicorn.Server(server_config(app, "127.0.0.1", port, head_timeout=head_timeout, max_connections=cap)).run()
