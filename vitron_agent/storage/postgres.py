"""Sessions in PostgreSQL: LangGraph's Postgres checkpointer and a turn lock every server shares.

``Agent(db="postgresql://user:pass@host:5432/vitron")`` (or ``--db`` / ``[agent] db``) keeps the
checkpoints -- every session's state, turn by turn, step by step -- in the database through
``langgraph-checkpoint-postgres``, on a connection pool that checks a connection before handing it
out (a database restart costs the next query one reconnect, not the session). The sessions the
project lists, shows, forks and resumes are those checkpoints: there is no second record to keep
in step with them.

The per-session turn lock is a PostgreSQL advisory lock held on its own connection for the turn:
a turn on a session that another process (another server, another machine) is running is refused
at once with :class:`~vitron_agent.core.errors.SessionBusy` (HTTP 409), never queued behind it; a
process killed mid-turn loses its connection and with it the lock, so ``resume`` on any other
machine can finish the turn.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from vitron_agent.core.errors import InputError, SessionBusy

__all__ = ["PostgresSessions", "is_postgres_url", "redact"]


def is_postgres_url(db: Any) -> bool:
    return isinstance(db, str) and re.match(r"^postgres(?:ql)?(?:\+\w+)?://", db) is not None


def redact(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _lock_key(session: str) -> int:
    """A stable signed 64-bit key for ``session`` (pg advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(b"vitron-session:" + session.encode()).digest()[:8], "big", signed=True)


class PostgresSessions:
    """A pool on the database, the checkpointer on it, and the cross-process turn lock."""

    def __init__(self, url: str, max_connections: int = 16, connect_timeout: float = 5.0):
        try:
            from langgraph.checkpoint.postgres import PostgresSaver
            from psycopg.rows import dict_row
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise InputError(
                "a postgresql:// --db needs psycopg and langgraph-checkpoint-postgres: "
                "pip install 'vitron-agent[distributed]'"
            ) from None
        self.url = url
        self.pool = ConnectionPool(
            url.replace("postgresql+psycopg://", "postgresql://"),
            min_size=1,
            max_size=max_connections,
            open=False,
            check=ConnectionPool.check_connection,
            name="vitron-sessions",
            kwargs={
                "autocommit": True,
                "prepare_threshold": 0,
                "row_factory": dict_row,
                "connect_timeout": int(max(1, connect_timeout)),
            },
        )
        try:
            self.pool.open(wait=True, timeout=connect_timeout + 5)
            self.saver = PostgresSaver(self.pool)
            self.saver.setup()  # idempotent: creates or migrates LangGraph's tables
        except Exception as exc:
            self.pool.close()
            raise InputError(
                f"cannot use the session database {redact(url)}: {type(exc).__name__}: "
                f"{_first_line(exc)}; check that PostgreSQL is running there and the user, password "
                "and database are right"
            ) from None

    @contextmanager
    def turn_lock(self, session: str) -> Iterator[None]:
        """Hold ``session``'s advisory lock for the block; :class:`SessionBusy` at once when another
        connection holds it."""
        key = _lock_key(session)
        try:
            conn = self.pool.getconn()
        except Exception as exc:
            raise InputError(
                f"cannot reach the session database {redact(self.url)}: {type(exc).__name__}: {_first_line(exc)}"
            ) from None
        try:
            got = conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (key,)).fetchone()["got"]
            if not got:
                raise SessionBusy(
                    f"session {session!r} has a turn running in another process (another server or "
                    "CLI on this database); wait for it to finish, then send this turn again"
                )
            try:
                yield
            finally:
                try:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
                except Exception:  # the connection died (database restart): the lock died with it
                    pass
        finally:
            self.pool.putconn(conn)

    def close(self) -> None:
        self.pool.close()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
