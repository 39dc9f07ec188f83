"""Planner I/O at its edges: bounded time against hung and rate-limiting endpoints, and
repair conversations that strict chat APIs accept."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vitron_agent.core.errors import PlannerError
from vitron_agent.media.synthetic import disc_image
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.chat import ChatModelPlanner
from vitron_agent.planners.openai_compat import OpenAICompatPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.toolkit.tool import Toolbox

IMG = {"input": {"image": "image"}, "last": {}}
GOOD = {
    "choices": [
        {
            "message": {
                "content": None,
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "count", "arguments": '{"image": "$input.image", "color": "red"}'},
                    }
                ],
            },
            "finish_reason": "tool_calls",
        }
    ]
}


def serve(script):
    """A loopback endpoint answering the n-th POST with ``script[n]``: (status, headers, body) or "hang"."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append(time.monotonic())
            step = script[min(len(seen) - 1, len(script) - 1)]
            if step == "hang":
                time.sleep(30)
                return
            status, headers, body = step
            data = json.dumps(body).encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/v1", seen


def plan_with(planner):
    from vitron_agent.tools import default_tools

    return planner.plan(PlanRequest(text="count the red things", inputs=IMG), Toolbox(default_tools()))


@pytest.mark.timeout(30)
def test_a_hung_endpoint_fails_the_plan_within_the_deadline():
    httpd, url, seen = serve(["hang"])
    try:
        with pytest.raises(PlannerError, match=r"within the 1\.5 s planning deadline"):
            plan_with(OpenAICompatPlanner(url, "m", deadline=1.5, max_retries=3))
        assert 1 <= len(seen) <= 4
    finally:
        httpd.shutdown()


def test_retry_after_past_the_deadline_fails_at_once_and_a_short_one_is_honoured():
    httpd, url, seen = serve([(429, {"Retry-After": "120"}, {"error": "rate limited"})])
    try:
        with pytest.raises(PlannerError, match=r"retry after 120 s, past the planning deadline"):
            plan_with(OpenAICompatPlanner(url, "m", deadline=60))
        assert len(seen) == 1  # no 120 s wait, no blind retries
    finally:
        httpd.shutdown()
    httpd, url, seen = serve([(503, {"Retry-After": "0.3"}, {"error": "busy"}), (200, {}, GOOD)])
    try:
        plan = plan_with(OpenAICompatPlanner(url, "m", deadline=30))
        assert [s.tool for s in plan.steps] == ["count"] and len(seen) == 2 and seen[1] - seen[0] >= 0.25
    finally:
        httpd.shutdown()


def test_repair_conversations_answer_every_tool_call_id(tmp_path):
    """A strict API (OpenAI) answers 400 when an assistant tool-call id, valid or invalid, has
    no tool message; the fake model here enforces that."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage, ToolMessage

    first = AIMessage(
        content="",
        tool_calls=[{"name": "segmnet", "args": {"image": "$input.image"}, "id": "call_ok"}],
        invalid_tool_calls=[
            {"name": "count", "args": '{"image": "$input.im', "id": "call_bad", "error": "not valid JSON"}
        ],
    )
    second = AIMessage(
        content="", tool_calls=[{"name": "count", "args": {"image": "$input.image", "color": "red"}, "id": "call_2"}]
    )

    class Strict(GenericFakeChatModel):
        seen: list = []

        def bind_tools(self, tools, **kwargs):
            return self

        def _generate(self, messages, *args, **kwargs):
            self.seen.append(list(messages))
            for i, m in enumerate(messages):
                if isinstance(m, AIMessage):
                    ids = {c["id"] for c in [*m.tool_calls, *m.invalid_tool_calls]}
                    answered = {t.tool_call_id for t in messages[i + 1 :] if isinstance(t, ToolMessage)}
                    if ids - answered:
                        raise ValueError(f"400: tool_call_ids without tool messages: {sorted(ids - answered)}")
            return super()._generate(messages, *args, **kwargs)

    model = Strict(messages=iter([first, second]))
    r = Agent(planner=ChatModelPlanner(model), data_dir=tmp_path).run("count the red things", image=disc_image()[0])
    assert r.ok and [s.tool for s in r.steps] == ["count"], r.answer
    repair = model.seen[1]
    assert {m.tool_call_id for m in repair if isinstance(m, ToolMessage)} == {"call_ok", "call_bad"}


@pytest.mark.timeout(30)
def test_a_hung_chat_model_fails_the_plan_within_the_deadline():
    import threading as th

    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    release = th.Event()

    class Hung(GenericFakeChatModel):
        def bind_tools(self, tools, **kwargs):
            return self

        def _generate(self, *args, **kwargs):
            release.wait(20)
            return super()._generate(*args, **kwargs)

    from langchain_core.messages import AIMessage

    try:
        with pytest.raises(PlannerError, match=r"no reply within the 0\.5 s planning deadline"):
            plan_with(ChatModelPlanner(Hung(messages=iter([AIMessage(content="late")])), deadline=0.5))
    finally:
        release.set()
