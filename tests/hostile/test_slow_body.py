"""A request body the app reads has a minimum rate (hostile round 4): before, a client that had
passed the token check could dribble a body one byte every few seconds and hold its connection
forever (256 such connections lock everyone out); a slow but honest upload still goes through."""

import time

import pytest

from tests.server.test_front_door import ChildServer, _closed_within, _connect
from vitron_agent.server.connections import MIN_BODY_RATE

HEAD_TIMEOUT = 2.0  # the body's grace is twice this
HEAD = (
    b"POST /v1/sessions/slow/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n"
    b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ChildServer(tmp_path_factory.mktemp("slow-body"), HEAD_TIMEOUT, 16)
    yield srv
    srv.close()


def test_a_body_dribbled_a_byte_a_second_is_cut(server):
    with _connect(server) as sock:
        sock.sendall(HEAD % 100_000)
        got = _closed_within(sock, 30, b" " * 60)
    assert got.startswith(b"HTTP/1.1 408") and b"request body came too slowly" in got, got


def test_a_slow_body_at_the_minimum_rate_goes_through(server):
    body = b'{"text": "describe it"' + b" " * (4 * MIN_BODY_RATE * 4) + b"}"
    with _connect(server) as sock:
        sock.sendall(HEAD % len(body))
        step = 2 * MIN_BODY_RATE  # twice the minimum rate, for about 8 s: past the 4 s grace
        for i in range(0, len(body), step):
            sock.sendall(body[i : i + step])
            time.sleep(1.0)
        sock.settimeout(60)
        got = sock.recv(65536)
    assert got.startswith(b"HTTP/1.1 200"), got[:200]
