"""bot/core stays pure and storage never talks to Telegram: checked on the source (AST)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = {
    "bot/core": {"telegram", "tinydb", "yaml", "aiohttp", "httpx"},
    "storage": {"telegram", "aiohttp", "httpx"},
}


def forbidden_imports(source: str, banned: set[str]) -> list[str]:
    """Return the banned top-level packages that ``source`` imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.extend(n for n in names if n.split(".")[0] in banned)
    return found


@pytest.mark.parametrize("folder", sorted(RULES))
def test_layer_imports_nothing_it_must_not(folder: str) -> None:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files
    offenders = {
        str(path.relative_to(ROOT)): bad
        for path in files
        if (bad := forbidden_imports(path.read_text(encoding="utf-8"), RULES[folder]))
    }
    assert offenders == {}


@pytest.mark.parametrize("source", [
    "import telegram", "from telegram.ext import Application", "import tinydb as t",
    "def f():\n    from yaml import safe_load\n", "import os, telegram.error",
])
def test_the_checker_catches_every_import_form(source: str) -> None:
    assert forbidden_imports(source, RULES["bot/core"])


def test_the_checker_allows_the_standard_library() -> None:
    assert forbidden_imports("import json\nfrom datetime import date\n", RULES["bot/core"]) == []
