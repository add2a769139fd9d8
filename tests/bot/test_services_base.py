"""The services' shared parts stay bounded: locks and the invite-code throttle."""

import asyncio
from datetime import UTC, datetime, timedelta

from bot.services.base import Locks, Throttle

AT = datetime(2026, 12, 1, tzinfo=UTC)


async def test_locks_serialise_one_key_and_are_forgotten_when_free() -> None:
    locks = Locks()
    order: list[str] = []

    async def work(name: str) -> None:
        async with locks.hold("P1"):
            order.append(f"{name}+")
            await asyncio.sleep(0)
            order.append(f"{name}-")

    await asyncio.gather(work("a"), work("b"), *(work(f"k{i}") for i in range(3)))
    assert all(order[i][:-1] == order[i + 1][:-1] for i in range(0, len(order), 2))
    assert len(locks) == 0


def test_throttle_blocks_after_the_limit_and_forgets_old_failures() -> None:
    throttle = Throttle(limit=3, window=timedelta(minutes=15))
    for _ in range(3):
        assert not throttle.blocked(1, AT)
        throttle.fail(1, AT)
    assert throttle.blocked(1, AT + timedelta(minutes=14))
    assert not throttle.blocked(1, AT + timedelta(minutes=16))
    assert len(throttle) == 0  # pruned


def test_throttle_holds_at_most_max_keys() -> None:
    throttle = Throttle(limit=3, window=timedelta(minutes=15), max_keys=100)
    for key in range(10_000):
        throttle.fail(key, AT)
    assert len(throttle) == 100
    assert not throttle.blocked(0, AT)  # the oldest were forgotten
