"""One check of a tool call's argument names and numbers, whatever door the call came through.

A plan step, a direct call (``tool(ctx, ...)``), an MCP ``tools/call`` and a LangChain tool call all
reach a tool's pydantic ``Input``; pydantic alone drops an unknown argument silently (a typo such as
``amout`` ran with the default), reads ``true`` as 1, a 5,000-digit string as ``inf`` and takes 1e9
seconds where a field states no upper bound. Here every number argument is checked against its
field's range (``ge``/``gt``/``le``/``lt``; :data:`NUMBER_CEILING` where a field states none), and
every unknown name is refused naming the tool's arguments, with one message per problem that says
the argument, what it takes and the fix.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import types
import typing
from typing import Any, Union

import annotated_types as at
from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.fields import FieldInfo

__all__ = [
    "NUMBER_CEILING",
    "argument_problems",
    "number_problem",
    "strict_input",
    "unknown_argument_problems",
]

# A number field that states no upper bound (seconds into a clip, a frame index, a step) still takes
# no more than this: a clip is capped at an hour and 20,000 frames, so a bigger value is a mistake.
NUMBER_CEILING = 1_000_000
MAX_NUMBER_TEXT = 32
PLAIN_NUMBER = re.compile(r"^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?\s*$")

UNKNOWN_ARGUMENT = "no argument {name!r};{hint} its arguments are: {known}"
BAD_NUMBER = "argument {name!r} = {shown} is invalid: {why}{takes}, e.g. {example}{fix}"
NOT_A_NUMBER = "it is not a number; "
NOT_FINITE = "it is not a finite number; "
NOT_WHOLE = "it is not a whole number; "
COMMA_FIX = " (write {fixed} with a decimal point, not a comma)"


def _number_type(annotation: Any) -> type | None:
    """``int`` or ``float`` where the field takes a plain number (optionally ``None``), else None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _number_type(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        found = {_number_type(a) for a in typing.get_args(annotation) if a is not type(None)}
        return found.pop() if len(found) == 1 else None
    return annotation if annotation in (int, float) else None


def _bounds(info: FieldInfo) -> tuple[float, bool, float, bool]:
    """(low, low is open, high, high is open) from the field's constraints."""
    low, low_open, high, high_open = -NUMBER_CEILING, False, NUMBER_CEILING, False
    for meta in info.metadata:
        if isinstance(meta, at.Ge):
            low, low_open = meta.ge, False
        elif isinstance(meta, at.Gt):
            low, low_open = meta.gt, True
        elif isinstance(meta, at.Le):
            high, high_open = meta.le, False
        elif isinstance(meta, at.Lt):
            high, high_open = meta.lt, True
    return low, low_open, high, high_open


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _takes(kind: type, bounds: tuple[float, bool, float, bool]) -> str:
    low, low_open, high, high_open = bounds
    what = "a whole number" if kind is int else "a number"
    start = f"above {_num(low)}" if low_open else f"from {_num(low)}"
    end = f"below {_num(high)}" if high_open else f"to {_num(high)}"
    return f"it takes {what} {start} {end}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:24]}... ({len(str(value))} characters)"


def _example(info: FieldInfo, kind: type, bounds: tuple[float, bool, float, bool]) -> str:
    default = info.default
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return _num(default)
    low, low_open, high, _ = bounds
    if low_open:
        return _num(min(low + 1, high) if kind is int else (low + min(high, low + 2)) / 2)
    return _num(max(low, 0) if low <= 0 <= high else low)


def number_problem(name: str, info: FieldInfo, value: Any) -> str | None:
    """What is wrong with ``value`` for the number field ``name`` (None when it is fine, or when the
    field takes no plain number: a reference, a list, a literal choice are checked elsewhere)."""
    kind = _number_type(info.annotation)
    if kind is None or value is None:
        return None
    bounds = _bounds(info)
    why, fix = _number_fault(kind, bounds, value)
    if why is None:
        return None
    return BAD_NUMBER.format(
        name=name,
        shown=_shown(value),
        why=why,
        takes=_takes(kind, bounds),
        example=_example(info, kind, bounds),
        fix=fix,
    )


def _number_fault(kind: type, bounds: tuple[float, bool, float, bool], value: Any) -> tuple[str | None, str]:
    """(why ``value`` is no good, or None; a fix beyond the range) for a field of ``kind``."""
    if isinstance(value, str):
        if len(value) > MAX_NUMBER_TEXT or not PLAIN_NUMBER.match(value):
            fixed = value.replace(",", ".", 1)
            comma = "," in value and len(value) <= MAX_NUMBER_TEXT and PLAIN_NUMBER.match(fixed)
            return NOT_A_NUMBER, COMMA_FIX.format(fixed=fixed.strip()) if comma else ""
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return NOT_A_NUMBER, ""
    if isinstance(value, float) and not math.isfinite(value):
        return NOT_FINITE, ""
    if kind is int and not float(value).is_integer():
        return NOT_WHOLE, ""
    low, low_open, high, high_open = bounds
    if value < low or value > high or (low_open and value == low) or (high_open and value == high):
        return "", ""
    return None, ""


def unknown_argument_problems(names: typing.Iterable[str], known: typing.Iterable[str]) -> list[str]:
    """One message per name not in ``known``, with the closest known name and all of them."""
    known = list(known)
    problems = []
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(str(name), known, n=1)
            hint = f" did you mean {close[0]!r}?" if close else ""
            problems.append(UNKNOWN_ARGUMENT.format(name=name, hint=hint, known=", ".join(known) or "none"))
    return problems


def argument_problems(model: type[BaseModel], args: dict[str, Any]) -> list[str]:
    """Every unknown name and every bad number in ``args`` (raw, before pydantic's coercion) for the
    tool whose input model is ``model``."""
    fields = model.model_fields
    problems = unknown_argument_problems(args, fields)
    for name, value in args.items():
        if name in fields:
            problem = number_problem(name, fields[name], value)
            if problem:
                problems.append(problem)
    return problems


def _checked(model: type[BaseModel], data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    problems = argument_problems(model, data)
    if problems:
        raise ValueError("; ".join(problems))
    return {k: _as_number(model.model_fields[k], v) for k, v in data.items()}


def _as_number(info: FieldInfo, value: Any) -> Any:
    """A checked number as its field's type: "3" -> 3 for a whole number, and -0.0 -> 0.0 (a "-0 s" in
    an answer or a file name says nothing more)."""
    kind = _number_type(info.annotation)
    if kind is None or value is None:
        return value
    number = float(value) if isinstance(value, str) else value
    if kind is int:
        return int(number)
    return 0.0 if number == 0 else number


@functools.cache
def strict_input(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` that refuses unknown arguments and bad numbers with :func:`argument_problems`'
    messages (a subclass: a tool's ``run`` gets an instance of its own ``Input``)."""

    def check_arguments_first(cls: type[BaseModel], data: Any) -> Any:
        return _checked(model, data)

    namespace = {
        "__module__": model.__module__,
        "__doc__": model.__doc__,
        "__qualname__": model.__qualname__,
        "model_config": ConfigDict(**{**model.model_config, "extra": "forbid"}),
        "check_arguments_first": model_validator(mode="before")(classmethod(check_arguments_first)),
    }
    return type(model.__name__, (model,), namespace)
