"""/questionnaire and answering one: item by item, in one message edited in place."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.chat import keyboards
from bot.chat.context import CustomContext, active_participant, expired_button, reply
from bot.chat.questionnaires import (
    QuestionnaireAnswer,
    StartQuestionnaire,
    item_screen,
    minutes,
    title,
)
from bot.core import parsing
from bot.core.models import Participant
from bot.services.questionnaires import Finished, Question, Refusal


async def questionnaire_command(update: Update, context: CustomContext) -> None:
    """Start (or resume) the open questionnaire, or list them when there are several."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    found = await context.jeda.questionnaires.open_for(participant)
    if not found:
        await reply(update, context, lang, "questionnaire.none")
        return
    if len(found) == 1:
        await _begin(update, context, participant, found[0][0].ref)
        return
    buttons = [[(context.t(lang, "questionnaire.list_button", title=i.title[lang],
                           minutes=minutes(i)), StartQuestionnaire(o.ref).encode())]
               for o, i in found]
    await reply(update, context, lang, "questionnaire.pick", keyboards.markup(buttons))


async def start_questionnaire(update: Update, context: CustomContext) -> None:
    """The start button of a questionnaire's message or of the /questionnaire list."""
    query = update.callback_query
    assert query is not None and query.data is not None
    button = StartQuestionnaire.decode(query.data)
    participant = await active_participant(update, context)
    if button is None or participant is None:
        if participant is not None:
            await expired_button(update, context)
        return
    if await _begin(update, context, participant, button.ref):
        await context.outbox.answer(query.id)


async def _begin(update: Update, context: CustomContext, participant: Participant,
                 ref: str) -> bool:
    lang = participant.language
    started = await context.jeda.questionnaires.start(participant, ref)
    if isinstance(started, Refusal):
        key = f"questionnaire.refused_{started.value}"
        if update.callback_query is not None:
            await context.outbox.answer(update.callback_query.id, context.t(lang, key),
                                        alert=True)
        else:
            await reply(update, context, lang, key)
        return False
    if started.position:
        await reply(update, context, lang, "questionnaire.resumed",
                    title=title(started.instrument, lang), n=started.position + 1)
    await context.outbox.send(participant.chat_id, *item_screen(context, lang, started))
    return True


async def answer(update: Update, context: CustomContext) -> None:
    """An answer button: the value, skip, or later (the answers so far are kept)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    button = QuestionnaireAnswer.decode(query.data)
    participant = await active_participant(update, context)
    if participant is None:
        return
    if button is None:
        await expired_button(update, context)
        return
    service = context.jeda.questionnaires
    shown: tuple[str, InlineKeyboardMarkup | None] = (
        context.t(participant.language, "questionnaire.later"), None)
    if button.value == "later":
        current = await service.current(participant)
        taken = current is not None and current.position == button.at and (
            await service.later(participant))
    else:
        moved = await service.give(participant, button.at,
                                   None if button.value == "skip" else int(button.value))
        taken = moved is not None
        if moved is not None:
            shown = _after(context, participant, moved)
    if not taken:
        await expired_button(update, context)
        return
    await context.outbox.answer(query.id)
    if query.message is not None:
        await context.outbox.edit(query.message.chat.id, query.message.message_id, *shown)


def _after(context: CustomContext, participant: Participant,
           moved: Question | Finished) -> tuple[str, InlineKeyboardMarkup | None]:
    lang = participant.language
    if isinstance(moved, Finished):
        return context.t(lang, "questionnaire.done", title=title(moved.instrument, lang)), None
    return item_screen(context, lang, moved)


async def typed(update: Update, context: CustomContext, participant: Participant,
                question: Question, text: str) -> None:
    """Typed text while an item waits: a number that is one of its options is taken;
    anything else gets a kind word and the item again."""
    lang = participant.language
    value = parsing.parse_whole(text)
    moved = await context.jeda.questionnaires.give(participant, question.position, value) \
        if value is not None else None
    if moved is None:
        await reply(update, context, lang, "questionnaire.use_buttons")
        moved = question
    await context.outbox.send(participant.chat_id, *_after(context, participant, moved))
