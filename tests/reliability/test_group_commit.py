"""The SQLite sessions' group commit (vitron_agent/storage/group_commit.py): a task's writes are
committed with the checkpoint after them, one commit (one WAL fsync) a superstep, and nothing is
less durable at the points that matter: a checkpoint is on disk before the next superstep starts,
writes that no checkpoint follows (a node that raised, a review's pause) are on disk when the turn
returns, a reader sees every write handed over before it, and a process killed in the combined
commit resumes from the checkpoint before it with the same outputs."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.storage.group_commit import GroupCommitSaver
from vitron_agent.testing.stub_tools import stub_tool
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.tool import Toolbox

ROOT = Path(__file__).resolve().parents[2]
IMAGE = np.arange(8 * 8 * 3, dtype=np.uint8).reshape(8, 8, 3)


def _noop():
    return stub_tool("noop", lambda inp, ctx: {"image": inp.image}, description="returns its input")


def _chain(n, tool="noop"):
    return {
        "steps": [
            {"id": f"s{i}", "tool": tool, "args": {"image": "$input.image" if i == 1 else f"$s{i - 1}.image"}}
            for i in range(1, n + 1)
        ]
    }


class _Counting(sqlite3.Connection):
    commits = 0

    def commit(self):
        type(self).commits += 1
        return super().commit()


def _saved_writes(db: Path) -> int:
    """Rows of LangGraph's pending writes committed to ``db`` (read on a connection of its own)."""
    with sqlite3.connect(db) as other:
        return other.execute("SELECT COUNT(*) FROM writes").fetchone()[0]


@pytest.mark.parametrize("saver", [SqliteSaver, GroupCommitSaver])
def test_one_commit_a_superstep_and_the_same_state(tmp_path, saver):
    """A later turn of a 4-step chain: the stock saver commits twice a superstep (10), the group
    saver once (5: the input, the plan with the first step, three more steps); the saved state and
    the saved writes are the same either way."""
    db = tmp_path / "s.sqlite"
    conn = sqlite3.connect(db, check_same_thread=False, factory=_Counting)
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(4)]), saver(conn), data_dir=tmp_path)
    first = agent.run("go", image=IMAGE, session="c")
    _Counting.commits = 0
    second = agent.run("go", session="c")
    commits = _Counting.commits
    assert first.ok and second.ok and [s.id for s in second.steps] == ["s1", "s2", "s3", "s4"]
    assert commits == (5 if saver is GroupCommitSaver else 10)
    saved = agent.graph.get_state({"configurable": {"thread_id": "c"}})
    assert not saved.next and len(saved.values["history"]) == 2 and saved.values["answer"] == second.answer
    # every superstep's writes are on disk for another connection to read (10 supersteps' worth)
    assert _saved_writes(db) >= 10
    agent.close()
    conn.close()


def test_the_agent_picks_the_group_saver_for_the_dataflow_scheduler_only(tmp_path):
    with Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(1)]), db=tmp_path / "a.sqlite") as agent:
        assert type(agent.checkpointer) is GroupCommitSaver
    waves = Config.model_validate({"agent": {"scheduler": "waves"}})
    with Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(1)]), db=tmp_path / "b.sqlite", config=waves) as agent:
        # several nodes in a superstep: a node that finished early must not wait for the slowest
        assert type(agent.checkpointer) is SqliteSaver


def test_writes_no_checkpoint_follows_are_on_disk_when_the_turn_returns(tmp_path):
    """A tool with a bug: the exception propagates, LangGraph saves the failed node's error as a
    write and no checkpoint follows. The write is committed when the turn's stream ends (another
    connection reads it), and the saver holds nothing."""

    def bug(inp, ctx):
        raise KeyError("a bug in the tool")

    db = tmp_path / "s.sqlite"
    agent = Agent(Toolbox([stub_tool("bug", bug)]), ScriptedPlanner([_chain(1, "bug")]), db=db)
    with pytest.raises(KeyError):
        agent.run("go", image=IMAGE, session="e")
    assert agent.checkpointer.holding == 0
    with sqlite3.connect(db) as other:
        channels = [c for (c,) in other.execute("SELECT channel FROM writes")]
    assert "__error__" in channels
    agent.close()


def test_a_review_pause_is_seen_by_another_process(tmp_path):
    """A plan paused for review (LangGraph's interrupt is a write with no checkpoint after it):
    another Agent on the same file (its own connection, as another server process) sees it waiting
    and approves it."""
    db = tmp_path / "s.sqlite"
    first = Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(2)]), db=db, data_dir=tmp_path / "art")
    paused = first.run("go", image=IMAGE, session="r", review=True)
    assert paused.awaiting_review and first.checkpointer.holding == 0
    with Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(2)]), db=db, data_dir=tmp_path / "art") as second:
        snapshot = second.graph.get_state(second._config("r"))
        assert "review" in snapshot.next and any(t.interrupts for t in snapshot.tasks)
        done = second.review("r", "approve")
    assert done.ok and [s.id for s in done.steps] == ["s1", "s2"]
    first.close()


def test_a_read_sees_the_writes_held_before_it(tmp_path):
    """Writes handed over and not yet committed: a read (of this saver or, once it read, of another
    connection) sees them; nothing is committed when nothing is held."""
    db = tmp_path / "s.sqlite"
    conn = sqlite3.connect(db, check_same_thread=False, factory=_Counting)
    saver = GroupCommitSaver(conn)
    config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
    checkpoint = {"v": 4, "id": "1f0", "ts": "2026-12-07T00:00:00+00:00", "channel_values": {"n": 1},
                  "channel_versions": {"n": 1}, "versions_seen": {}, "updated_channels": None}  # fmt: skip
    saved = saver.put(config, checkpoint, {"source": "input", "step": -1}, {"n": 1})
    saver.put_writes(saved, [("n", 2), ("m", "x")], "task-1")
    assert saver.holding == 1 and _saved_writes(db) == 0
    found = saver.get_tuple(config)
    assert [(task, channel, value) for task, channel, value in found.pending_writes] == [
        ("task-1", "n", 2),
        ("task-1", "m", "x"),
    ]
    assert saver.holding == 0 and _saved_writes(db) == 2
    _Counting.commits = 0
    saver.flush()
    assert _Counting.commits == 0
    conn.close()


def test_the_rows_are_the_stock_savers(tmp_path):
    """The same saves through either saver leave the same rows (the statements are copied from
    langgraph-checkpoint-sqlite: a change there fails here), and either saver reads the other's."""
    checkpoint = {"v": 4, "id": "1f0", "ts": "2026-12-07T00:00:00+00:00", "channel_values": {"n": 1, "h": ["a"]},
                  "channel_versions": {"n": 1, "h": 1}, "versions_seen": {}, "updated_channels": None}  # fmt: skip
    tables = {}
    for saver_cls in (SqliteSaver, GroupCommitSaver):
        conn = sqlite3.connect(tmp_path / f"{saver_cls.__name__}.sqlite", check_same_thread=False)
        saver = saver_cls(conn)
        config = {"configurable": {"thread_id": "t", "checkpoint_ns": ""}}
        saved = saver.put(config, checkpoint, {"source": "input", "step": -1}, {"n": 1, "h": 1})
        saver.put_writes(saved, [("n", 2), ("h", ["b"])], "task-1", "~path")
        saver.put_writes(saved, [("__interrupt__", "x")], "task-2")
        saver.put({**saved}, {**checkpoint, "id": "1f1"}, {"source": "loop", "step": 0}, {"n": 2})
        tables[saver_cls] = [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4, 5").fetchall()
            for table in ("checkpoints", "writes")
        ]
        other = (GroupCommitSaver if saver_cls is SqliteSaver else SqliteSaver)(conn)
        assert other.get_tuple(config).checkpoint["id"] == "1f1"
        conn.close()
    assert tables[SqliteSaver] == tables[GroupCommitSaver]


# A process killed inside the group commit of s2's superstep: s2's record and the checkpoint after
# it are written in one transaction, and SIGKILL lands before it commits.
DIE_IN_COMMIT = """
import os, signal, sys, sqlite3
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import numpy as np
from crash_worker import PLAN, SlowRoll
from vitron_agent.runtime.agent import Agent
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.storage.group_commit import GroupCommitSaver
from vitron_agent.toolkit.tool import Toolbox

class DiesInCommit(GroupCommitSaver):
    def _write_held(self, cur):
        super()._write_held(cur)
        records = self._checkpoint["channel_values"].get("records") if self._checkpoint else None
        if isinstance(records, dict) and (records.get("s2") or {}).get("status") == "ok":
            os.kill(os.getpid(), signal.SIGKILL)  # s2's writes are in the transaction, not committed

    def put(self, config, checkpoint, metadata, new_versions):
        self._checkpoint = checkpoint
        return super().put(config, checkpoint, metadata, new_versions)

db, markers = Path(sys.argv[1]), Path(sys.argv[2])
markers.mkdir(parents=True, exist_ok=True)
saver = DiesInCommit(sqlite3.connect(str(db), check_same_thread=False))
saver._checkpoint = None
agent = Agent(toolbox=Toolbox([SlowRoll(markers)]), planner=ScriptedPlanner([PLAN]), checkpointer=saver, db=db)
img = np.arange(24 * 32 * 3, dtype=np.uint32).reshape(24, 32, 3).astype(np.uint8)
agent.run("roll four times", image=img, session="crash")
"""


def test_killed_in_the_group_commit_resumes_from_the_checkpoint_before(tmp_path):
    """The kill lands after s2's record and its checkpoint were written into the transaction, before
    the commit: neither is on disk (atomic), the saved turn stands after s1 with nothing of s2, and
    resume runs s2 again and ends with the outputs of an uninterrupted run. (With the stock saver
    s2's record could be on disk alone, between its two commits, and kept: see
    tests/server/test_kill_resume.py.)"""
    sys.path.insert(0, str(ROOT / "tests" / "reliability"))
    from crash_worker import PLAN, SlowRoll

    db, markers = tmp_path / "s.sqlite", tmp_path / "markers"
    proc = subprocess.run(
        [sys.executable, "-c", DIE_IN_COMMIT, str(db), str(markers), str(ROOT / "tests" / "reliability")],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    with Agent(toolbox=Toolbox([SlowRoll(markers)]), planner=ScriptedPlanner([PLAN]), db=db) as agent:
        saved = agent.graph.get_state(agent._config("crash"))
        assert sorted(saved.values.get("records") or {}) == ["s1"]  # nothing of s2, and no write of it
        assert not any(t.result for t in saved.tasks) and agent.pending("crash")
        result = agent.resume("crash")
        out = agent.load(result.steps[-1].ref("image"))
    assert [s.status for s in result.steps] == ["ok"] * 4
    runs = sorted(m.name.split("-")[0] for m in markers.iterdir())
    assert runs.count("s1") == 1 and runs.count("s2") == 2 and runs.count("s4") == 1
    expected = np.arange(24 * 32 * 3, dtype=np.uint32).reshape(24, 32, 3).astype(np.uint8)
    for i in range(1, 5):
        expected = np.clip(np.roll(expected, 3 * i, axis=1).astype(int) + 7, 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(out, expected)
