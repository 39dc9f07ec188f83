"""The command line: ``vitron-agent run | plan | batch | tools | sessions | review | chat | resume |
serve | ui | mcp | serve-models | check-config | make-tiny-checkpoints | fetch-weights | demo | eval``.

Each command is a surface: one parser-and-run pair its module declares
(:mod:`vitron_agent.cli.surface`). The built-in ones live in ``turn_commands`` (turns, plans,
batches, tools, setup), ``service_commands`` (sessions, review, chat and the servers: serve, ui,
mcp, serve-models) and ``eval_commands``; the arguments several share are in ``options``, what
their runs share (building the Agent, progress, printing the result) in ``args``. A plugin adds a
command with one module named in ``$VITRON_SURFACE_MODULES`` (``examples/answer_surface.py``).

Exit codes: 0 when the run completed (even with failed steps), 2 for usage
errors or unreadable input (one line on stderr). Heavy libraries load only
after the arguments are parsed, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    """One-line errors (exit 2) that say how to pass a value beginning with '-'."""

    def __init__(self, *args, **kwargs) -> None:
        import re

        super().__init__(*args, **kwargs)
        # "-5,3" (a point or box with a negative number) is a value, not an option: argparse's own
        # pattern knows only one number, so `--point -5,3` was "expected one argument"
        self._negative_number_matcher = re.compile(r"^-\d*\.?\d+(e[-+]?\d+)?(\s*,\s*-?\d*\.?\d+(e[-+]?\d+)?)*$", re.I)

    def parse_known_args(self, args=None, namespace=None):
        self._given = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}{_dash_hint(message, getattr(self, '_given', []))}\n")


def _dash_hint(message: str, given: list[str]) -> str:
    """How to pass a value or a file whose name begins with '-' (argparse takes it for an option)."""
    import re

    option = re.match(r"argument (--[\w-]+)(/-\w)?: expected one argument", message)
    if option:
        name = option.group(1)
        after = [given[i + 1] for i, word in enumerate(given[:-1]) if word == name and given[i + 1][:1] == "-"]
        return f" (a value that begins with '-' goes after '=': {name}={after[0]})" if after else ""
    if message.startswith("unrecognized arguments: "):
        named = [w for w in message.split(": ", 1)[1].split(" ") if w.startswith("-") and os.path.exists(w)]
        if named:
            return f" (a file whose name begins with '-' is written ./{named[0]}, or after --: -- {named[0]})"
    return ""


def build_parser() -> argparse.ArgumentParser:
    """The parser of every declared surface (built-in and plugin commands)."""
    from vitron_agent.cli.surface import surfaces

    p = _Parser(prog="vitron-agent", description="Agentic vision: plan a request into typed vision steps and run them.")
    p.add_argument("--version", action="version", version="vitron-agent 0.1.0")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for surface in surfaces().values():
        surface.add_parser(sub)
    return p


_PATH_ERRNOS = {errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EROFS, errno.EEXIST}


def main(argv: list[str] | None = None) -> int:
    command = argv is None and os.path.basename(sys.argv[0]) == "vitron-agent"  # this process is the command
    if command:
        _defer_unused_imports()
        _pause_collection()
    code = _main(argv)
    if command:
        _skip_final_collection()
    return code


# Packages registered without running their ``__init__`` in the console command: what LangGraph's
# import needs of each is one submodule, and the ``__init__`` imports much more.
_DEFERRED_PACKAGES = (
    # langgraph.runtime needs one protocol class from langgraph_sdk.auth.types; the __init__ imports
    # the SDK's HTTP client (httpx, the streaming and chat-model modules of langchain_core)
    "langgraph_sdk",
    # langsmith.run_trees needs langsmith.types.run_select_field (one Literal); the __init__ builds
    # the ~150 pydantic models of LangSmith's REST API (~0.09 s of CPU), used only by its client
    "langsmith.types",
)


def _defer_unused_imports() -> None:
    """Imports that LangGraph's own import pulls in and a command never uses (~0.2 s of CPU, a
    fifth of a no-model ``run``); only for the console command, never when ``main`` is called
    in-process:

    - each package of :data:`_DEFERRED_PACKAGES` is registered without running its
      ``__init__``; its submodules import as usual, and the first use of a name of the package
      itself (``langgraph_sdk.get_client``, ``langsmith.types.Run``) runs the ``__init__`` then,
      once, so a caller sees the whole package (tests/unit/test_warmup.py checks both);
    - httpx's own command-line client (click, rich, pygments): httpx keeps its documented stub
      ``httpx.main`` when that import fails, and this process never runs it.
    """
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    for name in _DEFERRED_PACKAGES:
        _register_without_init(name)


def _register_without_init(name: str) -> None:
    """``name`` (a package) in ``sys.modules`` with its ``__init__`` not yet run; the first
    attribute of its own that is asked for runs it. Nothing is done when the package is imported
    already or cannot be found (a version that moved it: then it imports as usual)."""
    if name in sys.modules:
        return
    import importlib.util
    import threading

    try:
        spec = importlib.util.find_spec(name)
    except ImportError:  # (its parent package is missing)
        return
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return
    package = importlib.util.module_from_spec(spec)
    once, ran = threading.RLock(), []

    def __getattr__(attr: str) -> object:  # the package's own names: its __init__ runs now, once
        with once:  # (another thread asking meanwhile waits here for the whole package)
            if not ran:
                ran.append(True)
                try:
                    spec.loader.exec_module(package)
                finally:
                    if vars(package).get("__getattr__") is __getattr__:  # (not one the __init__ defines)
                        del package.__getattr__
        names = vars(package)  # (asked again while the __init__ runs: what it has defined so far)
        if attr in names:
            return names[attr]
        own = names.get("__getattr__")
        if own is not None and own is not __getattr__:
            return own(attr)
        raise AttributeError(f"module {name!r} has no attribute {attr!r}")

    package.__getattr__ = __getattr__  # type: ignore[attr-defined]
    sys.modules[name] = package
    parent, _, child = name.rpartition(".")
    if parent:  # as an import of the submodule would: the parent's attribute names it
        setattr(sys.modules[parent], child, package)


_collection_paused = False


def _pause_collection() -> None:
    """The cyclic garbage collector is off while the command starts up: the imports make hundreds
    of thousands of objects (LangGraph, langsmith, pydantic models) and each of the collector's
    runs walks them all again to find next to nothing (~0.08 s of CPU, a tenth of the imports).
    :func:`start_up_done` switches it back on before any work that makes garbage."""
    global _collection_paused
    import gc

    if gc.isenabled():
        gc.disable()
        _collection_paused = True


def start_up_done() -> None:
    """The command has started up (its parser run; for a turn, its Agent built): the garbage
    collector comes back on, with what start-up made frozen (kept, never walked again). Nothing
    happens unless the console command paused it (never for ``main`` called in-process)."""
    global _collection_paused
    if _collection_paused:
        import gc

        _collection_paused = False
        gc.freeze()
        gc.enable()


# commands whose start-up goes on past the parser: they call start_up_done once their Agent is built
_START_UP_IN_RUN = frozenset({"run", "demo"})


def _skip_final_collection() -> None:
    """The process ends next. The interpreter's last garbage collection walks every object the
    imports made (LangGraph, langsmith, pydantic models: ~0.3 s of CPU, a quarter of a no-model
    ``run``) to free memory the OS takes back anyway; freezing them skips that walk. atexit
    handlers and module teardown still run; the command's files are closed by now (``with``
    blocks, ``agent.close()``). Not done when ``main`` is called in-process (tests, scripts)."""
    import gc

    gc.disable()
    gc.freeze()


def _main(argv: list[str] | None) -> int:
    from vitron_agent.cli.terminal_text import for_terminal
    from vitron_agent.core.errors import ConfigError, VitronError

    try:
        parser = build_parser()
    except ConfigError as exc:  # a plugin module named in the environment cannot be imported
        print(f"vitron-agent: error: {for_terminal(exc)}", file=sys.stderr)
        return 2
    args, extra = parser.parse_known_args(argv)
    late = ("session", "new_session") if getattr(args, "action", None) == "fork" else ("session",)
    for name in late if args.command == "sessions" else ():
        # `sessions show --db s.sqlite d1`: the id after an option (argparse had "unrecognized arguments: d1")
        if getattr(args, name, None) is None and extra and not extra[0].startswith("-"):
            setattr(args, name, extra.pop(0))
    if extra:
        parser.error("unrecognized arguments: " + " ".join(extra))
    if args.command not in _START_UP_IN_RUN:
        start_up_done()
    from vitron_agent.cli.surface import surfaces

    try:
        return surfaces()[args.command].run(args)
    except VitronError as exc:
        lines = [line.strip().removeprefix("- ") for line in str(exc).splitlines() if line.strip()]
        print(f"vitron-agent: error: {for_terminal('; '.join(lines))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vitron-agent: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `vitron-agent tools --json | head`: the reader left; nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a path or the machine said no (permissions, a full disk): one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        hint = "; check the path and this user's rights" if exc.errno in _PATH_ERRNOS else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # no file named: say where this command writes
            hint = (
                "; the disk is full: free space where this command writes (--out, --db, the artifact "
                "folder) and run it again (`vitron-agent sessions show` lists the turns that were kept)"
            )
        print(f"vitron-agent: error: {for_terminal(where)}{for_terminal(exc.strerror or exc)}{hint}", file=sys.stderr)
        return 2
