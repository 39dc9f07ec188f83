"""Counts of text and of things no model could name (newcomer s13, class 5): "how many lines of text are there?"
on a page of 7 lines answered "I count no lines ... I recognise nothing I can recognise", and "I count no
snakes" was said of a logo of two (a count of 0 where none could be named is no count)."""

from __future__ import annotations

import pytest
import skimage.data as skdata

from vitron_agent import Agent


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    with Agent(data_dir=tmp_path_factory.mktemp("count-text")) as a:
        yield a


@pytest.mark.parametrize("request_", ["how many lines of text are there?", "how many lines are there?"])
def test_lines_of_text_are_the_ocr_lines(agent, request_):
    r = agent.run(request_, image=skdata.page())
    assert r.ok, r.answer
    assert r.steps[-1].output("count") == 7 and "7 lines of text" in r.answer, r.answer


def test_words_are_counted_from_the_lines(agent):
    r = agent.run("how many words are there?", image=skdata.page())
    n = r.steps[-1].output("count")
    assert r.ok and n is not None and 30 <= n <= 60 and f"{n} words" in r.answer, r.answer


def test_a_thing_not_named_is_not_counted_as_none(agent):
    r = agent.run("how many snakes are there?", image=skdata.page())
    assert "count" not in r.steps[-1].outputs and "I count no" not in r.answer, r.answer
    assert r.answer.startswith("I found no snakes, but I can't say there are none"), r.answer
