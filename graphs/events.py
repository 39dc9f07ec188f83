"""One turn of the agent graph as the agent's events.

LangGraph streams per-node state updates (and the tools' custom events); this module, which knows
the graph's node names, turns them into what a caller sees: ``plan``, ``repair``, ``review``,
``step_started`` / ``progress`` / ``step_finished`` (with ``progress``) and ``answer``. The final
state comes back as the generator's return value (``values, awaiting_review``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vitron_agent.graphs.agent_graph import EARLY

__all__ = ["start_turn", "turn_events", "turn_unfinished"]

REPAIRING_NODES = ("validate", "schedule", "execute")  # nodes whose "problems" go back to the planner


def turn_events(
    graph: Any, state_in: Any, config: dict[str, Any], *, progress: bool, checkpointer: Any
) -> Iterator[dict[str, Any]]:
    """Run (or resume, ``state_in=None`` / a ``Command``) one turn, yielding events; returns
    ``(values, awaiting_review)``: the state at the end and whether a plan waits for review."""
    from langgraph.checkpoint.memory import InMemorySaver

    values: dict[str, Any] = {}
    # LangGraph's custom stream costs ~0.4 ms a step: asked for only when someone listens. The
    # values stream (a dict of the channels' values after each superstep, not a copy of them)
    # gives the state at the end: reading it back from the checkpointer (get_state: a query and
    # a decode of every channel) cost ~0.3 ms a turn, and is done only when the turn paused.
    modes = ["updates", "values"] + (["custom"] if progress else [])
    # "sync": each superstep's checkpoint is on disk before the next starts, so a killed
    # process resumes after the last completed step.
    persistent = checkpointer is not None and not isinstance(checkpointer, InMemorySaver)
    if checkpointer is not None and isinstance(state_in, dict):
        start_turn(graph, state_in, config)
        state_in = None  # the turn goes on from the checkpoint just saved: the planner is next
    paused = early = False
    try:
        for mode, chunk in graph.stream(state_in, config, stream_mode=modes, durability="sync" if persistent else None):
            if mode == "custom":
                if chunk.get("type") == "plan" and chunk.get(EARLY):  # the planner's, before its first steps ran
                    early = True
                    chunk = {"type": "plan", "plan": chunk.get("plan")}
                yield chunk
            elif mode == "values":
                values = chunk
            else:
                paused = paused or "__interrupt__" in (chunk or {})
                yield from _node_events(chunk or {}, early)
                early = False
    finally:
        # writes no checkpoint followed (a review's interrupt, a node that raised, writes saved
        # after their checkpoint) are committed before the turn's result goes out
        flush = getattr(checkpointer, "flush", None)
        if flush is not None:
            flush()
    if checkpointer is None or not paused:
        return values, False
    snapshot = graph.get_state(config)
    return snapshot.values, "review" in (snapshot.next or ())


def start_turn(graph: Any, state_in: dict[str, Any], config: dict[str, Any]) -> None:
    """Save a new turn's input state as the ``START`` node's update: one checkpoint, durable
    before the turn runs, whose next task is the planner.

    Given the input instead (``graph.stream(state_in, ...)``), LangGraph saves the input as a
    checkpoint of its own, then the ``START`` superstep's writes, then that superstep's
    checkpoint (three commits, each a WAL fsync, before the planner runs, for a superstep that
    only copies the input into the channels) and bookkeeps every channel of the input twice.
    What is saved is the same state: a process killed before the planner's checkpoint leaves
    the turn pending (the planner is next) and ``resume`` runs it, as before."""
    from langgraph.graph import START

    graph.update_state(config, state_in, as_node=START)


def turn_unfinished(snapshot: Any) -> bool:
    """Whether the turn saved in ``snapshot`` (``graph.get_state(config)``, the latest checkpoint)
    has not ended: a node is still to run, or one waits for review, or a node finished and its
    writes were saved but the checkpoint after them was not.

    That last case is a process killed between LangGraph's two saves of a superstep (the node's
    writes, then the checkpoint): the live snapshot applies the writes and drops the node from
    ``next``, so ``next`` is empty although the graph never reached its end (no node after it was
    even scheduled). ``resume`` finishes such a turn without running the node again."""
    return bool(snapshot.next) or any(task.result is not None for task in snapshot.tasks or ())


def _node_events(chunk: dict[str, Any], early: bool = False) -> Iterator[dict[str, Any]]:
    """The events of one superstep's node updates; ``early``: the planner's plan event was already
    sent (the custom stream, before the steps it ran in the same superstep)."""
    for node, update in chunk.items():
        if node == "__interrupt__":
            for intr in update:
                value = getattr(intr, "value", None)
                if isinstance(value, dict) and value.get("type") == "review":
                    yield {"type": "review", "plan": value.get("plan")}
            continue
        if not update:
            continue
        if node == "planner":
            if update.get("plan") is not None and not early:
                yield {"type": "plan", "plan": update["plan"]}
            if update.get("problems") and "repairs" in update:  # its plan failed validation, or its first
                yield {"type": "repair", "problems": update["problems"]}  # steps' arguments (run in the node)
            if "answer" in update:  # every step ran in the planner's superstep: it answered
                yield {"type": "answer", "answer": update["answer"]}
        elif node in REPAIRING_NODES and update.get("problems"):
            yield {"type": "repair", "problems": update["problems"]}
        elif node == "respond" or (node == "execute" and "answer" in update):  # the last execute answers
            yield {"type": "answer", "answer": update["answer"]}
