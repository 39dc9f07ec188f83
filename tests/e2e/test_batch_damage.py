"""Batch against what the third hostile probe did to it (issue 40): a file name that is not UTF-8,
a damaged results log, two runs on one --out, identical files in two folders, names a URL
minds, kill -9 of a pool, a resumed run over a failed item. Each test fails on the code before
the fix."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from PIL import Image
from skimage import data

from vitron_agent.batch.jobs import run_batch
from vitron_agent.core.errors import InputError

EXE = str(Path(sys.executable).parent / "vitron-agent")
REQUEST = "make it warmer"


def cli(*args, timeout=300):
    return subprocess.run(
        [EXE, *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, "HF_HUB_OFFLINE": "1"}
    )


def lines(out: Path) -> list[dict]:
    return [json.loads(ln) for ln in (out / "results.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def agent():
    from vitron_agent.runtime.agent import Agent

    with Agent() as a:
        yield a


def batch(agent, inputs, out, **kw) -> list[dict]:
    return list(run_batch(REQUEST, [str(i) for i in inputs], out, agent=agent, quiet=True, **kw))


def save(path: Path, k: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(data.coffee()[k : k + 120 : 2, k : k + 160 : 2]).save(path)
    return path


def links(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]*)"', page)


def test_a_name_that_is_not_utf8_survives_the_gallery_and_every_later_run(agent, tmp_path):
    src = tmp_path / "in"
    odd = os.fsdecode(bytes(src) + b"/caf\xe9 \xff.png")
    save(Path(odd))
    save(src / "plain.png", 4)
    out = tmp_path / "out"
    got = batch(agent, [src], out)
    assert sorted(ln["status"] for ln in got) == ["ok", "ok"]
    page = (out / "index.html").read_bytes().decode("utf-8")  # strict: the page is valid UTF-8
    assert "caf\ufffd \ufffd.png" in page and "2 of 2 ok" in page
    assert len(links(page)) >= 6
    for link in links(page):  # every picture and report linked, by its bytes, URL-encoded
        assert (out / os.fsdecode(unquote_to_bytes(link))).is_file(), link
    Path(odd).unlink()  # the file is gone; its line stays in the results
    save(src / "later.png", 8)
    assert [ln["status"] for ln in batch(agent, [src], out)] == ["ok"]
    assert "3 of 3 ok" in (out / "index.html").read_text(encoding="utf-8")


def test_a_damaged_middle_line_loses_only_itself(agent, tmp_path):
    src = tmp_path / "in"
    for i in range(4):
        save(src / f"p{i}.png", 2 * i)
    out = tmp_path / "out"
    first = batch(agent, [src], out)
    raw = (out / "results.jsonl").read_bytes().splitlines(keepends=True)
    damaged = Path(json.loads(raw[1])["input"]).name
    raw[1] = b'{"input": "garbled \xff\n'
    raw.insert(2, b'["a JSON line", "that is not a result"]\n')
    (out / "results.jsonl").write_bytes(b"".join(raw))
    again = batch(agent, [src], out)
    assert [Path(ln["input"]).name for ln in again] == [damaged]  # only the damaged line's input runs again
    names = [Path(ln["input"]).name for ln in lines_tolerant(out)]
    assert sorted(names) == sorted(Path(ln["input"]).name for ln in first)  # each once: nothing after it lost
    p = cli("batch", REQUEST, str(src), "--out", str(out))
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert "line 2 is damaged" in p.stderr and "line 3 is not a results line" in p.stderr
    assert "skipping 4 of 4" in p.stderr


def lines_tolerant(out: Path) -> list[dict]:
    found = []
    for raw in (out / "results.jsonl").read_bytes().splitlines():
        try:
            ln = json.loads(raw)
        except ValueError:
            continue
        if isinstance(ln, dict):
            found.append(ln)
    return found


def test_a_second_batch_on_the_same_out_is_refused(agent, tmp_path):
    src = tmp_path / "in"
    for i in range(3):
        save(src / f"p{i}.png", 2 * i)
    out = tmp_path / "out"
    running = run_batch(REQUEST, [str(src)], out, agent=agent, quiet=True)
    first = next(running)  # the first batch is under way and holds the folder
    with pytest.raises(InputError, match="another batch .* is writing into"):
        batch(agent, [src], out)
    p = cli("batch", REQUEST, str(src), "--out", str(out))
    assert p.returncode == 2 and "another batch" in p.stderr and "Traceback" not in p.stderr
    rest = list(running)
    assert len([first, *rest]) == 3 and len(lines(out)) == 3  # nothing recorded twice
    assert batch(agent, [src], out) == []  # the lock went with the first batch


def test_identical_files_in_two_folders_stay_two_items(agent, tmp_path):
    src = tmp_path / "in"
    save(src / "a" / "same.png")
    save(src / "b" / "same.png")
    out = tmp_path / "out"
    got = batch(agent, [src], out)
    assert sorted(Path(ln["input"]).relative_to(src).as_posix() for ln in got) == ["a/same.png", "b/same.png"]
    assert len({ln["key"] for ln in got}) == 2 and len({ln["folder"] for ln in got}) == 2
    assert sorted(ln["name"] for ln in got) == ["a/same.png", "b/same.png"]
    assert (out / "index.html").read_text().count('<div class="card') == 2
    assert batch(agent, [src], out) == []  # both recorded: a rerun skips both


def test_gallery_links_are_url_encoded(agent, tmp_path):
    src = tmp_path / "in"
    save(src / "photo #1.png")
    save(src / "50% off?.png", 4)
    out = tmp_path / "my out #2"
    got = batch(agent, [src], out)
    assert [ln["status"] for ln in got] == ["ok", "ok"]
    found = links((out / "index.html").read_text())
    assert len(found) >= 4  # each card: input, result, report
    for link in found:
        parts = urlsplit(link.replace("&amp;", "&"))
        assert not parts.scheme and not parts.query and not parts.fragment, link
        assert (out / os.fsdecode(unquote_to_bytes(parts.path))).is_file(), link


def descendants(pid: int) -> set[int]:
    parents = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            parents[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {c for c, p in parents.items() if p in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has let go of everything; only its table entry is left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_kill_9_of_a_pool_leaves_no_workers(tmp_path):
    src = tmp_path / "in"
    for i in range(40):  # enough that the kill lands mid-batch
        save(src / f"p{i}.png", i)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [EXE, "batch", REQUEST, str(src), "--out", str(out), "--quiet", "--workers", "2"],
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    deadline = time.time() + 180
    while time.time() < deadline and not ((out / "results.jsonl").exists() and (out / "results.jsonl").read_text()):
        time.sleep(0.05)
    workers = descendants(proc.pid)
    assert workers, "the pool's helper process was not found"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 30
    while time.time() < deadline and any(alive(w) for w in workers):
        time.sleep(0.2)
    assert not [w for w in workers if alive(w)], "workers outlived their batch"
    p = cli("batch", REQUEST, str(src), "--out", str(out), "--quiet")  # and the lock went with it
    assert p.returncode == 0, p.stderr
    assert sorted(ln["name"] for ln in lines(out)) == sorted(f"p{i}.png" for i in range(40))


def test_a_resumed_run_over_a_failed_item_exits_1(tmp_path):
    src = tmp_path / "in"
    save(src / "good.png")
    (src / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really a png")
    out = tmp_path / "out"
    assert cli("batch", REQUEST, str(src), "--out", str(out), "--quiet").returncode == 1
    again = cli("batch", REQUEST, str(src), "--out", str(out))
    assert again.returncode == 1 and "skipping 2 of 2" in again.stderr and "1 of them failed" in again.stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_helper_that_dies_loses_nothing(tmp_path):
    """A helper killed mid-batch (the OOM killer, a crash): its inputs run in the batch's own
    process, every input gets one line, none is recorded as failed for it. 40 inputs: two warm
    helpers finish small ones fast, and the kill must land while some are left."""
    src = tmp_path / "in"
    for i in range(40):
        save(src / f"p{i}.png", i)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [EXE, "batch", REQUEST, str(src), "--out", str(out), "--quiet", "--workers", "2"],
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 180
    while time.time() < deadline and not ((out / "results.jsonl").exists() and (out / "results.jsonl").read_text()):
        time.sleep(0.05)
    helpers = [
        pid
        for pid in descendants(proc.pid)
        if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes() and alive(pid)
    ]
    assert helpers, "no helper found"
    for pid in helpers:
        os.kill(pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "helper process died" in err
    got = lines(out)
    assert sorted(ln["name"] for ln in got) == sorted(f"p{i}.png" for i in range(40))
    assert all(ln["status"] == "ok" for ln in got)


def test_an_edited_workflow_runs_its_own_plan_not_a_new_one(agent, tmp_path):
    """A workflow's plan runs on every input as it is: the agent's planner is not asked again (its
    graph holds the planner object, so swapping ``agent.planner`` used to change nothing: each
    input was planned anew from the request's words, here 'warmer', and the edited plan ignored)."""
    from vitron_agent.batch.jobs import save_workflow

    gray = agent.plan("make it grayscale", image="<image>")
    wf = save_workflow(tmp_path / "wf.json", gray, "make it a bit warmer", "image", agent)
    calls = []
    own_plan = type(agent.planner).plan
    type(agent.planner).plan = lambda self, *a: calls.append(a) or own_plan(self, *a)
    try:
        got = list(run_batch(str(tmp_path / "wf.json"), [str(save(tmp_path / "in" / "c.png"))], tmp_path / "o"))
        got += batch(agent, [save(tmp_path / "in2" / "d.png", 3)], tmp_path / "o2")
        ran = list(
            run_batch(str(tmp_path / "wf.json"), [str(tmp_path / "in2")], tmp_path / "o3", agent=agent, quiet=True)
        )
    finally:
        type(agent.planner).plan = own_plan
    ops = [ln["steps"][0]["args"].get("operation") for ln in ran]
    assert ops == [wf.plan["steps"][0]["args"].get("operation")] and ops != ["warmer"], ran
    assert got[0]["status"] == "ok" and got[1]["steps"][0]["args"]["operation"] == "warmer"  # a request: planned
    assert "plan" not in vars(agent.planner) and "react" not in vars(agent.planner)  # given back
    assert len(calls) == 1  # the request's batch planned once (itself); the workflow's never
