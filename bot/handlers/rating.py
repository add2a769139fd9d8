"""The 0-10 stress rating: from the daily prompt, from /rate, and for yesterday."""

from __future__ import annotations

import logging

from telegram import Update

from bot import keyboards
from bot.core.models import Language, RatingKind
from bot.core.ratings import Reflection, Trend
from bot.handlers.common import (
    CustomContext,
    active_participant,
    ask_in_flow,
    edit,
    expired_button,
)
from bot.handlers.safety import offer_support
from bot.i18n import format_number
from bot.service import RateOutcome

logger = logging.getLogger(__name__)

KINDS = {"p": RatingKind.PROMPTED, "s": RatingKind.SELF_INITIATED, "b": RatingKind.BACKFILL}


async def rate_command(update: Update, context: CustomContext) -> None:
    """Offer the 0-10 buttons for today, and for yesterday when it has no rating."""
    participant = await active_participant(update, context)
    if participant is None or update.effective_chat is None:
        return
    today, yesterday = await context.jeda.rating_offer(participant)
    lang = participant.language
    rows = [list(row) for row in keyboards.rating_keyboard("s", today).inline_keyboard]
    if yesterday is not None:
        rows.append(
            [keyboards.InlineKeyboardButton(
                context.t(lang, "rate.yesterday_button"),
                callback_data=keyboards.PickAction("rate", "yesterday").encode(),
            )]
        )
    await ask_in_flow(update, context, participant, "rate", "rate.question",
                      keyboards.InlineKeyboardMarkup(rows))


async def offer_yesterday(update: Update, context: CustomContext) -> None:
    """Switch the /rate buttons to yesterday's date."""
    query = update.callback_query
    assert query is not None
    participant = await active_participant(update, context)
    if participant is None:
        return
    _, yesterday = await context.jeda.rating_offer(participant)
    if yesterday is None:
        await expired_button(update, context)
        return
    await query.answer()
    await edit(query, context, participant.language, "rate.question_yesterday",
               keyboards.rating_keyboard("b", yesterday))


async def rate_stress(update: Update, context: CustomContext) -> None:
    """Record the rating behind the pressed button, once."""
    query = update.callback_query
    assert query is not None and query.data is not None
    button = keyboards.RateStress.decode(query.data)
    if button is None:
        await expired_button(update, context)
        return
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    result = await context.jeda.rate(participant, KINDS[button.kind], button.day, button.value)
    if result.outcome is RateOutcome.SAVED:
        if participant.flow == "rate":  # the /rate keyboard is answered: nothing left open
            await context.jeda.end_flow(participant)
        await query.answer(context.t(lang, "rate.saved_short"))
        await edit(query, context, lang, "rate.saved", value=button.value,
                   reflection=reflection_text(context, lang, result.reflection))
        if result.support is not None:
            await offer_support(context, participant, reason=result.support.value)
    elif result.outcome is RateOutcome.DUPLICATE:
        await query.answer(context.t(lang, "rate.already"), show_alert=True)
        await query.edit_message_reply_markup(None)
    elif result.outcome is RateOutcome.EXPIRED:
        await query.answer(context.t(lang, "rate.expired"), show_alert=True)
        await query.edit_message_reply_markup(None)
    else:
        await expired_button(update, context)


def reflection_text(context: CustomContext, lang: Language, reflection: Reflection | None) -> str:
    """One kind sentence comparing today with the last days."""
    if reflection is None:
        return ""
    if reflection.trend is Trend.FIRST:
        return context.t(lang, "rate.reflect.first")
    shown = "" if reflection.mean is None else format_number(lang, reflection.mean)
    return context.t.plural(lang, f"rate.reflect.{reflection.trend.value}", reflection.n,
                            mean=shown)
