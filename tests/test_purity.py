"""The architecture's import rules, checked on the source (AST), in one place.

(a) ``bot/core`` is pure: it imports only ``CORE_ALLOWED`` (pure standard-library modules,
    scipy's and numpy's numerics, and ``bot.core`` itself), so never telegram, tinydb,
    yaml, os, pathlib, time, random, logging..., and it never reads the clock, opens a file
    or writes to the console.
(b) ``storage`` never imports telegram (nor an HTTP client).
(c) Only the chat edge, ``CHAT_EDGE``, imports telegram.

An import counts wherever it is written: at module level, inside a function or class, under
``if TYPE_CHECKING:`` or ``try:``, and through ``importlib.import_module("...")`` or
``__import__("...")`` with a literal name. Relative imports are resolved against the file's
package, so ``from .. import service`` inside ``bot/core`` is seen as ``bot.service``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The only code that may import telegram: paths from the repository root, a trailing "/" for
# a whole package: the chat edge, and the simulator's in-process transport for PTB.
CHAT_EDGE = ("bot/chat/", "bot/simulator/inprocess.py")
# The code the rules apply to: what ships.
PACKAGES = ("bot", "storage")

# What bot/core may import. A new pure dependency of the core is added here, deliberately.
CORE_ALLOWED = frozenset({
    "__future__", "bisect", "bot.core", "collections", "dataclasses", "datetime", "enum",
    "functools", "hashlib", "hmac", "itertools", "math", "re", "statistics", "string", "types",
    "typing", "unicodedata", "zoneinfo",
    # pure, deterministic numerics: the field's tested routines (Theil-Sen, Kendall) instead
    # of hand-written ones; no I/O, no clock
    "scipy", "numpy",
})
STORAGE_BANNED = frozenset({"telegram", "aiohttp", "httpx"})
CLOCK_ATTRIBUTES = frozenset({"now", "utcnow", "today"})
IMPURE_BUILTINS = frozenset({
    "open", "print", "input", "breakpoint", "exec", "eval", "compile", "__import__",
})
_DYNAMIC_IMPORTS = frozenset({"import_module", "__import__"})


# --- the checker ------------------------------------------------------------------------------

def imported(source: str, package: str = "") -> list[str]:
    """Every module ``source`` imports, in order; relative ones resolved against ``package``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                found.append(node.module or "")
                continue
            parts = package.split(".") if package else []
            base = parts[: len(parts) - node.level + 1] if node.level - 1 <= len(parts) else []
            if node.module:
                found.append(".".join([*base, node.module]))
            else:  # "from . import models" imports the sibling module bot.core.models
                found.extend(".".join([*base, alias.name]) for alias in node.names)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in _DYNAMIC_IMPORTS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.append(first.value)
    return found


def within(module: str, names: Iterable[str]) -> bool:
    """True when ``module`` is one of ``names`` or inside one of them (not a lookalike)."""
    return any(module == name or module.startswith(name + ".") for name in names)


def banned_imports(source: str, banned: Iterable[str], package: str = "") -> list[str]:
    banned = tuple(banned)
    return [m for m in imported(source, package) if within(m, banned)]


def outside_core_allow_list(source: str, package: str = "bot.core") -> list[str]:
    return [m for m in imported(source, package) if not within(m, CORE_ALLOWED)]


def impure_uses(source: str) -> list[str]:
    """Reads of the clock and uses of file or console builtins, called or merely referenced.

    A clock read is any call of ``.now()``/``.utcnow()``/``.today()``, or a reference to
    ``datetime.now`` or ``date.today`` (``clock = datetime.now``); an attribute that merely
    holds an injected instant (``self.now``) is fine.
    """
    tree = ast.parse(source)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in CLOCK_ATTRIBUTES and (
                id(node) in called or _last_name(node.value) in _CLOCK_OWNERS):
            found.append(f"{ast.unparse(node)} at line {node.lineno}")
        elif (isinstance(node, ast.Name) and node.id in IMPURE_BUILTINS
              and isinstance(node.ctx, ast.Load)):  # a field called "input" is no call
            found.append(f"{node.id} at line {node.lineno}")
    return found


_CLOCK_OWNERS = frozenset({"datetime", "date"})


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def in_chat_edge(path: str) -> bool:
    return any(path == edge or (edge.endswith("/") and path.startswith(edge))
               for edge in CHAT_EDGE)


def telegram_outside_the_edge(sources: Mapping[str, str]) -> dict[str, list[str]]:
    """``{path: telegram imports}`` for every file outside the chat edge that imports it."""
    return {path: bad for path, source in sorted(sources.items())
            if not in_chat_edge(path) and (bad := banned_imports(source, {"telegram"}))}


# --- the rules on the real code -----------------------------------------------------------------

def files(folder: str) -> list[Path]:
    found = sorted((ROOT / folder).rglob("*.py"))
    assert found, f"no sources under {folder}"
    return found


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).parent.parts)


CORE = files("bot/core")
STORAGE = files("storage")


@pytest.mark.parametrize("path", CORE, ids=rel)
def test_core_imports_only_the_allow_list(path: Path) -> None:
    assert outside_core_allow_list(path.read_text("utf-8"), package_of(path)) == []


@pytest.mark.parametrize("path", CORE, ids=rel)
def test_core_never_reads_the_clock_opens_files_or_prints(path: Path) -> None:
    assert impure_uses(path.read_text("utf-8")) == []


@pytest.mark.parametrize("path", STORAGE, ids=rel)
def test_storage_never_imports_telegram_or_http(path: Path) -> None:
    assert banned_imports(path.read_text("utf-8"), STORAGE_BANNED, package_of(path)) == []


def test_only_the_chat_edge_imports_telegram() -> None:
    sources = {rel(p): p.read_text("utf-8") for folder in PACKAGES for p in files(folder)}
    assert telegram_outside_the_edge(sources) == {}


@pytest.mark.parametrize("edge", CHAT_EDGE)
def test_every_chat_edge_entry_names_real_code(edge: str) -> None:
    target = ROOT / edge
    assert target.is_dir() if edge.endswith("/") else target.is_file()


def test_one_more_line_in_a_real_core_file_would_fail() -> None:
    source = (ROOT / "bot/core/schedule.py").read_text("utf-8")
    assert outside_core_allow_list(source) == [] and impure_uses(source) == []
    assert outside_core_allow_list(source + "\nimport yaml\n") == ["yaml"]
    assert impure_uses(source + "\ndef f():\n    return datetime.now(UTC)\n")


# --- the checker on source strings ------------------------------------------------------------

TELEGRAM_TINYDB_YAML = frozenset({"telegram", "tinydb", "yaml"})


@pytest.mark.parametrize(("source", "expected"), [
    ("import telegram", ["telegram"]),
    ("import telegram.ext as ext", ["telegram.ext"]),
    ("from telegram import Bot", ["telegram"]),
    ("from telegram.ext import Application", ["telegram.ext"]),
    ("from telegram.error import Forbidden", ["telegram.error"]),
    ("import os, telegram.error", ["telegram.error"]),
    ("import os, tinydb", ["tinydb"]),
    ("import tinydb as t", ["tinydb"]),
    ("def load():\n    import yaml\n    return yaml", ["yaml"]),
    ("def f():\n    from yaml import safe_load\n", ["yaml"]),
    ("class C:\n    def m(self):\n        from tinydb.storages import Storage\n",
     ["tinydb.storages"]),
    ("if TYPE_CHECKING:\n    from telegram import Update\n", ["telegram"]),
    ("try:\n    import yaml\nexcept ImportError:\n    yaml = None\n", ["yaml"]),
    ("import importlib\nmod = importlib.import_module('telegram')", ["telegram"]),
    ("from importlib import import_module\nimport_module('telegram.ext')", ["telegram.ext"]),
    ("m = __import__('yaml')", ["yaml"]),
])
def test_checker_finds_every_form_of_import(source: str, expected: list[str]) -> None:
    assert banned_imports(source, TELEGRAM_TINYDB_YAML) == expected


@pytest.mark.parametrize("source", [
    "from datetime import date",
    "import json\nfrom datetime import date\n",
    "import telegramish",            # a different package whose name merely starts alike
    "from bot.core import telegram_ids",
    "from . import yaml",            # relative: a sibling module, not the library
    "x = 'import telegram'",         # a string is not an import
    "# import telegram",
])
def test_checker_ignores_lookalikes(source: str) -> None:
    assert banned_imports(source, TELEGRAM_TINYDB_YAML, package="bot.core") == []


@pytest.mark.parametrize(("source", "outside"), [
    ("from datetime import date, timedelta", []),
    ("from zoneinfo import ZoneInfo", []),
    ("from collections.abc import Iterable", []),
    ("from bot.core.models import Group", []),
    ("from bot.core import ratings", []),
    ("from .models import Group", []),
    ("from . import models", []),
    ("import telegram", ["telegram"]),
    ("from tinydb import TinyDB", ["tinydb"]),
    ("import yaml", ["yaml"]),
    ("import os", ["os"]),
    ("from pathlib import Path", ["pathlib"]),
    ("import time", ["time"]),
    ("import random", ["random"]),
    ("import json", ["json"]),       # pure, but not on the list: adding it is a decision
    ("def f():\n    import logging\n", ["logging"]),
    ("import importlib\nimportlib.import_module('socket')", ["importlib", "socket"]),
    ("__import__('os')", ["os"]),
    ("from bot.services import Jeda", ["bot.services"]),
    ("from bot.contentschema import Exercise", ["bot.contentschema"]),
    ("from bot import config", ["bot"]),
    ("from .. import service", ["bot.service"]),
    ("from ..storage import Store", ["bot.storage"]),
    ("from ...storage import Store", ["storage"]),
])
def test_core_allow_list(source: str, outside: list[str]) -> None:
    assert outside_core_allow_list(source) == outside


@pytest.mark.parametrize("source", [
    "datetime.now(UTC)", "date.today()", "x = datetime.datetime.utcnow()",
    "def f():\n    return datetime.now()\n", "clock = datetime.now", "today = dt.date.today",
    "self.clock.now()",
    "open('f')", "print(1)", "say = print", "input()", "eval('1')", "exec('x = 1')",
    "compile('1', 'f', 'eval')", "breakpoint()", "__import__('os')",
])
def test_impure_use_check_sees_clock_file_and_console(source: str) -> None:
    assert impure_uses(source)


@pytest.mark.parametrize("source", [
    "datetime.combine(day, time(12), tzinfo=UTC)", "now.astimezone(zone).time()",
    "def tick(now: datetime) -> None:\n    return now\n", "date.fromisoformat('2026-01-01')",
    "timedelta(days=1)", "x = 'print(1)'",
    "self.now = now", "local = self.now.astimezone(zone)",  # an injected instant, kept
    "class Field:\n    input: str\n",  # a field named like a builtin
])
def test_impure_use_check_allows_pure_date_arithmetic(source: str) -> None:
    assert impure_uses(source) == []


@pytest.mark.parametrize(("source", "expected"), [
    ("from tinydb import TinyDB", []), ("import json, os", []),
    ("import telegram", ["telegram"]), ("def f():\n    from telegram.error import X\n",
                                        ["telegram.error"]),
    ("import httpx", ["httpx"]), ("from aiohttp import web", ["aiohttp"]),
])
def test_storage_rule(source: str, expected: list[str]) -> None:
    assert banned_imports(source, STORAGE_BANNED, package="storage") == expected


@pytest.mark.parametrize(("path", "inside"), [
    ("bot/chat/app.py", True), ("bot/chat/handlers/rating.py", True),
    ("bot/chat/__init__.py", True), ("bot/simulator/inprocess.py", True),
    ("bot/simulator/server.py", False), ("bot/chatter.py", False), ("bot/app.py", False),
    ("bot/services/ratings.py", False),
    ("bot/core/schedule.py", False), ("storage/aio.py", False),
])
def test_chat_edge_membership(path: str, inside: bool) -> None:
    assert in_chat_edge(path) is inside


def test_telegram_outside_the_edge_names_only_the_offenders() -> None:
    sources = {
        "bot/chat/jobs.py": "from telegram.error import Forbidden",
        "bot/chat/handlers/x.py": "import telegram",
        "bot/services/ratings.py": "def f():\n    from telegram import Bot\n",
        "storage/aio.py": "import importlib\nimportlib.import_module('telegram')",
        "bot/cli.py": "import telegramish",
    }
    assert telegram_outside_the_edge(sources) == {
        "bot/services/ratings.py": ["telegram"], "storage/aio.py": ["telegram"]}
