"""Many sessions on one Agent from threads: no cross-talk of refs or answers."""

from concurrent.futures import ThreadPoolExecutor

from vitron_agent.media.synthetic import disc_image
from vitron_agent.runtime.agent import Agent

COLORS = {"red": (220, 30, 30), "green": (40, 165, 60), "blue": (30, 70, 215), "yellow": (240, 215, 40)}


def test_parallel_sessions_stay_apart(tmp_path):
    agent = Agent(db=tmp_path / "s.sqlite")
    jobs = [(f"sess-{name}-{i}", name) for i in range(3) for name in COLORS]

    def turn(job):
        session, color = job
        img, _ = disc_image(fg=COLORS[color], bg=(250, 250, 250))
        first = agent.run(f"segment the {color} disc, then describe it", image=img, session=session)
        second = agent.run("what colour is it?", session=session)
        return session, color, first, second

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(turn, jobs))
    for session, color, first, second in results:
        assert first.ok and second.ok, first.answer
        assert first.session == session and all(ref.session == session for ref in first.artifacts)
        assert f"mostly {color}" in first.answer
        assert second.answer.startswith(f"The region is mostly {color}")
        others = [c for c in COLORS if c != color]
        assert not any(f"mostly {o}" in first.answer for o in others)
        assert [t["request"] for t in agent.history(session)][0].startswith(f"segment the {color}")
    agent.close()


def test_parallel_turns_on_one_session_are_all_kept(tmp_path):
    """10 threads, one session: every turn lands in the history (they run one after another)."""
    from concurrent.futures import ThreadPoolExecutor

    from vitron_agent.media.synthetic import disc_image

    agent = Agent(db=tmp_path / "s.sqlite", data_dir=tmp_path / "a")
    agent.run("segment the red disc", image=disc_image()[0], session="one")
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda i: agent.run(f"make it brighter ({i})", session="one"), range(10)))
    assert all(r.ok for r in results)
    history = agent.graph.get_state({"configurable": {"thread_id": "one"}}).values["history"]
    assert len(history) == 11 and sorted(t["request"] for t in history[1:]) == sorted(
        f"make it brighter ({i})" for i in range(10)
    )


def test_two_cli_processes_on_one_session_lose_no_turn(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from PIL import Image

    from vitron_agent.media.synthetic import disc_image

    exe = str(Path(sys.executable).parent / "vitron-agent")
    img = tmp_path / "d.png"
    Image.fromarray(disc_image()[0]).save(img)
    db = tmp_path / "s.sqlite"
    base = [exe, "run", "--db", str(db), "--session", "shared", "--quiet", "--json"]
    first = subprocess.run(
        [*base, "--image", str(img), "--out", str(tmp_path / "o0"), "segment the red disc"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    script = "; ".join(
        f"{' '.join(base)} --out {tmp_path}/o{p}{i} 'make it brighter' >/dev/null" for i in range(3) for p in "x"
    )
    procs = [
        subprocess.Popen(["bash", "-c", script.replace(f"o{p}", f"o{name}")], stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
        for p in "x"
    ]
    for proc in procs:
        assert proc.wait(timeout=300) == 0, proc.stderr.read()
    agent = Agent(db=db, data_dir=str(db) + ".artifacts")
    history = agent.graph.get_state({"configurable": {"thread_id": "shared"}}).values["history"]
    assert len(history) == 7  # 1 + 2 processes x 3 turns, none lost
