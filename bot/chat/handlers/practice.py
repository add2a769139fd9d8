"""/practice: the open modules and their exercises, and running one slot by slot."""

from __future__ import annotations

import html

from telegram import Update

from bot.chat import breathing, guides, keyboards
from bot.chat.callbacks import ReminderOff, RunAnswer, StartExercise
from bot.chat.context import (
    CustomContext,
    active_participant,
    expired_button,
    participant_button,
    reply,
)
from bot.chat.runs import after_answer, after_press, show
from bot.core.content.exercises import Module
from bot.core.models import Participant
from bot.i18n import format_date
from bot.services.practice import StartRefusal


async def practice_command(update: Update, context: CustomContext) -> None:
    """List the open modules (newest first) with a button per exercise that runs here."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    opening = await context.jeda.practice.opening(participant)
    nxt = format_date(lang, opening.next_session, weekday=True) if opening.next_session else ""
    if not opening.modules:
        key = "practice.nothing_open" if nxt else "practice.nothing_open_undated"
        await reply(update, context, lang, key, date=nxt)
        return
    lines, buttons = _listing(context, participant, opening.modules)
    if nxt:
        lines.append(context.t(lang, "practice.next_module", date=nxt))
    await context.outbox.send_long(participant.chat_id, "\n".join(lines))
    await reply(update, context, lang, "practice.pick", keyboards.markup(buttons))


def _listing(context: CustomContext, participant: Participant,
             modules: tuple[Module, ...]) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """The lines of the open modules and a start button per exercise (and an "off" button
    per reminder that is on)."""
    lang = participant.language
    lines, buttons = [context.t(lang, "practice.title")], []
    reminders = {r.exercise_id: r for r in participant.reminders}
    for module in modules:
        lines.append(context.t(lang, "practice.module", title=html.escape(module.title[lang])))
        for ex in module.exercises:
            line = context.t(lang, "practice.exercise_line", minutes=ex.duration_minutes,
                             title=html.escape(ex.title[lang]))
            on = reminders.get(ex.id)
            if on is not None:
                line += " " + context.t(lang, "practice.reminder_on", times=", ".join(
                    t.strftime("%H:%M") for t in on.times))
                buttons.append([(context.t(lang, "practice.reminder_off_button",
                                           title=ex.title[lang]), ReminderOff(ex.id).encode())])
            lines.append(line)
            buttons.append([(ex.title[lang], StartExercise(ex.id).encode())])
    return lines, buttons


async def start_exercise(update: Update, context: CustomContext) -> None:
    """Start the exercise behind the pressed button."""
    found = await participant_button(update, context, StartExercise)
    if found is None:
        return
    query, button, participant = found
    started = await context.jeda.practice.start(participant, button.exercise_id)
    lang = participant.language
    if isinstance(started, StartRefusal):
        await context.outbox.answer(query.id, context.t(lang, f"practice.{started.value}"),
                                    alert=True)
        return
    await context.outbox.answer(query.id)
    await reply(update, context, lang, "practice.started",
                title=html.escape(started.exercise.title[lang]),
                minutes=started.exercise.duration_minutes)
    await show(context, participant, started)


async def run_answer(update: Update, context: CustomContext) -> None:
    """A button of a running exercise: next, skip, a number or an option."""
    found = await participant_button(update, context, RunAnswer)
    if found is None:
        return
    query, button, participant = found
    if button.value in ("start", "stop", "guide", "unguide"):
        await _timed(update, context, participant, button)
        return
    value: str | int | None = button.value
    if button.value in ("next", "skip"):
        value = None
    elif button.value.isdigit():
        value = int(button.value)
    moved = await context.jeda.practice.give(participant, button.at, value)
    if moved is None:
        await expired_button(update, context)
        return
    await context.outbox.answer(query.id)
    await after_press(context, participant, query, button.at, moved)


async def typed(update: Update, context: CustomContext, participant: Participant,
                text: str) -> None:
    """Typed text while a run waits: the answer to its current slot."""
    moved = await context.jeda.practice.give(participant, None, text)
    if moved is not None:
        await after_answer(context, participant, moved)


async def no_text(update: Update, context: CustomContext, participant: Participant) -> None:
    """A sticker, photo or voice message while a run waits: nothing is taken; a kind word
    and the question again, with its buttons."""
    await context.outbox.send(participant.chat_id,
                              context.t(participant.language, "practice.refused_empty"))
    active = await context.jeda.practice.current(participant)
    if active is not None:
        await show(context, participant, active)


async def _timed(update: Update, context: CustomContext, participant: Participant,
                 button: RunAnswer) -> None:
    """Start the breathing timer on its message, or stop it and move on; start guiding
    the steps, or go on by hand."""
    query = update.callback_query
    assert query is not None and query.message is not None
    if button.value == "guide":
        started = await guides.begin(context, participant, button.at, query.message.message_id)
    elif button.value == "unguide":
        started = await guides.stop(context, participant)
    elif button.value == "start":
        started = await breathing.begin(context, participant, button.at, query.message.message_id)
    else:
        moved = await breathing.stop(context, participant)
        started = moved is not None
        if moved is not None:
            await after_answer(context, participant, moved)
    if started:
        await context.outbox.answer(query.id)
    else:
        await expired_button(update, context)
