"""The session routes: sessions, media uploads, runs (plain and streamed), review, resume and
artifacts. Top-level functions over the :class:`~vitron_agent.server.context.ServerContext`."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from vitron_agent.core.errors import MediaError, ToolFailed
from vitron_agent.server.context import ServerContext, context, owner
from vitron_agent.server.transport import DIGEST, RunRequest, public_text, store_video, stream_turn

__all__ = ["router"]

MEDIA_TYPES = {
    ".png": "image/png",
    ".mp4": "video/mp4",
    ".safetensors": "application/octet-stream",
    ".npz": "application/octet-stream",
    ".txt": "text/plain",
    ".json": "application/json",
}

router = APIRouter()


class ReviewRequest(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")  # as RunRequest: no coercion, no unknown fields

    action: str = Field(pattern="^(approve|edit|reject)$")
    plan: dict[str, Any] | None = None
    reason: str | None = Field(default=None, max_length=1000)


@router.post("/v1/sessions")
def create_session(caller: str = Depends(owner), ctx: ServerContext = Depends(context)) -> dict[str, str]:
    return {"session": uuid.uuid4().hex[:12]}


@router.get("/v1/sessions")
def list_all(caller: str = Depends(owner), ctx: ServerContext = Depends(context)) -> list[dict[str, Any]]:
    from vitron_agent.runtime.sessions import ScopedSession, list_sessions

    rows = []
    for info in list_sessions(ctx.agent):
        scope = ScopedSession.from_internal(info.id)
        if scope is not None and scope.owner == caller:
            rows.append({**info.as_dict(), "id": scope.public})
    return rows


@router.get("/v1/sessions/{public}")
def show(public: str, caller: str = Depends(owner), ctx: ServerContext = Depends(context)) -> dict[str, Any]:
    from vitron_agent.runtime.sessions import session_state

    session = ctx.session(caller, public)
    state = session_state(ctx.agent, session)
    if not state:
        raise HTTPException(404, f"no session {public!r}")
    pending = ctx.agent.pending(session)
    records = (state.get("records") or {}) if pending else {}
    return ctx.to_public(
        {
            "session": public,
            "history": state.get("history", []),
            "last": state.get("last", {}),
            "pending": pending,
            # of an unfinished turn: the steps already checkpointed (resume does not run them again)
            "steps_done": sorted(k for k, r in records.items() if r.get("status") == "ok"),
        },
        session,
    )


@router.delete("/v1/sessions/{public}")
def delete(public: str, caller: str = Depends(owner), ctx: ServerContext = Depends(context)) -> dict[str, Any]:
    from vitron_agent.runtime.sessions import delete_session

    if not delete_session(ctx.agent, ctx.session(caller, public)):
        raise HTTPException(404, f"no session {public!r}")
    return {"deleted": public}


@router.post("/v1/sessions/{public}/media")
async def upload(
    public: str, request: Request, caller: str = Depends(owner), ctx: ServerContext = Depends(context)
) -> dict[str, Any]:
    """An image or a video (``Content-Type: video/*``, or a file name ending .mp4/.mov/.mkv/.webm/...)."""
    from vitron_agent.media.images import load_image
    from vitron_agent.media.video import VIDEO_SUFFIXES

    session = ctx.session(caller, public)
    declared = int(request.headers.get("content-length") or 0)
    if declared > ctx.settings.max_upload_bytes:
        raise HTTPException(
            413, f"upload of {declared:,} bytes exceeds the {ctx.settings.max_upload_bytes:,}-byte limit"
        )
    data = await _read_limited(request, ctx.settings.max_upload_bytes)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        try:
            # parsed on a worker thread (its own event loop): ~0.1 s of CPU for a 20 MB form
            data, name = await asyncio.to_thread(asyncio.run, _parse_multipart(request.headers, data))
        except HTTPException:
            raise
        except Exception as exc:  # starlette's parser: no boundary, truncated parts ...
            raise HTTPException(
                400,
                f"the multipart body cannot be read ({type(exc).__name__}); send the "
                "file as a multipart form field or as the raw body",
            ) from None
    else:
        name = request.headers.get("x-filename", "upload")
    from vitron_agent.media.video import container_format

    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    # a declared image/* is an image (an AVIF or HEIC still is an ISO-BMFF file, as an mp4 is);
    # otherwise video/*, a video file name or a video container's bytes make it a video
    is_video = not ctype.startswith("image/") and (
        ctype.startswith("video/")
        or name.lower().endswith(VIDEO_SUFFIXES)
        or container_format(bytes(data[:400])) not in (None, "gif")
    )
    try:
        if is_video:
            ref = await ctx.video_decoding.submit(store_video, ctx.agent, session, data, name[:100])
        else:  # decoded on the admission-controlled pool, hashed and PNG-encoded on a thread: never on the loop
            arr = await ctx.decoding.submit(load_image, data, ctx.agent.config.store.max_pixels, name[:100])
            ref = await asyncio.to_thread(session.store.put_image, arr, "input")
    except MediaError as exc:
        raise HTTPException(400, str(exc)) from None
    return ctx.to_public(ref.model_dump(mode="json"), session)


@router.post("/v1/sessions/{public}/runs")
async def run(
    public: str, body: RunRequest, caller: str = Depends(owner), ctx: ServerContext = Depends(context)
) -> dict[str, Any]:
    session = ctx.session(caller, public)
    turn = body.turn(lambda obj: ctx.to_internal(obj, session))
    return await ctx.run_turn_in_time(session, turn, " and its result will be in the session history")


@router.post("/v1/sessions/{public}/runs/stream")
async def run_stream(
    public: str, body: RunRequest, caller: str = Depends(owner), ctx: ServerContext = Depends(context)
) -> StreamingResponse:
    session = ctx.session(caller, public)
    ctx.runs.check()  # at capacity: 429 now, not a stream that says so later

    async def stream():
        try:

            def run(on_event):  # the turn is built on the worker: a refusal is the stream's error event
                return ctx.run_turn(session, body.turn(lambda obj: ctx.to_internal(obj, session)), on_event)

            async for event in stream_turn(run, ctx.runs.submit):
                if event["type"] == "result":
                    contract = await asyncio.to_thread(ctx.contract, event["result"], session)
                    event = {"type": "result", "result": contract}
                else:
                    event = ctx.to_public(_jsonable(event), session)
                    if event["type"] == "error":
                        event["detail"] = public_text(event["detail"], ctx.agent.store.root)
                yield f"event: {event['type']}\ndata: {json.dumps(event, default=str)}\n\n"
        except Exception as exc:  # writing the result failed: still end the stream with an error event
            logging.getLogger("vitron_agent.server").exception("a run stream failed")
            error = {"type": "error", "status": 500, "detail": f"internal error ({type(exc).__name__}); logged"}
            yield f"event: error\ndata: {json.dumps(error)}\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream")


@router.post("/v1/sessions/{public}/review")
async def review(
    public: str, body: ReviewRequest, caller: str = Depends(owner), ctx: ServerContext = Depends(context)
) -> dict[str, Any]:
    session = ctx.session(caller, public)
    plan = ctx.to_internal(body.plan, session) if body.plan else None

    def decide():  # the decision and its contract in one job on the run pool
        return ctx.contract(ctx.agent.review(session, body.action, plan=plan, reason=body.reason), session)

    return await ctx.runs.submit(decide)


@router.post("/v1/sessions/{public}/resume")
async def resume(public: str, caller: str = Depends(owner), ctx: ServerContext = Depends(context)) -> dict[str, Any]:
    """Finish a turn that a server crash interrupted (completed steps are not run again)."""
    session = ctx.session(caller, public)
    return await ctx.runs.submit(lambda: ctx.contract(ctx.agent.resume(session), session))


@router.get("/v1/sessions/{public}/artifacts/{artifact}")
async def artifact(
    public: str,
    artifact: str,
    preview: bool = False,
    audio: str | None = None,
    caller: str = Depends(owner),
    ctx: ServerContext = Depends(context),
) -> FileResponse:
    """The artifact's file. ``?preview=true`` on a video: a yuv420p H.264 copy browsers play
    (the stored file is lossless RGB H.264, exact but not playable everywhere); with
    ``&audio=ID`` (the video ref's ``audio``, as a turn's result gives it) the copy has its sound.
    The stored file holds the pictures only: its id is theirs, the sound is stored beside it."""
    session = ctx.session(caller, public)
    if not DIGEST.match(artifact):
        raise HTTPException(404, "no such artifact")
    if audio is not None and not (preview and DIGEST.match(audio)):
        raise HTTPException(
            422,
            "audio= takes the 64-hex-digit id in a video ref's 'audio' field and goes with preview=true "
            "(a playable copy with the sound); the stored file itself has the pictures only",
        )
    store = session.store
    path = await asyncio.to_thread(store.file_of, artifact)  # fetched from the bucket if need be
    if path is None or path.suffix not in MEDIA_TYPES or path.suffix == ".json":
        raise HTTPException(404, "no such artifact")
    pool = ctx.video_decoding if path.suffix == ".mp4" else ctx.decoding
    if preview and path.suffix == ".mp4":
        return await pool.submit(
            _video_preview, ctx.agent, session, artifact, audio
        )  # decodes the clip: verified there
    try:  # the file served is the file checked against the id (decoded and hashed on a pool thread)
        found = await pool.submit(store.verified_file, artifact)
    except ToolFailed as exc:
        raise HTTPException(502, str(exc)) from None
    if found is None:
        raise HTTPException(404, "no such artifact")
    fh, suffix = found
    size = os.fstat(fh.fileno()).st_size

    def chunks():
        with fh:  # the open file that was checked (starlette iterates this on a thread)
            while data := fh.read(1 << 20):
                yield data

    name = f"{artifact[:12]}{suffix}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Content-Length": str(size)}
    return StreamingResponse(chunks(), media_type=MEDIA_TYPES[suffix], headers=headers)


def _video_preview(agent, session: Any, artifact: str, audio: str | None = None) -> FileResponse:
    import os
    import tempfile
    from pathlib import Path

    from vitron_agent.media.video import write_preview
    from vitron_agent.runtime.turns import ref_from_store

    store = session.store
    ref = ref_from_store(store, artifact, "video")
    sound = None
    if audio is not None:
        from vitron_agent.media.audio import get_audio

        try:
            sound = get_audio(store, audio)
        except (ValueError, KeyError, TypeError):
            sound = None
        if sound is None:
            raise HTTPException(404, f"there is no stored sound {audio[:12]} in this session")
    name = f"{artifact}.{audio}.mp4" if audio else f"{artifact}.mp4"
    cached = Path(agent.store.root) / "previews" / name  # content-addressed: made once, served again
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".mp4", dir=cached.parent)
        os.close(fd)
        try:
            write_preview(store.get_video(ref).frames(), tmp, ref.fps, max_side=1920)
            if sound is not None:
                from vitron_agent.media.audio import mux_into

                mux_into(tmp, sound)
            os.replace(tmp, cached)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return FileResponse(cached, media_type="video/mp4", filename=f"{artifact[:12]}.preview.mp4")


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


async def _parse_multipart(headers: Any, data: bytes) -> tuple[bytes, str]:
    """The first file part of a multipart body already read into ``data`` (``headers``: the request's)."""
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartParser

    async def body_stream():
        yield data

    form = await MultiPartParser(headers, body_stream()).parse()
    for value in form.values():
        if isinstance(value, UploadFile):
            return await value.read(), value.filename or "upload"
    raise HTTPException(400, "the multipart body has no file part; send the image as a file field")
