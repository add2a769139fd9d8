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

from telegram.error import Forbidden, TelegramError

from bot import keyboards
from bot.core import schedule
from bot.core.models import DeliveryStatus, Participant, Prompt
from bot.handlers.common import CustomContext
from bot.handlers.safety import alert_facilitators

logger = logging.getLogger(__name__)

RECONCILE_JOB = "reconcile"
BACKUP_JOB = "daily-backup"
CONCURRENT_CHATS = 16


@dataclasses.dataclass(frozen=True, slots=True)
class TickReport:
    """What one tick did, by action and outcome (for logs, tests and benchmarks)."""

    at: datetime
    counts: dict[str, int]


async def reconcile_job(context: CustomContext) -> None:
    """Run one reconcile tick (JobQueue callback)."""
    await reconcile(context)


async def reconcile(context: CustomContext) -> TickReport:
    """Decide what is due now and perform it; one slow chat never stalls the others."""
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

    await asyncio.gather(*(perform(a) for a in actions))
    if actions:
        logger.info("tick: %s", dict(counts))
    return TickReport(now, dict(counts))


def _current(prompts: list[Prompt], now: datetime) -> list[Prompt]:
    """The prompts the schedule still cares about: still open, or from the last two days."""
    recent = now.date() - timedelta(days=2)
    return [p for p in prompts
            if p.local_date >= recent or (p.answered_at is None and p.expired_at is None)]


async def _perform(
    context: CustomContext, participant: Participant, action: schedule.Action, now: datetime
) -> str:
    jeda = context.jeda
    prompt = action.prompt
    kind = schedule.ActionKind
    if action.kind is kind.EXPIRE:
        await jeda.store.save_prompt(replace(prompt, expired_at=now))
        return "expired"
    if action.kind in (kind.SEND_PROMPT, kind.RETRY_PROMPT):
        pending = replace(prompt, delivery=DeliveryStatus.PENDING,
                          attempts=prompt.attempts + 1, last_attempt_at=now)
        await jeda.store.save_prompt(pending)
        return await _send(context, participant, pending, "prompt.daily", reminder=False)
    if action.kind is kind.SEND_REMINDER:
        await jeda.store.save_prompt(replace(prompt, reminded_at=now))
        return await _send(context, participant, prompt, "prompt.reminder", reminder=True)
    if action.kind is kind.MARK_FAILED:  # an interrupted send found after a restart
        await jeda.store.save_prompt(prompt)  # already FAILED, with no retries left
        return "marked_failed"
    return "ignored"


async def _send(
    context: CustomContext, participant: Participant, prompt: Prompt, key: str, reminder: bool
) -> str:
    jeda = context.jeda
    lang = participant.language
    try:
        message = await context.bot.send_message(
            participant.chat_id,
            context.t(lang, key, name=""),
            reply_markup=keyboards.rating_keyboard("p", prompt.local_date),
            parse_mode="HTML",
        )
    except Forbidden:
        if not reminder:
            await jeda.store.save_prompt(replace(prompt, delivery=DeliveryStatus.BLOCKED))
        if await jeda.mark_unreachable(participant):
            await alert_facilitators(context, participant, "alert.unreachable")
        return "blocked"
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
