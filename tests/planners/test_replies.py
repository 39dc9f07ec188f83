"""Recorded model replies (tests/planners/replies/: one shape each, the provider named in the
file, the expected outcome beside it) through every path that reads such replies: the
OpenAI-compatible planner against a loopback server, the chat-model planner with fake
LangChain models, and ``vitron-agent plan --replay``."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from vitron_agent.core.errors import PlanValidationError
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.chat import ChatModelPlanner
from vitron_agent.planners.openai_compat import OpenAICompatPlanner
from vitron_agent.planners.replay import ReplayPlanner
from vitron_agent.toolkit.plan import Plan, validate_plan
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

CORPUS = sorted((Path(__file__).parent / "replies").glob("*.json"))
IMG = {"input": {"image": "image"}, "last": {}}
TOOLBOX = Toolbox(default_tools())
REQUEST = "segment the red disc and make it blue"


def envelope(path: Path) -> dict:
    return json.loads(path.read_text())


def ids(paths):
    return [p.stem for p in paths]


def test_the_corpus_is_broad():
    envs = [envelope(p) for p in CORPUS]
    assert len(envs) >= 30
    assert all(e["provider"] and e["format"] in ("openai", "langchain", "tags", "text") for e in envs)
    kinds = {next(iter(set(e["expect"]) & {"tools", "answer", "repair"})) for e in envs}
    assert kinds == {"tools", "answer", "repair"}


def check(env: dict, outcome: Plan | PlanValidationError) -> None:
    expect = env["expect"]
    if "repair" in expect:
        assert isinstance(outcome, PlanValidationError), f"expected a repair message, got {outcome!r}"
        assert expect["repair"] in " | ".join(outcome.problems), outcome.problems
        return
    assert isinstance(outcome, Plan), f"expected a plan, got the repair {getattr(outcome, 'problems', outcome)}"
    if "tools" in expect:
        assert [s.tool for s in outcome.steps] == expect["tools"]
        assert validate_plan(outcome, TOOLBOX, IMG) == []
    if "answer" in expect:
        assert outcome.steps == [] and expect["answer"] in (outcome.answer or "")
    if "reasoning" in expect:
        assert expect["reasoning"] in (outcome.reasoning or "")
    for shown in (outcome.answer or "", *outcome.notes):
        assert "<think" not in shown.lower() and "</think" not in shown.lower()
        if "not_in_answer" in expect:
            assert expect["not_in_answer"] not in shown


def outcome_of(planner) -> Plan | PlanValidationError:
    try:
        return planner.plan(PlanRequest(text=REQUEST, inputs=IMG), TOOLBOX)
    except PlanValidationError as exc:
        return exc


# -- the OpenAI-compatible planner, against a loopback server replaying each body ----------------
class _Replayer(BaseHTTPRequestHandler):
    body: dict = {}
    seen: list = []

    def do_POST(self):  # noqa: N802
        n = int(self.headers.get("Content-Length", 0))
        type(self).seen.append(json.loads(self.rfile.read(n)))
        data = json.dumps(type(self).body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Replayer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


OPENAI = [p for p in CORPUS if envelope(p)["format"] in ("openai", "text")]


@pytest.mark.parametrize("path", OPENAI, ids=ids(OPENAI))
def test_openai_compatible_planner(server, path):
    env = envelope(path)
    reply = env["reply"]
    if env["format"] == "text":
        reply = {"choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}]}
    _Replayer.body = reply
    planner = OpenAICompatPlanner(server, model="recorded", mode=env["mode"], max_retries=0, deadline=10)
    check(env, outcome_of(planner))
    sent = _Replayer.seen[-1]
    assert ("tools" in sent) == (env["mode"] == "tools")


# -- the chat-model planner, with fake LangChain chat models -------------------------------------
def _ai_message(env: dict):
    from langchain_core.messages import AIMessage

    reply = env["reply"]
    if env["format"] == "text":
        return AIMessage(content=reply)
    reply = reply.get("kwargs", reply) if reply.get("lc") else reply  # dumpd's constructor form
    keys = ("content", "tool_calls", "invalid_tool_calls", "additional_kwargs", "response_metadata", "id")
    return AIMessage(**{k: reply[k] for k in keys if k in reply})


def _fake(message, tools: bool):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    class Scripted(GenericFakeChatModel):
        def bind_tools(self, tools, **kwargs):
            return self

    return (Scripted if tools else GenericFakeChatModel)(messages=iter([message]))


CHAT = [p for p in CORPUS if envelope(p)["format"] in ("langchain", "text")]


@pytest.mark.parametrize("path", CHAT, ids=ids(CHAT))
def test_chat_model_planner(path):
    env = envelope(path)
    planner = ChatModelPlanner(_fake(_ai_message(env), tools=env["mode"] == "tools"))
    outcome = outcome_of(planner)
    assert isinstance(outcome, PlanValidationError) == ("repair" in env["expect"]), outcome
    check(env, outcome)


# -- the CLI's --replay, on every recording ------------------------------------------------------
@pytest.mark.parametrize("path", CORPUS, ids=ids(CORPUS))
def test_cli_replay(path, capsys):
    from vitron_agent.cli import main

    env = envelope(path)
    rc = main(["plan", "--image", "photo.png", "--replay", str(path), "--json", REQUEST])
    out = json.loads(capsys.readouterr().out)
    if "repair" in env["expect"]:
        assert rc == 1 and out["repair"] and env["expect"]["repair"] in " | ".join(out["problems"])
    else:
        assert rc == 0 and not out["repair"] and out["problems"] == []
        assert [s["tool"] for s in out["steps"]] == env["expect"].get("tools", [])
    check(env, outcome_of(ReplayPlanner([env["reply"]], env["format"], env["mode"])))  # the Python API, same outcome


def test_cli_replay_as_a_user_types_it(tmp_path):
    raw = tmp_path / "reply.txt"
    raw.write_text(
        '<think>hmm {"steps": []}</think>\n<tool_call>\n{"name": "count", "arguments": '
        '{"image": "$input.image", "color": "red"}}\n</tool_call>'
    )
    exe = str(Path(sys.executable).parent / "vitron-agent")
    p = subprocess.run(
        [exe, "plan", "--image", "x.png", "--replay", str(raw), "--format", "text", "count red things"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert (
        's1: count(image="$input.image", color="red")' in p.stdout
        and "reasoning (kept out of answers): hmm" in p.stdout
    )
    p = subprocess.run(
        [exe, "plan", "--image", "x.png", "--replay", str(raw), "count"], capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 2 and "--format" in p.stderr  # a raw file needs --format; one line, exit 2


def test_agent_repairs_a_cut_off_reply_then_runs(tmp_path):
    from vitron_agent.media.synthetic import disc_image
    from vitron_agent.runtime.agent import Agent

    cut = {
        "choices": [
            {
                "message": {"content": '{"steps": [{"id": "s1", "tool": "count", "args": {"image": "$inp'},
                "finish_reason": "length",
            }
        ]
    }
    good = {
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
    planner = ReplayPlanner([cut, good], "openai", "json")
    r = Agent(planner=planner, data_dir=tmp_path).run("how many red things?", image=disc_image()[0])
    assert r.ok and r.step("s1").outputs["count"]["value"] == 1
    assert len(planner.requests) == 2 and "cut off at the token limit" in planner.requests[1].feedback[0]


def test_cli_replay_places_a_normalised_region_on_the_given_photo(tmp_path):
    """`plan --replay FILE --image PHOTO`: the photo's size comes from its header, so a region in
    0..1 units lands in its pixels (it used to say it could not place it without an image)."""
    from PIL import Image

    photo = tmp_path / "wide.png"
    Image.new("RGB", (400, 200)).save(photo)
    raw = tmp_path / "reply.txt"
    raw.write_text(
        "Sure! <module>B</module> <instruction>segmentation: the dog</instruction> "
        "<region>[0.1, 0.2, 0.5, 0.8]</region>"
    )
    exe = str(Path(sys.executable).parent / "vitron-agent")
    p = subprocess.run(
        [exe, "plan", "--image", str(photo), "--replay", str(raw), "--format", "tags", "--json", "segment the dog"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    box = json.loads(p.stdout)["steps"][0]["args"]["box"]
    assert (box["x1"], box["y1"], box["x2"], box["y2"]) == pytest.approx((40, 40, 200, 160))
    assert "without an image" not in p.stdout
