import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vitron_agent.core.errors import PlanValidationError
from vitron_agent.toolkit.plan import (
    Plan,
    Step,
    check_plan,
    dependencies,
    iter_refs,
    parse_ref,
    resolve_args,
    validate_plan,
)
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

INPUTS = {"input": {"image": "image"}, "last": {}}


@pytest.fixture(scope="module")
def toolbox():
    return Toolbox(default_tools())


def plan(*steps):
    return Plan(steps=[Step(**s) for s in steps])


def problems(toolbox, *steps, inputs=INPUTS):
    return validate_plan(plan(*steps), toolbox, inputs)


def test_valid_chain(toolbox):
    p = plan(
        {"id": "s1", "tool": "segment", "args": {"image": "$input.image", "color": "red"}},
        {
            "id": "s2",
            "tool": "edit",
            "args": {"image": "$input.image", "mask": "$s1.mask", "operation": "recolor", "color": "blue"},
        },
        {"id": "s3", "tool": "describe", "args": {"image": "$s2.image", "mask": "$s1.mask"}},
    )
    assert validate_plan(p, toolbox, INPUTS) == []
    assert dependencies(p) == {"s1": set(), "s2": {"s1"}, "s3": {"s1", "s2"}}


def test_unknown_tool_lists_valid_names_and_suggests(toolbox):
    [msg] = problems(toolbox, {"id": "s1", "tool": "segmnet", "args": {}})
    assert "unknown tool 'segmnet'" in msg and "did you mean 'segment'" in msg
    assert "segment, edit, describe, count" in msg


def test_bad_arguments(toolbox):
    out = problems(
        toolbox,
        {"id": "s1", "tool": "edit", "args": {"image": "$input.image", "operation": "explode", "colour": "red"}},
    )
    assert any("no argument 'colour'" in p and "did you mean 'color'" in p for p in out)
    assert any("argument 'operation' = 'explode' is invalid" in p for p in out)
    out = problems(toolbox, {"id": "s1", "tool": "edit", "args": {"operation": "remove"}})
    assert any("missing required argument 'image'" in p for p in out)
    out = problems(
        toolbox, {"id": "s1", "tool": "edit", "args": {"image": "$input.image", "operation": "brighten", "amount": 7}}
    )
    assert any("'amount' = 7 is invalid" in p and "it takes a number from 0 to 1" in p for p in out)


def test_dangling_and_wrong_typed_references(toolbox):
    out = problems(toolbox, {"id": "s1", "tool": "describe", "args": {"image": "$s9.image"}})
    assert out == ["step s1 (describe): refers to $s9.image but there is no step 's9'"]
    out = problems(
        toolbox,
        {"id": "s1", "tool": "segment", "args": {"image": "$input.image"}},
        {"id": "s2", "tool": "describe", "args": {"image": "$s1.mask"}},
    )
    assert out == ["step s2 (describe): argument 'image' expects image but $s1.mask is a mask"]
    out = problems(
        toolbox,
        {"id": "s1", "tool": "segment", "args": {"image": "$input.image"}},
        {"id": "s2", "tool": "describe", "args": {"image": "$s1.picture"}},
    )
    assert "has no output 'picture'" in out[0] and "mask, box, area, method" in out[0]


def test_missing_inputs_and_malformed_references(toolbox):
    out = problems(toolbox, {"id": "s1", "tool": "describe", "args": {"image": "$input.image"}}, inputs={"input": {}})
    assert "$input.image is not available (the request has no image)" in out[0]
    out = problems(toolbox, {"id": "s1", "tool": "describe", "args": {"image": "$last.image"}}, inputs={"last": {}})
    assert "the previous turn left no image" in out[0]
    out = problems(toolbox, {"id": "s1", "tool": "describe", "args": {"image": "$s1"}})
    assert "is not a valid reference" in out[0]


def test_cycles_self_references_duplicates_and_after(toolbox):
    out = problems(
        toolbox,
        {"id": "a", "tool": "edit", "args": {"image": "$b.image", "operation": "brighten"}},
        {"id": "b", "tool": "edit", "args": {"image": "$a.image", "operation": "darken"}},
    )
    assert any("cycle" in p for p in out)
    out = problems(toolbox, {"id": "s1", "tool": "edit", "args": {"image": "$s1.image", "operation": "darken"}})
    assert any("refers to its own output" in p for p in out)
    out = problems(
        toolbox,
        {"id": "s1", "tool": "describe", "args": {"image": "$input.image"}},
        {"id": "s1", "tool": "describe", "args": {"image": "$input.image"}},
    )
    assert any("used twice" in p for p in out)
    out = problems(toolbox, {"id": "s1", "tool": "describe", "args": {"image": "$input.image"}, "after": ["zz"]})
    assert any("'after' names unknown step 'zz'" in p for p in out)
    out = problems(toolbox, {"id": "input", "tool": "describe", "args": {"image": "$input.image"}})
    assert any("reserved" in p for p in out)


def test_every_problem_is_reported_at_once(toolbox):
    p = plan(
        {"id": "s1", "tool": "nope", "args": {}},
        {"id": "s2", "tool": "describe", "args": {"image": "$s7.image", "bogus": 1}},
        {"id": "s3", "tool": "edit", "args": {"image": "$input.image"}},
    )
    with pytest.raises(PlanValidationError) as err:
        check_plan(p, toolbox, INPUTS)
    assert len(err.value.problems) == 4
    assert str(err.value).count("\n- ") == 4


def test_resolve_args_substitutes_references_in_lists():
    outputs = {"s1": {"mask": {"type": "mask", "id": "x"}}, "input": {"image": "IMG"}}
    got = resolve_args({"image": "$input.image", "masks": ["$s1.mask", "literal"], "n": 3}, outputs)
    assert got == {"image": "IMG", "masks": [{"type": "mask", "id": "x"}, "literal"], "n": 3}
    assert list(iter_refs({"a": ["$s1.mask", {"b": "$s2.box"}]})) == [("s1", "mask"), ("s2", "box")]


step_ids = st.sampled_from(["s1", "s2", "s3", "s4", "x", "input"])
ref_text = st.one_of(
    st.builds(lambda a, b: f"${a}.{b}", step_ids, st.sampled_from(["image", "mask", "box", "text", "zz"])),
    st.text(max_size=12),
    st.integers(),
    st.none(),
)
steps_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "id": step_ids,
            "tool": st.sampled_from(["segment", "edit", "describe", "count", "nope"]),
            "args": st.dictionaries(
                st.sampled_from(["image", "mask", "color", "operation", "question", "bogus"]), ref_text, max_size=4
            ),
            "after": st.lists(step_ids, max_size=2),
        }
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(steps_strategy)
def test_validation_never_crashes_and_valid_plans_resolve(toolbox, steps):
    p = Plan(steps=[Step(**s) for s in steps])
    found = validate_plan(p, toolbox, INPUTS)
    assert isinstance(found, list) and all(isinstance(x, str) and x for x in found)
    if not found:
        # a valid plan is a DAG whose references all point at earlier-resolvable outputs
        import networkx as nx

        g = nx.DiGraph([(d, s) for s, ds in dependencies(p).items() for d in ds])
        assert nx.is_directed_acyclic_graph(g)
        for s in p.steps:
            for src, _ in iter_refs(s.args):
                assert src in INPUTS or src in {x.id for x in p.steps}


def test_parse_ref():
    assert parse_ref("$s1.mask") == ("s1", "mask")
    assert parse_ref("$s1") is None and parse_ref("s1.mask") is None and parse_ref(3) is None
