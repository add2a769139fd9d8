"""Nothing acknowledged is ever lost: concurrency, another process, SIGKILL, bad files."""

from __future__ import annotations

import asyncio
import json
import random
import signal
import subprocess
import sys
import tarfile
import threading
import time as wall
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.models import Group, Invite, Participant, Rating, RatingKind
from storage import CorruptFileError, NewerSchemaError
from storage import files as files_module
from storage.aio import AsyncStore
from storage.backup import create_backup, prune_backups
from storage.tinydb_store import TinyDBStore

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 11, 28, 12, tzinfo=UTC)


def rating(pid: str, i: int) -> Rating:
    return Rating(pid, date(2026, 1, 1) + timedelta(days=i), i % 11, RatingKind.PROMPTED,
                  AT + timedelta(seconds=i), "v")


async def test_200_concurrent_appends_for_one_participant_lose_nothing(tmp_path: Path) -> None:
    store = AsyncStore(TinyDBStore(tmp_path))
    await asyncio.gather(*(store.add_rating(rating("PAAAAAAAAAA", i)) for i in range(200)))
    saved = TinyDBStore(tmp_path).list_ratings("PAAAAAAAAAA")
    assert sorted(r.local_date for r in saved) == [rating("P", i).local_date for i in range(200)]


WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from bot.core.models import Group, Invite
from storage.tinydb_store import TinyDBStore
store = TinyDBStore(sys.argv[1])
at = datetime(2026, 11, 28, tzinfo=UTC)
for i in range(int(sys.argv[2])):
    store.add_group(Group(f"cli-{i}", "Asia/Jakarta", at))
    store.add_invites([Invite(f"cli-{i}", f"cli-{i}", at, at + timedelta(days=1))])
"""


def test_a_cli_process_and_the_bot_write_the_registry_together(tmp_path: Path) -> None:
    n = 150
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(n)], cwd=ROOT)
    store = TinyDBStore(tmp_path)
    for i in range(n):
        store.add_group(Group(f"bot-{i}", "Asia/Jakarta", AT))
        store.save_participant(Participant(f"P{i:010d}", i + 1, i + 1, f"bot-{i}", AT))
    assert proc.wait(timeout=60) == 0
    again = TinyDBStore(tmp_path)
    names = {g.name for g in again.list_groups()}
    assert {f"cli-{i}" for i in range(n)} | {f"bot-{i}" for i in range(n)} == names
    assert all(again.get_invite(f"cli-{i}") is not None for i in range(n))
    assert len(again.list_participants()) == n


APPENDER = """
import sys
from datetime import UTC, date, datetime, timedelta
from bot.core.models import Rating, RatingKind
from storage.tinydb_store import TinyDBStore
store = TinyDBStore(sys.argv[1])
start = int(sys.argv[2])
for i in range(start, start + 100000):
    store.add_rating(Rating("PCRASHTEST0", date(2000, 1, 1) + timedelta(days=i), i % 11,
                            RatingKind.PROMPTED, datetime(2026, 1, 1, tzinfo=UTC), "v"))
    print(i, flush=True)
"""


def test_sigkill_at_random_moments_loses_no_acknowledged_append(tmp_path: Path) -> None:
    rng = random.Random(20261128)
    acknowledged: list[int] = []
    next_index = 0
    for _ in range(50):
        proc = subprocess.Popen([sys.executable, "-c", APPENDER, str(tmp_path), str(next_index)],
                                cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        first = proc.stdout.readline()  # wait until it is really appending
        wall.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        done = [int(line) for line in (first + out).split() if line.strip()]
        acknowledged.extend(done)
        next_index = (max(done) if done else next_index) + 1000
        # after every kill every data file parses and holds every acknowledged append
        for path in tmp_path.rglob("*.json"):
            json.loads(path.read_text(encoding="utf-8"))
        on_disk = json.loads((tmp_path / "participants" / "PCRASHTEST0.json").read_bytes())
        saved_now = {doc["local_date"] for doc in on_disk["ratings"].values()}
        assert {str(date(2000, 1, 1) + timedelta(days=i)) for i in done} <= saved_now
    saved = {(r.local_date - date(2000, 1, 1)).days
             for r in TinyDBStore(tmp_path).list_ratings("PCRASHTEST0")}
    assert len(acknowledged) > 50
    assert set(acknowledged) <= saved
    assert not list((tmp_path / "participants").glob("*.corrupt-*"))


@pytest.mark.parametrize("garbage", [b"\x00\xff\xfe junk", b'{"profile": {"1": {"pid": "P',
                                     b"[1, 2, 3]", b""])
def test_corrupt_file_is_quarantined_and_others_go_on(tmp_path: Path, garbage: bytes) -> None:
    store = TinyDBStore(tmp_path)
    for pid in ("PAAAAAAAAAA", "PBBBBBBBBBB"):
        store.save_participant(Participant(pid, hash(pid) % 1000, 1, "G", AT))
    bad = store.participant_path("PAAAAAAAAAA")
    bad.write_bytes(garbage)
    fresh = TinyDBStore(tmp_path)
    with pytest.raises(CorruptFileError) as err:
        fresh.get_participant("PAAAAAAAAAA")
    assert "PAAAAAAAAAA.json" in str(err.value)
    moved = list(bad.parent.glob("PAAAAAAAAAA.json.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    assert [p.pid for p in fresh.list_participants()] == ["PBBBBBBBBBB"]
    fresh.add_rating(rating("PBBBBBBBBBB", 1))
    assert len(fresh.list_ratings("PBBBBBBBBBB")) == 1


def test_file_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path)
    store.save_participant(Participant("PAAAAAAAAAA", 1, 1, "G", AT))
    path = store.participant_path("PAAAAAAAAAA")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema_version"] = 99
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    fresh = TinyDBStore(tmp_path)
    with pytest.raises(NewerSchemaError, match="newer version"):
        fresh.get_participant("PAAAAAAAAAA")
    with pytest.raises(NewerSchemaError):
        fresh.add_rating(rating("PAAAAAAAAAA", 1))
    assert path.read_bytes() == raw


def test_migration_hook_upgrades_old_files(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    store = TinyDBStore(tmp_path)
    store.save_participant(Participant("PAAAAAAAAAA", 1, 1, "G", AT))
    path = store.participant_path("PAAAAAAAAAA")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["meta"]["1"]["schema_version"] = 0
    data["profile"]["1"].pop("timezone")
    path.write_text(json.dumps(data), encoding="utf-8")

    def v0_to_v1(old: dict) -> dict:  # type: ignore[type-arg]
        old["profile"]["1"]["timezone"] = "Asia/Jayapura"
        return old

    monkeypatch.setitem(files_module.MIGRATIONS, 0, v0_to_v1)
    assert TinyDBStore(tmp_path).get_participant("PAAAAAAAAAA").timezone == "Asia/Jayapura"


def test_backup_while_writing_restores_and_prunes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = TinyDBStore(data)
    store.add_group(Group("G", "Asia/Jakarta", AT))
    store.add_invites([Invite("x", "G", AT, AT + timedelta(days=1))])
    stop = threading.Event()

    def keep_writing() -> None:
        i = 0
        while not stop.is_set():
            store.add_rating(rating("PWRITER0000", i))
            i += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        archives = [create_backup(data, None, AT + timedelta(days=d)) for d in range(4)]
    finally:
        stop.set()
        writer.join()
    for archive in archives:
        with tarfile.open(archive) as tar:
            names = tar.getnames()
            assert not any(n.endswith((".lock", ".tmp")) or n.startswith("backups")
                           for n in names)
            for member in tar.getmembers():
                if member.name.endswith(".json"):
                    json.loads(tar.extractfile(member).read())  # type: ignore[union-attr]
    restored = tmp_path / "restored"
    with tarfile.open(archives[-1]) as tar:
        tar.extractall(restored, filter="data")
    again = TinyDBStore(restored)
    assert again.get_group("G") is not None
    assert len(again.list_ratings("PWRITER0000")) > 0
    same_second = create_backup(data, None, AT + timedelta(days=3))
    assert same_second.name.endswith("Z-1.tar.gz")
    archives.append(same_second)
    removed = prune_backups(data / "backups", keep=3)
    assert sorted(removed) == sorted(archives[:2])  # the "-1" one is the newest
    assert sorted((data / "backups").glob("jeda-*.tar.gz")) == sorted(archives[2:])


def test_participants_are_listed_from_their_files_even_without_a_registry(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path)
    for i in range(3):
        store.save_participant(Participant(f"P{i:010d}", i + 1, i + 1, "G", AT))
    (tmp_path / "registry.json").write_bytes(b"\x00 broken")
    fresh = TinyDBStore(tmp_path)
    assert [p.pid for p in fresh.list_participants("G")] == [f"P{i:010d}" for i in range(3)]


def test_backup_of_a_quiet_folder_restores_byte_identical_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = TinyDBStore(data)
    store.add_group(Group("G", "Asia/Jakarta", AT))
    store.save_participant(Participant("PAAAAAAAAAA", 1, 1, "G", AT))
    for i in range(20):
        store.add_rating(rating("PAAAAAAAAAA", i))
    store.secret_key()
    archive = create_backup(data, tmp_path / "out.tar.gz", AT)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "restored", filter="data")

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
                if p.is_file() and not p.name.endswith(".lock")}

    assert files(tmp_path / "restored") == files(data)
    assert TinyDBStore(tmp_path / "restored").list_ratings("PAAAAAAAAAA") == \
        store.list_ratings("PAAAAAAAAAA")
