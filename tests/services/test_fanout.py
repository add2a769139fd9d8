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


def ratings_and_process(context: str, alias: str, person: Participant,
                        found: Records) -> tuple[str, str, int, int]:
    return context, alias, len(found.ratings), os.getpid()


def people(store: TinyDBStore | MemoryStore, n: int) -> list[tuple[str, Participant]]:
    out = []
    for i in range(n):
        person = Participant(f"P{i:03d}", 1000 + i, 1000 + i, "G", AT)
        store.save_participant(person)
        for k in range(i % 3):
            store.add_rating(Rating(person.pid, date(2026, 11, 20 + k), k,
                                    RatingKind.PROMPTED, AT, "v"))
        out.append((f"R{n - i:03d}", person))
    return out


def test_worker_processes_return_every_result_in_order(tmp_path: Path,
                                                       monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(fanout, "CHUNK", 2)
    store = TinyDBStore(tmp_path, fsync=False)
    pairs = people(store, 7)
    spread = list(fanout.each(store, pairs, ratings_and_process, "ctx", workers=2))
    here = list(fanout.each(store, pairs, ratings_and_process, "ctx", workers=1))
    assert [r[:3] for r in spread] == [r[:3] for r in here] == [
        ("ctx", alias, i % 3) for i, (alias, _) in enumerate(pairs)]
    assert os.getpid() not in {r[3] for r in spread}  # read and worked elsewhere
    assert {r[3] for r in here} == {os.getpid()}


def test_a_store_other_processes_cannot_read_is_worked_here() -> None:
    store = MemoryStore()
    pairs = people(store, 3)
    assert store.reader() is None
    found = list(fanout.each(store, pairs, ratings_and_process, "ctx", workers=4))
    assert [(r[2], r[3]) for r in found] == [(0, os.getpid()), (1, os.getpid()),
                                             (2, os.getpid())]


def test_small_jobs_stay_in_this_process() -> None:
    assert fanout.workers_for(fanout.PARALLEL_FROM - 1) == 1
    assert fanout.workers_for(10_000) <= fanout.MAX_WORKERS
