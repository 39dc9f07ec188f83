"""Connection limits below the app, before authentication: a deadline for each request head and
a cap on open connections.

uvicorn's h11 protocol has no head timeout: a socket that sends one header byte every few
seconds is held forever (its keep-alive timer is cancelled by every byte), and about 1,000 such
sockets exhaust a common file-descriptor limit and lock everyone out. :func:`guarded_protocol`
returns an ``H11Protocol`` subclass that

* gives each request head ``head_timeout`` seconds from the moment the server waits for it (the
  connection opened, or the previous response was sent) to its last header line, bytes or no
  bytes; past it the connection gets ``408`` and is closed;
* after a response, gives the rest of an unread request body (a refused upload) the same
  deadline, so a client cannot dribble a body the app never reads;
* refuses a connection beyond ``max_connections`` open ones with ``503`` and closes it at once;
* gives a request body the app reads a minimum rate, as Apache's ``mod_reqtimeout``
  (``body=20,MinRate=500``): ``2 x head_timeout`` seconds, one more for every ``MIN_BODY_RATE``
  bytes received; slower, it gets ``408`` and is closed. Before this, a body dribbled one byte every
  few seconds held its connection forever (256 of them lock everyone out). Time while the app
  holds the body back (flow control) is not counted against the client.
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["HEAD_TIMEOUT", "MAX_CONNECTIONS", "MIN_BODY_RATE", "guarded_protocol"]

HEAD_TIMEOUT = 10.0  # seconds from waiting for a request head to its end
MAX_CONNECTIONS = 256  # open connections; one more is answered 503 and closed
MIN_BODY_RATE = 500  # bytes a second a request body must keep up after its grace (2 x head_timeout)

_CLOSE = b"connection: close\r\ncontent-type: text/plain; charset=utf-8\r\n"


def _refusal(status: bytes, text: bytes) -> bytes:
    return b"HTTP/1.1 " + status + b"\r\n" + _CLOSE + b"content-length: %d\r\n\r\n" % len(text) + text


class _BodyRate:
    """The body-rate half of the guarded h11 protocol (a mixin over uvicorn's ``H11Protocol``): a
    body being received must keep ``body_grace`` s + 1 s per ``MIN_BODY_RATE`` bytes; seconds the
    app's flow control paused reading are not counted. ``body_grace`` is set by
    :func:`guarded_protocol` (2 x its head deadline)."""

    body_grace = 2 * HEAD_TIMEOUT
    _body_timer: asyncio.TimerHandle | None = None

    def _track_body(self, data: bytes) -> None:
        import h11

        if self.conn.their_state is not h11.SEND_BODY or self.transport.is_closing():
            return
        if self._body_timer is None:
            self._body_bytes, self._body_charged, self._body_seen = 0, 0.0, self.loop.time()
            self._body_timer = self.loop.call_later(self.body_grace, self._check_body)
        else:
            self._body_bytes += len(data)

    def _check_body(self) -> None:
        import h11

        self._body_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.SEND_BODY:
            return
        now = self.loop.time()
        if not self.flow.read_paused:
            self._body_charged += now - self._body_seen
        self._body_seen = now
        allowed = self.body_grace + self._body_bytes / MIN_BODY_RATE
        if self._body_charged > allowed:
            text = (
                f"the request body came too slowly ({self._body_bytes:,} bytes in {self._body_charged:.0f} s; "
                f"at least {MIN_BODY_RATE} bytes a second after the first {self.body_grace:g} s)\n"
            )
            self.transport.write(_refusal(b"408 Request Timeout", text.encode()))
            self.transport.close()
            return
        wait = 1.0 if self.flow.read_paused else max(0.5, allowed - self._body_charged)
        self._body_timer = self.loop.call_later(wait, self._check_body)

    def _disarm_body(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None


def guarded_protocol(head_timeout: float = HEAD_TIMEOUT, max_connections: int = MAX_CONNECTIONS) -> type:
    """An h11 protocol class for ``uvicorn.Config(http=...)`` with a head deadline of
    ``head_timeout`` seconds and at most ``max_connections`` open connections."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    if head_timeout <= 0 or max_connections < 1:
        raise ValueError(
            f"head_timeout must be > 0 s and max_connections >= 1, not {head_timeout} and {max_connections}"
        )

    class GuardedH11Protocol(_BodyRate, H11Protocol):
        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._deadline: asyncio.TimerHandle | None = None
            self._waiting_after: Any = None  # the cycle whose head is complete (None: none yet)
            if len(self.connections) > max_connections:
                transport.write(_refusal(b"503 Service Unavailable", b"too many open connections; retry shortly\n"))
                transport.close()
                return
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self._waiting_after = self.cycle
            self._deadline = self.loop.call_later(head_timeout, self._expire)

        def _disarm(self) -> None:
            if getattr(self, "_deadline", None) is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            self._deadline = None
            if self.transport.is_closing():
                return
            if self.conn.their_state is h11.IDLE:  # mid-head (not mid-body): say why
                self.transport.write(_refusal(b"408 Request Timeout", b"the request head took too long\n"))
            self.transport.close()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._deadline is not None and self.cycle is not self._waiting_after:
                self._disarm()  # a new request head is complete: the app has it now
            self._track_body(data)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._disarm_body()  # an unread rest of the body is under the head deadline below
            # the next head, or the rest of a body nobody reads, under the deadline (unless a
            # pipelined request already started: that one is the app's now)
            if not self.transport.is_closing() and self.cycle.response_complete:
                self._arm()

        def handle_websocket_upgrade(self, event: Any) -> None:
            self._disarm()  # the head is complete; the socket belongs to the websocket protocol now
            super().handle_websocket_upgrade(event)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            self._disarm_body()
            super().connection_lost(exc)

    GuardedH11Protocol.body_grace = 2 * head_timeout
    return GuardedH11Protocol
