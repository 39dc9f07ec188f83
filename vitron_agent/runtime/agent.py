"""Agent: the Python API.

    agent = Agent()                                   # rule planner + cv tools, in-memory sessions
    result = agent.run("segment the cat, then make it purple, then describe it",
                       image="cat.jpg", session="demo")
    print(result.answer)
    agent.run("make it brighter", session="demo")     # "it" = the purple cat of the turn before

``Agent(db="sessions.sqlite")`` keeps sessions (and artifacts next to the file)
across restarts.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from vitron_agent.core.errors import InputError, StorageFull
from vitron_agent.core.refs import ref_from_dict
from vitron_agent.runtime import turns
from vitron_agent.runtime.sessions import ScopedSession, SessionHandle, TurnLocks, checked_session_id, thread_config
from vitron_agent.runtime.toolset import build_planner, build_toolbox
from vitron_agent.runtime.turns import TurnRequest
from vitron_agent.storage.postgres import is_postgres_url
from vitron_agent.storage.store import ArtifactStore, open_store
from vitron_agent.toolkit.config import Config, load_config
from vitron_agent.toolkit.plan import Plan, validate_plan

__all__ = ["Agent", "RunResult", "StepResult", "TurnRequest"]

# the checkpointer could not write the turn: the turns before it are kept, this one is not
DB_NOT_WRITTEN = (
    "the session database {db} could not be written ({why}): free space there (or make it writable) and send "
    "the turn again; the session's earlier turns are kept"
)


class StepResult(BaseModel):
    id: str
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    status: str
    error: str | None = None
    error_kind: str | None = None
    seconds: float = 0.0
    outputs: dict[str, dict[str, Any]] = Field(default_factory=dict)

    def output(self, name: str) -> Any:
        """The output ``name``: a ref model (ImageRef, MaskRef, Box ...) or a plain value (text, number)."""
        if name not in self.outputs:
            raise KeyError(
                f"step {self.id} ({self.tool}) has no output {name!r}; it has: "
                f"{', '.join(self.outputs) or 'none (status ' + self.status + ')'}"
            )
        value = self.outputs[name]["value"]
        return ref_from_dict(value) if isinstance(value, dict) and "type" in value else value

    def ref(self, name: str) -> Any:
        """The output ``name`` as a ref (alias of :meth:`output`, kept for refs)."""
        return self.output(name)


class RunResult(BaseModel):
    """The outcome of one turn: the answer, every step's record, and the artifacts made."""

    answer: str
    session: str
    request: str
    plan: Plan
    steps: list[StepResult]
    inputs: dict[str, dict[str, Any]] = Field(default_factory=dict)
    problems: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="what the turn had to assume or held back; the answer leads with them"
    )
    awaiting_review: bool = Field(default=False, description="paused after planning: call Agent.review to go on")

    @property
    def ok(self) -> bool:
        """Every step ran and succeeded, and no part of the request was left undone ("I did not do …", or
        the whole request refused or answered with a question back: ``plan.declined``)."""
        partial = self.plan.declined or any(n.startswith("I did not do") for n in self.plan.notes)
        return (
            not self.awaiting_review and not self.problems and not partial and all(s.status == "ok" for s in self.steps)
        )

    @property
    def artifacts(self) -> list[Any]:
        refs = []
        for step in self.steps:
            for name, out in step.outputs.items():
                if out["kind"] in ("image", "mask", "video", "track", "feature", "text") and isinstance(
                    out["value"], dict
                ):
                    refs.append(step.ref(name))
        return refs

    def step(self, step_id: str) -> StepResult:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(f"no step {step_id!r}; steps: {', '.join(s.id for s in self.steps)}")


def _scratch_folder() -> Path:
    """A temporary artifact folder for an Agent made without ``db`` or ``data_dir``, removed when the
    Python process exits (the CLI and batch remove theirs as soon as they are done). Until round 4 a
    script's ``Agent()`` left one folder in /tmp per Agent for good. Results stay readable
    (``Agent.load``) for the life of the process; give ``data_dir`` (or ``db``) to keep them."""
    import atexit
    import shutil

    path = Path(tempfile.mkdtemp(prefix="vitron-agent-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


class Agent:
    """A planner and a toolbox wired into the LangGraph agent graph.

    Args:
        toolbox: the tools (default: built from ``config``: the cv tools).
        planner: the planner (default: from ``config``: the rule planner).
        checkpointer: a LangGraph saver; default InMemorySaver, or SqliteSaver when ``db`` is set;
            ``False`` for none (every run is a fresh session: no multi-turn).
        data_dir: where artifacts are stored (default: next to ``db``, else a temporary folder removed
            when the process exits); with
            ``artifacts`` an object-store URL, the folder of its local read cache.
        db: where sessions are kept across restarts: a SQLite file, or a ``postgresql://`` URL.
        artifacts: an object-store URL for the artifacts (``s3://bucket/prefix``; default ``[store] url``)
            so that every machine reads them, or a local folder.
        config: a :class:`Config` (limits, timeouts, backends).
    """

    def __init__(
        self,
        toolbox: Any = None,
        planner: Any = None,
        checkpointer: Any = None,
        *,
        data_dir: str | os.PathLike[str] | None = None,
        db: str | os.PathLike[str] | None = None,
        config: Config | None = None,
        artifacts: str | None = None,
    ):
        """``planner`` may be a Planner or the name of one configured in ``config``
        (``"rule"``, ``"vitron"``, ``"chat"``, ``"openai"``)."""
        from langgraph.checkpoint.memory import InMemorySaver

        from vitron_agent.graphs.agent_graph import build_agent_graph
        from vitron_agent.graphs.dataflow import StepRunner

        self.config = config or Config()
        db = db or self.config.agent.db
        data_dir = data_dir or self.config.agent.data_dir
        self.toolbox = toolbox if toolbox is not None else build_toolbox(self.config)
        if planner is None or isinstance(planner, str):
            planner = build_planner(self.config, planner)
        self.planner = planner
        self._conn: sqlite3.Connection | None = None
        self._pg = None
        if checkpointer is None and is_postgres_url(str(db) if db else None):
            from vitron_agent.storage.postgres import PostgresSessions

            self._pg = PostgresSessions(str(db))
            checkpointer = self._pg.saver
        elif checkpointer is None and db:
            checkpointer = self._sqlite_saver(db)
        if checkpointer is None:
            checkpointer = InMemorySaver()
        self.checkpointer = checkpointer or None
        self.scratch: Path | None = None  # a temporary data dir this Agent made (the CLI removes it after export)
        if data_dir is None:
            if db and self._pg is None:
                data_dir = Path(str(db) + ".artifacts")
            else:
                data_dir = self.scratch = _scratch_folder()
        self.data_dir = Path(data_dir)
        self.store = open_store(self.config, self.data_dir, artifacts)
        timeouts = {n: t.timeout for n, t in self.config.tools.items() if t.timeout}
        settings = {n: t.model_dump() for n, t in self.config.tools.items()}
        self.runner = StepRunner(
            self.toolbox,
            self.store,
            self.config.agent.step_timeout,
            timeouts,
            settings,
            defer_writes=self.config.store.deferred_writes,
        )
        self.locks = TurnLocks(Path(str(db) + ".locks") if db and self._pg is None else None, self._pg)
        self.graph = build_agent_graph(
            self.toolbox,
            self.planner,
            self.runner,
            self.checkpointer,
            self.config.agent.max_react_rounds,
            self.config.agent.scheduler,
            self.config.agent.max_parallel_steps,
            self.config.agent.max_plan_steps,
        )

    def _sqlite_saver(self, db: str | os.PathLike[str]) -> Any:
        """The session checkpointer on the SQLite file ``db`` (its connection kept in ``_conn``): one
        commit (one fsync) a superstep when each superstep runs one node (the dataflow scheduler)."""
        from langgraph.checkpoint.sqlite import SqliteSaver

        from vitron_agent.storage.group_commit import GroupCommitSaver

        try:
            Path(db).parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(db), check_same_thread=False)
            self._conn.execute("PRAGMA schema_version").fetchone()  # opening is lazy: touch the file now
            saver = GroupCommitSaver if self.config.agent.scheduler == "dataflow" else SqliteSaver
            return saver(self._conn)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(
                f"cannot open the session database {str(db)!r}: {exc}; give a writable file path "
                "(e.g. --db sessions.sqlite)"
            ) from None

    @classmethod
    def from_config(cls, path: str | os.PathLike[str] | Config | None = None, **overrides: Any) -> Agent:
        """Build from a vitron.toml (``path``, or ./vitron.toml when present, or defaults)."""
        config = path if isinstance(path, Config) else load_config(path)
        return cls(config=config, **overrides)

    def close(self) -> None:
        if self._conn is not None:
            getattr(self.checkpointer, "flush", lambda: None)()  # (writes a turn left held: see GroupCommitSaver)
            self._conn.close()
            self._conn = None
        if self._pg is not None:
            self._pg.close()
            self._pg = None

    def __enter__(self) -> Agent:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def store_for(self, session: str | SessionHandle) -> ArtifactStore:
        """The store view of ``session`` (an id under the one session-id rule, or a handle)."""
        return self.session(session).store

    def session(self, id: str | SessionHandle | ScopedSession | None = None) -> SessionHandle:
        """The handle of session ``id`` (None or "": a new session with a random id), checked once here
        under the one session-id rule (:data:`~vitron_agent.storage.store.SESSION_ID_RULE`): the id, the
        store view and the turn lock, which :meth:`run_turn` and every other session method take.
        A :class:`~vitron_agent.runtime.sessions.ScopedSession` (a server's owner-scoped id) gives the
        handle of its ``internal`` id, named ``public`` in messages; that internal id (as a
        RunResult or a ref of a server session names it) gives the same handle. Raises
        :class:`InputError` naming the rule and the fix. Nothing is created until a turn or an
        upload uses it."""
        if isinstance(id, SessionHandle):
            return id
        if isinstance(id, ScopedSession):
            return SessionHandle(id.internal, self.store, self.locks, public=id.public)
        if id is None or id == "":  # as before handles: no id (or an empty one) is a new session
            id = uuid.uuid4().hex[:12]
        try:
            return SessionHandle(checked_session_id(id), self.store, self.locks)
        except InputError:
            scope = ScopedSession.from_internal(id) if isinstance(id, str) else None
            if scope is None:
                raise
            return self.session(scope)  # a server session's own id (a RunResult's, a ref's): the same handle

    def load(self, ref: Any) -> Any:
        """The pixels or tensor of a ref: HxWx3 uint8 image (HxWx4 RGBA for a cut-out), HxW bool
        mask, numpy tensor, text, a lazy :class:`~vitron_agent.media.video.VideoClip` for a video, TxHxW
        bool for a mask track."""
        ref = ref_from_dict(ref)
        store = self.store_for(ref.session)
        if ref.type == "image" and store.has_alpha(ref):
            return store.get_image_rgba(ref)
        getter = {
            "image": store.get_image,
            "mask": store.get_mask,
            "feature": store.get_feature,
            "text": store.get_text,
            "video": store.get_video,
            "track": store.get_track,
        }.get(ref.type)
        if getter is None:
            raise InputError(f"cannot load a {ref.type} ref")
        return getter(ref)

    # -- running -----------------------------------------------------------------------------
    def run(
        self,
        text: str,
        image: Any = None,
        regions: list[Any] | None = None,
        session: str | SessionHandle | None = None,
        on_event: Callable[[dict[str, Any]], None] | None = None,
        review: bool = False,
        video: Any = None,
    ) -> RunResult:
        """Plan and run one turn. ``image``: a path, encoded bytes, an HxWx3 uint8 array, a
        PIL image or an ImageRef of this session; ``video``: a path, encoded bytes, a TxHxWx3
        uint8 array (24 fps) or a VideoRef; ``regions``: Point / Box / Scribble (on the image,
        or on the video's first frame). ``review=True`` pauses after planning
        (``result.awaiting_review``) until :meth:`review`. The same as :meth:`run_turn` with a
        :class:`TurnRequest` of these arguments."""
        request = TurnRequest(text, image=image, video=video, regions=tuple(regions or ()), review=review)
        return self.run_turn(request, session, on_event)

    def stream(
        self,
        text: str,
        image: Any = None,
        regions: list[Any] | None = None,
        session: str | SessionHandle | None = None,
        progress: bool = True,
        review: bool = False,
        video: Any = None,
    ) -> Iterator[dict[str, Any]]:
        """Run one turn, yielding events: ``plan``, ``repair``, ``review`` (paused for approval),
        ``step_started``, ``progress``, ``step_finished`` (these three only with ``progress=True``),
        ``answer`` and finally ``result`` (with the :class:`RunResult`). The same as
        :meth:`stream_turn` with a :class:`TurnRequest` of these arguments."""
        request = TurnRequest(
            text, image=image, video=video, regions=tuple(regions or ()), review=review, progress=progress
        )
        yield from self.stream_turn(request, session)

    def run_turn(
        self,
        request: TurnRequest,
        session: str | SessionHandle | ScopedSession | None = None,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> RunResult:
        """Plan and run the turn ``request`` on ``session`` (a handle from :meth:`session`, an id,
        or None for a new session); every event goes to ``on_event`` (progress events only when
        ``request.progress`` and ``on_event`` is given)."""
        progress = request.progress and on_event is not None
        if progress != request.progress:
            request = dataclasses.replace(request, progress=progress)
        return _consume(self.stream_turn(request, session), on_event)

    def stream_turn(
        self, request: TurnRequest, session: str | SessionHandle | ScopedSession | None = None
    ) -> Iterator[dict[str, Any]]:
        """The events of the turn ``request`` on ``session`` (see :meth:`stream`), ending with
        ``result`` (a generator: nothing runs, and nothing is checked, before the first event is
        asked for)."""
        if not isinstance(request, TurnRequest):
            raise InputError(f"stream_turn takes a TurnRequest, got {type(request).__name__}")
        handle = self.session(session)
        with handle.turn_lock():  # turns on one session run one after another, never interleaved
            state_in = self._prepare(request, handle)
            if request.review:
                if self.checkpointer is None:
                    raise InputError("review needs a checkpointer to pause and resume; do not pass checkpointer=False")
                state_in["review"] = True
            yield from self._events(state_in, handle.config, request.progress)

    def review(
        self,
        session: str | SessionHandle,
        action: str = "approve",
        plan: Plan | dict[str, Any] | None = None,
        reason: str | None = None,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> RunResult:
        """Decide on a plan paused by ``run(..., review=True)``: ``approve`` runs it, ``edit`` runs
        ``plan`` instead (validated; problems are reported, not sent to the planner), ``reject``
        ends the turn without running a tool."""
        from langgraph.types import Command

        if action not in ("approve", "edit", "reject"):
            raise InputError(f"action must be approve, edit or reject, got {action!r}")
        if action == "edit" and plan is None:
            raise InputError("action 'edit' needs the edited plan")
        handle = self.session(session)
        config = handle.config
        if self.checkpointer is None or "review" not in (self.graph.get_state(config).next or ()):
            raise InputError(f"session {handle.public!r} has no plan waiting for review")
        decision: dict[str, Any] = {"action": action}
        if plan is not None:
            try:  # a malformed edit is refused here, and the review stays pending
                decision["plan"] = (plan if isinstance(plan, Plan) else Plan.model_validate(plan)).model_dump()
            except ValueError as exc:
                first = str(exc).splitlines()
                raise InputError(
                    f"the edited plan is malformed ({'; '.join(first[1:3]) or first[0]}); the plan is "
                    '{"steps": [{"id": "s1", "tool": "...", "args": {...}, "after": []}], "answer": null} '
                    "and the review stays pending"
                ) from None
            problems = self._edit_problems(config, decision["plan"])
            if problems:  # refused here too: in the graph, an edit that does not validate ended the turn
                raise InputError(
                    "the edited plan cannot run: " + "; ".join(problems) + "; correct it and send it again "
                    "(the review stays pending)"
                )
        if reason:
            decision["reason"] = reason
        with handle.turn_lock():
            return _consume(self._events(Command(resume=decision), config, progress=on_event is not None), on_event)

    def _edit_problems(self, config: dict[str, Any], plan: dict[str, Any]) -> list[str]:
        """What :func:`~vitron_agent.toolkit.plan.validate_plan` finds wrong with a reviewer's edited
        ``plan`` on the paused turn's inputs (the check the graph's validate node makes)."""
        from vitron_agent.graphs.agent_graph import input_kinds

        inputs = self.graph.get_state(config).values.get("inputs", {})
        return validate_plan(Plan.model_validate(plan), self.toolbox, input_kinds(inputs))

    def resume(
        self, session: str | SessionHandle, on_event: Callable[[dict[str, Any]], None] | None = None
    ) -> RunResult:
        """Finish the turn of ``session`` that a crash or kill interrupted: steps that completed
        are not run again, the interrupted step runs again. A finished turn is returned as is.
        Needs a persistent checkpointer (``db=``)."""
        if self.checkpointer is None:
            raise InputError("resume needs a checkpointer; create the Agent with db=PATH")
        handle = self.session(session)
        config = handle.config
        snapshot = self.graph.get_state(config)
        if not snapshot.values:
            raise InputError(f"session {handle.public!r} has no saved turn to resume in this database")
        with handle.turn_lock():
            return _consume(self._events(None, config, progress=on_event is not None), on_event)

    def pending(self, session: str | SessionHandle) -> bool:
        """Whether ``session`` has an interrupted turn that :meth:`resume` would finish."""
        from vitron_agent.graphs.events import turn_unfinished

        return self.checkpointer is not None and turn_unfinished(self.graph.get_state(self.session(session).config))

    def _events(
        self, state_in: dict[str, Any] | None, config: dict[str, Any], progress: bool
    ) -> Iterator[dict[str, Any]]:
        from vitron_agent.graphs.events import turn_events

        try:
            values, awaiting = yield from turn_events(
                self.graph, state_in, config, progress=progress, checkpointer=self.checkpointer
            )
        except sqlite3.DatabaseError as exc:  # "database or disk is full", a read-only or corrupt file
            raise StorageFull(DB_NOT_WRITTEN.format(db=self._db_name(), why=exc)) from None
        result = self._result(values)
        if awaiting:
            result = result.model_copy(
                update={"awaiting_review": True, "answer": "The plan is waiting for review (approve, edit or reject)."}
            )
        yield {"type": "result", "result": result}

    def _db_name(self) -> str:
        saver = self.checkpointer
        conn = getattr(saver, "conn", None)
        try:
            path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
            return os.path.basename(path) or "(--db)"  # its name only: a server's client never sees its folders
        except Exception:  # noqa: BLE001 - a name for a message; the database may be what failed
            return "the session database (--db)"

    def plan(
        self,
        text: str,
        image: Any = None,
        regions: list[Any] | None = None,
        session: str | None = None,
        video: Any = None,
    ) -> Plan:
        """The plan the planner makes for ``text``; nothing runs and the media are not read
        (only whether they are given matters)."""
        from vitron_agent.planners.base import PlanRequest

        req = PlanRequest(
            text=text, inputs=self.planning_inputs(image, regions, session, video), size=_picture_size(image, video)
        )
        return self.planner.plan(req, self.toolbox)

    def plan_turn(self, request: TurnRequest, session: str | SessionHandle | None = None) -> Plan:
        """:meth:`plan` for a :class:`TurnRequest` (what ``run_turn(request, session)`` would plan)."""
        return self.plan(request.text, request.image, list(request.regions), session, request.video)

    def validate(
        self,
        plan: Plan,
        image: Any = None,
        regions: list[Any] | None = None,
        session: str | None = None,
        video: Any = None,
    ) -> list[str]:
        """Every problem of ``plan`` against this toolbox and these inputs (empty: valid)."""
        from vitron_agent.toolkit.plan import validate_plan

        return validate_plan(plan, self.toolbox, self.planning_inputs(image, regions, session, video))

    def planning_inputs(
        self,
        image: Any = None,
        regions: list[Any] | None = None,
        session: str | SessionHandle | None = None,
        video: Any = None,
    ) -> dict[str, dict[str, str]]:
        """What ``$input.x`` and ``$last.x`` may name for such a request: namespace -> {name: kind}."""
        from vitron_agent.graphs.agent_graph import input_kinds

        last = self._last(self.session(session)) if session else {}
        kinds = input_kinds({"input": {}, "last": last})
        medium = last.get("_medium", "video" if "video" in last and "image" not in last else "image")
        if video is not None or (image is None and "video" in last and medium == "video"):
            kinds["input"]["video"] = "video"
        if image is not None or (video is None and "image" in last and medium == "image"):
            kinds["input"]["image"] = "image"
        for region in regions or []:
            r = ref_from_dict(region) if isinstance(region, dict) else region
            kinds["input"].setdefault(getattr(r, "type", "value"), getattr(r, "type", "value"))
        return kinds

    def history(self, session: str | SessionHandle) -> list[dict[str, Any]]:
        """Earlier turns of ``session``: ``{"request", "answer", "at", "steps"}``, oldest first."""
        handle = self.session(session)
        if self.checkpointer is None:
            return []
        return list(self.graph.get_state(handle.config).values.get("history", []))

    def _last(self, handle: SessionHandle) -> dict[str, Any]:
        if self.checkpointer is None:
            return {}
        return dict(self.graph.get_state(handle.config).values.get("last", {}) or {})

    def _result(self, values: dict[str, Any]) -> RunResult:
        plan = Plan.model_validate(values.get("plan") or {})
        records = values.get("records", {})
        fields = StepResult.model_fields
        # the records are StepRecord dumps (graphs/dataflow.py), already validated when they were made:
        # built without validating them again (which cost ~20 µs a step)
        steps = [
            StepResult.model_construct(**{k: v for k, v in records[s.id].items() if k in fields})
            for s in plan.steps
            if s.id in records
        ]
        from vitron_agent.graphs.policy import turn_warnings

        return RunResult(
            answer=values.get("answer", ""),
            session=values["session"],
            request=values["request"],
            plan=plan,
            steps=steps,
            inputs=values.get("inputs", {}),
            problems=list(values.get("problems", [])),
            warnings=turn_warnings(plan, records),
        )

    def _config(self, session: str) -> dict[str, Any]:
        """The LangGraph config of the thread ``session`` (an id already checked; see :meth:`session`)."""
        return thread_config(session)

    def _prepare(self, request: TurnRequest, handle: SessionHandle) -> dict[str, Any]:
        """The agent graph's input state for ``request`` on ``handle`` (see :func:`turns.turn_input`)."""
        return turns.turn_input(request, handle, self._last(handle), self.config)


def _consume(events: Iterator[dict[str, Any]], on_event: Callable[[dict[str, Any]], None] | None) -> RunResult:
    """Hand every event to ``on_event`` and return the final result."""
    result = None
    for event in events:
        if on_event is not None:
            on_event(event)
        if event["type"] == "result":
            result = event["result"]
    if result is None:
        raise RuntimeError("the agent graph ended without a result")
    return result


def _picture_size(image: Any, video: Any) -> tuple[int, int] | None:
    """(width, height) of a request's picture from an array, or a file's header (no pixels are
    decoded); None when unknown (a placeholder, a missing or unreadable file)."""
    import numpy as np

    try:
        if isinstance(image, np.ndarray):
            return int(image.shape[1]), int(image.shape[0])
        if isinstance(image, (str, Path)) and Path(image).is_file():
            from PIL import Image

            with Image.open(image) as im:
                return im.size
        if isinstance(video, (str, Path)) and Path(video).is_file():
            from vitron_agent.media.video import open_video

            info, frames = open_video(video)
            frames.close() if hasattr(frames, "close") else None
            return info.width, info.height
    except Exception:  # noqa: BLE001 -- planning goes on without a size; running reads the file and says why
        return None
    return None
