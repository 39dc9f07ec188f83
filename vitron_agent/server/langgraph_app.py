"""The agent as a graph for the LangGraph server (``langgraph.json``) or for your own graphs.

``build_app_graph()`` wraps the agent graph in a small outer graph whose input is what a
client naturally sends -- ``{"request": "...", "image": "data:image/png;base64,..."}`` or
``"video": "data:video/mp4;base64,..."`` -- and whose ``prepare`` node ingests the media into
the artifact store of the session
(the LangGraph thread id) before the agent subgraph plans and runs. The agent graph is
compiled without a checkpointer so the host (LangGraph server, or your graph) supplies one.

Settings: ``VITRON_CONFIG`` (vitron.toml) and ``VITRON_DATA`` (artifact folder, default
``./vitron-data/artifacts``).
"""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any, TypedDict

__all__ = ["build_app_graph", "make_graph", "cached_graph", "AppInput"]


class AppInput(TypedDict, total=False):
    request: str
    image: str
    video: str
    session: str


def build_app_graph(agent=None, checkpointer=None):
    """Outer graph: prepare (ingest the image, set up the turn) -> agent subgraph. ``checkpointer``:
    None when a host (the LangGraph server) supplies one."""
    from langgraph.config import get_config
    from langgraph.graph import END, START, StateGraph

    from vitron_agent.graphs.agent_graph import AgentState, build_agent_graph
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.server.transport import data_url_bytes

    if agent is None:
        data = os.environ.get("VITRON_DATA", "vitron-data/artifacts")
        agent = Agent.from_config(os.environ.get("VITRON_CONFIG"), data_dir=data, checkpointer=False)
    inner = build_agent_graph(
        agent.toolbox,
        agent.planner,
        agent.runner,
        None,
        agent.config.agent.max_react_rounds,
        agent.config.agent.scheduler,
        agent.config.agent.max_parallel_steps,
        agent.config.agent.max_plan_steps,
    )

    class AppState(AgentState, total=False):
        image: str
        video: str
        given: dict[str, Any]
        unknown: list[str]

    def prepare(state: AppState) -> dict[str, Any]:
        from vitron_agent.runtime.turns import TurnRequest, turn_input

        given = state.get("given") or {}
        _check_input(given)
        thread = (get_config().get("configurable") or {}).get("thread_id")
        session = agent.session(given.get("session") or (str(thread) if thread else "default"))
        request = TurnRequest(
            given.get("request") or "",
            image=data_url_bytes(given["image"]) if given.get("image") else None,
            video=data_url_bytes(given["video"], "video") if given.get("video") else None,
        )
        # the same turn set-up as Agent.run: a new image drops the last turn's masks, "it" carries over
        turn = turn_input(request, session, dict(state.get("last") or {}), agent.config)
        return {**turn, "image": "", "video": ""}

    g = StateGraph(AppState, input_schema=AppInput)
    g.add_node("take", _take_input)
    g.add_node("prepare", prepare)
    g.add_node("agent", inner)
    g.add_edge(START, "take")
    g.add_edge("take", "prepare")
    g.add_node("done", _turn_done)
    g.add_edge("prepare", "agent")
    g.add_edge("agent", "done")
    g.add_edge("done", END)
    return _refuse_unknown_keys(g.compile(checkpointer=checkpointer))


NO_REQUEST = (
    'the input has no "request" (the instruction): send {"request": "...", "image": "data:image/png;base64,..."} '
    "with each turn; a thread keeps its pictures and results, not its last request"
)
NOT_TEXT = 'the input\'s "{name}" must be a string ({what}), not {got}'
_WHAT = {
    "request": "the instruction",
    "image": "a data:image/...;base64 URL",
    "video": "a data:video/...;base64 URL",
    "session": "a session id",
}


UNKNOWN_KEY = 'unknown input key "{key}"{hint}: the app\'s input keys are "request", "image", "video" and "session"'


def _unknown_keys(value: Any) -> tuple[tuple[str, Any], ...]:
    """The input's keys that are not the app's (LangGraph maps only the input schema's keys, so a
    misspelt "imgae" was dropped and the turn ran without the picture, said done)."""
    if not isinstance(value, dict):
        return ()
    return (("unknown", sorted(str(key) for key in value if key not in _WHAT)),)


def _refuse_unknown_keys(app):
    """Let the graph's entry see the whole input: one more writer on LangGraph's START node notes the
    keys its input schema drops, and ``prepare`` refuses them by name. If LangGraph's internals move,
    the app still runs (the refusal of a turn without "request" lists the keys)."""
    try:
        from langgraph.constants import START
        from langgraph.pregel._write import ChannelWrite, ChannelWriteTupleEntry

        node = app.nodes[START]
        extra = ChannelWrite((ChannelWriteTupleEntry(mapper=_unknown_keys),))
        app.nodes[START] = node.copy({"writers": [*node.writers, extra]})
    except (ImportError, AttributeError, KeyError, TypeError):  # pragma: no cover - other LangGraph
        pass
    return app


def _take_input(state: dict[str, Any]) -> dict[str, Any]:
    """This turn's input, taken out of the thread's state before anything can fail: the state outlives
    the turn, so a next input without "request" ran this one again (said done), and a refused request
    or session id was refused again on every later turn of the thread. A valid session id stays."""
    from vitron_agent.runtime.sessions import validate_session_id

    given = {name: state.get(name) for name in _WHAT}
    given["unknown"] = list(state.get("unknown") or [])
    session = given["session"]
    try:
        kept = validate_session_id(session) if isinstance(session, str) and session else ""
    except ValueError:
        kept = ""
    return {"given": given, "request": "", "image": "", "video": "", "session": kept, "unknown": []}


def _turn_done(state: dict[str, Any]) -> dict[str, Any]:
    """The request leaves the thread's state with its turn (a next input without one is refused, not
    run again); the answer, records and session stay for the client to read."""
    return {"request": ""}


def _check_input(state: dict[str, Any]) -> None:
    """Each input field is text, and a turn has a request (a number as the image had been a TypeError,
    a turn without "request" had run the thread's previous request again, said done)."""
    import difflib

    from vitron_agent.core.errors import InputError

    for key in state.get("unknown") or []:
        close = difflib.get_close_matches(key.lower(), list(_WHAT), n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise InputError(UNKNOWN_KEY.format(key=key[:60], hint=hint))
    for name, what in _WHAT.items():
        value = state.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(NOT_TEXT.format(name=name, what=what, got=type(value).__name__))
    if not (state.get("request") or "").strip():
        raise InputError(NO_REQUEST)


_GRAPH = None
_LOCK = threading.Lock()


def cached_graph():
    """The app graph, built once per process (its Agent creates folders and loads config)."""
    global _GRAPH
    with _LOCK:
        if _GRAPH is None:
            _GRAPH = build_app_graph()
        return _GRAPH


async def make_graph():
    """Graph factory for ``langgraph.json``. The server calls it for every run inside its event
    loop, so the one-time, blocking set-up runs in a worker thread."""
    return await asyncio.to_thread(cached_graph)
