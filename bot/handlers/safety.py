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


def support_text(context: CustomContext, lang: Language, categories: tuple[str, ...] = (),
                 told: bool | None = None, rule: str | None = None) -> str:
    """The support message, whether someone was told, grounding and every resource.

    ``told`` is True when a facilitator (or an admin) has just been alerted, False when
    nobody could be, and None when no alert applies (support offered after high ratings,
    where ``rule`` names the rule that fired and picks the opening words).
    """
    safety = context.jeda.content.safety
    message = (context.t(lang, f"support.after_{rule}") if rule
               else safety.message(lang, categories))
    if told is not None:
        message += " " + context.t(lang, "support.told" if told else "support.not_told")
    parts = [message, safety.grounding_text(lang)]
    lines = [context.t(lang, "support.resources_title")]
    for resource in safety.resources_for(categories):
        # "Healing119.id: healing119.id." says one thing twice: the name is the address
        named = resource.name.casefold() == resource.contact.casefold()
        key = "support.resource_line_named" if named else "support.resource_line"
        lines.append(
            context.t(lang, key, name=html.escape(resource.name),
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
    """Alert the group's facilitators first (for risky text, after consent), then send the
    participant support whose wording says truthfully whether anyone was told."""
    lang = participant.language
    told: bool | None = None
    rule = None if reason == "text" else reason
    if rule is not None:  # after ratings (SupportReason): the participant only
        await context.jeda.audit("safety_rating", "bot", participant.pid, group=participant.group)
    elif participant.consent is not None and participant.consent.agreed:
        told = await alert_facilitators(context, participant, "alert.safety") > 0
    await context.bot.send_message(
        participant.chat_id, support_text(context, lang, categories, told, rule),
        parse_mode="HTML")


async def support_for_stranger(context: CustomContext, chat_id: int, lang: Language,
                               categories: tuple[str, ...]) -> None:
    """Someone not (yet) enrolled wrote something risky: resources, and nothing stored."""
    await context.bot.send_message(chat_id, support_text(context, lang, categories, None),
                                   parse_mode="HTML")


async def alert_facilitators(context: CustomContext, participant: Participant, key: str) -> int:
    """Tell each facilitator of the group (or, if it has none, each admin); count who heard."""
    """Tell each facilitator of the participant's group; return how many were reached."""
    now = context.jeda.clock()
    reached = 0
    recipients = await context.jeda.facilitator_ids(participant.group)
    if not recipients:  # a group without facilitators: the admins must hear it instead
        recipients = sorted(context.jeda.admin_ids)
    for facilitator_id in recipients:
        facilitator = await context.jeda.participant(facilitator_id)
        lang = facilitator.language if facilitator else Language.ID
        zone = ZoneInfo(facilitator.timezone if facilitator else participant.timezone)
        text = context.t(
            lang, key, pid=context.jeda.alias_for(participant),
            group=html.escape(participant.group),
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
