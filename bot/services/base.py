"""What every service shares: the store, the content, the clock, per-person locks, audit."""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.core import identity
from bot.core.models import AuditEvent, Participant
from storage.aio import AsyncStore

Clock = Callable[[], datetime]


class Locks:
    """One asyncio lock per key, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._held.get(key, (asyncio.Lock(), 0))
        self._held[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._held[key]
            if users == 1:
                del self._held[key]
            else:
                self._held[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._held)


class Throttle:
    """At most ``limit`` failures per key within ``window``; bounded to ``max_keys`` keys
    (the least recently failing are forgotten first), so memory cannot grow without end."""

    def __init__(self, limit: int, window: timedelta, max_keys: int = 10_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._failures: OrderedDict[int, deque[datetime]] = OrderedDict()

    def blocked(self, key: int, now: datetime) -> bool:
        failures = self._failures.get(key)
        if failures is None:
            return False
        while failures and now - failures[0] > self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return False
        return len(failures) >= self.limit

    def fail(self, key: int, now: datetime) -> None:
        self._failures.setdefault(key, deque()).append(now)
        self._failures.move_to_end(key)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)

    def __len__(self) -> int:
        return len(self._failures)


@dataclass
class Base:
    """The shared parts, handed to every service (never to handlers)."""

    store: AsyncStore
    secret: bytes
    clock: Clock
    locks: Locks = field(default_factory=Locks)

    def pid_for(self, telegram_id: int) -> str:
        return identity.pseudonym(self.secret, telegram_id)

    async def participant(self, telegram_id: int) -> Participant | None:
        return await self.store.get_participant(self.pid_for(telegram_id))

    async def audit(self, kind: str, actor: str, subject: str | None = None,
                    **data: object) -> None:
        await self.store.append_audit(
            AuditEvent(at=self.clock(), kind=kind, actor=actor, subject=subject, data=data))

    async def change(self, participant: Participant, **changes: object) -> Participant:
        """Apply ``changes`` to the stored participant, re-read under its lock, and save.

        Re-reading means two changes racing for one person (two taps, or a tap and the
        tick marking them unreachable) both land instead of one overwriting the other."""
        async with self.locks.hold(participant.pid):
            return await self.change_locked(participant, **changes)

    async def change_locked(self, participant: Participant, **changes: object) -> Participant:
        """``change`` for a caller that already holds the participant's lock."""
        current = await self.store.get_participant(participant.pid) or participant
        updated = replace(current, **changes)  # type: ignore[arg-type]
        await self.store.save_participant(updated)
        return updated
