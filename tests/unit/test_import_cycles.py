"""No import cycles among the project's modules: every import (module level or inside a
function) forms a directed graph that must be acyclic. Dynamic plugin discovery
(``importlib.import_module`` of the registry) is not an import edge."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "vitron_agent": ROOT / "vitron_agent",
    "vitron_agent.tools": ROOT / "tools",
    "vitron_agent.graphs": ROOT / "graphs",
    "vitron_agent.prompts": ROOT / "prompts",
}


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = [p for p in path.relative_to(folder).with_suffix("").parts if p != "__init__"]
            if package == "vitron_agent" and parts and parts[0] in ("tools", "graphs", "prompts"):
                continue
            found[".".join([package, *parts])] = path
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()

    def owner(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # "from pkg import name": the submodule pkg.name when there is one, else pkg
                targets = [
                    f"{node.module}.{a.name}"
                    if owner(f"{node.module}.{a.name}") == f"{node.module}.{a.name}"
                    else node.module
                    for a in node.names
                ]
            for target in targets:
                t = owner(target)
                if t and t != mod:
                    edges[mod].add(t)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in edges:
        if v not in index:
            visit(v)
    return out


def test_the_checker_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_among_project_modules():
    graph = import_graph()
    assert len(graph) > 50 and "vitron_agent.cli.turn_commands" in graph and "vitron_agent.tools.segment" in graph
    assert cycles(graph) == []
