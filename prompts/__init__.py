"""Planner prompt templates (plain text, package data): ``vitron_agent.prompts``.

Templates use ``string.Template`` placeholders (``$tools``, ``$inputs``, ``$feedback``)
so braces in JSON examples need no escaping.
"""

from __future__ import annotations

import json
from importlib import resources
from string import Template
from typing import Any

__all__ = ["load", "render_planner_prompt", "tools_block"]


def load(name: str) -> str:
    """The text of template ``name`` (e.g. ``"planner"`` for planner.txt)."""
    try:
        return resources.files(__name__).joinpath(f"{name}.txt").read_text("utf-8")
    except FileNotFoundError:
        available = sorted(
            p.name.removesuffix(".txt") for p in resources.files(__name__).iterdir() if p.name.endswith(".txt")
        )
        raise KeyError(f"no prompt template {name!r}; available: {', '.join(available)}") from None


def tools_block(toolbox: Any) -> str:
    """One line per tool with its description, then its arguments and outputs."""
    lines = []
    for schema in toolbox.schemas():
        props = schema["input_schema"].get("properties", {})
        required = set(schema["input_schema"].get("required", []))
        args = ", ".join(f"{n}{'' if n in required else '?'}: {p.get('description', '')}" for n, p in props.items())
        outs = ", ".join(f"{n} ({k})" for n, k in schema["outputs"].items())
        lines.append(f"- {schema['name']}: {schema['description']}\n    args: {args}\n    outputs: {outs}")
    return "\n".join(lines)


def render_planner_prompt(toolbox: Any, inputs: dict[str, dict[str, str]], feedback: list[str] | None = None) -> str:
    """The planner prompt with the toolbox's schemas, the available inputs and repair feedback."""
    available = [f"${ns}.{name} ({kind})" for ns, names in inputs.items() for name, kind in names.items()]
    fb = ""
    if feedback:
        fb = "Your previous plan had these problems; fix all of them:\n" + "\n".join(f"- {p}" for p in feedback)
    return Template(load("planner")).substitute(
        tools=tools_block(toolbox),
        inputs=", ".join(available) or "none",
        feedback=fb,
        example=json.dumps(
            {
                "steps": [
                    {"id": "s1", "tool": "segment", "args": {"image": "$input.image", "target": "the cat"}},
                    {
                        "id": "s2",
                        "tool": "edit",
                        "args": {
                            "image": "$input.image",
                            "mask": "$s1.mask",
                            "operation": "recolor",
                            "color": "purple",
                        },
                    },
                    {"id": "s3", "tool": "describe", "args": {"image": "$s2.image", "mask": "$s1.mask"}},
                ]
            }
        ),
    )
