"""The 0-10 stress rating: from the daily prompt, from /rate, and for yesterday."""

from __future__ import annotations

import logging

from telegram import Update

from bot.chat import keyboards
from bot.chat.callbacks import Menu, PickAction, RateStress
from bot.chat.context import (
    CustomContext,
    active_participant,
    ask_in_flow,
    edit,
    expired_button,
    remove_buttons,
)
from bot.chat.support import offer_support
from bot.core.flows import FlowKind, FlowStep
from bot.core.models import Language, RatingKind
from bot.core.ratings import Reflection, Trend
from bot.i18n import format_number
from bot.services.ratings import RateOutcome, RateResult

logger = logging.getLogger(__name__)

REFUSED = {RateOutcome.DUPLICATE: "rate.already", RateOutcome.EXPIRED: "rate.expired"}


async def rate_command(update: Update, context: CustomContext) -> None:
    """Offer the 0-10 buttons for today, and for yesterday when it has no rating."""
    participant = await active_participant(update, context)
    if participant is None or update.effective_chat is None:
        return
    today, yesterday = await context.jeda.ratings.offer(participant)
    lang = participant.language
    rows = [list(row) for row in
            keyboards.rating_keyboard(RatingKind.SELF_INITIATED, today).inline_keyboard]
    if yesterday is not None:
        rows.append([keyboards.InlineKeyboardButton(
            context.t(lang, "rate.yesterday_button"),
            callback_data=PickAction(Menu.RATE, "yesterday").encode())])
    await ask_in_flow(update, context, participant, (FlowKind.RATE, FlowStep.PICK),
                      "rate.question", keyboards.InlineKeyboardMarkup(rows))


async def offer_yesterday(update: Update, context: CustomContext) -> None:
    """Switch the /rate buttons to yesterday's date."""
    query = update.callback_query
    assert query is not None
    participant = await active_participant(update, context)
    if participant is None:
        return
    _, yesterday = await context.jeda.ratings.offer(participant)
    if yesterday is None:
        await expired_button(update, context)
        return
    await context.outbox.answer(query.id)
    await edit(query, context, participant.language, "rate.question_yesterday",
               keyboards.rating_keyboard(RatingKind.BACKFILL, yesterday))


async def rate_stress(update: Update, context: CustomContext) -> None:
    """Record the rating behind the pressed button, once."""
    query = update.callback_query
    assert query is not None and query.data is not None
    button = RateStress.decode(query.data)
    participant = await active_participant(update, context) if button else None
    if button is None or participant is None:
        if button is None:
            await expired_button(update, context)
        return
    lang = participant.language
    result = await context.jeda.ratings.rate(participant, button.kind, button.day, button.value)
    if result.outcome is RateOutcome.SAVED:
        await context.jeda.flows.close_if(participant, FlowKind.RATE)  # nothing left open
        await context.outbox.answer(query.id, context.t(lang, "rate.saved_short"))
        await edit(query, context, lang, "rate.saved", value=button.value,
                   reflection=reflection_text(context, lang, result))
        if result.support is not None:
            await offer_support(context, participant, reason=result.support.value)
    elif result.outcome in REFUSED:
        await context.outbox.answer(query.id, context.t(lang, REFUSED[result.outcome]),
                                    alert=True)
        await remove_buttons(query, context)
    else:
        await expired_button(update, context)


def reflection_text(context: CustomContext, lang: Language, result: RateResult) -> str:
    """One kind sentence comparing today with the last days."""
    reflection: Reflection | None = result.reflection
    if reflection is None:
        return ""
    if reflection.trend is Trend.FIRST:
        return context.t(lang, "rate.reflect.first")
    shown = "" if reflection.mean is None else format_number(lang, reflection.mean)
    return context.t.plural(lang, f"rate.reflect.{reflection.trend.value}", reflection.n,
                            mean=shown)
