"""OpenAI-compatible ``/v1/chat/completions`` (and ``/v1/models``), so any OpenAI client can
drive the agent. The last user message is the instruction; its ``image_url`` parts are data
URLs or ``vitron://<artifact id>`` (an upload of that session). The session is the
``X-Vitron-Session`` header, else the ``user`` field, else a new one (named in the reply's
``vitron_session``). Artifacts come back as links in the message. ``stream: true`` sends
``chat.completion.chunk`` events: one line per finished step, then the answer."""

from __future__ import annotations

import asyncio
import difflib
import json
import logging
import math
import time
import uuid
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse

from vitron_agent.core.errors import InputError, MediaError, VitronError, http_status
from vitron_agent.runtime.sessions import SessionHandle
from vitron_agent.runtime.turns import TurnRequest
from vitron_agent.server.context import ServerContext, context, owner
from vitron_agent.server.transport import data_url_bytes, os_error_answer, public_text, stored_ref

__all__ = ["router"]

MODEL_ID = "vitron-agent"
MAX_INSTRUCTION = 10_000  # characters, as the session routes' RunRequest and MCP's run


def _last_user(messages: list[Any]) -> tuple[str, list[str], list[str]]:
    """Text, image URLs and video URLs (``video_url`` parts, as vLLM takes them) of the last user
    message; a malformed message is a 400 that says which part is wrong."""
    for i in range(len(messages) - 1, -1, -1):
        msg = messages[i]
        if not isinstance(msg, dict):
            raise HTTPException(400, f"messages[{i}] must be an object with role and content")
        if msg.get("role") != "user":
            continue
        content = msg.get("content")
        if isinstance(content, str):
            return content, [], []
        if content is not None and not isinstance(content, list):
            raise HTTPException(400, f"messages[{i}].content must be a string or a list of parts")
        texts, images, videos = [], [], []
        for j, part in enumerate(content or []):
            if not isinstance(part, dict):
                raise HTTPException(400, f"messages[{i}].content[{j}] must be an object with a type")
            kind = part.get("type")
            if kind == "text":
                if not isinstance(part.get("text", ""), str):
                    raise HTTPException(400, f"messages[{i}].content[{j}].text must be a string")
                texts.append(part.get("text", ""))
            elif kind in ("image_url", "video_url"):
                url = part.get(kind)
                url = url.get("url") if isinstance(url, dict) else url
                if not isinstance(url, str):
                    raise HTTPException(400, f"messages[{i}].content[{j}].{kind}.url must be a string")
                (images if kind == "image_url" else videos).append(url)
            else:  # audio, files, ...: refused, never run as if the part were not there
                raise HTTPException(
                    400,
                    f"messages[{i}].content[{j}] is a {json.dumps(kind)[:40]} part; this server takes "
                    "text, image_url and video_url parts",
                )
        return "\n".join(texts), images, videos
    raise HTTPException(400, "messages has no user message")


def _links(data: dict[str, Any]) -> str:
    lines = [
        f"- {s['id']} {name}: {o['path']}"
        for s in data["steps"]
        for name, o in s["outputs"].items()
        if o["path"] and o["kind"] in ("image", "mask", "video")
    ]
    return ("\n\nArtifacts:\n" + "\n".join(lines)) if lines else ""


router = APIRouter()


@router.get("/v1/models")
def models(caller: str = Depends(owner)) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "vitron-agent"}]}


def _prepare(
    ctx: ServerContext, caller: str, request: Request, body: dict[str, Any]
) -> tuple[SessionHandle, TurnRequest]:
    """The caller's session and the turn the request asks for (its media stored in that session)."""
    from vitron_agent.media.images import load_image

    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise HTTPException(400, "messages must be a non-empty list")
    public = request.headers.get("x-vitron-session") or body.get("user") or uuid.uuid4().hex[:12]
    if not isinstance(public, str):
        raise HTTPException(400, "user (the session id) must be a string")
    session = ctx.session(caller, public)
    text, images, videos = _last_user(messages)
    if not text.strip():
        raise HTTPException(400, "the last user message has no text instruction")
    if len(text) > MAX_INSTRUCTION:  # said, never cut: a cut request is another request
        raise HTTPException(
            400, f"the instruction is {len(text):,} characters; keep it under {MAX_INSTRUCTION:,} (split it into turns)"
        )
    for kind, urls in (("image_url", images), ("video_url", videos)):
        if len(urls) > 1:  # one would be used and the others dropped without a word
            raise HTTPException(
                400,
                f"the last user message has {len(urls)} {kind} parts; a turn takes one picture or one clip: "
                "send one per message (earlier results stay in the session)",
            )
    image = None
    if images:
        url = images[-1]
        if url.startswith("vitron://"):
            image = stored_ref(session.store, url[len("vitron://") :], "image")
        else:
            try:
                data = data_url_bytes(url)
                if len(data) > ctx.settings.max_upload_bytes:
                    raise HTTPException(
                        413, f"image of {len(data):,} bytes exceeds the {ctx.settings.max_upload_bytes:,}-byte limit"
                    )
                arr = load_image(data, ctx.agent.config.store.max_pixels, "image_url")
            except (InputError, MediaError) as exc:
                raise HTTPException(400, str(exc)) from None
            image = session.store.put_image(arr, producer="input").model_dump(mode="json")
    video = _video(ctx, session, videos[-1]) if videos else None
    return session, TurnRequest(text, image=image, video=video)


def _video(ctx: ServerContext, session: SessionHandle, url: str) -> dict[str, Any]:
    from vitron_agent.server.transport import store_video

    if url.startswith("vitron://"):
        return stored_ref(session.store, url[len("vitron://") :], "video")
    try:
        data = data_url_bytes(url, "video")
        if len(data) > ctx.settings.max_upload_bytes:
            raise HTTPException(
                413, f"video of {len(data):,} bytes exceeds the {ctx.settings.max_upload_bytes:,}-byte limit"
            )
        ref = store_video(ctx.agent, session, data, "video_url")
    except (InputError, MediaError) as exc:
        raise HTTPException(400, str(exc)) from None
    return ref.model_dump(mode="json")


@router.post("/v1/chat/completions")
async def completions(request: Request, caller: str = Depends(owner), ctx: ServerContext = Depends(context)):
    try:
        return await _completions(ctx, request, caller)
    except HTTPException as exc:  # OpenAI clients read error.message
        return JSONResponse(
            {
                "error": {
                    "message": public_text(exc.detail, ctx.agent.store.root),
                    "type": "invalid_request_error",
                    "code": exc.status_code,
                }
            },
            status_code=exc.status_code,
            headers=exc.headers,
        )
    except OSError as exc:  # a full disk: 507 in OpenAI's error shape
        status, message = os_error_answer(exc, ctx.agent.store.root)
        return JSONResponse({"error": {"message": message, "type": "server_error", "code": status}}, status_code=status)
    except VitronError as exc:
        status = http_status(exc)
        return JSONResponse(
            {
                "error": {
                    "message": public_text(str(exc), ctx.agent.store.root),
                    "type": "invalid_request_error",
                    "code": status,
                }
            },
            status_code=status,
        )


# The OpenAI fields this server reads or accepts, with the JSON types they must have (None: null
# or absent is fine). Sampling settings are accepted and have no effect (the planner is not
# sampled per request); a value of the wrong type is a 400 naming the field, never a guess.
_FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "model": ((str,), "a string"),
    "user": ((str,), "a string (the session id)"),
    "stream": ((bool,), "true or false (a JSON boolean)"),
    "stream_options": ((dict,), "an object"),
    "n": ((int,), "1"),
    "max_tokens": ((int,), "an integer"),
    "max_completion_tokens": ((int,), "an integer"),
    "temperature": ((int, float), "a number"),
    "top_p": ((int, float), "a number"),
    "seed": ((int,), "an integer"),
    "tools": ((list,), "a list"),
    "response_format": ((dict,), "an object"),
}

# The ranges OpenAI's API takes for the numbers above (NaN, 1e30 tokens, a 40-digit seed were taken)
_FIELD_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0, 2),
    "top_p": (0, 1),
    "max_tokens": (1, 2**31 - 1),
    "max_completion_tokens": (1, 2**31 - 1),
    "seed": (-(2**63), 2**63 - 1),
}


# Every other field of OpenAI's chat completions request: accepted (they change nothing here); a name
# in neither list is a typo ("temprature") and a 400 naming it, as OpenAI's own API answers
_OTHER_OPENAI_FIELDS = frozenset(
    "messages frequency_penalty presence_penalty logit_bias logprobs top_logprobs stop parallel_tool_calls "
    "tool_choice functions function_call metadata store service_tier reasoning_effort modalities prediction "
    "audio web_search_options safety_identifier prompt_cache_key verbosity".split()
)


def _unknown_fields(body: dict[str, Any]) -> None:
    known = [*_FIELD_TYPES, *sorted(_OTHER_OPENAI_FIELDS)]
    unknown = [str(k) for k in body if k not in _FIELD_TYPES and k not in _OTHER_OPENAI_FIELDS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise HTTPException(
            400,
            f"unknown field {unknown[0][:40]!r}{hint} (the fields of OpenAI's chat completions request: "
            f"{', '.join(known)})",
        )


def _check_fields(body: dict[str, Any]) -> None:
    _unknown_fields(body)
    for name, (types, what) in _FIELD_TYPES.items():
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            raise HTTPException(400, f"{name} must be {what}, not {json.dumps(value)[:40]}")
    for name, (low, high) in _FIELD_RANGES.items():  # no effect here, but a value no client means is a 400 too
        value = body.get(name)
        if value is not None and not ((isinstance(value, int) or math.isfinite(value)) and low <= value <= high):
            raise HTTPException(400, f"{name} must be from {low} to {high} (OpenAI's range), not {str(value)[:40]}")
    if body.get("n") not in (None, 1):
        raise HTTPException(400, f"n must be 1: the agent gives one answer per request, not {body['n']}")
    if body.get("tools"):
        raise HTTPException(400, "tools (client-side function calling) is not supported: the agent runs its own tools")
    fmt = (body.get("response_format") or {}).get("type", "text")
    if fmt != "text":
        raise HTTPException(400, f"response_format {json.dumps(fmt)[:40]} is not supported: the answer is text")


async def _completions(ctx: ServerContext, request: Request, caller: str):
    raw = await request.body()  # up to the guard's 4 MB: parsed on a pool thread, not on the event loop
    try:
        body = await asyncio.to_thread(json.loads, raw)
    except (ValueError, RecursionError) as exc:
        why = "a number has over 4,300 digits" if "digits" in str(exc) else "or it nests too deeply"
        raise HTTPException(400, f"the body is not JSON ({why})") from None
    if not isinstance(body, dict):
        raise HTTPException(400, "the body must be a JSON object")
    _check_fields(body)
    session, turn = await ctx.decoding.submit(_prepare, ctx, caller, request, body)
    created, cid = int(time.time()), f"chatcmpl-{uuid.uuid4().hex[:24]}"
    if not body.get("stream"):
        return await _completion(ctx, session, turn, cid, created)
    ctx.runs.check()  # at capacity: 429 now, not a stream that says so later
    return StreamingResponse(_completion_chunks(ctx, session, turn, cid, created), media_type="text/event-stream")


async def _completion(ctx: ServerContext, session: SessionHandle, turn: TurnRequest, cid: str, created: int) -> dict:
    """The whole turn as one ``chat.completion`` (504 past the run timeout; the turn goes on)."""
    still = f": ask again with the same user/session ({session.public})"
    data = await ctx.run_turn_in_time(session, turn, still)  # the contract, made on the run's worker
    return {
        "id": cid,
        "object": "chat.completion",
        "created": created,
        "model": MODEL_ID,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": data["answer"] + _links(data)},
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "vitron_session": session.public,
        "vitron_result": data,
    }


async def _completion_chunks(ctx: ServerContext, session: SessionHandle, turn: TurnRequest, cid: str, created: int):
    """The turn as ``chat.completion.chunk`` server-sent events: a line per finished step, the answer, [DONE]."""
    from vitron_agent.server.transport import stream_turn

    def chunk(content: str | None, finish: str | None = None, delta: dict | None = None) -> str:
        payload = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "choices": [
                {
                    "index": 0,
                    "delta": delta or ({"content": content} if content is not None else {}),
                    "finish_reason": finish,
                }
            ],
        }
        if delta is None:
            payload["vitron_session"] = session.public
        return f"data: {json.dumps(payload)}\n\n"

    yield chunk(None, delta={"role": "assistant"})
    try:
        async for event in stream_turn(lambda on_event: ctx.run_turn(session, turn, on_event), ctx.runs.submit):
            if event["type"] == "step_finished":
                yield chunk(f"[{event['step']} {event['tool']}: {event['status']}]\n")
            elif event["type"] == "result":
                data = await asyncio.to_thread(ctx.contract, event["result"], session)
                yield chunk(data["answer"] + _links(data))
                yield chunk(None, "stop")
            elif event["type"] == "error":
                yield chunk(f"error: {public_text(event['detail'], ctx.agent.store.root)}", "stop")
    except Exception as exc:  # writing the answer failed: still end the stream
        logging.getLogger("vitron_agent.server").exception("a chat stream failed")
        yield chunk(f"error: internal error ({type(exc).__name__}); it is logged on the server", "stop")
    yield "data: [DONE]\n\n"
