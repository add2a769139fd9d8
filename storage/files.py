"""Units of work on TinyDB files: locked, cached, one atomic write per unit.

``with files.write(path) as db:`` gives a TinyDB whose operations act on an in-memory copy;
when the block ends without an error the whole file is written once, atomically and
durably. Within the process a lock per file serialises units; across processes an
advisory ``flock`` on ``<file>.lock`` does (so the CLI may write while the bot runs).
Parsed files are cached and re-validated by a digest of the file's bytes, so reading a
thousand unchanged files costs a read and a hash each, not a parse. (An ``os.stat`` key is
not enough: ext4 hands a replaced file's inode to the next temp file, so two quick writes
by another process can leave inode, size and a coarse mtime all unchanged.)
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from bot.core.models import SCHEMA_VERSION
from storage import NewerSchemaError, StorageError
from storage.atomic import corrupt, fsync_dir, parse_tables, write_json_atomic

META = "meta"
Migration = Callable[[dict[str, Any]], dict[str, Any]]
# version -> function that upgrades a file's data from that version to the next one
MIGRATIONS: dict[int, Migration] = {}

Digest = bytes


def _digest(raw: bytes) -> Digest:
    return hashlib.blake2b(raw, digest_size=16).digest()


class _Buffer(Storage):
    """TinyDB storage over a dict held in memory for the length of one unit of work."""

    def __init__(self, data: dict[str, Any], readonly: bool = False) -> None:
        self.data = data
        self.dirty = False
        self.readonly = readonly

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        if self.readonly:
            raise StorageError("a read-only view was written to; use Files.write")
        self.data = data
        self.dirty = True


def schema_version(data: dict[str, Any]) -> int:
    """The file's schema version (files without one are taken as current)."""
    meta = data.get(META, {}).get("1", {})
    version = meta.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int:
        raise ValueError(f"schema_version is not an integer: {version!r}")
    return version


def upgrade(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """Apply migrations; refuse files written by a newer Jeda."""
    try:
        version = schema_version(data)
    except ValueError as exc:
        raise corrupt(path) from exc
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path} was written by a newer version of Jeda (schema {version}, this one "
            f"understands {SCHEMA_VERSION}); upgrade Jeda instead of opening it"
        )
    while version < SCHEMA_VERSION:
        if version not in MIGRATIONS:
            raise StorageError(f"{path} has schema {version} and no migration from it "
                               f"to {version + 1} exists; the file was left as it is")
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
        self._cache: dict[Path, tuple[Digest, dict[str, Any]]] = {}

    def lock(self, path: Path) -> threading.RLock:
        with self._guard:
            return self._locks.setdefault(path, threading.RLock())

    @contextlib.contextmanager
    def process_lock(self, path: Path) -> Iterator[None]:
        """Hold the advisory cross-process lock of ``path``.

        ``delete`` unlinks a lock file while holding it, so after ``flock`` returns we check
        that the file we locked is still the one at that name; otherwise we would share
        the critical section with a process that locked a newly created lock file.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        name = f"{path}.lock"
        while True:
            fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    current = os.stat(name).st_ino
                except FileNotFoundError:
                    current = -1
                if current != os.fstat(fd).st_ino:
                    continue  # unlinked under us (finally closes fd, releasing the lock)
                yield
                return
            finally:
                os.close(fd)

    def _load(self, path: Path) -> dict[str, Any] | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self._cache.pop(path, None)
            return None
        digest = _digest(raw)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == digest:
            return cached[1]
        data = upgrade(path, parse_tables(path, raw))
        self._cache[path] = (digest, data)
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
            with TinyDB(storage=_Buffer, data=self._copy(data), readonly=True) as db:
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
            db = TinyDB(storage=_Buffer, data=self._copy(data))
            try:
                yield db
                storage: _Buffer = db.storage  # type: ignore[assignment]
                if storage.dirty or not path.exists():
                    write_json_atomic(path, storage.data, self.fsync)
                    # Still under the flock: these bytes are what we just wrote.
                    self._cache[path] = (_digest(path.read_bytes()), storage.data)
            except BaseException:
                # The copy shares documents with the cache; a TinyDB update() edits them in
                # place. Forget the cached version so an unwritten change is never served.
                self._cache.pop(path, None)
                raise

    def delete(self, path: Path) -> None:
        """Remove a file (and its cache entry and lock file)."""
        with self.lock(path), self.process_lock(path):
            self._cache.pop(path, None)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{path}.lock")
            if self.fsync:
                fsync_dir(path.parent)
