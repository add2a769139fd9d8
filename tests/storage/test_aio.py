"""AsyncStore: bounded workers, usable from more than one event loop, nothing lost."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.models import AuditEvent, Participant, Rating, RatingKind
from storage import StorageError, Store
from storage.aio import AsyncStore
from storage.tinydb_store import TinyDBStore

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)


def rating(pid: str, i: int) -> Rating:
    return Rating(pid, date(2026, 1, 1) + timedelta(days=i), i % 11, RatingKind.PROMPTED,
                  AT, "v")


class Counting(TinyDBStore):
    """Records the most calls ever running at once."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, fsync=False)
        self.running = 0
        self.peak = 0
        self.guard = threading.Lock()

    def add_rating(self, rating: Rating, answered_prompt: object = None) -> None:
        with self.guard:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            time.sleep(0.001)
            super().add_rating(rating)
        finally:
            with self.guard:
                self.running -= 1


def test_a_burst_uses_at_most_the_given_workers_and_loses_nothing(tmp_path: Path) -> None:
    sync = Counting(tmp_path)
    store = AsyncStore(sync, workers=3)

    async def burst(offset: int) -> None:
        await asyncio.gather(*(store.add_rating(rating(f"P{i % 20}", offset + i))
                               for i in range(300)))

    asyncio.run(burst(0))
    asyncio.run(burst(1000))  # a second event loop: the semaphore is per loop
    assert sync.peak <= 3
    fresh = TinyDBStore(tmp_path)
    assert sum(len(fresh.list_ratings(f"P{i}")) for i in range(20)) == 600


async def test_errors_and_results_come_back_through_the_wrapper(tmp_path: Path) -> None:
    store = AsyncStore(TinyDBStore(tmp_path, fsync=False))
    p = Participant("PA", 1, 1, "G", AT)
    await store.save_participant(p)
    assert await store.get_participant("PA") == p
    assert await store.get_participant("PB") is None
    with pytest.raises(StorageError, match="not a participant id"):
        await store.get_participant("../x")
    await store.append_audit(AuditEvent(AT, "export", "cli"))
    assert [e.kind for e in await store.read_audit()] == ["export"]
    assert len(await store.secret_key()) == 32
    assert await store.run(lambda n: n + 1, 41) == 42
    await store.close()


def test_async_store_offers_every_store_method() -> None:
    protocol = {name for name in vars(Store) if not name.startswith("_")}
    offered = {name for name in vars(AsyncStore) if not name.startswith("_")}
    assert protocol <= offered
