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
    from vitron_agent.toolkit.registry import backends

    named = [b for b in backends().values() if b.tiny is not None]
    assert named and all(isinstance(b.tiny, str) for b in named)
    assert all(callable(b.tiny_builder()) for b in named)


def test_building_the_default_toolbox_imports_no_model_framework():
    """Discovery imports every tool module: none may import torch, transformers or diffusers at
    its top (a moved layer file in tools/ once put torch's ~1 s on every `plan` and `run`)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from vitron_agent.toolkit.config import load_config\n"
        "from vitron_agent.runtime.toolset import build_toolbox\n"
        "build_toolbox(load_config(None))\n"
        "print([m for m in ('torch', 'transformers', 'diffusers') if m in sys.modules])\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT / "tests")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "[]"
