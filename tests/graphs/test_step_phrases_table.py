"""The answer's words for each built-in tool's step, both tenses, pinned: the phrases moved from
graphs/step_phrases.py into the tools' declarations (registry.Traits.phrase) word for word; these
are the wording the old table gave (one step, with a record that has a 64x48 image)."""

from __future__ import annotations

import pytest

from vitron_agent.graphs.step_phrases import phrases
from vitron_agent.toolkit import registry
from vitron_agent.toolkit.plan import Plan

CASES = [
    ("segment", {"image": "$input.image", "target": "cat"}, "selected the cat", "select the cat"),
    (
        "segment",
        {"image": "$input.image", "point": [3, 4]},
        "selected the region you marked",
        "select the region you marked",
    ),
    (
        "track",
        {"video": "$input.video", "target": "the dog"},
        "followed the dog through the video",
        "follow the dog through the video",
    ),
    ("ground", {"image": "$input.image", "target": "bird"}, "found the bird", "find the bird"),
    ("detect", {"image": "$input.image", "target": "cars"}, "looked for cars", "look for cars"),
    ("count", {"image": "$input.image", "target": "apples"}, "counted apples", "count apples"),
    ("generate", {"prompt": "a red boat"}, "made a picture of a red boat", "make a picture of a red boat"),
    ("generate_video", {"prompt": "waves"}, "made a video of waves", "make a video of waves"),
    ("animate", {"image": "$input.image"}, "animated the picture", "animate the picture"),
    ("reverse_video", {"video": "$input.video"}, "reversed the video", "reverse the video"),
    ("concat_videos", {"videos": ["$input.video", "$input.video"]}, "joined the videos", "join the videos"),
    ("export_gif", {"video": "$input.video"}, "made a GIF", "make a GIF"),
    ("describe_video", {"video": "$input.video"}, "described the video", "describe the video"),
    ("read_text", {"image": "$input.image"}, "read the text", "read the text"),
    ("describe", {"image": "$input.image"}, "described the picture", "describe the picture"),
    ("describe", {"image": "$input.image", "mask": "$input.mask"}, "described it", "describe it"),
    (
        "frame",
        {"video": "$input.video", "time": 2.5},
        "took the frame at 2.5 s of the video",
        "take the frame at 2.5 s of the video",
    ),
    ("frame", {"video": "$input.video", "index": 3}, "took frame 3 of the video", "take frame 3 of the video"),
    (
        "frame",
        {"video": "$input.video", "position": "last"},
        "took the last frame of the video",
        "take the last frame of the video",
    ),
    ("speed_video", {"video": "$input.video", "factor": 2}, "sped the video up 2×", "speed the video up 2×"),
    (
        "speed_video",
        {"video": "$input.video", "factor": 0.5},
        "slowed the video to 0.5× speed",
        "slow the video to 0.5× speed",
    ),
    ("loop_video", {"video": "$input.video", "times": 3}, "looped the video (3 plays)", "loop the video (3 plays)"),
    ("mute_video", {"video": "$input.video"}, "removed the sound", "remove the sound"),
    (
        "find_in_video",
        {"video": "$input.video", "target": "the video", "question": "how_long"},
        "read the video's length and size",
        "read the video's length and size",
    ),
    ("trim_video", {"video": "$input.video", "start": 0, "end": 2}, "trimmed the video", "trim the video"),
    (
        "edit",
        {"image": "$input.image", "operation": "flip", "direction": "vertical"},
        "flipped the picture upside down",
        "flip the picture upside down",
    ),
    (
        "edit",
        {"image": "$input.image", "operation": "rotate", "angle": 90},
        "rotated the picture 90° clockwise",
        "rotate the picture 90° clockwise",
    ),
    (
        "edit",
        {"image": "$input.image", "operation": "resize", "scale": 0.5},
        "resized the picture to 64x48 pixels",
        "resize the picture",
    ),
    (
        "edit",
        {"image": "$input.image", "operation": "crop", "aspect": "1:1"},
        "cropped the picture",
        "crop the picture",
    ),
    (
        "edit",
        {"image": "$input.image", "operation": "grayscale"},
        "made the picture black and white",
        "make the picture black and white",
    ),
    (
        "edit",
        {"image": "$input.image", "operation": "outline", "mask": "$input.mask"},
        "outlined the region you marked in red",
        "outline the region you marked",
    ),
    (
        "edit",
        {"image": "$input.image", "operation": "recolor", "mask": "$last.mask", "where": "outside", "color": "blue"},
        "made everything except it blue",
        "make everything except it blue",
    ),
    (
        "edit",
        {"image": "$input.image", "operation": "inpaint", "mask": "$input.mask", "prompt": "a plant"},
        "replaced the region you marked with a plant",
        "replace the region you marked with a plant",
    ),
    ("edit_video", {"video": "$input.video", "operation": "blur"}, "blurred the video", "blur the video"),
    (
        "edit_video",
        {"video": "$input.video", "operation": "flip"},
        "flipped the video left to right",
        "flip the video left to right",
    ),
    (
        "count_in_video",
        {"video": "$input.video", "target": "cars"},
        "counted cars through the video",
        "count cars through the video",
    ),
    (
        "find_in_video",
        {"video": "$input.video", "target": "the dog"},
        "looked for the dog through the video",
        "look for the dog through the video",
    ),
]


@pytest.mark.parametrize("tool, args, done, todo", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_built_in_step_is_said_as_before(tool, args, done, todo):
    plan = Plan.model_validate({"steps": [{"id": "s1", "tool": tool, "args": args}]})
    record = {"s1": {"outputs": {"image": {"value": {"width": 64, "height": 48}}}}}
    assert phrases(plan, record)["s1"] == done
    assert phrases(plan, record, past=False)["s1"] == todo


def test_every_built_in_tool_declares_its_phrase():
    """A tool without a declared phrase is said as "ran <tool>" (the video questions were, when they
    failed)."""
    built_in = {t for (t, _), b in registry.backends().items() if b.cls.__module__.startswith("vitron_agent.tools.")}
    undeclared = sorted(t for t in built_in if registry.traits(t).phrase is None)
    assert undeclared == []
