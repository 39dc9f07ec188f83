"""UIController: what the web UI does on each event (a click on the picture, a sketch, a message,
a review decision, a session picked, forked or deleted), one method per event, on one Agent.
``build_blocks`` lays the page out and wires each component to a method here."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np

from vitron_agent.core.errors import VitronError
from vitron_agent.core.refs import Box, Point, Scribble
from vitron_agent.runtime.sessions import delete_session, fork_session, list_sessions
from vitron_agent.runtime.turns import TurnRequest
from vitron_agent.ui.gradio_import import gr
from vitron_agent.ui.turn_view import (
    Pictures,
    TurnView,
    _new_state,
    _regions_markdown,
    _status_box,
    _status_html,
    _stream,
    log,
)

__all__ = ["UIController"]


class UIController:
    """The UI's event handlers on ``agent``; files go under ``settings.out_dir``."""

    def __init__(self, agent: Any, settings: Any):
        self.agent = agent
        self.out_dir = settings.out_dir
        self.persistent = agent._conn is not None

    def session_choices(self) -> list[tuple[str, str]]:
        try:
            infos = list_sessions(self.agent)
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

    def history_messages(self, session: str) -> list[dict[str, Any]]:
        msgs: list[dict[str, Any]] = []
        for turn in self.agent.history(session):
            msgs.append({"role": "user", "content": turn.get("request", "")})
            msgs.append({"role": "assistant", "content": turn.get("answer") or ""})
        return msgs

    # region marking ---------------------------------------------------------------------------
    def media_changed(self, kind: str):
        """A new image (or video) is what the next message sends; the marked regions are cleared."""

        def changed(path: str | None, state: dict[str, Any]):
            state = dict(state, regions=[], corner=None, scribble=None)
            if path:
                state["pending"] = {kind: path}
            elif state.get("pending") and kind in state["pending"]:
                state["pending"] = None
            return state, _regions_markdown(state)

        return changed

    def clicked(self, evt: gr.SelectData, state: dict[str, Any], mode: str):
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

    def clear_regions(self, state: dict[str, Any]):
        state = dict(state, regions=[], corner=None, scribble=None)
        return state, _regions_markdown(state)

    def use_sketch(self, value: dict[str, Any] | None, state: dict[str, Any]):
        from vitron_agent.media.images import save_png, to_rgb_array

        if not value or value.get("background") is None:
            raise gr.Error("Upload a picture into the sketch pad first, then paint over the region with the brush.")
        layers = [np.asarray(layer) for layer in value.get("layers") or [] if layer is not None]
        mask = np.zeros(np.asarray(value["background"]).shape[:2], bool)
        for layer in layers:
            if layer.ndim == 3 and layer.shape[2] == 4 and layer.shape[:2] == mask.shape:
                mask |= layer[..., 3] > 0
        if not mask.any():
            raise gr.Error("The sketch is empty: paint over the region with the brush, then press the button again.")
        folder = self.out_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        key = uuid.uuid4().hex[:10]
        image_path = save_png(to_rgb_array(np.asarray(value["background"])), folder / f"sketch-{key}.png")
        np.save(folder / f"sketch-{key}.npy", mask)
        state = dict(state, corner=None, pending={"image": str(image_path)}, scribble=str(folder / f"sketch-{key}.npy"))
        state["regions"] = [{"type": "scribble", "pixels": int(mask.sum())}]
        return state, _regions_markdown(state)

    # turns --------------------------------------------------------------------------------------
    def region_objects(self, state: dict[str, Any]) -> list[Any]:
        objs: list[Any] = []
        for r in state["regions"]:
            if r["type"] == "point":
                objs.append(Point(**{k: r[k] for k in ("x", "y", "label")}))
            elif r["type"] == "box":
                objs.append(Box(**{k: r[k] for k in ("x1", "y1", "x2", "y2")}))
            elif r["type"] == "scribble" and state.get("scribble"):
                mask = np.load(state["scribble"])
                objs.append(Scribble(mask=self.agent.store_for(state["session"]).put_mask(mask, producer="ui-sketch")))
        return objs

    def drive(
        self,
        fn: Callable[[Callable[[dict[str, Any]], None]], Any],
        chat: list[dict[str, Any]],
        state: dict[str, Any],
        on_done: Callable[[Any], None] | None = None,
    ):
        """Stream one turn (or review decision) into the outputs."""
        session = state["session"]
        view = TurnView(Pictures(self.agent, self.out_dir / "pictures" / session))
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
            if final and self.persistent:
                choices = self.session_choices()
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
            yield from self._finish(item, view, chat, thinking, state, on_done, outputs)
            return

    def _finish(self, result: Any, view: TurnView, chat: list, thinking: dict, state: dict, on_done, outputs):
        """The turn's result into the conversation, the status and the downloads (exported here)."""
        session = state["session"]
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
        from vitron_agent.runtime.export import export_run

        state["turn"] += 1
        folder = self.out_dir / "exports" / session / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"
        try:
            export_run(result, self.agent.store, folder)
            files = sorted(str(p) for p in folder.iterdir() if p.is_file())
        except (VitronError, OSError) as exc:
            log.warning("export failed: %s", exc)
            files = []
        yield outputs(status, downloads=files, review_visible=False, final=True)

    def send(self, text: str, chat: list[dict[str, Any]], state: dict[str, Any], review: bool):
        text = (text or "").strip()
        if not text:
            raise gr.Error("Type an instruction first, e.g. “segment this, then make it purple”.")
        state = dict(state)
        media = state.get("pending") or {}
        try:
            request = TurnRequest(
                text,
                image=media.get("image"),
                video=media.get("video"),
                regions=tuple(self.region_objects(state)),
                review=bool(review),
            )
        except VitronError as exc:
            raise gr.Error(str(exc)) from None
        shown = text + (f"  \n*({_regions_markdown(state).removeprefix('**Region:** ')})*" if state["regions"] else "")
        chat = [*chat, {"role": "user", "content": shown}]

        def consumed(result: Any) -> None:  # the media and regions went with this turn
            state.update(pending=None, regions=[], corner=None, scribble=None)

        def turn(on_event):
            return self.agent.run_turn(request, state["session"], on_event)

        for out in self.drive(turn, chat, state, consumed):
            yield ("", *out, _regions_markdown(state))

    def decide(self, action: str):
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
                return self.agent.review(state["session"], action, plan=plan, on_event=on_event)

            try:
                if action == "edit":  # a malformed edit is refused before anything runs
                    from vitron_agent.toolkit.plan import Plan

                    Plan.model_validate(plan)
            except ValueError as exc:
                raise gr.Error(
                    f"The edited plan is malformed: {str(exc).splitlines()[0]}; the review stays pending."
                ) from None
            yield from self.drive(turn, chat, state)

        return handler

    # sessions -----------------------------------------------------------------------------------
    def pick_session(self, session: str | None, state: dict[str, Any]):
        if not session or session == state["session"]:
            return gr.update(), state, gr.update(), gr.update(), gr.update()
        state = dict(_new_state(), session=session)
        if self.agent.pending(session):
            plan = self.agent.graph.get_state(self.agent.session(session).config).values.get("plan") or {}
            plan = plan.model_dump() if hasattr(plan, "model_dump") else plan
            return (
                self.history_messages(session),
                state,
                f"Session **{session}**: a turn is unfinished; its plan is below (approve, edit or reject).",
                gr.update(visible=True),
                json.dumps(plan, indent=2),
            )
        return self.history_messages(session), state, f"Session **{session}**.", gr.update(visible=False), gr.update()

    def new_session(self, state: dict[str, Any]):
        state = _new_state()
        return [], state, gr.update(choices=self.session_choices(), value=None), f"New session **{state['session']}**."

    def fork(self, state: dict[str, Any]):
        new = "ui-" + uuid.uuid4().hex[:8]
        try:
            fork_session(self.agent, state["session"], new)
        except VitronError as exc:
            raise gr.Error(str(exc)) from None
        state = dict(_new_state(), session=new)
        return (
            self.history_messages(new),
            state,
            gr.update(choices=self.session_choices(), value=new),
            f"Forked into **{new}**: the original is unchanged.",
        )

    def delete(self, state: dict[str, Any]):
        old = state["session"]
        deleted = delete_session(self.agent, old)
        state = _new_state()
        return (
            [],
            state,
            gr.update(choices=self.session_choices(), value=None),
            f"Deleted **{old}**." if deleted else f"**{old}** had nothing saved; started a new session.",
        )
