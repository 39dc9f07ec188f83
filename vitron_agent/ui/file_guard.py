"""Every file a UI request names must be one this app handed out: an upload in Gradio's upload
folder, a bundled sample or a result in the UI's output folder.

Gradio's own allowed-path check does not run for an app mounted with ``mount_gradio_app`` (it is
never launched): a client could post ``{"path": "/any/server/file", "meta": {"_type":
"gradio.FileData"}}`` to ``/gradio_api/queue/join`` and have the file loaded, copied into
Gradio's cache and served back. This middleware reads each API call's JSON body (bounded) before
Gradio does and refuses (403) any file reference that resolves outside those folders.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["FileRefGuard", "file_paths"]

MAX_BODY = 8 * 1024 * 1024  # API calls carry references, not files (uploads go to /upload)


def file_paths(obj: Any) -> list[str]:
    """Every ``path`` of a file reference (a dict with ``path``, or ``meta._type`` FileData) in a body."""
    out: list[str] = []
    if isinstance(obj, dict):
        path = obj.get("path")
        if isinstance(path, str) and (
            "meta" in obj or "orig_name" in obj or "url" in obj or "mime_type" in obj or len(obj) <= 3
        ):
            out.append(path)
        for v in obj.values():
            out += file_paths(v)
    elif isinstance(obj, list):
        for v in obj:
            out += file_paths(v)
    return out


class FileRefGuard:
    def __init__(self, app: Any, roots: list[Path]):
        self.app = app
        self.roots = [Path(r).resolve() for r in roots]

    def allowed(self, path: str) -> bool:
        if path.startswith(("http://", "https://", "data:")):
            return False
        try:
            real = Path(path).resolve()
        except (OSError, RuntimeError, ValueError):
            return False
        return any(real == r or r in real.parents for r in self.roots)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or "/upload" in path
            or not ("/queue/join" in path or "/run/" in path or "/call/" in path or path.endswith("/run/predict"))
        ):
            await self.app(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await _refuse(send, 413, f"request body over {MAX_BODY:,} bytes; upload files through /upload")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            refs = file_paths(json.loads(body)) if body.strip() else []
        except (ValueError, RecursionError):
            refs = []
        bad = [p for p in refs if not self.allowed(p)]
        if bad:
            await _refuse(
                send,
                403,
                f"file reference {bad[0][:80]!r} is not a file you uploaded here or a sample; upload it instead",
            )
            return
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _refuse(send: Any, status: int, detail: str) -> None:
    data = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": data})
