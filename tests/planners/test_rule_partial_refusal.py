"""A chain with one impossible clause runs the possible steps and says first what was not done
("make it black and white and add film grain": greyed, and the answer's first line says the grain
was not added and why; it used to be refused whole). Limits are declared records whose example
utterances the matcher scores, so paraphrases no rule names are refused too, while requests the
agent can do are never refused by them."""

import numpy as np
import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.cannot_do import DECLARED
from vitron_agent.runtime.agent import Agent
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

IMG = {"input": {"image": "image"}, "last": {}}
VID = {"input": {"video": "video"}, "last": {}}
PICTURE = np.zeros((32, 48, 3), np.uint8)
PICTURE[:, :24] = (200, 40, 30)  # a red half and a blue half: grayscale makes R == G == B
PICTURE[:, 24:] = (20, 60, 220)


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    a = Agent(data_dir=tmp_path_factory.mktemp("data"))
    yield a
    a.close()


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def plan(text, toolbox, inputs=IMG):
    return RulePlanner().plan(PlanRequest(text=text, inputs=inputs), toolbox)


def test_the_possible_steps_run_and_the_first_line_says_what_was_not_done(agent):
    result = agent.run("make it black and white and make it 3d", image=PICTURE)
    assert [(s.tool, s.args.get("operation"), s.status) for s in result.steps] == [("edit", "grayscale", "ok")]
    first = result.answer.splitlines()[0]
    assert first.startswith("I did not do 'make it 3d'") and "3D" in first.split(":", 1)[1], result.answer
    out = np.asarray(agent.load(result.steps[-1].output("image")))
    assert out.shape[:2] == PICTURE.shape[:2]
    assert np.abs(out[..., 0].astype(int) - out[..., 2].astype(int)).max() <= 1  # it is grey


def test_a_refused_first_clause_leaves_the_rest(agent):
    result = agent.run("add subtitles, then flip it", image=PICTURE)
    assert [(s.tool, s.args.get("operation")) for s in result.steps] == [("edit", "flip")]
    assert result.answer.splitlines()[0].startswith("I did not do 'add subtitles'"), result.answer
    assert "text" in result.answer.splitlines()[0]


@pytest.mark.parametrize(
    "text, ops",
    [
        ("fix the red eye and brighten it", ["brighten"]),
        ("sharpen it, then colourize it, then rotate it 90 degrees", ["sharpen", "rotate"]),
        ("make it 3d and then make it warmer", ["warmer"]),
    ],
)
def test_partial_chains_plan_the_possible_steps(text, ops, toolbox):
    p = plan(text, toolbox)
    assert [s.args.get("operation") for s in p.steps] == ops, p.answer
    assert p.notes and p.notes[0].startswith("I did not do "), p.notes


def test_a_request_refused_whole_stays_a_plain_refusal(toolbox):
    p = plan("make it 3d and stabilise it", toolbox)
    assert p.steps == [] and "3D" in p.answer


@pytest.mark.parametrize(
    "text, inputs, says",
    [
        ("turn the photo into a 3d model", IMG, "3D"),
        ("make it 3D", IMG, "3D"),
        ("upscale it 4x with AI super resolution", IMG, "super-resolution"),
        ("colorise the black and white photo", IMG, "colour"),
        ("add closed captions to the video", VID, "subtitles"),
        ("extract the audio", VID, "sound"),
        ("convert it to mp3", VID, "sound"),
        ("make a slideshow with music", VID, "sound"),
        ("rip the soundtrack out as a wav", VID, "sound"),
        ("add background music", VID, "sound"),
    ],
)
def test_paraphrased_limits_are_refused(text, inputs, says, toolbox):
    p = plan(text, inputs=inputs, toolbox=toolbox)
    assert p.steps == [] and says in p.answer, (text, [s.tool for s in p.steps], p.answer)


@pytest.mark.parametrize(
    "text, inputs",
    [
        ("upscale it 4x", IMG),
        ("make it twice as big", IMG),
        ("extract the first frame", VID),
        ("make a gif without sound", VID),
        ("add more contrast", IMG),
        ("add some warmth", IMG),
        ("remove the grain", IMG),
        ("darken the corners like a vignette", IMG),
        ("make the details stand out more", IMG),
        ("loop it three times", VID),
        ("trim the first 5 seconds", VID),
        ("describe the picture", IMG),
    ],
)
def test_what_can_be_done_is_not_refused(text, inputs, toolbox):
    p = plan(text, toolbox, inputs)
    assert p.steps, (text, p.answer)


def test_every_declared_limit_has_examples_the_planner_refuses(toolbox):
    for answer, examples, video_only in DECLARED:
        assert len(examples) >= 2, answer
        for text in examples:
            p = plan(text, toolbox, VID if video_only else IMG)
            assert p.steps == [], (text, [s.tool for s in p.steps])


def test_a_clause_about_a_thing_not_added_is_not_done_either(toolbox):
    """'make them yellow' after refused subtitles recoloured the picture's main object yellow: a wrong
    result reported as done. Now it is refused with a reason; an effect's pronoun ('it' = the picture
    after 'add film grain') still runs, and so does a clause that names its own thing."""
    p = plan("add subtitles and make them yellow", toolbox)
    assert p.steps == [] and "make them yellow' either" in p.answer
    p = plan("add subtitles, then make the car red", toolbox)
    assert [s.args.get("operation") for s in p.steps if s.tool == "edit"] == ["recolor"]
    assert [s.args.get("target") for s in p.steps if s.tool == "segment"] == ["the car"]
    p = plan("make it 3d and then make it brighter", toolbox)
    assert [s.args.get("operation") for s in p.steps] == ["brighten"] and p.notes[0].startswith("I did not do 'make")
