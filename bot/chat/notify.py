"""Telling staff: alerts to a group's facilitators, operational notes to the admins.

Used by handlers and jobs alike (jobs never import handlers)."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.chat.context import CustomContext
from bot.chat.ratelimit import Priority
from bot.core.models import Language, Participant
from bot.i18n import format_date, zone_label

logger = logging.getLogger(__name__)


async def alert_facilitators(context: CustomContext, participant: Participant, key: str,
                             extra: Callable[[Language], dict[str, object]] | None = None,
                             buttons: Callable[[Language], InlineKeyboardMarkup] | None = None,
                             ) -> int:
    """Tell each facilitator of the group (or, if it has none, each admin) the alias, the
    group and the time (and ``extra``'s values, in the reader's language), never what was
    written; return how many were reached."""
    jeda = context.jeda
    now = jeda.clock()
    reached = 0
    for staff_id in await jeda.access.facilitators_of(participant.group):
        staff = await jeda.participant(staff_id)
        lang = staff.language if staff else Language.ID
        zone_name = staff.timezone if staff else participant.timezone
        local = now.astimezone(ZoneInfo(zone_name))
        when = f"{format_date(lang, local.date())}, {local:%H:%M} {zone_label(zone_name)}"
        text = context.t(lang, key, pid=jeda.alias_for(participant),
                         group=html.escape(participant.group), time=when,
                         link=f"tg://user?id={participant.telegram_id}",
                         **(extra(lang) if extra else {}))
        try:
            await context.outbox.send(staff_id, text, buttons(lang) if buttons else None)
            reached += 1
        except TelegramError as exc:
            logger.warning("could not alert a facilitator of %s: %s", participant.group,
                           type(exc).__name__)
    await jeda.safety.alerted(participant, key.replace(".", "_"), reached)
    return reached


async def tell_admins(context: CustomContext, key: str, **values: object) -> None:
    """Send an operational alert (no participant data) to every admin, in both languages."""
    for admin_id in sorted(context.jeda.admin_ids):
        try:
            await context.outbox.send(admin_id, context.t.both(key, **values),
                                      priority=Priority.BROADCAST)
        except TelegramError:
            logger.warning("could not reach an admin about %s", key)


async def report_quarantines(context: CustomContext) -> int:
    """Tell the admins once about each file now in quarantine; return how many were new."""
    new = await context.jeda.operations.new_quarantines()
    data_dir = context.application.bot_data["settings"].data_dir
    for original, copy in new:
        logger.error("data file %s is in quarantine as %s; telling the admins", original, copy)
        await tell_admins(context, "alert.quarantined", file=html.escape(original),
                          moved=html.escape(copy), data=html.escape(str(data_dir)))
    return len(new)
