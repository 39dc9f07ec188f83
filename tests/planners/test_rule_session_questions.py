"""Follow-ups and questions in a session (reading7), through the real multi-turn API: each scenario is one
session of an Agent on a synthetic picture or clip, and the last turn's plan (or its plain answer) is checked.
The first 20 were written as a newcomer types them, before any fix: 16 read right then (c051504; three
expectations of mine were corrected first: a background blur is planned as ``blur_background``, "make them
purple" after a count recolours the counted things' mask, and a GIF of a still is said not possible). The
misses: "what colour was it before?" and "how did it look originally?" described the recoloured picture as if
it were the old one (each turn works on the latest result: now said plainly); "what about in the first half
second?" after a count asked "what about?" of the clip (now the count again, on that part); "is it blue now?"
(still open, marked). "what about the background?" was added after the fixes.

A second set of 12 (below the first), written after those fixes: 7 read right (by plan) before the fixes here.
Misses: "does it ever leave?" after tracking a thing (no target: a description said it cannot see actions),
"is it shorter now?" after a reversal (the same), "and what colour was the disc?" after black and white
(described the grey picture), and two in the picture questions' module (marked).
"""

import re

import numpy as np
import pytest

from vitron_agent.media.synthetic import disc_image, moving_disc
from vitron_agent.runtime.agent import Agent

ASK, REFUSE = "ask", "refuse"  # no steps, and a question / no steps, and a plain answer
SCENARIOS = [
    (["trim it to the first second", "now reverse it"], "video", [("reverse_video", {})]),
    (["reverse it", "and mute it too"], "video", [("mute_video", {})]),
    (["speed it up 2x", "a bit slower now"], "video", [("speed_video", {"factor": "<1"})]),
    (["track the red disc", "blur it"], "video", [("edit_video", {"operation": "blur", "track": "$last.track"})]),
    (["track the red disc", "when does it leave?"], "video", [("find_in_video", {"question": "disappear"})]),
    (
        ["is there a red disc in the video?", "when does it appear?"],
        "video",
        [("find_in_video", {"question": "appear"})],
    ),
    (["make it black and white", "now make a gif of it"], "video", [("export_gif", {})]),
    (["trim it to the first second", "loop it 3 times"], "video", [("loop_video", {"times": 3})]),
    (
        ["how many discs are in the video?", "what about in the first half second?"],
        "video",
        [("trim_video", {}), ("count_in_video", {})],
    ),
    (["take the frame at 0.2 seconds", "make it brighter"], "video", [("edit", {"operation": "brighten"})]),
    (["make the red disc green", "what colour was it before?"], "image", REFUSE),
    pytest.param(
        ["make the red disc blue", "is it blue now?"],
        "image",
        [("describe", {"mask": "$last.mask"})],
        marks=pytest.mark.xfail(
            strict=True,
            reason="'is it blue now?' describes the whole picture ('Yes: the image is blue'), not the disc: "
            "picture_questions._do_question binds 'it' to the session's selection only when the colour ends the "
            "question ('is it blue?' does); readA's module, reported",
        ),
    ),
    (["select the red disc", "how big is it?"], "image", [("describe", {"mask": "$last.mask"})]),
    (
        ["select the red disc", "make it yellow, then blur the background"],
        "image",
        [("edit", {"operation": "recolor", "color": "yellow"}), ("edit", {"operation": "blur_background"})],
    ),
    (["blur the background", "now brighten the disc"], "image", [("segment", {}), ("edit", {"operation": "brighten"})]),
    (["count the discs", "make them purple"], "image", [("edit", {"operation": "recolor", "color": "purple"})]),
    (["make it black and white", "is it grayscale now?"], "image", [("describe", {})]),
    (["make the red disc green", "hmm, what colour is it now?"], "image", [("describe", {"mask": "$last.mask"})]),
    (["make the red disc green", "how did it look originally?"], "image", REFUSE),
    (["take the frame at 0.2 seconds", "make a gif of it"], "video", REFUSE),  # a still is no clip: said
    # the second set
    (
        ["how many people are in the video?", "and in the last half second?"],
        "video",
        [("trim_video", {"last": 0.5}), ("count_in_video", {})],
    ),
    (
        ["trim it to the first second", "now slow the last half second down"],
        "video",
        [
            ("trim_video", {"drop_last": 0.5}),
            ("trim_video", {"last": 0.5}),
            ("speed_video", {"factor": "<1"}),
            ("concat_videos", {}),
        ],
    ),
    (["speed it up 2x", "now reverse it and make a gif"], "video", [("reverse_video", {}), ("export_gif", {})]),
    (["track the red disc", "what colour is it?"], "video", [("describe_video", {"track": "$last.track"})]),
    (
        ["track the red disc", "does it ever leave?"],
        "video",
        [("find_in_video", {"target": "the red disc", "question": "disappear"})],
    ),
    (
        ["track the red disc", "when does it appear?"],
        "video",
        [("find_in_video", {"target": "the red disc", "question": "appear"})],
    ),
    (
        ["reverse it", "is it shorter now?"],
        "video",
        [("find_in_video", {"target": "the video", "question": "how_long"})],
    ),
    (["make it black and white", "and what colour was the disc?"], "image", REFUSE),
    (["select the red disc", "where is it?"], "image", [("describe", {"mask": "$last.mask"})]),
    pytest.param(
        ["make the red disc green", "is it still round?"],
        "image",
        [("describe", {"mask": "$last.mask"})],
        marks=pytest.mark.xfail(strict=True, reason="as 'is it blue now?' (picture_questions, readA's)"),
    ),
    (  # the background: outside the main object (question_places), no longer the whole picture
        ["blur the background", "what colour is the background now?"],
        "image",
        [("segment", {}), ("describe", {"place": "outside the main object"})],
    ),
    (
        ["make the red disc green", "what about the background?"],
        "image",
        [("edit", {"operation": "replace_background", "color": "green", "mask": "$last.mask"})],
    ),
]


@pytest.fixture(scope="module")
def agent(tmp_path_factory):
    a = Agent(db=tmp_path_factory.mktemp("session-questions") / "s.sqlite")
    yield a
    a.close()


def _value_ok(want, got) -> bool:
    if want == "<1":
        return got is not None and float(got) < 1
    if isinstance(want, (int, float)):
        return got is not None and abs(float(got) - want) < 1e-6
    return got == want


def _matches(steps, answer, want) -> bool:
    if want in (ASK, REFUSE):
        return not steps and bool(answer) and (want == REFUSE or "?" in answer)
    return [s.tool for s in steps] == [t for t, _ in want] and all(
        _value_ok(v, step.args.get(k)) for step, (_, args) in zip(steps, want, strict=True) for k, v in args.items()
    )


def _id(case) -> str:
    return " / ".join((case.values if hasattr(case, "values") else case)[0])


@pytest.mark.parametrize("turns,medium,want", SCENARIOS, ids=[_id(c) for c in SCENARIOS])
def test_session_turn(agent, turns, medium, want):
    media = {"image": disc_image()[0]} if medium == "image" else {"video": np.stack(moving_disc(frames=12)[0])}
    session = "r7-" + re.sub(r"[^a-z0-9]+", "-", "-".join(turns).lower())[:60]
    for i, text in enumerate(turns):
        result = agent.run(text, session=session, **(media if i == 0 else {}))
    steps = list(result.plan.steps) if result.plan else []
    shown = [(s.tool, {k: v for k, v in s.args.items() if k not in ("image", "video")}) for s in steps]
    assert _matches(steps, result.answer, want), (shown, result.answer)
