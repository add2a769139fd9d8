"""The daily prompt's tunable windows, and how long a failed send waits before a retry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.models import DeliveryStatus, Prompt


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """Tunable windows of the daily prompt."""

    expiry_grace: timedelta = timedelta(0)
    max_attempts: int = 20
    # after a failed send: wait 15 s, then 30 s, then 60 s, then retry_every; each wait is
    # stretched or shrunk by up to retry_jitter, the same way for the same prompt and attempt
    retry_delays: tuple[timedelta, ...] = (timedelta(seconds=15), timedelta(seconds=30),
                                           timedelta(seconds=60))
    retry_every: timedelta = timedelta(seconds=60)
    retry_jitter: float = 0.2
    late_threshold: timedelta = timedelta(minutes=15)
    pending_timeout: timedelta = timedelta(minutes=10)
    catch_up: bool = True


DEFAULT_CONFIG = ScheduleConfig()


def retry_delay(config: ScheduleConfig, prompt: Prompt) -> timedelta:
    """How long after its last attempt a FAILED prompt is tried again.

    The wait follows ``retry_delays`` by attempt, then ``retry_every``; a jitter of up to
    ``retry_jitter`` either way (derived from the prompt, so the rule stays pure and a
    retry never depends on where the minute tick happens to fall) spreads a crowd of
    retries after an outage instead of sending them all in the same second.
    """
    step = max(0, prompt.attempts - 1)
    base = config.retry_delays[step] if step < len(config.retry_delays) else config.retry_every
    key = f"{prompt.pid}|{prompt.local_date}|{prompt.attempts}".encode()
    seed = int.from_bytes(hashlib.blake2s(key, digest_size=4).digest(), "big")
    spread = (seed / 0xFFFFFFFF) * 2 - 1  # in [-1, 1]
    return base * (1 + config.retry_jitter * spread)


def retry_at(config: ScheduleConfig, prompt: Prompt) -> datetime | None:
    """When a FAILED prompt may be retried, or None when it has no attempts left."""
    if prompt.delivery is not DeliveryStatus.FAILED or prompt.attempts >= config.max_attempts:
        return None
    return (prompt.last_attempt_at or prompt.scheduled_at) + retry_delay(config, prompt)
