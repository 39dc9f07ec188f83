"""Sessions (list, show, fork, delete), human review of plans, and the chat REPL."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from vitron_agent.core.errors import InputError
from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent
from vitron_agent.runtime.sessions import delete_session, fork_session, list_sessions, session_state

BIN = Path(sys.executable).parent / "vitron-agent"


def cli(*args, stdin=None):
    return subprocess.run([str(BIN), *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_list_fork_and_delete(tmp_path):
    agent = Agent(db=tmp_path / "s.sqlite")
    img = disc_image()[0]
    agent.run("segment the red disc", image=img, session="a")
    green = agent.run("make it green", session="a")
    agent.run("describe the image", image=img, session="b")
    rows = {s.id: s for s in list_sessions(agent)}
    assert set(rows) == {"a", "b"} and rows["a"].turns == 2 and rows["a"].last_request == "make it green"
    fork_session(agent, "a", "a-alt", turn=1)
    state = session_state(agent, "a-alt")
    assert len(state["history"]) == 1 and state["last"]["mask"]["session"] == "a-alt"
    yellow = agent.run("make it yellow", session="a-alt")
    assert yellow.ok and all(r.session == "a-alt" for r in yellow.artifacts)
    assert len(session_state(agent, "a")["history"]) == 2  # the original branch is untouched
    assert agent.store_for("a").exists(green.step("s1").ref("image"))
    with pytest.raises(InputError, match="already exists"):
        fork_session(agent, "a", "b")
    assert delete_session(agent, "a") and not session_state(agent, "a")
    assert not (tmp_path / "s.sqlite.artifacts" / "a").exists()
    assert agent.run("make it brighter", session="a-alt").ok  # the fork's artifacts are its own
    agent.close()


def test_review_approve_edit_reject(tmp_path):
    agent = Agent(db=tmp_path / "s.sqlite")
    img = disc_image()[0]
    events = []
    paused = agent.run(
        "segment the red disc, then make it green", image=img, session="r", review=True, on_event=events.append
    )
    assert paused.awaiting_review and not paused.ok and paused.steps == []
    assert [s.tool for s in paused.plan.steps] == ["segment", "edit"]
    assert any(e["type"] == "review" for e in events)
    plan = paused.plan.model_dump()
    plan["steps"][1]["args"]["color"] = "blue"
    done = agent.review("r", "edit", plan=plan)
    assert done.ok and done.step("s2").args["color"] == "blue"
    agent.run("segment the red disc", image=img, session="r2", review=True)
    assert agent.review("r2", "approve").ok
    agent.run("segment the red disc", image=img, session="r3", review=True)
    rejected = agent.review("r3", "reject", reason="wrong picture")
    assert rejected.steps == [] and rejected.answer == "The plan was rejected: wrong picture"
    with pytest.raises(InputError, match="no plan waiting for review"):
        agent.review("r3", "approve")
    agent.close()


def test_sessions_and_review_cli(tmp_path):
    img = tmp_path / "disc.png"
    Image.fromarray(disc_image()[0]).save(img)
    db = str(tmp_path / "s.sqlite")
    p = cli(
        "run",
        "--db",
        db,
        "--session",
        "c1",
        "--image",
        str(img),
        "--review",
        "--json",
        "--out",
        str(tmp_path / "o1"),
        "segment the red disc then remove it",
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    assert data["awaiting_review"] and [s["tool"] for s in data["plan"]["steps"]] == ["segment", "edit"]
    p = cli("review", "approve", "--db", db, "--session", "c1", "--json", "--out", str(tmp_path / "o2"))
    assert p.returncode == 0, p.stderr
    assert [s["status"] for s in json.loads(p.stdout)["steps"]] == ["ok", "ok"]
    p = cli("sessions", "ls", "--db", db)
    assert p.returncode == 0 and p.stdout.startswith("c1\t1 turns")
    assert cli("sessions", "fork", "c1", "c2", "--db", db).returncode == 0
    p = cli("sessions", "show", "c2", "--db", db, "--json")
    assert json.loads(p.stdout)["history"][0]["request"] == "segment the red disc then remove it"
    assert cli("sessions", "rm", "c1", "--db", db).stdout.strip() == "deleted c1"
    p = cli("sessions", "show", "c1", "--db", db)
    assert p.returncode == 2 and "no session 'c1'" in p.stderr
    # the id after the options, and "list" for "ls" (newcomer s11: "unrecognized arguments: c2")
    p = cli("sessions", "show", "--db", db, "c2", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["session"] == "c2"
    assert cli("sessions", "list", "--db", db).stdout.startswith("c2\t")
    p = cli("sessions", "show", "--db", db, "c2", "c3")
    assert p.returncode == 2 and "unrecognized arguments: c3" in p.stderr


def test_chat_repl_driven_by_stdin(tmp_path):
    img = tmp_path / "disc.png"
    Image.fromarray(disc_image()[0]).save(img)
    script = "segment the red disc\nmake it green\nwhat colour is it?\n/image /does/not/exist.png\ndescribe it\n/quit\n"
    p = cli("chat", "--image", str(img), "--out", str(tmp_path / "chat"), stdin=script)
    assert p.returncode == 0, p.stderr
    replies = [line for line in p.stdout.splitlines() if line.startswith("vitron> ")]
    assert len(replies) == 4 and replies[2].startswith("vitron> The region is mostly green")
    assert "error: /does/not/exist.png is not a file; nothing changed" in p.stdout  # said at once
    assert "mostly green" in replies[3]  # the next request still uses the current picture


def test_chat_switches_to_a_video(tmp_path):
    from vitron_agent.media.synthetic import moving_disc
    from vitron_agent.media.video import write_video

    write_video(moving_disc(frames=8)[0], tmp_path / "c.mp4", 8.0)
    script = f"/video {tmp_path / 'c.mp4'}\ntrack the red ball\nmake it blue\ndescribe it\n/quit\n"
    p = cli("chat", "--out", str(tmp_path / "chat"), stdin=script)
    assert p.returncode == 0, p.stderr
    replies = [line for line in p.stdout.splitlines() if line.startswith("vitron> ")]
    assert len(replies) == 3 and "I made it blue." in replies[1] and "8 frames at 8 fps" in replies[2]


def test_resume_says_when_there_is_nothing_to_resume_or_a_review_waits(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from PIL import Image

    from vitron_agent.media.synthetic import disc_image

    exe = str(Path(sys.executable).parent / "vitron-agent")
    img = tmp_path / "d.png"
    Image.fromarray(disc_image()[0]).save(img)
    db = str(tmp_path / "s.sqlite")
    done = [
        exe,
        "run",
        "--db",
        db,
        "--session",
        "done",
        "--quiet",
        "--out",
        str(tmp_path / "o1"),
        "--image",
        str(img),
        "describe it",
    ]
    assert subprocess.run(done, capture_output=True, timeout=120).returncode == 0
    r = subprocess.run([exe, "resume", "--db", db, "--session", "done"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "nothing to resume" in r.stderr and "report" not in r.stdout
    held = [
        exe,
        "run",
        "--db",
        db,
        "--session",
        "held",
        "--quiet",
        "--review",
        "--out",
        str(tmp_path / "o2"),
        "--image",
        str(img),
        "segment the red disc",
    ]
    assert subprocess.run(held, capture_output=True, timeout=120).returncode == 0
    r = subprocess.run([exe, "resume", "--db", db, "--session", "held"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "waiting for review" in r.stderr and "vitron-agent review" in r.stderr
    ls = subprocess.run([exe, "sessions", "ls", "--db", db], capture_output=True, text=True, timeout=120).stdout
    held_line = next(line for line in ls.splitlines() if line.startswith("held"))
    assert "waiting for review" in held_line and "resume it" not in held_line


def test_chat_ends_on_the_bare_word_quit(tmp_path):
    """A newcomer types "quit" (or "exit"): it ended nothing ("exit" selected 'the exit' and held a keep-only)."""
    img = tmp_path / "disc.png"
    Image.fromarray(disc_image()[0]).save(img)
    for word in ("quit", "Exit", "bye"):
        p = cli("chat", "--image", str(img), "--out", str(tmp_path / word), stdin=f"{word}\nmake it green\n")
        assert p.returncode == 0, p.stderr
        assert not [line for line in p.stdout.splitlines() if line.startswith("vitron> ")], p.stdout
