"""Many sessions on one Agent from threads: no cross-talk of refs or answers."""

from concurrent.futures import ThreadPoolExecutor

from vitron_agent.agent import Agent
from vitron_agent.synthetic import disc_image

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
