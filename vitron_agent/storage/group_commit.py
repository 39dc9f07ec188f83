"""Sessions in SQLite with one commit a superstep: LangGraph's SqliteSaver whose task writes are
committed together with the checkpoint that follows them.

LangGraph saves a superstep in two calls, each one SQLite transaction: ``put_writes`` (what the
node returned) as soon as the node finishes, then ``put`` (the checkpoint after the superstep).
With SQLite's default ``synchronous=FULL`` in WAL mode every commit is one fsync (≈ 2.7 ms on
the project's disk), so a superstep cost two, and a 2-3 step turn of the agent seven.
:class:`GroupCommitSaver` keeps a task's writes (serialised at once) until the next ``put`` and
writes them in the checkpoint's transaction: one fsync a superstep, ``synchronous`` unchanged.

What is durable when:

* a checkpoint is on disk when ``put`` returns, as before (``durability="sync"``: before the next
  superstep starts); so is every write handed over before it, in the same atomic commit;
* writes not followed by a ``put`` (a node that raised, a review's ``interrupt``, writes that
  arrive after their superstep's checkpoint: LangGraph saves the two on two threads) are committed
  by :meth:`GroupCommitSaver.flush`, which :func:`~vitron_agent.graphs.events.turn_events` calls
  when a turn's stream ends, and before any read (``get_tuple``, ``list``) or delete, so a reader
  never misses a write handed over before it;
* a process killed between a node's end and its superstep's checkpoint loses that node's writes
  with the checkpoint (they commit together), so resume runs the node again from the checkpoint
  before it. With the stock saver the writes could be on disk alone for the moment between the
  two commits, and resume kept them. Nothing checkpointed ever points at an artifact that is not
  durable: a step's record reaches LangGraph only once its artifacts are (graphs/dataflow.py).

Only for graphs whose supersteps run one node each (the agent's dataflow graph): with several
nodes in a superstep (LangGraph ``Send``), a node that finished early would have its writes
held until the slowest one ended. :class:`~vitron_agent.runtime.agent.Agent` uses this saver for
``db=`` SQLite files with the dataflow scheduler and the stock saver otherwise.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from langgraph.checkpoint.base import WRITES_IDX_MAP, get_checkpoint_metadata
from langgraph.checkpoint.sqlite import SqliteSaver

__all__ = ["GroupCommitSaver"]

# Copied from langgraph-checkpoint-sqlite 3.1.2 (SqliteSaver.put_writes / put): the same rows, so either
# saver reads what the other wrote (tests/reliability/test_group_commit.py compares the tables).
_REPLACE = (
    "INSERT OR REPLACE INTO writes (thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, idx, channel, "
    "type, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_IGNORE = _REPLACE.replace("INSERT OR REPLACE", "INSERT OR IGNORE")
_CHECKPOINT = (
    "INSERT OR REPLACE INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, "
    "checkpoint, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class GroupCommitSaver(SqliteSaver):
    """A :class:`~langgraph.checkpoint.sqlite.SqliteSaver` that commits a task's writes with the
    next checkpoint (one commit, one fsync, a superstep); the rows and the tables are the stock
    saver's, so either reads what the other wrote.

    Args:
        conn: the SQLite connection (``check_same_thread=False``: LangGraph saves on its threads).
    """

    def __init__(self, conn: sqlite3.Connection, **kwargs: Any):
        super().__init__(conn, **kwargs)
        self._held: list[tuple[str, list[tuple[Any, ...]]]] = []  # (statement, rows) not yet committed
        self._held_lock = threading.Lock()

    def put_writes(
        self, config: dict[str, Any], writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        """Serialise ``writes`` now (their values may change after this returns) and hold them until
        the next :meth:`put` or :meth:`flush` commits them (the stock saver's rows and statements)."""
        conf = config["configurable"]
        statement = _REPLACE if all(w[0] in WRITES_IDX_MAP for w in writes) else _IGNORE
        rows = [
            (
                str(conf["thread_id"]),
                str(conf["checkpoint_ns"]),
                str(conf["checkpoint_id"]),
                task_id,
                task_path,
                WRITES_IDX_MAP.get(channel, idx),
                channel,
                *self.serde.dumps_typed(value),
            )
            for idx, (channel, value) in enumerate(writes)
        ]
        with self._held_lock:
            self._held.append((statement, rows))

    def put(
        self, config: dict[str, Any], checkpoint: dict[str, Any], metadata: dict[str, Any], new_versions: Any
    ) -> dict[str, Any]:
        """Save the checkpoint and every write held so far in one transaction (one commit)."""
        conf = config["configurable"]
        type_, blob = self.serde.dumps_typed(checkpoint)
        meta = json.dumps(get_checkpoint_metadata(config, metadata), ensure_ascii=False).encode("utf-8", "ignore")
        with self.cursor() as cur:  # (commits once, on leaving)
            self._write_held(cur)
            cur.execute(
                _CHECKPOINT,
                (
                    str(conf["thread_id"]),
                    conf["checkpoint_ns"],
                    checkpoint["id"],
                    conf.get("checkpoint_id"),
                    type_,
                    blob,
                    meta,
                ),
            )
        return {
            "configurable": {
                "thread_id": conf["thread_id"],
                "checkpoint_ns": conf["checkpoint_ns"],
                "checkpoint_id": checkpoint["id"],
            }
        }

    def flush(self) -> None:
        """Commit the writes held since the last checkpoint (nothing to do, no commit, when none are)."""
        if not self._held:
            return
        with self.cursor() as cur:
            self._write_held(cur)

    def _write_held(self, cur: sqlite3.Cursor) -> None:
        with self._held_lock:
            held, self._held = self._held, []
        for statement, rows in held:
            cur.executemany(statement, rows)

    @property
    def holding(self) -> int:
        """How many ``put_writes`` calls are held, not yet committed (for tests and benchmarks)."""
        return len(self._held)

    def get_tuple(self, config: dict[str, Any]) -> Any:
        self.flush()
        return super().get_tuple(config)

    def list(self, config: dict[str, Any] | None, **kwargs: Any) -> Iterator[Any]:
        self.flush()
        yield from super().list(config, **kwargs)

    def delete_thread(self, thread_id: str) -> None:
        self.flush()
        super().delete_thread(thread_id)

    def get_delta_channel_history(self, **kwargs: Any) -> Any:
        self.flush()
        return super().get_delta_channel_history(**kwargs)
