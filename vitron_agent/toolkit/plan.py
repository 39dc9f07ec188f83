"""Plans: typed steps whose arguments may reference earlier outputs.

A step argument written ``"$s1.mask"`` is the ``mask`` output of step ``s1``;
``"$input.image"`` is the request's image and ``"$last.image"`` the last image of
the session's previous turn. References may appear inside lists. A step runs
after every step it references and every step named in ``after``.

:func:`validate_plan` reports every problem at once (unknown tool with the valid
names, unknown, missing or ill-typed argument, dangling or wrong-typed
reference, cycle) so a planner can repair them all in one round.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vitron_agent.core.errors import PlanValidationError
from vitron_agent.toolkit.arguments import number_problem, unknown_argument_problems
from vitron_agent.toolkit.tool import Toolbox, format_validation_error

__all__ = [
    "Step",
    "Plan",
    "REF_PATTERN",
    "INPUT_NAMESPACES",
    "parse_ref",
    "iter_refs",
    "dependencies",
    "validate_plan",
    "check_plan",
    "resolve_args",
    "MAX_STEPS",
]

REF_PATTERN = re.compile(r"^\$([A-Za-z][A-Za-z0-9_-]{0,31})\.([A-Za-z_][A-Za-z0-9_]{0,63})$")
STEP_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
INPUT_NAMESPACES = ("input", "last")
MAX_STEPS = 64


class Step(BaseModel):
    """One tool call. ``args`` values are literals or references such as ``"$s1.mask"``."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(description="unique step id, e.g. 's1'", max_length=32)
    tool: str = Field(description="name of the tool to call", max_length=64)
    args: dict[str, Any] = Field(
        default_factory=dict, description="tool arguments; '$<step>.<output>' references an earlier output"
    )
    after: list[str] = Field(
        default_factory=list, description="step ids that must finish first (besides referenced ones)"
    )


class Plan(BaseModel):
    """A DAG of steps, or (with no steps) a direct answer in ``answer``."""

    model_config = ConfigDict(extra="forbid")
    steps: list[Step] = Field(default_factory=list)
    answer: str | None = Field(default=None, description="a reply that needs no tool (or a note on the plan)")
    notes: list[str] = Field(default_factory=list, description="what the planner could not use from the request")
    declined: bool = Field(
        default=False,
        description="the planner refused the request or asked a question back (no steps): nothing it asked "
        "for was done, so the turn is not ok",
    )
    reasoning: str | None = Field(
        default=None, max_length=8000, description="the model's reasoning, kept for debugging; never part of an answer"
    )


def parse_ref(value: Any) -> tuple[str, str] | None:
    """``"$s1.mask"`` -> ``("s1", "mask")``; anything else -> None."""
    if isinstance(value, str):
        m = REF_PATTERN.match(value)
        if m:
            return m.group(1), m.group(2)
    return None


def iter_refs(value: Any) -> Iterator[tuple[str, str]]:
    """Every reference inside an argument value (strings, lists, dicts)."""
    if isinstance(value, str):
        ref = parse_ref(value)
        if ref:
            yield ref
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from iter_refs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_refs(item)


def dependencies(plan: Plan) -> dict[str, set[str]]:
    """Step id -> ids of steps it must wait for (references plus ``after``)."""
    ids = {s.id for s in plan.steps}
    deps: dict[str, set[str]] = {}
    for step in plan.steps:
        d = {src for src, _ in iter_refs(step.args) if src in ids}
        d |= {a for a in step.after if a in ids}
        d.discard(step.id)
        deps[step.id] = d
    return deps


def validate_plan(plan: Plan, toolbox: Toolbox, inputs: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Every problem of ``plan``; an empty list means valid.

    Args:
        inputs: namespace -> {name: kind} of what ``$input.x`` / ``$last.x`` may name,
            e.g. ``{"input": {"image": "image"}, "last": {}}``.
    """
    inputs = inputs or {}
    problems: list[str] = []
    if len(plan.steps) > MAX_STEPS:
        problems.append(f"the plan has {len(plan.steps)} steps; at most {MAX_STEPS} are allowed")
    tools_of: dict[str, str] = {}
    for step in plan.steps:
        if not STEP_ID.match(step.id):
            problems.append(
                f"step id {step.id!r} is invalid: use a letter then letters, digits, '_' or '-' (e.g. 's1')"
            )
        elif step.id in INPUT_NAMESPACES:
            problems.append(f"step id {step.id!r} is reserved for inputs; rename the step (e.g. 's1')")
        elif step.id in tools_of:
            problems.append(f"step id {step.id!r} is used twice; step ids must be unique")
        tools_of.setdefault(step.id, step.tool)
    for step in plan.steps:
        problems.extend(_step_problems(step, toolbox, tools_of, inputs))
    problems.extend(_cycle_problems(plan))
    return problems


def check_plan(plan: Plan, toolbox: Toolbox, inputs: dict[str, dict[str, str]] | None = None) -> None:
    """Raise :class:`PlanValidationError` listing every problem, if any."""
    problems = validate_plan(plan, toolbox, inputs)
    if problems:
        raise PlanValidationError(problems)


def _step_problems(
    step: Step, toolbox: Toolbox, tools_of: dict[str, str], inputs: dict[str, dict[str, str]]
) -> list[str]:
    where = f"step {step.id} ({step.tool})"
    if step.tool not in toolbox:
        hint = difflib.get_close_matches(step.tool, toolbox.names, n=1)
        did = f" did you mean {hint[0]!r}?" if hint else ""
        return [f"step {step.id}: unknown tool {step.tool!r};{did} valid tools: {', '.join(toolbox.names)}"]
    tool = toolbox.get(step.tool)
    fields = tool.Input.model_fields
    accepted = tool.input_kinds()
    problems = [f"{where}: {p}" for p in unknown_argument_problems(step.args, fields)]
    for name, info in fields.items():
        if info.is_required() and name not in step.args:
            problems.append(f"{where}: missing required argument {name!r} ({info.description or 'no description'})")
    for after in step.after:
        if after not in tools_of:
            problems.append(f"{where}: 'after' names unknown step {after!r}")
        elif after == step.id:
            problems.append(f"{where}: a step cannot run after itself")
    for name, value in step.args.items():
        if name not in fields:
            continue
        problems.extend(_value_problems(where, name, value, accepted[name], step, toolbox, tools_of, inputs))
    return problems


def _value_problems(
    where: str,
    name: str,
    value: Any,
    accepted: set[str],
    step: Step,
    toolbox: Toolbox,
    tools_of: dict[str, str],
    inputs: dict[str, dict[str, str]],
) -> list[str]:
    problems = []
    refs = list(iter_refs(value))
    if isinstance(value, str) and value.startswith("$") and not refs:
        return [
            f"{where}: argument {name!r} = {value!r} is not a valid reference; write '$<step>.<output>', e.g. '$s1.mask'"
        ]
    for src, out in refs:
        kind = _ref_kind(src, out, step, toolbox, tools_of, inputs, where, problems)
        if kind and "list" not in accepted and kind not in accepted and "value" not in accepted:
            problems.append(
                f"{where}: argument {name!r} expects {' or '.join(sorted(accepted))} but ${src}.{out} is a {kind}"
            )
    if not refs:
        bad_number = number_problem(name, toolbox.get(step.tool).Input.model_fields[name], value)
        if bad_number:
            return [f"{where}: {bad_number}"]
        try:
            toolbox.field_adapter(step.tool, name).validate_python(value)
        except ValidationError as exc:
            detail = format_validation_error(exc).removeprefix("(arguments): ")
            problems.append(f"{where}: argument {name!r} = {value!r} is invalid: {detail}")
    return problems


def _ref_kind(
    src: str,
    out: str,
    step: Step,
    toolbox: Toolbox,
    tools_of: dict[str, str],
    inputs: dict[str, dict[str, str]],
    where: str,
    problems: list[str],
) -> str | None:
    if src in INPUT_NAMESPACES:
        available = inputs.get(src, {})
        if out not in available:
            names = ", ".join(f"${src}.{n}" for n in available) or "nothing"
            what = "the request has no" if src == "input" else "the previous turn left no"
            problems.append(f"{where}: ${src}.{out} is not available ({what} {out}); available: {names}")
            return None
        return available[out]
    if src == step.id:
        problems.append(f"{where}: refers to its own output ${src}.{out}")
        return None
    if src not in tools_of:
        problems.append(f"{where}: refers to ${src}.{out} but there is no step {src!r}")
        return None
    if tools_of[src] not in toolbox:
        return None
    outputs = toolbox.get(tools_of[src]).output_kinds()
    if out not in outputs:
        problems.append(
            f"{where}: step {src} ({tools_of[src]}) has no output {out!r}; its outputs are: {', '.join(outputs)}"
        )
        return None
    return outputs[out]


def _cycle_problems(plan: Plan) -> list[str]:
    """A cycle among the steps' dependencies, as one problem naming it (a depth-first search over
    the steps in plan order; a few lines here instead of importing networkx, ~0.1 s, per run)."""
    succ: dict[str, list[str]] = {}
    for sid, deps in dependencies(plan).items():
        succ.setdefault(sid, [])
        for d in sorted(deps):
            succ.setdefault(d, []).append(sid)
    done: set[str] = set()
    for root in succ:
        if root in done:
            continue
        path, on_path, todo = [root], {root}, [iter(succ[root])]
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                todo.pop()
                continue
            if nxt in on_path:
                cycle = [*path[path.index(nxt) :], nxt]
                return [
                    f"the steps form a cycle ({' -> '.join(cycle)}); a step can only use outputs of steps before it"
                ]
            if nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                todo.append(iter(succ[nxt]))
    return []


def resolve_args(args: dict[str, Any], outputs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Replace references by values: ``outputs`` maps a step id or input namespace to
    ``{output name: value}``. Unknown references raise ``KeyError`` (validation prevents them)."""

    def sub(value: Any) -> Any:
        ref = parse_ref(value)
        if ref:
            src, out = ref
            return outputs[src][out]
        if isinstance(value, list):
            return [sub(v) for v in value]
        if isinstance(value, dict):
            return {k: sub(v) for k, v in value.items()}
        return value

    return {k: sub(v) for k, v in args.items()}
