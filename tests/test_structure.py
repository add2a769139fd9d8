"""The shape of the house, checked on the source: no import cycles, small modules, thin
handlers, and the store reached only through the services."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.test_purity import ROOT, imported

PACKAGES = ("bot", "storage")
MAX_MODULE_LINES = 300
MAX_HANDLER_LINES = 30
# who may hold the store: the services, storage itself, and what builds them
STORE_OWNERS = ("bot/services/", "storage/", "bot/admin_cli.py", "bot/research_cli.py",
                "bot/doctor.py",
                "bot/cli.py", "bot/demo.py")


def _modules() -> dict[str, Path]:
    found = {}
    for top in PACKAGES:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for target in imported(path.read_text(encoding="utf-8"), package):
            while target and target not in modules:
                target = target.rpartition(".")[0]  # "bot.core.models.Participant" -> module
            if target and target != name and not name.startswith(target + "."):
                targets.add(target)  # a package's own __init__ is not a cycle
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules (empty when there is none)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a"}}) == []


def test_no_import_cycles_anywhere() -> None:
    assert find_cycle(_edges(_modules())) == []


def test_no_module_over_300_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _modules().values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_handler_over_30_lines() -> None:
    long = {}
    for path in sorted((ROOT / "bot/chat/handlers").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AsyncFunctionDef) and [a.arg for a in node.args.args][:2] == [
                    "update", "context"]:
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_HANDLER_LINES:
                    long[f"{path.name}:{node.name}"] = size
    assert long == {}


def test_only_the_services_touch_the_store() -> None:
    found = []
    for path in _modules().values():
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(STORE_OWNERS):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("store", "_store", "sync"):
                found.append(f"{rel}:{node.lineno}")
    assert found == []
