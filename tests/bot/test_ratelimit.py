"""The rate limiter's two priority classes: a burst of broadcasts never holds up a reply."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.chat.ratelimit import PacedRateLimiter, Priority


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
