"""A step's artifacts are written off the tool's thread, and its record is checkpointed only once
they are durable. No timing asserts: the overlap is proven by a gate the dependant opens for the
first step's write, the durability by looking at the disk at every checkpoint."""

import sqlite3
import threading

import numpy as np
import pytest
from pydantic import Field

import vitron_agent.storage.store as store_mod
from vitron_agent.core.refs import ImageRef
from vitron_agent.planners.base import ScriptedPlanner
from vitron_agent.runtime.agent import Agent
from vitron_agent.storage.store import ArtifactStore
from vitron_agent.testing.stub_tools import ImageIn, ImageOut
from vitron_agent.toolkit.config import Config
from vitron_agent.toolkit.tool import Toolbox, VisionTool


class _In(ImageIn):
    opens: bool = Field(default=False, description="open the write gate when it runs")


class Invert(VisionTool):
    """Writes the inverted picture (a new artifact); ``opens`` opens the gate of slow writes."""

    name = "invert"
    description = "test tool"
    Input = _In
    Output = ImageOut

    def __init__(self, gate: threading.Event):
        self.gate = gate

    def run(self, inp: _In, ctx) -> ImageOut:
        if inp.opens:
            self.gate.set()
        return ImageOut(image=ctx.store.put_image(255 - ctx.store.get_image(inp.image), producer=ctx.step_id))


CHAIN = {
    "steps": [
        {"id": "s1", "tool": "invert", "args": {"image": "$input.image"}},
        {"id": "s2", "tool": "invert", "args": {"image": "$s1.image", "opens": True}},
    ]
}


@pytest.fixture
def gated_png(monkeypatch):
    """PNG encoding of a write waits for the gate (up to 30 s) and notes whether it was opened."""
    gate, opened = threading.Event(), []
    real = store_mod._png_bytes

    def slow(arr):
        opened.append(gate.wait(30))
        return real(arr)

    monkeypatch.setattr(store_mod, "_png_bytes", slow)
    return gate, opened


def photo(seed=0):
    return np.random.default_rng(seed).integers(0, 255, (16, 16, 3), dtype=np.uint8)


def stored_source(agent, gate, opened):
    """The turn's input, stored (synchronously) with the gate open; then the gate is closed again."""
    gate.set()
    src = agent.store.for_session("a").put_image(photo())
    gate.clear()
    opened.clear()
    return src


def make_agent(tmp_path, gate, deferred=True, **kw):
    config = Config.model_validate({"store": {"deferred_writes": deferred}})
    return Agent(
        toolbox=Toolbox([Invert(gate)]), planner=ScriptedPlanner([CHAIN]), data_dir=tmp_path, config=config, **kw
    )


def test_the_dependant_runs_while_the_first_steps_write_is_in_flight(tmp_path, gated_png):
    gate, opened = gated_png
    agent = make_agent(tmp_path, gate)
    src = stored_source(agent, gate, opened)
    result = agent.run("go", image=src, session="a")
    assert result.ok, result.answer
    assert opened[0] is True  # s1's PNG was still being written when s2 ran (s2 opened the gate)
    store = agent.store.for_session("a")
    back = store.get_image(ImageRef.model_validate(result.step("s2").outputs["image"]["value"]))
    assert np.array_equal(back, photo())  # s2 read s1's picture from memory: inverted twice
    for sid in ("s1", "s2"):  # both on disk when the turn ended, and they verify
        ref = ImageRef.model_validate(result.step(sid).outputs["image"]["value"])
        assert store.path(ref).is_file() and (store.dir / f"{ref.id}.json").is_file()


def test_without_deferred_writes_the_tool_waits_for_its_own_write(tmp_path, gated_png, monkeypatch):
    gate, opened = gated_png
    monkeypatch.setattr(gate, "wait", lambda timeout: threading.Event.wait(gate, 0.2))
    agent = make_agent(tmp_path, gate, deferred=False)
    src = stored_source(agent, gate, opened)
    assert agent.run("go", image=src, session="a").ok
    assert opened[0] is False  # the contrast: s1's write blocked s1, s2 had not started


class CheckingSaver:
    """A SQLite saver that, at every checkpoint, looks on disk for each artifact its records name."""

    def __new__(cls, path, root):
        from langgraph.checkpoint.sqlite import SqliteSaver

        class Saver(SqliteSaver):
            seen: list[tuple[str, bool]] = []

            def put(self, config, checkpoint, metadata, new_versions):
                records = (checkpoint.get("channel_values") or {}).get("records") or {}
                for rec in records.values():
                    for out in rec.get("outputs", {}).values():
                        value = out.get("value")
                        if isinstance(value, dict) and value.get("type") == "image":
                            folder = root / value["session"]
                            here = (folder / f"{value['id']}.png").is_file() and (
                                folder / f"{value['id']}.json"
                            ).is_file()
                            Saver.seen.append((rec["id"], here))
                return super().put(config, checkpoint, metadata, new_versions)

        return Saver(sqlite3.connect(str(path), check_same_thread=False))


def test_no_checkpoint_names_an_artifact_that_is_not_on_disk(tmp_path, gated_png):
    gate, opened = gated_png
    saver = CheckingSaver(tmp_path / "s.sqlite", tmp_path / "data")
    agent = make_agent(tmp_path / "data", gate, checkpointer=saver)
    src = stored_source(agent, gate, opened)
    assert agent.run("go", image=src, session="a").ok
    assert {sid for sid, _ in saver.seen} == {"s1", "s2"}
    assert all(here for _, here in saver.seen), saver.seen


def test_a_write_that_fails_makes_the_step_fail_and_its_dependant_skip(tmp_path, monkeypatch):
    gate = threading.Event()
    agent = make_agent(tmp_path, gate)
    src = agent.store.for_session("a").put_image(photo())
    real = store_mod.atomic_write

    def full_disk(path, data):
        if path.suffix == ".png":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(store_mod, "_atomic_write", full_disk)
    result = agent.run("go", image=src, session="a")
    assert not result.ok
    s1, s2 = result.step("s1"), result.step("s2")
    assert s1.status == "error" and "could not be stored" in s1.error and "No space left" in s1.error
    assert s1.outputs == {}
    assert s2.status in ("skipped", "error")  # it may have started on s1's picture in memory; never ok
    monkeypatch.setattr(store_mod, "_atomic_write", real)
    assert agent.run("go again", image=src, session="a").ok  # the session goes on


def test_store_views_wait_for_writes_in_flight(tmp_path, gated_png):
    gate, opened = gated_png
    root = ArtifactStore(tmp_path, "s")
    step = root.deferring()
    ref = step.put_image(photo(1))  # returns while the encoder waits at the gate
    assert not (root.dir / f"{ref.id}.json").exists()
    assert np.array_equal(step.get_image(ref), photo(1))  # from memory, no wait
    other = ArtifactStore(tmp_path, "s")  # another store object on the same folder (no writer of its own)
    paths: list = []
    waiters = [threading.Thread(target=lambda v=v: paths.append(v.path(ref))) for v in (root, other)]
    for w in waiters:
        w.start()
    waiters[0].join(0.2)
    assert all(w.is_alive() for w in waiters) and not paths  # other views' file reads wait for the write ...
    gate.set()
    for w in waiters:
        w.join(30)
    assert len(paths) == 2 and all(p.is_file() for p in paths)  # ... and then find the file
    step.settle()
    step.settle()  # idempotent
    assert opened == [True]
