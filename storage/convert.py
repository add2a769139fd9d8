"""Dataclass <-> JSON document converters: dates as ISO text, enums by value, tuples as lists."""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_doc(value: Any) -> Any:
    """Turn a dataclass (recursively) into plain JSON-able data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_doc(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is not None and offset.microseconds:
            # Python 3.11's fromisoformat drops a fractional-second offset when the whole
            # offset is under a second ("+00:00:00.000001" reads back as UTC, a different
            # instant): store such rare offsets as the same instant in UTC.
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_doc(v) for v in value]
    if isinstance(value, dict | types.MappingProxyType):
        return {str(k): to_doc(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_doc(cls: type[T], doc: dict[str, Any]) -> T:
    """Build ``cls`` from a document made by ``to_doc``; unknown keys are ignored."""
    hints = _hints(cls)  # type: ignore[arg-type]
    kwargs = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in doc:
            kwargs[f.name] = _convert(hints[f.name], doc[f.name])
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        return tuple(_convert(inner, v) for v in value)
    if origin is not None:  # Mapping[...] and friends: plain data
        return value
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if hint is time:
        return time.fromisoformat(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_doc(hint, value)
    return value
