"""Session 13 (readB): single-turn picture requests from benchmarks/reading/fresh_s13b (tune half) and classes
found beside them: a complaint asked as a bare question is answered, not carried out ("why is it so dark?"
brightened while "why is the cat so bright?" was answered); a whole-picture complaint in any of the picture's
names, several faults and a "help" after it; a fault asked away ("can you not make it so dark"); a thing not
wanted said with "no"; colour comparatives and "more <quality>" joined by "and"; "<edit> but keep the X"; text
after "caption it:" or before a place; the corners darkened as a vignette; "give it a frame". Real planner."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def _plan(text, toolbox):
    return RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)


def _steps(plan):
    return [(s.tool, s.args.get("operation"), s.args.get("where", "inside")) for s in plan.steps]


@pytest.mark.parametrize("text", ["why is it so dark?", "why does it look so blurry?", "why is it so orange?"])
def test_a_complaint_asked_as_a_question_is_answered_and_the_fix_offered(text, toolbox):
    plan = _plan(text, toolbox)
    assert [s.tool for s in plan.steps] == ["describe"], _steps(plan)
    assert any("to fix it, say" in n for n in plan.notes), plan.notes


@pytest.mark.parametrize(
    "text, ops",
    [
        ("the photo feels icy and blue, fix it", ["warmer"]),  # it was cooled
        ("everything looks orange, cool it down", ["cooler"]),  # it asked keep-only or grayscale
        ("the whole thing is blown out, tone it down", ["darken"]),  # 'blown' was an unknown word
        ("it came out really dark, can you help", ["brighten"]),  # it was darkened
        ("it is dark and grainy", ["brighten", "denoise"]),
        ("it looks flat", ["contrast"]),
        ("can you not make it so dark", ["brighten"]),  # it was darkened
        ("slightly more contrast and a bit brighter", ["contrast", "brighten"]),  # the second was dropped
        ("darken the corners", ["vignette"]),  # the corners were selected
        ("make the corners a bit darker", ["vignette"]),
        ("give it a frame", ["border"]),  # it was cropped to the main object
    ],
)
def test_whole_picture_readings(text, ops, toolbox):
    plan = _plan(text, toolbox)
    assert [s.args.get("operation") for s in plan.steps] == ops, _steps(plan)


@pytest.mark.parametrize(
    "text, target, op, where",
    [
        ("no dog please, take it out", "dog", "remove", "inside"),  # the main object was removed
        ("i don't want the dog, take it out", "dog", "remove", "inside"),
        ("black and white but keep the red dress", "red dress", "grayscale", "outside"),  # all was greyed
        ("make it black and white, keep the dress", "dress", "grayscale", "outside"),
        ("brighten it but keep the sky", "sky", "brighten", "outside"),  # the sky was brightened
    ],
)
def test_a_thing_and_its_edit(text, target, op, where, toolbox):
    plan = _plan(text, toolbox)
    assert _steps(plan) == [("segment", None, "inside"), ("edit", op, where)], _steps(plan)
    assert target in plan.steps[0].args["target"]


def test_two_colour_comparatives_each_on_its_thing(toolbox):
    plan = _plan("make the sky bluer and the grass greener", toolbox)
    targets = [s.args.get("target", "") for s in plan.steps if s.tool == "segment"]
    assert len(targets) == 2 and "sky" in targets[0] and "grass" in targets[1], _steps(plan)


@pytest.mark.parametrize(
    "text, words, place",
    [("caption it: best day ever", "best day ever", None), ("put happy birthday at the top", "happy birthday", "top")],
)
def test_words_to_write(text, words, place, toolbox):
    plan = _plan(text, toolbox)
    assert [(s.tool, s.args.get("operation")) for s in plan.steps] == [("edit", "text")], _steps(plan)
    assert plan.steps[0].args["text"] == words
    if place:
        assert plan.steps[0].args["place"] == place


def test_more_contrast_at_the_top_is_no_text(toolbox):
    plan = _plan("add more contrast at the top", toolbox)
    assert "text" not in [s.args.get("operation") for s in plan.steps], _steps(plan)
