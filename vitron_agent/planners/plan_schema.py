"""JSON schemas of a plan for constrained decoding (outlines): every tool a branch with ``tool`` as a
const, references as bounded patterns, every string with a ``maxLength``; per position when the
request's inputs are known, so even a weak model emits a parseable plan with valid tool names."""

from __future__ import annotations

import json
from typing import Any

from vitron_agent.toolkit.tool import Toolbox

__all__ = ["constrained_plan_schema", "ordered_plan_schema", "step_schema"]


def constrained_plan_schema(toolbox: Toolbox, max_steps: int = 4, max_string: int = 32) -> dict[str, Any]:
    """The Plan JSON schema for constrained decoding: one branch per tool (``tool`` is a const),
    references as bounded patterns, every other string with ``maxLength``."""
    defs: dict[str, Any] = {}
    branches = []
    for spec in toolbox.planning_schemas(max_string=max_string):
        fn = spec["function"]
        params = json.loads(json.dumps(fn["parameters"]))
        defs.update(params.pop("$defs", {}))
        for prop in params["properties"].values():
            if "pattern" in prop:
                prop.pop("maxLength", None)
                prop["pattern"] = r"^\$(input|last|s[1-9])\.[a-z_]{1,12}$"
        branches.append(
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "tool", "args"],
                "properties": {
                    "id": {"type": "string", "pattern": r"^s[1-9]$"},
                    "tool": {"const": fn["name"]},
                    "args": params,
                },
            }
        )
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["steps", "answer"],
        "properties": {
            "steps": {"type": "array", "maxItems": max_steps, "items": {"anyOf": branches}},
            "answer": {"anyOf": [{"type": "string", "maxLength": 100}, {"type": "null"}]},
        },
    }
    if defs:
        schema["$defs"] = defs
    return schema


def step_schema(
    toolbox: Toolbox,
    inputs: dict[str, dict[str, str]],
    i: int,
    earlier: list[str] | None = None,
    max_string: int = 32,
    defs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The schema of step *i* (id ``s<i>``): one branch per tool that can be called with these
    inputs, its artifact arguments enumerated -- the request's inputs of the right kind,
    ``$last.<kind>``, and outputs of that kind of the steps before it (``earlier``: their tools;
    None: any tool's). Points and boxes are the user's (``$input.point`` / ``$input.box``) or
    left out. ``defs`` collects the ``$defs`` the branches use."""
    given = inputs.get("input", {})
    last = {k for k in inputs.get("last", {}) if not k.startswith("_")}
    outputs = (
        [toolbox.get(t).output_kinds() for t in earlier]
        if earlier is not None
        else [tool.output_kinds() for tool in toolbox] * (i - 1)
    )
    available: dict[str, set[str]] = {}  # kind -> references to earlier outputs of that kind
    for j, kinds in enumerate(outputs):
        for out, kind in kinds.items():
            sid = j + 1 if earlier is not None else None
            for k in [sid] if sid else range(1, i):
                available.setdefault(kind, set()).add(f"$s{k}.{out}")
    schemas = {spec["function"]["name"]: spec["function"] for spec in toolbox.planning_schemas(max_string=max_string)}
    branches = []
    for tool in toolbox:
        params = json.loads(json.dumps(schemas[tool.name]["parameters"]))
        if defs is not None:
            defs.update(params.pop("$defs", {}))
        props, required, ok = {}, set(params.get("required", [])), True
        for name, kinds in tool.input_kinds().items():
            ref_kinds = kinds & {"image", "mask", "video", "track", "feature", "scribble"}
            region_kinds = kinds & {"point", "box"}
            if ref_kinds:
                refs = sorted(
                    {f"$input.{n}" for n, k in given.items() if k in ref_kinds}
                    | {f"$last.{k}" for k in ref_kinds if k in last}
                    | set().union(*(available.get(k, set()) for k in ref_kinds))
                )
                if refs:
                    props[name] = {"enum": refs}
            elif region_kinds and name in params["properties"]:
                refs = sorted(f"$input.{k}" for k in region_kinds if k in given)
                if refs:
                    props[name] = {"enum": refs}
            elif name in params["properties"]:
                props[name] = params["properties"][name]
            if name in required and name not in props:
                ok = False  # this tool cannot be called at step i with these inputs
        if ok:
            args = {
                "type": "object",
                "properties": props,
                "required": sorted(required & set(props)),
                "additionalProperties": False,
            }
            branches.append(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "tool", "args"],
                    "properties": {"id": {"const": f"s{i}"}, "tool": {"const": tool.name}, "args": args},
                }
            )
    return {"anyOf": branches}


def ordered_plan_schema(
    toolbox: Toolbox, inputs: dict[str, dict[str, str]], max_steps: int = 4, max_string: int = 32
) -> dict[str, Any]:
    """A tighter plan schema for constrained decoding when the request's inputs are known:
    :func:`step_schema` for each position, one alternative per plan length."""
    defs: dict[str, Any] = {}
    slots = [step_schema(toolbox, inputs, i, None, max_string, defs) for i in range(1, max_steps + 1)]
    plans = [{"type": "array", "prefixItems": slots[:n], "items": False} for n in range(1, max_steps + 1)]
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["steps", "answer"],
        "properties": {
            "steps": {"anyOf": plans},
            "answer": {"anyOf": [{"type": "string", "maxLength": 100}, {"type": "null"}]},
        },
    }
    if defs:
        schema["$defs"] = defs
    return schema
