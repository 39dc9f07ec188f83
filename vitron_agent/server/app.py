"""FastAPI app around an :class:`~vitron_agent.agent.Agent`.

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

import asyncio
import hashlib
import hmac
import json
import logging
import re
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from vitron_agent.errors import MediaError, RefError, VitronError
from vitron_agent.server.common import DIGEST, RunRequest, public_text, store_video, stream_turn

__all__ = ["ServerSettings", "create_app"]

PUBLIC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MEDIA_TYPES = {".png": "image/png", ".mp4": "video/mp4", ".safetensors": "application/octet-stream",
               ".npz": "application/octet-stream", ".txt": "text/plain", ".json": "application/json"}


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


class ReviewRequest(BaseModel):
    action: str = Field(pattern="^(approve|edit|reject)$")
    plan: dict[str, Any] | None = None
    reason: str | None = Field(default=None, max_length=1000)


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
            raise HTTPException(429, f"the server is at capacity ({self.limit} {self.what} admitted); retry shortly",
                                headers={"Retry-After": "2"})

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


def _owner(token: str | None) -> str:
    return "local" if token is None else "t" + hashlib.sha256(token.encode()).hexdigest()[:12]


def create_app(agent, settings: ServerSettings | None = None) -> FastAPI:
    """The app serving ``agent``. Its store and checkpointer hold the sessions."""
    settings = settings or ServerSettings()
    app = FastAPI(title="vitron-agent", version="0.1.0",
                  description="Agentic vision over HTTP: upload media, run instructions, fetch artifacts; "
                              "OpenAI-compatible /v1/chat/completions.")
    runs = Admission(settings.max_running, settings.max_queued, "runs")
    decoding = Admission(2, 8, "uploads")  # decoding uploads and video previews
    app.state.runs, app.state.decoding = runs, decoding
    from fastapi.exceptions import RequestValidationError

    from vitron_agent.server.guard import Guard

    # auth, Host/Origin and body checks before any body is read (OpenAPI and docs included)
    app.add_middleware(Guard, token=settings.token, max_json_bytes=settings.max_json_bytes)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        # name what is wrong; never echo the input back
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                    for e in exc.errors()[:10]]
        return JSONResponse({"detail": problems}, status_code=422)

    def auth(request: Request) -> str:
        if settings.token is None:
            return _owner(None)
        header = request.headers.get("authorization", "")
        given = header[7:] if header.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), settings.token.encode()):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
        return _owner(settings.token)

    def internal(owner: str, public: str) -> str:
        if not PUBLIC_ID.match(public) or ".." in public:
            raise HTTPException(422, "session ids are 1-64 letters, digits, '.', '_' or '-' (no '..')")
        return f"{owner}-{public}"

    def to_public(obj: Any, sid: str, public: str) -> Any:
        if isinstance(obj, dict):
            out = {k: to_public(v, sid, public) for k, v in obj.items()}
            if out.get("session") == sid:
                out["session"] = public
            return out
        if isinstance(obj, list):
            return [to_public(v, sid, public) for v in obj]
        return obj

    def to_internal(obj: Any, sid: str, public: str) -> Any:
        if isinstance(obj, dict):
            out = {k: to_internal(v, sid, public) for k, v in obj.items()}
            if "session" in out and "id" in out:
                if out["session"] != public:
                    raise HTTPException(404, f"{out.get('type', 'artifact')} {str(out['id'])[:12]} is not in this session")
                out["session"] = sid
            return out
        if isinstance(obj, list):
            return [to_internal(v, sid, public) for v in obj]
        return obj

    def contract(result, sid: str, public: str) -> dict[str, Any]:
        from vitron_agent.export import result_json

        data = result_json(result, agent.store)
        base = f"{settings.public_url}/v1/sessions/{public}/artifacts"
        for step in data["steps"]:
            for out in step["outputs"].values():
                if out["path"] is not None and isinstance(out["value"], dict):
                    out["path"] = f"{base}/{out['value']['id']}"
        data = to_public(data, sid, public)
        data["session"] = public
        if result.awaiting_review:
            data["awaiting_review"] = True
            data["plan"] = result.plan.model_dump()
        return data

    def run_turn(sid: str, public: str, body: RunRequest, on_event=None):
        image = to_internal(body.image, sid, public) if body.image else None
        video = to_internal(body.video, sid, public) if body.video else None
        regions = to_internal(body.regions, sid, public)
        return agent.run(body.text, image=image, regions=regions, session=sid, on_event=on_event, review=body.review,
                         video=video)

    @app.exception_handler(VitronError)
    async def vitron_error(request: Request, exc: VitronError):
        status = 404 if isinstance(exc, RefError) else 400
        return JSONResponse({"detail": public_text(str(exc), agent.store.root)}, status_code=status)

    @app.get("/health")
    async def health() -> dict[str, Any]:  # on the event loop: never behind a thread pool
        return {"ok": True, "tools": agent.toolbox.names, "planner": getattr(agent.planner, "name", "custom")}

    @app.post("/v1/sessions")
    def create_session(owner: str = Depends(auth)) -> dict[str, str]:
        return {"session": uuid.uuid4().hex[:12]}

    @app.get("/v1/sessions")
    def list_all(owner: str = Depends(auth)) -> list[dict[str, Any]]:
        from vitron_agent.sessions import list_sessions

        prefix = f"{owner}-"
        rows = [s.as_dict() for s in list_sessions(agent) if s.id.startswith(prefix)]
        for r in rows:
            r["id"] = r["id"][len(prefix):]
        return rows

    @app.get("/v1/sessions/{public}")
    def show(public: str, owner: str = Depends(auth)) -> dict[str, Any]:
        from vitron_agent.sessions import session_state

        sid = internal(owner, public)
        state = session_state(agent, sid)
        if not state:
            raise HTTPException(404, f"no session {public!r}")
        return to_public({"session": public, "history": state.get("history", []), "last": state.get("last", {}),
                          "pending": agent.pending(sid)}, sid, public)

    @app.delete("/v1/sessions/{public}")
    def delete(public: str, owner: str = Depends(auth)) -> dict[str, Any]:
        from vitron_agent.sessions import delete_session

        if not delete_session(agent, internal(owner, public)):
            raise HTTPException(404, f"no session {public!r}")
        return {"deleted": public}

    @app.post("/v1/sessions/{public}/media")
    async def upload(public: str, request: Request, owner: str = Depends(auth)) -> dict[str, Any]:
        """An image or a video (``Content-Type: video/*``, or a file name ending .mp4/.mov/.mkv/.webm/...)."""
        from vitron_agent.media import load_image
        from vitron_agent.video import VIDEO_SUFFIXES

        sid = internal(owner, public)
        declared = int(request.headers.get("content-length") or 0)
        if declared > settings.max_upload_bytes:
            raise HTTPException(413, f"upload of {declared:,} bytes exceeds the {settings.max_upload_bytes:,}-byte limit")
        data = await _read_limited(request, settings.max_upload_bytes)
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            try:
                data, name = await _parse_multipart(request, data)
            except HTTPException:
                raise
            except Exception as exc:  # starlette's parser: no boundary, truncated parts ...
                raise HTTPException(400, f"the multipart body cannot be read ({type(exc).__name__}); send the "
                                         "file as a multipart form field or as the raw body") from None
        else:
            name = request.headers.get("x-filename", "upload")
        is_video = (request.headers.get("content-type", "").startswith("video/")
                    or name.lower().endswith(VIDEO_SUFFIXES))
        try:
            if is_video:
                ref = await decoding.submit(store_video, agent, sid, data, name[:100])
            else:
                arr = await decoding.submit(load_image, data, agent.config.store.max_pixels, name[:100])
                ref = agent.store_for(sid).put_image(arr, producer="input")
        except MediaError as exc:
            raise HTTPException(400, str(exc)) from None
        return to_public(ref.model_dump(mode="json"), sid, public)

    @app.post("/v1/sessions/{public}/runs")
    async def run(public: str, body: RunRequest, owner: str = Depends(auth)) -> dict[str, Any]:
        sid = internal(owner, public)
        try:
            result = await asyncio.wait_for(runs.submit(run_turn, sid, public, body), settings.run_timeout)
        except TimeoutError:
            raise HTTPException(504, f"the run took longer than {settings.run_timeout:g} s; it goes on in the "
                                     "background and its result will be in the session history") from None
        return contract(result, sid, public)

    @app.post("/v1/sessions/{public}/runs/stream")
    async def run_stream(public: str, body: RunRequest, owner: str = Depends(auth)) -> StreamingResponse:
        sid = internal(owner, public)
        runs.check()  # at capacity: 429 now, not a stream that says so later

        async def stream():
            try:
                async for event in stream_turn(lambda on_event: run_turn(sid, public, body, on_event), runs.submit):
                    if event["type"] == "result":
                        event = {"type": "result", "result": contract(event["result"], sid, public)}
                    else:
                        event = to_public(_jsonable(event), sid, public)
                        if event["type"] == "error":
                            event["detail"] = public_text(event["detail"], agent.store.root)
                    yield f"event: {event['type']}\ndata: {json.dumps(event, default=str)}\n\n"
            except Exception as exc:  # writing the result failed: still end the stream with an error event
                logging.getLogger("vitron_agent.server").exception("a run stream failed")
                error = {"type": "error", "status": 500, "detail": f"internal error ({type(exc).__name__}); logged"}
                yield f"event: error\ndata: {json.dumps(error)}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    @app.post("/v1/sessions/{public}/review")
    async def review(public: str, body: ReviewRequest, owner: str = Depends(auth)) -> dict[str, Any]:
        sid = internal(owner, public)
        plan = to_internal(body.plan, sid, public) if body.plan else None

        def decide():
            return agent.review(sid, body.action, plan=plan, reason=body.reason)

        return contract(await runs.submit(decide), sid, public)

    @app.post("/v1/sessions/{public}/resume")
    async def resume(public: str, owner: str = Depends(auth)) -> dict[str, Any]:
        """Finish a turn that a server crash interrupted (completed steps are not run again)."""
        sid = internal(owner, public)

        return contract(await runs.submit(agent.resume, sid), sid, public)

    @app.get("/v1/sessions/{public}/artifacts/{artifact}")
    async def artifact(public: str, artifact: str, preview: bool = False, owner: str = Depends(auth)) -> FileResponse:
        """The artifact's file. ``?preview=true`` on a video: a yuv420p H.264 copy browsers play
        (the stored file is lossless RGB H.264, exact but not playable everywhere)."""
        sid = internal(owner, public)
        if not DIGEST.match(artifact):
            raise HTTPException(404, "no such artifact")
        folder = agent.store.root / sid
        for suffix, media in MEDIA_TYPES.items():
            path = folder / f"{artifact}{suffix}"
            if suffix != ".json" and path.is_file():
                if preview and suffix == ".mp4":
                    return await decoding.submit(_video_preview, agent, sid, artifact)
                return FileResponse(path, media_type=media, filename=f"{artifact[:12]}{suffix}")
        raise HTTPException(404, "no such artifact")

    from vitron_agent.server.openai_api import add_openai_routes

    add_openai_routes(app, agent, settings, auth, internal, run_turn, contract, runs)
    return app


def _video_preview(agent, sid: str, artifact: str) -> FileResponse:
    import json as _json
    import os
    import tempfile

    from starlette.background import BackgroundTask

    from vitron_agent.refs import VideoRef
    from vitron_agent.video import write_preview

    store = agent.store_for(sid)
    meta = _json.loads((store.dir / f"{artifact}.json").read_text())
    ref = VideoRef(id=artifact, session=sid, frames=meta["shape"][0], height=meta["shape"][1], width=meta["shape"][2],
                   fps=meta["fps"])
    fd, tmp = tempfile.mkstemp(suffix=".mp4")
    os.close(fd)
    write_preview(store.get_video(ref).frames(), tmp, ref.fps, max_side=1920)
    return FileResponse(tmp, media_type="video/mp4", filename=f"{artifact[:12]}.preview.mp4",
                        background=BackgroundTask(os.unlink, tmp))


def _jsonable(event: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(event, default=str))


async def _read_limited(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"upload exceeds the {limit:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


async def _parse_multipart(request: Request, data: bytes) -> tuple[bytes, str]:
    """The first file part of a multipart body already read into ``data``."""
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartParser

    async def body_stream():
        yield data

    form = await MultiPartParser(request.headers, body_stream()).parse()
    for value in form.values():
        if isinstance(value, UploadFile):
            return await value.read(), value.filename or "upload"
    raise HTTPException(400, "the multipart body has no file part; send the image as a file field")
