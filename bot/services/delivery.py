"""The reconcile tick's bookkeeping: which prompts are due, and their records, exactly once.

Storage is the source of truth. The core decides which prompts, retries, reminders and
expiries are due *now*; this service performs them idempotently: a prompt is saved as
PENDING before it is sent (so a crash can never cause a second send), then SENT, FAILED
or BLOCKED after. The sending itself is the chat edge's (``send``); nothing here knows
Telegram.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.content import Content
from bot.core import schedule
from bot.core.models import DeliveryStatus, Participant, Prompt
from bot.services.base import Base
from bot.services.invitations import Invitations
from bot.services.participants import Participants

logger = logging.getLogger(__name__)

CONCURRENT_CHATS = 16


class SendOutcome(enum.StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # the participant blocked the bot
    REFUSED = "refused"  # Telegram refused the request itself: retrying cannot help
    FAILED = "failed"  # Telegram unavailable: retried with back-off


@dataclass(frozen=True, slots=True)
class Sent:
    outcome: SendOutcome
    message_id: int | None = None


# send(participant, prompt, reminder) -> what happened (``prompt.kind`` says which message:
# the daily rating, a practice invitation, a follow-up or a reminder exercise's message)
Sender = Callable[[Participant, Prompt, bool], Awaitable[Sent]]


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one tick did, by action and outcome (for logs, tests and benchmarks)."""

    at: datetime
    counts: dict[str, int]
    retry_at: datetime | None = None  # the earliest retry of a send that failed now
    unreachable: tuple[Participant, ...] = field(default=())  # newly found to have blocked


class Delivery:
    def __init__(self, base: Base, content: Content, config: schedule.ScheduleConfig,
                 participants: Participants, invitations: Invitations) -> None:
        self._base = base
        self._content = content
        self.config = config
        self._participants = participants
        self._invitations = invitations

    async def tick(self, send: Sender) -> TickReport:
        """Decide what is due now and perform it; one slow chat never stalls the others."""
        base = self._base
        now = base.clock()
        everyone = await base.store.list_participants()
        by_pid = {p.pid: p for p in everyone}
        sync = base.store.sync
        recent = await base.store.run(
            lambda: {p.pid: _current(sync.list_prompts(p.pid), now) for p in everyone})
        actions = schedule.due_actions(everyone, lambda pid: recent.get(pid, ()), now,
                                       self._content.version, self.config,
                                       await self._invitations.plans(
                                           everyone, lambda pid: recent.get(pid, ())))
        counts: Counter[str] = Counter()
        retries: list[datetime] = []
        unreachable: list[Participant] = []
        gate = asyncio.Semaphore(CONCURRENT_CHATS)

        async def perform(action: schedule.Action) -> None:
            async with gate:
                participant = by_pid[action.pid]
                try:
                    outcome = await self.perform(participant, action, now, send)
                except Exception:  # one participant's failure must not stop the tick
                    logger.exception("tick action %s failed for %s", action.kind, action.pid)
                    outcome = "error"
                counts[f"{action.kind.value}:{outcome}"] += 1
                if outcome == SendOutcome.FAILED:
                    record = await base.store.get_prompt(action.pid, action.prompt.kind,
                                                         action.local_date, action.prompt.ref)
                    when = schedule.retry_at(self.config, record) if record else None
                    if when is not None:
                        retries.append(when)
                elif outcome == SendOutcome.BLOCKED and (
                        await self._participants.mark_unreachable(participant)):
                    unreachable.append(participant)

        await asyncio.gather(*(perform(a) for a in actions))
        if actions:
            logger.info("tick: %s", dict(counts))
        return TickReport(now, dict(counts), min(retries, default=None), tuple(unreachable))

    async def perform(self, participant: Participant, action: schedule.Action,
                      now: datetime, send: Sender) -> str:
        """Carry out one action under the participant's lock, on a fresh copy of the record.

        The tick decided from records it read at its start; a tap or /rate may have changed
        the record since. Re-reading under the same lock the rating service takes means a
        reminder can never un-answer a prompt and a daily prompt never follows a /rate.
        """
        store = self._base.store
        async with self._base.locks.hold(participant.pid):
            current = await store.get_prompt(participant.pid, action.prompt.kind,
                                             action.local_date, action.prompt.ref)
            if not _still_due(action, current):
                return "stale"
            return await self._perform_locked(participant, action, current, now, send)

    async def _perform_locked(self, participant: Participant, action: schedule.Action,
                              current: Prompt | None, now: datetime, send: Sender) -> str:
        store = self._base.store
        kind = schedule.ActionKind
        if action.kind is kind.EXPIRE:
            assert current is not None
            await store.save_prompt(replace(current, expired_at=now))
            return "expired"
        if action.kind in (kind.SEND_PROMPT, kind.RETRY_PROMPT):
            base = current or action.prompt
            pending = replace(base, delivery=DeliveryStatus.PENDING,
                              attempts=base.attempts + 1, last_attempt_at=now)
            await store.save_prompt(pending)
            return await self._record(pending, await send(participant, pending, False))
        if action.kind is kind.SEND_REMINDER:
            assert current is not None
            await store.save_prompt(replace(current, reminded_at=now))
            return (await send(participant, current, True)).outcome.value
        if action.kind is kind.MARK_FAILED:  # an interrupted send found after a restart
            await store.save_prompt(action.prompt)  # FAILED, with no retries left
            return "marked_failed"
        return "ignored"

    async def _record(self, prompt: Prompt, sent: Sent) -> str:
        """Save what happened to a daily prompt's send."""
        outcome = sent.outcome
        if outcome is SendOutcome.SENT:
            record = replace(prompt, delivery=DeliveryStatus.SENT, sent_at=self._base.clock(),
                             message_id=sent.message_id)
        elif outcome is SendOutcome.BLOCKED:
            record = replace(prompt, delivery=DeliveryStatus.BLOCKED)
        elif outcome is SendOutcome.REFUSED:
            record = replace(prompt, delivery=DeliveryStatus.FAILED,
                             attempts=max(prompt.attempts, self.config.max_attempts))
        else:
            record = replace(prompt, delivery=DeliveryStatus.FAILED)
        await self._base.store.save_prompt(record)
        return outcome.value


def _current(prompts: list[Prompt], now: datetime) -> list[Prompt]:
    """The prompts the schedule still cares about: still open, or from the last two days."""
    recent = now.date() - timedelta(days=2)
    return [p for p in prompts
            if p.local_date >= recent or (p.answered_at is None and p.expired_at is None)]


def _still_due(action: schedule.Action, current: Prompt | None) -> bool:
    """Whether the record is still what the decision was based on."""
    kind = schedule.ActionKind
    if action.kind is kind.SEND_PROMPT:
        return current is None
    if current is None or current.answered_at is not None or current.expired_at is not None:
        return False
    if action.kind is kind.RETRY_PROMPT:
        return current.delivery is DeliveryStatus.FAILED and current.attempts == (
            action.prompt.attempts)
    if action.kind is kind.SEND_REMINDER:
        return current.delivery is DeliveryStatus.SENT and current.reminded_at is None
    if action.kind is kind.MARK_FAILED:
        return current.delivery is DeliveryStatus.PENDING
    return action.kind is kind.EXPIRE and current.delivery is not DeliveryStatus.SKIPPED
