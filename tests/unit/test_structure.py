"""The structure stays honest: each module's file name is unique in the project, and no tool,
graph or planner module imports the testing package (tiny-checkpoint builders are named lazily)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [ROOT / "vitron_agent", ROOT / "tools", ROOT / "graphs", ROOT / "prompts"]


def modules() -> list[Path]:
    return [p for pkg in PACKAGES for p in pkg.rglob("*.py") if "__pycache__" not in p.parts]


def test_every_module_file_name_is_unique():
    names = Counter(p.name for p in modules() if p.name != "__init__.py")
    assert [n for n, c in names.items() if c > 1] == []


def test_no_runtime_module_imports_the_testing_package():
    runtime = [p for p in modules() if "testing" not in p.parts and p.parent.name != "cli"]
    offenders = []
    for path in runtime:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(n == "vitron_agent.testing" or n.startswith("vitron_agent.testing.") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_tiny_builders_are_named_and_resolve():
    from vitron_agent.registry import backends

    named = [b for b in backends().values() if b.tiny is not None]
    assert named and all(isinstance(b.tiny, str) for b in named)
    assert all(callable(b.tiny_builder()) for b in named)
