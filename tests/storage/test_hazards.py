"""Regression tests for the storage bugs fixed alongside this suite (see git log -- storage).

Each test fails on the code before the fix: a stale cache after inode reuse, a failed unit
of work leaking into the cache, two lock holders after a delete, non-TinyDB JSON crashing
instead of being quarantined, the audit event after a torn line being lost, a torn UTF-8
sequence stopping read_audit, and racing secret-key creation.
"""

from __future__ import annotations

import fcntl
import json
import os
import tarfile
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.models import (
    AuditEvent,
    Group,
    Invite,
    Participant,
    Rating,
    RatingKind,
    Role,
    RoleAssignment,
)
from storage import CorruptFileError, StorageError
from storage import files as files_module
from storage.atomic import quarantine
from storage.backup import create_backup
from storage.files import Files
from storage.tinydb_store import TinyDBStore

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)


def participant(pid: str, tid: int, group: str = "G") -> Participant:
    return Participant(pid, tid, tid, group, AT)


# --- the parse cache -------------------------------------------------------------------

def test_cache_is_not_fooled_by_a_reused_inode_and_equal_mtime_and_size(
        tmp_path: Path) -> None:
    """Another process writes twice; ext4 reuses the inode; a coarse clock keeps the mtime."""
    bot = TinyDBStore(tmp_path, fsync=False)
    cli = TinyDBStore(tmp_path, fsync=False)  # its own Files: as good as another process
    bot.add_group(Group("G", "AAAA", AT))
    path = bot.registry
    cached = os.stat(path)
    assert bot.get_group("G").timezone == "AAAA"  # type: ignore[union-attr]
    for zone in ["BBBB", "CCCC", "DDDD", "EEEE", "FFFF", "GGGG"]:
        cli.save_group(Group("G", zone, AT))
        if os.stat(path).st_ino == cached.st_ino:
            break
    else:
        pytest.skip("this file system did not reuse the inode")
    assert os.stat(path).st_size == cached.st_size
    os.utime(path, ns=(cached.st_atime_ns, cached.st_mtime_ns))  # a coarse-grained clock
    assert bot.get_group("G").timezone == zone  # type: ignore[union-attr]
    bot.add_group(Group("H", "Asia/Jakarta", AT))  # and a write does not undo the CLI's
    assert TinyDBStore(tmp_path).get_group("G").timezone == zone  # type: ignore[union-attr]


PLAIN = {"t": dict}


def test_a_failed_unit_of_work_leaves_neither_disk_nor_cache_changed(tmp_path: Path) -> None:
    files = Files(fsync=False)
    path = tmp_path / "f.json"
    with files.write(path) as db:
        db.table("t").insert({"v": 1})
    assert files.records(path, PLAIN, "t") == ({"v": 1},)  # cached now
    before = path.read_bytes()
    with pytest.raises(RuntimeError), files.write(path) as db:
        db.table("t").update({"v": 2})  # TinyDB edits its documents in place
        raise RuntimeError("the handler failed half way")
    assert path.read_bytes() == before
    assert files.records(path, PLAIN, "t") == ({"v": 1},)


def test_a_snapshot_is_immutable_and_not_shared_with_a_unit_of_work(tmp_path: Path) -> None:
    files = Files(fsync=False)
    path = tmp_path / "f.json"
    with files.write(path) as db:
        db.table("t").insert({"v": 1})
    snap = files.records(path, PLAIN, "t")
    assert isinstance(snap, tuple)
    with files.write(path) as db:
        db.table("t").update({"v": 2})
    assert snap == ({"v": 1},)  # the old snapshot was not edited in place
    assert files.records(path, PLAIN, "t") == ({"v": 2},)


# --- the cross-process lock ------------------------------------------------------------

def test_a_waiter_on_a_deleted_lock_file_does_not_share_the_lock(tmp_path: Path) -> None:
    """A waiter that opened the old lock file must not enter beside a new lock holder."""
    files = Files(fsync=False)
    path = tmp_path / "p.json"
    lock_name = f"{path}.lock"
    old = os.open(lock_name, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(old, fcntl.LOCK_EX)  # "another process" holds the lock, then deletes
    inside = threading.Event()
    leave = threading.Event()

    def waiter() -> None:
        with files.process_lock(path):
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=waiter)
    thread.start()
    assert not inside.wait(0.2)  # it waits for us
    os.unlink(lock_name)  # as Files.delete does, while holding the lock
    os.close(old)  # release
    assert inside.wait(5)
    # whoever opens the lock file now must find it held by the waiter
    probe = os.open(lock_name, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(probe)
        leave.set()
        thread.join()


# --- quarantine ------------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    b'{"ratings": [1, 2]}',  # a table that is not an object
    b'{"profile": {"1": 5}}',  # a document that is not an object
    b'{"meta": {"1": {"schema_version": "one"}}}',  # a schema version that is not a number
    b'"just a string"',
    b"\xef\xbb\xbf{}",  # a byte-order mark: not what we write, not valid JSON to json
    b'{"profile": {"1": {"pid": "PA"}}',  # truncated
])
def test_json_that_is_not_a_tinydb_file_is_quarantined(tmp_path: Path, content: bytes) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.save_participant(participant("PA", 1))
    store.save_participant(participant("PB", 2))
    path = store.participant_path("PA")
    path.write_bytes(content)
    fresh = TinyDBStore(tmp_path, fsync=False)
    with pytest.raises(CorruptFileError, match="PA.json"):
        fresh.list_ratings("PA")
    moved = list(path.parent.glob("PA.json.corrupt-*"))
    assert [m.read_bytes() for m in moved] == [content]
    assert [p.pid for p in fresh.list_participants()] == ["PB"]
    assert [p.pid for p in fresh.list_participants("G")] == ["PB"]
    fresh.add_rating(Rating("PB", date(2026, 1, 1), 4, RatingKind.PROMPTED, AT, "v"))
    assert len(TinyDBStore(tmp_path).list_ratings("PB")) == 1


def test_quarantine_never_overwrites_an_earlier_quarantined_copy(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    same_moment = datetime(2026, 1, 1, tzinfo=UTC)
    path.write_bytes(b"first")
    one = quarantine(path, same_moment)
    path.write_bytes(b"second")
    two = quarantine(path, same_moment)
    assert one != two
    assert (one.read_bytes(), two.read_bytes()) == (b"first", b"second")
    assert not path.exists()


def test_an_old_file_without_a_migration_is_refused_and_untouched(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.save_participant(participant("PA", 1))
    path = store.participant_path("PA")
    data = json.loads(path.read_bytes())
    data["meta"]["1"]["schema_version"] = 0
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    with pytest.raises(StorageError, match="PA.json.*no migration"):
        TinyDBStore(tmp_path).get_participant("PA")
    assert path.read_bytes() == raw


def test_a_migrated_file_is_written_back_at_the_current_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.save_participant(participant("PA", 1))
    path = store.participant_path("PA")
    data = json.loads(path.read_bytes())
    data["meta"]["1"]["schema_version"] = 0
    data["ratings"] = {"1": {"pid": "PA", "local_date": "2026-01-01", "score": 7,
                             "kind": "prompted", "recorded_at": AT.isoformat(),
                             "content_version": "v"}}
    path.write_text(json.dumps(data), encoding="utf-8")
    calls: list[int] = []

    def v0_to_v1(old: dict) -> dict:  # type: ignore[type-arg]
        calls.append(0)
        for doc in old.get("ratings", {}).values():
            doc["value"] = doc.pop("score")
        return old

    monkeypatch.setitem(files_module.MIGRATIONS, 0, v0_to_v1)
    fresh = TinyDBStore(tmp_path, fsync=False)
    assert [r.value for r in fresh.list_ratings("PA")] == [7]
    fresh.add_rating(Rating("PA", date(2026, 1, 2), 3, RatingKind.PROMPTED, AT, "v"))
    on_disk = json.loads(path.read_bytes())
    assert on_disk["meta"]["1"]["schema_version"] == 1
    assert [d["value"] for d in on_disk["ratings"].values()] == [7, 3]
    migrated = len(calls)  # once for the read, once for the write's own fresh parse
    assert [r.value for r in TinyDBStore(tmp_path).list_ratings("PA")] == [7, 3]
    assert len(calls) == migrated  # the written file is current: no further migration


# --- audit log -------------------------------------------------------------------------

def test_the_event_after_a_torn_audit_line_is_kept(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.append_audit(AuditEvent(AT, "before", "cli"))
    line = json.dumps({"at": AT.isoformat(), "kind": "torn 🧘", "actor": "cli"},
                      ensure_ascii=False).encode()
    with open(tmp_path / "audit.jsonl", "ab") as handle:
        handle.write(line[: line.index("🧘".encode()) + 2])  # cut inside the emoji
    assert [e.kind for e in TinyDBStore(tmp_path).read_audit()] == ["before"]
    store.append_audit(AuditEvent(AT, "after", "cli", data={"n": 1}))
    assert [e.kind for e in TinyDBStore(tmp_path).read_audit()] == ["before", "after"]


def test_audit_appends_from_many_threads_are_whole_lines(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: store.append_audit(AuditEvent(AT, f"k{i}", "cli")),
                      range(200)))
    assert sorted(e.kind for e in store.read_audit()) == sorted(f"k{i}" for i in range(200))


# --- secret key ------------------------------------------------------------------------

def test_racing_first_use_of_the_secret_key_agrees_on_one_key(tmp_path: Path) -> None:
    stores = [TinyDBStore(tmp_path) for _ in range(16)]
    barrier = threading.Barrier(len(stores))

    def key(store: TinyDBStore) -> bytes:
        barrier.wait()
        return store.secret_key()

    with ThreadPoolExecutor(len(stores)) as pool:
        keys = set(pool.map(key, stores))
    assert len(keys) == 1 and len(keys.pop()) == 32
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".secret-*"))


def test_a_damaged_secret_key_is_an_error_not_a_new_key(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_bytes(b"short")
    with pytest.raises(StorageError, match="32-byte"):
        TinyDBStore(tmp_path).secret_key()
    assert (tmp_path / "secret.key").read_bytes() == b"short"


# --- registry semantics ----------------------------------------------------------------

def test_one_invite_claimed_by_many_at_once_has_one_winner(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.add_invites([Invite("c", "G", AT, AT + timedelta(days=1))])
    barrier = threading.Barrier(12)

    def claim(i: int) -> Invite | None:
        barrier.wait()
        return store.claim_invite("c", f"P{i}", AT)

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(claim, range(12)))
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    assert TinyDBStore(tmp_path).get_invite("c") == winners[0]
    assert store.claim_invite("c", winners[0].used_by, AT) == winners[0]  # type: ignore[arg-type]


def test_expiry_is_exclusive_and_a_claimed_code_stays_claimed_after_expiry(
        tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.add_invites([Invite("a", "G", AT, AT + timedelta(hours=1)),
                       Invite("b", "G", AT, AT + timedelta(hours=1))])
    assert store.claim_invite("a", "PA", AT + timedelta(hours=1)) is None  # at expiry: gone
    claimed = store.claim_invite("b", "PB", AT)
    assert claimed is not None and claimed.used_at == AT
    assert store.claim_invite("b", "PB", AT + timedelta(days=9)) == claimed


def test_a_spent_invite_is_never_claimed_again_even_by_its_user(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    store.add_invites([Invite("a", "G", AT, AT + timedelta(days=1)),
                       Invite("b", "G", AT, AT + timedelta(days=1))])
    assert store.claim_invite("a", "PA", AT) is not None
    assert store.claim_invite("b", "PB", AT) is not None
    store.spend_invites("PA", AT + timedelta(minutes=5))
    spent = TinyDBStore(tmp_path).get_invite("a")
    assert spent is not None and spent.spent_at == AT + timedelta(minutes=5)
    assert store.claim_invite("a", "PA", AT + timedelta(hours=1)) is None
    assert store.claim_invite("a", "PX", AT + timedelta(hours=1)) is None
    assert store.claim_invite("b", "PB", AT + timedelta(hours=1)) is not None  # not spent


def test_participants_by_group_find_and_delete(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    for i, group in enumerate(["G1", "G1", "G2"]):
        store.save_participant(participant(f"P{i}", 100 + i, group))
    store.save_participant(participant("P2", 102, "G1"))  # moved group: the list follows
    assert sorted(p.pid for p in store.list_participants("G1")) == ["P0", "P1", "P2"]
    assert store.list_participants("G2") == []
    assert store.get_participant("P1") == participant("P1", 101, "G1")
    store.delete_participant("P1")
    store.delete_participant("P1")  # idempotent
    assert store.get_participant("P1") is None
    assert not list((tmp_path / "participants").glob("P1.json*"))  # no file, no lock file
    assert sorted(p.pid for p in TinyDBStore(tmp_path).list_participants()) == ["P0", "P2"]
    with pytest.raises(StorageError):
        store.participant_path("../registry")


def test_roles_assign_upsert_and_revoke(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    a = RoleAssignment(7, Role.FACILITATOR, "G1", AT, "cli")
    store.assign_role(a)
    store.assign_role(RoleAssignment(7, Role.FACILITATOR, "G1", AT, "admin"))  # same key
    store.assign_role(RoleAssignment(7, Role.FACILITATOR, "G2", AT, "cli"))
    store.assign_role(RoleAssignment(8, Role.RESEARCHER, None, AT, "cli"))
    assert len(store.list_roles(7)) == 2
    assert [r.assigned_by for r in store.list_roles(7) if r.group == "G1"] == ["admin"]
    store.revoke_role(7, "facilitator", "G1")
    store.revoke_role(8, "researcher", "G1")  # other group: nothing
    again = TinyDBStore(tmp_path)
    assert [r.group for r in again.list_roles(7)] == ["G2"]
    assert [r.role for r in again.list_roles(8)] == [Role.RESEARCHER]


# --- backups ---------------------------------------------------------------------------

def test_backup_leaves_out_lock_tmp_and_backups_keeps_quarantined_restores_a_prefix(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = TinyDBStore(data)
    store.add_group(Group("G", "Asia/Jakarta", AT))
    store.save_participant(participant("PA", 1))
    store.secret_key()
    store.append_audit(AuditEvent(AT, "export", "cli"))
    (data / "participants" / ".PA.json.123.tmp").write_bytes(b'{"half')
    (data / "participants" / "PX.json.corrupt-20260101T000000000000Z").write_bytes(b"junk")
    first = create_backup(data, None, AT)
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        while not stop.is_set():
            i = len(written)
            store.add_rating(Rating("PA", date(2020, 1, 1) + timedelta(days=i), i % 11,
                                    RatingKind.PROMPTED, AT, "v"))
            written.append(i)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        archive = create_backup(data, None, AT + timedelta(hours=1))
    finally:
        stop.set()
        writer.join()
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        assert names == {"registry.json", "participants/PA.json", "secret.key", "audit.jsonl",
                         "participants/PX.json.corrupt-20260101T000000000000Z"}
        for member in tar.getmembers():
            assert member.mode == 0o600
            if member.name.endswith(".json"):
                json.loads(tar.extractfile(member).read())  # type: ignore[union-attr]
        restored = tmp_path / "restored"
        tar.extractall(restored, filter="data")
    assert first.exists()
    again = TinyDBStore(restored)
    assert again.secret_key() == store.secret_key()
    assert again.get_participant("PA") == store.get_participant("PA")
    assert again.list_groups() == store.list_groups()
    assert [e.kind for e in again.read_audit()] == ["export"]
    got = again.list_ratings("PA")
    assert got == store.list_ratings("PA")[: len(got)]  # a consistent prefix
