"""/practice: the open modules and their exercises, and running one slot by slot."""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Update

from bot.chat import keyboards
from bot.chat.callbacks import RunAnswer, StartExercise
from bot.chat.context import (
    CustomContext,
    active_participant,
    expired_button,
    remove_buttons,
    reply,
)
from bot.core import practice
from bot.core.models import Language, Participant
from bot.core.practice import Input, Refusal, Screen
from bot.i18n import format_date
from bot.services.practice import Active, StartRefusal

LABELS = ("before", "after", "right", "not_quite", "change", "score")
REFUSALS = {Refusal.EMPTY: "practice.refused_empty", Refusal.NOT_A_NUMBER:
            "practice.refused_number", Refusal.NOT_AN_OPTION: "practice.refused_option",
            Refusal.WRONG_INPUT: "practice.refused_input"}


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
    lines, buttons = [context.t(lang, "practice.title")], []
    for module in opening.modules:
        lines.append(context.t(lang, "practice.module", title=html.escape(module.title[lang])))
        for ex in module.exercises:
            runs = ex.kind in practice.RUNNABLE
            lines.append(context.t(lang, "practice.exercise_line", minutes=ex.duration_minutes,
                                   title=html.escape(ex.title[lang]))
                         + ("" if runs else context.t(lang, "practice.later")))
            if runs:
                buttons.append([(ex.title[lang], StartExercise(ex.id).encode())])
    if nxt:
        lines.append(context.t(lang, "practice.next_module", date=nxt))
    await context.outbox.send_long(participant.chat_id, "\n".join(lines))
    await reply(update, context, lang, "practice.pick", keyboards.markup(buttons))


async def start_exercise(update: Update, context: CustomContext) -> None:
    """Start the exercise behind the pressed button."""
    query = update.callback_query
    assert query is not None and query.data is not None
    button = StartExercise.decode(query.data)
    if button is None:
        await expired_button(update, context)
        return
    participant = await active_participant(update, context)
    if participant is None:
        return
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
    query = update.callback_query
    assert query is not None and query.data is not None
    button = RunAnswer.decode(query.data)
    if button is None:
        await expired_button(update, context)
        return
    participant = await active_participant(update, context)
    if participant is None:
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
    await remove_buttons(query, context)
    await after_answer(context, participant, moved)


async def typed(update: Update, context: CustomContext, participant: Participant,
                text: str) -> None:
    """Typed text while a run waits: the answer to its current slot."""
    moved = await context.jeda.practice.give(participant, None, text)
    if moved is not None:
        await after_answer(context, participant, moved)


async def after_answer(context: CustomContext, participant: Participant,
                       moved: Active | Refusal) -> None:
    """Show the next slot, say why an answer was not taken, or close the run."""
    lang = participant.language
    if isinstance(moved, Refusal):
        await context.outbox.send(participant.chat_id, context.t(lang, REFUSALS[moved]))
    elif practice.is_done(moved.exercise, moved.run):
        await context.outbox.send(participant.chat_id, done_text(context, lang, moved))
    else:
        await show(context, participant, moved)


async def show(context: CustomContext, participant: Participant, active: Active) -> None:
    """Send the run's current slot with the buttons it needs."""
    lang = participant.language
    labels = {k: context.t(lang, f"practice.{k}") for k in LABELS}
    shown = practice.screen(active.exercise, active.run, lang, labels)
    await context.outbox.send(participant.chat_id, html.escape(shown.text),
                              run_keyboard(context, lang, active.run.at, shown))


def run_keyboard(context: CustomContext, lang: Language, at: int,
                 shown: Screen) -> InlineKeyboardMarkup | None:
    """The buttons of one slot: next, 0-10, 0-100 by ten, the options, or skip."""
    def button(label: str, value: str) -> tuple[str, str]:
        return label, RunAnswer(at, value).encode()

    if shown.wants is Input.NEXT:
        return keyboards.markup([[button(context.t(lang, "practice.next_button"), "next")]])
    if shown.wants is Input.SCALE:
        row = [button(str(v), str(v)) for v in range(11)]
        return keyboards.markup([row[:6], row[6:]])
    if shown.wants is Input.PERCENT:
        row = [button(f"{v}%", str(v)) for v in range(0, 101, 10)]
        return keyboards.markup([row[:6], row[6:]])
    rows = [[button(o.text[lang], o.id)] for o in shown.options]
    if shown.optional:
        rows.append([button(context.t(lang, "practice.skip_button"), "skip")])
    return keyboards.markup(rows) if rows else None


def done_text(context: CustomContext, lang: Language, active: Active) -> str:
    """The closing words: the change in stress when rated, the quiz score."""
    answers = active.run.answers
    parts = [context.t(lang, "practice.done_change", before=answers["before"],
                       after=answers["after"])
             if "before" in answers and "after" in answers else context.t(lang, "practice.done")]
    right, total = practice.quiz_score(active.exercise, active.run)
    if total:
        parts.append(context.t(lang, "practice.quiz_score", right=right, total=total))
    return "\n".join(parts)
