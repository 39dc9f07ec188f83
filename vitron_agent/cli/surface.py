"""The CLI's surfaces: each command (``run``, ``chat``, ``serve``, ``ui``, ``mcp``, ``eval`` ...)
is one parser-and-run pair that its module declares, the way a tool module declares its backends::

    def add_parser(sub) -> argparse.ArgumentParser:   # sub: the subparsers of `vitron-agent`
        p = sub.add_parser("hello", help="say hello")
        p.add_argument("--name", default="world")
        return p

    def run(args) -> int:                              # the exit code
        print(f"hello {args.name}")
        return 0

    register_surface(Surface("hello", add_parser, run))

Discovery imports the built-in command modules and the modules named in ``$VITRON_SURFACE_MODULES``
(module names or ``.py`` paths, comma-separated), as tools are found: adding a surface is adding one
module (``examples/answer_surface.py``). There is no entry-point group: scanning the installed
packages' metadata (importlib.metadata) cost 50-150 ms on every ``vitron-agent`` call.
Surface modules stay light at import (``vitron-agent --help`` parses every one of them): heavy
libraries load inside ``run``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Surface", "register_surface", "unregister_surface", "surfaces", "discover_surfaces"]

BUILTIN_MODULES = (
    "vitron_agent.cli.turn_commands",
    "vitron_agent.cli.service_commands",
    "vitron_agent.cli.eval_commands",
)
# the built-in commands in the order `--help` lists them; other surfaces follow in registration order
ORDER = (
    "run",
    "plan",
    "batch",
    "tools",
    "sessions",
    "review",
    "chat",
    "resume",
    "serve",
    "ui",
    "mcp",
    "serve-models",
    "check-config",
    "make-tiny-checkpoints",
    "fetch-weights",
    "demo",
    "eval",
)


@dataclass(frozen=True)
class Surface:
    """One command of ``vitron-agent``.

    Attributes:
        name: the command (``vitron-agent <name>``); ``add_parser`` must add a subparser of it.
        add_parser: ``add_parser(subparsers) -> ArgumentParser``: adds the command's parser.
        run: ``run(args) -> int``: runs the parsed command, returns the exit code. Errors that are
            a :class:`~vitron_agent.core.errors.VitronError` become one line on stderr and exit 2.
    """

    name: str
    add_parser: Callable[[Any], argparse.ArgumentParser]
    run: Callable[[argparse.Namespace], int]


_SURFACES: dict[str, Surface] = {}
_DISCOVERED: set[str] = set()


def register_surface(surface: Surface) -> Surface:
    """Declare ``surface`` (called by its module at import). The same declaration again is a no-op;
    another under a taken name is an error."""
    old = _SURFACES.get(surface.name)
    if old is not None and (old.add_parser, old.run) != (surface.add_parser, surface.run):
        same = all(
            f"{a.__module__}.{a.__qualname__}" == f"{b.__module__}.{b.__qualname__}"
            for a, b in ((old.add_parser, surface.add_parser), (old.run, surface.run))
        )
        if not same:
            raise ValueError(f"the command {surface.name!r} is already declared by {old.run.__module__}")
    _SURFACES[surface.name] = surface
    return surface


def unregister_surface(name: str) -> None:
    """Remove a surface (tests and unloaded plugins)."""
    _SURFACES.pop(name, None)


def discover_surfaces(extra: list[str] | None = None) -> None:
    """Import the surface modules (once each) so their commands are declared."""
    from vitron_agent.core.errors import ConfigError
    from vitron_agent.toolkit.plugins import import_plugin, plugin_names

    names = [*BUILTIN_MODULES, *plugin_names("VITRON_SURFACE_MODULES"), *(extra or [])]
    for name in names:
        if name in _DISCOVERED:
            continue
        try:
            import_plugin(name)
        except (ImportError, OSError) as exc:
            raise ConfigError(f"surface module {name!r} cannot be imported: {exc}") from None
        _DISCOVERED.add(name)


def surfaces() -> dict[str, Surface]:
    """Every declared command by name: the built-in ones in their order, then the others."""
    discover_surfaces()
    rank = {n: i for i, n in enumerate(ORDER)}
    return dict(sorted(_SURFACES.items(), key=lambda kv: rank.get(kv[0], len(rank))))
