"""The Gradio app behind ``vitron-agent ui``, on the same :class:`~vitron_agent.agent.Agent` as
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
import json
import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no version check or telemetry calls
_no_proxy = {h for h in os.environ.get("NO_PROXY", "").split(",") if h} | {"127.0.0.1", "localhost"}
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(sorted(_no_proxy))

import gradio as gr  # noqa: E402

from vitron_agent.errors import VitronError  # noqa: E402

__all__ = ["UISettings", "create_ui_app", "build_blocks", "sample_files"]

log = logging.getLogger("vitron_agent.ui")

MARK = {"ok": "✓", "running": "…", "waiting": "·", "skipped": "–"}  # anything else failed: ✗
STATUS_STYLE = {
    "ok": "#1b5e20;background:#e8f5e9;border-color:#66bb6a",
    "warn": "#7a4f01;background:#fff8e1;border-color:#ffb300",
    "error": "#b71c1c;background:#ffebee;border-color:#e53935",
    "busy": "#37474f;background:#eceff1;border-color:#90a4ae",
}


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

    from vitron_agent.media import save_png

    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for name in ("chelsea", "astronaut", "coffee"):
        path = folder / f"{name}.png"
        if not path.exists():
            save_png(getattr(skdata, name)(), path)
        out[name] = path
    clip = folder / "red-ball.mp4"
    if not clip.exists():
        from vitron_agent.video import write_preview

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
class Pictures:
    """Files the browser can show for a step's outputs: images as they are, masks overlaid on
    their source image, videos and mask tracks as small H.264 previews."""

    def __init__(self, agent: Any, folder: Path):
        self.agent, self.folder = agent, folder

    def of(self, value: Any) -> tuple[str, str] | None:
        """(path, "image"|"video") for a ref dict, or None for values that are not pictures."""
        if not isinstance(value, dict) or value.get("type") not in ("image", "mask", "video", "track"):
            return None
        from vitron_agent.refs import ImageRef, VideoRef, ref_from_dict
        from vitron_agent.report import overlay

        ref = ref_from_dict(value)
        store = self.agent.store_for(ref.session)
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            if ref.type == "image":
                return str(store.path(ref)), "image"
            if ref.type == "mask":
                path = self.folder / f"{ref.id[:16]}.overlay.png"
                if not path.exists():
                    from vitron_agent.media import save_png

                    mask = store.get_mask(ref)
                    src = (
                        ImageRef(id=ref.image, session=ref.session, width=ref.width, height=ref.height)
                        if ref.image
                        else None
                    )
                    base = (
                        store.get_image(src)
                        if src is not None and store.exists(src)
                        else np.zeros((*mask.shape, 3), np.uint8)
                    )
                    save_png(overlay(base, mask), path)
                return str(path), "image"
            path = self.folder / f"{ref.id[:16]}.preview.mp4"
            if not path.exists():
                from vitron_agent.video import write_preview

                if ref.type == "video":
                    clip = store.get_video(ref)
                    write_preview(clip.frames(), path, ref.fps, max_side=640)
                else:
                    meta = store._read_meta(ref.video) if ref.video else None
                    frames = meta["shape"][0] if meta else ref.frames
                    video = (
                        VideoRef(
                            id=ref.video,
                            session=ref.session,
                            width=ref.width,
                            height=ref.height,
                            frames=frames,
                            fps=meta["fps"] if meta else 24.0,
                        )
                        if meta
                        else None
                    )
                    if video is not None and store.exists(video):
                        source = store.get_video(video).frames()
                        shown = (overlay(f, store.get_track_frame(ref, i)) for i, f in enumerate(source))
                    else:
                        shown = (
                            np.repeat(store.get_track_frame(ref, i)[..., None] * np.uint8(255), 3, axis=2)
                            for i in range(ref.frames)
                        )
                    write_preview(shown, path, video.fps if video else 24.0, max_side=640)
            return str(path), "video"
        except (VitronError, OSError) as exc:
            log.warning("cannot show %s %s: %s", ref.type, ref.id, exc)
            return None


# -- the view of one turn, re-rendered on every event --------------------------------------------
class TurnView:
    def __init__(self, pictures: Pictures):
        self.pictures = pictures
        self.plan: list[dict[str, Any]] = []
        self.status: dict[str, str] = {}
        self.detail: dict[str, str] = {}
        self.gallery: list[tuple[str, str]] = []
        self.last_image: str | None = None
        self.last_video: str | None = None
        self.repairs: list[str] = []

    def event(self, ev: dict[str, Any]) -> None:
        kind = ev["type"]
        if kind in ("plan", "review"):
            self.plan = list((ev.get("plan") or {}).get("steps", []))
            self.status = {s["id"]: "waiting" for s in self.plan}
        elif kind == "repair":
            self.repairs.append("; ".join(ev.get("problems", [])))
        elif kind == "step_started":
            self.status[ev["step"]] = "running"
        elif kind == "progress":
            msg = f" {ev['message']}" if ev.get("message") else ""
            self.detail[ev["step"]] = f"{100 * ev['fraction']:.0f}%{msg}"
        elif kind == "step_finished":
            self.status[ev["step"]] = ev["status"]
            self.detail[ev["step"]] = f"{ev.get('seconds', 0):.2f} s" + (f" — {ev['error']}" if ev.get("error") else "")
            self.add_outputs(ev["step"], ev.get("tool", ""), ev.get("outputs") or {})

    def add_outputs(self, step: str, tool: str, outputs: dict[str, Any]) -> None:
        for name, out in outputs.items():
            shown = self.pictures.of(out.get("value") if isinstance(out, dict) else None)
            if shown is None:
                continue
            path, kind = shown
            if kind == "image":
                self.gallery.append((path, f"{step} {tool}: {name}"))
                self.last_image = path
            else:
                self.last_video = path

    def plan_markdown(self) -> str:
        if not self.plan:
            return "*No plan yet.*" if not self.repairs else "Repairing the plan: " + " | ".join(self.repairs)
        rows = ["| | step | arguments | time, progress |", "|---|---|---|---|"]
        for s in self.plan:
            args = ", ".join(f"{k}={_short(v)}" for k, v in (s.get("args") or {}).items())
            st = self.status.get(s["id"], "waiting")
            rows.append(
                f"| {MARK.get(st, '✗')} | {s['id']}&nbsp;`{s['tool']}` | {_md_escape(args)} | "
                f"{_md_escape(self.detail.get(s['id'], ''))} |"
            )
        return "\n".join(rows)


def _short(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 40 else value[:37] + "…")
    return json.dumps(value, default=str)[:40]


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _status_box(kind: str, text: str, lines: list[str] | None = None) -> str:
    """The status line: green when every step succeeded, amber for warnings or a paused plan,
    red for a failure."""
    import html

    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines or [])
    return (
        f'<div class="vitron-status" data-state="{kind}" style="color:{STATUS_STYLE[kind]};border:1px solid;'
        f'border-radius:6px;padding:6px 10px"><b>{html.escape(text)}</b>'
        + (f"<ul style='margin:4px 0 0 0'>{items}</ul>" if items else "")
        + "</div>"
    )


def _status_html(result: Any) -> str:
    if result.awaiting_review:
        return _status_box("warn", "The plan is waiting for your review: approve, edit or reject it below.")
    failed = [s for s in result.steps if s.status == "error" or (s.status == "skipped" and s.error_kind != "held")]
    if failed:
        return _status_box(
            "error",
            "Not everything worked:",
            [f"{s.id} {s.tool}: {s.status}" + (f" ({s.error})" if s.error else "") for s in failed],
        )
    warnings = [*getattr(result, "warnings", []), *result.problems]
    if warnings:  # what the turn assumed or held back, in amber
        return _status_box("warn", f"Done, with warnings ({len(result.steps)} steps):", warnings)
    if not result.steps:
        return _status_box("warn", "No tool ran for this request.")
    return _status_box("ok", f"All {len(result.steps)} steps succeeded.")


def _stream(fn: Callable[[Callable[[dict[str, Any]], None]], Any]) -> Iterator[tuple[str, Any]]:
    """Run ``fn(on_event)`` on a thread and yield ("event", ev) as they come, then ("result", r)
    or ("error", exc)."""
    q: queue.Queue = queue.Queue()

    def work() -> None:
        try:
            q.put(("result", fn(lambda ev: q.put(("event", ev)))))
        except BaseException as exc:  # reported to the person, the UI goes on
            q.put(("error", exc))

    threading.Thread(target=work, daemon=True, name="vitron-ui-turn").start()
    while True:
        item = q.get()
        yield item
        if item[0] != "event":
            return


def _new_state() -> dict[str, Any]:
    return {
        "session": "ui-" + uuid.uuid4().hex[:8],
        "turn": 0,
        "regions": [],
        "corner": None,
        "pending": None,
        "scribble": None,
    }


def _regions_markdown(state: dict[str, Any]) -> str:
    parts = []
    for r in state["regions"]:
        if r["type"] == "point":
            parts.append(f"point ({r['x']:.0f}, {r['y']:.0f})")
        elif r["type"] == "box":
            parts.append(f"box ({r['x1']:.0f}, {r['y1']:.0f}) – ({r['x2']:.0f}, {r['y2']:.0f})")
        else:
            parts.append(f"sketch ({r.get('pixels', 0)} pixels)")
    if state.get("corner"):
        parts.append(f"box corner at ({state['corner'][0]:.0f}, {state['corner'][1]:.0f}) — click the opposite corner")
    media = state.get("pending")
    sending = f" · next message sends the new {next(iter(media))}" if media else ""
    return f"**Region:** {', '.join(parts) if parts else 'none'}{sending}"


# -- the Blocks ------------------------------------------------------------------------------
def build_blocks(agent: Any, settings: UISettings) -> gr.Blocks:
    from vitron_agent.refs import Box, Point, Scribble
    from vitron_agent.sessions import delete_session, fork_session, list_sessions

    out_dir = settings.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    samples = sample_files(out_dir / "samples") if settings.samples else {}
    persistent = agent._conn is not None

    def session_choices() -> list[tuple[str, str]]:
        try:
            infos = list_sessions(agent)
        except VitronError:
            return []
        return [
            (
                f"{i.id} — {i.turns} turn{'s' * (i.turns != 1)}"
                + (" (review pending)" if i.awaiting_review else "")
                + (f": {i.last_request[:40]}" if i.last_request else ""),
                i.id,
            )
            for i in infos
        ]

    def history_messages(session: str) -> list[dict[str, Any]]:
        msgs: list[dict[str, Any]] = []
        for turn in agent.history(session):
            msgs.append({"role": "user", "content": turn.get("request", "")})
            msgs.append({"role": "assistant", "content": turn.get("answer") or ""})
        return msgs

    # region marking ---------------------------------------------------------------------------
    def media_changed(kind: str):
        """A new image (or video) is what the next message sends; the marked regions are cleared."""

        def changed(path: str | None, state: dict[str, Any]):
            state = dict(state, regions=[], corner=None, scribble=None)
            if path:
                state["pending"] = {kind: path}
            elif state.get("pending") and kind in state["pending"]:
                state["pending"] = None
            return state, _regions_markdown(state)

        return changed

    def clicked(evt: gr.SelectData, state: dict[str, Any], mode: str):
        x, y = (float(v) for v in evt.index[:2])
        state = dict(state, scribble=None)
        if mode.startswith("box"):
            if state.get("corner") is None:
                state["corner"] = [x, y]
            else:
                (x0, y0), state["corner"] = state["corner"], None
                try:
                    box = Box(x1=min(x0, x), y1=min(y0, y), x2=max(x0, x), y2=max(y0, y))
                except ValueError:
                    gr.Warning("The two corners make an empty box: click two opposite corners.")
                    return state, _regions_markdown(state)
                state["regions"] = [box.model_dump()]
        else:
            state["corner"] = None
            state["regions"] = [Point(x=x, y=y, label=0 if mode.startswith("background") else 1).model_dump()]
        return state, _regions_markdown(state)

    def clear_regions(state: dict[str, Any]):
        state = dict(state, regions=[], corner=None, scribble=None)
        return state, _regions_markdown(state)

    def use_sketch(value: dict[str, Any] | None, state: dict[str, Any]):
        from vitron_agent.media import save_png, to_rgb_array

        if not value or value.get("background") is None:
            raise gr.Error("Upload a picture into the sketch pad first, then paint over the region with the brush.")
        layers = [np.asarray(layer) for layer in value.get("layers") or [] if layer is not None]
        mask = np.zeros(np.asarray(value["background"]).shape[:2], bool)
        for layer in layers:
            if layer.ndim == 3 and layer.shape[2] == 4 and layer.shape[:2] == mask.shape:
                mask |= layer[..., 3] > 0
        if not mask.any():
            raise gr.Error("The sketch is empty: paint over the region with the brush, then press the button again.")
        folder = out_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        key = uuid.uuid4().hex[:10]
        image_path = save_png(to_rgb_array(np.asarray(value["background"])), folder / f"sketch-{key}.png")
        np.save(folder / f"sketch-{key}.npy", mask)
        state = dict(state, corner=None, pending={"image": str(image_path)}, scribble=str(folder / f"sketch-{key}.npy"))
        state["regions"] = [{"type": "scribble", "pixels": int(mask.sum())}]
        return state, _regions_markdown(state)

    # turns --------------------------------------------------------------------------------------
    def region_objects(state: dict[str, Any]) -> list[Any]:
        objs: list[Any] = []
        for r in state["regions"]:
            if r["type"] == "point":
                objs.append(Point(**{k: r[k] for k in ("x", "y", "label")}))
            elif r["type"] == "box":
                objs.append(Box(**{k: r[k] for k in ("x1", "y1", "x2", "y2")}))
            elif r["type"] == "scribble" and state.get("scribble"):
                mask = np.load(state["scribble"])
                objs.append(Scribble(mask=agent.store_for(state["session"]).put_mask(mask, producer="ui-sketch")))
        return objs

    def drive(
        fn: Callable[[Callable[[dict[str, Any]], None]], Any],
        chat: list[dict[str, Any]],
        state: dict[str, Any],
        on_done: Callable[[Any], None] | None = None,
    ):
        """Stream one turn (or review decision) into the outputs."""
        session = state["session"]
        view = TurnView(Pictures(agent, out_dir / "pictures" / session))
        chat = list(chat)
        thinking = {"role": "assistant", "content": "", "metadata": {"title": "Planning…", "status": "pending"}}
        chat.append(thinking)
        no_change = gr.update()

        def outputs(
            status: str,
            downloads: Any = no_change,
            review_visible: Any = no_change,
            plan_json: Any = no_change,
            final: bool = False,
        ):
            sessions_update = no_change
            if final and persistent:
                choices = session_choices()
                sessions_update = gr.update(
                    choices=choices, value=session if session in {c[1] for c in choices} else None
                )
            return (
                chat,
                state,
                view.plan_markdown(),
                status,
                view.last_image if view.last_image else no_change,
                gr.update(value=view.last_video, visible=True) if view.last_video else no_change,
                view.gallery,
                downloads,
                gr.update(visible=review_visible) if review_visible is not no_change else no_change,
                plan_json,
                sessions_update,
            )

        yield outputs(_status_box("busy", "Working…"))
        for kind, item in _stream(fn):
            if kind == "event":
                view.event(item)
                if item["type"] in ("plan", "review"):
                    steps = " → ".join(f"{s['id']} {s['tool']}" for s in view.plan) or "(no steps)"
                    thinking["content"] = steps
                    thinking["metadata"] = {"title": "Plan", "status": "done"}
                elif item["type"] == "repair":
                    thinking["content"] = "Repairing the plan: " + view.repairs[-1]
                yield outputs(_status_box("busy", "Working…"))
                continue
            if kind == "error":
                thinking["metadata"] = {"title": "Plan", "status": "done"}
                if isinstance(item, VitronError):
                    msg = str(item)
                else:
                    log.error("a UI turn failed", exc_info=item)
                    msg = f"The run failed with an internal error ({type(item).__name__}); it is logged on the server."
                chat.append({"role": "assistant", "content": f"Error: {msg}"})
                yield outputs(_status_box("error", msg), final=True)
                return
            result = item
            if not view.plan:
                view.event({"type": "plan", "plan": result.plan.model_dump()})
            for step in result.steps:  # statuses and pictures also when events were missed
                view.status[step.id] = step.status
                if not any(caption.startswith(f"{step.id} ") for _, caption in view.gallery):
                    view.add_outputs(step.id, step.tool, step.outputs)
            if not thinking["content"]:
                thinking["content"] = " → ".join(f"{s.id} {s.tool}" for s in result.plan.steps) or "(no steps)"
            thinking["metadata"] = {"title": "Plan", "status": "done"}
            status = _status_html(result)
            lead = "Warning: " if not result.ok and not result.awaiting_review and not result.warnings else ""
            chat.append({"role": "assistant", "content": lead + result.answer})
            if view.last_image and not result.awaiting_review:
                chat.append({"role": "assistant", "content": {"path": view.last_image}})
            if view.last_video and not result.awaiting_review:
                chat.append({"role": "assistant", "content": {"path": view.last_video}})
            if on_done:
                on_done(result)
            if result.awaiting_review:
                yield outputs(
                    status, review_visible=True, final=True, plan_json=json.dumps(result.plan.model_dump(), indent=2)
                )
                return
            from vitron_agent.export import export_run

            state["turn"] += 1
            folder = out_dir / "exports" / session / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
            try:
                export_run(result, agent.store, folder)
                files = sorted(str(p) for p in folder.iterdir() if p.is_file())
            except (VitronError, OSError) as exc:
                log.warning("export failed: %s", exc)
                files = []
            yield outputs(status, downloads=files, review_visible=False, final=True)
            return

    def send(text: str, chat: list[dict[str, Any]], state: dict[str, Any], review: bool):
        text = (text or "").strip()
        if not text:
            raise gr.Error("Type an instruction first, e.g. “segment this, then make it purple”.")
        state = dict(state)
        media = state.get("pending") or {}
        try:
            regions = region_objects(state)
        except VitronError as exc:
            raise gr.Error(str(exc)) from None
        shown = text + (f"  \n*({_regions_markdown(state).removeprefix('**Region:** ')})*" if state["regions"] else "")
        chat = [*chat, {"role": "user", "content": shown}]

        def consumed(result: Any) -> None:  # the media and regions went with this turn
            state.update(pending=None, regions=[], corner=None, scribble=None)

        def turn(on_event):
            return agent.run(
                text,
                image=media.get("image"),
                video=media.get("video"),
                regions=regions,
                session=state["session"],
                on_event=on_event,
                review=bool(review),
            )

        for out in drive(turn, chat, state, consumed):
            yield ("", *out, _regions_markdown(state))

    def decide(action: str):
        def handler(chat: list[dict[str, Any]], state: dict[str, Any], plan_text: str):
            plan = None
            if action == "edit":
                try:
                    plan = json.loads(plan_text or "")
                except json.JSONDecodeError as exc:
                    raise gr.Error(
                        f"The edited plan is not JSON ({exc.msg} at line {exc.lineno}); the review stays pending."
                    ) from None
            state = dict(state)
            chat = [*chat, {"role": "user", "content": f"*({action} the plan)*"}]

            def turn(on_event):
                return agent.review(state["session"], action, plan=plan, on_event=on_event)

            try:
                if action == "edit":  # a malformed edit is refused before anything runs
                    from vitron_agent.plan import Plan

                    Plan.model_validate(plan)
            except ValueError as exc:
                raise gr.Error(
                    f"The edited plan is malformed: {str(exc).splitlines()[0]}; the review stays pending."
                ) from None
            yield from drive(turn, chat, state)

        return handler

    # sessions -----------------------------------------------------------------------------------
    def pick_session(session: str | None, state: dict[str, Any]):
        if not session or session == state["session"]:
            return gr.update(), state, gr.update(), gr.update(), gr.update()
        state = dict(_new_state(), session=session)
        if agent.pending(session):
            plan = agent.graph.get_state(agent._config(session)).values.get("plan") or {}
            plan = plan.model_dump() if hasattr(plan, "model_dump") else plan
            return (
                history_messages(session),
                state,
                f"Session **{session}**: a turn is unfinished; its plan is below (approve, edit or reject).",
                gr.update(visible=True),
                json.dumps(plan, indent=2),
            )
        return history_messages(session), state, f"Session **{session}**.", gr.update(visible=False), gr.update()

    def new_session(state: dict[str, Any]):
        state = _new_state()
        return [], state, gr.update(choices=session_choices(), value=None), f"New session **{state['session']}**."

    def fork(state: dict[str, Any]):
        new = "ui-" + uuid.uuid4().hex[:8]
        try:
            fork_session(agent, state["session"], new)
        except VitronError as exc:
            raise gr.Error(str(exc)) from None
        state = dict(_new_state(), session=new)
        return (
            history_messages(new),
            state,
            gr.update(choices=session_choices(), value=new),
            f"Forked into **{new}**: the original is unchanged.",
        )

    def delete(state: dict[str, Any]):
        old = state["session"]
        deleted = delete_session(agent, old)
        state = _new_state()
        return (
            [],
            state,
            gr.update(choices=session_choices(), value=None),
            f"Deleted **{old}**." if deleted else f"**{old}** had nothing saved; started a new session.",
        )

    # layout -------------------------------------------------------------------------------------
    with gr.Blocks(title="vitron-agent") as demo:
        state = gr.State(_new_state)
        gr.Markdown(
            "## vitron-agent\nUpload an image or a video (or pick a sample), mark a region if you like, "
            "and say what to do: *segment this, then make it purple* · *make it brighter* · "
            "*track the red disc* · *describe it*."
        )
        with gr.Row():
            with gr.Column(scale=5):
                with gr.Tabs():
                    with gr.Tab("Image", id="image-tab"):
                        image = gr.Image(
                            type="filepath",
                            label="Image — click to mark a point or a box",
                            elem_id="inp",
                            sources=["upload", "clipboard"],
                            height=380,
                        )
                        mode = gr.Radio(
                            ["point", "background point", "box (two clicks)"],
                            value="point",
                            label="A click on the image marks",
                            elem_id="mode",
                        )
                        if samples:
                            gr.Examples(
                                [[str(p)] for k, p in samples.items() if p.suffix == ".png"],
                                inputs=[image],
                                label="Sample photos (scikit-image)",
                            )
                    with gr.Tab("Sketch", id="sketch-tab"):
                        editor = gr.ImageEditor(
                            type="numpy",
                            label="Paint over the region with the brush",
                            brush=gr.Brush(colors=["#ff0000"], color_mode="fixed"),
                            elem_id="editor",
                            height=380,
                        )
                        use = gr.Button("Use this sketch as the region", elem_id="use_sketch")
                    with gr.Tab("Video", id="video-tab"):
                        video = gr.Video(
                            label="Video (name the target in words: 'track the red disc', 'follow the person')",
                            elem_id="vid",
                            sources=["upload"],
                            height=300,
                        )
                        if samples:
                            gr.Examples(
                                [[str(p)] for k, p in samples.items() if p.suffix == ".mp4"],
                                inputs=[video],
                                label="Sample clip",
                            )
                regions_md = gr.Markdown(_regions_markdown(_new_state()), elem_id="regions")
                clear = gr.Button("Clear the region", size="sm")
                review = gr.Checkbox(label="Let me review each plan before it runs", elem_id="review")
                with gr.Accordion("Sessions", open=False, elem_id="sessions"):
                    sessions = gr.Dropdown(
                        choices=session_choices() if persistent else [],
                        label="Continue a session",
                        elem_id="session_pick",
                        interactive=persistent,
                    )
                    with gr.Row():
                        new_btn = gr.Button("New", size="sm", elem_id="new_session")
                        fork_btn = gr.Button("Fork", size="sm", elem_id="fork_session", interactive=persistent)
                        del_btn = gr.Button(
                            "Delete", size="sm", variant="stop", elem_id="delete_session", interactive=persistent
                        )
                    session_md = gr.Markdown(
                        ""
                        if persistent
                        else "Sessions last while this UI runs; start it with `--data DIR` to keep them."
                    )
            with gr.Column(scale=6):
                chat = gr.Chatbot(label="Conversation", elem_id="chat", height=420, buttons=["copy"])
                msg = gr.Textbox(
                    placeholder="e.g. segment this, then make it purple — Enter sends",
                    show_label=False,
                    elem_id="msg",
                    submit_btn=True,
                    lines=1,
                    max_lines=4,
                )
                status = gr.HTML("", elem_id="status")
                plan_md = gr.Markdown("*No plan yet.*", elem_id="plan")
                with gr.Group(visible=False, elem_id="review_box") as review_box:
                    plan_json = gr.Code(
                        language="json",
                        label="The plan (edit it, then press Run edited)",
                        elem_id="plan_json",
                        interactive=True,
                    )
                    with gr.Row():
                        approve = gr.Button("Approve", variant="primary", elem_id="approve")
                        edit = gr.Button("Run edited", elem_id="edit")
                        reject = gr.Button("Reject", variant="stop", elem_id="reject")
                with gr.Row():
                    result_img = gr.Image(
                        label="Result", elem_id="result", interactive=False, height=300, type="filepath"
                    )
                    result_vid = gr.Video(
                        label="Result video", elem_id="result_video", interactive=False, visible=False, height=300
                    )
                gallery = gr.Gallery(label="Every step's pictures", elem_id="steps", columns=4, height=220)
                downloads = gr.File(
                    label="Download the artifacts and the report",
                    file_count="multiple",
                    elem_id="downloads",
                    interactive=False,
                )

        turn_outputs = [
            chat,
            state,
            plan_md,
            status,
            result_img,
            result_vid,
            gallery,
            downloads,
            review_box,
            plan_json,
            sessions,
        ]
        image.change(media_changed("image"), [image, state], [state, regions_md])
        video.change(media_changed("video"), [video, state], [state, regions_md])
        image.select(clicked, [state, mode], [state, regions_md])
        clear.click(clear_regions, [state], [state, regions_md])
        use.click(use_sketch, [editor, state], [state, regions_md])
        msg.submit(send, [msg, chat, state, review], [msg, *turn_outputs, regions_md], show_progress="hidden")
        for button, action in ((approve, "approve"), (edit, "edit"), (reject, "reject")):
            button.click(decide(action), [chat, state, plan_json], turn_outputs, show_progress="hidden")
        sessions.select(pick_session, [sessions, state], [chat, state, session_md, review_box, plan_json])
        new_btn.click(new_session, [state], [chat, state, sessions, session_md])
        fork_btn.click(fork, [state], [chat, state, sessions, session_md])
        del_btn.click(delete, [state], [chat, state, sessions, session_md])
    return demo


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


def guard_decoding(max_pixels: int) -> None:
    """Gradio decodes some uploads itself before a handler sees them (the sketch pad's layers and
    background): make Pillow refuse, in this process, any image over the store's ``max_pixels``
    (Pillow raises above twice its limit) instead of decoding a bomb. The project's own loader
    checks sizes and its byte budget before decoding, so its limits stay ``max_pixels``."""
    from PIL import Image

    limit = max(1, int(max_pixels) // 2)
    if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > limit:
        Image.MAX_IMAGE_PIXELS = limit


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
