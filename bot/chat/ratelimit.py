"""PTB's AIORateLimiter with a window of its own: at most N messages in *any* second,
interactive ones first, and one private chat paced as Telegram asks.

AIORateLimiter's overall limit is a leaky bucket: it lets a full second's worth go at
once on top of the sustained rate (54 messages in one second, measured), and it serves
everything first come, first served. Telegram asks for at most 30 messages a second and
about one a second in a private chat. So this subclass keeps AIORateLimiter for its
retries and group limits, switches its overall bucket off, and adds

* ``Window``: at most ``overall_max_rate`` messages in every sliding second, in three
  priorities: TIMED (a breathing phase's edit) before INTERACTIVE (replies) before
  BROADCAST (daily prompts, reminders, summaries); broadcasts leave ``reserve`` places of
  each second free, so a button press never waits behind a burst of prompts;
* a small leaky bucket per private chat (a burst of 3, then 1/s) for the methods that put
  something into a chat.

The outbox passes the class as ``rate_limit_args={"priority": ...}``. Measured effect:
see BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

PACED_METHODS = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup",
})
MAX_TRACKED_CHATS = 4096


class Priority(enum.IntEnum):
    """Lower goes first."""

    TIMED = 0  # the edits of a paced-breathing phase: due at a second
    INTERACTIVE = 1  # replies, answers to button presses, the steps of an exercise
    BROADCAST = 2  # daily prompts, reminders, summaries


def counted(endpoint: str) -> bool:
    """Whether Telegram counts the method as a message (sending or editing one)."""
    return (endpoint.startswith("send") and endpoint != "sendChatAction") or endpoint.startswith(
        "edit")


class Window:
    """At most ``limit`` acquisitions in any ``period`` seconds, evenly spaced once the
    window is half full (so what arrives at Telegram a few milliseconds later is not a
    clump); a request goes only when
    none of a higher priority waits; broadcasts use at most ``limit - reserve`` of a window."""

    def __init__(self, limit: int, reserve: int, period: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not 0 <= reserve < limit:
            raise ValueError("the reserve must be smaller than the limit")
        self._limit, self._reserve, self._period, self._clock = limit, reserve, period, clock
        self._sent: deque[float] = deque()
        self._waiting = dict.fromkeys(Priority, 0)
        self._spacing = {p: period / (limit - reserve if p is Priority.BROADCAST else limit)
                         for p in Priority}
        self._last = float("-inf")

    async def acquire(self, priority: Priority) -> None:
        self._waiting[priority] += 1
        try:
            while True:
                now = self._clock()
                while self._sent and now - self._sent[0] >= self._period:
                    self._sent.popleft()
                broadcast = priority is Priority.BROADCAST
                cap = self._limit - (self._reserve if broadcast else 0)
                turn = not any(self._waiting[p] for p in Priority if p < priority)
                busy = len(self._sent) >= self._limit // 2  # spacing matters near the top
                spaced = not busy or now - self._last >= self._spacing[priority]
                if turn and spaced and len(self._sent) < cap:
                    self._sent.append(now)
                    self._last = now
                    return
                full = len(self._sent) >= cap and self._sent
                wait = self._sent[0] + self._period - now if full else (
                    self._last + self._spacing[priority] - now if turn else 0.005)
                await asyncio.sleep(max(wait, 0.001))
        finally:
            self._waiting[priority] -= 1


class PacedRateLimiter(AIORateLimiter):
    """Rate-limit as described above: a sliding window with two priorities, a bucket per
    private chat, and AIORateLimiter's retries after a 429 and its group limits."""

    def __init__(self, chat_rate: float = 1.0, chat_burst: int = 3, reserve: int = 4,
                 overall_max_rate: float = 28, **kwargs: Any) -> None:
        super().__init__(overall_max_rate=0, **kwargs)
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._window = Window(int(overall_max_rate), reserve)

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            limiter = AsyncLimiter(self._chat_burst, self._chat_burst / self._chat_rate)
            self._chats[chat_id] = limiter
            if len(self._chats) > MAX_TRACKED_CHATS:
                self._chats.popitem(last=False)
        else:
            self._chats.move_to_end(chat_id)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> Any:
        priority = Priority.INTERACTIVE
        if isinstance(rate_limit_args, dict):
            priority = rate_limit_args.get("priority", Priority.INTERACTIVE)
        chat_id: Any = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        async with contextlib.AsyncExitStack() as stack:
            if endpoint in PACED_METHODS and isinstance(chat_id, int) and chat_id > 0:
                await stack.enter_async_context(self._chat_limiter(chat_id))
            if chat_id is not None and counted(endpoint):
                await self._window.acquire(priority)
            return await super().process_request(callback, args, kwargs, endpoint, data,
                                                 None)
