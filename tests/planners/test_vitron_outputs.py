"""Vitron's answers as they really are -> plans.

The first rows are verbatim outputs of the real Vitron: the debug outputs in the history of
SkyworkAI/Vitron's app.py (one per module A-G), the example in its data/README.md, and the
structured-response figure of the paper (assets/structured-response.png). The rest are variants
of them: several modules, truncation, long names, case and spacing, every region convention,
regions outside the image, the user's own region. Each row states the plan it must give.
"""

from __future__ import annotations

import pytest

from vitron_agent.planners.parsing import parse_vitron_output, read_region

WOLF = (
    "Absolutely! Picture this beautiful moment captured in an image: a majestic gray wolf, its fur glistening under "
    "the winter sun, frolicking in the fresh snow with its dedicated keeper. The wolf seems completely at ease, "
    "displaying trust and camaraderie as they engage in their playful interaction.<module>A</module> "
    "<instruction>generation: gray wolf , keeper rollicking about in the snow with a socialised </instruction>"
)
ZEBRA = (
    "Yes, I can help identify the zebra that seems to be at the greatest distance. <module>B</module> "
    "<instruction>segmentation: zebra farthest from you</instruction>"
)
ZEBRA_DATA = (
    "Sure, I'll focus on the zebra that is the farthest from us. <module>B</module> "
    "<instruction>segmentation: zebra farthest from you</instruction>"
)
TRAIN = (
    "Sure thing! I'm going to replace the transport train with a passenger train in the designated area. "
    "<module>C</module> <instruction>generation: a passenger train</instruction>"
)
YOGA = (
    "Absolutely! I have just the video for you. It features a middle-aged woman engaging in sport yoga exercises "
    "alongside her adorable toddler son. They create a wonderful example of a healthy lifestyle, promoting fitness "
    "and the importance of family bonding. Enjoy the video!<module>D</module> <instruction>generation: Middle aged "
    "woman mother doing sport yoga exercises together with her little son toddler boy at home. healthy lifestyle "
    "</instruction>"
)
PINE = (
    "Absolutely! From the video you've provided, a travel blogger is shooting a story on top of the mountains, and "
    "a young man is holding a camera in the forest. Additionally, the image shows a pine forest amongst the "
    "mountains. I will now commence tracking the pine forest throughout the video. <module>E</module> "
    "<instruction>generation: pine forest</instruction>"
)
FIRE = (
    "Absolutely! In the video, a muscular man is performing a fire show with two rotating fireballs on a chain. I "
    "will edit the video to make it look like the man has wings and is performing the fire show in the sky. "
    "<module>F</module> <instruction> foreground: add wings to the man and position him in the sky </instruction> "
    "<instruction> background: keep </instruction> <SP>None</SP>"
)
GIRL = (
    "Absolutely! Your image features a joyful little girl in a pink dress sitting on the floor with her legs "
    "crossed. I will proceed to perform the image-to-video conversion. <module>G</module> <instruction> "
    "generation: happy little girl in pink dress sitting with crossed legs on the floor </instruction>"
)
CLOCK = (
    "Sure! You provide a video where there is a female cop talking on the walkie-talkie, responding emergency call, "
    "crime prevention. Also in the scene, the clock is green in color. Following I will outline the clock in the "
    "video.\n<Module> Video Segmentation </Module>\n<Instruction> segmentation: clock </Instruction>\n"
    "<Region> (23, 35, 11, 26) </Region>"
)
SIZE = (640, 480)
IMG, VID = {"image": "$input.image"}, {"video": "$input.video"}
BOX_IN = {"box": "$input.box"}


def box(x1, y1, x2, y2):
    return {"type": "box", "x1": x1, "y1": y1, "x2": x2, "y2": y2}


def inpaint(mask, prompt, image="$input.image"):
    return ("edit", {"image": image, "operation": "inpaint", "mask": mask, "prompt": prompt})


TRACK_MAIN = ("track", {"video": "$input.video", "target": "the main object"})

# id, text, media ("image" / "video" / ""), options, expected steps, (answer must contain, a note must contain)
ROWS = [
    # -- verbatim outputs of the real Vitron ------------------------------------------------------
    (
        "real-A-wolf",
        WOLF,
        "",
        {},
        [("generate", {"prompt": "gray wolf , keeper rollicking about in the snow with a socialised"})],
        ("majestic gray wolf", None),
    ),
    (
        "real-B-zebra",
        ZEBRA,
        "image",
        {},
        [("segment", {**IMG, "target": "zebra farthest from you"})],
        ("greatest distance.", None),
    ),
    (
        "real-B-zebra-data-readme",
        ZEBRA_DATA,
        "image",
        {},
        [("segment", {**IMG, "target": "zebra farthest from you"})],
        ("farthest from us.", None),
    ),
    (
        "real-C-train",
        TRAIN,
        "image",
        {},
        [("segment", {**IMG, "target": "a passenger train"}), inpaint("$s1.mask", "a passenger train")],
        ("designated area.", "as what to find and repaint"),
    ),
    (
        "real-C-train-user-box",
        TRAIN,
        "image",
        {"user_region": BOX_IN},
        [("segment", {**IMG, **BOX_IN}), inpaint("$s1.mask", "a passenger train")],
        ("designated area.", None),
    ),
    (
        "real-D-yoga",
        YOGA,
        "",
        {},
        [
            (
                "generate_video",
                {
                    "prompt": "Middle aged woman mother doing sport yoga exercises "
                    "together with her little son toddler boy at home. "
                    "healthy lifestyle"
                },
            )
        ],
        ("Enjoy the video!", None),
    ),
    ("real-E-pine", PINE, "video", {}, [("track", {**VID, "target": "pine forest"})], ("pine forest throughout", None)),
    (
        "real-F-fire-keep-background",
        FIRE,
        "video",
        {},
        [
            TRACK_MAIN,
            (
                "edit_video",
                {
                    **VID,
                    "where": "inside",
                    "operation": "inpaint",
                    "prompt": "add wings to the man and position him in the sky",
                    "track": "$s1.track",
                },
            ),
        ],
        ("fire show in the sky.", "leave it as it is"),
    ),
    (
        "real-G-girl",
        GIRL,
        "image",
        {},
        [("animate", {**IMG, "prompt": "happy little girl in pink dress sitting with crossed legs on the floor"})],
        ("image-to-video conversion.", None),
    ),
    (
        "paper-figure-xywh-pixels",
        CLOCK,
        "video",
        {},
        [("track", {**VID, "target": "clock", "box": box(23, 35, 34, 61)})],
        ("outline the clock", "x, y, width, height"),
    ),
    (
        "paper-figure-release-224-frame",
        CLOCK,
        "video",
        {"model_frame": 224},
        [("track", {**VID, "target": "clock", "box": box(65.71, 75, 97.14, 130.71)})],
        (None, "224 x 224 frame"),
    ),
    # -- variants ---------------------------------------------------------------------------------
    (
        "normalised-0-1",
        "<module>B</module><instruction>segmentation: clock</instruction><region>[0.23, 0.35, 0.34, 0.61]</region>",
        "image",
        {},
        [("segment", {**IMG, "target": "clock", "box": box(147.2, 168, 217.6, 292.8)})],
        (None, None),
    ),
    (
        "percent",
        "<module>B</module><instruction>segmentation: clock</instruction><region>(23%, 35%, 45%, 61%)</region>",
        "image",
        {},
        [("segment", {**IMG, "target": "clock", "box": box(147.2, 168, 288, 292.8)})],
        (None, None),
    ),
    (
        "labelled-xywh",
        "<module>B</module><instruction>segmentation: clock</instruction><region>x: 23, y: 35, w: 11, h: 26</region>",
        "image",
        {},
        [("segment", {**IMG, "target": "clock", "box": box(23, 35, 34, 61)})],
        (None, None),
    ),
    (
        "explicit-xywh-setting",
        "<module>B</module><instruction>segmentation: clock</instruction><region>[10, 20, 30, 40]</region>",
        "image",
        {"region_layout": "xywh"},
        [("segment", {**IMG, "target": "clock", "box": box(10, 20, 40, 60)})],
        (None, None),
    ),
    (
        "release-frame-224",
        "<module>B</module><instruction>segmentation: the left half</instruction><region>[0, 0, 112, 224]</region>",
        "image",
        {"model_frame": 224},
        [("segment", {**IMG, "target": "the left half", "box": box(0, 0, 320, 480)})],
        (None, "224 x 224 frame"),
    ),
    (
        "clipped-at-the-border",
        "<module>B</module><instruction>segmentation: dog</instruction><region>[600, 400, 700, 520]</region>",
        "image",
        {},
        [("segment", {**IMG, "target": "dog", "box": box(600, 400, 640, 480)})],
        (None, "clipped it to (600, 400, 640, 480)"),
    ),
    (
        "outside-the-image",
        "<module>B</module><instruction>segmentation: dog</instruction><region>[700, 500, 800, 600]</region>",
        "image",
        {},
        [("segment", {**IMG, "target": "dog"})],
        (None, "outside the 640 x 480 image"),
    ),
    (
        "two-modules-case-and-spacing",
        "Okay. <MODULE> b </MODULE>< instruction >segmentation: the dog</ instruction >\n"
        "<Module>Image Editing</Module><Instruction>generation: a cat</Instruction>",
        "image",
        {},
        [("segment", {**IMG, "target": "the dog"}), inpaint("$s1.mask", "a cat")],
        ("Okay.", None),
    ),
    (
        "truncated",
        "Sure. <module>B</module> <instruction>segmentation: the red car on the le",
        "image",
        {},
        [("segment", {**IMG, "target": "the red car on the le"})],
        ("Sure.", "cut off"),
    ),
    (
        "module-named-module-c",
        "<module>Module C</module><instruction>editing: a wooden boat</instruction><region>(10, 20, 110, 90)</region>",
        "image",
        {},
        [("segment", {**IMG, "box": box(10, 20, 110, 90)}), inpaint("$s1.mask", "a wooden boat")],
        (None, None),
    ),
    (
        "long-name-with-module-suffix",
        "<module>Image Segmentation Module</module><instruction>the cat</instruction>",
        "image",
        {},
        [("segment", {**IMG, "target": "the cat"})],
        (None, None),
    ),
    (
        "semicolon-targets",
        "<module>C</module><instruction>generation: a red hat; a blue scarf</instruction>",
        "image",
        {},
        [
            ("segment", {**IMG, "target": "a red hat"}),
            ("segment", {**IMG, "target": "a blue scarf"}),  # both on the input
            inpaint("$s1.mask", "a red hat"),
            inpaint("$s2.mask", "a blue scarf", "$s3.image"),
        ],
        (None, "inpainted in turn"),
    ),
    (
        "F-keep-foreground",
        "<module>F</module><instruction>foreground: keep</instruction>"
        "<instruction>background: a snowy forest</instruction>",
        "video",
        {},
        [
            TRACK_MAIN,
            (
                "edit_video",
                {**VID, "where": "outside", "operation": "inpaint", "prompt": "a snowy forest", "track": "$s1.track"},
            ),
        ],
        (None, "leave it as it is"),
    ),
    (
        "F-user-box",
        "<module>F</module><instruction>foreground: a robot</instruction>",
        "video",
        {"user_region": BOX_IN},
        [
            ("track", {**VID, **BOX_IN}),
            (
                "edit_video",
                {**VID, "where": "inside", "operation": "inpaint", "prompt": "a robot", "track": "$s1.track"},
            ),
        ],
        (None, None),
    ),
    (
        "E-user-box-no-region",
        "<module>E</module><instruction>segmentation: clock</instruction>",
        "video",
        {"user_region": BOX_IN},
        [("track", {**VID, "target": "clock", **BOX_IN})],
        (None, None),
    ),
    (
        "B-user-scribble",
        "<module>B</module><instruction>segmentation: this</instruction>",
        "image",
        {"user_region": {"scribble": "$input.scribble"}},
        [("segment", {**IMG, "target": "this", "scribble": "$input.scribble"})],
        (None, None),
    ),
    ("other-tags-only", "Hello! <SP>None</SP></s>", "image", {}, [], ("Hello!", None)),
    (
        "tag-cut-off-at-the-end",
        "Sure. <module>B</module> <instruction>segmentation: the cat</instruction> <mod",
        "image",
        {},
        [("segment", {**IMG, "target": "the cat"})],
        ("Sure.", None),
    ),
    (
        "two-regions",
        "<module>B</module><instruction>segmentation: the dogs</instruction><region>[1, 2, 30, 40]</region>"
        "<region>[50, 60, 70, 80]</region>",
        "image",
        {},
        [("segment", {**IMG, "target": "the dogs", "box": box(1, 2, 30, 40)})],
        (None, "first of the 2 regions"),
    ),
    (
        "name-with-a-2",
        "<module>Image2Video</module><instruction>generation: the waves roll</instruction>",
        "image",
        {},
        [("animate", {**IMG, "prompt": "the waves roll"})],
        (None, None),
    ),
    (
        "point-region",
        "<module>B</module><instruction>segmentation: the cup</instruction><region>(320, 240)</region>",
        "image",
        {},
        [("segment", {**IMG, "target": "the cup", "point": {"type": "point", "x": 320, "y": 240}})],
        (None, "as a point"),
    ),
    (
        "normalised-point-for-tracking",
        "<module>E</module><instruction>segmentation: ball</instruction><region>[0.5, 0.25]</region>",
        "video",
        {},
        [("track", {**VID, "target": "ball", "point": {"type": "point", "x": 320, "y": 120}})],
        (None, "as a point"),
    ),
    (
        "B-two-instructions",
        "<module>B</module><instruction>segmentation: the cat</instruction>"
        "<instruction>segmentation: the dog</instruction>",
        "image",
        {},
        [("segment", {**IMG, "target": "the cat"}), ("segment", {**IMG, "target": "the dog"})],
        (None, None),
    ),
    (
        "B-semicolon-targets",
        "<module>B</module><instruction>segmentation: the cat; the dog</instruction>",
        "image",
        {},
        [("segment", {**IMG, "target": "the cat"}), ("segment", {**IMG, "target": "the dog"})],
        (None, None),
    ),
    (
        "C-replace-x-with-y",
        "<module>C</module><instruction>editing: replace the train with a passenger train</instruction>",
        "image",
        {},
        [("segment", {**IMG, "target": "the train"}), inpaint("$s1.mask", "a passenger train")],
        (None, None),
    ),
    (
        "letter-with-its-name",
        "<module>B (image segmentation)</module><instruction>segmentation: the cat</instruction>",
        "image",
        {},
        [("segment", {**IMG, "target": "the cat"})],
        (None, None),
    ),
    ("module-without-instruction", "I can do that. <module>A</module>", "", {}, [], ("I can do that.", "without an")),
]


@pytest.fixture(scope="module")
def full_box(tiny_dir):
    from vitron_agent.runtime.toolset import build_toolbox
    from vitron_agent.toolkit.config import load_config

    return build_toolbox(load_config(tiny_dir / "vitron.toml"))


def plan_for(toolbox, text, media, options):
    kw = {
        "image": "$input.image" if media == "image" else None,
        "video": "$input.video" if media == "video" else None,
        "size": SIZE if media else None,
    }
    return parse_vitron_output(text, toolbox, **kw, **options)


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_vitron_output_table(full_box, row):
    _, text, media, options, expected, (answer, note) = row
    plan = plan_for(full_box, text, media, options)
    assert [(s.tool, s.args) for s in plan.steps] == expected, plan.notes
    if answer is not None:
        assert answer in (plan.answer or "")
    for tag in ("<SP>", "None</", "</s>", "<module", "<instruction"):
        assert tag not in (plan.answer or "")
    if note is not None:
        assert any(note in n for n in plan.notes), plan.notes


def test_the_table_has_the_real_outputs_and_enough_rows():
    assert len(ROWS) >= 20
    assert sum(r[0].startswith(("real-", "paper-")) for r in ROWS) >= 9


def test_vitron_own_regexes_agree_on_module_and_instruction(full_box):
    """Beside Vitron's app.py parse (module = first <module>, instructions = split(':')[-1])."""
    import re

    for text in (WOLF, ZEBRA, TRAIN, YOGA, PINE, FIRE, GIRL, ZEBRA_DATA):
        module = re.search(r"<module>(.*?)</module>", text).group(1)
        instructions = [m.split(":")[-1].strip() for m in re.findall(r"<instruction>(.*?)</instruction>", text)]
        plan = plan_for(full_box, text, "video" if module in "EF" else "image", {})
        prompts = [s.args.get("prompt") or s.args.get("target") for s in plan.steps]
        assert instructions[0] in prompts, (module, prompts)


@pytest.mark.parametrize(
    "content,size,kw,expected",
    [
        ("(1, 2, 3, 4)", None, {}, box(1, 2, 3, 4)),
        ("[0.5, 0.5, 1.0, 1.0]", (200, 100), {}, box(100, 50, 200, 100)),
        ("[50, 50, 100, 100]", (200, 100), {"region_units": "percent"}, box(100, 50, 200, 100)),
        ("[-10, -5, 50, 60]", (200, 100), {}, box(0, 0, 50, 60)),
        ("left half", (200, 100), {}, None),
        ("(5, 5, 0, 0)", (200, 100), {}, None),
        ("[0.2, 0.2, 0.4, 0.4]", None, {}, None),
    ],
)
def test_read_region(content, size, kw, expected):
    found, notes = read_region(content, size, kw.get("region_layout", "auto"), kw.get("region_units", "auto"))
    assert found == expected
    if expected is None:
        assert notes  # never silently dropped


def test_replayed_tags_use_the_users_box(full_box):
    """Every reader of Vitron's format (live planner, --replay) hands the user's region to the steps."""
    from vitron_agent.planners.base import PlanRequest
    from vitron_agent.planners.replay import ReplayPlanner

    planner = ReplayPlanner(["Sure. <module>B</module><instruction>segmentation: this</instruction>"], format="tags")
    plan = planner.plan(
        PlanRequest(text="segment this", inputs={"input": {"image": "image", "box": "box"}, "last": {}}), full_box
    )
    assert [(s.tool, s.args.get("box")) for s in plan.steps] == [("segment", "$input.box")]
