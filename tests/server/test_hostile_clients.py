"""Hostile and careless clients against the HTTP server on loopback (the vulnerabilities of
the server issue: empty tokens, ids as paths, web pages driving a no-auth server, bodies
before auth, echoed inputs)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.server.test_http import TOKEN, Server, png_bytes
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.server import ServerSettings

EXE = str(Path(sys.executable).parent / "vitron-agent")


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    a = Agent(db=d / "sessions.sqlite", data_dir=d / "artifacts")
    yield a
    a.close()


@pytest.fixture(scope="module")
def secured(agent):
    srv = Server(agent, ServerSettings(token=TOKEN, max_json_bytes=200_000))
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def open_server(agent):
    srv = Server(agent, ServerSettings(token=None))
    yield srv
    srv.close()


@pytest.mark.parametrize("token", ["", "   "])
def test_an_empty_token_is_a_startup_error_not_auth_off(token, tmp_path):
    with pytest.raises(ValueError, match="the API token is empty"):
        ServerSettings(token=token)
    env = {**os.environ, "VITRON_API_TOKEN": token}
    p = subprocess.run(
        [EXE, "serve", "--host", "127.0.0.1", "--port", "1", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert p.returncode == 2 and "the API token is empty" in p.stderr and "auth: off" not in p.stderr


def test_vitron_ids_are_digests_checked_before_any_file_is_touched(secured, agent):
    c = httpx.Client(base_url=secured.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    sid = c.post("/v1/sessions").json()["session"]
    image = c.post(
        f"/v1/sessions/{sid}/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"}
    ).json()
    other = agent.store_for("someone-else")
    other.put_text("secret")  # a file another session owns, with a .json beside it
    outside = next(p.stem for p in other.dir.glob("*.json"))
    answers = []
    for url in (f"vitron://../someone-else/{outside}", "vitron://../../etc/passwd", f"vitron://{'0' * 64}"):
        r = c.post(
            "/v1/chat/completions",
            json={
                "model": "vitron-agent",
                "user": sid,
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "text", "text": "describe it"},
                            {"type": "image_url", "image_url": {"url": url}},
                        ],
                    }
                ],
            },
        )
        answers.append((r.status_code, r.json()["error"]["message"]))
    assert answers[0] == answers[1] and answers[0][0] == 400 and "SHA-256" in answers[0][1]  # no oracle: one refusal
    assert answers[2][0] == 404
    video_as_image = c.post(
        "/v1/chat/completions",
        json={
            "model": "vitron-agent",
            "user": sid,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "describe it"},
                        {"type": "video_url", "video_url": {"url": f"vitron://{image['id']}"}},
                    ],
                }
            ],
        },
    )
    assert video_as_image.status_code == 404 and "no uploaded video" in video_as_image.json()["error"]["message"]


def test_auth_comes_before_the_body_and_bodies_are_capped(secured):
    big = b'{"text": "' + b"x" * 1_000_000 + b'"}'
    r = httpx.post(f"{secured.url}/v1/sessions/s/runs", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 401  # no token: refused before the megabyte is parsed
    c = httpx.Client(base_url=secured.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    r = c.post("/v1/sessions/s/runs", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "200,000-byte limit" in r.json()["detail"]
    r = c.post(
        "/v1/sessions/s/runs",
        content=b'{"text": 5, "junk": "' + b"y" * 5000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 422 and "yyyy" not in r.text  # names the problem, never echoes the input
    assert httpx.get(f"{secured.url}/openapi.json").status_code == 401
    assert httpx.get(f"{secured.url}/docs").status_code == 401
    assert httpx.get(f"{secured.url}/health").status_code == 200


def test_a_no_auth_server_cannot_be_driven_from_web_pages(open_server):
    url = open_server.url
    body = json.dumps({"model": "vitron-agent", "messages": [{"role": "user", "content": "hi"}]})
    rebinding = httpx.post(
        f"{url}/v1/chat/completions",
        content=body,
        headers={"Host": "attacker.example:8000", "Content-Type": "application/json"},
    )
    assert rebinding.status_code == 403 and "loopback Host" in rebinding.json()["detail"]
    cross = httpx.post(
        f"{url}/v1/chat/completions",
        content=body,
        headers={"Origin": "https://evil.example", "Content-Type": "application/json"},
    )
    assert cross.status_code == 403 and "cross-origin" in cross.json()["detail"]
    simple = httpx.post(f"{url}/v1/chat/completions", content=body, headers={"Content-Type": "text/plain"})
    assert simple.status_code == 415  # a form or fetch "simple request" cannot carry application/json
    upload = httpx.post(
        f"{url}/v1/sessions/s1/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "text/plain"}
    )
    assert upload.status_code == 415
    for host in ("127.0.0.1", "localhost", "[::1]"):
        port = url.rsplit(":", 1)[1]
        ok = httpx.get(f"{url}/v1/sessions", headers={"Host": f"{host}:{port}", "Origin": f"http://{host}:{port}"})
        assert ok.status_code == 200, (host, ok.text)


def test_mcp_base64_arguments_are_capped_like_uploads():
    import base64

    from vitron_agent.server import mcp_server

    big = base64.b64encode(b"\0" * (mcp_server.MAX_UPLOAD_BYTES + 10)).decode()
    with pytest.raises(ValueError, match="over the 20,971,520-byte upload limit"):
        mcp_server._decode(big, "image_base64")
    with pytest.raises(ValueError, match="not valid base64"):
        mcp_server._decode("***", "image_base64")


def test_error_messages_name_public_ids_only(secured, agent):
    c = httpx.Client(base_url=secured.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    ref = c.post(
        "/v1/sessions/mine/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"}
    ).json()
    r = c.post("/v1/sessions/yours/runs", json={"text": "describe it", "image": {**ref, "session": "yours"}})
    text = r.text
    assert r.status_code == 404 and str(agent.store.root) not in text
    assert not __import__("re").search(r"t[0-9a-f]{12}-", text), text


def test_every_refusal_is_scrubbed_whichever_route_raised_it(agent):
    """The app's handler rewrites any HTTPException detail (a route added later included) to
    public ids and no data folder: the safety net under each route's own care."""
    import re

    from fastapi import HTTPException
    from fastapi.testclient import TestClient

    from vitron_agent.server import create_app

    app = create_app(agent, ServerSettings(token=TOKEN))

    @app.get("/v1/boom")
    def boom():
        raise HTTPException(409, f"session t0123456789ab-mine is busy; see {agent.store.root}/x.png")

    r = TestClient(app).get("/v1/boom", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 409 and "session mine is busy" in r.json()["detail"], r.text
    assert not re.search(r"t[0-9a-f]{12}-", r.text) and str(agent.store.root) not in r.text


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_huge_request_headers_are_refused_before_they_fill_memory(tmp_path):
    """Eight unauthenticated connections each start a 24 MB header: the real `serve` process
    answers 431/400 or hangs up after its 64 KB limit, and its memory barely moves."""
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [EXE, "serve", "--port", str(port), "--data", str(tmp_path), "--token", "t" * 24],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        before = _rss_mb(proc.pid)
        socks, refused = [], 0
        for _ in range(8):
            c = socket.create_connection(("127.0.0.1", port), timeout=10)
            c.sendall(b"GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
            socks.append(c)
        chunk = b"a" * (1 << 20)
        for c in socks:
            try:
                for _ in range(24):
                    c.sendall(chunk)
                c.sendall(b"\r\n\r\n")
                answer = c.recv(200)
                refused += answer.startswith((b"HTTP/1.1 431", b"HTTP/1.1 400")) or answer == b""
            except OSError:  # the server hung up mid-header: refused
                refused += 1
        grown = _rss_mb(proc.pid) - before
        for c in socks:
            c.close()
        assert refused == 8
        assert grown < 60, f"the server grew by {grown:.0f} MB"
    finally:
        proc.terminate()
        proc.wait(20)


@pytest.mark.parametrize("value", ["false", "true", 1, "yes"])
def test_stream_must_be_a_json_boolean(open_server, value):
    r = httpx.post(
        f"{open_server.url}/v1/chat/completions",
        timeout=30,
        json={"model": "vitron-agent", "stream": value, "messages": [{"role": "user", "content": "hi"}]},
    )
    assert r.status_code == 400 and "stream must be true or false" in r.json()["error"]["message"]
    assert "text/event-stream" not in r.headers.get("content-type", "")


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("n", 2, "n must be 1"),
        ("n", "1", "n must be 1"),
        ("model", 5, "model must be a string"),
        ("max_tokens", "10", "max_tokens must be an integer"),
        ("temperature", "0.2", "temperature must be a number"),
        ("temperature", True, "temperature must be a number"),
        ("stream_options", "x", "stream_options must be an object"),
        ("tools", [{"type": "function", "function": {"name": "f"}}], "tools (client-side function calling)"),
        ("response_format", {"type": "json_object"}, 'response_format "json_object" is not supported'),
    ],
)
def test_chat_fields_have_strict_types_and_nothing_is_silently_dropped(open_server, field, value, says):
    """A known OpenAI field of the wrong JSON type, or one asking for what the agent cannot give
    (n answers, client tools, JSON output), is a 400 that names it: never coerced, never ignored."""
    body = {"model": "vitron-agent", "messages": [{"role": "user", "content": "hi"}], field: value}
    r = httpx.post(f"{open_server.url}/v1/chat/completions", timeout=30, json=body)
    assert r.status_code == 400 and says in r.json()["error"]["message"], r.text


def test_a_content_part_the_server_cannot_read_is_refused_not_dropped(open_server):
    part = {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}
    msg = {"role": "user", "content": [{"type": "text", "text": "describe what you hear"}, part]}
    r = httpx.post(
        f"{open_server.url}/v1/chat/completions", timeout=30, json={"model": "vitron-agent", "messages": [msg]}
    )
    assert r.status_code == 400 and '"input_audio" part' in r.json()["error"]["message"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": "describe it", "review": "false"}, "review"),
        ({"text": "describe it", "review": 1}, "review"),
        ({"text": "describe it", "reveiw": True}, "reveiw"),  # a typo is not silently ignored
    ],
)
def test_run_bodies_have_strict_types_and_no_unknown_fields(open_server, body, field):
    """ "review": "false" used to be coerced (and "yes" or 1 ran a review); now each is a 422 naming the field."""
    r = httpx.post(f"{open_server.url}/v1/sessions/strict/runs", timeout=30, json=body)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", field], r.text


def test_the_readmes_curl_uploads_work_as_written(secured, tmp_path):
    """The docs' two curl lines (docs/how-to/serve.md), run with the real curl (only the host and token swapped): the
    first sends curl's default form-urlencoded type, and the bytes are recognised as a PNG."""
    import re
    import shlex

    from tests.server.test_http import TOKEN
    from vitron_agent.media.images import save_png
    from vitron_agent.media.video import write_video

    readme = (Path(__file__).resolve().parents[2] / "docs" / "how-to" / "serve.md").read_text()
    lines = [ln.split("#")[0].strip() for ln in readme.splitlines() if ln.startswith("curl ") and "/media" in ln]
    assert len(lines) == 2
    save_png(disc_image()[0], tmp_path / "cat.png")
    import numpy as np

    write_video(np.stack([disc_image()[0]] * 4), tmp_path / "clip.mp4", 8.0)
    kinds = []
    for line in lines:
        line = line.replace("s3cret", TOKEN).replace("localhost:8000", open_url(secured))
        p = subprocess.run(shlex.split(line), cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        kinds.append(json.loads(p.stdout)["type"])
        assert re.search(r"--data-binary", line)
    assert kinds == ["image", "video"]


def open_url(server) -> str:
    return server.url.removeprefix("http://")


def test_a_review_edit_with_a_forged_ref_names_public_ids_only(secured):
    """The forged ref's error travels in the plan's problems and step errors: every string of the
    answer is rewritten to public ids (it used to carry the owner-prefixed internal id)."""
    import re

    c = httpx.Client(base_url=secured.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    ref = c.post(
        "/v1/sessions/rev/media", content=png_bytes(disc_image()[0]), headers={"Content-Type": "image/png"}
    ).json()
    paused = c.post("/v1/sessions/rev/runs", json={"text": "segment the red disc", "image": ref, "review": True}).json()
    assert paused.get("awaiting_review"), paused
    forged = {**ref, "id": "0" * 64}
    plan = {"steps": [{"id": "s1", "tool": "segment", "args": {"image": forged, "target": "the red disc"}}]}
    r = c.post("/v1/sessions/rev/review", json={"action": "edit", "plan": plan})
    assert r.status_code in (200, 400, 404), r.text
    assert not re.search(r"t[0-9a-f]{12}-", r.text), r.text
    if r.status_code == 200:  # the edited plan ran and failed: the planner did not quietly run its own plan instead
        steps = r.json()["steps"]
        assert [s["status"] for s in steps] == ["error"] and steps[0]["args"]["image"]["id"] == "0" * 64, steps
        assert "does not exist" in steps[0]["error"]
