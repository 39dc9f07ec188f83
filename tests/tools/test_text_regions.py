"""Text as a thing to select (the OCR model's lines): "blur the text", "crop out the writing", "remove the
word 'SALE'" were refused ("I cannot recognise 'the text'"). Text is drawn on scikit-image's coffee photo;
the cat photo has none (its eyes read as 'O' and 'D' at 0.45: no text to edit)."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data as skdata

from vitron_agent.perception.looks import draw_text
from vitron_agent.runtime.agent import Agent
from vitron_agent.tools.read_text import text_region, text_target


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    with Agent(data_dir=tmp_path_factory.mktemp("data")) as a:
        yield a


@pytest.fixture(scope="module")
def poster():
    return draw_text(draw_text(skdata.coffee(), "CAFE", "top", amount=0.8), "SALE", "bottom", amount=0.8)


def test_text_words_name_text():
    assert all(
        map(text_target, ["the text", "the writing on the sign", "the word 'SALE'", "all the words", "the caption"])
    )
    assert not any(map(text_target, ["the sign", "the cat", "the textbook"]))


def test_the_lines_are_found_and_a_word_picks_its_line(poster):
    mask, method = text_region(poster, "the text")
    h = poster.shape[0]
    rows = np.nonzero(mask.any(axis=1))[0]
    assert rows.min() < 0.2 * h and rows.max() > 0.8 * h and mask.mean() < 0.2, method
    sale, method = text_region(poster, "the word 'SALE'")
    assert sale.any() and np.nonzero(sale.any(axis=1))[0].min() > 0.6 * h, method  # the bottom line only
    none, method = text_region(skdata.chelsea(), "the text")
    assert not none.any() and "found no text" in method


def test_blur_the_text_and_crop_it_out(agent, poster):
    result = agent.run("blur the text", image=poster)
    assert result.ok, result.answer
    out = agent.load(result.artifacts[-1]).astype(int)
    changed = np.abs(out - poster.astype(int)).sum(axis=2) > 20
    h = poster.shape[0]
    assert (
        changed[: int(0.2 * h)].any()
        and changed[int(0.8 * h) :].any()
        and not changed[int(0.4 * h) : int(0.6 * h)].any()
    )
    cropped = agent.run(
        "crop out the text at the bottom", image=draw_text(skdata.coffee(), "SALE", "bottom", amount=0.8)
    )
    assert cropped.ok, cropped.answer
    assert agent.load(cropped.artifacts[-1]).shape[0] < 0.95 * h


def test_no_text_is_said_not_done(agent):
    result = agent.run("blur the text", image=skdata.chelsea())
    assert not result.ok and "found no text" in result.answer
