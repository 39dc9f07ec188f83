"""Looks that need no model (sepia, vignette, grain, negative, sketch, cartoon, posterize, emboss), a border
and text written on a picture or clip: each was refused ("I have no sepia tint without a generative editor",
"I cannot draw text ...", "I cannot add grain") or sent to an instruction model that is not configured."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data as skdata

from vitron_agent.perception.looks import LOOKS, apply_look, border, draw_text
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.look_records import place_of, text_of
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

CAT = skdata.chelsea()


def test_each_look_is_its_formula():
    inverted = apply_look(CAT, None, "invert")
    assert np.array_equal(inverted, 255 - CAT)
    sepia = apply_look(CAT, None, "sepia").astype(int)
    assert (sepia[..., 0] >= sepia[..., 1]).mean() > 0.99 and (sepia[..., 1] >= sepia[..., 2]).mean() > 0.99
    vig = apply_look(CAT, None, "vignette", 0.9).astype(float) / np.maximum(1, CAT.astype(float))
    h, w = CAT.shape[:2]
    assert vig[h // 2 - 5 : h // 2 + 5, w // 2 - 5 : w // 2 + 5].mean() > 0.97 and vig[:10, :10].mean() < 0.5
    grain = apply_look(CAT, None, "grain")
    assert np.array_equal(grain, apply_look(CAT, None, "grain"))  # the same picture, the same grain
    assert 5 < np.abs(grain.astype(int) - CAT.astype(int)).mean() < 30
    poster = apply_look(CAT, None, "posterize", 1.0)
    assert len(np.unique(poster[..., 0])) <= 2
    for grey in ("sketch", "emboss"):
        out = apply_look(CAT, None, grey)
        assert np.array_equal(out[..., 0], out[..., 2])
    flat = np.full((40, 40, 3), 90, np.uint8)
    assert np.abs(apply_look(flat, None, "emboss")[5:-5, 5:-5].astype(int) - 128).max() <= 1  # no edge, no relief
    assert apply_look(flat, None, "sketch")[5:-5, 5:-5].min() > 240  # no edge, white paper
    for look in LOOKS:
        assert apply_look(CAT, None, look).shape == CAT.shape


def test_a_look_inside_a_region_leaves_the_rest():
    region = np.zeros(CAT.shape[:2], bool)
    region[:, :100] = True
    out = apply_look(CAT, region, "invert")
    assert np.array_equal(out[:, 100:], CAT[:, 100:]) and np.array_equal(out[:, :100], 255 - CAT[:, :100])


def test_border_and_text_draw_where_asked():
    framed = border(CAT, (255, 0, 0), width=7)
    assert framed.shape == (CAT.shape[0] + 14, CAT.shape[1] + 14, 3)
    assert (framed[:7] == (255, 0, 0)).all() and np.array_equal(framed[7:-7, 7:-7], CAT)
    written = draw_text(CAT, "Hello there", "top")
    changed = np.abs(written.astype(int) - CAT.astype(int)).sum(axis=2) > 30
    rows = np.nonzero(changed.any(axis=1))[0]
    assert rows.min() < CAT.shape[0] * 0.1 and rows.max() < CAT.shape[0] * 0.35  # the top band only
    corner = np.abs(draw_text(CAT, "(c) Ana", "bottom_right").astype(int) - CAT.astype(int)).sum(axis=2) > 30
    ys, xs = np.nonzero(corner)
    assert ys.min() > CAT.shape[0] * 0.7 and xs.min() > CAT.shape[1] * 0.5
    long = draw_text(CAT, "word " * 60, "bottom")  # wrapped and shrunk, never off the picture
    assert long.shape == CAT.shape


@pytest.mark.parametrize(
    "text, words, place",
    [
        ('write "happy birthday" on it', "happy birthday", "bottom"),
        ("add a caption saying hello at the bottom", "hello", "bottom"),
        ("put a watermark that says Ana Ruiz", "Ana Ruiz", "bottom_right"),
        ("add the title 'Day one' at the top", "Day one", "top"),
        ("write good morning across the top", "good morning", "top"),
        ("type “SALE” in the top left corner", "SALE", "top_left"),
    ],
)
def test_the_words_and_their_place_are_read(text, words, place):
    assert text_of(text) == words and place_of(text) == place


@pytest.mark.parametrize(
    "text, want",
    [
        ("give it a vintage sepia look", [("edit", "sepia")]),
        ("add a heavy vignette", [("edit", "vignette")]),
        ("add film grain", [("edit", "grain")]),
        ("too much grain from the high ISO", [("edit", "denoise")]),
        ("invert the colours", [("edit", "invert")]),
        ("make it look like a pencil sketch", [("edit", "sketch")]),
        ("cartoonify it", [("edit", "cartoon")]),
        ("posterize it", [("edit", "posterize")]),
        ("emboss the picture", [("edit", "emboss")]),
        ("sepia everything except the cat", [("segment", None), ("edit", "sepia")]),
        ('add the caption "Hello" at the bottom', [("edit", "text")]),
        ("add a thin white border", [("edit", "border")]),
        ("put a yellow border round the dog", [("segment", None), ("edit", "outline")]),
        ("are there any words on the poster?", None),  # a question, not a posterize
    ],
)
def test_the_planner_reads_the_looks(text, want):
    plan = RulePlanner().plan(
        PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), Toolbox(default_tools())
    )
    got = [(s.tool, s.args.get("operation")) for s in plan.steps]
    if want is None:
        assert ("edit", "posterize") not in got, got
    else:
        assert got == want, (got, plan.answer)


def test_text_without_its_words_is_asked_and_subtitles_are_refused():
    toolbox = Toolbox(default_tools())
    for text in ("add a title", "add some text"):
        plan = RulePlanner().plan(PlanRequest(text=text, inputs={"input": {"image": "image"}, "last": {}}), toolbox)
        assert not plan.steps and "What should the text say?" in plan.answer
    plan = RulePlanner().plan(
        PlanRequest(text="add subtitles", inputs={"input": {"video": "video"}, "last": {}}), toolbox
    )
    assert not plan.steps and "speech recognition" in plan.answer


def test_text_written_on_a_clip_is_read_back_by_ocr(tmp_path):
    """The caption is real text: the embedded OCR model reads it back from a frame of the edited clip."""
    from vitron_agent import Agent
    from vitron_agent.media.video import write_video

    frames = [np.ascontiguousarray(skdata.coffee()[::2, ::2]) for _ in range(6)]
    write_video(frames, tmp_path / "c.mp4", 6.0)
    with Agent(data_dir=tmp_path / "store") as agent:
        result = agent.run('add the caption "OPEN 2026" at the bottom', video=str(tmp_path / "c.mp4"))
        assert result.ok, result.answer
        assert [s.tool for s in result.steps] == ["edit_video"]
        again = agent.run("take the last frame, then read the text", session=result.session)
        assert "OPEN" in again.answer and "2026" in again.answer, again.answer
