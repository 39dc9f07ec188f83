"""Vitron tag format and JSON plan parsers: expected plans, and no exception but
PlanValidationError whatever the text."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vitron_agent.core.errors import PlanValidationError
from vitron_agent.planners.chat import tool_calls_to_plan
from vitron_agent.planners.parsing import parse_json_plan, parse_vitron_output
from vitron_agent.toolkit.plan import Plan
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools


@pytest.fixture(scope="module")
def cv_box():
    return Toolbox(default_tools())


@pytest.fixture(scope="module")
def full_box(tiny_dir):
    from vitron_agent.runtime.toolset import build_toolbox
    from vitron_agent.toolkit.config import load_config

    return build_toolbox(load_config(tiny_dir / "vitron.toml"))


def steps(plan: Plan):
    return [
        (
            s.tool,
            {k: v for k, v in s.args.items() if (k, v) not in (("image", "$input.image"), ("video", "$input.video"))},
        )
        for s in plan.steps
    ]


BOX = {"type": "box", "x1": 10.0, "y1": 20.0, "x2": 110.0, "y2": 90.0}


@pytest.mark.parametrize(
    "text,expected,answer",
    [
        (
            "Here it is. <module>A</module><instruction>generation: a lighthouse at dusk</instruction>",
            [("generate", {"prompt": "a lighthouse at dusk"})],
            "Here it is.",
        ),
        (
            "<module>B</module><instruction>segment: the dog: the brown one</instruction><region>[10, 20, 110, 90]</region> Done.",
            [("segment", {"target": "the dog: the brown one", "box": BOX})],
            "Done.",
        ),
        (
            "<Module> Image Segmentation </Module><Instruction> segmentation: the cat </Instruction><Region> (10, 20, 110, 90) </Region>",
            [("segment", {"target": "the cat", "box": BOX})],
            None,
        ),
        (
            "<module>C</module><instruction>editing: a golden retriever</instruction><region>(10, 20, 110, 90)</region>",
            [
                ("segment", {"box": BOX}),
                ("edit", {"operation": "inpaint", "mask": "$s1.mask", "prompt": "a golden retriever"}),
            ],
            None,
        ),
        (
            "<module>C</module><instruction>editing: a snowman</instruction>",  # Vitron: segment the text, inpaint it
            [
                ("segment", {"target": "a snowman"}),
                ("edit", {"operation": "inpaint", "mask": "$s1.mask", "prompt": "a snowman"}),
            ],
            None,
        ),
        (
            "<module>D</module><instruction>video generation: a dog running on a beach</instruction>",
            [("generate_video", {"prompt": "a dog running on a beach"})],
            None,
        ),
        (
            "<Module> Video Segmentation </Module><Instruction> tracking: the person </Instruction>",
            [("track", {"target": "the person"})],
            None,
        ),
        (
            "<module>F</module><instruction>foreground: make the car red</instruction><instruction>background: snowy street</instruction>",
            [
                ("track", {"target": "the main object"}),
                (
                    "edit_video",
                    {"operation": "inpaint", "where": "inside", "prompt": "make the car red", "track": "$s1.track"},
                ),
                (
                    "edit_video",
                    {
                        "video": "$s2.video",
                        "operation": "inpaint",
                        "where": "outside",
                        "prompt": "snowy street",
                        "track": "$s1.track",
                    },
                ),
            ],
            None,
        ),
        (
            "<module>E</module><instruction>track: the dog</instruction><region>[10, 20, 110, 90]</region>"
            "<module>F</module><instruction>background: a beach</instruction>",
            [
                ("track", {"target": "the dog", "box": BOX}),
                ("edit_video", {"operation": "inpaint", "where": "outside", "prompt": "a beach", "track": "$s1.track"}),
            ],
            None,
        ),
        (
            "<module>G</module><instruction>animation: the waves move</instruction>",
            [("animate", {"prompt": "the waves move"})],
            None,
        ),
        (
            "<module>B</module><instruction>segment: the cat</instruction> then <module>C</module><instruction>edit: a tiger</instruction>",
            [
                ("segment", {"target": "the cat"}),
                ("edit", {"operation": "inpaint", "mask": "$s1.mask", "prompt": "a tiger"}),
            ],
            "then",
        ),
    ],
)
def test_each_module_parses_to_the_expected_plan(full_box, text, expected, answer):
    plan = parse_vitron_output(text, full_box, video="$input.video")
    assert steps(plan) == expected
    assert plan.answer == answer


def test_unavailable_modules_become_notes(cv_box):
    plan = parse_vitron_output("<module>D</module><instruction>video: a cat</instruction>", cv_box)
    assert not plan.steps and "module D (text to video) needs the 'generate_video' tool" in plan.notes[0]
    plan = parse_vitron_output("<module>E</module><instruction>track: the cat</instruction>", cv_box)
    assert not plan.steps and "module E (video segmentation) needs a video" in plan.notes[0]
    plan = parse_vitron_output("<module>C</module><instruction>edit: winter</instruction>", cv_box)
    assert not plan.steps and '[tools.edit] backend = "diffusers"' in plan.notes[0]


def test_embeddings_are_attached_in_order(full_box):
    seg = [
        {
            "type": "feature",
            "id": "a" * 64,
            "session": "s",
            "kind": "seg_token_embedding",
            "shape": [32],
            "dtype": "float32",
        }
    ]
    gen = [
        {
            "type": "feature",
            "id": "b" * 64,
            "session": "s",
            "kind": "gen_token_embedding",
            "shape": [77, 32],
            "dtype": "float32",
        }
    ]
    plan = parse_vitron_output(
        "<module>B</module><instruction>seg: the cat</instruction>"
        "<module>A</module><instruction>gen: a cat</instruction>",
        full_box,
        features={"seg": seg, "gen": gen},
    )
    assert plan.steps[0].args["prompt_embedding"] == seg[0] and plan.steps[1].args["prompt_embeds"] == gen[0]
    video = parse_vitron_output(
        "<module>E</module><instruction>track: the dog</instruction>"
        "<module>D</module><instruction>video: a dog</instruction>",
        full_box,
        features={"seg": seg, "gen": gen},
        video="$input.video",
    )
    assert video.steps[0].tool == "track" and video.steps[0].args["prompt_embedding"] == seg[0]
    assert video.steps[1].tool == "generate_video" and video.steps[1].args["prompt_embeds"] == gen[0]


def test_video_editing_on_the_cv_backend(cv_box):
    plan = parse_vitron_output(
        "<module>F</module><instruction>foreground: make it blue</instruction>"
        "<instruction>background: blur it</instruction>"
        "<instruction>background: a snowy street</instruction>",
        cv_box,
        video="$input.video",
    )
    assert steps(plan) == [
        ("track", {"target": "the main object"}),
        ("edit_video", {"where": "inside", "operation": "recolor", "color": "blue", "track": "$s1.track"}),
        ("edit_video", {"video": "$s2.video", "where": "outside", "operation": "blur", "track": "$s1.track"}),
    ]
    assert "a snowy street" in plan.notes[0] and "[tools.edit_video] backend" in plan.notes[0]


@pytest.mark.parametrize(
    "text,problem",
    [
        (
            "<module>B</module><instruction>segment: the cat<region>(1, 2, 3, 4)</region>",
            "is not closed before <region>",
        ),
        ("<module>B</module><instruction>segment: the cat <b>", "<instruction> is never closed"),
        ("<module>Q</module>", "unknown module 'Q'"),
        ("<instruction>x</instruction>", "comes before any <module>"),
        ("<module>B</module></region>", "</region> has no matching <region>"),
        ("<module>B<instruction>x</instruction></module>", "is not closed before <instruction>"),
    ],
)
def test_malformed_tags_are_repair_messages(cv_box, text, problem):
    with pytest.raises(PlanValidationError) as err:
        parse_vitron_output(text, cv_box)
    assert any(problem in p for p in err.value.problems)


def test_json_plans_in_prose_and_errors():
    plan = parse_json_plan(
        'Sure:\n```json\n{"steps": [{"id": "s1", "tool": "describe", "args": {"image": "$input.image"}}],'
        ' "answer": null, "thoughts": "ignored"}\n```'
    )
    assert plan.steps[0].tool == "describe"
    assert parse_json_plan('[{"id": "s1", "tool": "count", "args": {}}]').steps[0].tool == "count"
    for bad, msg in [
        ("no json here", "not a JSON plan"),
        ('{"steps": "x"}', '"steps" must be a list'),
        ('{"steps": [{"tool": 3}]}', "does not fit the schema"),
        ("[1, 2", "incomplete"),
        ('"text"', "not a JSON plan"),
        ('{"foo": 1}', 'without "steps" (keys: foo)'),
        ("[1, 2]", "not a list of steps"),
    ]:
        with pytest.raises(PlanValidationError, match=re.escape(msg)):
            parse_json_plan(bad)


def test_tool_calls_to_plan():
    plan = tool_calls_to_plan(
        [
            {"name": "segment", "args": {"image": "$input.image"}},
            {"name": "describe", "args": '{"image": "$input.image", "mask": "$s1.mask"}'},
        ]
    )
    assert [s.id for s in plan.steps] == ["s1", "s2"] and plan.steps[1].args["mask"] == "$s1.mask"
    with pytest.raises(PlanValidationError, match="not valid JSON"):
        tool_calls_to_plan([{"name": "segment", "args": "{oops"}])
    with pytest.raises(PlanValidationError, match="has no tool name"):
        tool_calls_to_plan([{"args": {}}])


_TAGS = [
    "<module>",
    "</module>",
    "<instruction>",
    "</instruction>",
    "<region>",
    "</region>",
    "<Module>",
    "</Region>",
    "A",
    "B",
    "C",
    "G",
    "Z",
    "Image Segmentation",
    "segment: ",
    ":",
    "(1, 2, 3, 4)",
    "[0,0,10,10]",
    "(9, 9, 1, 1)",
    "{",
    "}",
    '"steps"',
    "[SEG]",
    "\u00e9\u4e2d\U0001f600",
    "x" * 300,
    "\n",
    "$s1.mask",
    "null",
]
planner_text = st.lists(st.one_of(st.sampled_from(_TAGS), st.text(max_size=30)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(planner_text)
def test_fuzz_parsers_only_raise_repair_messages(cv_box, text):
    for parse in (lambda t: parse_vitron_output(t, cv_box), parse_json_plan):
        try:
            plan = parse(text)
        except PlanValidationError as exc:
            assert exc.problems and all(isinstance(p, str) for p in exc.problems)
        else:
            assert isinstance(plan, Plan)


json_like = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        json_like,
        st.fixed_dictionaries(
            {
                "steps": st.lists(
                    st.fixed_dictionaries(
                        {
                            "id": st.text(max_size=5),
                            "tool": st.sampled_from(["segment", "edit", "nope", ""]),
                            "args": json_like,
                        }
                    ),
                    max_size=4,
                )
            }
        ),
    )
)
def test_fuzz_json_plans_and_tool_calls(cv_box, data):
    from vitron_agent.toolkit.plan import validate_plan

    try:
        plan = parse_json_plan(json.dumps(data))
    except PlanValidationError:
        return
    problems = validate_plan(plan, cv_box, {"input": {"image": "image"}})
    assert isinstance(problems, list)
    calls = [{"name": s.tool, "args": s.args} for s in plan.steps]
    try:
        tool_calls_to_plan(calls)
    except PlanValidationError:
        pass
