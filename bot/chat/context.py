"""What every handler shares: the context type, permission checks, replying in the right
language through the outbox."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any, Protocol, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.chat.callbacks import PickAction
from bot.chat.outbox import Outbox
from bot.core.access import Permission
from bot.core.flows import FlowKind, FlowStep
from bot.core.models import Language, Participant, ParticipantStatus
from bot.i18n import Translator, language_of
from bot.services import Jeda

logger = logging.getLogger(__name__)


class CustomContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any],
                                    dict[Any, Any]]):
    """Context with typed access to the services, the outbox and translations."""

    @property
    def jeda(self) -> Jeda:
        return self.application.bot_data["jeda"]  # type: ignore[no-any-return]

    @property
    def t(self) -> Translator:
        return self.application.bot_data["t"]  # type: ignore[no-any-return]

    @property
    def outbox(self) -> Outbox:
        return self.application.bot_data["outbox"]  # type: ignore[no-any-return]


JedaApp = Application[Any, CustomContext, Any, Any, Any, Any]
Handler = Callable[[Update, CustomContext], Awaitable[None]]
H = TypeVar("H", bound=Handler)


def user_language(update: Update, participant: Participant | None) -> Language:
    """The participant's chosen language, else a guess from the Telegram client."""
    if participant is not None:
        return participant.language
    user = update.effective_user
    return language_of(user.language_code if user else None)


async def reply(update: Update, context: CustomContext, lang: Language, key: str,
                markup: InlineKeyboardMarkup | None = None, **values: object) -> Message | None:
    """Send a translated message to the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await context.outbox.send(chat.id, context.t(lang, key, **values), markup)


async def ask_in_flow(update: Update, context: CustomContext, participant: Participant,
                      flow: tuple[FlowKind, FlowStep], key: str,
                      markup: InlineKeyboardMarkup | None = None, **values: object) -> None:
    """Open ``flow`` (before asking, so a quick answer finds it), ask, note the message."""
    await context.jeda.flows.open(participant, *flow)
    sent = await reply(update, context, participant.language, key, markup, **values)
    if sent is not None:
        await context.jeda.flows.shown_in(participant, flow[0], sent.message_id)


async def edit(query: CallbackQuery, context: CustomContext, lang: Language, key: str,
               markup: InlineKeyboardMarkup | None = None, **values: object) -> None:
    """Replace the text (and buttons) of the message whose button was pressed."""
    message = query.message
    if message is None:
        return
    await context.outbox.edit(message.chat.id, message.message_id,
                              context.t(lang, key, **values), markup,
                              shown=getattr(message, "text", None))


async def remove_buttons(query: CallbackQuery, context: CustomContext) -> None:
    if query.message is not None:
        await context.outbox.remove_buttons(query.message.chat.id, query.message.message_id)


def message_id(query: CallbackQuery) -> int | None:
    return query.message.message_id if query.message is not None else None


def requires(permission: Permission, refusal: str = "error.not_allowed") -> Callable[[H], H]:
    """Refuse the update kindly (``refusal``) unless the access policy grants ``permission``."""

    def decorate(handler: H) -> H:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: CustomContext) -> None:
            user = update.effective_user
            if user is None:
                return
            if await context.jeda.access.may(user.id, permission):
                await handler(update, context)
                return
            logger.info("refused %s: missing permission", handler.__name__)
            lang = user_language(update, await context.jeda.participant(user.id))
            await refuse(update, context, lang, refusal)

        return wrapper  # type: ignore[return-value]

    return decorate


async def refuse(update: Update, context: CustomContext, lang: Language, key: str) -> None:
    """Say no: as a pop-up to a button press, as a message otherwise."""
    if update.callback_query is not None:
        await context.outbox.answer(update.callback_query.id, context.t(lang, key), alert=True)
    else:
        await reply(update, context, lang, key)


NOT_ENROLLED = {
    ParticipantStatus.WITHDRAWN: "error.withdrawn",
    ParticipantStatus.ONBOARDING: "error.finish_enrolment",
    ParticipantStatus.DECLINED: "error.not_enrolled",
}


async def active_participant(update: Update, context: CustomContext) -> Participant | None:
    """Return the sender as an enrolled participant, or tell them how to enrol."""
    user = update.effective_user
    if user is None:
        return None
    participant = await context.jeda.participant(user.id)
    if participant is not None and participant.status not in NOT_ENROLLED:
        return participant
    key = NOT_ENROLLED[participant.status] if participant else "error.not_enrolled"
    await refuse(update, context, user_language(update, participant), key)
    return None


async def expired_button(update: Update, context: CustomContext) -> None:
    """Answer a button that no longer applies, without changing anything."""
    query = update.callback_query
    if query is None:
        return
    participant = await context.jeda.participant(query.from_user.id)
    await context.outbox.answer(
        query.id, context.t(user_language(update, participant), "error.button_expired"),
        alert=True)


class _Decodable(Protocol):
    @classmethod
    def decode(cls, data: str) -> Any: ...


B = TypeVar("B", bound=_Decodable)


async def pressed(update: Update, context: CustomContext,
                  kind: type[B]) -> tuple[CallbackQuery, B, Participant] | None:
    """Decode a button of ``kind`` pressed by someone who has not withdrawn, and answer it;
    otherwise tell them the button has expired and return None."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = kind.decode(query.data)
    participant = await context.jeda.participant(query.from_user.id)
    if choice is None or participant is None or participant.status is ParticipantStatus.WITHDRAWN:
        await expired_button(update, context)
        return None
    await context.outbox.answer(query.id)
    return query, choice, participant


async def participant_button(update: Update, context: CustomContext,
                             kind: type[B]) -> tuple[CallbackQuery, B, Participant] | None:
    """A button of ``kind`` from an enrolled participant, decoded but not yet answered
    (the caller may answer with an alert); else a kind refusal and None."""
    query = update.callback_query
    assert query is not None and query.data is not None
    button = kind.decode(query.data)
    if button is None:
        await expired_button(update, context)
        return None
    participant = await active_participant(update, context)
    return (query, button, participant) if participant is not None else None


async def menu_choice(
    update: Update, context: CustomContext, choices: Collection[str],
    flow: tuple[FlowKind, FlowStep] | None = None,
) -> tuple[CallbackQuery, str, Participant] | None:
    """A menu button pressed by an enrolled participant: one of ``choices``, and (when
    ``flow`` is given) only while that flow waits at that step. Answer the press and return
    (query, choice, participant); otherwise say the button has expired and return None."""
    query = update.callback_query
    assert query is not None and query.data is not None
    picked = PickAction.decode(query.data)
    participant = await active_participant(update, context)
    if participant is None:
        return None
    if picked is None or picked.choice not in choices or (
            flow is not None and not await context.jeda.flows.at(participant, *flow)):
        await expired_button(update, context)
        return None
    await context.outbox.answer(query.id)
    return query, picked.choice, participant
