"""Units of work on TinyDB files: locked, cached, one atomic write per unit.

``with files.write(path) as db:`` gives a TinyDB over a fresh parse of the file; when the
block ends without an error the whole file is written once, atomically and durably.
Within the process a lock per file serialises units; across processes an advisory
``flock`` on ``<file>.lock`` does (so the CLI may write while the bot runs).

Reads go through ``files.records(path, decoders, table)``: a table's documents, decoded
once into immutable records and cached. A cached snapshot is trusted while ``os.stat``
(device, inode, size, mtime_ns, ctime_ns) is unchanged *and* the file was already older
than ``RACY_NS`` when cached; a younger ("racy") entry is re-checked with a digest of the
file's bytes. ext4 hands a replaced file's inode to the next temp file and its clock is
coarse, so two quick writes by another process can repeat the whole stat key; after two
seconds any later write has a different ctime (the approach git uses for its index).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import glob
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from bot.core.models import SCHEMA_VERSION
from storage import NewerSchemaError, QuarantinedFileError, StorageError
from storage.atomic import corrupt, fsync_dir, parse_tables, write_json_atomic

META = "meta"
Migration = Callable[[dict[str, Any]], dict[str, Any]]
# version -> function that upgrades a file's data from that version to the next one
MIGRATIONS: dict[int, Migration] = {}

Decoders = Mapping[str, Callable[[dict[str, Any]], Any]]  # table -> document decoder
StatKey = tuple[int, int, int, int, int]
RACY_NS = 2_000_000_000


def _digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def _stat_key(st: os.stat_result) -> StatKey:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _settled(key: StatKey) -> bool:
    """Whether any later change must show in the stat key (the file is not 'racy')."""
    return time.time_ns() - max(key[3], key[4]) > RACY_NS


@dataclasses.dataclass(slots=True)
class _Entry:
    key: StatKey
    digest: bytes
    settled: bool
    decoders: Decoders
    tables: dict[str, tuple[Any, ...]]


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


def quarantined_copies(path: Path) -> list[Path]:
    """The ``<name>.corrupt-*`` files left by quarantining ``path``, oldest first."""
    pattern = glob.escape(str(path)) + ".corrupt-*"
    return sorted(Path(p) for p in glob.glob(pattern))


def _refuse_if_quarantined(path: Path) -> None:
    """A missing file with a quarantined copy must not read as empty or be recreated."""
    copies = quarantined_copies(path)
    if copies:
        raise QuarantinedFileError(str(path), str(copies[-1]))


class Files:
    """Locks, cache and units of work for every file of one data folder."""

    def __init__(self, fsync: bool = True) -> None:
        self.fsync = fsync
        self._guard = threading.Lock()
        self._locks: dict[Path, threading.RLock] = {}
        self._cache: dict[Path, _Entry] = {}

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

    @staticmethod
    def _read_raw(path: Path) -> tuple[StatKey, bytes] | None:
        """The file's bytes and the stat key of exactly that file (None when missing)."""
        try:
            with open(path, "rb") as handle:
                return _stat_key(os.fstat(handle.fileno())), handle.read()
        except FileNotFoundError:
            return None

    def records(self, path: Path, decoders: Decoders, table: str) -> tuple[Any, ...] | None:
        """The decoded records of one table of ``path`` (None when the file does not exist).

        Tables are decoded on first use and cached: parsing a file again is cheaper than
        decoding tables nobody asked for (the tick reads profiles and prompts, not ratings).
        Raises CorruptFileError (after quarantining) for a file that cannot be parsed,
        and QuarantinedFileError for a missing file whose quarantined copy is still there.
        """
        with self.lock(path):
            entry = self._cache.get(path)
            if entry is not None and entry.decoders is not decoders:
                entry = None
            if entry is not None and entry.settled and table in entry.tables:
                try:
                    if _stat_key(os.stat(path)) == entry.key:
                        return entry.tables[table]
                except FileNotFoundError:
                    pass
            loaded = self._read_raw(path)
            if loaded is None:
                self._cache.pop(path, None)
                _refuse_if_quarantined(path)
                return None
            key, raw = loaded
            digest = _digest(raw)
            if entry is not None and entry.digest == digest:
                entry.key, entry.settled = key, _settled(key)
                if table in entry.tables:
                    return entry.tables[table]
            else:
                entry = self._cache[path] = _Entry(key, digest, _settled(key), decoders, {})
            data = upgrade(path, parse_tables(path, raw))
            decode = decoders[table]
            rows = tuple(decode(dict(doc)) for doc in data.get(table, {}).values())
            entry.tables[table] = rows
            return rows

    def raw_tables(self, path: Path) -> dict[str, Any]:
        """The file's tables as plain documents, parsed now and not cached (a window read
        decodes what it needs itself); an empty dict when the file does not exist."""
        with self.lock(path):
            loaded = self._read_raw(path)
            if loaded is None:
                _refuse_if_quarantined(path)
                return {}
            return upgrade(path, parse_tables(path, loaded[1]))

    @contextlib.contextmanager
    def write(self, path: Path, create: bool = True) -> Iterator[TinyDB]:
        """A unit of work on ``path``: all operations land in one atomic write, or none."""
        with self.lock(path), self.process_lock(path):
            loaded = self._read_raw(path)
            if loaded is None:
                _refuse_if_quarantined(path)
                if not create:
                    raise FileNotFoundError(path)
                data: dict[str, Any] = {META: {"1": {"schema_version": SCHEMA_VERSION}}}
            else:
                data = upgrade(path, parse_tables(path, loaded[1]))
            storage = _Buffer(data)
            db = TinyDB(storage=lambda: storage)
            yield db
            if storage.dirty or loaded is None:
                self._cache.pop(path, None)
                write_json_atomic(path, storage.data, self.fsync)

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


def replace_doc(db: TinyDB, table: str, doc: dict[str, Any], match: dict[str, Any]) -> None:
    """Insert ``doc``, replacing the document whose fields equal ``match``."""
    t = db.table(table)
    found = [d for d in t.all() if all(d.get(k) == v for k, v in match.items())]
    if found:
        t.remove(doc_ids=[found[0].doc_id])
        t.insert(Document(doc, doc_id=found[0].doc_id))
    else:
        t.insert(doc)
