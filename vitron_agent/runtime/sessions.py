"""Sessions: list, show, fork and delete the conversations an Agent keeps.

A session is a LangGraph thread (its checkpoints) plus a folder of artifacts. Forking
copies a session as it stood after a given turn into a new session: the state is written
to the new thread and the artifacts are hard-linked (copied across filesystems), with
every ref rewritten to the new session, so the two branches never share a ref.

A session is named once: :meth:`Agent.session <vitron_agent.runtime.agent.Agent.session>` applies the one
id rule (:func:`~vitron_agent.storage.store.validate_session_id`) and gives a :class:`SessionHandle` (the
id, the store view, the turn lock) that every later layer takes. A server's session belongs to
the token that made it: :class:`ScopedSession` (owner, public) is that typed id, with
``.internal`` (the thread and folder name) and :meth:`ScopedSession.from_internal` back.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from vitron_agent.core.errors import InputError
from vitron_agent.storage.store import ArtifactStore, safe_session_folder, validate_session_id

__all__ = [
    "ScopedSession",
    "SessionHandle",
    "SessionInfo",
    "TurnLocks",
    "checked_session_id",
    "list_sessions",
    "session_state",
    "delete_session",
    "fork_session",
]

OWNER_PATTERN = r"t[0-9a-f]{12}|local"  # a server's owner: "t" + its token's hash, or "local"
OWNER = re.compile(rf"^(?:{OWNER_PATTERN})$")


def checked_session_id(session: Any) -> str:
    """``session`` under the one session-id rule; :class:`InputError` (the rule and the fix) if not."""
    try:
        return validate_session_id(session)
    except ValueError as exc:
        raise InputError(str(exc)) from None


@dataclass(frozen=True)
class ScopedSession:
    """A server session: ``public`` is the id its client names (the one session-id rule applies),
    ``owner`` the token that made it (``"local"`` without a token). ``internal`` is the id the
    agent keeps it under (checkpointer thread, store folder); another owner's ``public`` of the
    same name is another session. Built only from checked parts: a bad ``public`` is an
    :class:`InputError`."""

    owner: str
    public: str

    def __post_init__(self) -> None:
        if not isinstance(self.owner, str) or not OWNER.match(self.owner):
            raise ValueError(f"owner must be 'local' or 't' + 12 hex digits, got {self.owner!r}")
        checked_session_id(self.public)

    @property
    def internal(self) -> str:
        return f"{self.owner}-{self.public}"

    @classmethod
    def from_internal(cls, internal: str) -> ScopedSession | None:
        """The inverse of :attr:`internal` (None when ``internal`` is not an owner-scoped id)."""
        owner, sep, public = internal.partition("-")
        if not sep or not OWNER.match(owner):
            return None
        try:
            return cls(owner, public)
        except InputError:
            return None


@dataclass(frozen=True)
class SessionHandle:
    """One session, named and checked once (by :meth:`Agent.session`): what every turn, review,
    resume, upload and session command takes instead of a bare id.

    Attributes:
        id: the agent's id of the session (the checkpointer's thread id, the store folder).
        public: what its caller calls it (a server client's public id; else ``id``): messages name it.
        store: the session's :class:`~vitron_agent.storage.store.ArtifactStore` view (made on first use, so
            naming a session that does not exist creates no folder).
        locks: the agent's :class:`TurnLocks`; :meth:`turn_lock` holds this session's.
    """

    id: str
    stores: ArtifactStore = field(repr=False)  # the agent's store, any view: ``store`` is this session's
    locks: TurnLocks = field(repr=False)
    public: str = ""

    def __post_init__(self) -> None:
        if not self.public:
            object.__setattr__(self, "public", self.id)

    @cached_property
    def store(self) -> ArtifactStore:
        return self.stores.for_session(self.id)

    def turn_lock(self) -> AbstractContextManager[None]:
        """Hold this session's turn lock for the block (turns on one session never interleave)."""
        return self.locks.hold(self.id)

    @property
    def config(self) -> dict[str, Any]:
        """The LangGraph run config of this session (its thread id)."""
        return thread_config(self.id)


def thread_config(thread_id: str) -> dict[str, Any]:
    """The LangGraph run config of the thread ``thread_id`` (an id already checked)."""
    from vitron_agent.toolkit.plan import MAX_STEPS

    return {"configurable": {"thread_id": thread_id}, "recursion_limit": 4 * MAX_STEPS + 40}


class TurnLocks:
    """One turn at a time per session. In this process an RLock per session (re-entrant in one
    thread: a review or resume inside a turn); across processes a file lock beside a SQLite
    database (turns from two CLIs on one ``--db`` wait their turn), or a PostgreSQL advisory lock
    (``pg``: a turn another process is running refuses this one at once with ``SessionBusy``).
    Sessions come checked (:class:`SessionHandle`); :meth:`hold` only guards the lock file's name."""

    def __init__(self, lock_dir: Path | None = None, pg: Any = None):
        self.lock_dir, self.pg = lock_dir, pg
        self._locks: dict[str, list[Any]] = {}
        self._guard = threading.Lock()
        self._depth = threading.local()

    @contextmanager
    def hold(self, session: str) -> Iterator[None]:
        safe_session_folder(session)
        with self._guard:
            entry = self._locks.setdefault(session, [threading.RLock(), 0])
            entry[1] += 1
        depth = self._depth.__dict__
        try:
            with entry[0]:
                depth[session] = depth.get(session, 0) + 1
                try:
                    if depth[session] == 1 and self.pg is not None:
                        with self.pg.turn_lock(session):
                            yield
                    elif depth[session] == 1 and self.lock_dir is not None:
                        with _file_lock(self.lock_dir / f"{session}.lock"):
                            yield
                    else:
                        yield
                finally:
                    depth[session] -= 1
        finally:
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    self._locks.pop(session, None)

    @property
    def where(self) -> str:
        """Where sessions are kept, for messages (a password is hidden)."""
        from vitron_agent.storage.postgres import redact

        if self.pg is not None:
            return redact(self.pg.url)
        return str(self.lock_dir.with_suffix("")) if self.lock_dir is not None else "in memory"


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created), held across processes until the block ends."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass
class SessionInfo:
    id: str
    turns: int
    last_request: str | None
    last_answer: str | None
    updated: float | None
    pending: bool
    awaiting_review: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _thread_ids(agent) -> list[str]:
    seen: dict[str, None] = {}
    for item in agent.checkpointer.list(None):
        tid = item.config["configurable"].get("thread_id")
        if tid is not None:
            seen.setdefault(tid, None)
    return list(seen)


def _need_checkpointer(agent) -> None:
    if agent.checkpointer is None:
        raise InputError("this Agent keeps no sessions (checkpointer=False)")


def _handle(agent, session: Any) -> SessionHandle:
    return session if isinstance(session, SessionHandle) else agent.session(session)


def session_state(agent, session: str | SessionHandle) -> dict[str, Any]:
    """The saved state of ``session`` (empty when it does not exist)."""
    _need_checkpointer(agent)
    return dict(agent.graph.get_state(_handle(agent, session).config).values or {})


def list_sessions(agent) -> list[SessionInfo]:
    """Every session in the agent's checkpointer, most recently updated first."""
    from vitron_agent.graphs.events import turn_unfinished

    _need_checkpointer(agent)
    out = []
    for tid in _thread_ids(agent):
        snap = agent.graph.get_state(thread_config(tid))  # every thread, as stored (not re-checked)
        history = list((snap.values or {}).get("history", []))
        last = history[-1] if history else {}
        out.append(
            SessionInfo(
                id=tid,
                turns=len(history),
                last_request=last.get("request"),
                last_answer=last.get("answer"),
                updated=last.get("at"),
                pending=turn_unfinished(snap) and "review" not in snap.next,
                awaiting_review="review" in (snap.next or ()),
            )
        )
    return sorted(out, key=lambda s: -(s.updated or 0))


def delete_session(agent, session: str | SessionHandle) -> bool:
    """Delete the session's checkpoints and artifacts; False when there was nothing to delete."""
    _need_checkpointer(agent)
    handle = _handle(agent, session)
    existed = bool(session_state(agent, handle))
    agent.checkpointer.delete_thread(handle.id)
    if handle.store.delete_session():
        existed = True
    return existed


def _rewrite(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        out = {k: _rewrite(v, old, new) for k, v in value.items()}
        if out.get("session") == old and "id" in out and "type" in out:
            out["session"] = new
        return out
    if isinstance(value, list):
        return [_rewrite(v, old, new) for v in value]
    return value


def fork_session(agent, session: str | SessionHandle, new_session: str | SessionHandle, turn: int | None = None) -> str:
    """Copy ``session`` as it stood after ``turn`` (1-based; default: its latest turn) into
    ``new_session``; returns the new id. Later turns of either branch do not affect the other."""
    _need_checkpointer(agent)
    src, dst = _handle(agent, session), _handle(agent, new_session)
    if session_state(agent, dst):
        raise InputError(f"session {dst.public!r} already exists; pick another id or delete it first")
    chosen = None
    for snap in agent.graph.get_state_history(src.config):
        history = (snap.values or {}).get("history", [])
        if snap.next or not history:
            continue
        if turn is None or len(history) == turn:
            chosen = snap
            break
    if chosen is None:
        raise InputError(f"session {src.public!r} has no completed turn {turn if turn is not None else ''}".strip())
    src.store.copy_session(dst.id)
    values = _rewrite(dict(chosen.values), src.id, dst.id)
    values["session"] = dst.id
    agent.graph.update_state(dst.config, values, as_node="respond")
    return dst.id
