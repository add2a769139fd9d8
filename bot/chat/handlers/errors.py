"""The single error handler, and what happens when a user blocks or unblocks the bot."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets

from telegram import ChatMember, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.chat.context import CustomContext, user_language
from bot.chat.notify import alert_facilitators, report_quarantines
from bot.chat.support import support_for_stranger
from bot.core.models import ParticipantStatus
from storage import CorruptFileError, QuarantinedFileError, StorageError

logger = logging.getLogger(__name__)


async def error_handler(update: object, context: CustomContext) -> None:
    """Log the error with an id; tell the user something kind; never show a traceback."""
    error = context.error
    # BadRequest is a NetworkError subclass in PTB, but it is our bug, not Telegram's outage
    if isinstance(error, (NetworkError, TimedOut, RetryAfter)) and not isinstance(
        error, (Forbidden, BadRequest)
    ):
        logger.warning("telegram unavailable: %s", type(error).__name__)
        return
    if isinstance(error, (CorruptFileError, QuarantinedFileError)):
        await unreadable_file(update, context, error)
        return
    error_id = secrets.token_hex(4)
    logger.error("error %s while handling an update", error_id, exc_info=error)
    if isinstance(error, Forbidden) or not isinstance(update, Update):
        return
    try:
        await _apologise(update, context, error_id)
    except Exception:  # the apology itself failed; the log above has the cause
        logger.warning("could not tell the user about error %s", error_id)


async def _apologise(update: Update, context: CustomContext, error_id: str) -> None:
    """Say, in the person's language, that something went wrong, with the error's id."""
    user = update.effective_user
    if user is None:
        return
    try:
        participant = await context.jeda.participant(user.id)
    except StorageError:  # that participant's file is the problem: answer anyway
        participant = None
    text = context.t(user_language(update, participant), "error.unexpected", error_id=error_id)
    if update.callback_query is not None:
        await context.outbox.answer(update.callback_query.id, text, alert=True)
    elif update.effective_chat is not None:
        await context.outbox.send(update.effective_chat.id, text, html=False)


async def unreadable_file(update: object, context: CustomContext,
                          error: CorruptFileError | QuarantinedFileError) -> None:
    """A data file cannot be read: the admins hear once, the person is told the truth.

    Their language is in the file that cannot be read, so the reply is in both languages.
    """
    await report_quarantines(context)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    registry = os.path.basename(error.path) == "registry.json"
    text = context.t.both("error.registry_unreadable" if registry else "error.record_unreadable")
    chat_id = update.effective_chat.id
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await context.outbox.answer(update.callback_query.id)
        message = update.message
        categories = context.jeda.safety.match(message.text) if message and message.text else ()
        if categories:  # the crisis path wins, even without a readable record
            await support_for_stranger(context, chat_id, user_language(update, None), categories)
        await context.outbox.send(chat_id, text, html=False)


async def chat_member_changed(update: Update, context: CustomContext) -> None:
    """Track a participant blocking (kicked) or unblocking (member) the bot."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    participant = await context.jeda.participant(change.from_user.id)
    if participant is None:
        return
    status = change.new_chat_member.status
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        if await context.jeda.participants.mark_unreachable(participant):
            await alert_facilitators(context, participant, "alert.unreachable")
    elif status == ChatMember.MEMBER and participant.status is ParticipantStatus.UNREACHABLE:
        await context.jeda.participants.resume(participant)
        await context.outbox.send(
            participant.chat_id,
            context.t(user_language(update, participant), "resume.welcome_back"), html=False)
