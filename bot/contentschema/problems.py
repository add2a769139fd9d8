"""Problems found in content, the error that carries them, and the per-file checker."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

FieldPath = tuple[str | int, ...]


class _Missing:
    """Stands for a key that is absent (already reported as missing): checks stay quiet."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def format_path(path: FieldPath) -> str:
    """``("exercises", 2, "text", "en")`` -> ``exercises[2].text.en``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in one content file.

    ``file`` is relative to the content folder (``modules/relaxation.yaml``); ``line`` is
    1-based, or None when the problem is about the file or folder as a whole; ``path`` is the
    field path inside the file (``exercises[2].steps[0].text.en``), empty for the whole file.
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ContentError(Exception):
    """The content folder has problems; ``problems`` lists every one, in file and line order."""

    def __init__(self, problems: Iterable[Problem], content_dir: Path | None = None) -> None:
        self.problems: list[Problem] = sorted(
            problems, key=lambda p: (p.file, p.line or 0, p.path, p.message)
        )
        self.content_dir = content_dir
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @property
    def count(self) -> int:
        return len(self.problems)


def describe(value: object) -> str:
    """Name a YAML value's type in words a facilitator understands."""
    if value is None:
        return "nothing (empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/on/off as true/false: use quotes)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime | date):
        return f"the date {value}"
    return type(value).__name__


class Doc:
    """Checks one file's values and records problems with file, line and field path."""

    def __init__(self, file: str, lines: Mapping[FieldPath, int], sink: list[Problem]) -> None:
        self.file = file
        self.lines = lines
        self.sink = sink

    def line(self, path: FieldPath) -> int | None:
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def error(self, path: FieldPath, message: str) -> None:
        self.sink.append(Problem(self.file, self.line(path), format_path(path), message))

    # --- shapes --------------------------------------------------------------------------

    def mapping(
        self,
        path: FieldPath,
        value: object,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
        *,
        check_unknown: bool = True,
    ) -> dict[str, Any] | None:
        """A mapping with these keys; report unknown and missing ones."""
        if value is MISSING:
            return None
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping (key: value lines), got {describe(value)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        if check_unknown:
            for key in value:
                if key not in allowed:
                    known = ", ".join(sorted(allowed))
                    self.error(path + (key,), f"unknown key; expected one of: {known}")
        for key in required:
            if key not in value:
                self.error(path + (key,), "missing")
        return value

    def sequence(
        self, path: FieldPath, value: object, *, min_len: int = 0, max_len: int = 200
    ) -> list[Any]:
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.error(path, f"expected a list (lines starting with '- '), got {describe(value)}")
            return []
        if len(value) < min_len:
            self.error(path, f"needs at least {min_len} entr{'y' if min_len == 1 else 'ies'}")
        if len(value) > max_len:
            self.error(path, f"too many entries ({len(value)}; at most {max_len})")
            return value[:max_len]
        return value

    def string(
        self,
        path: FieldPath,
        value: object,
        *,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
        max_len: int = 500,
        allow_empty: bool = False,
    ) -> str:
        if value is MISSING:
            return ""
        if not isinstance(value, str):
            self.error(path, f"expected text, got {describe(value)}")
            return ""
        value = value.strip()
        if not value and not allow_empty:
            self.error(path, "empty")
        elif len(value) > max_len:
            self.error(path, f"too long ({len(value)} characters; at most {max_len})")
        elif pattern is not None and value and not pattern.fullmatch(value):
            self.error(path, f"{value!r} is not valid{': ' + hint if hint else ''}")
        return value

    def integer(self, path: FieldPath, value: object, low: int, high: int) -> int:
        if value is MISSING:
            return low
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"expected a whole number from {low} to {high}, got {describe(value)}")
            return low
        if not low <= value <= high:
            self.error(path, f"{value} is out of range; expected {low} to {high}")
        return value

    def number(self, path: FieldPath, value: object, low: float, high: float) -> float:
        if value is MISSING:
            return low
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.error(path, f"expected a number from {low} to {high}, got {describe(value)}")
            return low
        if not low <= value <= high:
            self.error(path, f"{value} is out of range; expected {low} to {high}")
        return float(value)

    def boolean(self, path: FieldPath, value: object) -> bool:
        if value is MISSING:
            return False
        if not isinstance(value, bool):
            self.error(path, f"expected true or false, got {describe(value)}")
            return False
        return value

    def day(self, path: FieldPath, value: object) -> date:
        if value is MISSING:
            return date(1970, 1, 1)
        if isinstance(value, datetime) or not isinstance(value, date):
            self.error(path, f"expected a date like 2025-08-07, got {describe(value)}")
            return date(1970, 1, 1)
        return value

    def choice(self, path: FieldPath, value: object, allowed: Iterable[str]) -> str | None:
        allowed = tuple(allowed)
        if value is MISSING:
            return None
        if not isinstance(value, str) or value not in allowed:
            shown = repr(value) if isinstance(value, str) else describe(value)
            self.error(path, f"{shown} is not one of: {', '.join(allowed)}")
            return None
        return value


KEBAB_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
KEBAB_HINT = "use lower-case letters, digits and single dashes, e.g. abdominal-breathing"
SUB_ID = re.compile(r"[a-z][a-z0-9_]*")
SUB_HINT = ("use lower-case letters, digits and underscores, starting with a letter, "
            "e.g. evidence_for")


def kebab_id(doc: Doc, path: FieldPath, value: object) -> str:
    return doc.string(path, value, pattern=KEBAB_ID, hint=KEBAB_HINT, max_len=32)


def sub_id(doc: Doc, path: FieldPath, value: object) -> str:
    return doc.string(path, value, pattern=SUB_ID, hint=SUB_HINT, max_len=24)


def unique_ids(doc: Doc, path: FieldPath, entries: list[Any], what: str) -> None:
    """Report the second and later entries of a list whose ``id`` repeats."""
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        ident = entry["id"]
        if ident in seen:
            first = path_str(path, seen[ident])
            doc.error(path + (index, "id"), f"duplicate {what} id {ident!r} (first at {first})")
        else:
            seen[ident] = index


def path_str(path: FieldPath, index: int) -> str:
    return format_path(path + (index,))
