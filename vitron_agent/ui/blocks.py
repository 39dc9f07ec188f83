"""The Gradio app behind ``vitron-agent ui``, on the same :class:`~vitron_agent.runtime.agent.Agent` as
the CLI and the HTTP server (same config, planners, sessions and artifacts).

A person uploads an image or a video (or picks a bundled sample), marks a point (click), a box
(two clicks) or a sketch (brush), types an instruction, and watches the plan and every step
stream in; the pictures of each step (masks overlaid, videos as browser-playable H.264), the
answer and any warnings follow; the next message continues the session ("it" is the last
result). Plans can be held for review (approve / edit / reject); the artifacts and the report
download; sessions list, fork and delete.

Safety: the app is a FastAPI app with Gradio mounted on it. Without a token it answers only
loopback ``Host`` names and loopback (or no) ``Origin`` (like ``vitron-agent serve --no-auth``);
with a token Gradio's login page asks for it (any user name, the token as password). Uploads
are capped (``max_file_size``).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from vitron_agent.ui.gradio_import import gr
from vitron_agent.ui.turn_view import _new_state, _regions_markdown

__all__ = ["UISettings", "create_ui_app", "build_blocks", "sample_files"]


@dataclass
class UISettings:
    """out_dir: where each turn's export (artifacts, report.html, result.json) and the pictures
    shown are written; token: password for Gradio's login page (None: loopback only)."""

    out_dir: Path
    token: str | None = None
    max_upload_bytes: int = 20 * 1024 * 1024
    samples: bool = True

    def __post_init__(self) -> None:
        from vitron_agent.server.guard import check_token

        self.out_dir = Path(self.out_dir)
        check_token(self.token)


# -- bundled samples -------------------------------------------------------------------------
def sample_files(folder: Path) -> dict[str, Path]:
    """scikit-image's photos (chelsea, astronaut, coffee) and a short clip (the astronaut photo
    panned, a red ball moving), written once into ``folder``."""
    from skimage import data as skdata

    from vitron_agent.media.images import save_png

    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for name in ("chelsea", "astronaut", "coffee"):
        path = folder / f"{name}.png"
        if not path.exists():
            save_png(getattr(skdata, name)(), path)
        out[name] = path
    clip = folder / "red-ball.mp4"
    if not clip.exists():
        from vitron_agent.media.video import write_preview

        write_preview(_ball_clip(skdata.astronaut()), clip, fps=12.0, max_side=320)
    out["red-ball clip"] = clip
    return out


def _ball_clip(photo: np.ndarray, frames: int = 24) -> Iterator[np.ndarray]:
    import cv2

    h, w = 240, 320
    small = cv2.resize(photo, (480, 480), interpolation=cv2.INTER_AREA)
    for t in range(frames):
        x0 = int(t * (480 - w) / (frames - 1))
        frame = np.ascontiguousarray(small[100 : 100 + h, x0 : x0 + w])
        cv2.circle(frame, (40 + 10 * t, 60 + 3 * t), 14, (230, 20, 20), -1)
        yield frame


# -- turning results into pictures ----------------------------------------------------------
def build_blocks(agent: Any, settings: UISettings) -> gr.Blocks:
    """The page: inputs and region marking on the left, the conversation, plan, review and results
    on the right; every event goes to a :class:`~vitron_agent.ui.controller.UIController` method."""
    from vitron_agent.ui.controller import UIController

    out_dir = settings.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    samples = sample_files(out_dir / "samples") if settings.samples else {}
    ctl = UIController(agent, settings)
    page = SimpleNamespace()  # the components, by name, for the wiring
    with gr.Blocks(title="vitron-agent") as demo:
        page.state = gr.State(_new_state)
        gr.Markdown(
            "## vitron-agent\nUpload an image or a video (or pick a sample), mark a region if you like, "
            "and say what to do: *segment this, then make it purple* · *make it brighter* · "
            "*track the red disc* · *describe it*."
        )
        with gr.Row():
            with gr.Column(scale=5):
                _media_tabs(page, samples)
                page.regions_md = gr.Markdown(_regions_markdown(_new_state()), elem_id="regions")
                page.clear = gr.Button("Clear the region", size="sm")
                page.review = gr.Checkbox(label="Let me review each plan before it runs", elem_id="review")
                _sessions_panel(page, ctl)
            with gr.Column(scale=6):
                _conversation(page)
                _results(page)
        _wire(page, ctl)
    return demo


def _media_tabs(page: SimpleNamespace, samples: dict[str, Path]) -> None:
    """The Image (click to mark a point or a box), Sketch (brush a region) and Video tabs."""
    with gr.Tabs():
        with gr.Tab("Image", id="image-tab"):
            page.image = gr.Image(
                type="filepath",
                # the file as sent: Gradio's default "RGB" clipped 16-bit pictures to white, put transparent
                # ones on black and re-compressed CMYK JPEGs; load_image reads them as every other door does
                image_mode=None,
                label="Image — click to mark a point or a box",
                elem_id="inp",
                sources=["upload", "clipboard"],
                height=380,
            )
            page.mode = gr.Radio(
                ["point", "background point", "box (two clicks)"],
                value="point",
                label="A click on the image marks",
                elem_id="mode",
            )
            if samples:
                gr.Examples(
                    [[str(p)] for k, p in samples.items() if p.suffix == ".png"],
                    inputs=[page.image],
                    label="Sample photos (scikit-image)",
                )
        with gr.Tab("Sketch", id="sketch-tab"):
            page.editor = gr.ImageEditor(
                type="numpy",
                label="Paint over the region with the brush",
                brush=gr.Brush(colors=["#ff0000"], color_mode="fixed"),
                elem_id="editor",
                height=380,
            )
            page.use = gr.Button("Use this sketch as the region", elem_id="use_sketch")
        with gr.Tab("Video", id="video-tab"):
            page.video = gr.Video(
                label="Video (name the target in words: 'track the red disc', 'follow the person')",
                elem_id="vid",
                sources=["upload"],
                height=300,
            )
            if samples:
                gr.Examples(
                    [[str(p)] for k, p in samples.items() if p.suffix == ".mp4"],
                    inputs=[page.video],
                    label="Sample clip",
                )


def _sessions_panel(page: SimpleNamespace, ctl: Any) -> None:
    """Continue, start, fork or delete a session (fork and delete need a persistent database)."""
    persistent = ctl.persistent
    with gr.Accordion("Sessions", open=False, elem_id="sessions"):
        page.sessions = gr.Dropdown(
            choices=ctl.session_choices() if persistent else [],
            label="Continue a session",
            elem_id="session_pick",
            interactive=persistent,
        )
        with gr.Row():
            page.new_btn = gr.Button("New", size="sm", elem_id="new_session")
            page.fork_btn = gr.Button("Fork", size="sm", elem_id="fork_session", interactive=persistent)
            page.del_btn = gr.Button(
                "Delete", size="sm", variant="stop", elem_id="delete_session", interactive=persistent
            )
        page.session_md = gr.Markdown(
            "" if persistent else "Sessions last while this UI runs; start it with `--data DIR` to keep them."
        )


def _conversation(page: SimpleNamespace) -> None:
    """The chat, the message box, the status line, the plan and the review box."""
    page.chat = gr.Chatbot(label="Conversation", elem_id="chat", height=420, buttons=["copy"])
    page.msg = gr.Textbox(
        placeholder="e.g. segment this, then make it purple — Enter sends",
        show_label=False,
        elem_id="msg",
        submit_btn=True,
        lines=1,
        max_lines=4,
    )
    page.status = gr.HTML("", elem_id="status")
    page.plan_md = gr.Markdown("*No plan yet.*", elem_id="plan")
    with gr.Group(visible=False, elem_id="review_box") as page.review_box:
        page.plan_json = gr.Code(
            language="json",
            label="The plan (edit it, then press Run edited)",
            elem_id="plan_json",
            interactive=True,
        )
        with gr.Row():
            page.approve = gr.Button("Approve", variant="primary", elem_id="approve")
            page.edit = gr.Button("Run edited", elem_id="edit")
            page.reject = gr.Button("Reject", variant="stop", elem_id="reject")


def _results(page: SimpleNamespace) -> None:
    """The result picture or video, every step's pictures, and the downloads."""
    with gr.Row():
        page.result_img = gr.Image(label="Result", elem_id="result", interactive=False, height=300, type="filepath")
        page.result_vid = gr.Video(
            label="Result video", elem_id="result_video", interactive=False, visible=False, height=300
        )
    page.gallery = gr.Gallery(label="Every step's pictures", elem_id="steps", columns=4, height=220)
    page.downloads = gr.File(
        label="Download the artifacts and the report",
        file_count="multiple",
        elem_id="downloads",
        interactive=False,
    )


def _wire(p: SimpleNamespace, ctl: Any) -> None:
    """Every component's events to the controller's methods."""
    turn_outputs = [
        p.chat,
        p.state,
        p.plan_md,
        p.status,
        p.result_img,
        p.result_vid,
        p.gallery,
        p.downloads,
        p.review_box,
        p.plan_json,
        p.sessions,
    ]
    p.image.change(ctl.media_changed("image"), [p.image, p.state], [p.state, p.regions_md])
    p.video.change(ctl.media_changed("video"), [p.video, p.state], [p.state, p.regions_md])
    p.image.select(ctl.clicked, [p.state, p.mode], [p.state, p.regions_md])
    p.clear.click(ctl.clear_regions, [p.state], [p.state, p.regions_md])
    p.use.click(ctl.use_sketch, [p.editor, p.state], [p.state, p.regions_md])
    p.msg.submit(
        ctl.send, [p.msg, p.chat, p.state, p.review], [p.msg, *turn_outputs, p.regions_md], show_progress="hidden"
    )
    for button, action in ((p.approve, "approve"), (p.edit, "edit"), (p.reject, "reject")):
        button.click(ctl.decide(action), [p.chat, p.state, p.plan_json], turn_outputs, show_progress="hidden")
    session_outputs = [p.chat, p.state, p.sessions, p.session_md]
    p.sessions.select(
        ctl.pick_session, [p.sessions, p.state], [p.chat, p.state, p.session_md, p.review_box, p.plan_json]
    )
    p.new_btn.click(ctl.new_session, [p.state], session_outputs)
    p.fork_btn.click(ctl.fork, [p.state], session_outputs)
    p.del_btn.click(ctl.delete, [p.state], session_outputs)


# -- the ASGI app --------------------------------------------------------------------------------
class LoopbackOnly:
    """Without a token: answer only loopback Host names and loopback (or absent) Origins, like
    ``serve --no-auth`` (a page on another site, or a DNS-rebinding name, cannot drive the agent)."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from vitron_agent.server.guard import LOOPBACK_HOSTS, _hostname, _loopback_origin

        if scope["type"] in ("http", "websocket"):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            origin = headers.get("origin")
            if _hostname(headers.get("host", "")) not in LOOPBACK_HOSTS or (origin and not _loopback_origin(origin)):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = b"this UI runs without a token and answers loopback requests only; start it with --token to serve others"
                await send(
                    {
                        "type": "http.response.start",
                        "status": 403,
                        "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def guard_decoding(max_pixels: int, max_bytes: int | None = None) -> None:
    """Gradio decodes some uploads itself before a handler sees them (the sketch pad's layers and
    background), with no byte budget. In this process, make Pillow refuse any image over the store's
    ``max_pixels`` (Pillow raises above twice its limit), and any whose decoding would need more than
    ``max_bytes`` at its peak (a 16-bit or float picture just under ``max_pixels`` costs several GB):
    ``Image.open`` checks the header's size and mode against the same per-mode table as the
    project's loader, before a pixel is decoded. The loader's own limits stay as configured."""
    from PIL import Image

    from vitron_agent.media.images import DEFAULT_MAX_DECODE_BYTES, over_decode_budget

    limit = max(1, int(max_pixels) // 2)
    if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > limit:
        Image.MAX_IMAGE_PIXELS = limit
    budget = int(max_bytes or DEFAULT_MAX_DECODE_BYTES)
    real = getattr(Image.open, "__wrapped__", Image.open)

    def open_within_budget(fp: Any, *args: Any, **kwargs: Any) -> Any:
        im = real(fp, *args, **kwargs)
        problem = over_decode_budget(*im.size, im.mode, budget)
        if problem:
            im.close()
            exc = Image.DecompressionBombError(problem)
            exc.over_budget = True  # type: ignore[attr-defined]  (the loader words it as is)
            raise exc
        return im

    open_within_budget.__wrapped__ = real  # type: ignore[attr-defined]
    Image.open = open_within_budget


def create_ui_app(agent: Any, settings: UISettings) -> Any:
    """A FastAPI app: ``/health`` and the Gradio UI at ``/``."""
    from fastapi import FastAPI

    api = FastAPI(title="vitron-agent UI", docs_url=None, redoc_url=None, openapi_url=None)

    @api.get("/health")
    def health() -> dict[str, Any]:
        return {"ok": True}

    token = settings.token
    auth = None
    if token is not None:

        def auth(_user: str, password: str) -> bool:
            return hmac.compare_digest(password.encode(), token.encode())

    guard_decoding(agent.config.store.max_pixels)
    demo = build_blocks(agent, settings)
    app = gr.mount_gradio_app(
        api,
        demo.queue(default_concurrency_limit=4),
        path="/",
        auth=auth,
        auth_message="Enter any user name and the UI's token as the password." if token else None,
        max_file_size=settings.max_upload_bytes,
        ssr_mode=False,
        allowed_paths=[str(agent.data_dir), str(settings.out_dir)],
    )
    app.state.blocks = demo
    from gradio import utils as gr_utils

    from vitron_agent.ui.file_guard import FileRefGuard

    app.add_middleware(FileRefGuard, roots=[Path(gr_utils.get_upload_folder()), settings.out_dir, agent.data_dir])
    if token is None:
        app.add_middleware(LoopbackOnly)
    return app
