"""The MCP stdio server caps a line while reading it, before any parsing (issue 40): a 300 MB line
is skipped with a JSON-RPC error, the server's peak memory grows by at most about the cap, and the
session goes on."""

import json
import select
import subprocess
import sys
import threading
from pathlib import Path

from vitron_agent.server.mcp_server import MAX_LINE_BYTES

EXE = str(Path(sys.executable).parent / "vitron-agent")


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_a_huge_line_is_skipped_with_an_error_in_bounded_memory(tmp_path):
    p = subprocess.Popen(
        [EXE, "mcp", "--data", str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )

    def send(line: bytes) -> None:
        p.stdin.write(line + b"\n")
        p.stdin.flush()

    def recv(timeout: float):
        ready, _, _ = select.select([p.stdout], [], [], timeout)
        return json.loads(p.stdout.readline()) if ready else None

    try:
        init = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}
        send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init}).encode())
        assert recv(120)["id"] == 1
        send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode())
        before = _peak_rss(p.pid)
        huge = b'{"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {"x": "' + b"a" * 300_000_000 + b'"}}'
        writer = threading.Thread(target=send, args=(huge,))
        writer.start()  # the pipe holds 64 KB: the server reads while this writes
        answer = recv(300)
        writer.join(300)
        assert answer is not None and answer["error"]["code"] == -32600 and "exceeds" in answer["error"]["message"]
        grown = _peak_rss(p.pid) - before
        assert grown < MAX_LINE_BYTES + 48 * 1024 * 1024, f"peak memory grew by {grown:,} bytes for a skipped line"
        send(json.dumps({"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": {}}).encode())
        assert any(t["name"] == "run" for t in recv(60)["result"]["tools"])  # the session goes on
    finally:
        p.kill()
        p.wait(30)


def test_read_line_edges():
    import io

    from vitron_agent.server.mcp_server import read_line

    stream = io.BufferedReader(io.BytesIO(b"abc\n" + b"x" * 10 + b"\n" + b"y" * 11 + b"\nlast"))
    assert read_line(stream, 10) == ("abc\n", False)
    assert read_line(stream, 10) == ("x" * 10 + "\n", False)  # exactly the limit, then its newline
    assert read_line(stream, 10) == ("", True)  # one byte over: skipped
    assert read_line(stream, 10) == ("last", False)  # the end without a newline
    assert read_line(stream, 10) is None
