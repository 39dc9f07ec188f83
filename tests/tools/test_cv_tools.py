"""cv tools on synthetic images with known geometry."""

import numpy as np
import pytest

from tests.conftest import iou
from vitron_agent.core.errors import ToolArgumentError, ToolFailed
from vitron_agent.core.refs import Box, Point
from vitron_agent.media.synthetic import disc_image
from vitron_agent.perception.colors import rgb_to_lab
from vitron_agent.tools.describe import CvCountTool, CvDescribeTool
from vitron_agent.tools.edit import CvEditTool
from vitron_agent.tools.segment import CvSegmentTool, parse_target


def _seg(ctx, img, **kw):
    ref = ctx.store.put_image(img)
    out = CvSegmentTool()(ctx, image=ref, **kw)
    return ref, out, ctx.store.get_mask(out.mask)


@pytest.mark.parametrize(
    "kw",
    [
        {"color": "red"},
        {"target": "the red object"},
        {"target": "the foreground"},
        {"target": "the largest object"},
        {"point": Point(x=80, y=60)},
        {"box": Box(x1=40, y1=20, x2=120, y2=100)},
    ],
)
def test_segment_red_disc(ctx, disc, kw):
    img, truth = disc
    ref, out, mask = _seg(ctx, img, **kw)
    assert iou(mask, truth) >= 0.9, out.method
    assert out.mask.image == ref.id and out.area == pytest.approx(mask.mean(), abs=1e-6)
    assert (out.box.x1, out.box.y1, out.box.x2, out.box.y2) == pytest.approx((50, 30, 111, 91), abs=2)


def test_segment_by_position_and_colour_among_several(ctx):
    img = np.full((100, 200, 3), (240, 240, 240), np.uint8)
    yy, xx = np.mgrid[0:100, 0:200]
    left = (xx - 40) ** 2 + (yy - 50) ** 2 <= 15**2
    right = (xx - 160) ** 2 + (yy - 50) ** 2 <= 25**2
    middle = (abs(xx - 100) < 12) & (abs(yy - 50) < 12)
    img[left], img[right], img[middle] = (220, 30, 30), (220, 30, 30), (30, 160, 60)
    assert iou(_seg(ctx, img, target="the red ball on the left")[2], left) >= 0.9
    assert iou(_seg(ctx, img, color="red", position="right")[2], right) >= 0.9
    assert iou(_seg(ctx, img, color="red")[2], left | right) >= 0.9
    assert iou(_seg(ctx, img, target="the largest object")[2], right) >= 0.9
    assert iou(_seg(ctx, img, target="the green square")[2], middle) >= 0.9
    assert iou(_seg(ctx, img, position="center")[2], middle) >= 0.9


def test_segment_scribble(ctx, disc):
    img, truth = disc
    ref = ctx.store.put_image(img)
    strokes = np.zeros(truth.shape, bool)
    strokes[55:65, 70:90] = True
    sref = ctx.store.put_mask(strokes)
    out = CvSegmentTool()(ctx, image=ref, scribble=sref)
    assert iou(ctx.store.get_mask(out.mask), truth) >= 0.9


def test_segment_errors(ctx, disc):
    img, _ = disc
    ref = ctx.store.put_image(img)
    with pytest.raises(ToolFailed, match="found no yellow region"):
        CvSegmentTool()(ctx, image=ref, color="yellow")
    with pytest.raises(ToolArgumentError, match="color 'sparkly' is unknown"):
        CvSegmentTool()(ctx, image=ref, color="sparkly")
    with pytest.raises(ToolArgumentError, match="outside the 160x120 image"):
        CvSegmentTool()(ctx, image=ref, point=Point(x=500, y=5))


def test_parse_target():
    assert parse_target("the big red car on the left") == ("red", "left", False)
    assert parse_target("the largest grey thing in the middle") == ("gray", "center", True)
    assert parse_target(None) == (None, None, False)


def _hue(rgb):
    lab = rgb_to_lab(rgb.reshape(-1, 3))
    return np.degrees(np.arctan2(lab[:, 2], lab[:, 1])), lab[:, 0]


def test_recolor_changes_hue_only_inside_the_mask(ctx, disc):
    img, truth = disc
    ref, seg, mask = _seg(ctx, img, color="red")
    out = CvEditTool()(ctx, image=ref, mask=seg.mask, operation="recolor", color="green")
    res = ctx.store.get_image(out.image)
    np.testing.assert_array_equal(res[~mask], img[~mask])  # outside untouched, bit for bit
    hue_in, light_in = _hue(res[mask])
    hue_green, _ = _hue(np.array([[40, 165, 60]], np.uint8))
    assert np.abs(hue_in - hue_green[0]).max() < 15
    _, light_before = _hue(img[mask])
    assert np.abs(light_in - light_before).mean() < 12  # lightness kept


def test_remove_fills_the_disc_with_background(ctx, disc):
    img, truth = disc
    ref, seg, mask = _seg(ctx, img, color="red")
    res = ctx.store.get_image(CvEditTool()(ctx, image=ref, mask=seg.mask, operation="remove").image)
    diff = np.abs(res[truth].astype(int) - np.array((30, 60, 200))).mean()
    assert diff < 25
    far = ~np.pad(truth, 0)  # pixels far from the disc keep their value
    far[25:95, 45:115] = False
    np.testing.assert_array_equal(res[far], img[far])


def test_background_and_adjust_operations(ctx):
    rng = np.random.default_rng(0)
    img = rng.integers(60, 200, (80, 120, 3), dtype=np.uint8)
    mask = np.zeros((80, 120), bool)
    mask[20:60, 30:90] = True
    ref = ctx.store.put_image(img)
    mref = ctx.store.put_mask(mask, image=ref)
    edit = CvEditTool()

    def run(**kw):
        return ctx.store.get_image(edit(ctx, image=ref, **kw).image).astype(int)

    out = run(mask=mref, operation="replace_background", color="white")
    assert (out[~mask] == 255).all() and (out[mask] == img[mask]).all()
    out = run(mask=mref, operation="blur_background")
    assert (out[mask] == img[mask]).all() and out[~mask].std() < img[~mask].std() * 0.6
    out = run(operation="brighten")
    assert out.mean() > img.mean() + 20
    out = run(mask=mref, operation="darken", where="outside")
    assert (out[mask] == img[mask]).all() and out[~mask].mean() < img[~mask].mean() - 20
    out = run(mask=mref, operation="grayscale")
    assert (out[mask][:, 0] == out[mask][:, 1]).all() and (out[~mask] == img[~mask]).all()
    out = run(operation="contrast", amount=1.0)
    assert out.std() > img.std() * 1.5
    out = run(mask=mref, operation="keep_only")
    assert (out[~mask] == 255).all()


def test_edit_argument_errors(ctx, disc):
    ref = ctx.store.put_image(disc[0])
    other = ctx.store.put_mask(np.ones((10, 10), bool))
    with pytest.raises(ToolArgumentError, match="needs a mask"):
        CvEditTool()(ctx, image=ref, operation="remove")
    with pytest.raises(ToolArgumentError, match="recolor needs a color"):
        CvEditTool()(ctx, image=ref, operation="recolor", mask=other)
    with pytest.raises(ToolArgumentError, match="mask is 10x10 but the image is 160x120"):
        CvEditTool()(ctx, image=ref, operation="blur", mask=other)


def test_describe_region_and_questions(ctx, disc):
    img, truth = disc
    ref, seg, _ = _seg(ctx, img, color="red")
    tool = CvDescribeTool()
    text = tool(ctx, image=ref, mask=seg.mask).text
    assert "red" in text and "roughly round" in text and "center" in text
    assert f"{100 * truth.mean():.0f}" in text or f"{100 * truth.mean():.1f}" in text
    whole = tool(ctx, image=ref).text
    assert whole.index("blue") < whole.index("red")  # background dominates the whole image
    assert tool(ctx, image=ref, mask=seg.mask, question="What colour is it?").text.startswith(
        "The region is mostly red"
    )
    assert "cannot answer" in tool(ctx, image=ref, question="Is this a dog?").text


def test_count_colour_blobs(ctx):
    img = np.full((100, 300, 3), 255, np.uint8)
    yy, xx = np.mgrid[0:100, 0:300]
    for cx in (40, 120, 200):
        img[(xx - cx) ** 2 + (yy - 50) ** 2 <= 20**2] = (220, 30, 30)
    img[(xx - 270) ** 2 + (yy - 50) ** 2 <= 20**2] = (30, 60, 200)
    ref = ctx.store.put_image(img)
    out = CvCountTool()(ctx, image=ref, color="red")
    assert out.count == 3 and "3 red blobs" in out.text
    assert CvCountTool()(ctx, image=ref, target="blue balls").count == 1
    assert CvCountTool()(ctx, image=ref).count == 4


def test_large_image_segment_is_downscaled_but_full_size(ctx):
    img, truth = disc_image(h=1200, w=1600, center=(800, 600), radius=300)
    _, out, mask = _seg(ctx, img, target="the foreground")
    assert mask.shape == (1200, 1600) and iou(mask, truth) >= 0.9


def test_a_large_blur_is_computed_at_reduced_scale_and_looks_the_same():
    """Blur cost grows with the pixels, not with sigma: a reduced copy for large sigmas, within a
    level of 255 on average of the direct Gaussian on a real photo."""
    import cv2
    from skimage import data

    from vitron_agent.perception.edit_ops import PYRAMID_SIGMA, gaussian

    img = cv2.resize(data.astronaut(), (1200, 1200), interpolation=cv2.INTER_CUBIC)
    for sigma in (PYRAMID_SIGMA + 2, 24.0, 48.0):
        direct = cv2.GaussianBlur(img, (0, 0), sigma).astype(int)
        assert np.abs(direct - gaussian(img, sigma)).mean() < 1.0
    assert np.array_equal(gaussian(img, 3.0), cv2.GaussianBlur(img, (0, 0), 3.0))  # small sigmas: exact


def test_brighten_keeps_black_black_and_lifts_a_night_shot():
    """'brighten' lifted black to mid-grey (0 -> 127 at the default amount): a haze over every dark photo.
    Black stays black, white stays white, the mid-tones rise; a dark picture is exposed up first."""
    from skimage import data

    from vitron_agent.perception.edit_ops import adjust

    levels = np.array([[[0, 0, 0], [128, 128, 128], [255, 255, 255]]], np.uint8)
    out = adjust(levels, np.ones((1, 3), bool), "brighten", 0.5)[0, :, 0]
    assert out[0] == 0 and out[2] == 255 and 150 < out[1] < 190
    night = (data.astronaut().astype(np.float32) * 0.2).astype(np.uint8)  # a real photo, under-exposed
    lifted = adjust(night, np.ones(night.shape[:2], bool), "brighten", 0.5)
    assert lifted.mean() > night.mean() * 2.5
    assert np.percentile(lifted, 1) < 10  # the shadows are not hazed


@pytest.mark.parametrize("color", ["white", "red", "brown", "yellow", "blue"])
def test_recolor_of_a_black_thing_comes_out_the_colour_asked(color):
    """'make the horse white' on a black horse gave mid-grey (L 77), 'red' a near-black maroon, both said
    done: the lightness moves toward the colour's when the thing is far darker or lighter than it."""
    from skimage import data

    from vitron_agent.perception.colors import name_colors, parse_color_value
    from vitron_agent.perception.edit_ops import recolor

    horse = ~data.horse()  # scikit-image's black horse silhouette (True = horse here)
    img = np.where(horse[..., None], 25, 240).astype(np.uint8).repeat(3, axis=2)
    img = img + np.random.default_rng(0).integers(0, 12, img.shape).astype(np.uint8)  # a little texture
    out = recolor(img, horse, parse_color_value(color))
    assert name_colors(out[horse])[0][0] == color
    assert (out[~horse] == img[~horse]).all()


@pytest.mark.parametrize(
    "target, rows, cols",
    [
        ("the top right", slice(0, 60), slice(80, 160)),
        ("in the bottom-left corner", slice(60, 120), slice(0, 80)),
        ("the upper left quarter of the image", slice(0, 60), slice(0, 80)),
    ],
)
def test_a_corner_named_alone_is_that_quarter(ctx, target, rows, cols):
    """'what colour is in the top right?' took 'top' only (the whole colour wheel, said 'lime/green')."""
    from vitron_agent.tools.segment import geometric

    img = np.random.default_rng(0).integers(0, 255, (120, 160, 3)).astype(np.uint8)
    _, out, mask = _seg(ctx, img, target=target)
    want = np.zeros((120, 160), bool)
    want[rows, cols] = True
    assert (mask == want).all() and out.method.endswith("quarter of the image")
    assert not geometric("the person in the top right") and geometric(target)


def test_the_brown_parts_are_every_brown_region_not_only_the_purest(ctx):
    """'make the brown parts purple' on a stained slide recoloured a quarter of the brown (the purest
    regions): a plural of parts or areas takes every region of the colour."""
    img = np.full((120, 160, 3), (200, 210, 230), np.uint8)  # pale blue-grey tissue
    img[10:50, 10:70] = (120, 80, 50)  # brown
    img[60:110, 90:150] = (170, 120, 80)  # a lighter, less pure brown
    _, out, mask = _seg(ctx, img, target="the brown parts", color="brown")
    assert mask[15:45, 15:65].all() and mask[65:105, 95:145].all() and not mask[:, 75:85].any()
    _, one, single = _seg(ctx, img, target="the brown box", color="brown")
    assert single.sum() < mask.sum()  # one thing of a colour: the purest region, as before
