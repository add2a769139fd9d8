"""PTB's AIORateLimiter plus what it lacks: pacing per private chat, and two priorities.

AIORateLimiter keeps the bot under ~30 messages/s overall and 20/min per group, but it
has no limit for one private chat, where Telegram asks for about one message a second,
and it serves everything first come, first served. This subclass adds

* a small leaky bucket per private chat (a burst of 3, then 1/s) for the methods that put
  something into a chat;
* priority classes: BROADCAST requests (daily prompts, summaries) also pass a broadcast
  bucket a few messages per second below the overall limit, so a burst of prompts can
  never take the whole budget and a button press (INTERACTIVE) still goes at once.

The outbox passes the class as ``rate_limit_args={"priority": ...}``. Measured effect:
see BENCHMARKS.md.
"""

from __future__ import annotations

import contextlib
import enum
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

PACED_METHODS = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup",
})
MAX_TRACKED_CHATS = 4096


class Priority(enum.IntEnum):
    INTERACTIVE = 0  # replies, edits of a running exercise, answers to button presses
    BROADCAST = 1  # daily prompts, reminders, summaries


class PacedRateLimiter(AIORateLimiter):
    """Rate-limit like AIORateLimiter, plus a bucket per private chat and a broadcast
    bucket that keeps ``reserve`` messages per second free for interactive traffic."""

    def __init__(self, chat_rate: float = 1.0, chat_burst: int = 3, reserve: int = 4,
                 overall_max_rate: float = 28, **kwargs: Any) -> None:
        super().__init__(overall_max_rate=overall_max_rate, **kwargs)
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._broadcast = AsyncLimiter(max(overall_max_rate - reserve, 1), 1)

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
            if priority is Priority.BROADCAST:
                await stack.enter_async_context(self._broadcast)
            return await super().process_request(callback, args, kwargs, endpoint, data,
                                                 None)
