"""The scope of an edit in everyday forms, purposes and three declared limits (session 11, readA). Before:
"blur everything except the background" blurred the background (inside out), "the dog should stay in
colour, the rest black and white" greyed the dog too, "cool it down everywhere but on the fire" cooled the
fire, "brighten it for my linkedin profile" selected "linkedin profile", "it shouldn't be so dark" darkened
it, "send it to instagram" selected a region of that name. Phrasings here are not in the fresh set."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.scope_words import scope_said
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def planning():
    return RulePlanner(), Toolbox(default_tools())


def _steps(planning, text):
    planner, toolbox = planning
    plan = planner.plan(PlanRequest(text=text, inputs={"input": {"image": "image"}}), toolbox)
    return plan, [
        (s.tool, s.args.get("target"), s.args.get("operation"), s.args.get("where", "inside")) for s in plan.steps
    ]


@pytest.mark.parametrize(
    "text, want",
    [
        ("darken everything apart from the backdrop", "darken the main object"),
        ("apply a heavy blur to the picture except the bottle", "blur the picture except the bottle"),
        ("warm it up everywhere except in the shade", "warm up everything except the shade"),
        ("the bride must stay sharp, blur the rest", "blur everything except the bride"),
        ("the roses remain in colour, everything else grey", "make everything grey except the roses"),
        ("it isn't supposed to be this noisy", "it is too noisy"),
        ("sharpen it for my cv", "sharpen it"),
        ("I don't want the bin in the picture", "I don't want the bin in the picture"),
        ("crop it for my youtube thumbnail", "crop it"),
        ("brighten it before I post it on facebook", "brighten it"),
        ("make it brighter, it's for my wedding album", "make it brighter"),
        ("swap the background for a forest", "swap the background for a forest"),
        ("we're using it for the church newsletter and the sky is dull, brighten it", "the sky is dull, brighten it"),
        ("so there's a cone on the right in the way, can you erase it?", "can you erase the cone on the right?"),
        ("turn the photo round", "rotate the photo 180 degrees"),
    ],
)
def test_scope_said_plainly(text, want):
    assert scope_said(text) == want


@pytest.mark.parametrize(
    "text, want",
    [
        (
            "pixelate everything other than the backdrop",
            [("segment", "the main object", None, "inside"), ("edit", None, "pixelate", "inside")],
        ),
        (
            "the boy should stay in colour, the rest black and white",
            [("segment", "the boy", None, "inside"), ("edit", None, "grayscale", "outside")],
        ),
        ("just the horse in focus", [("segment", "the horse", None, "inside"), ("edit", None, "blur", "outside")]),
        (
            "darken it but not the lamp, the lamp is fine",
            [("segment", "the lamp", None, "inside"), ("edit", None, "darken", "outside")],
        ),
        ("it shouldn't be this dark", [("edit", None, "brighten", "inside")]),
        (
            "so there's a bike on the right that spoils it, erase it",
            [("segment", "the bike on the right", None, "inside"), ("edit", None, "remove", "inside")],
        ),
        (
            "cut the kettle out and give it a clear background",
            [("segment", "the kettle", None, "inside"), ("edit", None, "cutout", "inside")],
        ),
        ("turn the picture round", [("edit", None, "rotate", "inside")]),
        (
            "except for the horse, make it all grey",
            [("segment", "the horse", None, "inside"), ("edit", None, "grayscale", "outside")],
        ),
        (
            "make the entire photo darker apart from the lamp",
            [("segment", "the lamp", None, "inside"), ("edit", None, "darken", "outside")],
        ),
        ("the colours are muddy, make them less boring", [("edit", None, "saturate", "inside")]),
        (
            "make it brighter, but don't brighten the background",
            [("segment", "the main object", None, "inside"), ("edit", None, "brighten", "inside")],
        ),
        (
            "darken the photo without darkening the lamp",
            [("segment", "the lamp", None, "inside"), ("edit", None, "darken", "outside")],
        ),
        (
            "pixelate every part of the picture that isn't the logo",
            [("segment", "the logo", None, "inside"), ("edit", None, "pixelate", "outside")],
        ),
        (
            "the sky's fine, just warm up the sand",
            [("segment", "the sand", None, "inside"), ("edit", None, "warmer", "inside")],
        ),
    ],
)
def test_scope_planned(planning, text, want):
    assert _steps(planning, text)[1] == want


@pytest.mark.parametrize(
    "text, says",
    [
        ("share it on facebook", "cannot send"),
        ("could you print this for me", "cannot send"),
        ("how much is that bike worth", "worth"),
        ("show me the other side of the building", "more than the picture holds"),
        ("zoom out a little", "more than the picture holds"),
        ("erase this picture from my camera roll", "cannot send"),
        ("text this to my sister", "cannot send"),
        ("show me how the house looks from behind", "more than the picture holds"),
    ],
)
def test_declared_limits(planning, text, says):
    plan, steps = _steps(planning, text)
    assert not steps and says in plan.answer, (steps, plan.answer)


@pytest.mark.parametrize(
    "text", ["print the word 'hello' on it", "what's the price on the label?", "where is the dog?"]
)
def test_near_the_limits_still_planned(planning, text):
    assert _steps(planning, text)[1]
