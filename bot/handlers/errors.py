"""The single error handler, and what happens when a user blocks or unblocks the bot."""

from __future__ import annotations

import html
import logging
import os
import secrets

from telegram import ChatMember, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.core.models import ParticipantStatus
from bot.handlers.common import CustomContext, user_language
from bot.handlers.safety import alert_facilitators
from storage import CorruptFileError, StorageError

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
    error_id = secrets.token_hex(4)
    logger.error("error %s while handling an update", error_id, exc_info=error)
    if isinstance(error, CorruptFileError):
        await tell_admins(context, "alert.corrupt_file", error_id=error_id,
                          file=html.escape(os.path.basename(error.path)),
                          moved=html.escape(os.path.basename(error.quarantined)))
    if isinstance(error, Forbidden) or not isinstance(update, Update):
        return
    user = update.effective_user
    if user is None:
        return
    try:
        try:
            participant = await context.jeda.participant(user.id)
        except StorageError:  # that participant's file is the problem: answer anyway
            participant = None
        lang = user_language(update, participant)
        text = context.t(lang, "error.unexpected", error_id=error_id)
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text)
    except Exception:  # the apology itself failed; the log above has the cause
        logger.warning("could not tell the user about error %s", error_id)


async def tell_admins(context: CustomContext, key: str, **values: object) -> None:
    """Send an operational alert (no participant data) to every admin."""
    for admin_id in sorted(context.jeda.admin_ids):
        try:
            await context.bot.send_message(admin_id, context.t("id", key, **values),
                                           parse_mode="HTML")
        except TelegramError:
            logger.warning("could not reach an admin about %s", key)


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
        if await context.jeda.mark_unreachable(participant):
            await alert_facilitators(context, participant, "alert.unreachable")
    elif status == ChatMember.MEMBER and participant.status is ParticipantStatus.UNREACHABLE:
        await context.jeda.resume(participant)
        await context.bot.send_message(
            participant.chat_id,
            context.t(user_language(update, participant), "resume.welcome_back"),
        )
