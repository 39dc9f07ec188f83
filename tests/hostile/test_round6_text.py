"""Hostile round 6: the words written on a picture and the border round it. Before: Pillow's bundled font
has ASCII only, so "Café", "© Jürgen" and emoji were drawn as empty boxes and said written; control
characters (a NUL, a right-to-left override) were "written"; a caption in quotes in Cyrillic, Hebrew or
Arabic was refused as "English only"; "font size 10000" was dropped without a word; "a 10000 px border"
and "a 0 px border" drew the default border, said done; a border of width 16384 tried to allocate GBs."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data as skdata

from vitron_agent.core.refs import ImageRef
from vitron_agent.perception import looks
from vitron_agent.runtime.agent import Agent

COFFEE = skdata.coffee()


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    return Agent(data_dir=tmp_path_factory.mktemp("text"))


def _run(agent, request):
    return agent.run(request, image=COFFEE, session="t")


def _images(result):
    return [ref for ref in result.artifacts if isinstance(ref, ImageRef)]


@pytest.mark.parametrize(
    ("request_", "names"),
    [
        ("add the text 'hello 🎉🎂' at the top", "no letters for 🎉 🎂"),
        ("write 'こんにちは' on the picture", "no letters for こ ん に ち は"),
        ("write 'a\x00b' on it", "control characters (U+0000)"),
        ("write 'abc\u202edef' on it", "control characters (U+202E)"),
    ],
)
def test_text_that_cannot_be_drawn_is_refused_by_name(agent, request_, names):
    result = _run(agent, request_)
    assert result.answer.startswith("I could not write") and names in result.answer, result.answer
    assert not _images(result)  # nothing drawn with boxes
    assert _run(agent, "make it brighter").answer.startswith("I brightened")  # the session goes on


def test_without_a_wide_font_an_accent_is_named_not_drawn_as_a_box(monkeypatch):
    monkeypatch.setattr(looks, "_WIDE_FONTS", ())
    monkeypatch.delenv("VITRON_FONT", raising=False)
    looks._font.cache_clear()
    try:
        assert "no letters for é" in looks.undrawable("Café")
        assert looks.undrawable("Cafe au lait, 10% off!") == ""
    finally:
        looks._font.cache_clear()


@pytest.mark.skipif(looks._font_path() is None, reason="no wide font installed (DejaVu, Noto, Liberation)")
@pytest.mark.parametrize("words", ["Café — Jürgen ©", "Привет мир", "שלום עולם", "مرحبا"])
def test_words_in_quotes_in_another_script_are_written(agent, words):
    result = _run(agent, f"add the caption '{words}'")
    assert result.answer.startswith(f"I wrote '{words}'"), result.answer
    out = agent.load(_images(result)[0])
    assert out.shape[:2] == COFFEE.shape[:2] and np.abs(out[..., :3].astype(int) - COFFEE).max() > 100


@pytest.mark.parametrize("size", ["font size 0", "font size 10000", "a font size of 10,000 px", "48pt"])
def test_a_font_size_that_is_not_used_is_said(agent, size):
    answer = _run(agent, f"write 'hello' in {size}").answer
    assert answer.startswith("I wrote 'hello'") and "I cannot set the font size" in answer, answer


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        ("put a 0 px border around it", "A 0-pixel border is no border"),
        ("add a border 1e9 pixels wide", "wider than any picture here"),
        ("put a border of 10000 pixels around it", "over the limit of"),
        ("add a red border of 50% width", "I cannot size a border in per cent"),
    ],
)
def test_a_border_width_is_read_or_refused(agent, request_, says):
    answer = _run(agent, request_).answer
    assert says in answer, answer


def test_a_border_in_pixels_has_that_width(agent):
    result = _run(agent, "add a 20px black border")
    assert result.answer.startswith("I put a black border"), result.answer
    out = agent.load(_images(result)[0])
    h, w = COFFEE.shape[:2]
    assert out.shape[:2] == (h + 40, w + 40) and out[:20].max() == 0 and out[-20:].max() == 0


@pytest.mark.parametrize("request_", ["write '' on it", 'write "" at the top'])
def test_empty_quotes_are_no_words(agent, request_):
    result = _run(agent, request_)
    assert result.answer.startswith("What should the text say?") and not _images(result), result.answer


def test_text_that_does_not_fit_the_picture_is_refused_not_cut_off(agent):
    small = np.full((48, 64, 3), 90, np.uint8)
    words = ("lorem ipsum " * 30)[:290]
    result = agent.run(f"write '{words}' on it", image=small, session="fit")
    assert "the text does not fit this 64x48 picture" in result.answer and not _images(result), result.answer
    assert agent.run("write 'Hi' on it", image=small, session="fit").answer.startswith("I wrote 'Hi'")


@pytest.mark.parametrize(
    ("request_", "amount", "says"),
    [
        ("make it 30% sepia", 0.3, ""),
        ("posterize it to 4 colours", (8 - 4) / 6, ""),
        ("add film grain at 200%", 1.0, "I read 200% as full strength"),
        ("add a 0% vignette", None, "A 0% vignette changes nothing"),
        ("make it sepia at -50%", None, "A -50% sepia changes nothing"),
        ("posterize it to 1000 levels", None, "Posterize keeps 2 to 8 levels per colour, not 1000"),
    ],
)
def test_a_look_strength_in_numbers_is_used_or_refused(agent, request_, amount, says):
    result = _run(agent, request_)
    assert says in result.answer, result.answer
    steps = result.plan.steps
    if amount is None:
        assert not steps and not _images(result)
    else:
        assert steps[-1].args.get("amount") == pytest.approx(amount), steps
