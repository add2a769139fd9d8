"""The practice messages the reconcile tick sends (an invitation, a follow-up, a reminder)
and the choice of when the daily invitation comes (at enrolment and in /settings)."""

from __future__ import annotations

import html
from datetime import time

from telegram import InlineKeyboardMarkup

from bot.chat import keyboards
from bot.chat.callbacks import Menu, ReminderOff, StartExercise, StartFollowUp
from bot.chat.context import CustomContext
from bot.core.invitations import exercise_of
from bot.core.models import Participant, PracticeInvite, Prompt, PromptKind

# a button of the invitation menu -> (when, at which time)
INVITE_CHOICES: dict[str, tuple[PracticeInvite, time | None]] = {
    "after": (PracticeInvite.AFTER_RATING, None),
    "t0700": (PracticeInvite.AT_TIME, time(7, 0)),
    "t1200": (PracticeInvite.AT_TIME, time(12, 0)),
    "t1700": (PracticeInvite.AT_TIME, time(17, 0)),
    "off": (PracticeInvite.OFF, None),
}


def invite_keyboard(context: CustomContext, participant: Participant) -> InlineKeyboardMarkup:
    lang = participant.language
    labels = [(key, context.t(lang, "invite.after_button") if mode is PracticeInvite.AFTER_RATING
               else context.t(lang, "invite.off_button") if mode is PracticeInvite.OFF
               else at.strftime("%H:%M") if at else key)
              for key, (mode, at) in INVITE_CHOICES.items()]
    return keyboards.choice_keyboard(Menu.INVITE, labels, 3)


def invite_setting(context: CustomContext, participant: Participant) -> str:
    """How the current choice reads: "right after your rating", "at 07:00", "off"."""
    lang, mode = participant.language, participant.practice_invite
    if mode is PracticeInvite.AT_TIME:
        return context.t(lang, "invite.at_time", time=participant.practice_time.strftime("%H:%M"))
    return context.t(lang, "invite.after" if mode is PracticeInvite.AFTER_RATING else "common.off")


async def practice_message(context: CustomContext, participant: Participant,
                           prompt: Prompt) -> tuple[str, InlineKeyboardMarkup] | None:
    """The text and buttons of a practice message of the tick (None: its exercise or
    set-up is gone, so nothing can be sent)."""
    lang, content = participant.language, context.jeda.content
    exercise = content.exercises.get(exercise_of(prompt.ref))
    if prompt.kind is PromptKind.FOLLOW_UP:
        due = next((f for f in participant.follow_ups if f.run_id == prompt.ref), None)
        exercise = content.exercises.get(due.exercise_id) if due else None
    if exercise is None or (prompt.kind is PromptKind.PRACTICE
                            and participant.practice_invite is PracticeInvite.OFF) or (
            prompt.kind is PromptKind.REMINDER
            and exercise.id not in {r.exercise_id for r in participant.reminders}):
        return None  # turned off since (a retry after an outage must not bring it back)
    title = html.escape(exercise.title[lang])
    if prompt.kind is PromptKind.PRACTICE:
        module = next(m for m in content.modules if m.id == exercise.module_id)
        text = context.t(lang, "invite.practice", module=html.escape(module.title[lang]),
                         title=title, minutes=exercise.duration_minutes,
                         summary=html.escape(exercise.summary[lang]))
        button = (context.t(lang, "invite.start_button"), StartExercise(exercise.id).encode())
    elif prompt.kind is PromptKind.FOLLOW_UP:
        text = context.t(lang, "invite.follow_up", title=title)
        button = (context.t(lang, "invite.start_button"), StartFollowUp(prompt.ref).encode())
    else:
        message = await context.jeda.practice.reminder_text(participant, exercise.id)
        if message is None:
            return None
        text = f"{html.escape(message)}\n\n{context.t(lang, 'invite.reminder_hint')}"
        button = (context.t(lang, "invite.reminder_off_button"),
                  ReminderOff(exercise.id).encode())
    return text, keyboards.markup([[button]])
