"""The package's regular expressions compiled once per machine, not once per process.

A no-model request ("make it grayscale") used to spend about half a second of an idle second
compiling the nine hundred patterns the planner's records, its lexicon and the tools define when
their modules load: all of it in the pure-Python half of :mod:`re` (``re._parser``, then
``re._compiler._code``), which turns each pattern into a list of integers for the C matcher.
Routing each module's patterns through a helper by hand (as ``planners/rule/compiled_patterns``
does for the intent table) leaves out every pattern written later, so this is done once, where
every pattern passes: :func:`install` wraps :func:`re._compile` (which ``re.compile``,
``re.search``, ``re.sub``, … all call) and, **for callers inside this package only** (a module
whose ``__name__`` starts with ``vitron_agent``), hands the C matcher (``_sre.compile``, the call
``re.compile`` ends with) the integer program kept in the user's cache
(:mod:`vitron_agent.loading.disk_cache`, keyed by the Python version). The result is the pattern
object ``re.compile`` builds (equal by ``==``, which compares the programs), in microseconds.

- Every other caller (the standard library, third-party packages) goes to :mod:`re` untouched.
- The C matcher checks every program it is given: a malformed one (a cut or garbled file) is refused,
  then compiled as always (and the cache rewritten). A program altered into another well-formed one is
  not detected: the file is the user's own (mode 0600), written only by this module.
- Programs compiled in this process and not yet on disk are written when the process ends
  (:mod:`atexit`), merged with what is there, at most :data:`KEEP` of them (the ones this process
  used first), so patterns built from requests' words cannot grow the file without bound; the file
  is the user's own (mode 0600: such a pattern holds a word of a request). Past ``2 * KEEP``
  patterns in one process, new ones go to :mod:`re`'s own cache.
- ``VITRON_PATTERN_CACHE=0`` turns it off; where ``re``'s private layout differs (another Python)
  or anything here fails, the pattern is compiled by :mod:`re` as before: reading never depends
  on the cache.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import sys
import threading
from array import array
from typing import Any

__all__ = ["install", "installed", "KEEP"]

log = logging.getLogger("vitron_agent.cache")

KEEP = 4000  # programs kept on disk at most
_KIND = "re-programs"
_OWN = "vitron_agent"
_LOCK = threading.Lock()
_STATE: dict[str, Any] = {"loaded": None, "new": {}, "used": [], "memo": {}, "original": None, "saving": False}


def installed() -> bool:
    """Whether :func:`install` has wrapped ``re._compile`` in this process."""
    return _STATE["original"] is not None


def install() -> None:
    """Wrap ``re._compile`` (module docstring); idempotent; nothing when ``VITRON_PATTERN_CACHE=0``,
    when ``re`` has no ``_compile`` or the C matcher's ``compile`` is missing, or when this Python's
    integers are not 4-byte programs."""
    if installed() or os.environ.get("VITRON_PATTERN_CACHE", "1") == "0":
        return
    try:
        import _sre
        from re import _compiler, _parser  # type: ignore[attr-defined]  # noqa: F401

        if not callable(getattr(re, "_compile", None)) or _sre.CODESIZE != 4 or array("I").itemsize != 4:
            return
    except Exception:  # another Python's re: compile as always
        return
    original = re._compile  # type: ignore[attr-defined]

    def _compile(pattern: Any, flags: Any) -> Any:
        if type(pattern) is str and _own_caller():
            try:
                return _cached(pattern, int(flags), original)
            except Exception as exc:  # anything unexpected: as re would, and say why once at debug level
                log.debug("pattern %.60r compiled without the cache: %s", pattern, exc)
        return original(pattern, flags)

    _STATE["original"] = original
    re._compile = _compile  # type: ignore[attr-defined]
    atexit.register(save)


def _own_caller() -> bool:
    """Whether the first frame outside ``re`` (and this module) belongs to this package."""
    frame = sys._getframe(2)
    for _ in range(4):
        if frame is None:
            return False
        name = frame.f_globals.get("__name__", "")
        if name not in ("re", __name__):
            return name.startswith(_OWN)
        frame = frame.f_back
    return False


def _cached(text: str, flags: int, original: Any) -> Any:
    memo = _STATE["memo"]
    key = f"{flags}\0{text}"
    hit = memo.get(key)
    if hit is not None:
        return hit
    if flags & re.DEBUG:  # (prints while compiling: never from the cache)
        return original(text, flags)
    programs = _loaded()
    program = programs.get(key)
    if program is None and len(memo) >= 2 * KEEP:  # past the memo's size: re's own cache, as without this one
        return original(text, flags)
    pattern = None
    if program is not None:
        try:
            pattern = _from_program(text, program)
        except Exception as exc:  # refused by the C matcher: compiled again below and kept
            log.debug("cached program of %.60r refused (%s)", text, exc)
    if pattern is None:
        program = _program(text, flags)  # re.error for a bad pattern, as re.compile raises it
        pattern = _from_program(text, program)
        with _LOCK:
            if len(_STATE["new"]) < KEEP:  # (a long-running server compiling patterns from many requests' words)
                _STATE["new"][key] = program
    with _LOCK:
        if len(memo) < 2 * KEEP:  # (patterns built from many requests' words: not all kept)
            memo[key] = pattern
            _STATE["used"].append(key)
    return pattern


def program_parts(text: str, flags: int) -> tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]:
    """What ``re.compile(text, flags)`` hands the C matcher, as ``re._compiler.compile`` builds it:
    (flags, program, groups, group index, index to group). Also planners/rule/compiled_patterns's."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(text, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, k in groupindex.items():
        indexgroup[k] = name
    return (
        int(flags | parsed.state.flags),
        [int(c) for c in code],
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _program(text: str, flags: int) -> tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]:
    """:func:`program_parts` with the program as 4-byte integers (the cache's form)."""
    flags_out, code, groups, groupindex, indexgroup = program_parts(text, flags)
    return flags_out, array("I", code).tobytes(), groups, groupindex, indexgroup


def _from_program(text: str, program: tuple[Any, ...]) -> re.Pattern[str]:
    import _sre

    flags, code, groups, groupindex, indexgroup = program
    ints = array("I")
    ints.frombytes(code)
    return _sre.compile(text, flags, ints.tolist(), groups, dict(groupindex), tuple(indexgroup))


def _valid(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(p, tuple) and len(p) == 5 for p in value.values())


def _key() -> str:
    from vitron_agent.loading.disk_cache import stamp

    return stamp(sys.version, "re-programs 1")


def _read() -> dict[str, Any]:
    from vitron_agent.loading.disk_cache import read_table

    try:
        return read_table(_KIND, _key(), _valid) or {}
    except Exception as exc:  # unreadable: compiled as always, rewritten at exit
        log.debug("the pattern cache cannot be read: %s", exc)
        return {}


def _loaded() -> dict[str, Any]:
    if _STATE["loaded"] is None:
        with _LOCK:
            if _STATE["loaded"] is None:
                _STATE["loaded"] = _read()
    return _STATE["loaded"]


def save() -> None:
    """Write the programs compiled in this process that the file lacks (merged with the file's
    own, this process's first, at most :data:`KEEP`); nothing when none are new."""
    with _LOCK:
        new, used = dict(_STATE["new"]), list(_STATE["used"])
        if not new or _STATE["saving"]:
            return
        _STATE["saving"] = True
    try:
        from vitron_agent.loading.disk_cache import write_table

        on_disk = _read()  # (another process may have written meanwhile)
        mine = {k: new.get(k) or on_disk.get(k) or _STATE["loaded"].get(k) for k in dict.fromkeys(used)}
        merged = {k: v for k, v in mine.items() if v is not None}
        for k, v in on_disk.items():
            if len(merged) >= KEEP:
                break
            merged.setdefault(k, v)
        write_table(_KIND, _key(), dict(list(merged.items())[:KEEP]), private=True)
        with _LOCK:
            _STATE["new"] = {}
    except Exception as exc:  # no writable cache: compiled in every process, as without it
        log.debug("the pattern cache cannot be written: %s", exc)
    finally:
        _STATE["saving"] = False
