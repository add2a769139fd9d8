"""``fanout.each``: the same work on each participant, in worker processes or here,
results in the people's order either way."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

from bot.core.models import Participant, Rating, RatingKind
from bot.services import fanout
from storage import Records
from storage.memory import MemoryStore
from storage.tinydb_store import TinyDBStore

AT = datetime(2026, 11, 20, 12, tzinfo=UTC)


def ratings_and_process(context: str, alias: str, found: Records
                        ) -> tuple[str, str, int, int, str | None]:
    return (context, alias, len(found.ratings), os.getpid(),
            found.participant.pid if found.participant else None)


def people(store: TinyDBStore | MemoryStore, n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        person = Participant(f"P{i:03d}", 1000 + i, 1000 + i, "G", AT)
        store.save_participant(person)
        for k in range(i % 3):
            store.add_rating(Rating(person.pid, date(2026, 11, 20 + k), k,
                                    RatingKind.PROMPTED, AT, "v"))
        out.append((f"R{n - i:03d}", person.pid))
    return out


def test_worker_processes_return_every_result_in_order(tmp_path: Path,
                                                       monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(fanout, "CHUNK", 2)
    store = TinyDBStore(tmp_path, fsync=False)
    pairs = people(store, 7)
    spread = list(fanout.each(store, pairs, ratings_and_process, "ctx", workers=2))
    here = list(fanout.each(store, pairs, ratings_and_process, "ctx", workers=1))
    assert [r[:3] + r[4:] for r in spread] == [r[:3] + r[4:] for r in here] == [
        ("ctx", alias, i % 3, pid) for i, (alias, pid) in enumerate(pairs)]
    assert os.getpid() not in {r[3] for r in spread}  # read and worked elsewhere
    assert {r[3] for r in here} == {os.getpid()}


def test_a_store_other_processes_cannot_read_is_worked_here() -> None:
    store = MemoryStore()
    pairs = people(store, 3)
    assert store.reader() is None
    found = list(fanout.each(store, pairs, ratings_and_process, "ctx", workers=4))
    assert [(r[2], r[3], r[4]) for r in found] == [
        (i, os.getpid(), pid) for i, (_, pid) in enumerate(pairs)]


def test_an_unreadable_file_leaves_out_only_that_participant(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    pairs = people(store, 3)
    store.participant_path(pairs[1][1]).write_text("{not json", encoding="utf-8")
    for workers in (1, 2):
        found = list(fanout.each(TinyDBStore(tmp_path, fsync=False), pairs,
                                 ratings_and_process, "ctx", workers=workers))
        assert [(r[2], r[4]) for r in found] == [(0, pairs[0][1]), (0, None),
                                                 (2, pairs[2][1])]


def test_the_ids_are_listed_without_reading_a_file(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path, fsync=False)
    pairs = people(store, 3)
    (tmp_path / "participants" / "not-an-id.json").write_text("{}", encoding="utf-8")
    assert store.participant_ids() == sorted(pid for _, pid in pairs)
    memory = MemoryStore()
    assert memory.participant_ids() == [] and people(memory, 2) and \
        memory.participant_ids() == ["P000", "P001"]


def test_small_jobs_stay_in_this_process() -> None:
    assert fanout.workers_for(fanout.PARALLEL_FROM - 1) == 1
    assert fanout.workers_for(10_000) <= fanout.MAX_WORKERS
