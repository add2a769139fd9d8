"""Showing a running exercise: its current slot with the buttons it needs, a refusal, or
the closing words. Used by the practice handlers and the breathing timer alike."""

from __future__ import annotations

import html

from telegram import CallbackQuery, InlineKeyboardMarkup

from bot.chat import keyboards
from bot.chat.callbacks import RunAnswer
from bot.chat.context import CustomContext, remove_buttons
from bot.core import practice
from bot.core.models import Language, Participant
from bot.core.practice import Input, Refusal, Screen
from bot.services.practice import Active

LABELS = ("before", "after", "right", "not_quite", "change", "breathe", "task_of", "reminder_at",
          "tasks_so_far", "tasks_more")
REFUSALS = {Refusal.EMPTY: "practice.refused_empty", Refusal.NOT_A_NUMBER:
            "practice.refused_number", Refusal.NOT_AN_OPTION: "practice.refused_option",
            Refusal.WRONG_INPUT: "practice.refused_input",
            Refusal.NOT_A_TIME: "practice.refused_time",
            Refusal.PRESS_NEXT: "practice.refused_next"}


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


async def after_press(context: CustomContext, participant: Participant, query: CallbackQuery,
                      at: int, moved: Active | Refusal) -> None:
    """After a button of slot ``at``: a run that stays at that slot (an option toggled, a
    task sorted) changes the pressed message in place; a refused press says why and keeps
    the buttons; otherwise the buttons go and the next slot follows as a new message."""
    message = query.message
    if (isinstance(moved, Active) and moved.run.at == at and message is not None
            and not practice.is_done(moved.exercise, moved.run)):
        text, markup = rendered(context, participant, moved)
        await context.outbox.edit(message.chat.id, message.message_id, text, markup)
        return
    if not isinstance(moved, Refusal):  # a refused press keeps its buttons for another go
        await remove_buttons(query, context)
    await after_answer(context, participant, moved)


def rendered(context: CustomContext, participant: Participant,
             active: Active) -> tuple[str, InlineKeyboardMarkup | None]:
    """The run's current slot as a message: its text and the buttons it needs."""
    lang = participant.language
    labels = {k: context.t(lang, f"practice.{k}", i="{i}", n="{n}", times="{times}")
              for k in LABELS}
    shown = practice.screen(active.exercise, active.run, lang, labels)
    return html.escape(shown.text), run_keyboard(context, lang, active.run.at, shown)


async def show(context: CustomContext, participant: Participant, active: Active) -> None:
    """Send the run's current slot with the buttons it needs."""
    await context.outbox.send(participant.chat_id, *rendered(context, participant, active))


def run_keyboard(context: CustomContext, lang: Language, at: int,
                 shown: Screen) -> InlineKeyboardMarkup | None:
    """The buttons of one slot: next, 0-10, 0-100 by ten, the options, or skip."""
    def button(label: str, value: str) -> tuple[str, str]:
        return label, RunAnswer(at, value).encode()

    if shown.wants is Input.NEXT:
        row = [button(context.t(lang, "practice.next_button"), "next")]
        if shown.guidable:
            row.append(button(context.t(lang, "practice.guide_button"), "guide"))
        return keyboards.markup([row])
    if shown.wants is Input.BREATHE:
        return keyboards.markup([[button(context.t(lang, "practice.start_button"), "start")]])
    if shown.wants is Input.SCALE:
        row = [button(str(v), str(v)) for v in range(11)]
        return keyboards.markup([row[:6], row[6:]])
    if shown.wants is Input.PERCENT:
        row = [button(f"{v}%", str(v)) for v in range(0, 101, 10)]
        return keyboards.markup([row[:6], row[6:]])
    rows = [[button(("✓ " if o.id in shown.chosen else "") + o.text[lang], o.id)]
            for o in shown.options]
    if shown.multiple:
        rows.append([button(context.t(lang, "practice.done_button"), "next")])
    elif shown.optional:
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
