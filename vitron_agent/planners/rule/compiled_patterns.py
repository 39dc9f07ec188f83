"""The rule table's regular expressions, compiled once per machine instead of once per process.

The rule planner's first reading compiles a couple of hundred large patterns (the intent table's
rules and the one pattern that joins them all): about 0.3 s of an idle ``vitron-agent run``, all
of it in the pure-Python half of :mod:`re` (``re._parser`` then ``re._compiler._code``), which turns
each pattern into a list of integers for the C matcher. :func:`compile_patterns` keeps those
integer programs in the user's cache (:mod:`vitron_agent.loading.disk_cache`, keyed by every
pattern's text and flags and the Python version) and later processes hand them straight to the C
matcher (``_sre.compile``, the call ``re.compile`` ends with), so they get the same pattern objects
``re.compile`` would build (equal by ``==``, which compares the programs) in a few milliseconds.

The C matcher checks every program it is given (an edited cache file is refused, not run). Where
any of this is unavailable (another Python's private ``re`` layout, an unreadable cache) the
patterns are compiled by ``re.compile`` as before: the reading never depends on the cache.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["compile_patterns"]

log = logging.getLogger("vitron_agent.planner")

_KIND = "rule-patterns"


def _program(text: str, flags: int) -> tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]:
    """What ``re.compile(text, flags)`` hands the C matcher (loading/pattern_cache.py builds it)."""
    from vitron_agent.loading.pattern_cache import program_parts

    return program_parts(text, flags)


def _from_program(text: str, program: Sequence[Any]) -> re.Pattern[str]:
    import _sre

    flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(text, flags, code, groups, groupindex, tuple(indexgroup))


def _valid(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(p, tuple) and len(p) == 5 for p in value)


def compile_patterns(patterns: Sequence[tuple[str, int]]) -> list[re.Pattern[str]]:
    """``[re.compile(text, flags) for text, flags in patterns]``, read from the cache when this
    machine has compiled the same patterns before (module docstring)."""
    try:
        from vitron_agent.loading.disk_cache import cached_tables, stamp

        key = stamp(sys.version, *(f"{int(flags)}\0{text}" for text, flags in patterns))
        programs = cached_tables(_KIND, key, lambda: [_program(t, f) for t, f in patterns], _valid)
        if len(programs) != len(patterns):
            raise ValueError("the cached programs do not match the patterns")
        return [_from_program(text, program) for (text, _), program in zip(patterns, programs, strict=True)]
    except Exception as exc:  # another Python's re internals, a refused program: compile as always
        log.debug("rule patterns compiled without the cache: %s", exc)
        return [re.compile(text, flags) for text, flags in patterns]
