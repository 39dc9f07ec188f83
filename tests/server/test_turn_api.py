"""One object per turn, one session rule: a TurnRequest built once by each surface, a session
handle checked once under one rule (the same refusal on every surface), and the server's
owner-scoped ids as a typed value that round-trips."""

import asyncio
import base64
import dataclasses
import io

import httpx
import pytest
from PIL import Image

from tests.server.test_http import Server
from vitron_agent.core.errors import InputError
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.runtime.sessions import ScopedSession, SessionHandle
from vitron_agent.runtime.turns import TurnRequest
from vitron_agent.server import ServerSettings
from vitron_agent.storage.store import SESSION_ID_RULE

TOKEN = "turn-api-token"
BAD_IDS = ["../x", "a/b", ".hidden", "a b", "x" * 65]
LONGEST = "L" * 64  # the longest id the rule allows: fine on every surface


class RecordingAgent(Agent):
    """A real Agent that keeps every TurnRequest its surfaces hand it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requests: list[tuple[TurnRequest, SessionHandle]] = []

    def stream_turn(self, request, session=None):
        self.requests.append((request, self.session(session)))
        return super().stream_turn(request, session)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    d = tmp_path_factory.mktemp("turn-api")
    agent = RecordingAgent(db=d / "sessions.sqlite", data_dir=d / "artifacts")
    srv = Server(agent, ServerSettings(token=TOKEN))
    client = httpx.Client(base_url=srv.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    yield agent, client
    client.close()
    srv.close()
    agent.close()


def png(arr) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return buf.getvalue()


def test_turn_request_is_checked_when_built_and_frozen():
    with pytest.raises(InputError, match="instruction is empty"):
        TurnRequest("   ")
    with pytest.raises(InputError, match="keep it under 10,000"):
        TurnRequest("x" * 10_001)
    req = TurnRequest("describe it", regions=[{"type": "point", "x": 1, "y": 2}])
    assert req.regions == ({"type": "point", "x": 1, "y": 2},) and not req.review and req.progress
    with pytest.raises(dataclasses.FrozenInstanceError):
        req.text = "other"


@pytest.mark.parametrize("bad", BAD_IDS)
def test_one_session_rule_on_the_python_api(tmp_path, bad):
    agent = Agent(data_dir=tmp_path, checkpointer=False)
    for call in (
        lambda: agent.session(bad),
        lambda: agent.run("describe it", image=disc_image()[0], session=bad),
        lambda: agent.store_for(bad),
        lambda: agent.history(bad),
    ):
        with pytest.raises(InputError) as err:
            call()
        assert SESSION_ID_RULE in str(err.value) and "pick another id" in str(err.value)
    assert not (tmp_path / "x").exists()


def test_a_session_handle_is_checked_once_and_creates_nothing_until_used(tmp_path):
    agent = Agent(data_dir=tmp_path / "a")
    handle = agent.session(LONGEST)
    assert handle.id == handle.public == LONGEST and handle.config["configurable"]["thread_id"] == LONGEST
    assert not (tmp_path / "a" / LONGEST).exists()  # naming a session makes no folder
    assert agent.session(handle) is handle
    result = agent.run_turn(TurnRequest("segment the red disc", image=disc_image()[0]), handle)
    assert result.ok and result.session == LONGEST and (tmp_path / "a" / LONGEST).is_dir()
    assert handle.store is agent.store_for(LONGEST)
    with handle.turn_lock():  # re-entrant in this thread: a review inside a turn
        assert agent.history(handle)[-1]["request"] == "segment the red disc"
    new = agent.session()
    assert len(new.id) == 12 and new.id != agent.session().id


def test_run_and_stream_build_a_turn_request(tmp_path):
    agent = RecordingAgent(data_dir=tmp_path)
    image = disc_image()[0]
    agent.run("segment the red disc", image=image, session="s1", review=False)
    list(agent.stream("describe it", session="s1", progress=False))
    (first, h1), (second, h2) = agent.requests
    assert isinstance(first, TurnRequest) and first.image is image and first.text == "segment the red disc"
    assert first.progress is False  # no on_event: no progress events are made
    assert second.image is None and second.progress is False and h1.id == h2.id == "s1"


def test_scoped_session_round_trip():
    scope = ScopedSession("t0123456789ab", "my.session-1")
    assert scope.internal == "t0123456789ab-my.session-1"
    assert ScopedSession.from_internal(scope.internal) == scope
    assert ScopedSession.from_internal("local-" + LONGEST) == ScopedSession("local", LONGEST)
    for plain in ("my-session", "batch-0123", "tZZ-x", "local"):
        assert ScopedSession.from_internal(plain) is None
    with pytest.raises(InputError, match="pick another id"):
        ScopedSession("local", "../x")
    with pytest.raises(ValueError, match="owner must be"):
        ScopedSession("someone", "x")


def test_a_server_sessions_own_id_names_the_same_handle(tmp_path):
    agent = Agent(data_dir=tmp_path, checkpointer=False)
    scope = ScopedSession("local", LONGEST)
    handle = agent.session(scope.internal)  # as a RunResult or a ref of a server session names it
    assert handle.id == scope.internal and handle.public == LONGEST
    assert agent.session(scope) == handle
    assert agent.session("local-short").public == "local-short"  # an id the rule allows stays as it is
    with pytest.raises(InputError, match="pick another id"):
        agent.session("local-" + "x" * 65)


def test_the_http_server_passes_one_turn_request_with_the_agents_ids(served):
    agent, c = served
    ref = c.post(f"/v1/sessions/{LONGEST}/media", content=png(disc_image()[0])).json()
    assert ref["session"] == LONGEST  # the client sees its own id, never the owner-scoped one
    agent.requests.clear()
    out = c.post(f"/v1/sessions/{LONGEST}/runs", json={"text": "segment the red disc", "image": ref})
    assert out.status_code == 200 and out.json()["session"] == LONGEST, out.text
    assert f"/v1/sessions/{LONGEST}/artifacts/" in out.json()["steps"][0]["outputs"]["mask"]["path"]
    [(request, handle)] = agent.requests
    scope = ScopedSession.from_internal(handle.id)
    assert scope is not None and scope.public == LONGEST == handle.public and scope.owner.startswith("t")
    assert isinstance(request, TurnRequest) and request.image["session"] == handle.id  # mapped once, typed
    listed = {s["id"] for s in c.get("/v1/sessions").json()}
    assert LONGEST in listed and handle.id not in listed
    assert c.get(f"/v1/sessions/{LONGEST}").json()["last"]["image"]["session"] == LONGEST


def test_the_openai_endpoint_passes_one_turn_request(served):
    agent, c = served
    agent.requests.clear()
    url = "data:image/png;base64," + base64.b64encode(png(disc_image()[0])).decode()
    body = {
        "model": "vitron-agent",
        "user": "oa",
        "messages": [
            {
                "role": "user",
                "content": [{"type": "text", "text": "segment the red disc"}, {"type": "image_url", "image_url": url}],
            }
        ],
    }
    out = c.post("/v1/chat/completions", json=body)
    assert out.status_code == 200 and out.json()["vitron_session"] == "oa", out.text
    [(request, handle)] = agent.requests
    assert request.text == "segment the red disc" and request.image["session"] == handle.id != "oa"


@pytest.mark.parametrize("bad", ["x" * 65, "a..b", "-lead"])
def test_one_session_rule_on_every_server_surface(served, bad):
    _, c = served
    refusals = [
        c.post(f"/v1/sessions/{bad}/runs", json={"text": "describe it"}),
        c.get(f"/v1/sessions/{bad}"),
        c.post(f"/v1/sessions/{bad}/media", content=png(disc_image()[0])),
    ]
    for r in refusals:
        assert r.status_code == 422 and SESSION_ID_RULE in r.json()["detail"], r.text
    chat = c.post("/v1/chat/completions", json={"user": bad, "messages": [{"role": "user", "content": "describe it"}]})
    assert chat.status_code == 422 and SESSION_ID_RULE in chat.json()["error"]["message"], chat.text


def test_one_session_rule_on_mcp_and_the_langgraph_app(tmp_path):
    from mcp.server.mcpserver.exceptions import ToolError

    from vitron_agent.server.langgraph_app import build_app_graph
    from vitron_agent.server.mcp_server import build_mcp_server

    agent = Agent(data_dir=tmp_path / "d", checkpointer=False)
    server = build_mcp_server(agent)
    with pytest.raises(ToolError) as refused:
        asyncio.run(server.call_tool("run", {"instruction": "describe it", "session_id": "x" * 65}))
    assert SESSION_ID_RULE in str(refused.value)
    asyncio.run(server.call_tool("run", {"instruction": "describe it", "session_id": LONGEST}))
    assert agent.history(LONGEST) == []  # no checkpointer: ran, and kept nothing
    app = build_app_graph(agent)
    with pytest.raises(InputError, match="pick another id"):
        app.invoke({"request": "describe it"}, {"configurable": {"thread_id": "x" * 65}})
    out = app.invoke({"request": "describe it"}, {"configurable": {"thread_id": LONGEST}})
    assert out["session"] == LONGEST
