"""Durable JSON files: write to a temp file, fsync, rename over, fsync the folder.

A reader therefore sees either the old or the new file, never half of one, and a write
that returned has reached the disk. A file that cannot be parsed is *quarantined*
(renamed aside with a timestamp) instead of being overwritten or replaced by an empty one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from storage import CorruptFileError

logger = logging.getLogger(__name__)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json_atomic(path: Path, data: Any, fsync: bool = True) -> None:
    """Serialise first (fail before touching the disk), then replace ``path`` atomically."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
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
    """Move an unreadable file aside (never overwrite it) and return its new name."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    os.replace(path, target)
    fsync_dir(path.parent)
    logger.error("quarantined unreadable file %s as %s", path.name, target.name)
    return target


def read_json(path: Path) -> Any:
    """Read a JSON file; None when missing; quarantine and raise CorruptFileError when broken."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("top level is not an object")
    except (UnicodeDecodeError, ValueError) as exc:
        moved = quarantine(path)
        raise CorruptFileError(str(path), str(moved)) from exc
    return data


class AtomicJSONStorage(Storage):
    """A TinyDB storage with atomic, durable writes and quarantine of broken files."""

    def __init__(self, path: str | Path, fsync: bool = True, **_: Any) -> None:
        self.path = Path(path)
        self.fsync = fsync

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = read_json(self.path)
        return data  # type: ignore[no-any-return]

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_json_atomic(self.path, data, self.fsync)

    def close(self) -> None:
        return None
