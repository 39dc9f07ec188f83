"""FastAPI app around an :class:`~vitron_agent.runtime.agent.Agent`.

Security:

* bearer-token auth (``Authorization: Bearer <token>``), compared in constant time; it may
  be off only when the server is bound to loopback and that is asked for explicitly;
* per-owner isolation: a session id is namespaced by the token that created it, so another
  token's sessions, refs and artifacts are invisible (404), never readable;
* no filesystem paths from clients: media arrive as uploads or data URLs; artifact ids are
  checked to be SHA-256 hex digests;
* upload size and pixel caps (413 / 400 with the reason), request timeouts, and a bounded
  run pool that answers 429 at once when full (uploads, previews and health never wait behind runs).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vitron_agent.core.errors import VitronError, http_status
from vitron_agent.server.context import ServerContext, ServerSettings
from vitron_agent.server.transport import os_error_answer, public_text

__all__ = ["ServerSettings", "create_app"]


def create_app(agent, settings: ServerSettings | None = None) -> FastAPI:
    """The app serving ``agent``: the front-door guard, error handlers, and the session and
    OpenAI routers over one :class:`ServerContext` (in ``app.state.ctx``)."""
    from fastapi.exceptions import RequestValidationError

    from vitron_agent.server import openai_api, routes
    from vitron_agent.server.guard import Guard

    ctx = ServerContext(agent, settings or ServerSettings())
    app = FastAPI(
        title="vitron-agent",
        version="0.1.0",
        description="Agentic vision over HTTP: upload media, run instructions, fetch artifacts; "
        "OpenAI-compatible /v1/chat/completions.",
    )
    app.state.ctx = ctx
    app.state.runs, app.state.decoding = ctx.runs, ctx.decoding
    # auth, Host/Origin and body checks before any body is read (OpenAPI and docs included)
    app.add_middleware(Guard, token=ctx.settings.token, max_json_bytes=ctx.settings.max_json_bytes)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # name what is wrong; never echo the input back
        problems = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()[:10]
        ]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # every refusal, whichever route raised it: public session ids only, never the data folder
        detail = public_text(exc.detail, agent.store.root) if isinstance(exc.detail, str) else exc.detail
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(VitronError)
    async def vitron_error(request: Request, exc: VitronError) -> JSONResponse:
        status = http_status(exc)
        return JSONResponse({"detail": public_text(str(exc), agent.store.root)}, status_code=status)

    @app.exception_handler(OSError)
    async def os_error(request: Request, exc: OSError) -> JSONResponse:  # a full disk: 507 saying so
        status, message = os_error_answer(exc, agent.store.root)
        return JSONResponse({"detail": message}, status_code=status)

    @app.get("/health")
    async def health() -> dict[str, Any]:  # on the event loop: never behind a thread pool
        return {"ok": True, "tools": agent.toolbox.names, "planner": getattr(agent.planner, "name", "custom")}

    app.include_router(routes.router)
    app.include_router(openai_api.router)
    return app
