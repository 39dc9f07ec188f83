"""The package reads bottom-up, as docs/architecture.md draws it: every import (module level or
inside a function; ``if TYPE_CHECKING:`` blocks excepted, they run no code) goes to the same layer
or a lower one. The layers and their subpackages are read from the page's table, so the page and
the code cannot drift apart: a subpackage the page does not name, a name on the page with no
subpackage, or a module left at the top of ``vitron_agent/`` fails here."""

import ast
import re
from pathlib import Path

from tests.unit.test_import_cycles import modules

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "architecture.md"
ROOT_FOLDERS = {"tools": ROOT / "tools", "graphs": ROOT / "graphs", "prompts": ROOT / "prompts"}


def layers() -> list[tuple[str, list[str]]]:
    """(layer, subpackages) bottom-up, from the page's "Layers, bottom-up" table."""
    table = PAGE.read_text().split("## Layers, bottom-up", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0] not in ("layer", "") and not set(cells[0]) <= set("-"):
            rows.append((cells[0], re.findall(r"`(\w+)`", cells[1])))
    return rows


def layer_of() -> dict[str, int]:
    return {f"vitron_agent.{pkg}": i for i, (_, pkgs) in enumerate(layers()) for pkg in pkgs}


def rank(module: str, ranks: dict[str, int]) -> int | None:
    parts = module.split(".")
    return ranks.get(".".join(parts[:2])) if len(parts) > 1 else None


def type_only(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skip.update(id(n) for n in ast.walk(child))
    return skip


def upward_imports(mods: dict[str, Path] | None = None) -> list[str]:
    ranks = layer_of()
    names = [name for name, _ in layers()]
    found = []
    for mod, path in (modules() if mods is None else mods).items():
        here = rank(mod, ranks)
        tree = ast.parse(path.read_text())
        skip = type_only(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            else:
                continue
            for target in targets:
                there = rank(target, ranks) if target.startswith("vitron_agent.") else None
                if here is not None and there is not None and there > here:
                    found.append(f"{mod} ({names[here]}) imports {target} ({names[there]}), line {node.lineno}")
    return found


def test_the_page_names_the_layers_bottom_up():
    names = [name for name, _ in layers()]
    assert names[0] == "core" and names[-1] == "surfaces", names
    assert len(names) >= 8, names


def test_no_import_points_back_up():
    assert upward_imports() == []


def test_every_subpackage_is_on_the_page_and_every_name_on_the_page_exists():
    named = set(layer_of())
    real = {f"vitron_agent.{p.name}" for p in (ROOT / "vitron_agent").iterdir() if (p / "__init__.py").exists()}
    real |= {f"vitron_agent.{name}" for name in ROOT_FOLDERS}
    assert real - named == set(), "subpackages missing from docs/architecture.md's table"
    assert named - real == set(), "docs/architecture.md names subpackages that do not exist"
    diagram = PAGE.read_text().split("```", 2)[1]
    for pkg in real:
        short = pkg.split(".", 1)[1]
        assert f"vitron_agent/{short}/" in diagram or f"{short}/ (vitron_agent.{short})" in diagram, (
            f"{short} is not drawn in docs/architecture.md's diagram"
        )


def test_nothing_is_left_at_the_top_of_the_package():
    loose = sorted(p.name for p in (ROOT / "vitron_agent").glob("*.py") if p.name != "__init__.py")
    assert loose == [], f"modules at the top of vitron_agent/ belong in a subpackage: {loose}"


def test_tools_holds_tools_only():
    """A module under tools/ registers a tool or declares intents; helper code belongs in perception."""
    for path in sorted((ROOT / "tools").glob("*.py")):
        if path.name == "__init__.py":
            continue
        text = path.read_text()
        assert re.search(r"@register\b|register\(|register_intent\(|Intent\(", text), (
            f"tools/{path.name} registers no tool and declares no intent: move it to vitron_agent/perception/"
        )


def test_the_checker_sees_a_back_arrow(tmp_path):
    """The check can fail: a perception module importing a tool is reported."""
    folder = tmp_path / "vitron_agent" / "perception"
    folder.mkdir(parents=True)
    (folder / "bad.py").write_text("def f():\n    from vitron_agent.tools.segment import CvSegmentTool\n")
    assert upward_imports({"vitron_agent.perception.bad": folder / "bad.py"}) == [
        "vitron_agent.perception.bad (perception) imports vitron_agent.tools.segment (tools), line 2"
    ]


def test_the_wheel_lists_every_subpackage():
    """``packages`` in pyproject.toml is explicit (package-dir maps the root folders), so a subpackage
    missing from it would be missing from a built wheel though an editable install still finds it."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    real = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "vitron_agent").rglob("__init__.py")}
    real |= {f"vitron_agent.{name}" for name in ROOT_FOLDERS}
    assert real - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
