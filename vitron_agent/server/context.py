"""What every route of the server shares: the settings, the agent, the two bounded pools, and
the owner/session mapping (a session id is namespaced by the token that made it: a
:class:`~vitron_agent.runtime.sessions.ScopedSession`, whose handle carries both ids).

Routes reach it with ``Depends(context)`` (and the caller's owner with ``Depends(owner)``);
``create_app`` builds one and keeps it in ``app.state.ctx``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request

from vitron_agent.core.errors import InputError
from vitron_agent.runtime.sessions import ScopedSession, SessionHandle
from vitron_agent.runtime.turns import TurnRequest

__all__ = ["ServerSettings", "ServerContext", "Admission", "context", "owner"]


@dataclass
class ServerSettings:
    """token: required bearer token (None: no auth, loopback only); limits for uploads and runs."""

    token: str | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    max_running: int = 2
    max_queued: int = 8
    run_timeout: float = 600.0
    public_url: str = ""
    max_json_bytes: int = 4 * 1024 * 1024

    def __post_init__(self) -> None:
        from vitron_agent.server.guard import check_token

        check_token(self.token)


class Admission:
    """A bounded pool of its own for one kind of work (runs, or media decoding): at most
    ``running`` at once and ``queued`` waiting; beyond that a 429 with ``Retry-After`` at once,
    never a wait. Other requests (uploads, health, artifacts) never queue behind it."""

    def __init__(self, running: int, queued: int, what: str):
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max(1, running), thread_name_prefix=f"vitron-{what}")
        self.limit, self.what = max(1, running) + max(0, queued), what
        self.inflight = 0
        self._lock = threading.Lock()

    def check(self) -> None:
        """429 now when full (reserves nothing: streams reserve when they start)."""
        if self.inflight >= self.limit:
            raise HTTPException(
                429,
                f"the server is at capacity ({self.limit} {self.what} admitted); retry shortly",
                headers={"Retry-After": "2"},
            )

    def submit(self, fn, *args):
        """Admit ``fn(*args)`` (or 429) and run it on the pool; an awaitable of its result. The slot
        is freed when ``fn`` ends, also when the caller stopped waiting (a timeout)."""
        with self._lock:
            self.check()
            self.inflight += 1
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self.pool, fn, *args)
        except BaseException:
            self._release()
            raise
        future.add_done_callback(lambda _: self._release())
        return asyncio.shield(future)

    def _release(self) -> None:
        with self._lock:
            self.inflight -= 1


@dataclass
class ServerContext:
    agent: Any
    settings: ServerSettings
    runs: Admission = field(init=False)
    decoding: Admission = field(init=False)
    video_decoding: Admission = field(init=False)

    def __post_init__(self) -> None:
        self.runs = Admission(self.settings.max_running, self.settings.max_queued, "runs")
        self.decoding = Admission(2, 8, "uploads")  # images and request bodies: quick, never behind a video
        self.video_decoding = Admission(1, 4, "video uploads")  # videos and their previews: slow, a pool of their own

    def auth(self, request: Request) -> str:
        """The caller's owner id (the token's hash), or 401. The guard checked the token before the
        body was read; this keeps routes correct on their own."""
        if self.settings.token is None:
            return "local"
        header = request.headers.get("authorization", "")
        given = header[7:] if header.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), self.settings.token.encode()):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
        return "t" + hashlib.sha256(self.settings.token.encode()).hexdigest()[:12]

    def session(self, owner: str, public: str) -> SessionHandle:
        """The handle of ``owner``'s session ``public`` (:class:`ScopedSession`: the one session-id
        rule applies to ``public``; 422 naming the rule when it breaks it)."""
        try:
            return self.agent.session(ScopedSession(owner, public))
        except InputError as exc:
            raise HTTPException(422, str(exc)) from None

    def to_public(self, obj: Any, session: SessionHandle) -> Any:
        """``obj`` (JSON: dicts, lists, text) for the client: every ref's ``session`` field is the
        session's public id; text passes :func:`~vitron_agent.server.transport.public_text`."""
        if isinstance(obj, dict):
            out = {k: self.to_public(v, session) for k, v in obj.items()}
            if out.get("session") == session.id:
                out["session"] = session.public
            return out
        if isinstance(obj, list):
            return [self.to_public(v, session) for v in obj]
        if isinstance(obj, str):  # answers, errors, problems: public ids only, never the data folder
            from vitron_agent.server.transport import public_text

            return public_text(obj, self.agent.store.root)
        return obj

    def to_internal(self, obj: Any, session: SessionHandle) -> Any:
        """``obj`` from the client (refs by public id) for the agent; a ref naming another
        session is a 404."""
        if isinstance(obj, dict):
            out = {k: self.to_internal(v, session) for k, v in obj.items()}
            if "session" in out and "id" in out:
                if out["session"] != session.public:
                    raise HTTPException(
                        404, f"{out.get('type', 'artifact')} {str(out['id'])[:12]} is not in this session"
                    )
                out["session"] = session.id
            return out
        if isinstance(obj, list):
            return [self.to_internal(v, session) for v in obj]
        return obj

    def contract(self, result: Any, session: SessionHandle) -> dict[str, Any]:
        """The run's JSON result contract with public session ids and artifact URLs."""
        from vitron_agent.runtime.export import result_json

        data = result_json(result, self.agent.store)
        base = f"{self.settings.public_url}/v1/sessions/{session.public}/artifacts"
        for step in data["steps"]:
            for out in step["outputs"].values():
                if out["path"] is not None and isinstance(out["value"], dict):
                    out["path"] = f"{base}/{out['value']['id']}"
        data = self.to_public(data, session)
        data["session"] = session.public
        if result.awaiting_review:
            data["awaiting_review"] = True
            data["plan"] = result.plan.model_dump()
        return data

    async def run_turn_in_time(self, session: SessionHandle, turn: TurnRequest, still: str) -> dict[str, Any]:
        """:meth:`run_turn` and its :meth:`contract` in one job on ``runs`` (one thread hand-off a
        turn, the contract's metadata reads off the event loop); a 504 past the run timeout (the
        turn goes on; ``still`` says where its result will be)."""

        def job() -> dict[str, Any]:
            return self.contract(self.run_turn(session, turn), session)

        try:
            return await asyncio.wait_for(self.runs.submit(job), self.settings.run_timeout)
        except TimeoutError:
            raise HTTPException(
                504, f"the run took longer than {self.settings.run_timeout:g} s; it goes on in the background{still}"
            ) from None

    def run_turn(self, session: SessionHandle, turn: TurnRequest, on_event: Any = None) -> Any:
        """One turn (blocking: call it on ``runs``); ``turn``'s refs are already the agent's."""
        return self.agent.run_turn(turn, session, on_event)


# Both are coroutines on purpose: FastAPI runs a plain ``def`` dependency on AnyIO's thread pool,
# two thread hand-offs per request for microseconds of work (a hash and a constant-time compare).
async def context(request: Request) -> ServerContext:
    return request.app.state.ctx


async def owner(request: Request) -> str:
    return request.app.state.ctx.auth(request)
