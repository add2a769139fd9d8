"""Scheduled work: the reconcile tick turns ``core.schedule`` decisions into sends.

Storage is the source of truth. Every minute the tick asks the core which prompts,
retries, reminders and expiries are due *now* and performs them idempotently: a
prompt record is saved as PENDING before the send (so a crash can never cause a
second send), then SENT, FAILED or BLOCKED after it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

from telegram.error import BadRequest, Forbidden, TelegramError

from bot import keyboards
from bot.core import schedule
from bot.core.models import DeliveryStatus, Participant, Prompt
from bot.handlers.common import CustomContext
from bot.handlers.errors import report_quarantines
from bot.handlers.safety import alert_facilitators

logger = logging.getLogger(__name__)

RECONCILE_JOB = "reconcile"
BACKUP_JOB = "daily-backup"
RETRY_JOB = "retry-tick"
CONCURRENT_CHATS = 16


@dataclasses.dataclass(frozen=True, slots=True)
class TickReport:
    """What one tick did, by action and outcome (for logs, tests and benchmarks)."""

    at: datetime
    counts: dict[str, int]
    retry_at: datetime | None = None  # the earliest retry of a send that failed now


async def reconcile_job(context: CustomContext) -> None:
    """Run one reconcile tick (JobQueue callback)."""
    await reconcile(context)


async def reconcile(context: CustomContext) -> TickReport:
    """Decide what is due now and perform it; one slow chat never stalls the others.

    Ticks never overlap (the minute tick and an early retry tick share one lock).
    """
    lock = context.application.bot_data.setdefault("tick_lock", asyncio.Lock())
    async with lock:
        report = await _reconcile(context)
    _plan_retry(context, report.retry_at)
    return report


def _plan_retry(context: CustomContext, when: datetime | None) -> None:
    """Run an extra tick when the earliest failed send may be retried, if before the next
    minute tick: a retry then follows an outage within seconds, not on the tick's phase."""
    queue = context.job_queue
    if when is None or queue is None or not context.application.bot_data.get("schedule_jobs"):
        return
    delay = (when - context.jeda.clock()).total_seconds()
    if delay < 55:
        queue.run_once(reconcile_job, when=max(delay, 0.5), name=RETRY_JOB)  # type: ignore[arg-type]


async def _reconcile(context: CustomContext) -> TickReport:
    jeda = context.jeda
    now = jeda.clock()
    participants = await jeda.store.list_participants()
    by_pid = {p.pid: p for p in participants}
    sync = jeda.store.sync
    recent = await asyncio.to_thread(
        lambda: {p.pid: _current(sync.list_prompts(p.pid), now) for p in participants}
    )
    actions = schedule.due_actions(
        participants, lambda pid: recent.get(pid, ()), now, jeda.content.version,
        jeda.schedule_config,
    )
    counts: Counter[str] = Counter()
    failed: list[Prompt] = []
    gate = asyncio.Semaphore(CONCURRENT_CHATS)

    async def perform(action: schedule.Action) -> None:
        async with gate:
            participant = by_pid[action.pid]
            try:
                outcome = await _perform(context, participant, action, now)
            except Exception:  # one participant's failure must not stop the tick
                logger.exception("tick action %s failed for %s", action.kind, action.pid)
                outcome = "error"
            counts[f"{action.kind.value}:{outcome}"] += 1
            if outcome == "failed":
                record = await jeda.store.get_prompt(action.pid, action.prompt.kind,
                                                     action.local_date)
                if record is not None:
                    failed.append(record)

    await asyncio.gather(*(perform(a) for a in actions))
    await report_quarantines(context)
    if actions:
        logger.info("tick: %s", dict(counts))
    retries = [r for p in failed if (r := schedule.retry_at(jeda.schedule_config, p))]
    return TickReport(now, dict(counts), min(retries, default=None))


def _current(prompts: list[Prompt], now: datetime) -> list[Prompt]:
    """The prompts the schedule still cares about: still open, or from the last two days."""
    recent = now.date() - timedelta(days=2)
    return [p for p in prompts
            if p.local_date >= recent or (p.answered_at is None and p.expired_at is None)]


async def _perform(
    context: CustomContext, participant: Participant, action: schedule.Action, now: datetime
) -> str:
    """Carry out one action under the participant's lock, on a fresh copy of the record.

    The tick decided from records it read at its start; a tap or /rate may have changed
    the record since. Re-reading under the same lock the rating handlers take means a
    reminder can never un-answer a prompt and a daily prompt never follows a /rate.
    """
    jeda = context.jeda
    async with jeda.lock(participant.pid):
        current = await jeda.store.get_prompt(participant.pid, action.prompt.kind,
                                              action.local_date)
        if not _still_due(action, current):
            return "stale"
        outcome = await _perform_locked(context, participant, action, current, now)
    if outcome == "blocked" and await jeda.mark_unreachable(participant):
        await alert_facilitators(context, participant, "alert.unreachable")
    return outcome


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


async def _perform_locked(
    context: CustomContext, participant: Participant, action: schedule.Action,
    current: Prompt | None, now: datetime,
) -> str:
    jeda = context.jeda
    kind = schedule.ActionKind
    if action.kind is kind.EXPIRE:
        assert current is not None
        await jeda.store.save_prompt(replace(current, expired_at=now))
        return "expired"
    if action.kind in (kind.SEND_PROMPT, kind.RETRY_PROMPT):
        base = current or action.prompt
        pending = replace(base, delivery=DeliveryStatus.PENDING,
                          attempts=base.attempts + 1, last_attempt_at=now)
        await jeda.store.save_prompt(pending)
        return await _send(context, participant, pending, "prompt.daily", reminder=False)
    if action.kind is kind.SEND_REMINDER:
        assert current is not None
        await jeda.store.save_prompt(replace(current, reminded_at=now))
        return await _send(context, participant, current, "prompt.reminder", reminder=True)
    if action.kind is kind.MARK_FAILED:  # an interrupted send found after a restart
        await jeda.store.save_prompt(action.prompt)  # FAILED, with no retries left
        return "marked_failed"
    return "ignored"


async def _send(
    context: CustomContext, participant: Participant, prompt: Prompt, key: str, reminder: bool
) -> str:
    """Send a prompt or reminder; record the outcome on the (already locked) prompt."""
    jeda = context.jeda
    lang = participant.language
    try:
        message = await context.bot.send_message(
            participant.chat_id,
            context.t(lang, key),
            reply_markup=keyboards.rating_keyboard("p", prompt.local_date),
            parse_mode="HTML",
        )
    except Forbidden:
        if not reminder:
            await jeda.store.save_prompt(replace(prompt, delivery=DeliveryStatus.BLOCKED))
        return "blocked"
    except BadRequest as exc:  # Telegram refused the request itself: retrying cannot help
        logger.error("send refused for %s: %s", participant.pid, exc.message)
        if not reminder:
            await jeda.store.save_prompt(replace(
                prompt, delivery=DeliveryStatus.FAILED,
                attempts=max(prompt.attempts, jeda.schedule_config.max_attempts)))
        return "refused"
    except TelegramError as exc:
        logger.warning("send failed for %s: %s", participant.pid, type(exc).__name__)
        if not reminder:
            await jeda.store.save_prompt(replace(prompt, delivery=DeliveryStatus.FAILED))
        return "failed"
    if not reminder:
        await jeda.store.save_prompt(
            replace(prompt, delivery=DeliveryStatus.SENT, sent_at=jeda.clock(),
                    message_id=message.message_id)
        )
    return "sent"


async def backup_job(context: CustomContext) -> None:
    """Take the daily snapshot of the data folder and prune old ones."""
    from storage.backup import create_backup, prune_backups

    settings = context.application.bot_data["settings"]
    path = await asyncio.to_thread(create_backup, settings.data_dir, None, context.jeda.clock())
    removed = await asyncio.to_thread(prune_backups, path.parent, settings.backup_keep)
    logger.info("backup written (%d old removed)", len(removed) if removed else 0)
