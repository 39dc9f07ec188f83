"""`vitron-agent mcp` over stdio, driven by the mcp SDK's client."""

import base64
import io
import sys
from pathlib import Path

import anyio
import numpy as np
from PIL import Image

from vitron_agent.media.synthetic import disc_image

BIN = Path(sys.executable).parent / "vitron-agent"


def _b64png(arr) -> str:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


async def _session_calls(tmp_path):
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(command=str(BIN), args=["mcp", "--data", str(tmp_path / "data")])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name: t for t in (await session.list_tools()).tools}
            img = _b64png(disc_image()[0])
            ran = await session.call_tool(
                "run", {"instruction": "segment the red disc, then make it green", "image_base64": img}
            )
            seg = await session.call_tool("segment", {"image": img, "color": "red"})
            desc = await session.call_tool("describe", {"image": img, "question": "what colour is it?"})
            bad = await session.call_tool("edit", {"image": img, "operation": "recolor"})
            clip = base64.b64encode((tmp_path / "clip.mp4").read_bytes()).decode()
            video_run = await session.call_tool(
                "run", {"instruction": "track the red ball, then describe it", "video_base64": clip}
            )
            tracked = await session.call_tool("track", {"video": clip, "color": "red"})
            return tools, ran, seg, desc, bad, video_run, tracked


def test_mcp_stdio_server(tmp_path):
    from vitron_agent.media.synthetic import moving_disc
    from vitron_agent.media.video import write_video

    write_video(moving_disc(frames=8)[0], tmp_path / "clip.mp4", 8.0)
    tools, ran, seg, desc, bad, video_run, tracked = anyio.run(_session_calls, tmp_path)
    assert {"run", "segment", "edit", "describe", "count"} <= set(tools)
    assert tools["segment"].input_schema["properties"]["image"]["type"] == "string"
    kinds = [c.type for c in ran.content]
    assert (
        kinds[0] == "text"
        and "I selected the red disc and made it green." in ran.content[0].text
        and kinds.count("image") == 2
    )
    pictures = [np.asarray(Image.open(io.BytesIO(base64.b64decode(c.data)))) for c in ran.content if c.type == "image"]
    assert pictures[1].shape == (120, 160, 3) and pictures[1][60, 80, 1] > pictures[1][60, 80, 0]  # green disc
    mask = next(c for c in seg.content if c.type == "image")
    assert np.asarray(Image.open(io.BytesIO(base64.b64decode(mask.data)))).mean() > 0
    assert "The image is mostly blue, with some red." in "".join(c.text for c in desc.content if c.type == "text")
    assert bad.is_error and "needs a mask" in bad.content[0].text
    assert not video_run.is_error and "visible on 8 of 8 frames" in video_run.content[0].text
    assert tools["track"].input_schema["properties"]["video"]["type"] == "string"
    assert not tracked.is_error and '"type": "track"' in "".join(c.text for c in tracked.content if c.type == "text")


def test_a_call_whose_params_is_not_an_object_gets_an_answer(tmp_path):
    """Raw JSON-RPC over the real stdio server: a tools/call with array or string params is
    answered -32602 at once, and every other line the SDK alone dropped without an answer (the
    client waited forever) gets the JSON-RPC error it names: not JSON, a batch, a bad id, jsonrpc
    or method; the session goes on."""
    import json
    import select
    import subprocess

    exe = str(Path(sys.executable).parent / "vitron-agent")
    p = subprocess.Popen(
        [exe, "mcp", "--data", str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )

    def send(o):
        p.stdin.write((json.dumps(o) + "\n").encode())
        p.stdin.flush()

    def recv(timeout):
        ready, _, _ = select.select([p.stdout], [], [], timeout)
        return json.loads(p.stdout.readline()) if ready else None

    try:
        send(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": "2025-06-18",
                    "capabilities": {},
                    "clientInfo": {"name": "t", "version": "1"},
                },
            }
        )
        assert recv(90)["id"] == 1
        send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        for i, params in enumerate(([1, 2], "run", 7), start=10):
            send({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": params})
            answer = recv(10)
            assert answer is not None and answer["id"] == i and answer["error"]["code"] == -32602
        for line, want_id, code in (
            ("not json at all", None, -32700),
            ("[1, 2, 3]", None, -32600),
            (json.dumps({"jsonrpc": "2.0", "id": {"a": 1}, "method": "tools/list", "params": {}}), None, -32600),
            (json.dumps({"jsonrpc": "1.0", "id": 16, "method": "tools/list", "params": {}}), 16, -32600),
            (json.dumps({"jsonrpc": "2.0", "id": 17, "method": 5, "params": {}}), 17, -32600),
        ):
            p.stdin.write((line + "\n").encode())
            p.stdin.flush()
            answer = recv(10)
            assert answer is not None and answer["id"] == want_id and answer["error"]["code"] == code, line
        send({"jsonrpc": "2.0", "id": 20, "method": "tools/list", "params": {}})
        assert any(t["name"] == "run" for t in recv(10)["result"]["tools"])
    finally:
        p.kill()
