"""Decode Bot API request parameters to Python values using the vendored spec."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.simulator.errors import bad_request
from bot.simulator.spec import METHODS


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent as multipart/form-data."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {len(self.content)} bytes)"


def canonical_method(name: str) -> str | None:
    """Return the spec's spelling of ``name`` (Telegram ignores case), or None if unknown."""
    lowered = name.lower()
    return next((m for m in METHODS if m.lower() == lowered), None)


def _coerce(value: Any, types: tuple[str, ...]) -> Any:
    if not isinstance(value, str):
        return value
    if types == ("String",):
        return value
    if "Integer" in types or "Float" in types:
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    if types == ("Boolean",):
        return value.strip().lower() in ("true", "1")
    if value[:1] in ("{", "[") or "String" not in types:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def decode(method: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Turn form values (strings, JSON strings, uploads) into Python values."""
    fields = METHODS.get(method, {})
    decoded: dict[str, Any] = {}
    for name, value in raw.items():
        types = fields[name][0] if name in fields else ("Object",)
        decoded[name] = _coerce(value, types)
    return decoded


def check_required(method: str, params: dict[str, Any]) -> None:
    """Raise 400 "... is empty" for the first required parameter that is missing."""
    for name, (_types, required) in METHODS.get(method, {}).items():
        if required and params.get(name) in (None, ""):
            if name == "text":
                raise bad_request("message text is empty")
            raise bad_request(f"{name} is empty")
