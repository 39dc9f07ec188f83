"""The front door under hostile clients, against the real server in a child process (a hang there
fails a test instead of freezing the test run): the JSON guard's scan is linear, request heads
have a deadline, open connections are capped, a refused body cannot be dribbled forever
(issue 40, vulnerabilities 1 and 3)."""

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from vitron_agent.server.guard import _nesting

HEAD_TIMEOUT, CAP = 2.0, 12
AUTH = {"Authorization": "Bearer t"}


class ChildServer:
    def __init__(self, data: Path, head_timeout: float, cap: int):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        script = Path(__file__).with_name("serve_guarded.py")
        self.proc = subprocess.Popen(
            [sys.executable, str(script), str(data), str(self.port), str(head_timeout), str(cap)],
            cwd=Path(__file__).resolve().parents[2],
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 120
        while True:
            assert self.proc.poll() is None and time.time() < deadline, "the server did not start"
            try:
                if httpx.get(f"{self.url}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ChildServer(tmp_path_factory.mktemp("front-door"), HEAD_TIMEOUT, CAP)
    yield srv
    srv.close()


def _connect(srv) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
    return sock


def _closed_within(sock: socket.socket, seconds: float, drip: bytes = b"") -> bytes:
    """Send ``drip`` one byte a second until the server closes the socket; what it sent back.
    Fails if the socket is still open after ``seconds``."""
    got, end = b"", time.time() + seconds
    for byte in [drip[i : i + 1] for i in range(len(drip))] or [b""] * int(seconds):
        try:
            if byte:
                sock.sendall(byte)
        except OSError:  # reset: closed
            return got
        sock.settimeout(1.0)
        try:
            while chunk := sock.recv(4096):
                got += chunk
            return got  # EOF: closed
        except TimeoutError:
            pass
        except OSError:
            return got
        assert time.time() < end, f"the server still holds a dribbling socket after {seconds} s"
    raise AssertionError("the whole dribble was accepted; the server never closed the socket")


def test_the_nesting_scan_is_linear_on_unterminated_escaped_quotes():
    # the old regex took ~1 s on 16 KB of this and grew 4x per doubling: hours for 4 MB
    body = b'{"a": "' + b'\\"' * 2_000_000
    assert _nesting(body) == 1
    assert _nesting(b'["\\\\", ' + b"[" * 70) == 71  # an escaped backslash then a closing quote
    assert _nesting(b'{"a": "\\"[[[["}') == 1  # brackets inside a string with an escaped quote


def test_a_4mb_body_of_escaped_quotes_does_not_hold_health(server):
    body = b'{"model": "vitron-agent", "messages": "' + b'\\"' * 2_000_000
    answers = {}

    def attack():
        try:
            r = httpx.post(
                f"{server.url}/v1/chat/completions",
                content=body,
                headers={**AUTH, "Content-Type": "application/json"},
                timeout=600,
            )
            answers["attack"] = r.status_code
        except httpx.HTTPError as exc:
            answers["attack"] = repr(exc)

    t = threading.Thread(target=attack, daemon=True)
    t.start()
    time.sleep(1.0)  # the body is in; the guard scans it
    # generous: a busy 2-core machine answers in well under a second; the old guard took hours
    assert httpx.get(f"{server.url}/health", timeout=60).status_code == 200
    t.join(120)
    assert answers.get("attack") == 400  # not JSON, refused, and the server goes on


def test_a_head_sent_one_byte_a_second_is_cut_at_the_deadline(server):
    head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40 + b"\r\n\r\n"
    with _connect(server) as sock:
        got = _closed_within(sock, 30, head)
    assert got.startswith(b"HTTP/1.1 408")
    with _connect(server) as idle:  # a socket that sends nothing at all
        assert _closed_within(idle, 30).startswith(b"HTTP/1.1 408")


def test_a_refused_body_cannot_be_dribbled_after_the_answer(server):
    head = b"POST /v1/sessions/s/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    with _connect(server) as sock:
        sock.sendall(head + b"Content-Length: 100000\r\n\r\n")  # no token: 401 before the body is read
        got = _closed_within(sock, 30, b"x" * 100)
    assert got.startswith(b"HTTP/1.1 401")


def test_a_keep_alive_connection_cannot_dribble_its_next_head(server):
    with _connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        time.sleep(0.5)
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        got = _closed_within(sock, 30, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40)
    assert b"HTTP/1.1 200" not in got  # closed, never answered


def test_connections_beyond_the_cap_are_refused_at_once_and_the_server_recovers(server):
    time.sleep(HEAD_TIMEOUT + 1)  # earlier tests' sockets are gone
    held = [_connect(server) for _ in range(CAP)]
    try:
        with _connect(server) as extra:
            extra.settimeout(10)
            assert extra.recv(4096).startswith(b"HTTP/1.1 503")
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.5)
    assert httpx.get(f"{server.url}/health", timeout=30).status_code == 200


def test_the_serve_command_takes_the_limits(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = str(Path(sys.executable).parent / "vitron-agent")
    args = ["--head-timeout", "1.5", "--max-connections", "3", "--data", str(tmp_path), "--port", str(port)]
    proc = subprocess.Popen([exe, "serve", "--token", "t" * 24, *args], stderr=subprocess.DEVNULL)
    srv = ChildServer.__new__(ChildServer)
    srv.port, srv.url, srv.proc = port, f"http://127.0.0.1:{port}", proc
    try:
        deadline = time.time() + 120
        while True:
            assert proc.poll() is None and time.time() < deadline, "the server did not start"
            try:
                if httpx.get(f"{srv.url}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        time.sleep(0.5)
        with _connect(srv) as idle:
            assert _closed_within(idle, 30).startswith(b"HTTP/1.1 408")
        held = [_connect(srv) for _ in range(3)]
        try:
            with _connect(srv) as extra:
                extra.settimeout(10)
                assert extra.recv(4096).startswith(b"HTTP/1.1 503")
        finally:
            for sock in held:
                sock.close()
    finally:
        srv.close()
