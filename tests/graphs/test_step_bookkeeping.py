"""What a step costs besides its tool (issue 44 item 3), pinned as behaviour, never as time: the
runner's records keep StepRecord's shape without pydantic; a tool's traits are answered from the
cache until the registry changes; a turn reads its plan once; the final state comes from the
stream, not from a read back of the checkpoint, and is the state the checkpoint holds."""

import sqlite3

import numpy as np
import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from vitron_agent.core.errors import ToolFailed
from vitron_agent.graphs import agent_graph
from vitron_agent.graphs.dataflow import StepRecord, StepRunner, new_record
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.storage.store import ArtifactStore
from vitron_agent.testing.stub_tools import stub_tool
from vitron_agent.toolkit import registry
from vitron_agent.toolkit.tool import Toolbox


def _noop():
    return stub_tool("noop", lambda inp, ctx: {"image": inp.image}, description="returns its input")


def _broken(inp, ctx):
    raise ToolFailed("broken on purpose")


def _chain(n):
    return {
        "steps": [
            {"id": f"s{i}", "tool": "noop", "args": {"image": "$input.image" if i == 1 else f"$s{i - 1}.image"}}
            for i in range(1, n + 1)
        ]
    }


def _same_shape(record):
    """The record is what StepRecord would dump: the same keys in the same order, valid values."""
    assert list(record) == list(StepRecord.model_fields)
    assert StepRecord.model_validate(record).model_dump() == record


@pytest.mark.parametrize("case", ["ok", "failed", "argument", "held", "skipped"])
def test_records_keep_the_step_record_shape(tmp_path, case):
    store = ArtifactStore(tmp_path, "b")
    ref = store.put_image(np.zeros((8, 8, 3), np.uint8)).model_dump(mode="json")
    runner = StepRunner(Toolbox([_noop(), stub_tool("broken", _broken)]), store)
    step = {"id": "s1", "tool": "broken" if case == "failed" else "noop", "args": {"image": "$input.image"}}
    args = {"image": ref} if case != "argument" else {"image": 3}
    if case == "skipped":
        record = runner.skipped_record(step, ["s0"])
    else:
        record = runner.run("b", {**step, "held": "held back: test"} if case == "held" else step, args)
    _same_shape(record)
    expected = {
        "ok": ("ok", None),
        "failed": ("error", "failed"),
        "argument": ("error", "argument"),
        "held": ("skipped", "held"),
        "skipped": ("skipped", "skipped"),
    }[case]
    assert (record["status"], record["error_kind"]) == expected
    assert bool(record["outputs"]) == (case == "ok")
    assert record["args"] == step["args"] and record["args"] is not step["args"]  # a copy, as model_dump made


def test_new_record_does_not_share_the_plans_lists():
    step = {"id": "s2", "tool": "noop", "args": {"image": "$s1.image"}, "after": ["s1"]}
    record = new_record(step)
    record["args"]["image"] = "changed"
    record["after"].append("s9")
    assert step == {"id": "s2", "tool": "noop", "args": {"image": "$s1.image"}, "after": ["s1"]}


def test_traits_are_answered_from_the_cache_until_the_registry_changes(monkeypatch):
    registry.traits("probe_tool")  # the first ask discovers
    calls = []
    real = registry.discover
    monkeypatch.setattr(registry, "discover", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = registry.traits("probe_tool")
    assert registry.traits("probe_tool") is first and first.role == ""
    assert calls == []  # a hit lists no folder (was ~12 µs, ~85 asks a 16-step turn)
    declared = registry.Traits("probe_tool", role="edit")
    monkeypatch.setitem(registry._TRAITS, "probe_tool", declared)  # undone after the test
    registry.declare(declared)  # the same traits again: a no-op that changes the version
    assert registry.traits("probe_tool").role == "edit"  # a new version: worked out again
    assert calls == [1]


def test_a_turn_reads_its_plan_once(tmp_path, monkeypatch):
    derived = []
    real = agent_graph._Nodes._derived
    monkeypatch.setattr(agent_graph._Nodes, "_derived", staticmethod(lambda plan: derived.append(1) or real(plan)))
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(6)]), data_dir=tmp_path)
    for i in range(2):
        result = agent.run("go", image=np.zeros((8, 8, 3), np.uint8), session=f"p{i}")
        assert result.ok and len(result.steps) == 6 and result.answer
    assert len(derived) == 2  # validated by the planner's superstep, then found by every execute and the answer


def test_the_final_state_is_the_checkpointed_state(tmp_path):
    conn = sqlite3.connect(tmp_path / "s.sqlite", check_same_thread=False)
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(3), _chain(2)]), SqliteSaver(conn), data_dir=tmp_path)
    image = np.zeros((8, 8, 3), np.uint8)
    for turn in range(2):
        result = agent.run("go", image=image, session="f")
        saved = agent.graph.get_state({"configurable": {"thread_id": "f"}})
        assert not saved.next  # the turn ended
        assert result.answer == saved.values["answer"] and result.ok
        assert [s.id for s in result.steps] == list(saved.values["records"])
        assert len(agent.history("f")) == turn + 1
    conn.close()


class _Counting(sqlite3.Connection):
    commits = 0

    def commit(self):
        type(self).commits += 1
        return super().commit()


def test_a_turn_commits_twice_a_superstep_and_nothing_of_its_own(tmp_path):
    """Each superstep saves its writes, then its checkpoint: one commit each (one WAL fsync each),
    as a bare LangGraph chain does; the planner's superstep also runs the first step, and the turn's
    input is saved as one checkpoint (LangGraph's input path makes three commits: the input, the
    START superstep's writes and its checkpoint), so a fresh session's turn commits twice less than
    the bare chain, a later turn once less (the input's writes are saved against the last turn's
    checkpoint)."""
    from typing import TypedDict

    from langgraph.graph import END, START, StateGraph

    conn = sqlite3.connect(tmp_path / "a.sqlite", check_same_thread=False, factory=_Counting)
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(4)]), SqliteSaver(conn), data_dir=tmp_path)
    _Counting.commits = 0
    assert agent.run("go", image=np.zeros((8, 8, 3), np.uint8), session="c").ok
    agent_commits = _Counting.commits
    _Counting.commits = 0
    assert agent.run("go", session="c").ok
    later_commits = _Counting.commits

    class S(TypedDict, total=False):
        n: int

    g = StateGraph(S)
    for i in range(1, 5):
        g.add_node(f"s{i}", lambda state: {"n": state.get("n", 0) + 1})
        g.add_edge(START if i == 1 else f"s{i - 1}", f"s{i}")
    g.add_edge("s4", END)
    bare_conn = sqlite3.connect(tmp_path / "b.sqlite", check_same_thread=False, factory=_Counting)
    bare = g.compile(checkpointer=SqliteSaver(bare_conn))
    _Counting.commits = 0
    bare.invoke({"n": 0}, {"configurable": {"thread_id": "t"}}, durability="sync")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # one fsync a commit
    assert _Counting.commits == 2 * (4 + 2) - 1
    assert agent_commits == _Counting.commits - 2 and later_commits == _Counting.commits - 1
    conn.close()
    bare_conn.close()


def test_resuming_a_finished_turn_returns_it_from_the_stream(tmp_path):
    """The final state comes from the values stream: a resume with nothing left to run still gets the
    whole state (the answer, the steps), not an empty one."""
    agent = Agent(Toolbox([_noop()]), ScriptedPlanner([_chain(3)]), db=tmp_path / "s.sqlite")
    first = agent.run("go", image=np.zeros((8, 8, 3), np.uint8), session="r")
    again = agent.resume("r")
    assert again.ok and again.answer == first.answer and [s.id for s in again.steps] == ["s1", "s2", "s3"]
    agent.close()
