"""Consistent snapshots of the data folder as tar.gz, safe while the bot runs.

Each file is copied under its own locks (the cross-process ``flock`` the store uses), so
every file in the archive is a complete version of itself. Lock files, temporary files,
quarantined files and the backups folder itself are left out.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from storage.atomic import fsync_dir
from storage.files import Files

BACKUPS = "backups"
PREFIX = "jeda-"


def _included(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    name = path.name
    return (
        rel.parts[0] != BACKUPS
        and not name.endswith((".lock", ".tmp"))
        and ".corrupt-" not in name
        and not name.startswith(".")
    )


def create_backup(data_dir: Path, out_path: Path | None = None,
                  now: datetime | None = None) -> Path:
    """Write a tar.gz of the data folder and return its path.

    The default path is ``<data_dir>/backups/jeda-<UTC timestamp>.tar.gz``. The archive is
    written to a temporary file first and renamed into place, so a half-written backup
    never looks like a finished one.
    """
    root = Path(data_dir)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = Path(out_path) if out_path else root / BACKUPS / f"{PREFIX}{stamp}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    files = Files()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".backup-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                if not _included(path, root):
                    continue
                with files.process_lock(path):
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


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups in ``folder``; return the deleted."""
    backups = sorted(Path(folder).glob(f"{PREFIX}*.tar.gz"))
    doomed = backups[:-keep] if keep > 0 else backups
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
