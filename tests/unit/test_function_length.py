"""No function is longer than 80 lines (STYLE.md "Small pieces": split by concept, not by count) in
the package and the folders installed into it (tools/, graphs/, prompts/)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [ROOT / "vitron_agent", ROOT / "tools", ROOT / "graphs", ROOT / "prompts"]
LIMIT = 80


def long_functions(limit: int = LIMIT) -> list[str]:
    """``path:line name (n lines)`` of every function or method over ``limit`` lines (its
    decorators and docstring included: what a reader scrolls through)."""
    out = []
    for pkg in PACKAGES:
        for path in sorted(pkg.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                    n = node.end_lineno - first + 1
                    if n > limit:
                        out.append(f"{_shown(path)}:{node.lineno} {node.name} ({n} lines)")
    return out


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def test_no_function_is_over_80_lines():
    assert long_functions() == []


def test_the_check_sees_a_long_function(tmp_path, monkeypatch):
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT))
    (tmp_path / "long.py").write_text(f"def too_long():\n{body}\n\n\ndef short():\n    return 1\n")
    monkeypatch.setitem(globals(), "PACKAGES", [tmp_path])
    assert long_functions() == ["long.py:1 too_long (81 lines)"]
