"""Everyday edits and requests read the way people mean them (issue: flip, rotate, resize, sharpen,
warmer, outline, shades, intensity words, exclusions, compound requests): planning rows, and the
outcomes measured on the pixels of scikit-image's photos."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from tests.planners.test_rule import IMG, compact
from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.toolkit.plan import validate_plan
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def plan_of(toolbox, text):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=IMG), toolbox)
    assert validate_plan(plan, toolbox, IMG) == []
    return plan


ROWS = [  # (instruction, compact plan, {step index: {arg: value}} checked besides)
    ("flip the image horizontally", ["edit:flip"], {0: {"direction": "horizontal"}}),
    ("flip it", ["edit:flip"], {0: {"direction": "horizontal"}}),
    ("flip it vertically", ["edit:flip"], {0: {"direction": "vertical"}}),
    ("flip the photo upside down", ["edit:flip"], {0: {"direction": "vertical"}}),
    ("please flip the picture left to right", ["edit:flip"], {0: {"direction": "horizontal"}}),
    ("rotate it 90 degrees", ["edit:rotate"], {0: {"angle": 90.0}}),
    ("rotate the image by 180 degrees", ["edit:rotate"], {0: {"angle": 180.0}}),
    ("rotate it 270°", ["edit:rotate"], {0: {"angle": 270.0}}),
    ("rotate it 30 degrees counterclockwise", ["edit:rotate"], {0: {"angle": -30.0}}),
    ("rotate it 15 degrees anticlockwise", ["edit:rotate"], {0: {"angle": -15.0}}),
    ("rotate it to the left", ["edit:rotate"], {0: {"angle": -90.0}}),
    ("rotate it", ["edit:rotate"], {0: {"angle": 90.0}}),
    ("turn it upside down", ["edit:rotate"], {0: {"angle": 180.0}}),
    ("turn the picture 90 degrees clockwise", ["edit:rotate"], {0: {"angle": 90.0}}),
    ("resize it to half size", ["edit:resize"], {0: {"scale": 0.5}}),
    ("resize it to 50%", ["edit:resize"], {0: {"scale": 0.5}}),
    ("scale it to 25%", ["edit:resize"], {0: {"scale": 0.25}}),
    ("resize the image to 800 pixels wide", ["edit:resize"], {0: {"width": 800}}),
    ("resize it to a width of 640", ["edit:resize"], {0: {"width": 640}}),
    ("resize it to 300 px tall", ["edit:resize"], {0: {"height": 300}}),
    ("resize it to 1024x768", ["edit:resize"], {0: {"width": 1024, "height": 768}}),
    ("make it twice as big", ["edit:resize"], {0: {"scale": 2.0}}),
    ("shrink it by half", ["edit:resize"], {0: {"scale": 0.5}}),
    ("halve the image", ["edit:resize"], {0: {"scale": 0.5}}),
    ("enlarge it 3x", ["edit:resize"], {0: {"scale": 3.0}}),
    ("make the image sharper", ["edit:sharpen"], {0: {"amount": 0.5}}),
    ("sharpen it", ["edit:sharpen"], {}),
    ("sharpen the cat a bit", ["segment", "edit:sharpen mask=$s1.mask"], {1: {"amount": 0.2}}),
    ("make it warmer", ["edit:warmer"], {0: {"amount": 0.5}}),
    ("make it a lot warmer", ["edit:warmer"], {0: {"amount": 0.9}}),
    ("warm it up slightly", ["edit:warmer"], {0: {"amount": 0.2}}),
    ("make it cooler", ["edit:cooler"], {}),
    ("make the photo colder", ["edit:cooler"], {}),
    ("make the colours more vivid", ["edit:saturate"], {}),
    ("increase the saturation", ["edit:saturate"], {}),
    ("make it less saturated", ["edit:desaturate"], {}),
    ("tone down the colours", ["edit:desaturate"], {}),
    ("denoise it", ["edit:denoise"], {}),
    ("reduce the noise", ["edit:denoise"], {}),
    ("remove the grain", ["edit:denoise"], {}),
    ("outline the cat", ["segment", "edit:outline:red mask=$s1.mask"], {}),
    ("outline the person in green", ["segment", "edit:outline:green mask=$s1.mask"], {}),
    ("draw an outline around the dog in yellow", ["segment", "edit:outline:yellow mask=$s1.mask"], {}),
    ("find the red objects and outline them", ["segment:red", "edit:outline:red mask=$s1.mask"], {}),
    ("segment the cup, then outline it in blue", ["segment", "edit:outline:blue mask=$s1.mask"], {}),
    ("pixelate the faces", ["segment", "edit:pixelate mask=$s1.mask"], {}),
    ("censor her face", ["segment", "edit:pixelate mask=$s1.mask"], {}),
    # shades and named colours are kept for the edit
    (
        "make the uniform dark green",
        ["segment", "edit:recolor:dark green mask=$s1.mask"],
        {0: {"target": "the uniform"}},
    ),
    ("make the car light blue", ["segment", "edit:recolor:light blue mask=$s1.mask"], {0: {"target": "the car"}}),
    ("paint the bench navy", ["segment", "edit:recolor:navy mask=$s1.mask"], {}),
    ("turn the shirt pale pink", ["segment", "edit:recolor:pale pink mask=$s1.mask"], {0: {"target": "the shirt"}}),
    ("make the cup teal", ["segment", "edit:recolor:teal mask=$s1.mask"], {}),
    ("make the dress maroon", ["segment", "edit:recolor:maroon mask=$s1.mask"], {}),
    # a target never swallows a modifier or a verb
    ("make the sky more blue", ["segment", "edit:recolor:blue mask=$s1.mask"], {0: {"target": "the sky"}}),
    ("make the grass much greener", ["segment", "edit:recolor:green mask=$s1.mask"], {0: {"target": "the grass"}}),
    ("how many people are in the photo?", ["count"], {0: {"target": "people"}}),
    ("how many cars are there", ["count"], {0: {"target": "cars"}}),
    ("how many dogs do you see?", ["count"], {0: {"target": "dogs"}}),
    ("make it a bit brighter", ["edit:brighten"], {0: {"amount": 0.2}}),
    ("make it much darker", ["edit:darken"], {0: {"amount": 0.9}}),
    ("brighten it slightly", ["edit:brighten"], {0: {"amount": 0.2}}),
    # exclusions are the complement of what is kept
    (
        "brighten the garage but keep the motorcycle unchanged",
        ["segment", "edit:brighten:outside mask=$s1.mask"],
        {0: {"target": "the motorcycle"}},
    ),
    (
        "darken the room but leave the person untouched",
        ["segment", "edit:darken:outside mask=$s1.mask"],
        {0: {"target": "the person"}},
    ),
    (
        "make it warmer without touching the faces",
        ["segment", "edit:warmer:outside mask=$s1.mask"],
        {0: {"target": "the faces"}},
    ),
    (
        "blur the photo but keep the cat as it is",
        ["segment", "edit:blur:outside mask=$s1.mask"],
        {0: {"target": "the cat"}},
    ),
    # compound requests become the chain they say
    ("cut out the flower and put it on a white background", ["segment", "edit:keep_only:white mask=$s1.mask"], {}),
    ("cut out the dog and place it on a black background", ["segment", "edit:keep_only:black mask=$s1.mask"], {}),
    ("flip it, then rotate it 90 degrees", ["edit:flip", "edit:rotate image=$s1.image"], {}),
    ("resize it to half size and make it sharper", ["edit:resize", "edit:sharpen image=$s1.image"], {}),
    ("detect the objects and label them", ["detect"], {}),
    # cut-outs (transparent PNGs) and composites
    ("cut out the horse", ["segment", "edit:cutout mask=$s1.mask"], {0: {"target": "the horse"}}),
    ("cut the bird out", ["segment", "edit:cutout mask=$s1.mask"], {0: {"target": "the bird"}}),
    ("make a transparent png of the teapot", ["segment", "edit:cutout mask=$s1.mask"], {0: {"target": "the teapot"}}),
    ("give me a sticker of the dog", ["segment", "edit:cutout mask=$s1.mask"], {0: {"target": "the dog"}}),
    ("remove the background", ["segment", "edit:cutout mask=$s1.mask"], {0: {"target": "the main object"}}),
    ("make the background transparent", ["segment", "edit:cutout mask=$s1.mask"], {}),
    ("cut out everything except the bus", ["segment", "edit:cutout:outside mask=$s1.mask"], {0: {"target": "the bus"}}),
    (
        "put the vase on a blue background",
        ["segment", "edit:keep_only:blue mask=$s1.mask"],
        {0: {"target": "the vase"}},
    ),
    (
        "place the boat against a black background",
        ["segment", "edit:keep_only:black mask=$s1.mask"],
        {0: {"target": "the boat"}},
    ),
    (
        "isolate the cat on a transparent background",
        ["segment", "edit:cutout mask=$s1.mask"],
        {0: {"target": "the cat"}},
    ),
    ("erase the background behind the man", ["segment", "edit:cutout mask=$s1.mask"], {0: {"target": "the man"}}),
    (
        "blur the background around the dog",
        ["segment", "edit:blur_background mask=$s1.mask"],
        {0: {"target": "the dog"}},
    ),
    (
        "place the person on a white backdrop",
        ["segment", "edit:keep_only:white mask=$s1.mask"],
        {0: {"target": "the person"}},
    ),
    (
        "remove the background of the photo",
        ["segment", "edit:cutout mask=$s1.mask"],
        {0: {"target": "the main object"}},
    ),
    (
        "remove the background and make it brighter",
        ["segment", "edit:cutout mask=$s1.mask", "edit:brighten image=$s2.image mask=$s1.mask"],
        {},
    ),
]

LAST_IMAGE = {"input": {"image": "image"}, "last": {"image": "image", "mask": "mask"}}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("put it on this picture", ["edit:composite background=$input.image image=$last.image"]),
        ("paste the cut-out onto this photo", ["edit:composite background=$input.image image=$last.image"]),
        (
            "put the dog from the last picture on this one",
            ["segment image=$last.image", "edit:composite background=$input.image image=$last.image mask=$s1.mask"],
        ),
    ],
)
def test_composite_rows(toolbox, text, expected):
    plan = RulePlanner().plan(PlanRequest(text=text, inputs=LAST_IMAGE), toolbox)
    assert validate_plan(plan, toolbox, LAST_IMAGE) == [] and compact(plan) == expected


def test_composite_without_an_earlier_picture_says_what_to_do(toolbox):
    plan = RulePlanner().plan(PlanRequest(text="put it on this picture", inputs=IMG), toolbox)
    assert not plan.steps and "cut the object out" in plan.answer


@pytest.mark.parametrize("text,expected,args", ROWS, ids=[r[0] for r in ROWS])
def test_everyday_edit_rows(toolbox, text, expected, args):
    plan = plan_of(toolbox, text)
    assert compact(plan) == expected
    for i, want in args.items():
        for k, v in want.items():
            assert (
                plan.steps[i].args.get(k) == pytest.approx(v)
                if isinstance(v, float)
                else plan.steps[i].args.get(k) == v
            )


def test_at_least_60_new_rows():
    assert len(ROWS) >= 60


# -- outcomes on real photos ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    from vitron_agent.runtime.agent import Agent

    return Agent(data_dir=tmp_path_factory.mktemp("edits"))


def run_image(agent, text, image):
    r = agent.run(text, image=image)
    assert r.ok, r.answer
    return agent.load(r.steps[-1].outputs["image"]["value"]), r


def test_geometry_on_a_photo(agent):
    cat = data.chelsea()  # 300 x 451
    out, _ = run_image(agent, "flip the image horizontally", cat)
    assert np.array_equal(out, cat[:, ::-1])
    out, _ = run_image(agent, "rotate it 90 degrees", cat)
    assert out.shape == (451, 300, 3) and np.array_equal(out, np.rot90(cat, -1))  # clockwise
    out, _ = run_image(agent, "rotate it 30 degrees", cat)
    assert out.shape[0] > 300 and out.shape[1] > 451 and out[0, 0].sum() == 0  # canvas grown, corner filled
    out, _ = run_image(agent, "resize it to half size", cat)
    assert out.shape == (150, 226, 3)
    out, _ = run_image(agent, "resize it to 200 pixels wide", cat)
    assert out.shape == (133, 200, 3)


def test_tone_edits_move_the_measured_quantity(agent):
    import cv2

    photo = data.coffee()
    lab = cv2.cvtColor(photo, cv2.COLOR_RGB2LAB).astype(float)
    warm, _ = run_image(agent, "make it warmer", photo)
    cool, _ = run_image(agent, "make it cooler", photo)
    b = lambda im: cv2.cvtColor(im, cv2.COLOR_RGB2LAB)[..., 2].astype(float).mean()  # noqa: E731 - yellow-blue
    assert b(warm) > lab[..., 2].mean() + 5 > lab[..., 2].mean() - 5 > b(cool)
    vivid, _ = run_image(agent, "make the colours more vivid", photo)

    def chroma(im):
        return np.hypot(*(cv2.cvtColor(im, cv2.COLOR_RGB2LAB)[..., 1:].astype(float) - 128).transpose(2, 0, 1)).mean()  # noqa: E731

    assert chroma(vivid) > 1.2 * chroma(photo)
    sharp, _ = run_image(agent, "make the image sharper", photo)
    lap = lambda im: cv2.Laplacian(cv2.cvtColor(im, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var()  # noqa: E731
    assert lap(sharp) > 1.5 * lap(photo)
    noisy = np.clip(photo.astype(int) + np.random.default_rng(0).normal(0, 20, photo.shape), 0, 255).astype(np.uint8)
    clean, _ = run_image(agent, "denoise it", noisy)
    assert np.abs(clean.astype(int) - photo).mean() < np.abs(noisy.astype(int) - photo).mean()


def test_intensity_words_scale_the_edit(agent):
    photo = data.astronaut()
    a_bit, _ = run_image(agent, "make it a bit brighter", photo)
    much, _ = run_image(agent, "make it much brighter", photo)
    assert photo.mean() < a_bit.mean() < much.mean()


def test_exclusion_leaves_the_kept_object_exactly(agent):
    photo = data.astronaut()
    out, r = run_image(agent, "darken the room but keep the person unchanged", photo)
    mask = agent.load(r.steps[0].outputs["mask"]["value"])
    assert np.array_equal(out[mask], photo[mask]) and out[~mask].mean() < photo[~mask].mean() - 20


def test_outline_draws_on_the_contour_only(agent):
    photo = data.coffee()
    out, r = run_image(agent, "outline the cup in green", photo)
    changed = np.abs(out.astype(int) - photo).sum(-1) > 30
    mask = agent.load(r.steps[0].outputs["mask"]["value"])
    import cv2

    ring = cv2.dilate(mask.astype(np.uint8), np.ones((9, 9), np.uint8)) ^ cv2.erode(
        mask.astype(np.uint8), np.ones((9, 9), np.uint8)
    )
    assert changed.any() and changed[ring == 0].mean() < 0.001  # only along the contour
    assert out[changed][:, 1].mean() > out[changed][:, 0].mean() + 40  # green


def test_a_shade_is_painted_as_that_shade(agent):
    photo = data.coffee()
    dark, _ = run_image(agent, "make the cup dark green", photo)
    light, r = run_image(agent, "make the cup light green", photo)
    mask = agent.load(r.steps[0].outputs["mask"]["value"])
    assert dark[mask].mean() < light[mask].mean() - 15
    assert dark[mask][:, 1].mean() > dark[mask][:, 0].mean()  # green dominates red


def test_cut_out_and_put_on_white(agent):
    photo = data.coffee()
    out, r = run_image(agent, "cut out the cup and put it on a white background", photo)
    mask = agent.load(r.steps[0].outputs["mask"]["value"])
    assert (out[~mask] == 255).all() and np.array_equal(out[mask], photo[mask])


def test_a_cut_out_is_transparent_outside_the_mask_and_survives_edits(agent, tmp_path):
    from PIL import Image

    photo = data.coffee()
    cut, r = run_image(agent, "cut out the cup then flip it", photo)
    mask = agent.load(r.steps[0].outputs["mask"]["value"])[:, ::-1]
    assert cut.shape == photo.shape[:2] + (4,) and np.array_equal(cut[..., 3] == 255, mask)
    assert np.array_equal(cut[mask][:, :3], photo[:, ::-1][mask])  # colours untouched inside
    assert "cut it out (a PNG, transparent around it)" in r.answer
    path = agent.store_for(r.session).path(agent_ref(r.steps[-1].outputs["image"]["value"]))
    with Image.open(path) as im:  # what --out and the server hand out: an RGBA PNG
        assert im.mode == "RGBA" and np.array_equal(np.asarray(im), cut)


def agent_ref(value):
    from vitron_agent.core.refs import ref_from_dict

    return ref_from_dict(value)


def test_a_cut_out_goes_onto_the_next_turns_picture(agent):
    cup = data.coffee()  # 400 x 600
    r = agent.run("cut out the cup", image=cup, session="paste")
    cut = agent.load(r.steps[-1].outputs["image"]["value"])
    scene = data.astronaut()  # 512 x 512
    r2 = agent.run("put it on this picture", image=scene, session="paste")
    assert r2.ok, r2.answer
    out = agent.load(r2.steps[-1].outputs["image"]["value"])
    assert out.shape == scene.shape
    changed = np.abs(out.astype(int) - scene).sum(-1) > 30
    ys, xs = np.nonzero(cut[..., 3])
    h, w = np.ptp(ys) + 1, np.ptp(xs) + 1
    s = min(1.0, 0.9 * 512 / w, 0.9 * 512 / h)  # scaled down to fit, centred
    assert abs(changed.sum() / (cut[..., 3] > 0).sum() - s * s) < 0.15 * s * s
    cy, cx = np.nonzero(changed)
    assert abs(cy.mean() - 256) < 60 and abs(cx.mean() - 256) < 60
    same = agent.run("put it on this picture", session="paste2", image=cup)  # no cut-out before: said
    assert not same.ok or "cut" in same.answer


def test_colour_answers_name_the_shade():
    from vitron_agent.perception.colors import shade_phrase

    rng = np.random.default_rng(0)

    def patch(rgb):
        return np.clip(np.array(rgb) + rng.normal(0, 10, (4000, 3)), 0, 255).astype(np.uint8)

    assert shade_phrase(patch((240, 170, 130)), "orange") == "peach/orange"  # a peach dahlia, not brown
    assert shade_phrase(patch((20, 30, 100)), "purple") == "navy/blue"
    assert shade_phrase(patch((220, 30, 35)), "red") == "red"
    assert shade_phrase(patch((128, 128, 128)), "gray") == "gray"


def test_a_tiny_mask_for_a_named_target_holds_the_edit(agent):
    r = agent.run("make the yellow flower blue", image=data.astronaut())
    assert r.steps[1].error_kind == "held" and any("covers only" in w for w in r.warnings)


def test_the_colour_of_a_red_object_is_red_not_the_metal(agent):
    r = agent.run("what color is the bike?", image=data.stereo_motorcycle()[0])
    assert r.answer.startswith("The bike is red")
