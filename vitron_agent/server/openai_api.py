"""OpenAI-compatible ``/v1/chat/completions`` (and ``/v1/models``), so any OpenAI client can
drive the agent. The last user message is the instruction; its ``image_url`` parts are data
URLs or ``vitron://<artifact id>`` (an upload of that session). The session is the
``X-Vitron-Session`` header, else the ``user`` field, else a new one (named in the reply's
``vitron_session``). Artifacts come back as links in the message. ``stream: true`` sends
``chat.completion.chunk`` events: one line per finished step, then the answer."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse

from vitron_agent.errors import InputError, MediaError

__all__ = ["add_openai_routes"]

MODEL_ID = "vitron-agent"


def _last_user(messages: list[dict[str, Any]]) -> tuple[str, list[str], list[str]]:
    """Text, image URLs and video URLs (``video_url`` parts, as vLLM takes them) of the last user message."""
    for msg in reversed(messages):
        if msg.get("role") != "user":
            continue
        content = msg.get("content")
        if isinstance(content, str):
            return content, [], []
        texts, images, videos = [], [], []
        for part in content or []:
            kind = part.get("type")
            if kind == "text":
                texts.append(part.get("text", ""))
            elif kind in ("image_url", "video_url"):
                url = part.get(kind)
                (images if kind == "image_url" else videos).append(url.get("url", "") if isinstance(url, dict) else str(url))
        return "\n".join(texts), images, videos
    raise HTTPException(400, "messages has no user message")


def _links(data: dict[str, Any]) -> str:
    lines = [f"- {s['id']} {name}: {o['path']}" for s in data["steps"] for name, o in s["outputs"].items()
             if o["path"] and o["kind"] in ("image", "mask", "video")]
    return ("\n\nArtifacts:\n" + "\n".join(lines)) if lines else ""


def add_openai_routes(app: FastAPI, agent, settings, auth, internal, run_turn, contract) -> None:
    from vitron_agent.server.common import RunRequest, data_url_bytes, stored_ref

    @app.get("/v1/models")
    def models(owner: str = Depends(auth)) -> dict[str, Any]:
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "vitron-agent"}]}

    def prepare(owner: str, request: Request, body: dict[str, Any]) -> tuple[str, str, RunRequest]:
        from vitron_agent.media import load_image

        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise HTTPException(400, "messages must be a non-empty list")
        public = request.headers.get("x-vitron-session") or body.get("user") or uuid.uuid4().hex[:12]
        sid = internal(owner, str(public))
        text, images, videos = _last_user(messages)
        if not text.strip():
            raise HTTPException(400, "the last user message has no text instruction")
        image = None
        if images:
            url = images[-1]
            if url.startswith("vitron://"):
                image = stored_ref(agent.store_for(sid), url[len("vitron://"):], "image", str(public))
            else:
                try:
                    data = data_url_bytes(url)
                    if len(data) > settings.max_upload_bytes:
                        raise HTTPException(413, f"image of {len(data):,} bytes exceeds the {settings.max_upload_bytes:,}-byte limit")
                    arr = load_image(data, agent.config.store.max_pixels, "image_url")
                except (InputError, MediaError) as exc:
                    raise HTTPException(400, str(exc)) from None
                ref = agent.store_for(sid).put_image(arr, producer="input")
                image = {**ref.model_dump(mode="json"), "session": public}
        video = _video(sid, public, videos[-1]) if videos else None
        return sid, str(public), RunRequest(text=text[:10_000], image=image, video=video)

    def _video(sid: str, public: str, url: str) -> dict[str, Any]:
        from vitron_agent.server.common import store_video

        if url.startswith("vitron://"):
            return stored_ref(agent.store_for(sid), url[len("vitron://"):], "video", public)
        try:
            data = data_url_bytes(url, "video")
            if len(data) > settings.max_upload_bytes:
                raise HTTPException(413, f"video of {len(data):,} bytes exceeds the {settings.max_upload_bytes:,}-byte limit")
            ref = store_video(agent, sid, data, "video_url")
        except (InputError, MediaError) as exc:
            raise HTTPException(400, str(exc)) from None
        return {**ref.model_dump(mode="json"), "session": public}

    @app.post("/v1/chat/completions")
    async def completions(request: Request, owner: str = Depends(auth)):
        try:
            return await _completions(request, owner)
        except HTTPException as exc:  # OpenAI clients read error.message
            return JSONResponse({"error": {"message": str(exc.detail), "type": "invalid_request_error",
                                           "code": exc.status_code}}, status_code=exc.status_code,
                                headers=exc.headers)
        except (InputError, MediaError) as exc:
            return JSONResponse({"error": {"message": str(exc), "type": "invalid_request_error", "code": 400}},
                                status_code=400)

    async def _completions(request: Request, owner: str):
        try:
            body = await request.json()
        except ValueError:
            raise HTTPException(400, "the body is not JSON") from None
        if not isinstance(body, dict):
            raise HTTPException(400, "the body must be a JSON object")
        sid, public, run_body = await asyncio.to_thread(prepare, owner, request, body)
        created, cid = int(time.time()), f"chatcmpl-{uuid.uuid4().hex[:24]}"
        if not body.get("stream"):
            result = await asyncio.wait_for(asyncio.to_thread(run_turn, sid, public, run_body), settings.run_timeout)
            data = contract(result, sid, public)
            return {"id": cid, "object": "chat.completion", "created": created, "model": MODEL_ID,
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": data["answer"] + _links(data)}}],
                    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                    "vitron_session": public, "vitron_result": data}
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        def chunk(content: str | None, finish: str | None = None) -> str:
            delta = {"content": content} if content is not None else {}
            payload = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], "vitron_session": public}
            return f"data: {json.dumps(payload)}\n\n"

        def on_event(event: dict[str, Any]) -> None:
            if event["type"] == "step_finished":
                line = f"[{event['step']} {event['tool']}: {event['status']}]\n"
                loop.call_soon_threadsafe(queue.put_nowait, chunk(line))

        async def produce() -> None:
            try:
                result = await asyncio.to_thread(run_turn, sid, public, run_body, on_event)
                data = contract(result, sid, public)
                await queue.put(chunk(data["answer"] + _links(data)))
                await queue.put(chunk(None, "stop"))
            except HTTPException as exc:
                await queue.put(chunk(f"error: {exc.detail}", "stop"))
            await queue.put("data: [DONE]\n\n")
            await queue.put(None)

        async def stream():
            task = asyncio.create_task(produce())
            first = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                     "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]}
            yield f"data: {json.dumps(first)}\n\n"
            while True:
                item = await queue.get()
                if item is None:
                    break
                yield item
            await task

        return StreamingResponse(stream(), media_type="text/event-stream")
