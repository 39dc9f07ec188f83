"""Sessions: list, show, fork and delete the conversations an Agent keeps.

A session is a LangGraph thread (its checkpoints) plus a folder of artifacts. Forking
copies a session as it stood after a given turn into a new session: the state is written
to the new thread and the artifacts are hard-linked (copied across filesystems), with
every ref rewritten to the new session, so the two branches never share a ref.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vitron_agent.errors import InputError
from vitron_agent.store import validate_session_id

__all__ = ["SessionInfo", "TurnLocks", "list_sessions", "session_state", "delete_session", "fork_session"]


class TurnLocks:
    """One turn at a time per session. In this process an RLock per session (re-entrant in one
    thread: a review or resume inside a turn); across processes a file lock beside a SQLite
    database (turns from two CLIs on one ``--db`` wait their turn), or a PostgreSQL advisory lock
    (``pg``: a turn another process is running refuses this one at once with ``SessionBusy``).
    :meth:`hold` is also where a turn's session id is checked."""

    def __init__(self, lock_dir: Path | None = None, pg: Any = None):
        self.lock_dir, self.pg = lock_dir, pg
        self._locks: dict[str, list[Any]] = {}
        self._guard = threading.Lock()
        self._depth = threading.local()

    @contextmanager
    def hold(self, session: str) -> Iterator[None]:
        try:
            validate_session_id(session)
        except ValueError as exc:
            raise InputError(str(exc)) from None
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
        from vitron_agent.postgres import redact

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


def session_state(agent, session: str) -> dict[str, Any]:
    """The saved state of ``session`` (empty when it does not exist)."""
    _need_checkpointer(agent)
    return dict(agent.graph.get_state(agent._config(session)).values or {})


def list_sessions(agent) -> list[SessionInfo]:
    """Every session in the agent's checkpointer, most recently updated first."""
    from vitron_agent.graphs.events import turn_unfinished

    _need_checkpointer(agent)
    out = []
    for tid in _thread_ids(agent):
        snap = agent.graph.get_state(agent._config(tid))
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


def delete_session(agent, session: str) -> bool:
    """Delete the session's checkpoints and artifacts; False when there was nothing to delete."""
    _need_checkpointer(agent)
    validate_session_id(session)
    existed = bool(session_state(agent, session))
    agent.checkpointer.delete_thread(session)
    if agent.store.for_session(session).delete_session():
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


def fork_session(agent, session: str, new_session: str, turn: int | None = None) -> str:
    """Copy ``session`` as it stood after ``turn`` (1-based; default: its latest turn) into
    ``new_session``; returns the new id. Later turns of either branch do not affect the other."""
    _need_checkpointer(agent)
    validate_session_id(new_session)
    if session_state(agent, new_session):
        raise InputError(f"session {new_session!r} already exists; pick another id or delete it first")
    chosen = None
    for snap in agent.graph.get_state_history(agent._config(session)):
        history = (snap.values or {}).get("history", [])
        if snap.next or not history:
            continue
        if turn is None or len(history) == turn:
            chosen = snap
            break
    if chosen is None:
        raise InputError(f"session {session!r} has no completed turn {turn if turn is not None else ''}".strip())
    agent.store.for_session(session).copy_session(new_session)
    values = _rewrite(dict(chosen.values), session, new_session)
    values["session"] = new_session
    agent.graph.update_state(agent._config(new_session), values, as_node="respond")
    return new_session
