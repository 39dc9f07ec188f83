"""What the HTTP app and the OpenAI-compatible routes share: request models, id checks and
media helpers (a module of its own, so neither imports the other)."""

from __future__ import annotations

import asyncio
import base64
import errno
import logging
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from vitron_agent.core.errors import InputError
from vitron_agent.runtime.sessions import OWNER_PATTERN
from vitron_agent.runtime.turns import TurnRequest

__all__ = [
    "os_error_answer",
    "DIGEST",
    "RunRequest",
    "base64_bytes",
    "data_url_bytes",
    "store_video",
    "stored_ref",
    "stream_turn",
    "public_text",
]

_INTERNAL_SESSION = re.compile(rf"\b(?:{OWNER_PATTERN})-([A-Za-z0-9][A-Za-z0-9._-]*)")


def public_text(text: str, root: Any = None) -> str:
    """A message for a client: the server's data folder is not named, and an internal
    (:class:`~vitron_agent.runtime.sessions.ScopedSession`) id that a deep layer wrote into it (a store's
    error names its folder) is shown as its public part. Messages the agent writes name the
    session's public id already (:attr:`SessionHandle.public <vitron_agent.runtime.sessions.SessionHandle>`);
    this is the last line of defence, not the mapping."""
    text = _INTERNAL_SESSION.sub(r"\1", str(text))
    if root is not None:
        text = text.replace(str(root), "<data>")
    return text


DIGEST = re.compile(r"^[0-9a-f]{64}$")


def os_error_answer(exc: OSError, root: Any = None) -> tuple[int, str]:
    """(status, message) for a read or write the server's machine refused: a full disk or quota is 507
    with where and what to do; anything else a 500 naming the reason (never a traceback to the client,
    which had been a plain "Internal Server Error" and a dropped connection)."""
    from vitron_agent.storage.writer import not_stored_because

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return 507, public_text(f"nothing was stored: {not_stored_because(exc)}", root)
    logging.getLogger("vitron_agent.server").exception("an OSError reached a route")
    return 500, public_text(f"the server could not read or write its data ({exc.strerror or exc}); it is logged", root)


class RunRequest(BaseModel):
    # strict: "review": "false" or 1 is a 422 naming the field, not a guess; an unknown field (a
    # typo such as "reveiw") is a 422 too, never silently ignored
    model_config = ConfigDict(strict=True, extra="forbid")

    text: str = Field(min_length=1, max_length=10_000, description="the instruction")
    image: dict[str, Any] | None = Field(default=None, description="an ImageRef returned by an upload (or null)")
    video: dict[str, Any] | None = Field(default=None, description="a VideoRef returned by an upload (or null)")
    regions: list[dict[str, Any]] = Field(default_factory=list, max_length=16, description="Point / Box regions")
    review: bool = Field(default=False, description="stop after planning for approval")

    def turn(self, to_internal: Callable[[Any], Any]) -> TurnRequest:
        """The turn this body asks for, its refs mapped by ``to_internal`` (the client's public
        session id to the agent's; a ref of another session is refused there)."""
        return TurnRequest(
            self.text,
            image=to_internal(self.image) if self.image else None,
            video=to_internal(self.video) if self.video else None,
            regions=tuple(to_internal(self.regions)),
            review=self.review,
        )


def store_video(agent, session: Any, data: bytes, name: str):
    """Decode ``data`` (a video file's bytes) under the store's caps into ``session`` (a
    :class:`~vitron_agent.runtime.sessions.SessionHandle` or an id); its VideoRef."""
    from vitron_agent.media.video import open_video

    cfg = agent.config.store
    info, frames = open_video(
        data, max_pixels=cfg.max_pixels, max_frames=cfg.max_video_frames, max_seconds=cfg.max_video_seconds, name=name
    )
    from vitron_agent.media.audio import sound_of

    return agent.store_for(session).put_video(frames, info.fps, producer="input", audio=lambda s: sound_of(data, s))


def data_url_bytes(url: str, medium: str = "image") -> bytes:
    """The bytes of a ``data:<medium>/...;base64,...`` URL (anything else is refused: no fetching)."""
    m = re.match(rf"^data:{medium}/[A-Za-z0-9.+-]+;base64,(.*)$", url, re.S)
    if not m:
        raise InputError(
            f"{medium}_url must be a data:{medium}/...;base64 URL or vitron://<artifact id>; "
            "the server fetches nothing from the network"
        )
    try:
        return base64_bytes(m.group(1))
    except ValueError:
        raise InputError(f"{medium}_url data is not valid base64") from None


def base64_bytes(text: str) -> bytes:
    """The bytes of base64 ``text`` whose lines may be wrapped (``base64 FILE`` wraps at 76 columns, as
    ``base64.encodebytes`` and MIME do): ASCII whitespace is dropped, as WHATWG's forgiving-base64 of a
    data URL does; any other character outside the alphabet is a ValueError."""
    return base64.b64decode("".join(text.split()), validate=True)


def stored_ref(store: Any, artifact: str, kind: str) -> dict[str, Any]:
    """The ref of a ``kind`` artifact a client named by id (``vitron://<id>``), rebuilt from the
    store's own metadata: the id must be a SHA-256 digest (checked before any file is touched),
    the artifact must exist in this session and be of that kind. Nothing the client says about
    its size, length or rate is used."""
    from fastapi import HTTPException

    from vitron_agent.core.errors import RefError
    from vitron_agent.runtime.turns import ref_from_store

    if not DIGEST.match(artifact):  # before any file is touched, and the same refusal for every bad id
        raise HTTPException(400, f"{kind} ids are 64 hex digits (a SHA-256 digest); upload the {kind} first")
    try:
        ref = ref_from_store(store, artifact, kind)
    except RefError:
        raise HTTPException(404, f"no uploaded {kind} with that id in this session") from None
    return ref.model_dump(mode="json")


async def stream_turn(
    run: Callable[[Callable[[dict[str, Any]], None]], Any], submit: Callable[..., Any] | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Run ``run(on_event)`` (a blocking turn) in a worker thread (``submit(fn, arg)``, an
    admission-controlled pool; default ``asyncio.to_thread``) and yield its events as they
    come, then exactly one last event: ``{"type": "result", "result": ...}`` or ``{"type":
    "error", "status": ..., "detail": ...}``. Every stream ends, whatever the turn raised; an
    unexpected error is logged here with its traceback and reported without internals."""
    from fastapi import HTTPException

    from vitron_agent.core.errors import VitronError, http_status

    loop = asyncio.get_running_loop()
    events: asyncio.Queue = asyncio.Queue()

    def on_event(event: dict[str, Any]) -> None:
        if event["type"] != "result":
            loop.call_soon_threadsafe(events.put_nowait, event)

    async def produce() -> None:
        try:
            await events.put({"type": "result", "result": await (submit or asyncio.to_thread)(run, on_event)})
        except HTTPException as exc:
            await events.put({"type": "error", "status": exc.status_code, "detail": str(exc.detail)})
        except VitronError as exc:
            await events.put({"type": "error", "status": http_status(exc), "detail": str(exc)})
        except Exception as exc:  # a bug: logged with its traceback here, the client's stream still ends
            logging.getLogger("vitron_agent.server").exception("a streamed turn failed")
            await events.put(
                {
                    "type": "error",
                    "status": 500,
                    "detail": f"the run failed with an internal error ({type(exc).__name__}); it is logged "
                    "on the server",
                }
            )
        finally:
            await events.put(None)

    task = asyncio.create_task(produce())
    try:
        while (event := await events.get()) is not None:
            yield event
    finally:
        await task


MAX_HEADER_BYTES = 64 * 1024  # request line + headers; more is refused before any app code runs


def server_config(
    app: Any, host: str, port: int, head_timeout: float | None = None, max_connections: int | None = None
) -> Any:
    """The uvicorn configuration every surface runs under: the pure-Python h11 parser, which caps
    an incomplete request head at MAX_HEADER_BYTES (uvicorn's httptools parser buffers headers
    of any size before authentication: 8 connections x 100 MB took the server 0.9 GB up), with a
    deadline for each request head and a cap on open connections
    (:func:`~vitron_agent.server.connections.guarded_protocol`; defaults ``HEAD_TIMEOUT`` s and
    ``MAX_CONNECTIONS``), and a 5 s keep-alive."""
    import uvicorn

    from vitron_agent.server.connections import HEAD_TIMEOUT, MAX_CONNECTIONS, guarded_protocol

    protocol = guarded_protocol(head_timeout or HEAD_TIMEOUT, max_connections or MAX_CONNECTIONS)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        http=protocol,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_keep_alive=5,
    )
