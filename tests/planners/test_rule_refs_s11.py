"""References to what the previous answer named (session 11, readA): after "what's in this picture?" ->
"I see a dog; a ball", "make them blue" recoloured the main object, "the second one" selected a region
called "the second one", "crop to that" cropped to the main object. History turns are given as the agent
graph records them (request, answer, steps without arguments). And the scope of an edit of a named thing:
"make the flower yellow and leave the tower alone" edited everything but the tower."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.answer_refs import after_answer, named_in_answer
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

TWO = "I see a brown horse on the left; what may be a white goat at the bottom-right. (I know COCO's 80 kinds.)"


@pytest.fixture(scope="module")
def planning():
    return RulePlanner(), Toolbox(default_tools())


def _plan(planning, text, answer=None, tools=("describe",), question="what's in this picture?"):
    planner, toolbox = planning
    history = []
    if answer is not None:
        steps = [{"id": f"s{k + 1}", "tool": t, "status": "ok"} for k, t in enumerate(tools)]
        history = [{"request": question, "answer": answer, "steps": steps}]
    inputs = {"input": {"image": "image"}, "last": {"image": "image"}}
    return planner.plan(PlanRequest(text=text, inputs=inputs, history=history), toolbox)


def _shape(plan):
    return [(s.tool, s.args.get("target") or s.args.get("operation")) for s in plan.steps]


@pytest.mark.parametrize(
    "answer, names",
    [
        (TWO, ["horse", "goat"]),
        ("I count 5 ducks.", ["ducks"]),
        ("I see what may be a teddy bear in the middle.", ["teddy bear"]),
        ("Yes: a yellow kite at the top.", ["kite"]),
        ("The van is white.", ["van"]),
        ("I did nothing.", []),
    ],
)
def test_named_in_answer(answer, names):
    assert named_in_answer(answer) == names


@pytest.mark.parametrize(
    "text, answer, want",
    [
        ("paint the latter black", TWO, [("segment", "the goat"), ("edit", "recolor")]),
        ("make the 1st one grey", TWO, [("segment", "the horse"), ("edit", "recolor")]),
        ("get rid of them", TWO, [("segment", "the horse and the goat"), ("edit", "remove")]),  # one edit (s12)
        ("blur them", "I count 5 ducks.", [("segment", "the ducks"), ("edit", "blur")]),
        (
            "cut that out",
            "I see what may be a teddy bear in the middle.",
            [("segment", "the teddy bear"), ("edit", "cutout")],
        ),
        ("make it brighter", "I see what may be a teddy bear in the middle.", [("edit", "brighten")]),
        ("recolour the second thing you named purple", TWO, [("segment", "the goat"), ("edit", "recolor")]),
        (
            "make the goat black and blur the other one",
            TWO,
            [("segment", "the goat"), ("edit", "recolor"), ("segment", "the horse"), ("edit", "blur")],
        ),
        ("blur all two", TWO, [("segment", "the horse and the goat"), ("edit", "blur")]),
    ],
)
def test_reference_to_what_the_answer_named(planning, text, answer, want):
    assert _shape(_plan(planning, text, answer)) == want


def test_one_of_two_named_is_asked(planning):
    plan = _plan(planning, "erase it", TWO)
    assert not plan.steps and "the horse or the goat" in plan.answer


def test_only_an_answer_to_a_question_names_things(planning):
    planner, toolbox = planning
    edit_turn = {
        "request": "make the horse white",
        "answer": TWO,
        "steps": [{"id": "s1", "tool": "segment"}, {"id": "s2", "tool": "edit"}],
    }
    request = PlanRequest(text="remove it", inputs={"input": {"image": "image"}}, history=[edit_turn])
    assert after_answer(planner, request, toolbox, "remove it") is None


@pytest.mark.parametrize(
    "text, target, where",
    [
        ("paint the kite orange and leave the trees alone", "kite", "inside"),
        ("brighten the kitchen but keep the cat unchanged", "cat", "outside"),
    ],
)
def test_scope_of_an_edit_of_a_named_thing(planning, text, target, where):
    plan = _plan(planning, text)
    seg, edit = plan.steps
    assert target in seg.args["target"] and edit.args.get("where", "inside") == where


def test_a_question_back_in_between_is_passed_over(planning):
    planner, toolbox = planning
    asked = {
        "request": "what's in this picture?",
        "answer": TWO,
        "steps": [{"id": "s1", "tool": "describe", "status": "ok"}],
    }
    which = {"request": "remove it", "answer": "Which one do you mean by 'it': the horse or the goat?", "steps": []}
    request = PlanRequest(text="make the second one red", inputs={"input": {"image": "image"}}, history=[asked, which])
    plan = planner.plan(request, toolbox)
    assert _shape(plan) == [("segment", "the goat"), ("edit", "recolor")]


def test_the_brown_one_after_a_count_recorded_without_arguments(planning):
    """The graph records a turn's steps as tool and status only: the kind counted is read from its answer."""
    planner, toolbox = planning
    counted = {
        "request": "how many hens are there?",
        "answer": "I count 4 hens.",
        "steps": [{"id": "s1", "tool": "count", "status": "ok"}],
    }
    request = PlanRequest(text="make the brown one white", inputs={"input": {"image": "image"}}, history=[counted])
    assert _shape(planner.plan(request, toolbox)) == [("segment", "the brown hen"), ("edit", "recolor")]
