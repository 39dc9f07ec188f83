"""MCP server over stdio (``vitron-agent mcp``), built with the ``mcp`` SDK.

Tools:

* ``run(instruction, image_base64=None, session=None)`` -- the whole agent: plan and run one
  turn; returns the answer as text and every image or mask it made as MCP image content.
* one tool per vision tool of the Toolbox (``segment``, ``edit``, ``describe`` ...): image and
  mask arguments are base64-encoded PNG/JPEG strings (MCP arguments are JSON); image and mask
  outputs come back as MCP image content, everything else as JSON text.

Every call works in one MCP session of the agent (``session`` of ``run`` picks another).
"""

from __future__ import annotations

import inspect
import io
import json
from typing import Any

import numpy as np

from vitron_agent.runtime.turns import TurnRequest
from vitron_agent.toolkit.arguments import argument_problems, unknown_argument_problems
from vitron_agent.toolkit.tool import BAD_ARGUMENTS, ToolContext, field_kinds, invoke

__all__ = ["build_mcp_server"]

ARTIFACT_KINDS = {"image", "mask"}
UPLOAD_KINDS = ARTIFACT_KINDS | {"video"}  # arguments sent as base64 files (videos: mp4, mov, webm ...)


def _png(arr: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(arr.astype(np.uint8) * 255 if arr.dtype == bool else arr).save(buf, format="PNG")
    return buf.getvalue()


MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # as the HTTP server's default upload cap


def _raw(data: str, label: str) -> bytes:
    """The bytes of a base64 argument, capped like an HTTP upload (checked before decoding)."""
    body = data.split(",", 1)[1] if data.startswith("data:") else data
    if len(body) * 3 // 4 > MAX_UPLOAD_BYTES:
        raise ValueError(f"{label} is {len(body) * 3 // 4:,} bytes, over the {MAX_UPLOAD_BYTES:,}-byte upload limit")
    from vitron_agent.server.transport import base64_bytes

    try:
        return base64_bytes(body)
    except ValueError:
        raise ValueError(f"{label} is not valid base64") from None


def _decode(data: str, label: str) -> np.ndarray:
    from vitron_agent.media.images import load_image

    return load_image(_raw(data, label), name=label)


def _decode_video(data: str, label: str, store, config) -> Any:
    from vitron_agent.media.video import open_video

    raw = _raw(data, label)
    cfg = config.store
    info, frames = open_video(
        raw, max_pixels=cfg.max_pixels, max_frames=cfg.max_video_frames, max_seconds=cfg.max_video_seconds, name=label
    )
    from vitron_agent.media.audio import sound_of

    return store.put_video(frames, info.fps, producer="mcp", audio=lambda s: sound_of(raw, s))


def build_mcp_server(agent, session: str = "mcp"):
    """An ``MCPServer`` exposing ``agent`` (see module docstring)."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.utilities.types import Image
    from mcp_types import TextContent

    server = _checked_server_class(MCPServer)(
        "vitron-agent",
        instructions="Agentic vision tools: segment, edit, describe images; 'run' plans and runs a whole instruction.",
    )
    server.toolbox = agent.toolbox
    default = agent.session(session)  # the one rule, once; a call's session_id is checked when named
    store = default.store

    def outputs_to_content(items: list[tuple[str, str, Any]]) -> list[Any]:
        content: list[Any] = []
        for label, kind, value in items:
            if kind in ARTIFACT_KINDS and isinstance(value, dict):
                from vitron_agent.core.refs import ref_from_dict

                arr = agent.load(ref_from_dict(value))
                content.append(Image(data=_png(arr), format="png").to_image_content())
                content.append(TextContent(type="text", text=f"{label}: {kind} {value['id'][:12]}"))
            else:
                content.append(TextContent(type="text", text=f"{label}: {json.dumps(value, default=str)}"))
        return content

    def run(
        instruction: str,
        image_base64: str | None = None,
        session_id: str | None = None,
        video_base64: str | None = None,
    ) -> list[Any]:
        """Plan and run one instruction (e.g. 'segment the cat, then make it purple, then describe it') on an
        image (base64 PNG/JPEG) or a video (base64 mp4/mov/webm); later calls without media continue on the
        latest result. Videos made come back as references (fetch them from the artifact store)."""
        handle = agent.session(session_id) if session_id else default
        image = _decode(image_base64, "image_base64") if image_base64 else None
        video = _decode_video(video_base64, "video_base64", handle.store, agent.config) if video_base64 else None
        result = agent.run_turn(TurnRequest(instruction, image=image, video=video), handle)
        items = [
            (f"{s.id} {s.tool} {name}", o["kind"], o["value"])
            for s in result.steps
            for name, o in s.outputs.items()
            if o["kind"] in ARTIFACT_KINDS
        ]
        return [TextContent(type="text", text=result.answer), *outputs_to_content(items)]

    server.known["run"] = list(inspect.signature(run).parameters)
    server.add_tool(_errors_as_tool_errors(run), name="run", description=run.__doc__, structured_output=False)
    for tool in agent.toolbox:
        server.add_tool(
            _errors_as_tool_errors(_wrap(tool, store, outputs_to_content, agent.config)),
            name=tool.name,
            description=tool.description,
            structured_output=False,
        )
    return server


def _checked_server_class(base: type) -> type:
    """``base`` (the SDK's ``MCPServer``) whose ``call_tool`` checks the raw arguments first: the SDK's
    argument model drops a name it does not know ("amout") and reads ``true`` as 1, so without this a
    typo ran with the default. The check is :func:`~vitron_agent.toolkit.arguments.argument_problems`,
    the one a plan step and a direct call get."""
    from mcp.server.mcpserver.exceptions import ToolError
    from pydantic import ValidationError

    from vitron_agent.toolkit.tool import format_validation_error

    class CheckedMCPServer(base):
        toolbox: Any = None
        known: dict[str, list[str]]

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.known = {}

        async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
            problems = _mcp_argument_problems(self.toolbox, self.known, name, arguments)
            if problems:
                raise ToolError(BAD_ARGUMENTS.format(tool=name, details="; ".join(problems)))
            try:
                return await super().call_tool(name, arguments, context)
            except ToolError as exc:  # the SDK's argument model: pydantic's words ("1 validation error for ...")
                if isinstance(exc.__cause__, ValidationError):
                    details = format_validation_error(exc.__cause__)
                    raise ToolError(BAD_ARGUMENTS.format(tool=name, details=details)) from None
                raise

    return CheckedMCPServer


def _mcp_argument_problems(toolbox: Any, known: dict[str, list[str]], name: str, arguments: Any) -> list[str]:
    if not isinstance(arguments, dict):
        return []  # the SDK answers a non-object itself
    if name in known:
        return unknown_argument_problems(arguments, known[name])
    if toolbox is not None and name in toolbox:
        return argument_problems(toolbox.get(name).Input, arguments)
    return []


def _errors_as_tool_errors(fn):
    """Our clear error messages reach the MCP client as tool errors (not 'Error executing tool')."""
    import functools

    from mcp.server.mcpserver.exceptions import ToolError

    from vitron_agent.core.errors import VitronError

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (VitronError, ValueError) as exc:
            raise ToolError(str(exc)) from None

    return wrapper


def _wrap(tool, store, outputs_to_content, config):
    """A function with a typed signature for ``tool``: image, mask and video arguments become base64
    strings; a mask track is passed as the ref a ``track`` call returned."""
    params, annotations = [], {}
    for name, info in tool.Input.model_fields.items():
        kinds = field_kinds(info.annotation)
        if kinds & UPLOAD_KINDS:
            ann: Any = str if info.is_required() else (str | None)
        else:
            ann = info.annotation
        default = inspect.Parameter.empty if info.is_required() else (None if kinds & UPLOAD_KINDS else info.default)
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=ann))
        annotations[name] = ann
    annotations["return"] = list[Any]

    def call(**kwargs: Any) -> list[Any]:
        args: dict[str, Any] = {}
        image_ref = None
        for name, value in kwargs.items():
            if value is None:
                continue
            kinds = field_kinds(tool.Input.model_fields[name].annotation)
            if kinds & {"image"}:
                image_ref = store.put_image(_decode(value, name), producer="mcp")
                args[name] = image_ref
            elif kinds & {"mask"}:
                args[name] = store.put_mask(_decode(value, name)[..., 0] > 127, producer="mcp", image=image_ref)
            elif kinds & {"video"}:
                args[name] = _decode_video(value, name, store, config)
            else:
                args[name] = value
        out = invoke(tool, args, ToolContext(store=store, step_id=f"mcp-{tool.name}"))
        items = [
            (
                name,
                kind,
                getattr(out, name).model_dump(mode="json")
                if hasattr(getattr(out, name), "model_dump")
                else getattr(out, name),
            )
            for name, kind in tool.output_kinds().items()
            if getattr(out, name) is not None
        ]
        return outputs_to_content(items)

    call.__name__ = tool.name
    call.__doc__ = tool.description
    call.__signature__ = inspect.Signature(params, return_annotation=list[Any])
    call.__annotations__ = annotations
    return call


def _rpc_error(id_: Any, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": id_, "error": {"code": code, "message": message}}


def _valid_id(value: Any) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def malformed_answer(line: str) -> dict[str, Any] | None:
    """The JSON-RPC error for a line the MCP SDK's stdio transport would drop without an answer
    (a client waits forever), or None for a line to hand on. A line that is not JSON: -32700; not
    one request object (a batch, a number), a ``jsonrpc`` other than "2.0", a ``method`` that is not
    a string or an ``id`` that is not a string or an integer: -32600; a request whose ``params`` is
    not an object: -32602 (a notification, with no ``id``, gets no answer for that, as JSON-RPC
    says). Invalid requests are answered with ``id`` null where the id itself is unusable."""
    if not line.strip():
        return None
    try:
        msg = json.loads(line)
    except (ValueError, RecursionError):
        return _rpc_error(None, -32700, "Parse error: the line is not JSON (one JSON-RPC message per line)")
    if not isinstance(msg, dict):
        what = "a batch (an array)" if isinstance(msg, list) else type(msg).__name__
        return _rpc_error(None, -32600, f"Invalid Request: one JSON-RPC object per line, not {what}")
    if "method" not in msg and ("result" in msg or "error" in msg):
        return None  # the client's answer to a request of ours: the SDK reads it
    id_ = msg.get("id")
    if not _valid_id(id_):
        return _rpc_error(None, -32600, f"Invalid Request: id must be a string or an integer, not {type(id_).__name__}")
    if msg.get("jsonrpc") != "2.0":
        return _rpc_error(id_, -32600, 'Invalid Request: "jsonrpc" must be "2.0"')
    if not isinstance(msg.get("method"), str):
        return _rpc_error(id_, -32600, 'Invalid Request: "method" must be a string')
    if "id" in msg and msg.get("params") is not None and not isinstance(msg["params"], dict):
        return _rpc_error(
            id_, -32602, f"Invalid params: {msg['method']} takes an object, not {type(msg['params']).__name__}"
        )
    return None


class _StdioGuard:
    """stdin and stdout for the SDK's stdio transport: requests it would drop are answered here;
    protocol output goes to a private copy of fd 1, and fd 1 itself to stderr, so a stray print
    from a library can never corrupt the JSON-RPC stream. One lock for every line written."""

    def __init__(self) -> None:
        import os
        import threading

        self._lock = threading.Lock()
        self._out = os.fdopen(os.dup(1), "wb", buffering=0)
        os.dup2(2, 1)
        self._in = os.fdopen(os.dup(0), "rb")

    def _write(self, text: str) -> None:
        with self._lock:
            self._out.write(text.encode("utf-8"))

    async def write(self, text: str) -> None:
        import anyio

        await anyio.to_thread.run_sync(self._write, text)

    async def flush(self) -> None:
        return None

    def __aiter__(self) -> Any:
        return self._lines()

    async def _lines(self) -> Any:
        import anyio

        while (got := await anyio.to_thread.run_sync(read_line, self._in, MAX_LINE_BYTES)) is not None:
            line, too_long = got
            answer = (
                _rpc_error(
                    None, -32600, f"Invalid Request: the line exceeds the {MAX_LINE_BYTES:,}-byte limit; it was skipped"
                )
                if too_long
                else malformed_answer(line)
            )
            if answer is not None:
                await self.write(json.dumps(answer) + "\n")
                continue
            yield line


MAX_LINE_BYTES = 64 * 1024 * 1024  # one JSON-RPC message: a 20 MB upload is ~27 MB as base64


def read_line(stream: Any, limit: int) -> tuple[str, bool] | None:
    """The next line of a binary stream, decoded (UTF-8, bad bytes replaced), and whether it was
    over ``limit`` bytes; None at the end. A line is read in pieces of 1 MiB; past ``limit`` the
    rest is read on and dropped (returned empty), so memory stays bounded by ``limit`` whatever
    the client sends, and nothing of it is parsed."""
    line = bytearray()
    while piece := stream.readline(1 << 20):  # 1 MiB at a time: a long line never doubles in memory
        line += piece
        if piece.endswith(b"\n"):
            break
        if len(line) > limit:
            del line
            while (more := stream.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            return "", True
    if not line:
        return None
    if len(line) > limit + 1:  # the newline came in the piece that went over
        return "", True
    return line.decode("utf-8", errors="replace"), False


def run_stdio(server: Any) -> None:
    """Serve ``server`` (from :func:`build_mcp_server`) over stdio until the client goes away."""
    import anyio
    from mcp.server.stdio import stdio_server

    async def main() -> None:
        guard = _StdioGuard()
        low = server._lowlevel_server  # MCPServer.run_stdio_async does the same, with the SDK's own streams
        async with stdio_server(stdin=guard, stdout=guard) as (read, write):
            await low.run(read, write, low.create_initialization_options())

    anyio.run(main)
