"""The server's front door, an ASGI middleware that runs before any body is read.

* With a token: every path but ``/health`` needs ``Authorization: Bearer <token>``
  (constant-time comparison) -- checked before the body is parsed, so an unauthenticated
  60 MB JSON body costs nothing.
* Without a token (``--no-auth``, loopback only): the ``Host`` header must name a loopback
  address (DNS rebinding), and a browser's cross-origin request (an ``Origin`` that is not
  loopback) is refused (CSRF).
* Bodies: JSON endpoints take ``Content-Type: application/json`` only (a web page's form
  cannot send that cross-origin without a preflight) and at most ``max_json_bytes`` (chat
  completions, which carry data URLs) or ``SMALL_JSON_BYTES`` (every other route); their
  nesting is counted in linear time, on a worker thread for a large body;
  uploads take image/*, video/*, multipart/form-data, application/octet-stream, curl's default
  application/x-www-form-urlencoded (the bytes are recognised) or no type
  (the server sniffs the bytes), never text/plain.
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

__all__ = ["Guard", "check_token", "LOOPBACK_HOSTS"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# curl --data-binary sends application/x-www-form-urlencoded: the bytes are recognised, not the label
_UPLOAD_TYPES = (
    "image/",
    "video/",
    "multipart/form-data",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
)


def check_token(token: str | None) -> str | None:
    """The token as given, or a ValueError for an empty or blank one (which would turn auth off)."""
    if token is not None and not token.strip():
        raise ValueError(
            "the API token is empty; set a real token (VITRON_API_TOKEN or --token), "
            "or run without one on a loopback host with --no-auth"
        )
    return token


def _hostname(value: str) -> str:
    value = value.strip().lower()
    m = re.fullmatch(r"\[([0-9a-f:.]+)\](?::\d+)?", value)  # [::1]:8000
    if m:
        return m.group(1)
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _loopback_origin(origin: str) -> bool:
    m = re.fullmatch(r"https?://(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d+)?/?", origin.strip().lower())
    return bool(m) and _hostname(m.group(1)) in LOOPBACK_HOSTS


class Guard:
    def __init__(self, app: Any, token: str | None, max_json_bytes: int):
        self.app, self.token, self.max_json_bytes = app, check_token(token), max_json_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path, method = scope.get("path", ""), scope.get("method", "GET")
        refusal = self._refusal(headers, path)
        if refusal is not None:
            return await _answer(send, *refusal)
        if method not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        length = headers.get("content-length")
        if path.endswith("/media"):
            if ctype and not ctype.startswith(_UPLOAD_TYPES):  # none: the server sniffs the bytes
                return await _answer(
                    send,
                    415,
                    f"upload the file as image/*, video/* or multipart/form-data, not {ctype or 'no Content-Type'}",
                )
            return await self.app(scope, receive, send)
        if ctype != "application/json" and not (not ctype and length in (None, "0")):
            return await _answer(send, 415, "send the body as JSON with Content-Type: application/json")
        # only chat completions carry media (data URLs) in JSON; the session routes' bodies are small,
        # and FastAPI parses those on the event loop, so they get the small cap
        limit = self.max_json_bytes if path in _MEDIA_JSON_PATHS else min(self.max_json_bytes, SMALL_JSON_BYTES)
        if length is not None and (not length.isdigit() or int(length) > limit):
            return await _answer(send, 413, f"the JSON body exceeds the {limit:,}-byte limit")
        chunks, size, more = [], 0, True
        while more:  # read it whole here (it is small), so a body sent without a length is capped too
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > limit:
                return await _answer(send, 413, f"the JSON body exceeds the {limit:,}-byte limit")
        body = b"".join(chunks)  # joined once: += per chunk is quadratic in a body sent in small pieces
        if await nesting(body) > MAX_NESTING:
            return await _answer(send, 400, f"the JSON body nests deeper than {MAX_NESTING} levels")
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _refusal(self, headers: dict[str, str], path: str) -> tuple[int, str, dict[str, str]] | None:
        if self.token is None:
            if _hostname(headers.get("host", "")) not in LOOPBACK_HOSTS:
                return 403, "this server runs without a token and answers loopback Host names only", {}
            origin = headers.get("origin")
            if origin is not None and not _loopback_origin(origin):
                return 403, "cross-origin browser requests are refused by a server without a token", {}
            return None
        if path == "/health":
            return None
        header = headers.get("authorization", "")
        given = header[7:] if header.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return 401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"}
        return None


MAX_NESTING = 64
SMALL_JSON_BYTES = 256 * 1024  # session routes (runs, review): text, refs and regions only
_MEDIA_JSON_PATHS = ("/v1/chat/completions",)
# a body this large is scanned on a worker thread, never on the event loop (a 4 MB scan is ~30 ms)
_SCAN_ON_LOOP_BYTES = 64 * 1024


def _nesting(body: bytes) -> int:
    """The deepest ``[``/``{`` nesting of a JSON text, strings skipped (a parser would recurse
    that deep; Python's json raises RecursionError near 1000).

    Linear time, whatever the bytes (no regular expression: the one this replaces backtracked
    quadratically on an unterminated string of escaped quotes). A quote ends or starts a string
    unless an odd run of backslashes precedes it. On a valid prefix of the text this agrees with
    a JSON parser (backslashes occur only inside strings there), and a parser stops at the first
    invalid byte, so the depth it could reach is at most the depth counted here."""
    import numpy as np

    arr = np.frombuffer(body, np.uint8)
    quotes = np.flatnonzero(arr == 0x22)
    slashes = np.flatnonzero(arr == 0x5C)
    if slashes.size:  # drop the quotes that an odd run of backslashes escapes
        starts = np.ones(slashes.size, bool)
        starts[1:] = np.diff(slashes) != 1
        first = slashes[starts]  # each run's first backslash
        ends = slashes[np.append(np.flatnonzero(starts)[1:] - 1, slashes.size - 1)]  # each run's last backslash
        run = np.searchsorted(ends, quotes - 1)  # the run that would end right before each quote
        found = run < ends.size
        ending = np.zeros(quotes.size, bool)
        ending[found] = ends[run[found]] == quotes[found] - 1
        odd = np.zeros(quotes.size, bool)
        odd[ending] = (ends[run[ending]] - first[run[ending]] + 1) % 2 == 1
        quotes = quotes[~odd]
    opens = np.flatnonzero((arr == 0x5B) | (arr == 0x7B))
    closes = np.flatnonzero((arr == 0x5D) | (arr == 0x7D))
    where = np.concatenate([opens, closes])
    steps = np.concatenate([np.ones(opens.size, np.int64), -np.ones(closes.size, np.int64)])
    order = np.argsort(where, kind="stable")
    where, steps = where[order], steps[order]
    outside = np.searchsorted(quotes, where) % 2 == 0  # an even number of string quotes before it
    return int(np.cumsum(steps[outside]).max(initial=0))


async def nesting(body: bytes) -> int:
    """:func:`_nesting`, on a worker thread for a large body (the event loop serves everyone)."""
    if len(body) <= _SCAN_ON_LOOP_BYTES:
        return _nesting(body)
    import asyncio

    return await asyncio.to_thread(_nesting, body)


async def _answer(send: Any, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    data = json.dumps({"detail": detail}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": data})
