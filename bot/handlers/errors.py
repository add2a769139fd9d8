"""The single error handler, and what happens when a user blocks or unblocks the bot."""

from __future__ import annotations

import contextlib
import html
import logging
import os
import secrets

from telegram import ChatMember, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.core.models import ParticipantStatus
from bot.handlers.common import CustomContext, user_language
from bot.handlers.safety import alert_facilitators, support_for_stranger
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
            await update.callback_query.answer()
        message = update.message
        categories = context.jeda.safety.match(message.text) if message and message.text else ()
        if categories:  # the crisis path wins, even without a readable record
            await support_for_stranger(context, chat_id, user_language(update, None), categories)
        await context.bot.send_message(chat_id, text)


async def report_quarantines(context: CustomContext) -> int:
    """Tell the admins once about each file now in quarantine; return how many were new.

    What was reported is remembered in the audit log, so a restart does not repeat it; a
    file that is restored and breaks again is a new quarantine and is reported again.
    """
    jeda = context.jeda
    files = await jeda.store.quarantined_files()
    if not files:
        return 0
    reported = await jeda.reported_quarantines()
    data_dir = context.application.bot_data["settings"].data_dir
    new = 0
    for original, copy in files:
        if copy in reported:
            continue
        reported.add(copy)
        new += 1
        logger.error("data file %s is in quarantine as %s; telling the admins", original, copy)
        await tell_admins(context, "alert.quarantined", file=html.escape(original),
                          moved=html.escape(copy), data=html.escape(str(data_dir)))
        await jeda.audit("file_quarantined", "bot", None, file=original, moved=copy)
    return new


async def tell_admins(context: CustomContext, key: str, **values: object) -> None:
    """Send an operational alert (no participant data) to every admin, in both languages."""
    for admin_id in sorted(context.jeda.admin_ids):
        try:
            await context.bot.send_message(admin_id, context.t.both(key, **values),
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
