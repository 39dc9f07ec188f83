"""Numbers in a request as people type them, made plain once before any reader sees the text.

Each slot reader (a loop's count, a GIF's frame rate, a trim's seconds, a speed factor) has its own
pattern for digits; none read "1e9", "1,5" or "1,000" whole, so "loop it 1e9 times" looped 9 times,
"slow it down by 1,5x" ran at 0.2x and "trim from -5 s to 2 s" kept 0:02-0:05. Here, before the
clauses are read: scientific notation is written out, a decimal comma before a unit becomes a point,
thousands separators go; and a quantity no reader can take (a negative count, time or size, NaN,
infinity) is refused with what to say instead. A value out of a tool's range is then refused by
the plan's argument check (:mod:`vitron_agent.toolkit.arguments`), never clamped without a word.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["numbers_written_out", "impossible_number"]

# what follows a number that is a quantity of something (a count, a time, a rate, a size, a share)
_UNIT = (
    r"(?:x\b|×|times\b|fps\b|frames?\b|s\b|secs?\b|seconds?\b|ms\b|mins?\b|minutes?\b|hours?\b|hrs?\b|"
    r"degrees?\b|°|deg\b|%|percent\b|per cent\b|px\b|pixels?\b|loops?\b|plays?\b)"
)
_SCIENTIFIC = re.compile(r"(?<![\w.])(\d{1,20}(?:\.\d{1,20})?[eE][+-]?\d{1,3})(?![\w.])")
_DECIMAL_COMMA = re.compile(rf"(?<![\d,.])(\d+),(\d{{1,2}})(?=\s*{_UNIT})", re.I)
_THOUSANDS = re.compile(rf"(?<![\d,.])(\d{{1,3}}(?:,\d{{3}})+)(?![\d,])(?=\s*{_UNIT})", re.I)
_NOT_FINITE = re.compile(rf"(?<![\w.])(nan|inf|infinity|infinite)\s*{_UNIT}", re.I)
# a minus sign right before a quantity, not a range's dash ("2-3 seconds", "2 - 3 s") nor a word's
_NEGATIVE = re.compile(rf"(?<![\w.\-−])(?<!\d\s)(?:[-−]\s?|minus\s+)(\d+(?:\.\d+)?)\s*({_UNIT})", re.I)
_SIGNED_UNITS = re.compile(r"^(?:degrees?|°|deg|%|percent|per cent)$", re.I)  # "rotate -90 degrees", "-20%"

NOT_A_QUANTITY = (
    "{said!r} is not a number I can use: say how many or how long in digits, e.g. 'loop it 3 times', "
    "'a 2 second fade', 'a gif at 10 fps'."
)
NEGATIVE_QUANTITY = (
    "{said!r} is negative: a count, a time, a rate or a size cannot be below 0. Say it from the start of the clip "
    "(e.g. 'trim from 0 s to 2 s'), or 'the last 5 seconds' for the end."
)


def _positional(m: re.Match[str]) -> str:
    try:
        value = Decimal(m.group(1))
    except InvalidOperation:
        return m.group(1)
    return format(value, "f") if abs(value) <= Decimal("1e308") else m.group(1)  # past a float: as written


def numbers_written_out(text: str) -> str:
    """``text`` with "1e9" as "1000000000", "1,5x" as "1.5x" and "1,000 times" as "1000 times"."""
    text = _SCIENTIFIC.sub(_positional, text)
    text = _THOUSANDS.sub(lambda m: m.group(1).replace(",", ""), text)
    return _DECIMAL_COMMA.sub(r"\1.\2", text)


def impossible_number(text: str) -> str | None:
    """The refusal for a quantity that no tool can take ("loop it NaN times", "trim from -5 s"), or None.
    A negative angle or percentage has a meaning ("rotate -90 degrees", "-20% brightness") and stays."""
    if m := _NOT_FINITE.search(text):
        return NOT_A_QUANTITY.format(said=m.group(0).strip())
    for m in _NEGATIVE.finditer(text):
        if not _SIGNED_UNITS.match(m.group(2)) and float(m.group(1)) != 0:
            return NEGATIVE_QUANTITY.format(said=m.group(0).strip())
    return None
