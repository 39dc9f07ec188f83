"""Hostile round 7: a request with no word in it, as a careless user sends it (a stray "42", "0", "100%"
typed into the wrong box). Before, "42" and "100%" took the most prominent object "as the 42" and cropped
the picture to it, and "0" counted blobs, each said done; now nothing runs and the answer says the request
was not understood, and the session goes on. "?" still lists what the agent understands and "2x" still
resizes."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.runtime.agent import Agent


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    made = Agent(data_dir=tmp_path_factory.mktemp("letterless"))
    yield made
    made.close()


@pytest.mark.parametrize("request_", ["42", "0", "100%", "]0", "\x1b]0;\x07", "1.5"])
def test_a_request_without_a_word_runs_nothing(agent, request_):
    picture = np.full((40, 60, 3), 90, np.uint8)
    result = agent.run(request_, image=picture, session="w")
    assert not result.plan.steps and not result.ok, (result.plan.steps, result.answer)
    assert result.answer.startswith("I could not turn"), result.answer
    assert agent.run("make it brighter", session="w").answer.startswith("I brightened")


def test_a_question_mark_and_a_factor_are_still_read(agent):
    assert agent.plan("?", image="<image>").answer.startswith("I understand")
    assert [s.tool for s in agent.plan("2x", image="<image>").steps] == ["edit"]
