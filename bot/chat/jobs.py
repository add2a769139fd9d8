"""Scheduled work: the reconcile tick (``services.delivery``) sends through the outbox.

Every minute (and early, when a failed send may be retried) the tick asks the delivery
service what is due and lets it keep the records; this module only does the sending,
the alerts about people who blocked the bot, the weekly summaries that are due
(``digests``), and the daily backup.
"""

from __future__ import annotations

import asyncio
import html
import logging

from telegram.error import BadRequest, Forbidden, TelegramError

from bot.chat import keyboards, questionnaires, warnings
from bot.chat.context import CustomContext
from bot.chat.digests import send_due_digests, send_due_summaries
from bot.chat.invites import practice_message
from bot.chat.notify import alert_facilitators, report_quarantines, tell_admins
from bot.chat.ratelimit import Priority
from bot.core.models import Participant, Prompt, PromptKind, RatingKind
from bot.services.delivery import Sender, SendOutcome, Sent, TickReport
from storage import StorageError

logger = logging.getLogger(__name__)

RECONCILE_JOB = "reconcile"
BACKUP_JOB = "daily-backup"
RETRY_JOB = "retry-tick"

__all__ = ["TickReport", "reconcile", "reconcile_job", "backup_job", "sender"]


async def reconcile_job(context: CustomContext) -> None:
    """Run one reconcile tick (JobQueue callback)."""
    await reconcile(context)


async def reconcile(context: CustomContext) -> TickReport:
    """One tick. Ticks never overlap (the minute tick and an early retry share one lock)."""
    lock = context.application.bot_data.setdefault("tick_lock", asyncio.Lock())
    async with lock:
        report = await context.jeda.delivery.tick(sender(context))
        for participant in report.unreachable:
            await alert_facilitators(context, participant, "alert.unreachable")
        await report_quarantines(context)
        for step in (send_due_summaries, send_due_digests, _escalate, warnings.check):
            try:
                await step(context)
            except StorageError:  # an unreadable registry (in quarantine: the admins were
                # told) holds up the group's summaries, not the daily questions or the rest
                logger.error("tick step %s skipped: a data file cannot be read", step.__name__)
    _plan_retry(context, report)
    return report


async def _escalate(context: CustomContext) -> None:
    for participant in await context.jeda.alerts.overdue():
        await tell_admins(context, "alert.escalated", pid=context.jeda.alias_for(participant),
                          group=html.escape(participant.group))


def _plan_retry(context: CustomContext, report: TickReport) -> None:
    """Run an extra tick when the earliest failed send may be retried, if before the next
    minute tick: a retry then follows an outage within seconds, not on the tick's phase."""
    queue = context.job_queue
    if (report.retry_at is None or queue is None
            or not context.application.bot_data.get("schedule_jobs")):
        return
    delay = (report.retry_at - context.jeda.clock()).total_seconds()
    if delay < 55:
        queue.run_once(reconcile_job, when=max(delay, 0.5), name=RETRY_JOB)  # type: ignore[arg-type]


def sender(context: CustomContext) -> Sender:
    """Send a daily prompt or its reminder, or a practice message, as a broadcast; say
    what happened."""

    async def send(participant: Participant, prompt: Prompt, reminder: bool) -> Sent:
        if prompt.kind is PromptKind.DAILY_RATING:
            key = "prompt.reminder" if reminder else "prompt.daily"
            shown = (context.t(participant.language, key),
                     keyboards.rating_keyboard(RatingKind.PROMPTED, prompt.local_date))
        else:
            found = await (questionnaires.invitation if prompt.kind is PromptKind.QUESTIONNAIRE
                           else practice_message)(context, participant, prompt)
            if found is None:  # its exercise or set-up is gone: it can never be sent
                return Sent(SendOutcome.REFUSED)
            shown = found
        try:
            message = await context.outbox.send(participant.chat_id, *shown,
                                                priority=Priority.BROADCAST)
        except Forbidden:
            return Sent(SendOutcome.BLOCKED)
        except BadRequest as exc:  # Telegram refused the request itself
            logger.error("send refused for %s: %s", participant.pid, exc.message)
            return Sent(SendOutcome.REFUSED)
        except TelegramError as exc:
            logger.warning("send failed for %s: %s", participant.pid, type(exc).__name__)
            return Sent(SendOutcome.FAILED)
        return Sent(SendOutcome.SENT, message.message_id)

    return send


async def backup_job(context: CustomContext) -> None:
    """Take the daily snapshot of the data folder and prune old ones."""
    from storage.backup import create_backup, prune_backups

    settings = context.application.bot_data["settings"]
    path = await asyncio.to_thread(create_backup, settings.data_dir, None, context.jeda.clock())
    removed = await asyncio.to_thread(prune_backups, path.parent, settings.backup_keep)
    logger.info("backup written (%d old removed)", len(removed) if removed else 0)
