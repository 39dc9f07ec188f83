"""Small talk and questions about the session (readC, session 13): "thank you!", "hello", "can you help
me?", "who are you?", "what did you do?", "why?" get a short reply and run nothing. Before small_talk.py,
"thank you!" listed four tools its words came closest to, "what are you?" selected a region called "you"
and described it, "what did you do?" described the picture, "why?" selected a region called "why"."""

import pytest

from vitron_agent.media.synthetic import disc_image
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.small_talk import TALKS, talk_kind
from vitron_agent.runtime.agent import Agent
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMAGE = {"input": {"image": "image"}, "last": {}}


def _plan(text, history=(), inputs=IMAGE):
    return RulePlanner().plan(PlanRequest(text=text, inputs=inputs, history=list(history)), Toolbox(default_tools()))


@pytest.mark.parametrize("kind,example", [(t.name, e) for t in TALKS for e in t.examples])
def test_every_example_is_read_as_its_kind_and_runs_nothing(kind, example):
    assert talk_kind(example) is not None and talk_kind(example).name == kind
    plan = _plan(example)
    assert not plan.steps and plan.answer and not plan.declined  # a reply, not a refusal
    assert "could not turn" not in plan.answer


@pytest.mark.parametrize(
    "text,said",
    [
        ("thanks, that's perfect", "welcome"),
        ("awesome, thank you so much!", "welcome"),
        ("hi, how are you?", "hello"),
        ("can you edit videos?", "trim"),
        ("what kinds of edits can you do?", "recolour"),
        ("hello!! :)", "hello"),
        ("haha thanks", "welcome"),
        ("cool beans", "ok"),
        ("anyone there?", "hello"),
    ],
)
def test_replies_say_the_right_thing_briefly(text, said):
    plan = _plan(text)
    assert not plan.steps and said in plan.answer.lower()
    assert len(plan.answer) < 700


@pytest.mark.parametrize(
    "text,tools",
    [
        ("thanks! now blur the face", ["segment", "edit"]),
        ("ok, make it blue", ["segment", "edit"]),
        ("what happened in this picture?", ["describe"]),
        ("hello, can you make the car red?", ["segment", "edit"]),
    ],
)
def test_a_request_beside_the_small_talk_is_carried_out(text, tools):
    assert [s.tool for s in _plan(text).steps] == tools


def _turn(request, tools, answer="", status="ok"):
    return {
        "request": request,
        "answer": answer,
        "steps": [{"id": f"s{k}", "tool": t, "status": status} for k, t in enumerate(tools)],
    }


def test_an_acknowledgement_after_a_refusal_does_not_say_it_worked():
    assert "glad" not in _plan("ok", [_turn("undo", [], answer="I cannot undo.")]).answer.lower()
    assert "glad" in _plan("ok", [_turn("brighten it", ["edit"])]).answer.lower()


def test_what_did_you_do_says_the_last_request_and_its_steps():
    history = [_turn("make the dog blue", ["segment", "edit"])]
    plan = _plan("what did you do?", history)
    assert not plan.steps and "make the dog blue" in plan.answer and "recolor" in plan.answer and "blue" in plan.answer


def test_a_step_that_failed_is_said():
    history = [_turn("blur the background", ["segment", "edit"], status="failed")]
    assert "did not run" in _plan("what did you change?", history).answer


def test_why_after_a_refusal_gives_its_reason():
    history = [_turn("undo", [], answer="I cannot undo: a session keeps only the latest result.")]
    answer = _plan("why?", history).answer
    assert "cannot undo" in answer and "changed nothing" in answer


@pytest.mark.parametrize("text", ["why did you crop it?", "why didn't you blur it?", "how come?"])
def test_any_why_about_the_last_turn_names_it(text):
    answer = _plan(text, [_turn("crop to the horse", ["segment", "edit"])]).answer
    assert "crop to the horse" in answer and "crop" in answer.split("crop to the horse")[-1]


def test_with_no_earlier_turn_nothing_is_made_up():
    assert "no earlier request" in _plan("what did you do?").answer


def test_in_a_real_session_what_did_you_do_names_the_edit(tmp_path):
    agent = Agent(db=tmp_path / "s.sqlite")
    try:
        agent.run("make the red disc green", image=disc_image()[0], session="did")
        result = agent.run("what did you do?", session="did")
        assert result.plan is not None and not result.plan.steps
        assert "make the red disc green" in result.answer and "green" in result.answer
    finally:
        agent.close()
