"""Units of work on TinyDB files: locked, cached, one atomic write per unit.

``with files.write(path) as db:`` gives a TinyDB whose operations act on an in-memory copy;
when the block ends without an error the whole file is written once, atomically and
durably. Within the process a lock per file serialises units; across processes an
advisory ``flock`` on ``<file>.lock`` does (so the CLI may write while the bot runs).
Parsed files are cached and re-validated with ``os.stat`` (an ``os.replace`` by another
process changes the inode), so reading a thousand unchanged files is cheap.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from bot.core.models import SCHEMA_VERSION
from storage import NewerSchemaError
from storage.atomic import read_json, write_json_atomic

META = "meta"
Migration = Callable[[dict[str, Any]], dict[str, Any]]
# version -> function that upgrades a file's data from that version to the next one
MIGRATIONS: dict[int, Migration] = {}

StatKey = tuple[int, int, int]


class _Buffer(Storage):
    """TinyDB storage over a dict held in memory for the length of one unit of work."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = True


def schema_version(data: dict[str, Any]) -> int:
    meta = data.get(META, {}).get("1", {})
    return int(meta.get("schema_version", SCHEMA_VERSION))


def upgrade(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Apply migrations; refuse files written by a newer Jeda."""
    version = schema_version(data)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path} was written by a newer version of Jeda (schema {version}, this one "
            f"understands {SCHEMA_VERSION}); upgrade Jeda instead of opening it"
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    data[META] = {"1": {"schema_version": SCHEMA_VERSION}}
    return data


class Files:
    """Locks, cache and units of work for every file of one data folder."""

    def __init__(self, fsync: bool = True) -> None:
        self.fsync = fsync
        self._guard = threading.Lock()
        self._locks: dict[Path, threading.RLock] = {}
        self._cache: dict[Path, tuple[StatKey, dict[str, Any]]] = {}

    def lock(self, path: Path) -> threading.RLock:
        with self._guard:
            return self._locks.setdefault(path, threading.RLock())

    @contextlib.contextmanager
    def process_lock(self, path: Path) -> Iterator[None]:
        """Hold the advisory cross-process lock of ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _load(self, path: Path) -> dict[str, Any] | None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            self._cache.pop(path, None)
            return None
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        data = read_json(path)
        if data is None:
            return None
        data = upgrade(path, data)
        self._cache[path] = (key, data)
        return data

    def _copy(self, data: dict[str, Any]) -> dict[str, Any]:
        return {table: dict(docs) for table, docs in data.items()}

    @contextlib.contextmanager
    def read(self, path: Path) -> Iterator[TinyDB | None]:
        """A read-only TinyDB view of ``path`` (None when the file does not exist)."""
        with self.lock(path):
            data = self._load(path)
            if data is None:
                yield None
                return
            with TinyDB(storage=_Buffer, data=self._copy(data)) as db:
                yield db

    @contextlib.contextmanager
    def write(self, path: Path, create: bool = True) -> Iterator[TinyDB]:
        """A unit of work on ``path``: all operations land in one atomic write, or none."""
        with self.lock(path), self.process_lock(path):
            data = self._load(path)
            if data is None:
                if not create:
                    raise FileNotFoundError(path)
                data = {META: {"1": {"schema_version": SCHEMA_VERSION}}}
            buffer_data = self._copy(data)
            db = TinyDB(storage=_Buffer, data=buffer_data)
            yield db
            storage: _Buffer = db.storage  # type: ignore[assignment]
            if storage.dirty or not path.exists():
                try:
                    write_json_atomic(path, storage.data, self.fsync)
                except BaseException:
                    self._cache.pop(path, None)
                    raise
                st = os.stat(path)
                self._cache[path] = ((st.st_ino, st.st_mtime_ns, st.st_size), storage.data)

    def delete(self, path: Path) -> None:
        """Remove a file (and its cache entry and lock file)."""
        with self.lock(path), self.process_lock(path):
            self._cache.pop(path, None)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}.lock")
