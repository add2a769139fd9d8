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
from bot.core import questionnaires as rules
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
    if isinstance(started, Question) and started.position:
        await reply(update, context, lang, "questionnaire.resumed",
                    title=title(started.instrument, lang), n=started.position + 1)
    await context.outbox.send(participant.chat_id, *_after(context, participant, started))
    return True


async def answer(update: Update, context: CustomContext) -> None:
    """An answer button: the value, skip, or later (the answers so far are kept). A stale
    one, or one of another questionnaire than the open one, changes nothing and says how
    to carry on."""
    query = update.callback_query
    assert query is not None and query.data is not None
    button = QuestionnaireAnswer.decode(query.data)
    participant = await active_participant(update, context)
    if participant is None:
        return
    service = context.jeda.questionnaires
    shown: tuple[str, InlineKeyboardMarkup | None] = (
        context.t(participant.language, "questionnaire.later"), None)
    moved: Question | Finished | Refusal | bool | None = None
    if button is not None and button.value == "later":
        moved = await service.later(participant, button.at, button.token)
    elif button is not None:
        moved = await service.give(participant, button.at, None if button.value == "skip"
                                   else int(button.value), button.token)
    if isinstance(moved, Question | Finished):
        shown = _after(context, participant, moved)
    elif moved is not True:
        key = "questionnaire.other_open" if moved is Refusal.OTHER else "questionnaire.expired"
        await context.outbox.answer(query.id, context.t(participant.language, key), alert=True)
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
    """Typed text while an item waits: a number that stands for one of its options (its
    value, or its place: ``rules.typed_value``) is taken; anything else gets a kind word
    saying which, and the item again."""
    lang = participant.language
    item = question.instrument.items[question.position]
    number = parsing.parse_whole(text)
    value = rules.typed_value(item, lang, number) if number is not None else None
    moved = await context.jeda.questionnaires.give(participant, question.position, value) \
        if value is not None else None
    if not isinstance(moved, Question | Finished):
        key = "questionnaire.use_buttons" if rules.typed_by_value(item, lang) \
            else "questionnaire.use_buttons_place"
        await reply(update, context, lang, key, count=len(item.options))
        moved = question
    await context.outbox.send(participant.chat_id, *_after(context, participant, moved))
