"""VisionTool: the typed unit the planner calls, and the Toolbox that holds them.

A tool is a class with a ``name``, a one-line ``description``, pydantic ``Input``
and ``Output`` models whose field descriptions are what the planner sees, a
``check_inputs`` that raises ``ValueError`` naming the bad value and the fix, and
``run(inp, ctx)``. Tools read and write pixels through ``ctx.store``; they return
refs, never arrays.
"""

from __future__ import annotations

import threading
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Union

from pydantic import BaseModel, TypeAdapter, ValidationError

from vitron_agent.core.errors import RefError, ToolArgumentError, ToolFailed
from vitron_agent.core.refs import (
    Box,
    Detections,
    FeatureRef,
    ImageRef,
    MaskRef,
    MaskTrackRef,
    Point,
    Scribble,
    TextRef,
    VideoRef,
)
from vitron_agent.toolkit.arguments import strict_input

__all__ = [
    "ToolContext",
    "VisionTool",
    "Toolbox",
    "field_kinds",
    "output_kind",
    "format_validation_error",
    "METHOD_OUTPUT",
    "ANSWER_OUTPUTS",
]

# Output names with a meaning to the answer builder and the policy: a text output named in
# ANSWER_OUTPUTS is the step's answer in words; METHOD_OUTPUT says how the step found its result,
# and a step that had to assume says so there ("it cannot recognise 'x' by name, so it took ...").
METHOD_OUTPUT = "method"
ANSWER_OUTPUTS = ("text", "answer")
UNKNOWN_TOOL = "unknown tool {name!r}; valid tools: {valid}"
BAD_ARGUMENTS = "bad arguments for tool {tool!r}: {details}"
WRONG_OUTPUT = "tool {tool!r} returned {got}, expected {expected}; this is a bug in the tool"

_KIND_OF_TYPE: dict[type, str] = {
    ImageRef: "image",
    MaskRef: "mask",
    VideoRef: "video",
    MaskTrackRef: "track",
    FeatureRef: "feature",
    TextRef: "text",
    Box: "box",
    Point: "point",
    Scribble: "scribble",
    Detections: "detections",
    str: "text",
    int: "number",
    float: "number",
    bool: "bool",
}


def field_kinds(annotation: Any) -> set[str]:
    """The value kinds a field annotation accepts: ``MaskRef | None`` -> ``{"mask"}``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return field_kinds(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        kinds: set[str] = set()
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                kinds |= field_kinds(arg)
        return kinds
    if origin is typing.Literal:
        return {"text"} if all(isinstance(a, str) for a in typing.get_args(annotation)) else {"number"}
    if origin in (list, tuple):
        return {"list"}
    kind = _KIND_OF_TYPE.get(annotation)
    return {kind} if kind else {"value"}


def output_kind(annotation: Any) -> str:
    """The single kind of an Output field (``image``, ``mask``, ``text``, ``box``, ``number`` ...)."""
    kinds = field_kinds(annotation)
    return next(iter(kinds)) if len(kinds) == 1 else "value"


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return typing.get_args(annotation)
    if origin in (Union, types.UnionType, typing.Annotated):
        return tuple(v for a in typing.get_args(annotation) for v in _literal_values(a))
    return ()


def _bound_strings(schema: Any, limit: int) -> Any:
    """A copy of a JSON schema where every string without maxLength gets ``maxLength = limit``."""
    if isinstance(schema, dict):
        out = {k: _bound_strings(v, limit) for k, v in schema.items()}
        if out.get("type") == "string" and "maxLength" not in out and "enum" not in out and "const" not in out:
            out["maxLength"] = limit
        return out
    if isinstance(schema, list):
        return [_bound_strings(v, limit) for v in schema]
    return schema


def format_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(arguments)"
        msg = err["msg"]
        if err["type"] == "value_error" and not err["loc"]:  # a model's own check: its message says it all
            parts.append(str(err.get("ctx", {}).get("error", msg)))
            continue
        if err["type"] == "extra_forbidden":
            msg = "is not an argument of this tool"
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


@dataclass
class ToolContext:
    """What a tool receives besides its arguments.

    Attributes:
        store: the session's ArtifactStore (read inputs, write outputs).
        step_id: the plan step being run ("direct" outside a plan).
        settings: this tool's table from vitron.toml (backend options).
        progress: ``progress(fraction in [0, 1], message)`` for long work.
        cancelled: set when the step timed out; long loops should stop when it is set.
    """

    store: Any
    step_id: str = "direct"
    settings: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[float, str], None] = lambda fraction, message: None
    cancelled: threading.Event = field(default_factory=threading.Event)

    @property
    def session(self) -> str:
        return self.store.session


class VisionTool:
    """Base class of every tool. Subclasses set the class attributes and implement ``run``."""

    name: ClassVar[str]
    description: ClassVar[str]
    Input: ClassVar[type[BaseModel]]
    Output: ClassVar[type[BaseModel]]
    backend: ClassVar[str] = "cv"
    timeout: float | None = None

    def check_inputs(self, inp: BaseModel, ctx: ToolContext) -> None:
        """Raise ``ValueError`` naming the bad value and the fix; default accepts all."""

    def run(self, inp: BaseModel, ctx: ToolContext) -> BaseModel:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        """The JSON description a planner sees (from the pydantic models)."""
        return {
            "name": self.name,
            "description": self.description,
            "backend": self.backend,
            "input_schema": self.Input.model_json_schema(),
            "output_schema": self.Output.model_json_schema(),
            "outputs": {n: output_kind(f.annotation) for n, f in self.Output.model_fields.items()},
        }

    def input_kinds(self) -> dict[str, set[str]]:
        return {n: field_kinds(f.annotation) for n, f in self.Input.model_fields.items()}

    def output_kinds(self) -> dict[str, str]:
        return {n: output_kind(f.annotation) for n, f in self.Output.model_fields.items()}

    def __call__(self, ctx: ToolContext, **args: Any) -> BaseModel:
        """Validate ``args``, check them and run: the same path a plan step takes."""
        return invoke(self, args, ctx)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} backend={self.backend!r}>"


def invoke(tool: VisionTool, args: dict[str, Any], ctx: ToolContext) -> BaseModel:
    """Validate, check and run one tool call, mapping errors onto the three kinds."""
    try:
        inp = strict_input(tool.Input).model_validate(args)
    except ValidationError as exc:
        raise ToolArgumentError(BAD_ARGUMENTS.format(tool=tool.name, details=format_validation_error(exc))) from None
    try:
        tool.check_inputs(inp, ctx)
    except ToolArgumentError:
        raise
    except ValueError as exc:
        raise ToolArgumentError(f"{tool.name}: {exc}") from None
    try:
        out = tool.run(inp, ctx)
    except RefError as exc:  # a ref of another session, or one that was never stored
        raise ToolArgumentError(f"{tool.name}: {exc}") from None
    if not isinstance(out, tool.Output):
        raise ToolFailed(WRONG_OUTPUT.format(tool=tool.name, got=type(out).__name__, expected=tool.Output.__name__))
    return out


class Toolbox:
    """An explicit, ordered collection of tools: ``Toolbox([SegmentTool(), EditTool()])``."""

    def __init__(self, tools: list[VisionTool]):
        self._tools: dict[str, VisionTool] = {}
        for tool in tools:
            if not isinstance(tool, VisionTool):
                raise TypeError(f"Toolbox takes VisionTool instances, got {tool!r}")
            if tool.name in self._tools:
                raise ValueError(f"two tools are named {tool.name!r}; tool names must be unique")
            self._tools[tool.name] = tool
        self._adapters: dict[tuple[str, str], TypeAdapter] = {}

    @property
    def names(self) -> list[str]:
        return list(self._tools)

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Iterator[VisionTool]:
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    def get(self, name: str) -> VisionTool:
        try:
            return self._tools[name]
        except KeyError:
            raise KeyError(UNKNOWN_TOOL.format(name=name, valid=", ".join(self.names))) from None

    def schemas(self) -> list[dict[str, Any]]:
        return [tool.schema() for tool in self]

    def supports(self, tool: str, operation: str) -> bool:
        """Whether ``tool`` is here and its ``operation`` argument accepts ``operation``."""
        if tool not in self._tools:
            return False
        field = self._tools[tool].Input.model_fields.get("operation")
        return field is not None and operation in _literal_values(field.annotation)

    def planning_schemas(self, max_string: int = 200) -> list[dict[str, Any]]:
        """Function schemas for LLM planners (OpenAI tool format): arguments that take an
        artifact are reference strings (``"$input.image"``, ``"$s1.mask"``); every string
        has a ``maxLength`` so constrained decoding always terminates."""
        out = []
        for tool in self:
            schema = tool.Input.model_json_schema()
            props = {}
            for name, info in tool.Input.model_fields.items():
                kinds = field_kinds(info.annotation)
                desc = info.description or ""
                if kinds & {"image", "mask", "video", "track", "feature", "scribble"}:
                    props[name] = {
                        "type": "string",
                        "maxLength": 64,
                        "pattern": r"^\$[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_]*$",
                        "description": f"{desc} (a reference: $input.<name>, $last.<name> or $<step id>.<output>)",
                    }
                else:
                    props[name] = _bound_strings(schema["properties"][name], max_string)
            params = {
                "type": "object",
                "properties": props,
                "required": list(schema.get("required", [])),
                "additionalProperties": False,
            }
            if "$defs" in schema:
                params["$defs"] = {k: _bound_strings(v, max_string) for k, v in schema["$defs"].items()}
            out.append(
                {
                    "type": "function",
                    "function": {"name": tool.name, "description": tool.description, "parameters": params},
                }
            )
        return out

    def field_adapter(self, tool: str, field_name: str) -> TypeAdapter:
        """A validator for one input field (type plus its constraints), cached."""
        key = (tool, field_name)
        if key not in self._adapters:
            info = self.get(tool).Input.model_fields[field_name]
            ann = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
            self._adapters[key] = TypeAdapter(ann)
        return self._adapters[key]

    def as_langchain_tools(self, store: Any) -> list[Any]:
        """langchain-core ``StructuredTool``s that run these tools against ``store``.

        Each returns its Output as a JSON-able dict (refs as dicts); argument
        errors (an unknown argument, a bad number: the checks of
        :mod:`~vitron_agent.toolkit.arguments`) come back as a message string the calling model can
        act on, a ToolFailed as a message too (``handle_tool_error``).
        """
        from langchain_core.tools import StructuredTool, ToolException

        def make(tool: VisionTool) -> Any:
            def call(**kwargs: Any) -> dict[str, Any]:
                args = {k: v for k, v in kwargs.items() if v is not None}
                try:
                    out = invoke(tool, args, ToolContext(store=store, step_id=f"lc-{tool.name}"))
                except (ToolArgumentError, ToolFailed) as exc:
                    raise ToolException(str(exc)) from None
                return out.model_dump(mode="json")

            # the strict input: LangChain validates with args_schema before ``call`` and would drop
            # an unknown argument ("amout") silently; a bad argument comes back as the message
            return StructuredTool.from_function(
                func=call,
                name=tool.name,
                description=tool.description,
                args_schema=strict_input(tool.Input),
                handle_tool_error=True,
                handle_validation_error=lambda exc: BAD_ARGUMENTS.format(
                    tool=tool.name, details=format_validation_error(exc)
                ),
            )

        return [make(tool) for tool in self]
