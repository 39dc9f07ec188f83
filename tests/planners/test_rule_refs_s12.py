"""Session 12's reading fixes (readA), each found by the fresh set written before them
(benchmarks/reading/fresh_s12_cases.py): "them" after an answer that named several things is one edit on all
of them (it was an edit of each in turn: "crop to them" cropped to the dog, then looked for the cat in the
crop); "it" after "is there a dog?" is the dog if found (it blurred the whole picture), else a question back;
a purpose's shape ("a phone wallpaper": refused) and a thing kept in a crop ("make sure the house stays in":
a keep-only of "sure the house stays in"); metadata ("remove the location data" erased the main object);
"the second-hand bike" after an answer is no ordinal; "his coat" keeps its owner."""

import pytest

from vitron_agent.planners.base import PlanRequest
from vitron_agent.planners.rule import RulePlanner
from vitron_agent.planners.rule.answer_refs import named_in_answer
from vitron_agent.planners.rule.metadata_records import NOT_READ, STRIPPED
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

DOG_CAT = "I see a brown dog on the left; a cat on the right."
MISS = "though the detector can miss small or partly hidden things"


@pytest.fixture(scope="module")
def planning():
    return RulePlanner(), Toolbox(default_tools())


def _plan(planning, text, answer=None, question="what's in this picture?", tools=("describe",)):
    planner, toolbox = planning
    history = []
    if answer is not None:
        history = [
            {"request": question, "answer": answer, "steps": [{"id": "s1", "tool": t, "status": "ok"} for t in tools]}
        ]
    inputs = {"input": {"image": "image"}, "last": {"image": "image"}}
    return planner.plan(PlanRequest(text=text, inputs=inputs, history=history), toolbox)


def _shape(plan):
    keys = ("target", "operation", "aspect", "color")
    return [(s.tool, {k: s.args[k] for k in keys if k in s.args}) for s in plan.steps]


@pytest.mark.parametrize(
    "answer, names",
    [
        ("There are two cats on a sofa.", ["cats"]),
        ("Yes: I see a bird at the top-left, a bird at the top-right.", ["birds"]),
        (f"I see no dog, {MISS}; I recognise a person and a bench.", []),
        ("I see a man in the middle; a woman on the right.", ["man", "woman"]),
    ],
)
def test_what_an_answer_named(answer, names):
    assert named_in_answer(answer) == names


@pytest.mark.parametrize(
    "text, operation",
    [
        ("crop to them", "crop"),
        ("keep only them", "keep_only"),
        ("cut them out", "cutout"),
        ("make them orange", "recolor"),
        ("make both of them black and white", "grayscale"),  # a tone edit took "the dog" of "the dog and the cat"
    ],
)
def test_them_after_several_things_named_is_one_edit_on_all(planning, text, operation):
    got = _shape(_plan(planning, text, DOG_CAT))
    assert [(t, a.get("target"), a.get("operation")) for t, a in got] == [
        ("segment", "the dog and the cat", None),
        ("edit", None, operation),
    ]


def test_them_after_one_kind_seen_twice_is_all_of_that_kind(planning):
    got = _shape(_plan(planning, "make them orange", "There are two cats on a sofa."))
    assert got[0] == ("segment", {"target": "the cats"})


@pytest.mark.parametrize("text, operation", [("blur it", "blur"), ("pixelate it", "pixelate"), ("darken it", "darken")])
def test_it_after_a_question_about_one_thing_found_is_that_thing(planning, text, operation):
    plan = _plan(planning, text, "Yes: I see a black dog at the bottom-right.", question="is there a dog?")
    assert _shape(plan) == [("segment", {"target": "the dog"}), ("edit", {"operation": operation})]


def test_it_after_a_question_about_one_thing_not_found_is_asked_back(planning):
    plan = _plan(
        planning, "blur it", f"I see no dog, {MISS}; I recognise a person and a bench.", question="is there a dog?"
    )
    assert not plan.steps and "I see none" in plan.answer and "bench" not in plan.answer


def test_a_picture_edit_after_a_question_about_one_thing_stays_the_pictures(planning):
    plan = _plan(
        planning, "rotate it 90 degrees", "Yes: I see a black dog at the bottom-right.", question="is there a dog?"
    )
    assert _shape(plan) == [("edit", {"operation": "rotate"})]


@pytest.mark.parametrize(
    "text, aspect, said",
    [
        ("make it a square for instagram", "1:1", "1080×1080"),
        ("turn it into a phone wallpaper", "9:16", "1080×1920"),
        ("make a banner for twitter", "3:1", "1500×500"),
        ("make it passport photo size", "7:9", "35×45 mm"),
    ],
)
def test_a_purpose_carries_its_shape_said_in_the_answer(planning, text, aspect, said):
    plan = _plan(planning, text)
    assert _shape(plan) == [("edit", {"operation": "crop", "aspect": aspect})]
    assert any(said in n for n in plan.notes)


@pytest.mark.parametrize(
    "text, thing, aspect",
    [
        ("crop it to 16:9 without cropping the dog", "the dog", "16:9"),
        ("make it square but keep the dog in frame", "the dog", "1:1"),
        ("crop to 3:2 and make sure the house stays in", "the house", "3:2"),
        ("crop it to 16:9 and don't cut the cat's ears off", "the cat", "16:9"),
    ],
)
def test_a_thing_kept_in_a_crop_is_a_constraint_on_it(planning, text, thing, aspect):
    plan = _plan(planning, text)
    assert _shape(plan) == [("segment", {"target": thing}), ("edit", {"operation": "crop", "aspect": aspect})]
    assert plan.steps[1].args["margin"] == 1.0 and any("whole" in n for n in plan.notes)


@pytest.mark.parametrize(
    "text", ["blur the background, it's my new profile photo", "crop it 4:5, posting to instagram"]
)
def test_other_edits_and_said_ratios_keep_their_reading(planning, text):
    plan = _plan(planning, text)
    assert not any("usually" in n for n in plan.notes)


@pytest.mark.parametrize(
    "text, answer",
    [
        ("remove the location data", STRIPPED),
        ("strip the metadata", STRIPPED),
        ("get rid of the geotag", STRIPPED),
        ("show me the exif details", NOT_READ),
    ],
)
def test_metadata_is_answered_as_it_is(planning, text, answer):
    plan = _plan(planning, text)
    assert not plan.steps and plan.answer == answer


def test_what_the_session_keeps_and_returns_has_no_exif(tmp_path):
    """STRIPPED's claim: a JPEG's camera and GPS tags are in neither the picture kept nor the result."""
    from PIL import Image
    from skimage import data

    from vitron_agent import Agent

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "TestCam", "Model 1"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    Image.fromarray(data.chelsea()).save(tmp_path / "in.jpg", exif=exif.tobytes())
    assert dict(Image.open(tmp_path / "in.jpg").getexif())
    agent = Agent(data_dir=tmp_path / "data")
    result = agent.run("make it a bit brighter", image=str(tmp_path / "in.jpg"))
    assert result.ok, result.answer
    kept = [f for f in (tmp_path / "data").rglob("*") if f.is_file() and f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"]
    assert len(kept) >= 2  # the picture as kept and the result
    for f in kept:
        im = Image.open(f)
        assert not dict(im.getexif()) and not im.info.get("exif"), f


@pytest.mark.parametrize(
    "text, target",
    [
        ("make the second-hand bike red", "the second-hand bike"),
        ("blur the first-class lounge sign", "the first-class lounge sign"),
    ],
)
def test_a_compound_word_after_an_answer_is_no_ordinal(planning, text, target):
    assert _shape(_plan(planning, text, DOG_CAT))[0] == ("segment", {"target": target})


@pytest.mark.parametrize(
    "text, target", [("make his coat red", "his coat"), ("blur her face", "her face"), ("make my dog white", "dog")]
)
def test_a_persons_part_keeps_its_owner(planning, text, target):
    assert _shape(_plan(planning, text))[0] == ("segment", {"target": target})


@pytest.mark.parametrize(
    "text, target, operation",
    [("I want just the dog sharpened", "the dog", "sharpen"), ("I want only the sky darkened", "the sky", "darken")],
)
def test_a_wish_for_one_thing_done_names_that_thing(planning, text, target, operation):
    got = _shape(_plan(planning, text))
    assert [(t, a.get("target") or a.get("operation")) for t, a in got] == [("segment", target), ("edit", operation)]


@pytest.mark.parametrize(
    "text, kept, operation",
    [
        ("the bride stays sharp, blur everyone else", "the bride", "blur"),
        ("make everything darker but leave the moon bright", "the moon", "darken"),
        ("keep the cat as is and blur the rest", "the cat", "blur"),
        ("blur the whole photo but keep the sign readable", "the sign", "blur"),
    ],
)
def test_what_is_spared_is_left_out_of_the_edit(planning, text, kept, operation):
    plan = _plan(planning, text)
    assert [s.tool for s in plan.steps] == ["segment", "edit"]
    assert plan.steps[0].args["target"] == kept
    assert plan.steps[1].args["operation"] == operation and plan.steps[1].args["where"] == "outside"


@pytest.mark.parametrize(
    "text, target, operation, where",
    [
        ("blur everything in the picture except for the little girl", "the little girl", "blur", "outside"),
        ("sharpen the whole image, not the face though", "the face", "sharpen", "outside"),
        ("can you make it brighter, though not the windows", "the windows", "brighten", "outside"),
        ("I'd like everything blurred except the baby", "the baby", "blur", "outside"),
        ("make the tree orange, nothing else changes", "the tree", "recolor", None),
        ("just pixelate the licence plates, nothing more", "the licence plates", "pixelate", None),
        ("only recolour the door, make it blue", "the door", "recolor", None),
        ("more contrast but only on the mountains", "the mountains", "contrast", None),
        ("I only want the lighthouse, nothing else", "the lighthouse", "keep_only", None),
    ],
)
def test_scope_said_in_more_everyday_forms(planning, text, target, operation, where):
    plan = _plan(planning, text)
    assert [s.tool for s in plan.steps] == ["segment", "edit"], plan
    assert plan.steps[0].args["target"] == target
    assert plan.steps[1].args["operation"] == operation and plan.steps[1].args.get("where") == where


@pytest.mark.parametrize(
    "text, answer",
    [
        ("remove the gps", STRIPPED),
        ("delete the gps from this photo", STRIPPED),
        ("does this photo have gps?", "camera data"),
        ("is there any gps data in it?", "camera data"),
    ],
)
def test_gps_alone_is_the_files_data(planning, text, answer):
    plan = _plan(planning, text)
    assert not plan.steps and answer in plan.answer


@pytest.mark.parametrize(
    "text",
    ["remove the gps from the dashboard", "does the sign show any location info?", "is there a gps on the dashboard?"],
)
def test_things_named_gps_or_location_in_the_picture_are_not_its_metadata(planning, text):
    """Review s12, F10: a GPS unit in the picture, or a sign's location info, is not the file's metadata."""
    plan = _plan(planning, text)
    assert plan.answer not in (STRIPPED, NOT_READ)
