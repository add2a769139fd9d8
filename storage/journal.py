"""The append-only audit log (``audit.jsonl``) and the installation secret (``secret.key``)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from bot.core.models import SCHEMA_VERSION, AuditEvent
from storage import NewerSchemaError, StorageError
from storage.atomic import encode_json, fsync_dir
from storage.convert import from_doc, to_doc
from storage.files import Files

logger = logging.getLogger(__name__)


class AuditLog:
    """One JSON object per line; every append is flushed and fsynced before it returns."""

    def __init__(self, path: Path, files: Files, fsync: bool = True) -> None:
        self.path = path
        self.files = files
        self.fsync = fsync
        self._lock = threading.Lock()

    def append(self, event: AuditEvent) -> None:
        """Append one line carrying its schema_version."""
        line = encode_json({"schema_version": SCHEMA_VERSION, **to_doc(event)},
                           self.path.name) + b"\n"
        with self._lock, self.files.process_lock(self.path):
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            os.fchmod(fd, 0o600)  # an older log made under the umask is tightened too
            with os.fdopen(fd, "a+b") as handle:
                end = handle.seek(0, os.SEEK_END)
                if end:
                    handle.seek(end - 1)
                    if handle.read(1) != b"\n":
                        # A crash tore the last line: end it, or this event would be glued
                        # onto the fragment and lost with it.
                        line = b"\n" + line
                handle.write(line)
                handle.flush()
                if self.fsync:
                    os.fsync(handle.fileno())

    def read(self) -> Iterator[AuditEvent]:
        """Yield every whole line, oldest first; raise at a line of another schema."""
        if not self.path.exists():
            return
        with open(self.path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    text = raw.decode("utf-8").strip()
                    if not text:
                        continue
                    doc = json.loads(text)
                    version = doc.get("schema_version", 1)  # lines before versioning: 1
                    event = from_doc(AuditEvent, doc)
                except (ValueError, TypeError, KeyError, AttributeError):
                    # A torn line after a crash (possibly cut inside a UTF-8 sequence):
                    # skip it; every other line stays readable.
                    logger.warning("skipped unreadable line %d of %s", number, self.path.name)
                    continue
                if version > SCHEMA_VERSION:
                    raise NewerSchemaError(f"{self.path}:{number} has schema {version}; "
                                           f"this Jeda reads up to {SCHEMA_VERSION}")
                if version != SCHEMA_VERSION:
                    raise StorageError(f"{self.path}:{number} has schema {version} and no "
                                       "migration from it exists")
                yield event


def load_or_create_secret(path: Path) -> bytes:
    """Return the 32-byte key at ``path``, creating it once (mode 0600, never replaced)."""
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:  # mkstemp: mode 0600
                handle.write(secrets.token_bytes(32))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process won the race
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
        fsync_dir(path.parent)
    key = path.read_bytes()
    if len(key) != 32:
        raise StorageError(f"{path} is not a 32-byte key")
    return key
