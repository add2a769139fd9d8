"""Consistent snapshots of the data folder as tar.gz, safe while the bot runs.

Each file is copied under its own cross-process ``flock`` (the one the store takes around
every write), so every file in the archive is a complete version of itself; files are
not frozen together (a rating written during the backup may be in it or not). Lock
files, temporary files and the backups folder itself are left out; quarantined
``.corrupt-`` files are kept (they may be the only copy of someone's data).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from storage.atomic import fsync_dir, private_dir
from storage.files import Files

BACKUPS = "backups"
PREFIX = "jeda-"


def _included(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    name = path.name
    return (
        rel.parts[0] != BACKUPS
        and not name.endswith((".lock", ".tmp"))
        and not name.startswith(".")
    )


def _free_name(folder: Path, stamp: str) -> Path:
    """``jeda-<stamp>.tar.gz``, or with ``-1``, ``-2``... if a backup of that second exists."""
    for n in itertools.count():
        target = folder / f"{PREFIX}{stamp}{f'-{n}' if n else ''}.tar.gz"
        if not target.exists():
            return target
    raise AssertionError("unreachable")


def create_backup(data_dir: Path, out_path: Path | None = None,
                  now: datetime | None = None) -> Path:
    """Write a tar.gz snapshot of ``data_dir`` and return its path.

    Contract for ``jeda backup [--out FILE]`` and the daily job:
    - ``out_path`` None: ``<data_dir>/backups/jeda-<UTC %Y%m%dT%H%M%SZ>.tar.gz`` (``-1``,
      ``-2``... appended if that name exists); ``out_path`` given: that file, replaced.
    - Blocking (seconds for a large folder): call it from a thread (``asyncio.to_thread``)
      in the bot. Safe while the bot and CLI write; takes each file's lock only briefly.
    - The archive is written to a temporary file, fsynced and renamed into place, so a
      half-written backup never looks finished. Mode 0600: it holds ``secret.key`` and
      personal data. Raises OSError (disk full, permissions) with nothing left behind.
    - Restore: stop the bot, extract into an empty folder, point JEDA_DATA_DIR at it.
    """
    root = Path(data_dir)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = Path(out_path) if out_path else _free_name(root / BACKUPS, stamp)
    if out_path:
        target.parent.mkdir(parents=True, exist_ok=True)  # the operator's folder, as it is
    else:
        private_dir(target.parent)
    files = Files()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".backup-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                if not _included(path, root):
                    continue
                locked = path.suffix in (".json", ".jsonl")  # what the store writes under flock
                with files.process_lock(path) if locked else contextlib.nullcontext():
                    try:
                        data = path.read_bytes()
                        mtime = path.stat().st_mtime
                    except FileNotFoundError:
                        continue  # deleted meanwhile (e.g. a participant erased their data)
                info = tarfile.TarInfo(str(path.relative_to(root)))
                info.size = len(data)
                info.mtime = int(mtime)
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return target


def _age_key(path: Path) -> tuple[str, int]:
    stamp, _, n = path.name.removeprefix(PREFIX).removesuffix(".tar.gz").partition("-")
    return stamp, int(n) if n.isdigit() else 0


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` ``jeda-*.tar.gz`` in ``folder``; return the deleted.

    Only names made by ``create_backup`` are considered (newest by the timestamp in the
    name); ``--out`` files elsewhere and other files are never touched.
    """
    backups = sorted(Path(folder).glob(f"{PREFIX}*.tar.gz"), key=_age_key)
    doomed = backups[:-keep] if keep > 0 else backups
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
