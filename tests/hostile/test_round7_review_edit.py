"""Hostile round 7: a reviewer's edited plan that does not validate (an argument of the wrong type, a
tool that does not exist, a step that uses an output nothing makes). Before, only a plan that was not a
plan at all was refused with "the review stays pending"; one that parsed but did not validate ended the
turn ("I could not make a valid plan for this request"), and the reviewer could not correct the edit:
the paused plan was gone (`review approve` then said "no plan waiting for review"). Now each is refused
naming the problem, the review stays pending, and a corrected edit (or an approval) runs."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.core.errors import InputError
from vitron_agent.runtime.agent import Agent


@pytest.fixture
def paused(tmp_path):
    agent = Agent(data_dir=tmp_path / "a", db=tmp_path / "s.sqlite")
    picture = np.full((40, 60, 3), 90, np.uint8)
    result = agent.run("make it grayscale", image=picture, session="r", review=True)
    assert result.awaiting_review
    yield agent
    agent.close()


def _plan(**args):
    return {"steps": [{"id": "s1", "tool": "edit", "args": {"image": "$input.image", **args}}]}


@pytest.mark.parametrize(
    ("plan", "says"),
    [
        (_plan(operation=5), "step s1 (edit): argument 'operation' = 5 is invalid"),
        (_plan(operation="brighten", amout=0.5), "no argument 'amout'; did you mean 'amount'?"),
        ({"steps": [{"id": "s1", "tool": "sharpen_it", "args": {}}]}, "unknown tool 'sharpen_it'"),
        (
            {"steps": [{"id": "s1", "tool": "edit", "args": {"image": "$s9.image", "operation": "blur"}}]},
            "s9",
        ),
    ],
)
def test_an_edit_that_does_not_validate_is_refused_and_the_review_stays_pending(paused, plan, says):
    with pytest.raises(InputError) as err:
        paused.review("r", "edit", plan=plan)
    assert says in str(err.value) and "the review stays pending" in str(err.value), str(err.value)
    done = paused.review("r", "edit", plan=_plan(operation="brighten"))  # the corrected edit runs
    assert done.ok and done.answer.startswith("I brightened"), done.answer


def test_after_a_refused_edit_the_plan_can_be_approved(paused):
    with pytest.raises(InputError):
        paused.review("r", "edit", plan=_plan(operation="grey"))
    done = paused.review("r", "approve")
    assert done.ok and done.answer.startswith("I made the picture black and white"), done.answer
