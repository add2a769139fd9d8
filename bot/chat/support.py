"""Support when a message or ratings suggest risk: resources for the participant, a private
alert (pseudonym and time, never the text) for the group's facilitators."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardMarkup

from bot.chat import keyboards
from bot.chat.callbacks import AnswerAlert
from bot.chat.context import CustomContext
from bot.chat.notify import alert_facilitators
from bot.core.models import Language, Participant

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
        await context.jeda.safety.rating_support_given(participant)
    elif participant.consent is not None and participant.consent.agreed:
        episode, new = await context.jeda.alerts.open(participant)
        if new:  # messages within the hour after are the same episode: no second alert
            reached = await alert_facilitators(context, participant, "alert.safety",
                                               buttons=lambda lang: answer_keyboard(
                                                   context, lang, episode.episode_id))
            await context.jeda.alerts.reached(participant, reached)
            told = reached > 0
        else:
            told = episode.reached > 0
    await context.outbox.send(participant.chat_id,
                              support_text(context, lang, categories, told, rule))


def answer_keyboard(context: CustomContext, lang: Language,
                    episode_id: str) -> InlineKeyboardMarkup:
    return keyboards.markup([[
        (context.t(lang, "alert.reached_out_button"),
         AnswerAlert("reached_out", episode_id).encode()),
        (context.t(lang, "alert.not_concern_button"),
         AnswerAlert("not_concern", episode_id).encode())]])


async def support_for_stranger(context: CustomContext, chat_id: int, lang: Language,
                               categories: tuple[str, ...]) -> None:
    """Someone not (yet) enrolled wrote something risky: resources, and nothing stored."""
    await context.outbox.send(chat_id, support_text(context, lang, categories, None))
