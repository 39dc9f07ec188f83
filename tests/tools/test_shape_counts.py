"""Counts of drawn shapes (issue 42, newcomer round s10: "how many circles / squares / stars?" on a drawing
counted every blob): shapes are read by their outlines, the method says so, a piece that cannot be read
makes the count "at least", and a photograph's coins are not said to be drawn circles."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from skimage import data

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cases():
    spec = importlib.util.spec_from_file_location("seen_cases", ROOT / "benchmarks" / "seen_cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext

    return ToolContext(store=ArtifactStore(tmp_path_factory.mktemp("shapes")))


def _count(ctx, image, target):
    from vitron_agent.tools.describe_embedded import EmbeddedCountTool

    return EmbeddedCountTool()(ctx, image=ctx.store.put_image(image), target=target)


def test_each_kind_is_counted_by_its_outline(cases, ctx):
    img = np.full((320, 640, 3), 255, np.uint8)
    layout = {"circle": 3, "square": 2, "triangle": 4, "star": 1}
    x = 50
    for kind, n in layout.items():
        for i in range(n):
            cases.draw(img, kind, x, 60 + 70 * i, 26 + 4 * i, (40 * i, 90, 200 - 30 * i), turn=0.3 * i)
        x += 150
    for kind, n in layout.items():
        out = _count(ctx, img, kind + "s")
        assert out.count == n and out.text.startswith(f"I count {n} {kind}"), (kind, out.text)
        assert "outlines" in out.method and "no model" in out.method
    every = _count(ctx, img, "shapes")
    assert every.count == 10 and "3 circles" in every.text and "4 triangles" in every.text, every.text


def test_drawn_outlines_unfilled_and_on_a_tinted_ground(cases, ctx):
    img = np.full((300, 420, 3), (235, 225, 200), np.uint8)
    for i in range(4):
        cases.draw(img, "circle", 60 + 95 * i, 80, 30, (0, 0, 0), fill=False)
    for i in range(3):
        cases.draw(img, "square", 60 + 95 * i, 210, 30, (0, 0, 0), fill=False)
    assert _count(ctx, img, "circles").count == 4
    assert _count(ctx, img, "squares").count == 3


def test_overlapping_shapes_of_one_colour_make_the_count_at_least(cases, ctx):
    import cv2

    img = np.full((300, 400, 3), 255, np.uint8)
    cv2.circle(img, (100, 100), 40, (200, 0, 0), -1)
    cv2.circle(img, (150, 110), 40, (200, 0, 0), -1)  # two discs of one colour, overlapping: one piece
    cv2.circle(img, (300, 90), 35, (0, 150, 0), -1)
    cases.draw(img, "star", 80, 240, 35, (250, 200, 0))
    out = _count(ctx, img, "circles")
    assert out.count == 1 and out.text.startswith("At least 1 circle:") and "overlapping" in out.text, out.text


def test_a_disc_partly_under_a_square_is_still_a_circle(ctx):
    import cv2

    img = np.full((300, 400, 3), 255, np.uint8)
    cv2.circle(img, (120, 150), 50, (0, 150, 0), -1, cv2.LINE_AA)
    cv2.rectangle(img, (140, 160), (220, 240), (0, 0, 200), -1)
    out = _count(ctx, img, "circles")
    assert out.count == 1 and "partly hidden" in out.text, out.text


def test_coins_in_a_photograph_are_not_drawn_circles(ctx):
    out = _count(ctx, np.stack([data.coins()] * 3, -1), "circles")
    assert out.text.startswith("This looks like a photograph, not a drawing") and "not drawn circles" in out.text


def test_the_made_cases_tune_half_is_exact(cases, ctx):
    for seed in range(0, 16, 2):
        img, _, truth, name = cases.shape_case(seed)
        out = _count(ctx, img, name.split()[-1] if not name.endswith("overlapping") else name.split()[-2])
        assert out.count == truth and out.text.startswith("I count"), (name, out.text)
