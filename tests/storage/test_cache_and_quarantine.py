"""The stat-validated read cache, quarantine that stays visible, index repair, versioned audit
lines, and AtomicJSONStorage used directly with TinyDB."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tinydb import TinyDB

from bot.core.models import AuditEvent, Group, Participant, Rating, RatingKind
from storage import CorruptFileError, NewerSchemaError, QuarantinedFileError, StorageError
from storage import files as files_module
from storage.atomic import AtomicJSONStorage
from storage.tinydb_store import TinyDBStore

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)


def rating(pid: str, day: int = 1) -> Rating:
    return Rating(pid, date(2026, 1, day), 5, RatingKind.PROMPTED, AT, "v")


# --- the read cache --------------------------------------------------------------------

def test_a_settled_entry_is_trusted_by_stat_and_another_writer_still_shows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files_module, "RACY_NS", -1)  # every entry counts as settled
    bot, cli = TinyDBStore(tmp_path, fsync=False), TinyDBStore(tmp_path, fsync=False)
    bot.add_group(Group("G", "Asia/Jakarta", AT))
    assert [g.name for g in bot.list_groups()] == ["G"]
    reads: list[Path] = []
    real = files_module.Files._read_raw
    monkeypatch.setattr(bot.files, "_read_raw", lambda p: reads.append(p) or real(p))
    assert [g.name for g in bot.list_groups()] == ["G"]
    assert reads == []  # served from the cache after one os.stat
    cli.add_group(Group("H", "Asia/Jakarta", AT))  # a new inode: the stat key changes
    assert [g.name for g in bot.list_groups()] == ["G", "H"]
    assert reads == [bot.registry]


def test_reads_return_fresh_lists_of_shared_immutable_records(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.add_rating(rating("PA"))
    first = store.list_ratings("PA")
    first.append(rating("PA", 2))  # the caller's own list
    assert store.list_ratings("PA") == [rating("PA")]


# --- quarantine stays visible ------------------------------------------------------------

def test_a_quarantined_participant_is_not_recreated_empty(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.save_participant(Participant("PA", 1, 1, "G", AT))
    store.add_rating(rating("PA"))
    path = store.participant_path("PA")
    path.write_bytes(b"{ torn")
    with pytest.raises(CorruptFileError):
        store.list_ratings("PA")
    for attempt in (lambda: store.add_rating(rating("PA", 2)),
                    lambda: store.get_participant("PA"),
                    lambda: store.find_participant(1),
                    lambda: store.list_prompts("PA"),
                    lambda: store.save_participant(Participant("PA", 1, 1, "G", AT))):
        with pytest.raises(QuarantinedFileError, match="PA.json"):
            attempt()  # an error, never "saved" into a fresh empty file, never "not enrolled"
    assert not path.exists()
    # the admin repairs the file and puts it back: everything is there again
    moved = next(path.parent.glob("PA.json.corrupt-*"))
    moved.rename(tmp_path / "repaired")
    (tmp_path / "repaired").unlink()
    store.save_participant(Participant("PA", 1, 1, "G", AT))
    assert store.get_participant("PA") is not None


def test_a_quarantined_registry_is_not_replaced_by_an_empty_one(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.add_group(Group("G", "Asia/Jakarta", AT))
    store.save_participant(Participant("PA", 1, 1, "G", AT))
    store.registry.write_bytes(b"\x00")
    with pytest.raises(CorruptFileError):
        store.list_groups()
    with pytest.raises(QuarantinedFileError, match="registry.json"):
        store.add_group(Group("H", "Asia/Jakarta", AT))
    assert not store.registry.exists()
    assert [p.pid for p in store.list_participants()] == ["PA"]  # prompts go on
    store.add_rating(rating("PA"))  # and so do ratings


def test_delete_participant_also_erases_quarantined_copies(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.save_participant(Participant("PA", 1, 1, "G", AT))
    store.participant_path("PA").write_bytes(b"junk")
    with pytest.raises(CorruptFileError):
        store.get_participant("PA")
    store.delete_participant("PA")
    assert list((tmp_path / "participants").iterdir()) == []
    assert store.get_participant("PA") is None


# --- the registry index ------------------------------------------------------------------

def test_find_participant_indexes_a_file_the_registry_missed(tmp_path: Path) -> None:
    """A crash between save_participant's two writes leaves a file without an index entry."""
    store = TinyDBStore(tmp_path, fsync=False)
    store.save_participant(Participant("PA", 1, 1, "G", AT))
    store.save_participant(Participant("PB", 2, 2, "G", AT))
    data = json.loads(store.registry.read_bytes())
    data["participants"] = {k: v for k, v in data["participants"].items() if v["pid"] != "PB"}
    store.registry.write_text(json.dumps(data), encoding="utf-8")
    fresh = TinyDBStore(tmp_path, fsync=False)
    assert fresh.find_participant(2) == Participant("PB", 2, 2, "G", AT)
    assert {e["pid"] for e in json.loads(store.registry.read_bytes())["participants"].values()
            } == {"PA", "PB"}
    assert fresh.find_participant(3) is None


# --- audit lines carry their schema version ---------------------------------------------

def test_audit_lines_carry_a_schema_version_and_newer_lines_are_refused(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.append_audit(AuditEvent(AT, "export", "cli"))
    line = json.loads((tmp_path / "audit.jsonl").read_text(encoding="utf-8"))
    assert line["schema_version"] == 1
    with open(tmp_path / "audit.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({**line, "schema_version": 2}) + "\n")
    with pytest.raises(NewerSchemaError, match="audit.jsonl:2"):
        list(store.read_audit())


# --- AtomicJSONStorage on its own -----------------------------------------------------------

def test_atomic_storage_with_tinydb_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        assert db.table("t").all() == []  # a missing file reads as empty, nothing created
        assert not path.exists()
        db.table("t").insert({"text": "🧘 مرحبا \x00"})
    with TinyDB(path, storage=AtomicJSONStorage, fsync=False) as db:
        assert db.table("t").all() == [{"text": "🧘 مرحبا \x00"}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.json"]


def test_atomic_storage_fails_before_touching_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.table("t").insert({"v": 1})
    before = path.read_bytes()
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        with pytest.raises(TypeError):
            db.table("t").insert({"v": object()})
        with pytest.raises(StorageError, match="not valid Unicode"):
            db.table("t").insert({"v": "\ud800"})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.json"]


def test_atomic_storage_quarantines_an_unparsable_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(b'{"t": {"1": ')
    with pytest.raises(CorruptFileError) as err:
        TinyDB(path, storage=AtomicJSONStorage).table("t").all()
    assert err.value.path == str(path)
    moved = Path(err.value.quarantined)
    assert moved.name.startswith("db.json.corrupt-") and moved.read_bytes() == b'{"t": {"1": '
    assert not path.exists()
