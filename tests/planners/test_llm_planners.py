"""The Vitron (local transformers), chat-model and OpenAI-compatible planners, end to end."""

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import torch

from vitron_agent.loading.models import ModelPool
from vitron_agent.media.synthetic import disc_image
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.chat import ChatModelPlanner
from vitron_agent.planners.openai_compat import OpenAICompatPlanner
from vitron_agent.planners.vitron import VitronPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.runtime.toolset import build_toolbox
from vitron_agent.toolkit.config import load_config
from vitron_agent.toolkit.registry import default_backends
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools
from vitron_agent.vitron.heads import load_heads, save_heads

IMG = {"input": {"image": "image"}, "last": {}}

CV_TOOLS = {t for t, b in default_backends().items() if b != "none"}  # the tools with a built-in default


@pytest.fixture(scope="module")
def tiny_box(tiny_dir):
    return build_toolbox(load_config(tiny_dir / "vitron.toml"))


def test_constrained_mode_always_emits_a_parseable_plan_with_valid_tools(tiny_dir):
    box = Toolbox(default_tools())
    planner = VitronPlanner(
        str(tiny_dir / "planner-llm"), mode="constrained", device="cpu", do_sample=True, pool=ModelPool()
    )
    for seed in range(20):
        planner.seed = seed
        plan = planner.plan(PlanRequest(text="segment the cat, then describe it", inputs=IMG), box)
        assert all(step.tool in box for step in plan.steps), plan


def test_seg_and_gen_embeddings_drive_sam_and_diffusers(tiny_dir, tiny_box, tmp_path):
    planner = VitronPlanner(
        str(tiny_dir / "planner-llm"), mode="tags", max_new_tokens=64, device="cpu", pool=ModelPool()
    )
    lm = planner.pool.get(planner.key, lambda: planner._load(tiny_box))
    script = (
        "A cat. <module>B</module><instruction>segmentation: the cat [SEG]</instruction>"
        "<module>A</module><instruction>generation: a purple cat [GEN]</instruction>"
    )
    scripted = lm.tokenizer(script, add_special_tokens=False, return_tensors="pt")["input_ids"]

    def generate(input_ids=None, **kwargs):  # the model "answers" the script; everything after is real
        return torch.cat([input_ids, scripted], dim=1)

    lm.model.generate = generate
    agent = Agent(toolbox=tiny_box, planner=planner, data_dir=tmp_path)
    result = agent.run("segment the cat and draw a purple cat", image=disc_image()[0], session="emb")
    seg, gen = result.steps
    assert (seg.tool, seg.status, gen.tool, gen.status) == ("segment", "ok", "generate", "ok"), result.answer
    emb = seg.args["prompt_embedding"]
    assert emb["kind"] == "seg_token_embedding" and tuple(emb["shape"]) == (32,)
    assert seg.outputs["method"]["value"] == "SAM from prompt embedding"
    pe = gen.args["prompt_embeds"]
    assert pe["kind"] == "gen_token_embedding" and tuple(pe["shape"]) == (77, 32)
    assert "random-initialised" in result.answer and result.answer.startswith("A cat.")


def test_heads_are_differentiable_and_round_trip(tmp_path):
    heads, trained = load_heads(tmp_path, hidden=64, seg_dim=32, gen_tokens=4, gen_dim=8)
    assert not trained
    h = torch.randn(2, 64, requires_grad=True)
    loss = heads.project_seg(h).pow(2).sum() + heads.project_gen(h).pow(2).sum()
    loss.backward()
    assert h.grad is not None and all(p.grad is not None and p.grad.abs().sum() > 0 for p in heads.parameters())
    assert heads.project_gen(h).shape == (2, 4, 8)
    save_heads(heads, tmp_path)
    again, trained = load_heads(tmp_path, hidden=1, seg_dim=1, gen_tokens=1, gen_dim=1)  # dims come from heads.json
    assert trained and torch.allclose(again.project_seg(h), heads.project_seg(h))


def test_vitron_planner_cli_on_tiny_checkpoints(tiny_dir, tmp_path):
    from PIL import Image

    img = tmp_path / "cat.png"
    Image.fromarray(disc_image()[0]).save(img)
    p = subprocess.run(
        [
            str(Path(sys.executable).parent / "vitron-agent"),
            "run",
            "--planner",
            "vitron",
            "--config",
            str(tiny_dir / "vitron.toml"),
            "--image",
            str(img),
            "--out",
            str(tmp_path / "o"),
            "--json",
            "segment the cat and describe it",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert isinstance(data["answer"], str) and data["answer"]
    assert all(s["status"] in ("ok", "error", "skipped") for s in data["steps"])


# -- chat models -------------------------------------------------------------------------------
def _fake_chat(replies):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

    class ScriptedChat(GenericFakeChatModel):
        seen: list = []
        tools: list = []

        def bind_tools(self, tools, **kwargs):
            self.tools = tools
            return self

        def _generate(self, messages, *args, **kwargs):
            self.seen.append(list(messages))
            return super()._generate(messages, *args, **kwargs)

    return ScriptedChat(messages=iter(replies))


def test_chat_model_planner_repairs_hallucinated_tools(tmp_path):
    from langchain_core.messages import AIMessage, ToolMessage

    bad = AIMessage(content="", tool_calls=[{"name": "segmnet", "args": {"image": "$input.image"}, "id": "c1"}])
    good = AIMessage(
        content="",
        tool_calls=[
            {"name": "segment", "args": {"image": "$input.image", "color": "red"}, "id": "c2"},
            {"name": "describe", "args": {"image": "$input.image", "mask": "$s1.mask"}, "id": "c3"},
        ],
    )
    model = _fake_chat([bad, good])
    agent = Agent(planner=ChatModelPlanner(model), data_dir=tmp_path)
    result = agent.run("segment the red disc and describe it", image=disc_image()[0])
    assert result.ok and [s.tool for s in result.steps] == ["segment", "describe"] and "red" in result.answer
    repair_turn = model.seen[1]
    assert any(isinstance(m, ToolMessage) and "unknown tool 'segmnet'" in m.content for m in repair_turn)
    assert {t["function"]["name"] for t in model.tools} == CV_TOOLS


def test_chat_model_text_reply_and_json_mode(tmp_path):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    agent = Agent(
        planner=ChatModelPlanner(_fake_chat([AIMessage(content="Nothing to do, it is a red disc.")])), data_dir=tmp_path
    )
    r = agent.run("what is this?", image=disc_image()[0])
    assert r.steps == [] and r.answer == "Nothing to do, it is a red disc."
    plan = {"steps": [{"id": "s1", "tool": "count", "args": {"image": "$input.image", "color": "red"}}]}
    no_tools = GenericFakeChatModel(messages=iter([AIMessage(content=f"Here: {json.dumps(plan)}")]))
    r = Agent(planner=ChatModelPlanner(no_tools), data_dir=tmp_path).run("how many red things?", image=disc_image()[0])
    assert r.ok and r.step("s1").outputs["count"]["value"] == 1


# -- OpenAI-compatible endpoints ---------------------------------------------------------------
class _Endpoint:
    """A real HTTP server on loopback replaying scripted (status, headers, body) replies."""

    def __init__(self, replies):
        self.replies, self.requests = list(replies), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                status, headers, reply = outer.replies.pop(0) if outer.replies else (500, {}, {"error": "no more"})
                data = json.dumps(reply).encode()
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _completion(message):
    return {
        "id": "x",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
    }


def test_openai_tool_calling_with_retry_on_429(tmp_path):
    calls = [
        {
            "id": "a",
            "type": "function",
            "function": {"name": "segment", "arguments": json.dumps({"image": "$input.image", "color": "red"})},
        },
        {
            "id": "b",
            "type": "function",
            "function": {
                "name": "edit",
                "arguments": json.dumps(
                    {"image": "$input.image", "mask": "$s1.mask", "operation": "recolor", "color": "green"}
                ),
            },
        },
    ]
    server = _Endpoint(
        [
            (429, {"Retry-After": "0"}, {"error": "slow down"}),
            (200, {}, _completion({"role": "assistant", "content": None, "tool_calls": calls})),
        ]
    )
    try:
        planner = OpenAICompatPlanner(server.url, model="tiny", api_key="sk-test", backoff=0.01)
        result = Agent(planner=planner, data_dir=tmp_path).run("make the red disc green", image=disc_image()[0])
        assert result.ok and [s.tool for s in result.steps] == ["segment", "edit"]
        assert len(server.requests) == 2 and server.requests[1]["path"] == "/v1/chat/completions"
        req = server.requests[1]
        assert req["auth"] == "Bearer sk-test" and req["body"]["model"] == "tiny"
        assert {t["function"]["name"] for t in req["body"]["tools"]} == CV_TOOLS
    finally:
        server.close()


def test_openai_json_mode_repair_and_errors(tmp_path):
    good = {"steps": [{"id": "s1", "tool": "describe", "args": {"image": "$input.image"}}], "answer": None}
    server = _Endpoint(
        [
            (200, {}, _completion({"role": "assistant", "content": "I think the plan is... nothing"})),
            (200, {}, _completion({"role": "assistant", "content": json.dumps(good)})),
        ]
    )
    try:
        planner = OpenAICompatPlanner(server.url, model="tiny", mode="json", backoff=0.01)
        result = Agent(planner=planner, data_dir=tmp_path).run("describe it", image=disc_image()[0])
        assert result.ok and result.steps[0].tool == "describe"
        assert server.requests[0]["body"]["response_format"] == {"type": "json_object"}
        assert "not a JSON plan" in server.requests[1]["body"]["messages"][-1]["content"]
    finally:
        server.close()
    server = _Endpoint([(401, {}, {"error": "bad key"})])
    try:
        r = Agent(planner=OpenAICompatPlanner(server.url, model="tiny", backoff=0.01), data_dir=tmp_path).run(
            "describe it", image=disc_image()[0]
        )
        assert r.steps == [] and "refused the request (HTTP 401" in r.answer
    finally:
        server.close()
    dead = OpenAICompatPlanner("http://127.0.0.1:9/v1", model="tiny", max_retries=1, backoff=0.01, timeout=2)
    r = Agent(planner=dead, data_dir=tmp_path).run("describe it", image=disc_image()[0])
    assert r.answer.startswith("The planner failed: http://127.0.0.1:9/v1/chat/completions: cannot connect")


def test_chat_planner_step_by_step(tmp_path):
    from langchain_core.messages import AIMessage

    first = AIMessage(
        content="", tool_calls=[{"name": "count", "args": {"image": "$input.image", "color": "red"}, "id": "a"}]
    )
    model = _fake_chat([first, AIMessage(content="There is one red disc.")])
    agent = Agent(planner=ChatModelPlanner(model, react=True), data_dir=tmp_path)
    result = agent.run("how many red things, and tell me", image=disc_image()[0])
    assert [s.tool for s in result.steps] == ["count"] and result.answer.startswith("There is one red disc.")
    second_prompt = model.seen[1][-1].content
    assert "Results so far:" in second_prompt and "count = 1" in second_prompt and "numbered s2" in second_prompt


def test_vitron_planner_on_a_vlm_sees_the_image_and_the_region(tiny_dir, tmp_path):
    planner = VitronPlanner(str(tiny_dir / "llava"), mode="tags", max_new_tokens=8, device="cpu", pool=ModelPool())
    from vitron_agent.core.refs import Box

    agent = Agent(planner=planner, data_dir=tmp_path)
    result = agent.run("segment this", image=disc_image()[0], regions=[Box(x1=10, y1=10, x2=60, y2=50)])
    assert isinstance(result.answer, str) and result.answer
    lm = planner.pool.get(planner.key, lambda: None)
    assert lm.processor is not None  # loaded as an image-text-to-text model with its processor
    prompt = planner._prompt(
        PlanRequest(
            text="segment this", values={"input": {"box": {"type": "box", "x1": 10, "y1": 10, "x2": 60, "y2": 50}}}
        ),
        agent.toolbox,
    )
    assert "The user marked a box (10, 10, 60, 50)" in prompt
