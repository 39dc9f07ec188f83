"""What the web UI shows of a turn: the plan with each step's status, the pictures of every step
(masks overlaid, videos as browser-playable H.264), the status box, and the marked regions."""

from __future__ import annotations

import json
import logging
import queue
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.core.errors import VitronError

log = logging.getLogger("vitron_agent.ui")

MARK = {"ok": "✓", "running": "…", "waiting": "·", "skipped": "–"}  # anything else failed: ✗
STATUS_STYLE = {
    "ok": "#1b5e20;background:#e8f5e9;border-color:#66bb6a",
    "warn": "#7a4f01;background:#fff8e1;border-color:#ffb300",
    "error": "#b71c1c;background:#ffebee;border-color:#e53935",
    "busy": "#37474f;background:#eceff1;border-color:#90a4ae",
}


class Pictures:
    """Files the browser can show for a step's outputs: images as they are, masks overlaid on
    their source image, videos and mask tracks as small H.264 previews."""

    def __init__(self, agent: Any, folder: Path):
        self.agent, self.folder = agent, folder

    def of(self, value: Any) -> tuple[str, str] | None:
        """(path, "image"|"video") for a ref dict, or None for values that are not pictures."""
        if not isinstance(value, dict) or value.get("type") not in ("image", "mask", "video", "track"):
            return None
        from vitron_agent.core.refs import ImageRef, VideoRef, ref_from_dict
        from vitron_agent.media.draw import overlay

        ref = ref_from_dict(value)
        store = self.agent.store_for(ref.session)
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            if ref.type == "image":
                return str(store.path(ref)), "image"
            if ref.type == "mask":
                path = self.folder / f"{ref.id[:16]}.overlay.png"
                if not path.exists():
                    from vitron_agent.media.images import save_png

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
            sound = getattr(ref, "audio", None)
            path = self.folder / f"{ref.id[:16]}{'.' + sound[:8] if sound else ''}.preview.mp4"
            if not path.exists():
                from vitron_agent.media.video import write_preview

                if ref.type == "video":
                    clip = store.get_video(ref)
                    write_preview(clip.frames(), path, ref.fps, max_side=640)
                    if sound:  # the clip's sound, kept beside it in the store (the preview was silent)
                        from vitron_agent.media.audio import get_audio, mux_into

                        mux_into(path, get_audio(store, sound))
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
