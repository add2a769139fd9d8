"""bot/core is pure: an allow-list of imports, and no clock, file or console calls (AST).

tests/bot/test_purity.py bans Telegram, TinyDB and YAML by name; this test is stricter for
the core: whatever is not on the list (os, pathlib, time, random, logging, socket...) fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "bot" / "core"
ALLOWED = frozenset({
    "__future__", "bisect", "bot", "collections", "dataclasses", "datetime", "enum",
    "functools", "hashlib", "hmac", "itertools", "math", "re", "statistics", "types",
    "typing", "unicodedata", "zoneinfo",
})
BANNED = {
    "bot/core": frozenset({"telegram", "tinydb", "yaml"}),
    "storage": frozenset({"telegram"}),
}
CLOCK_CALLS = frozenset({"now", "utcnow", "today"})
BUILTIN_CALLS = frozenset({"open", "print", "input", "exec", "eval", "__import__"})


def imported(tree: ast.AST) -> list[str]:
    """Return every absolute module name ``tree`` imports (relative ones as '.')."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module if node.level == 0 and node.module else ".")
    return names


def impure_calls(tree: ast.AST) -> list[str]:
    """Return calls that read the clock or touch files or the console."""
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in CLOCK_CALLS:
            found.append(f"{ast.unparse(func)}() at line {node.lineno}")
        elif isinstance(func, ast.Name) and func.id in BUILTIN_CALLS:
            found.append(f"{func.id}() at line {node.lineno}")
    return found


def sources(folder: str) -> list[Path]:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, folder
    return files


@pytest.mark.parametrize("folder", sorted(BANNED))
def test_layer_never_imports_telegram_and_core_no_storage_libraries(folder: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): bad
        for path in sources(folder)
        if (bad := [n for n in imported(ast.parse(path.read_text("utf-8")))
                    if n.split(".")[0] in BANNED[folder]])
    }
    assert offenders == {}


@pytest.mark.parametrize("path", sources("bot/core"), ids=lambda p: p.name)
def test_core_imports_only_the_allow_list(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    outside = [n for n in imported(tree) if n.split(".")[0] not in ALLOWED and n != "."]
    assert outside == []
    other_bot = [n for n in imported(tree) if n.startswith("bot.") and not n.startswith("bot.core")]
    assert other_bot == []


@pytest.mark.parametrize("path", sources("bot/core"), ids=lambda p: p.name)
def test_core_never_reads_the_clock_or_files(path: Path) -> None:
    assert impure_calls(ast.parse(path.read_text("utf-8"))) == []


@pytest.mark.parametrize("source, bad", [
    ("import telegram", True), ("from telegram.ext import Application", True),
    ("import tinydb as t", True), ("def f():\n    from yaml import safe_load\n", True),
    ("import os, telegram.error", True), ("from datetime import date", False),
])
def test_the_import_check_sees_every_form(source: str, bad: bool) -> None:
    names = imported(ast.parse(source))
    assert any(n.split(".")[0] in BANNED["bot/core"] for n in names) is bad


@pytest.mark.parametrize("source", [
    "datetime.now(UTC)", "date.today()", "x = datetime.datetime.utcnow()",
    "open('f')", "print(1)",
])
def test_the_call_check_sees_clock_and_file_calls(source: str) -> None:
    assert impure_calls(ast.parse(source))
