"""Read one YAML file defensively.

The file is checked before parsing (size, regular file, strict UTF-8, no control characters)
and parsed as a stream of events (libyaml when available), building plain values ourselves:
no aliases or anchors' expansion (``*name`` is refused, so alias bombs cannot grow), no tags
beyond plain scalars, bounded nesting depth and node count, one document per file, and every
duplicate key reported (PyYAML would silently keep the last one). Nothing here recurses over
the data, so hostile input ends in a problem, never a traceback or a hang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from bot.contentschema.problems import FieldPath, Problem, format_path

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 24
MAX_NODES = 50_000

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_NO_KEY = object()
_DUPLICATE = object()


@dataclass(frozen=True, slots=True)
class Parsed:
    """A file's top-level value and the line (1-based) of every field path in it."""

    value: Any
    lines: dict[FieldPath, int]
    data: bytes = b""  # the file's bytes (for the content version)


class _Abort(Exception):
    """Stop reading this file; the problem has been recorded."""


def read_yaml(path: Path, rel: str, problems: list[Problem]) -> Parsed | None:
    """Parse ``path`` (shown as ``rel``); on any problem record it and return None."""
    try:
        if not path.is_file():
            problems.append(Problem(rel, None, "", "not a regular file"))
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(rel, None, "", f"file too large ({size:,} bytes; at most "
                                                   f"{MAX_FILE_BYTES:,}): is it the right file?"))
            return None
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(Problem(rel, None, "", f"cannot read the file: {exc.strerror or exc}"))
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.append(Problem(rel, None, "", "file too large"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "", "not valid UTF-8 text (is it a binary file, or "
                                               "saved in another encoding? save it as UTF-8)"))
        return None
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        problems.append(Problem(rel, line, "", f"contains a control character "
                                               f"(U+{ord(bad.group()):04X}); is it a binary file?"))
        return None
    parsed = parse_text(text, rel, problems)
    return None if parsed is None else Parsed(parsed.value, parsed.lines, data)


def parse_text(text: str, rel: str, problems: list[Problem]) -> Parsed | None:
    """Parse YAML text into plain values and a path -> line map."""
    builder = _Builder(rel, problems)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except _Abort:
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.append(Problem(rel, line, "", f"YAML syntax error: {message}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, None, "", f"YAML error: {exc}"))
        return None
    except Exception as exc:  # noqa: BLE001 - a content file must never crash the bot
        problems.append(Problem(rel, None, "", f"could not read: {type(exc).__name__}"))
        return None
    return Parsed(builder.root, builder.lines or {(): 1})


class _Frame:
    __slots__ = ("container", "path", "key", "seen")

    def __init__(self, container: dict[str, Any] | list[Any], path: FieldPath) -> None:
        self.container = container
        self.path = path
        self.key: object = _NO_KEY
        self.seen: dict[str, int] = {}


class _Builder:
    """Turn parser events into dicts, lists and scalars without recursion."""

    def __init__(self, rel: str, problems: list[Problem]) -> None:
        self.rel = rel
        self.problems = problems
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.lines: dict[FieldPath, int] = {}
        self.nodes = 0
        self.documents = 0

    def report(self, line: int | None, path: FieldPath, message: str) -> None:
        self.problems.append(Problem(self.rel, line, format_path(path), message))

    def abort(self, line: int | None, message: str) -> None:
        self.report(line, (), message)
        raise _Abort

    def feed(self, event: yaml.Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.abort(line, "only one YAML document per file (remove the extra '---')")
            return
        if isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            self.stack.pop()
            return
        if not isinstance(event, yaml.NodeEvent):
            return
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.abort(line, f"too many entries (more than {MAX_NODES:,}): is it the right file?")
        if isinstance(event, yaml.AliasEvent):
            self.abort(line, f"aliases (*{event.anchor}) are not allowed; write the value out")
        if isinstance(event, yaml.ScalarEvent):
            value = self.scalar(event, line)
            if self.expecting_key() and not isinstance(value, str):
                self.report(line, self.current_path() + (event.value,),
                            f"the key {event.value!r} is read as {type(value).__name__}, "
                            "not text: put it in quotes")
                value = event.value
            self.attach(value, line, None)
            return
        if isinstance(event, yaml.CollectionStartEvent):
            if event.tag is not None and not event.implicit:
                self.report(line, self.current_path(), f"tags like {event.tag} are not allowed")
            if len(self.stack) >= MAX_DEPTH:
                self.abort(line, f"nested too deeply (more than {MAX_DEPTH} levels)")
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            self.attach(container, line, container)

    def expecting_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].key is _NO_KEY and isinstance(
            self.stack[-1].container, dict)

    def current_path(self) -> FieldPath:
        """The path the next value will have (for messages about it)."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return frame.path + (len(frame.container),)
        return frame.path + (frame.key,) if isinstance(frame.key, str) else frame.path

    def scalar(self, event: yaml.ScalarEvent, line: int | None) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value,  # type: ignore[no-untyped-call]
                                    event.implicit)
        if tag == _TAG + "merge":
            self.report(line, self.current_path(), "merge keys (<<) are not allowed")
            return event.value
        if tag not in _SCALAR_TAGS:
            self.report(line, self.current_path(), f"tags like {tag} are not allowed")
            return event.value
        node = yaml.ScalarNode(tag, event.value, style=event.style)  # marks are not needed
        try:
            return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except Exception:  # noqa: BLE001 - e.g. an impossible date such as 2025-13-45
            self.report(line, self.current_path(), f"cannot read the value {event.value!r}")
            return event.value

    def attach(self, value: Any, line: int | None, container: Any) -> None:
        if not self.stack:
            self.root = value
            self.lines[()] = line or 1
            if container is not None:
                self.stack.append(_Frame(container, ()))
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = frame.path + (len(frame.container),)
            frame.container.append(value)
            self.lines[path] = line or 1
        elif frame.key is _NO_KEY:
            if container is not None:
                self.abort(line, "a key must be plain text, not a list or mapping")
            key = str(value)
            if key in frame.seen:
                self.report(line, frame.path + (key,),
                            f"duplicate key (also on line {frame.seen[key]}); keep only one")
                frame.key = _DUPLICATE  # read the value but drop it: the first one stays
            else:
                frame.seen[key] = line or 1
                frame.key = key
                self.lines[frame.path + (key,)] = line or 1
            return
        elif isinstance(frame.key, str):
            path = frame.path + (frame.key,)
            frame.container[frame.key] = value
            frame.key = _NO_KEY
        else:  # the value of a duplicate key: built (to keep the parser in step), then dropped
            path = frame.path + ("(duplicate)",)
            frame.key = _NO_KEY
        if container is not None:
            self.stack.append(_Frame(container, path))
