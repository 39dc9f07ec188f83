"""The answer people read (issue 41 item 5): what was done in one plain sentence first, what was
found in the tools' own words, failures and skips in words; no step ids, tool or model names or raw
scores in it (those are in answer_details: --verbose, the report, JSON); an assumed or unsure
result still says so first."""

from __future__ import annotations

import re

from vitron_agent.graphs.respond import answer_details, compose_answer
from vitron_agent.toolkit.plan import Plan, Step

METHOD = "SSD-MobileNetV2 recognised cat 0.91"


def ok(outputs: dict | None = None, method: str | None = None) -> dict:
    outs = dict(outputs or {})
    if method:
        outs["method"] = {"kind": "text", "value": method}
    return {"status": "ok", "outputs": outs, "seconds": 0.25}


MASK = {"mask": {"kind": "mask", "value": {"area": 0.1}}}  # (a removal over 12 % is said first: test_large_fill)
IMAGE = {"image": {"kind": "image", "value": {"width": 451, "height": 300}}}


def text(value: str) -> dict:
    return ok({"text": {"kind": "text", "value": value}})


def demo_plan() -> Plan:
    return Plan(
        steps=[
            Step(id="s1", tool="segment", args={"image": "$input.image", "target": "the cat"}),
            Step(
                id="s2",
                tool="edit",
                args={"image": "$input.image", "mask": "$s1.mask", "operation": "recolor", "color": "purple"},
            ),
            Step(id="s3", tool="describe", args={"image": "$s2.image", "mask": "$s1.mask"}),
        ]
    )


def test_the_demo_answer_leads_with_what_was_done_then_what_was_found():
    records = {"s1": ok(MASK, METHOD), "s2": ok(IMAGE), "s3": text("A purple cat's face fills most of the picture.")}
    answer = compose_answer(demo_plan(), records, [])
    assert answer.splitlines() == [
        "I selected the cat and made it purple.",
        "A purple cat's face fills most of the picture.",
    ]
    assert not re.search(r"\bs\d\b|SSD|MobileNet|0\.91|Done:", answer)
    details = answer_details(demo_plan(), records)
    assert "s1 segment(target='the cat'): ok, mask covering 10.0% of the image, by " + METHOD in details
    assert "s2 edit(" in details and "451x300 image" in details
    records["s3"]["outputs"]["method"] = {"kind": "text", "value": "SSD-MobileNetV2 cat 0.88"}
    assert "    method: SSD-MobileNetV2 cat 0.88" in answer_details(demo_plan(), records)
    assert "SSD" not in compose_answer(demo_plan(), records, [])


def test_edits_read_as_sentences():
    cases = [
        (
            [Step(id="s1", tool="edit", args={"operation": "rotate", "angle": -90.0})],
            "I rotated the picture 90° counter-clockwise.",
        ),
        (
            [Step(id="s1", tool="edit", args={"operation": "flip", "direction": "vertical"})],
            "I flipped the picture upside down.",
        ),
        (
            [
                Step(id="s1", tool="segment", args={"target": "the bus"}),
                Step(id="s2", tool="edit", args={"mask": "$s1.mask", "operation": "grayscale", "where": "outside"}),
            ],
            "I selected the bus and made everything except the bus black and white.",
        ),
        (
            [
                Step(id="s1", tool="segment", args={"target": "the main object"}),
                Step(id="s2", tool="edit", args={"mask": "$s1.mask", "operation": "blur_background"}),
                Step(id="s3", tool="edit", args={"image": "$s2.image", "operation": "sharpen"}),
            ],
            "I selected the main object, blurred the background and sharpened the picture.",
        ),
        (
            [Step(id="s1", tool="edit", args={"mask": "$last.mask", "operation": "recolor", "color": "red"})],
            "I made it red.",
        ),
        ([Step(id="s1", tool="frame", args={"time": 5.0})], "I took the frame at 5 s of the video."),
        (
            [  # a model-backed plan: the grounded box prompts the segmenter; said once
                Step(id="s1", tool="ground", args={"target": "the cat"}),
                Step(id="s2", tool="segment", args={"box": "$s1.box"}),
                Step(id="s3", tool="edit", args={"mask": "$s2.mask", "operation": "inpaint", "prompt": "a dog"}),
            ],
            "I selected the cat and replaced it with a dog.",
        ),
        ([Step(id="s1", tool="speed_video", args={"factor": 0.5})], "I slowed the video to 0.5× speed."),
    ]
    for steps, want in cases:
        records = {s.id: ok(IMAGE) for s in steps}
        assert compose_answer(Plan(steps=steps), records, []) == want


def test_failures_and_skips_are_said_in_words():
    plan = demo_plan()
    records = {
        "s1": ok(MASK),
        "s2": {"status": "error", "error": "the colour 'purplish' is unknown"},
        "s3": {"status": "skipped"},
    }
    answer = compose_answer(plan, records, [])
    assert answer.splitlines() == [
        "I selected the cat.",
        "I could not make it purple: the colour 'purplish' is unknown.",
        "I did not describe the result, because a step before it did not complete.",
    ]
    assert "s2 edit(" in answer_details(plan, records) and "the colour 'purplish' is unknown" in answer_details(
        plan, records
    )


def test_an_assumed_target_is_still_said_first():
    plan = Plan(
        steps=[
            Step(id="s1", tool="segment", args={"target": "the flag"}),
            Step(id="s2", tool="edit", args={"mask": "$s1.mask", "operation": "blur"}),
        ]
    )
    method = "cannot recognise 'flag' by name, so it took the red regions"
    records = {"s1": ok({"mask": {"kind": "mask", "value": {"area": 0.2}}}, method), "s2": ok(IMAGE)}
    lines = compose_answer(plan, records, []).splitlines()
    assert lines[0].startswith("I can't recognise 'flag' by name, so I took the red regions")
    assert "(s1)" not in lines[0] and lines[1] == "I took the red regions as the flag and blurred it."


def test_plan_free_answers_and_problems_are_unchanged():
    assert compose_answer(Plan(answer="I could not turn 'x' into steps."), {}, []) == "I could not turn 'x' into steps."
    assert compose_answer(Plan(), {}, ["s1: unknown tool 'x'"]).startswith("I could not make a valid plan")


def test_the_cli_prints_the_plain_answer_and_the_steps_only_with_verbose(tmp_path, capsys):
    from PIL import Image

    from vitron_agent.cli import main

    photo = tmp_path / "p.png"
    Image.new("RGB", (64, 48), (120, 140, 160)).save(photo)
    argv = ["run", "--image", str(photo), "--quiet", "--out", str(tmp_path / "o"), "make it warmer"]
    assert main(argv) == 0
    plain = capsys.readouterr().out
    assert plain.startswith("I made the picture warmer.") and "Steps:" not in plain and "s1" not in plain
    assert main([*argv[:-1], "--verbose", "make it warmer"]) == 0
    verbose = capsys.readouterr().out
    assert verbose.startswith("I made the picture warmer.") and "\nSteps:\n  s1 edit(operation='warmer'" in verbose


def test_a_possessive_target_is_not_given_another_article():
    """'what colour is its fur?' was answered "I could not select the its fur"."""
    for target, said in [
        ("its fur", "its fur"),
        ("his face", "his face"),
        ("those cups", "those cups"),
        ("dog", "the dog"),
    ]:
        plan = Plan(steps=[Step(id="s1", tool="segment", args={"image": "$input.image", "target": target})])
        assert compose_answer(plan, {"s1": ok(MASK, METHOD)}, []).splitlines()[0] == f"I selected {said}."


def test_a_marked_region_is_said_as_marked_not_as_the_main_object():
    """'remove this' with a box said "I selected the main object and removed it"."""
    plan = Plan(
        steps=[
            Step(
                id="s1",
                tool="segment",
                args={"image": "$input.image", "target": "the main object", "box": "$input.box"},
            ),
            Step(id="s2", tool="edit", args={"image": "$input.image", "mask": "$s1.mask", "operation": "remove"}),
        ]
    )
    said = compose_answer(plan, {"s1": ok(MASK, METHOD), "s2": ok(IMAGE)}, []).splitlines()[0]
    assert said == "I selected the region you marked and removed it."


def test_a_refusal_given_as_answer_and_note_is_said_once():
    """'make it look like autumn' printed the generative-editor refusal twice."""
    said = "Instruction editing needs a generative editor: set [tools.edit] backend; I skipped 'x'."
    assert compose_answer(Plan(steps=[], answer=said, notes=[said]), {}, []) == said


def test_plural_selections_are_them():
    """'remove the people and the bus' said "I selected the people and the bus and removed it"."""
    for target, pronoun in [
        ("the people", "them"),
        ("the people and the bus", "them"),
        ("the trees", "them"),
        ("the bus", "it"),
        ("the grass", "it"),
        ("the cat", "it"),
    ]:
        plan = Plan(
            steps=[
                Step(id="s1", tool="segment", args={"image": "$input.image", "target": target}),
                Step(id="s2", tool="edit", args={"image": "$input.image", "mask": "$s1.mask", "operation": "remove"}),
            ]
        )
        said = compose_answer(plan, {"s1": ok(MASK, METHOD), "s2": ok(IMAGE)}, []).splitlines()[0]
        assert said == f"I selected {target} and removed {pronoun}.", said


def test_a_selection_made_on_an_assumption_is_said_as_what_was_taken():
    """'I can't recognise 'circuit board' …, so I took the most prominent object' was followed by 'I selected
    the circuit board and made it red': a red chip read as a red board. The selection is said as taken."""
    plan = Plan(
        steps=[
            Step(id="s1", tool="segment", args={"image": "$input.image", "target": "the circuit board"}),
            Step(
                id="s2",
                tool="edit",
                args={"image": "$input.image", "mask": "$s1.mask", "operation": "recolor", "color": "red"},
            ),
        ]
    )
    guessed = (
        "U²-Netp salient object; it cannot recognise 'circuit board' by name, so it took the most prominent "
        "object the phrase points at (U²-Netp's salient object)"
    )
    answer = compose_answer(plan, {"s1": ok(MASK, guessed), "s2": ok(IMAGE)}, [])
    assert answer.splitlines()[0].startswith("I can't recognise 'circuit board' by name")
    assert "I took the most prominent object the phrase points at as the circuit board and made it red." in answer
    assert "selected the circuit board" not in answer and "U²-Netp" not in answer.splitlines()[-1]
    sure = compose_answer(plan, {"s1": ok(MASK, METHOD), "s2": ok(IMAGE)}, [])
    assert sure == "I selected the circuit board and made it red."
