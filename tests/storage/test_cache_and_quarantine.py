"""The stat-validated read cache, quarantine that stays visible, no participant in the
registry, versioned audit lines, and the durable-write primitives on their own."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.core.models import AuditEvent, Group, Participant, Rating, RatingKind
from storage import CorruptFileError, NewerSchemaError, QuarantinedFileError, StorageError
from storage import files as files_module
from storage.atomic import parse_tables, write_json_atomic
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


# --- the registry holds no participant ------------------------------------------------------

def test_the_registry_holds_no_telegram_id_and_an_old_index_is_scrubbed(tmp_path: Path) -> None:
    """Participants live in their own files only; an older Jeda also listed them (with
    their Telegram id) in the registry: erasing one removes that entry too."""
    store = TinyDBStore(tmp_path, fsync=False)
    store.add_group(Group("G", "Asia/Jakarta", AT))
    store.save_participant(Participant("PA", 987654321, 1, "G", AT))
    assert "987654321" not in store.registry.read_text(encoding="utf-8")
    data = json.loads(store.registry.read_bytes())
    data["participants"] = {"1": {"pid": "PA", "telegram_id": 987654321, "group": "G"}}
    store.registry.write_text(json.dumps(data), encoding="utf-8")
    fresh = TinyDBStore(tmp_path, fsync=False)
    assert [g.name for g in fresh.list_groups()] == ["G"]  # the old table is no obstacle
    fresh.delete_participant("PA")
    assert "987654321" not in store.registry.read_text(encoding="utf-8")


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


# --- the durable-write primitives on their own -----------------------------------------------

def test_atomic_write_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    write_json_atomic(path, {"t": {"1": {"text": "🧘 مرحبا \x00"}}})
    write_json_atomic(path, {"t": {"1": {"text": "again"}}}, fsync=False)
    assert parse_tables(path, path.read_bytes()) == {"t": {"1": {"text": "again"}}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.json"]


def test_atomic_write_fails_before_touching_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    write_json_atomic(path, {"t": {"1": {"v": 1}}})
    before = path.read_bytes()
    with pytest.raises(TypeError):
        write_json_atomic(path, {"t": {"1": {"v": object()}}})
    with pytest.raises(StorageError, match="not valid Unicode"):
        write_json_atomic(path, {"t": {"1": {"v": "\ud800"}}})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.json"]


def test_an_unparsable_file_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(b'{"t": {"1": ')
    with pytest.raises(CorruptFileError) as err:
        parse_tables(path, path.read_bytes())
    assert err.value.path == str(path)
    moved = Path(err.value.quarantined)
    assert moved.name.startswith("db.json.corrupt-") and moved.read_bytes() == b'{"t": {"1": '
    assert not path.exists()
