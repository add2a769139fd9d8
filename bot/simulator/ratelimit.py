"""Token buckets that answer 429 the way Telegram's flood control does."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from bot.simulator.errors import too_many_requests
from bot.simulator.models import Limits, Stats

Clock = Callable[[], float]


class TokenBucket:
    """Hold up to ``burst`` tokens, refilled at ``rate`` tokens per second."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = now

    def _refill(self, now: float) -> None:
        self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self, now: float) -> float:
        """Return the seconds until a token is available (0 when one is available now)."""
        self._refill(now)
        if self.tokens >= 1:
            return 0.0
        return (1 - self.tokens) / self.rate if self.rate > 0 else math.inf

    def take(self, now: float) -> None:
        """Spend one token; call only after ``wait_time`` returned 0."""
        self._refill(now)
        self.tokens -= 1


class FloodControl:
    """Check and spend the per-chat and global buckets, counting what happens in ``stats``."""

    def __init__(self, limits: Limits, stats: Stats, clock: Clock) -> None:
        self.limits = limits
        self.stats = stats
        self.clock = clock
        self._global = TokenBucket(limits.global_rate, limits.global_burst, clock())
        self._chats: dict[int, TokenBucket] = {}
        self._recent_global: deque[float] = deque()
        self._recent_chat: dict[int, deque[float]] = {}

    def spend(self, chat_id: int) -> None:
        """Spend a token for ``chat_id`` or raise a 429 ApiError with ``retry_after``."""
        now = self.clock()
        if self.limits.enabled:
            chat = self._chats.get(chat_id)
            if chat is None:
                chat = self._chats[chat_id] = TokenBucket(
                    self.limits.per_chat_rate, self.limits.per_chat_burst, now
                )
            chat_wait, global_wait = chat.wait_time(now), self._global.wait_time(now)
            if chat_wait > 0 or global_wait > 0:
                if chat_wait >= global_wait:
                    self.stats.rate_limited_per_chat[chat_id] += 1
                else:
                    self.stats.rate_limited_global += 1
                raise too_many_requests(self._retry_after(max(chat_wait, global_wait)))
            chat.take(now)
            self._global.take(now)
        self._observe(chat_id, now)

    def _retry_after(self, wait: float) -> int:
        if self.limits.retry_after is not None:
            return self.limits.retry_after
        return max(1, math.ceil(wait))

    def _observe(self, chat_id: int, now: float) -> None:
        """Update the highest number of messages seen within any one second."""
        recent_chat = self._recent_chat.setdefault(chat_id, deque())
        for window in (self._recent_global, recent_chat):
            window.append(now)
            while window and window[0] <= now - 1.0:
                window.popleft()
        self.stats.max_rate_global = max(self.stats.max_rate_global, len(self._recent_global))
        previous = self.stats.max_rate_per_chat.get(chat_id, 0)
        self.stats.max_rate_per_chat[chat_id] = max(previous, len(recent_chat))
