"""describe / read_text with ``place``: the part of the picture a question names (a side or corner,
the background outside a thing, the picture beside it), and the answer says which part it looked at."""

from __future__ import annotations

import numpy as np
import pytest

from vitron_agent.core.errors import ToolArgumentError
from vitron_agent.perception.question_region import question_region
from vitron_agent.tools.describe import CvDescribeTool


def _picture():
    """120x160: left half blue, right half yellow, a red square (rows 40-80, columns 60-100) on them."""
    img = np.zeros((120, 160, 3), np.uint8)
    img[:, :80] = (20, 40, 220)
    img[:, 80:] = (240, 220, 20)
    img[40:80, 60:100] = (220, 20, 20)
    thing = np.zeros((120, 160), bool)
    thing[40:80, 60:100] = True
    return img, thing


def test_regions():
    _, thing = _picture()
    left, said = question_region((120, 160), "left of the square", thing)
    assert said == "the picture left of the square" and left[:, :60].all() and not left[:, 60:].any()
    outside, said = question_region((120, 160), "outside the square", thing)
    assert said.startswith("the background") and (outside == ~thing).all()
    corner, said = question_region((120, 160), "bottom right", None)
    assert said == "the bottom-right quarter of the picture" and corner[60:, 80:].all() and corner.sum() == 60 * 80
    with pytest.raises(ValueError):
        question_region((120, 160), "left of the square", None)


@pytest.mark.parametrize(
    ("place", "colour", "where"),
    [
        ("left of the square", "blue", "the picture left of the square"),
        ("right of the square", "yellow", "the picture right of the square"),
        ("top right", "yellow", "the top-right quarter"),
    ],
)
def test_describe_looks_at_the_place(ctx, place, colour, where):
    img, thing = _picture()
    ref = ctx.store.put_image(img)
    mask = ctx.store.put_mask(thing) if " of " in place else None
    out = CvDescribeTool()(ctx, image=ref, mask=mask, place=place, question="what colour is it?")
    assert out.text.startswith(f"Looking at {where}") and colour in out.text and "red" not in out.text, out.text


def test_background_is_outside_the_thing(ctx):
    img, thing = _picture()
    ref = ctx.store.put_image(img)
    out = CvDescribeTool()(ctx, image=ref, mask=ctx.store.put_mask(thing), place="outside the square")
    assert out.text.startswith("Looking at the background") and "red" not in out.text, out.text


def test_relation_without_a_mask_goes_back_to_the_planner(ctx):
    img, _ = _picture()
    with pytest.raises(ToolArgumentError):
        CvDescribeTool()(ctx, image=ctx.store.put_image(img), place="left of the square")


def test_embedded_describe_of_an_empty_place_is_about_that_place(ctx):
    """Nothing recognised in the top-left quarter of the motorbike photo: the answer measures that
    quarter (it guessed at the whole picture: "the whole picture shows a motor scooter")."""
    from skimage import data

    from vitron_agent.tools.describe_embedded import EmbeddedDescribeTool, _detector_ready

    if not _detector_ready():
        pytest.skip("the embedded detector's weights are not installed")
    ref = ctx.store.put_image(data.stereo_motorcycle()[0])
    out = EmbeddedDescribeTool()(ctx, image=ref, place="top left", question="what is in the top left corner?")
    assert out.text.startswith("Looking at the top-left quarter of the picture: I recognise no object there.")
    assert "whole picture" not in out.text and "25.0%" in out.text, out.text
