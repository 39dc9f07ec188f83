"""Hostile round 7: invisible characters in a request, as text copied from a web page, a chat app or a
file saved with a byte-order mark brings them. Before, a zero-width space inside a number was a cut:
"rotate it 9<ZWSP>0 degrees" turned the picture 9 degrees, said done; one before the verb or inside a
word became part of the target ("<BOM>segment the cat" selected '<BOM>segment the cat', "the c<ZWSP>at"
looked for 'the c<ZWSP>at'), and "make it gr<ZWSP>ayscale" was answered "I read 'ayscale' as
'grayscale'". Words in quotes are the user's own and keep every character (a caption with a
right-to-left override is still refused by name)."""

from __future__ import annotations

import pytest

from vitron_agent.runtime.agent import Agent

ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY, RLM, RLO, LRI, PDI = (
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u200f",
    "\u202e",
    "\u2066",
    "\u2069",
)


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    made = Agent(data_dir=tmp_path_factory.mktemp("invisible"))
    yield made
    made.close()


def _steps(agent, request):
    plan = agent.plan(request, image="<image>")
    return [(s.tool, {k: v for k, v in s.args.items() if k != "image"}) for s in plan.steps]


@pytest.mark.parametrize(
    ("request_", "plain"),
    [
        (f"rotate it 9{ZWSP}0 degrees", "rotate it 90 degrees"),
        (f"rotate it 1{WJ}80 degrees", "rotate it 180 degrees"),
        (f"{BOM}segment the cat", "segment the cat"),
        (f"segment the c{ZWSP}at", "segment the cat"),
        (f"blur the fa{ZWNJ}ces", "blur the faces"),
        (f"make the cat b{SHY}lue", "make the cat blue"),
        (f"{RLO}make the car{ZWJ} red{RLM}", "make the car red"),
        (f"make it {LRI}grayscale{PDI}", "make it grayscale"),
    ],
)
def test_invisible_characters_are_not_read_as_part_of_a_word(agent, request_, plain):
    assert _steps(agent, request_) == _steps(agent, plain) != []


def test_a_word_split_by_a_zero_width_space_is_not_said_as_a_correction(agent):
    plan = agent.plan(f"make it gr{ZWSP}ayscale", image="<image>")
    assert [s.tool for s in plan.steps] == ["edit"] and not any("ayscale" in n for n in plan.notes), plan.notes


def test_words_in_quotes_keep_their_characters(agent):
    result = agent.run(f"write 'abc{RLO}def' on it", image=_grey(), session="q")
    assert result.answer.startswith("I could not write") and "U+202E" in result.answer, result.answer
    assert agent.run(f"{BOM}write 'hello' on it", image=_grey(), session="q").answer.startswith("I wrote 'hello'")


def _grey():
    import numpy as np

    return np.full((60, 120, 3), 128, np.uint8)
