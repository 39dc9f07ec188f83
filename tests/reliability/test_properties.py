"""Property tests: any plan that validates resolves every reference to a value of the right kind."""

from hypothesis import given, settings
from hypothesis import strategies as st

from vitron_agent.toolkit.plan import Plan, Step, dependencies, resolve_args, validate_plan
from vitron_agent.toolkit.tool import Toolbox
from vitron_agent.tools import default_tools

TOOLBOX = Toolbox(default_tools())
INPUTS = {"input": {"image": "image", "box": "box"}, "last": {"mask": "mask"}}
VALUES = {"input": {"image": {"type": "image"}, "box": {"type": "box"}}, "last": {"mask": {"type": "mask"}}}
OUT_NAMES = ["image", "mask", "box", "area", "method", "text", "count", "nope"]


@st.composite
def plans(draw):
    n = draw(st.integers(1, 6))
    steps = []
    for i in range(1, n + 1):
        tool = draw(st.sampled_from(TOOLBOX.names))
        fields = list(TOOLBOX.get(tool).Input.model_fields)
        args = {}
        for name in draw(st.lists(st.sampled_from(fields), unique=True, max_size=4)):
            src = draw(
                st.sampled_from(
                    [
                        "$input.image",
                        "$input.box",
                        "$last.mask",
                        "$input.video",
                        *[f"$s{j}.{o}" for j in range(1, n + 1) for o in OUT_NAMES],
                    ]
                )
            )
            args[name] = draw(st.one_of(st.just(src), st.sampled_from(["red", "recolor", 0.5, True, None])))
        args.setdefault(
            "image", "$input.image" if i == 1 else draw(st.sampled_from(["$input.image", f"$s{i - 1}.image"]))
        )
        steps.append(Step(id=f"s{i}", tool=tool, args=args))
    return Plan(steps=steps)


@settings(max_examples=400, deadline=None)
@given(plans())
def test_valid_plans_resolve_to_values_of_the_declared_kind(plan):
    problems = validate_plan(plan, TOOLBOX, INPUTS)
    if problems:
        return
    import networkx as nx

    order = list(
        nx.topological_sort(
            nx.DiGraph(
                [(d, s) for s, ds in dependencies(plan).items() for d in ds] + [(s.id, s.id + "_") for s in plan.steps]
            )
        )
    )
    outputs = dict(VALUES)
    tools = {s.id: TOOLBOX.get(s.tool) for s in plan.steps}
    for sid in [o for o in order if o in tools]:
        step = next(s for s in plan.steps if s.id == sid)
        resolved = resolve_args(step.args, outputs)  # never a KeyError on a valid plan
        accepted = tools[sid].input_kinds()
        for name, value in resolved.items():
            if isinstance(value, dict) and "type" in value:
                assert value["type"] in accepted[name] or "value" in accepted[name]
        outputs[sid] = {
            n: {"type": k} if k in ("image", "mask", "box") else k for n, k in tools[sid].output_kinds().items()
        }
