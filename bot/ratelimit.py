"""PTB's AIORateLimiter plus the per-private-chat pacing it lacks.

AIORateLimiter keeps the bot under ~30 messages/s overall and 20/min per group, but it
has no limit for one private chat, where Telegram asks for about one message a second.
This subclass adds a small leaky bucket per private chat (a burst of 3, then 1/s) for the
methods that put something into a chat. Measured effect: see BENCHMARKS.md.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

PACED_METHODS = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup",
})
MAX_TRACKED_CHATS = 4096


class PacedRateLimiter(AIORateLimiter):
    """Rate-limit like AIORateLimiter, plus a bucket per private chat (a burst, then 1/s)."""

    def __init__(self, chat_rate: float = 1.0, chat_burst: int = 3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()

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
        rate_limit_args: int | None,
    ) -> Any:
        chat_id: Any = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        if endpoint in PACED_METHODS and isinstance(chat_id, int) and chat_id > 0:
            async with self._chat_limiter(chat_id):
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
