"""Right, or honest about it (#16): outcomes measured on scikit-image's real photos and on a clip
built from one, through the Agent with its default tools."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from skimage import data

from vitron_agent.runtime.agent import Agent
from vitron_agent.runtime.export import export_run

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("segment_quality", ROOT / "benchmarks" / "segment_quality.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def agent():
    with Agent() as a:
        yield a


def ball_clip(frames: int = 24):
    """The astronaut photo panned, a pure red ball moving across it (over the flag's red stripes
    and the orange-red suit); returns frames and the ball's true masks."""
    small = cv2.resize(data.astronaut(), (480, 480), interpolation=cv2.INTER_AREA)
    out, masks = [], []
    for t in range(frames):
        x0 = int(t * 160 / (frames - 1))
        f = np.ascontiguousarray(small[100:340, x0 : x0 + 320]).copy()
        m = np.zeros(f.shape[:2], np.uint8)
        cv2.circle(m, (40 + 10 * t, 60 + 3 * t), 14, 1, -1)
        f[m > 0] = (230, 20, 20)
        out.append(f)
        masks.append(m > 0)
    return np.stack(out), masks


def iou(a, b) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def test_a_destructive_edit_on_an_unrecognised_target_is_held_back(agent, tmp_path):
    photo = data.astronaut()
    r = agent.run("remove the red flag", image=photo)  # no detector class: it followed the red regions, and said so
    assert [s.status for s in r.steps] == ["ok", "skipped"] and r.steps[1].error_kind == "held"
    first = r.answer.splitlines()[0]
    assert first.startswith("I can't recognise 'flag' by name, so I took the red regions") and "point or a box" in first
    assert r.warnings and r.warnings[0] == first and r.warnings[1].startswith("I did not remove it: ")
    assert not any(s.tool == "edit" and s.outputs for s in r.steps)  # nothing was erased
    data_json = export_run(r, agent.store, tmp_path)
    assert data_json["warnings"] == r.warnings
    assert json.loads((tmp_path / "result.json").read_text())["warnings"] == r.warnings
    assert 'data-state="warn"' in (tmp_path / "report.html").read_text()
    # a marked region, or the foreground words, are not assumptions: the removal runs
    done = agent.run("remove the main object", image=photo)
    assert done.ok and done.steps[1].outputs  # (its only warning: half the picture is filled, said first)
    assert [w for w in done.warnings if not w.startswith("What I removed covers 55%")] == []


def test_a_failed_step_makes_the_report_red(agent, tmp_path):
    bad = agent.run("segment the red car, then make it blue", image=np.zeros((40, 40, 3), np.uint8))
    assert [s.status for s in bad.steps] == ["error", "skipped"] and "found no red" in bad.answer  # no car, no red
    export_run(bad, agent.store, tmp_path)
    assert 'data-state="fail"' in (tmp_path / "report.html").read_text()


def test_make_the_background_white_is_white(agent):
    photo = data.astronaut()
    r = agent.run("make the background white", image=photo)
    mask = agent.load(r.step("s1").output("mask"))
    out = agent.load(r.step("s2").output("image"))
    assert out[~mask].mean() > 250 and np.array_equal(out[mask], photo[mask])


def test_everything_except_the_person_is_blurred_and_the_person_is_not(agent):
    photo = data.astronaut()
    r = agent.run("blur everything except the person", image=photo)
    mask = agent.load(r.step("s1").output("mask"))
    out = agent.load(r.step("s2").output("image"))
    assert np.array_equal(out[mask], photo[mask])
    assert np.abs(out[~mask].astype(int) - photo[~mask]).mean() > 3
    assert r.warnings == [] and "recognised person" in r.step("s1").output("method")  # recognised, not assumed


def test_the_left_side_is_the_left_half(agent):
    photo = data.coffee()
    r = agent.run("darken the left side", image=photo)
    out = agent.load(r.step("s2").output("image")).astype(int)
    w = photo.shape[1]
    assert out[:, : w // 2].mean() < photo[:, : w // 2].mean() - 10
    assert np.array_equal(out[:, w - w // 2 :], photo[:, w - w // 2 :])
    assert r.warnings == []


def test_counting_coins_finds_24(agent):
    r = agent.run("how many coins are there?", image=np.stack([data.coins()] * 3, axis=-1))
    count = r.step("s1").output("count")
    assert abs(count - 24) <= 1, r.answer
    assert r.answer.startswith("I can't recognise 'coins'") and f"At a guess, {count}" in r.answer


def test_colour_questions_get_yes_or_no(agent):
    photo = data.coffee()
    yes = agent.run("is the motorcycle red?", image=data.stereo_motorcycle()[0])
    assert "Yes:" in yes.answer and not yes.warnings  # recognised; red though mostly metal and shadow
    no = agent.run("is the cup blue?", image=photo)
    assert "No:" in no.answer
    saucer = agent.run("is the saucer red?", image=photo)  # not a detector class: asked for a click, not assumed
    assert "I cannot recognise 'the saucer'" in saucer.answer and "Yes:" not in saucer.answer


def test_an_orange_suit_is_selected_by_the_colour_describe_gives_it(agent):
    photo = data.astronaut()
    person = bench.reference_mask("astronaut", photo.shape[:2])
    r = agent.run("make the orange suit blue", image=photo)
    mask = agent.load(r.step("s1").output("mask"))
    assert 0.08 < mask.mean() < 0.35 and (mask & person).sum() / mask.sum() > 0.9
    said = agent.run("what colour is it?", session=r.session)
    assert "blue" in said.answer


def test_crop_to_the_cat_and_to_a_square(agent):
    cat = data.chelsea()
    r = agent.run("crop to the cat", image=cat)
    out = agent.load(r.step("s2").output("image"))
    assert out.shape[0] <= cat.shape[0] and out.shape[1] < cat.shape[1]
    sq = agent.run("crop it to a square", image=cat)
    out = agent.load(sq.step("s1").output("image"))
    assert out.shape[0] == out.shape[1] == cat.shape[0]


def test_the_purple_cat_is_described_as_the_cat_it_was_selected_as(agent):
    """The demo's request. NanoDet ranks person (0.56) just above cat (0.55) on chelsea, and a
    purple cat looks to it like a person: the description used to open with "I see a person". Now
    its first sentence names the cat that s1 selected (and what the detector sees, when that
    differs) -- whichever way the two scores fall on this CPU."""
    r = agent.run("segment the cat, then make it purple, then describe the result", image=data.chelsea())
    assert r.ok and r.step("s1").args["target"] == "the cat"
    described = r.step("s3").outputs["text"]["value"]
    first = described.split(". ")[0]
    assert "cat" in first, described
    # the detector's own caption names a cat (first, or beside a person on another CPU), or it does
    # not and the sentence says what s1 selected
    assert first.startswith("I see ") or first.startswith("This is the cat you asked for")


def test_the_red_ball_is_tracked_not_the_orange_suit(agent):
    frames, truth = ball_clip()
    r = agent.run("track the red ball, make it blue, then describe it", video=frames)
    track = agent.load(r.step("s1").output("track"))
    ious = [iou(track[i], truth[i]) for i in range(len(truth))]
    assert min(ious) > 0.8, ious
    mid = agent.run("take the middle frame, then segment the red ball", video=frames)
    assert iou(agent.load(mid.steps[-1].output("mask")), truth[len(truth) // 2]) > 0.9
    frames_answer = agent.run("how many frames are there?", video=frames).answer
    assert frames_answer.startswith("The video has 24 frames")


def test_typos_are_read_and_said(agent):
    r = agent.run("segmnet the cat and mak it purpel", image=data.chelsea())
    assert [s.tool for s in r.steps] == ["segment", "edit"] and r.steps[1].args["color"] == "purple"
    assert any(w.startswith("I read 'segmnet' as 'segment'") for w in r.warnings)
    assert "recognised cat" in r.step("s1").output("method")  # model names: --verbose, report, JSON


def test_another_language_gets_a_short_message(agent):
    r = agent.run("segmenta el gato y hazlo morado", image=data.chelsea())
    assert r.steps == [] and "English only" in r.answer and len(r.answer) < 200


def test_the_report_plan_graph_wraps_long_plans():
    import re

    from vitron_agent.runtime.report import plan_svg
    from vitron_agent.toolkit.plan import Plan, Step

    chain = Plan(
        steps=[
            Step(id=f"s{i}", tool="edit", args={"image": f"$s{i - 1}.image" if i > 1 else "$input.image"})
            for i in range(1, 13)
        ]
    )
    svg = plan_svg(chain, {})
    width, height = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
    assert width <= 40 + 5 * 210 and height > 3 * 46  # five columns a band, three bands
    assert 'style="max-width:100%;height:auto"' in svg
