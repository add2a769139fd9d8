"""What every handler shares: the context type, role checks, replying in the right language."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.core.models import Language, Participant, ParticipantStatus, Role
from bot.i18n import Translator, language_of
from bot.service import Jeda

logger = logging.getLogger(__name__)


class CustomContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Context with typed access to the application service and translations."""

    @property
    def jeda(self) -> Jeda:
        return self.application.bot_data["jeda"]  # type: ignore[no-any-return]

    @property
    def t(self) -> Translator:
        return self.application.bot_data["t"]  # type: ignore[no-any-return]


JedaApp = Application[Any, CustomContext, Any, Any, Any, Any]
Handler = Callable[[Update, CustomContext], Awaitable[None]]
H = TypeVar("H", bound=Handler)


def user_language(update: Update, participant: Participant | None) -> Language:
    """The participant's chosen language, else a guess from the Telegram client."""
    if participant is not None:
        return participant.language
    user = update.effective_user
    return language_of(user.language_code if user else None)


async def reply(
    update: Update,
    context: CustomContext,
    lang: Language,
    key: str,
    markup: InlineKeyboardMarkup | None = None,
    **values: object,
) -> Message | None:
    """Send a translated message to the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await context.bot.send_message(
        chat.id, context.t(lang, key, **values), reply_markup=markup, parse_mode="HTML"
    )


async def ask_in_flow(
    update: Update,
    context: CustomContext,
    participant: Participant,
    flow: str,
    key: str,
    markup: InlineKeyboardMarkup | None = None,
    **values: object,
) -> None:
    """Open ``flow`` (before asking, so a quick answer finds it), ask, note the message."""
    await context.jeda.start_flow(participant, flow)
    sent = await reply(update, context, participant.language, key, markup, **values)
    if sent is not None:
        await context.jeda.flow_message(participant, flow, sent.message_id)


MAX_TEXT = 4000  # Telegram's limit is 4096; leave room for entities


async def send_long(context: CustomContext, chat_id: int, text: str) -> None:
    """Send a long text in as many messages as needed, split between lines."""
    chunk = ""
    for line in text.split("\n"):
        if chunk and len(chunk) + 1 + len(line) > MAX_TEXT:
            await context.bot.send_message(chat_id, chunk, parse_mode="HTML")
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line[:MAX_TEXT]
    if chunk:
        await context.bot.send_message(chat_id, chunk, parse_mode="HTML")


async def edit(
    query: CallbackQuery,
    context: CustomContext,
    lang: Language,
    key: str,
    markup: InlineKeyboardMarkup | None = None,
    **values: object,
) -> None:
    """Replace the text (and buttons) of the message whose button was pressed."""
    text = context.t(lang, key, **values)
    message = query.message
    if message is not None and getattr(message, "text", None) == text and markup is None:
        await query.edit_message_reply_markup(None)
        return
    await query.edit_message_text(text, reply_markup=markup, parse_mode="HTML")


def requires(*roles: Role) -> Callable[[H], H]:
    """Refuse the update kindly unless the user holds one of ``roles`` (admins hold all)."""

    def decorate(handler: H) -> H:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: CustomContext) -> None:
            user = update.effective_user
            if user is None:
                return
            held = await context.jeda.roles_of(user.id)
            if Role.ADMIN in held or held.intersection(roles):
                await handler(update, context)
                return
            logger.info("refused %s: missing role", handler.__name__)
            participant = await context.jeda.participant(user.id)
            lang = user_language(update, participant)
            if update.callback_query is not None:
                await update.callback_query.answer(context.t(lang, "error.not_allowed"))
            else:
                await reply(update, context, lang, "error.not_allowed")

        return wrapper  # type: ignore[return-value]

    return decorate


async def active_participant(
    update: Update, context: CustomContext
) -> Participant | None:
    """Return the sender as an enrolled participant, or tell them how to enrol."""
    user = update.effective_user
    if user is None:
        return None
    participant = await context.jeda.participant(user.id)
    if participant is not None and participant.status not in (
        ParticipantStatus.ONBOARDING,
        ParticipantStatus.DECLINED,
        ParticipantStatus.WITHDRAWN,
    ):
        return participant
    lang = user_language(update, participant)
    status = participant.status if participant is not None else None
    key = {
        ParticipantStatus.WITHDRAWN: "error.withdrawn",
        ParticipantStatus.ONBOARDING: "error.finish_enrolment",
    }.get(status, "error.not_enrolled")  # type: ignore[arg-type]
    if update.callback_query is not None:
        await update.callback_query.answer(context.t(lang, key), show_alert=True)
    else:
        await reply(update, context, lang, key)
    return None


async def expired_button(update: Update, context: CustomContext) -> None:
    """Answer a button that no longer applies, without changing anything."""
    query = update.callback_query
    if query is None:
        return
    participant = await context.jeda.participant(query.from_user.id)
    lang = user_language(update, participant)
    await query.answer(context.t(lang, "error.button_expired"), show_alert=True)


class _Decodable(Protocol):
    @classmethod
    def decode(cls, data: str) -> Any: ...


B = TypeVar("B", bound=_Decodable)


async def pressed(
    update: Update, context: CustomContext, kind: type[B]
) -> tuple[CallbackQuery, B, Participant] | None:
    """Decode a button of ``kind`` pressed by someone who has not withdrawn, and answer it;
    otherwise tell them the button has expired and return None."""
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = kind.decode(query.data)
    participant = await context.jeda.participant(query.from_user.id)
    if choice is None or participant is None or participant.status is ParticipantStatus.WITHDRAWN:
        await expired_button(update, context)
        return None
    await query.answer()
    return query, choice, participant
