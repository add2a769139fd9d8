"""The domain layer stays pure: bot/core and storage never import Telegram; bot/core never
imports TinyDB or YAML either. Checked on the source (AST), so a lazy import inside a
function, ``importlib.import_module("telegram")`` or ``__import__("yaml")`` is caught too.

(tests/core/test_purity.py, written earlier by someone else, has a stricter allow-list for
bot/core; this file is the ban-list the design asks for, plus storage.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BANNED: dict[str, frozenset[str]] = {
    "bot/core": frozenset({"telegram", "tinydb", "yaml"}),
    "storage": frozenset({"telegram"}),
}
_DYNAMIC = frozenset({"import_module", "__import__"})


def imported_modules(source: str) -> set[str]:
    """Every module name ``source`` imports, statically or through importlib/__import__."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                found.add(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else (
                func.id if isinstance(func, ast.Name) else None)
            if name in _DYNAMIC and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    return found


def banned_imports(source: str, banned: frozenset[str]) -> list[str]:
    """The imported names whose top-level package is banned, sorted."""
    return sorted(m for m in imported_modules(source) if m.split(".")[0] in banned)


def _files(folder: str) -> list[Path]:
    files = sorted((ROOT / folder).rglob("*.py"))
    assert files, f"no sources under {folder}"
    return files


CASES = [(folder, path) for folder in BANNED for path in _files(folder)]


@pytest.mark.parametrize(("folder", "path"), CASES,
                         ids=[str(p.relative_to(ROOT)) for _, p in CASES])
def test_layer_has_no_banned_import(folder: str, path: Path) -> None:
    assert banned_imports(path.read_text("utf-8"), BANNED[folder]) == []


def test_every_core_module_is_checked() -> None:
    names = {p.name for f, p in CASES if f == "bot/core"}
    assert {"models.py", "schedule.py", "ratings.py", "safety.py", "identity.py",
            "parsing.py", "calendar.py"} <= names


@pytest.mark.parametrize(("source", "expected"), [
    ("import telegram", ["telegram"]),
    ("import telegram.ext as ext", ["telegram.ext"]),
    ("from telegram import Bot", ["telegram"]),
    ("from telegram.error import Forbidden", ["telegram.error"]),
    ("import os, tinydb", ["tinydb"]),
    ("def load():\n    import yaml\n    return yaml", ["yaml"]),
    ("class C:\n    def m(self):\n        from tinydb.storages import Storage\n",
     ["tinydb.storages"]),
    ("if TYPE_CHECKING:\n    from telegram import Update\n", ["telegram"]),
    ("try:\n    import yaml\nexcept ImportError:\n    yaml = None\n", ["yaml"]),
    ("import importlib\nmod = importlib.import_module('telegram')", ["telegram"]),
    ("m = __import__('yaml')", ["yaml"]),
])
def test_checker_catches_each_form(source: str, expected: list[str]) -> None:
    assert banned_imports(source, BANNED["bot/core"]) == expected


@pytest.mark.parametrize("source", [
    "from datetime import date",
    "import telegramish",            # a different package whose name merely starts alike
    "from bot.core import telegram_ids",
    "from . import yaml",            # relative: a sibling module, not the library
    "x = 'import telegram'",         # a string is not an import
    "# import telegram",
])
def test_checker_ignores_lookalikes(source: str) -> None:
    assert banned_imports(source, BANNED["bot/core"]) == []


def test_storage_may_use_tinydb_but_not_telegram() -> None:
    assert banned_imports("from tinydb import TinyDB", BANNED["storage"]) == []
    assert banned_imports("import telegram", BANNED["storage"]) == ["telegram"]


def test_adding_an_import_to_a_real_core_file_would_fail() -> None:
    source = (ROOT / "bot/core/schedule.py").read_text("utf-8")
    assert banned_imports(source, BANNED["bot/core"]) == []
    assert banned_imports(source + "\nimport yaml\n", BANNED["bot/core"]) == ["yaml"]
