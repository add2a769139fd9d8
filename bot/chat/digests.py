"""What facilitators receive unasked: the weekly summary of each of their groups, on the
group's summary day and time, and a digest the day before each session (the reconcile
tick asks which are due; each goes once)."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import timedelta

from telegram.error import TelegramError

from bot.charts import group_png
from bot.chat.context import CustomContext
from bot.chat.ratelimit import Priority
from bot.core.models import Language
from bot.services.summaries import Summary
from bot.weekly import render, render_digest

logger = logging.getLogger(__name__)


async def send_summary(context: CustomContext, chat_id: int, lang: Language, found: Summary,
                       priority: Priority = Priority.INTERACTIVE) -> None:
    """The chart (drawn off the event loop), then the text (split when long)."""
    end = min(found.figures.week.end, found.today)
    days = [end - timedelta(days=27 - n) for n in range(28)]
    labels = {"title": context.t(lang, "summary.chart_caption", group=found.group.name),
              "session": context.t(lang, "summary.chart_session")}
    flagged = frozenset(p.alias for p in found.figures.people if p.flags)
    png = await asyncio.to_thread(group_png, found.daily, days, found.group.session_dates,
                                  labels, flagged)
    await context.outbox.photo(chat_id, png, html.escape(labels["title"]), priority=priority)
    text = render(context.t, lang, context.jeda.content, found.group.name, found.figures)
    await context.outbox.send_long(chat_id, html.escape(text), priority=priority)


async def send_due_digests(context: CustomContext) -> int:
    """The day before a session: the digest to each facilitator of the group."""
    jeda = context.jeda
    due = await jeda.summaries.digests_due()
    for group, session in due:
        digest = await jeda.summaries.digest_of(group, session)
        for staff_id in await jeda.access.facilitators_of(group.name):
            staff = await jeda.participant(staff_id)
            lang = staff.language if staff else Language.ID
            text = render_digest(context.t, lang, jeda.content, group.name, digest)
            try:
                await context.outbox.send_long(staff_id, html.escape(text),
                                               priority=Priority.BROADCAST)
            except TelegramError as exc:
                logger.warning("digest of %s not delivered: %s", group.name, type(exc).__name__)
    return len(due)


async def send_due_summaries(context: CustomContext) -> int:
    """Send every weekly summary that is due to its group's facilitators (or the admins);
    return how many summaries went out."""
    jeda = context.jeda
    due = await jeda.summaries.due()
    for found in await jeda.summaries.of_many(due):
        group = found.group
        for staff_id in await jeda.access.facilitators_of(group.name):
            staff = await jeda.participant(staff_id)
            try:
                await send_summary(context, staff_id, staff.language if staff else Language.ID,
                                   found, Priority.BROADCAST)
            except TelegramError as exc:
                logger.warning("weekly summary of %s not delivered: %s", group.name,
                               type(exc).__name__)
    return len(due)
