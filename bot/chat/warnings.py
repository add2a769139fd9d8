"""Early warnings in the chat: the question whether a facilitator may be told when stress
stays high, and the alert when a flag's episode starts (for those who agreed)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.chat import keyboards
from bot.chat.callbacks import Menu
from bot.chat.context import CustomContext
from bot.chat.notify import alert_facilitators
from bot.chat.ratelimit import Priority
from bot.core.models import Language, Participant
from bot.services.warnings import Warning

logger = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 3600  # flags change with the days: once an hour is early enough


def share_keyboard(context: CustomContext, lang: Language) -> InlineKeyboardMarkup:
    return keyboards.choice_keyboard(Menu.SHARE, [("yes", context.t(lang, "share.yes_button")),
                                                  ("no", context.t(lang, "share.no_button"))])


async def ask_share(context: CustomContext, participant: Participant,
                    priority: Priority = Priority.INTERACTIVE) -> None:
    """Put the question (once: it is noted as asked first)."""
    lang = participant.language
    await context.jeda.warnings.asked(participant)
    await context.outbox.send(participant.chat_id, context.t(lang, "share.ask"),
                              share_keyboard(context, lang), priority=priority)


async def _alert(context: CustomContext, warning: Warning) -> None:
    def extra(lang: Language) -> dict[str, object]:
        return {"flags": "\n".join(
            f"⚑ {context.t(lang, f'flag.{f.value}')}: {context.t(lang, f'flag.rule.{f.value}')}"
            for f in warning.started)}

    await alert_facilitators(context, warning.participant, "alert.flags", extra)


async def check(context: CustomContext, force: bool = False) -> int:
    """Once an hour (or when ``force``): evaluate the flags, alert new episodes, ask who
    has not been asked yet. Return how many alerts started."""
    data = context.application.bot_data
    now = context.jeda.clock()
    last = data.get("flags_checked_at")
    if not force and last is not None and (now - last).total_seconds() < CHECK_EVERY_SECONDS:
        return 0
    data["flags_checked_at"] = now
    warnings, to_ask = await context.jeda.warnings.check()
    for warning in warnings:
        await _alert(context, warning)
    for participant in to_ask:
        try:
            await ask_share(context, participant, Priority.BROADCAST)
        except TelegramError as exc:
            logger.info("could not ask %s about sharing: %s", participant.pid, type(exc).__name__)
    return len(warnings)
