"""Durable JSON files: write to a temp file, fsync, rename over, fsync the folder.

A reader therefore sees either the old or the new file, never half of one, and a write
that returned has reached the disk. A file that cannot be parsed is *quarantined*
(renamed aside with a timestamp) instead of being overwritten or replaced by an empty one.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage import CorruptFileError, StorageError

logger = logging.getLogger(__name__)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def private_dir(folder: Path) -> None:
    """Make ``folder`` (and its parents) and keep it readable by its owner only (0700):
    what is in it is health data. An existing folder is tightened too; one owned by
    someone else is left as it is, with a warning (``jeda doctor`` reports it)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        if folder.stat().st_mode & 0o077:
            os.chmod(folder, 0o700)
    except PermissionError:
        logger.warning("cannot make %s private (0700): it belongs to someone else", folder)


def encode_json(data: Any, what: str) -> bytes:
    """Serialise ``data`` to UTF-8 JSON bytes, or raise StorageError naming ``what``.

    Text that is not valid Unicode (a lone surrogate such as ``"\\ud800"``) cannot be
    written as UTF-8; it is refused here, before anything touches the disk.
    """
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StorageError(f"{what}: refusing to store text that is not valid Unicode "
                           f"(a lone surrogate at position {exc.start}); nothing was written"
                           ) from exc


def write_json_atomic(path: Path, data: Any, fsync: bool = True) -> None:
    """Serialise first (fail before touching the disk), then replace ``path`` atomically."""
    write_bytes_atomic(path, encode_json(data, str(path)), fsync)


def write_bytes_atomic(path: Path, payload: bytes, fsync: bool = True) -> None:
    """Replace ``path`` with ``payload`` atomically (0600: made by mkstemp)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if fsync:
        fsync_dir(path.parent)


def quarantine(path: Path, now: datetime | None = None) -> Path:
    """Move an unreadable file aside (never overwrite it) and return its new name.

    ``os.link`` fails when the name is taken, so an earlier quarantined copy with the same
    timestamp is never replaced; the unreadable file is unlinked only once linked aside.
    """
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    for n in itertools.count():
        target = path.with_name(f"{path.name}.corrupt-{stamp}" + (f"-{n}" if n else ""))
        try:
            os.link(path, target)
        except FileExistsError:
            continue
        break
    os.unlink(path)
    with contextlib.suppress(PermissionError):
        os.chmod(target, 0o600)  # kept for a person to read: still health data
    fsync_dir(path.parent)
    logger.error("quarantined unreadable file %s as %s", path.name, target.name)
    return target


def _check_tables(data: Any) -> None:
    """Raise ValueError unless ``data`` has TinyDB's shape: {table: {id: {document}}}."""
    if not isinstance(data, dict):
        raise ValueError("top level is not an object")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is not an object")
        for doc in table.values():
            if not isinstance(doc, dict):
                raise ValueError(f"a document of table {name!r} is not an object")


def parse_tables(path: Path, raw: bytes) -> dict[str, Any]:
    """Parse the bytes of a TinyDB file read from ``path``; quarantine ``path`` if broken."""
    try:
        data = json.loads(raw.decode("utf-8"))
        _check_tables(data)
    except (UnicodeDecodeError, ValueError) as exc:
        raise corrupt(path) from exc
    return data  # type: ignore[no-any-return]


def corrupt(path: Path) -> CorruptFileError:
    """Quarantine ``path`` and return the error to raise."""
    try:
        moved = str(quarantine(path))
    except FileNotFoundError:
        moved = "a .corrupt- file (another process moved it first)"
    return CorruptFileError(str(path), moved)
