"""results.jsonl as an append-only log that tolerates damage line by line, and the lock on a
batch's --out (issue 40: one damaged middle line discarded every later result; a JSON line that
was not a result gave a traceback; two runs on one folder recorded every input twice)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from vitron_agent.batch.results_log import ResultsLog
from vitron_agent.core.errors import InputError


def line(key: str, status: str = "ok") -> bytes:
    return (json.dumps({"key": key, "input": f"/in/{key}.png", "status": status}) + "\n").encode()


def test_a_damaged_middle_line_is_skipped_and_reported_not_the_lines_after_it(tmp_path):
    log = ResultsLog(tmp_path)
    text = line("a") + b'{"key": "b", "inp\xff garbage\n' + line("c") + line("d")
    log.path.write_bytes(text)
    got = log.read()
    assert sorted(got.lines) == ["a", "c", "d"]
    assert len(got.problems) == 1 and "line 2 is damaged" in got.problems[0]
    assert log.path.read_bytes() == text  # an append-only log: nothing before the tail is rewritten


def test_json_lines_that_are_not_results_are_skipped_with_a_message(tmp_path):
    log = ResultsLog(tmp_path)
    log.path.write_bytes(
        line("a") + b"[1, 2]\n" + b'"text"\n' + b'{"key": 3, "input": "x", "status": "ok"}\n' + line("e")
    )
    got = log.read()
    assert sorted(got.lines) == ["a", "e"]
    assert [p.split(" line ")[1][:2] for p in got.problems] == ["2 ", "3 ", "4 "]
    assert all("not a results line" in p for p in got.problems)


def test_only_a_partial_last_line_is_cut_off(tmp_path):
    log = ResultsLog(tmp_path)
    log.path.write_bytes(line("a") + line("b") + b'{"key": "c", "input": "half a li')
    assert sorted(log.read().lines) == ["a", "b"]
    assert log.path.read_bytes() == line("a") + line("b")
    log.append({"key": "c", "input": "/in/c.png", "status": "error"})
    assert log.read().lines["c"]["status"] == "error"


def test_a_whole_last_line_without_its_newline_is_kept_and_the_next_append_starts_a_line(tmp_path):
    log = ResultsLog(tmp_path)
    log.path.write_bytes(line("a") + line("b").rstrip(b"\n"))
    assert sorted(log.read().lines) == ["a", "b"]
    log.append({"key": "c", "input": "/in/c.png", "status": "ok"})
    got = log.read()
    assert sorted(got.lines) == ["a", "b", "c"] and got.problems == []


def test_the_last_line_for_a_key_wins(tmp_path):
    log = ResultsLog(tmp_path)
    log.path.write_bytes(line("a", "error") + line("a", "ok"))
    assert log.read().lines["a"]["status"] == "ok"


def test_a_second_writer_is_refused_naming_the_first(tmp_path):
    first, second = ResultsLog(tmp_path), ResultsLog(tmp_path)
    first.lock()
    with pytest.raises(InputError, match=rf"process {os.getpid()}\) is writing into .*another --out"):
        second.lock()
    first.unlock()
    second.lock()  # free again
    second.unlock()


def test_the_lock_dies_with_its_holder(tmp_path):
    code = (
        "import sys, time\nfrom vitron_agent.batch.results_log import ResultsLog\n"
        f"ResultsLog({str(tmp_path)!r}).lock()\nprint('locked', flush=True)\ntime.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(InputError, match=f"process {holder.pid}"):
            ResultsLog(tmp_path).lock()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    deadline = time.time() + 10
    while True:  # the kernel drops an flock when its holder dies: no stale lock after kill -9
        try:
            ResultsLog(tmp_path).lock()
            break
        except InputError:
            assert time.time() < deadline
            time.sleep(0.1)


def test_links_planted_at_the_log_or_the_lock_are_replaced(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.jsonl").symlink_to(victim)
    (out / ".batch.lock").symlink_to(victim)
    log = ResultsLog(out)
    log.lock()
    assert log.read().lines == {}
    log.append({"key": "a", "input": "/in/a.png", "status": "ok"})
    assert victim.read_text() == "keep me" and not log.path.is_symlink() and not log.lock_path.is_symlink()


def test_the_lock_names_its_run_for_workers_that_see_the_folder(tmp_path):
    """A Ray actor exports an item itself only where it sees this run's --out (the token matches)."""
    log = ResultsLog(tmp_path)
    assert not log.held_by(log.token)  # not locked yet
    log.lock()
    assert ResultsLog(tmp_path).held_by(log.token) and not ResultsLog(tmp_path).held_by("another-run")
    log.unlock()
