"""Dataclass <-> JSON document converters: dates as ISO text, enums by value, tuples as lists."""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable
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


Converter = Callable[[Any], Any] | None  # None: the JSON value is used as it is


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@cache
def _decoder(cls: type) -> tuple[tuple[str, Converter], ...]:
    """Per field of ``cls``: its name and how to turn its JSON value back (built once).

    Reading a year of ratings for 1000 people builds 365,000 records; resolving type
    hints per value cost most of that time, so it is done once per class here.
    """
    hints = _hints(cls)
    return tuple((f.name, _converter(hints[f.name]))
                 for f in dataclasses.fields(cls))


def from_doc(cls: type[T], doc: dict[str, Any]) -> T:
    """Build ``cls`` from a document made by ``to_doc``; unknown keys are ignored."""
    kwargs = {}
    for name, convert in _decoder(cls):  # type: ignore[arg-type]
        if name in doc:
            value = doc[name]
            kwargs[name] = value if convert is None or value is None else convert(value)
    return cls(**kwargs)


def _converter(hint: Any) -> Converter:
    """How to rebuild a non-None JSON value of type ``hint`` (None: keep it as it is)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _converter(options[0]) if len(options) == 1 else None
    if origin is tuple:
        args = typing.get_args(hint)
        inner = _converter(args[0]) if args else None
        if inner is None:
            return tuple
        return lambda value: tuple(None if v is None else inner(v) for v in value)
    if origin is not None:  # Mapping[...] and friends: plain data
        return None
    if hint is datetime:
        return datetime.fromisoformat
    if hint is date:
        return date.fromisoformat
    if hint is time:
        return time.fromisoformat
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return functools.partial(from_doc, hint)
    return None
