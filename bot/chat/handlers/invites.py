"""Buttons of the practice messages: when the invitation comes, a follow-up, a reminder off."""

from __future__ import annotations

import html

from telegram import Update

from bot.chat.callbacks import ReminderOff, StartFollowUp
from bot.chat.context import (
    CustomContext,
    edit,
    menu_choice,
    participant_button,
    remove_buttons,
)
from bot.chat.invites import INVITE_CHOICES, invite_setting
from bot.chat.runs import show


async def invite_choice(update: Update, context: CustomContext) -> None:
    """Save when the daily practice invitation comes, and say so."""
    found = await menu_choice(update, context, INVITE_CHOICES)
    if found is None:
        return
    query, choice, participant = found
    mode, at = INVITE_CHOICES[choice]
    updated = await context.jeda.participants.set_practice_invite(participant, mode, at)
    await edit(query, context, updated.language, "invite.saved",
               when=invite_setting(context, updated))


async def start_follow_up(update: Update, context: CustomContext) -> None:
    """Begin the check-in of yesterday's plan."""
    found = await participant_button(update, context, StartFollowUp)
    if found is None:
        return
    query, button, participant = found
    started = await context.jeda.practice.start_follow_up(participant, button.run_id)
    if started is None:
        await context.outbox.answer(query.id, context.t(participant.language,
                                                        "invite.follow_up_gone"), alert=True)
        return
    await context.outbox.answer(query.id)
    await remove_buttons(query, context)
    await show(context, participant, started)


async def reminder_off(update: Update, context: CustomContext) -> None:
    """Turn a reminder exercise off."""
    found = await participant_button(update, context, ReminderOff)
    if found is None:
        return
    query, button, participant = found
    await context.jeda.practice.reminder_off(participant, button.exercise_id)
    await context.outbox.answer(query.id)
    await remove_buttons(query, context)
    exercise = context.jeda.content.exercises.get(button.exercise_id)
    title = html.escape(exercise.title[participant.language]) if exercise else ""
    await context.outbox.send(participant.chat_id, context.t(
        participant.language, "invite.reminder_now_off", title=title))
