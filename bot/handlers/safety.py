"""Support when a message or ratings suggest risk: resources for the participant, a private
alert (pseudonym and time, never the text) for the group's facilitators."""

from __future__ import annotations

import html
import logging
from zoneinfo import ZoneInfo

from telegram.error import TelegramError

from bot.core.models import Language, Participant
from bot.handlers.common import CustomContext

logger = logging.getLogger(__name__)


def support_text(context: CustomContext, lang: Language, categories: tuple[str, ...] = ()) -> str:
    """The support message with grounding and every resource, in the participant's language."""
    safety = context.jeda.content.safety
    parts = [safety.message(lang, categories), safety.grounding_text(lang)]
    lines = [context.t(lang, "support.resources_title")]
    for resource in safety.resources_for(categories):
        lines.append(
            context.t(lang, "support.resource_line", name=html.escape(resource.name),
                      contact=html.escape(resource.contact),
                      what=html.escape(resource.description(lang)))
        )
    parts.append("\n".join(lines))
    return "\n\n".join(parts)


async def offer_support(
    context: CustomContext,
    participant: Participant,
    reason: str,
    categories: tuple[str, ...] = (),
) -> None:
    """Send support resources; for risky text also alert the facilitators privately."""
    lang = participant.language
    await context.bot.send_message(
        participant.chat_id, support_text(context, lang, categories), parse_mode="HTML"
    )
    if reason == "rating":
        await context.jeda.audit("safety_rating", "bot", participant.pid, group=participant.group)
        return
    await alert_facilitators(context, participant, "alert.safety")


async def alert_facilitators(context: CustomContext, participant: Participant, key: str) -> int:
    """Tell each facilitator of the participant's group; return how many were reached."""
    now = context.jeda.clock()
    reached = 0
    for facilitator_id in await context.jeda.facilitator_ids(participant.group):
        facilitator = await context.jeda.participant(facilitator_id)
        lang = facilitator.language if facilitator else Language.ID
        zone = ZoneInfo(facilitator.timezone if facilitator else participant.timezone)
        text = context.t(
            lang, key, pid=participant.pid, group=html.escape(participant.group),
            time=now.astimezone(zone).strftime("%d-%m-%Y %H:%M %Z"),
            link=f"tg://user?id={participant.telegram_id}",
        )
        try:
            await context.bot.send_message(facilitator_id, text, parse_mode="HTML")
            reached += 1
        except TelegramError as exc:
            logger.warning("could not alert a facilitator of %s: %s", participant.group,
                           type(exc).__name__)
    await context.jeda.audit(key.replace(".", "_"), "bot", participant.pid,
                             group=participant.group, facilitators_reached=reached)
    return reached
