"""The protocol simulator: the real reconcile tick (``services.delivery``) over days.

An in-memory store, an injected clock and a fake sender stand in for TinyDB, time and
Telegram; everything else is the code the bot runs. What the tick did is read back from
the prompt records (a new attempt, a reminder, an expiry, an interrupted send marked
failed), so the checks are about outcomes, not about the decisions behind them.
"""

from __future__ import annotations

import asyncio
import atexit
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from bot.core.models import DeliveryStatus, Participant, Prompt, PromptKind
from bot.core.schedule import ActionKind, ScheduleConfig
from bot.services.base import Base
from bot.services.delivery import Delivery, SendOutcome, Sent
from bot.services.invitations import Invitations
from bot.services.participants import Participants
from bot.services.questionnaires import Questionnaires
from storage.aio import InlineStore
from storage.memory import MemoryStore

CV = "test-content"
LOOP = asyncio.new_event_loop()  # the simulator's own, never the test runner's current loop
atexit.register(LOOP.close)

# Answer policy per (pid, day): "now" (on receipt), "reminder" (on the reminder), None.
Policy = Callable[[str, date], str | None]


def by_day(pid: str, day: date) -> str | None:
    return ("now", "reminder", None)[(day.toordinal() + len(pid)) % 3]


class Crash(Exception):
    """The process died between saving PENDING and hearing back from Telegram."""


@dataclass
class Sim:
    people: dict[str, Participant]
    config: ScheduleConfig = field(default_factory=ScheduleConfig)
    answer: Policy = by_day
    # (pid, day) -> how many first attempts fail; "crash" leaves the record PENDING
    fail: dict[tuple[str, date], int] = field(default_factory=dict)
    crash: set[tuple[str, date]] = field(default_factory=set)
    store: MemoryStore = field(default_factory=MemoryStore)
    log: list[tuple[datetime, ActionKind, str, date]] = field(default_factory=list)
    delivered: list[tuple[datetime, str, date]] = field(default_factory=list)
    attempts: list[tuple[datetime, str, date]] = field(default_factory=list)
    now: datetime = datetime(2026, 1, 1)

    def __post_init__(self) -> None:
        base = Base(InlineStore(self.store), b"s" * 32, lambda: self.now)
        content: Any = SimpleNamespace(version=CV, instruments=())
        self.delivery = Delivery(base, content, self.config, Participants(base, self.config),
                                 Invitations(base, content, Questionnaires(base, content)))

    def records(self, pid: str) -> list[Prompt]:
        return self.store.list_prompts(pid)

    def save(self, prompt: Prompt) -> None:
        self.store.save_prompt(prompt)

    def get(self, pid: str, day: date) -> Prompt:
        found = self.store.get_prompt(pid, PromptKind.DAILY_RATING, day)
        assert found is not None, f"no prompt for {pid} on {day}"
        return found

    @property
    def prompts(self) -> dict[tuple[str, date], Prompt]:
        """Every prompt record by (pid, local date)."""
        return self._all()

    def sent_days(self, pid: str) -> list[date]:
        return [d for _, p, d in self.delivered if p == pid]

    def _all(self) -> dict[tuple[str, date], Prompt]:
        return {(p.pid, p.local_date): p for pid in self.people for p in self.records(pid)}

    async def _send(self, participant: Participant, prompt: Prompt, reminder: bool) -> Sent:
        key = (prompt.pid, prompt.local_date)
        if reminder:
            return Sent(SendOutcome.SENT)
        self.attempts.append((self.now, *key))
        if key in self.crash:
            raise Crash
        if self.fail.get(key, 0) >= prompt.attempts:
            return Sent(SendOutcome.FAILED)
        self.delivered.append((self.now, *key))
        return Sent(SendOutcome.SENT, message_id=1)

    def tick(self, now: datetime) -> list[tuple[ActionKind, str, date]]:
        """One real tick at ``now``; then the participants answer as their policy says.
        Return what it did, read from the records."""
        self.now = now
        for person in self.people.values():
            self.store.save_participant(person)
        before = self._all()
        LOOP.run_until_complete(self.delivery.tick(self._send))
        done = []
        for key, after in sorted(self._all().items()):
            for kind in _changes(before.get(key), after):
                done.append((kind, *key))
                self.log.append((now, kind, *key))
                self._answer(kind, key, after, now)
        return done

    def _answer(self, kind: ActionKind, key: tuple[str, date], record: Prompt,
                now: datetime) -> None:
        policy = self.answer(*key)
        sent = kind in (ActionKind.SEND_PROMPT, ActionKind.RETRY_PROMPT) and (
            record.delivery is DeliveryStatus.SENT)
        if (sent and policy == "now") or (kind is ActionKind.SEND_REMINDER
                                          and policy == "reminder"):
            self.save(replace(record, answered_at=now))

    def run(self, start: datetime, end: datetime, step: timedelta,
            outages: Iterable[tuple[datetime, datetime]] = ()) -> None:
        gaps = list(outages)
        now = start
        while now < end:
            if not any(a <= now < b for a, b in gaps):
                self.tick(now)
            now += step

    def of(self, kind: ActionKind, pid: str | None = None) -> list[tuple[datetime, str, date]]:
        return [(t, p, d) for t, k, p, d in self.log if k is kind and (pid is None or p == pid)]


def _changes(before: Prompt | None, after: Prompt) -> list[ActionKind]:
    """What a tick did to one record."""
    if before == after:
        return []
    out = []
    attempts = before.attempts if before else 0
    if (before is not None and before.delivery is DeliveryStatus.PENDING
            and after.delivery is DeliveryStatus.FAILED
            and after.last_attempt_at == before.last_attempt_at):  # no new attempt was made
        out.append(ActionKind.MARK_FAILED)
    elif after.attempts > attempts:
        out.append(ActionKind.SEND_PROMPT if after.attempts == 1 else ActionKind.RETRY_PROMPT)
    if after.reminded_at is not None and (before is None or before.reminded_at is None):
        out.append(ActionKind.SEND_REMINDER)
    if after.expired_at is not None and (before is None or before.expired_at is None):
        out.append(ActionKind.EXPIRE)
    return out
