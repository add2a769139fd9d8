"""Data at rest: the data folder and every folder in it 0700, every file 0600, whatever
the umask; backups, exports and reports made 0600 too."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import cli
from bot.core.models import AuditEvent, Invite
from storage import StorageError
from storage.backup import create_backup
from tests.bot.test_export import seed

AT = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask (022): without care, new files would be readable by everyone."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)) or ".": stat.S_IMODE(p.stat().st_mode)
            for p in (root, *root.rglob("*"))}


def test_every_folder_0700_and_every_file_0600(tmp_path: Path, loose_umask: None,
                                                monkeypatch) -> None:  # noqa: ANN001
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # an operator made it with the usual mode: tightened on start
    store = seed(data)
    store.add_invites([Invite("h" * 64, "Harapan", AT, AT + timedelta(days=7))])
    store.append_audit(AuditEvent(AT, "test", "cli:someone", None, {}))
    store.secret_key()
    (data / "participants" / "Pbroken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StorageError):  # quarantined, as any corrupt file
        store.get_participant("Pbroken")
    create_backup(data)
    store.close()
    found = modes(data)
    assert any(name.startswith("backups/") for name in found)
    assert any(".corrupt-" in name for name in found)
    assert any(name.endswith(".lock") for name in found)
    for name, mode in found.items():
        want = 0o700 if (data / name).is_dir() or name == "." else 0o600
        assert mode == want, f"{name}: {oct(mode)}"


def test_exports_and_reports_are_0600(tmp_path: Path, loose_umask: None,
                                      monkeypatch) -> None:  # noqa: ANN001
    data = tmp_path / "data"
    seed(data).close()
    monkeypatch.setenv("JEDA_DATA_DIR", str(data))
    monkeypatch.delenv("JEDA_CONTENT_DIR", raising=False)
    assert cli.main(["export", "--out", str(tmp_path / "export")]) == 0
    assert cli.main(["report", "--group", "Harapan", "--out", str(tmp_path / "r.html")]) == 0
    assert cli.main(["backup", "--out", str(tmp_path / "b.tar.gz")]) == 0
    assert modes(tmp_path / "export")["."] == 0o700
    assert set(modes(tmp_path / "export").values()) == {0o700, 0o600}
    for name in ("r.html", "b.tar.gz"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
