"""Stand-ins for the two agents a Ray raylet starts (its dashboard agent and its runtime-env agent),
for a batch's private local instance (:mod:`vitron_agent.batch.local_ray`).

The raylet cannot run without them: it starts both, waits until each has written its ports to
the session folder, and ends when one of them exits. A batch's instance uses neither: the dashboard
agent, minimal (no metrics, no HTTP server), writes "-1" for its three ports and then only watches
the raylet; the runtime-env agent serves runtime environments, and a batch asks for none (its
actors' runtime is their workers' own, no ``runtime_env``). Yet each is a Python process importing
Ray, gRPC and aiohttp: about 1 CPU-s together, spent on a 2-core machine while the raylet starts and
its workers preload the batch's runtime (``benchmarks/batch.py --only``).

This file is run as a program by the raylet, in place of each agent, and imports nothing but the
standard library (~20 ms):

* ``dashboard``: writes "-1" to the port files given (what the minimal agent writes), then waits
  for the raylet to end.
* ``runtime-env``: listens on the node's address (a free port), writes that port to its file, and
  answers the raylet's three requests honestly: a runtime environment cannot be made here (status
  FAILED and why, so a task or actor that asks for one fails at once with Ray's
  ``RuntimeEnvSetupError`` naming this; it never hangs), deleting one has nothing to delete, and
  there are none to list. The replies are Ray's protobuf messages, written by hand (two fields:
  status, error message; checked against Ray's own classes in ``tests/ray/test_local_ray.py``).

Both end with the raylet (they look at their parent every second; the raylet also ends them itself).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time

FAILED = 1  # ray.rpc.AgentRpcStatus.AGENT_RPC_STATUS_FAILED
WHY = (
    "runtime environments are not available on a vitron batch's private Ray instance (its agents "
    "are stand-ins: VITRON_RAY_STAND_INS=0 starts Ray's own)"
)


def reply(path: str) -> bytes | None:
    """The body answering a POST to ``path`` (Ray's protobuf reply), or None (no such endpoint)."""
    if path == "/get_or_create_runtime_env":  # GetOrCreateRuntimeEnvReply{status=FAILED, error_message}
        return _varint_field(1, FAILED) + _bytes_field(2, WHY.encode())
    if path == "/delete_runtime_env_if_possible":  # DeleteRuntimeEnvIfPossibleReply{status=OK}: none made
        return b""
    if path == "/get_runtime_envs_info":  # GetRuntimeEnvsInfoReply{}: none
        return b""
    return None


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _varint_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def _bytes_field(number: int, data: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def write_port(path: str, port: int) -> None:
    """The port file the raylet waits for (written whole: a temporary file renamed)."""
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as fh:
        fh.write(str(port))
    os.replace(tmp, path)


def _die_with_parent() -> None:
    """End with the raylet: once this process's parent has changed (the raylet ended; no
    parent-death signal: Linux sends it when the *thread* that started a process ends)."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _serve(host: str, port: int, port_file: str) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = reply(self.path.split("?", 1)[0])
            self.send_response(404 if body is None else 200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    write_port(port_file, server.server_address[1])
    threading.Thread(target=server.serve_forever, name="runtime-env-stand-in", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("role", choices=("dashboard", "runtime-env"))
    parser.add_argument("--unused", action="append", default=[], help="a port file to write -1 to")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", help="runtime-env: where to write the port it listens on")
    args = parser.parse_args(argv)
    for path in args.unused:
        write_port(path, -1)
    if args.role == "runtime-env":
        _serve(args.host, args.port, args.port_file)
    _die_with_parent()


if __name__ == "__main__":
    main(sys.argv[1:])
