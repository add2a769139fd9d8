"""The rate limiter's two priority classes: a burst of broadcasts never holds up a reply."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.chat.ratelimit import PacedRateLimiter, Priority, Window, counted


async def _ok(*_: Any, **__: Any) -> bool:
    return True


async def _request(limiter: PacedRateLimiter, chat_id: int, priority: Priority) -> Any:
    return await limiter.process_request(_ok, (), {}, "sendMessage", {"chat_id": chat_id},
                                         {"priority": priority})


async def test_broadcasts_have_their_own_bucket_and_interactive_requests_skip_it() -> None:
    limiter = PacedRateLimiter(chat_rate=1000, chat_burst=1000, overall_max_rate=10,
                               reserve=4, max_retries=0)
    await limiter.initialize()
    # six broadcasts fill the broadcast bucket (10 - 4 a second) ...
    await asyncio.gather(*(_request(limiter, 1000 + i, Priority.BROADCAST) for i in range(6)))
    # ... a seventh would wait for it, while a reply goes through at once
    waiting = asyncio.create_task(_request(limiter, 2000, Priority.BROADCAST))
    assert await asyncio.wait_for(_request(limiter, 3000, Priority.INTERACTIVE), 0.5) is True
    assert not waiting.done()
    assert await asyncio.wait_for(waiting, 5) is True
    await limiter.shutdown()


async def test_a_request_without_a_priority_is_interactive() -> None:
    limiter = PacedRateLimiter(chat_rate=1000, chat_burst=1000, overall_max_rate=10, reserve=9)
    await limiter.initialize()
    await _request(limiter, 1, Priority.BROADCAST)  # the one broadcast slot is taken
    done = await asyncio.wait_for(
        limiter.process_request(_ok, (), {}, "sendMessage", {"chat_id": 2}, None), 0.5)
    assert done is True
    await limiter.shutdown()


async def test_the_window_never_holds_more_than_its_limit_in_any_period() -> None:
    window = Window(limit=5, reserve=1, period=0.2)
    stamps: list[float] = []

    async def one(priority: Priority) -> None:
        await window.acquire(priority)
        stamps.append(time.monotonic())

    await asyncio.gather(*(one(Priority.BROADCAST if i % 2 else Priority.INTERACTIVE)
                           for i in range(16)))
    stamps.sort()
    assert len(stamps) == 16
    # every 5 apart are at least one period apart: never 6 in one sliding window
    assert all(b - a >= 0.2 - 1e-3 for a, b in zip(stamps, stamps[5:], strict=False))


async def test_interactive_requests_go_before_waiting_broadcasts() -> None:
    window = Window(limit=3, reserve=0, period=0.3)
    order: list[str] = []

    async def one(name: str, priority: Priority) -> None:
        await window.acquire(priority)
        order.append(name)

    for i in range(3):  # the window is full
        await one(f"b{i}", Priority.BROADCAST)
    waiting = [asyncio.create_task(one(f"late-b{i}", Priority.BROADCAST)) for i in range(3)]
    await asyncio.sleep(0.05)
    replies = [asyncio.create_task(one(f"reply{i}", Priority.INTERACTIVE)) for i in range(2)]
    await asyncio.gather(*waiting, *replies)
    assert sorted(order[3:5]) == ["reply0", "reply1"]  # the replies came later, went first


def test_only_messages_count() -> None:
    assert counted("sendMessage") and counted("editMessageText") and counted("sendPhoto")
    assert not counted("sendChatAction") and not counted("answerCallbackQuery")
    assert not counted("getUpdates")
