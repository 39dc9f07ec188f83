"""Import a plugin module: the one path every registry takes (tools, planner kinds, CLI
surfaces). A plugin is named by a module name (``mypkg.mytool``) or a file path
(``examples/mirror_tool.py``); importing it registers what it declares. Light: no pydantic,
so the CLI's parser may discover plugins."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["import_plugin", "plugin_names"]


def plugin_names(env: str) -> list[str]:
    """The comma-separated module names or file paths in ``$env``."""
    return [m.strip() for m in os.environ.get(env, "").split(",") if m.strip()]


def import_plugin(name: str) -> ModuleType:
    """Import ``name``: a dotted module name, or a ``.py`` file path (imported once as
    ``vitron_agent_plugin_<stem>``, executed again on each call: the registries keep track of
    what they imported). Raises ImportError (or OSError) when it cannot be read."""
    if not name.endswith(".py"):
        return importlib.import_module(name)
    p = Path(name).expanduser().resolve()
    if not p.is_file():
        raise ImportError(f"no such file {name}")
    module_name = f"vitron_agent_plugin_{p.stem}"
    spec = importlib.util.spec_from_file_location(module_name, p)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module
