"""The local pool of ``vitron-agent batch --workers N``: N helper processes plan and run every
item; the batch's own process builds no Agent (it lists, hands out and writes), and the helpers
are started before the inputs are listed and hashed, so their start-up overlaps it; a timeline
(``VITRON_BATCH_TIMELINE``) records every process's phases and CPU seconds."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from PIL import Image
from skimage import data

from vitron_agent.batch import jobs as batch
from vitron_agent.batch import pool as batch_pool
from vitron_agent.batch.jobs import run_batch

REQUEST = "make it warmer"


def photos(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        Image.fromarray(data.coffee()[i : i + 120 : 2, i : i + 160 : 2]).save(folder / f"p{i}.png")
    return [str(folder)]


def test_the_batch_process_builds_no_agent_and_helpers_start_before_hashing(tmp_path, monkeypatch):
    def no_agent(*args, **kwargs):
        raise AssertionError("the batch's own process built an Agent")

    monkeypatch.setattr(batch_pool, "make_agent", no_agent)  # the helpers are fresh interpreters
    helpers_at_hash = []
    own_sha = batch._sha256

    def sha(path):
        helpers_at_hash.append(len(multiprocessing.active_children()))
        return own_sha(path)

    monkeypatch.setattr(batch, "_sha256", sha)
    helpers_at_listing = []
    own_listing = batch.named_inputs

    def listing(specs, **kw):
        helpers_at_listing.append(len(multiprocessing.active_children()))
        return own_listing(specs, **kw)

    monkeypatch.setattr(batch, "named_inputs", listing)
    inputs = photos(tmp_path / "in", 4)
    got = list(run_batch(REQUEST, inputs, tmp_path / "out", workers=2, quiet=True))
    assert helpers_at_listing == [2]  # started before the inputs were even listed
    assert sorted(ln["name"] for ln in got) == [f"p{i}.png" for i in range(4)]
    assert all(ln["status"] == "ok" for ln in got), got
    assert json.loads((tmp_path / "out" / "workflow.json").read_text())["plan"]["steps"]  # a helper planned it
    assert helpers_at_hash and min(helpers_at_hash) >= 2  # both helpers were started before any hashing
    assert (tmp_path / "out" / "index.html").exists()

    helpers_at_hash.clear()  # a workflow file over a fresh --out: work is sure, the pool starts first
    wf = tmp_path / "out" / "workflow.json"
    more = list(run_batch(str(wf), inputs, tmp_path / "out2", workers=2, quiet=True))
    assert len(more) == 4 and all(ln["status"] == "ok" for ln in more)
    assert min(helpers_at_hash) >= 2
    helpers_at_hash.clear()  # ... and over one where everything is done, no pool at all
    assert list(run_batch(str(wf), inputs, tmp_path / "out2", workers=2, quiet=True)) == []
    assert helpers_at_hash == [0] * 4


def test_a_timeline_records_every_process_and_the_helpers_end_cleanly(tmp_path, monkeypatch):
    from vitron_agent.batch import timeline

    trace = tmp_path / "timeline.jsonl"
    monkeypatch.setenv(timeline.ENV, str(trace))  # the spawned helpers inherit it
    inputs = photos(tmp_path / "in", 3)
    got = list(run_batch(REQUEST, inputs, tmp_path / "out", workers=2, quiet=True))
    assert len(got) == 3 and all(ln["status"] == "ok" for ln in got)
    recs = timeline.read(str(trace))
    driver = [r["phase"] for r in recs if r["who"] == "driver"]
    assert driver[:4] == ["batch start", "runner started", "inputs listed", "planned"]
    assert driver.count("line") == 3 and driver[-2:] == ["runner closed", "gallery written"]
    helpers = {r["pid"] for r in recs if r["who"] == "helper"}
    assert len(helpers) == 2
    for pid in helpers:  # each: started, built its Agent once, and ran its exit (writes flushed, code 0)
        phases = [r["phase"] for r in recs if r["pid"] == pid]
        assert phases[:2] == ["started", "agent built"] and phases[-1] == "exit", phases
        assert all(r["cpu"] > 0 for r in recs if r["pid"] == pid)
    assert sorted(r["name"] for r in recs if r["phase"] == "job done") == ["p0.png", "p1.png", "p2.png"]
    assert all(Path(ln["folder"], "report.html").exists() for ln in got)  # written before the helpers ended
