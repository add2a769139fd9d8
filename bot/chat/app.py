"""build_application(): every handler, job, the rate limiter and the error handler in one place."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.chat import breathing, callbacks, guides, jobs
from bot.chat.callbacks import Menu, PickAction
from bot.chat.context import CustomContext, JedaApp, expired_button
from bot.chat.handlers import (
    alerts,
    enrol,
    errors,
    facilitator,
    group,
    invites,
    practice,
    progress,
    questionnaire,
    rating,
    research,
    rights,
    scripts,
    settings,
    summary,
    text,
)
from bot.chat.menus import set_command_menus
from bot.chat.ordering import PerUserUpdateProcessor
from bot.chat.outbox import Outbox
from bot.chat.questionnaires import QuestionnaireAnswer, StartQuestionnaire
from bot.chat.ratelimit import PacedRateLimiter
from bot.config import Settings
from bot.content import Content
from bot.core import schedule
from bot.i18n import Translator
from bot.services import Jeda
from storage.aio import AsyncStore

logger = logging.getLogger(__name__)
SEND_TIMEOUT_S = 45.0  # how long a send waits for the Bot API's answer (PTB's default: 5)

TICK_SECONDS = 60


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_application(
    settings_: Settings,
    content: Content,
    store: AsyncStore,
    clock: Callable[[], datetime] = utc_now,
    *,
    schedule_jobs: bool = True,
    chat_pacing: tuple[float, int] = (1.0, 3),
    overall_rate: int = 29,
) -> JedaApp:
    """Build the PTB Application for these settings, content and store.

    ``chat_pacing`` is (messages per second, burst) for one private chat; tests of long
    interactive flows raise it, the burst bench keeps Telegram's pace. ``overall_rate``:
    messages in any second, all chats together (Telegram's 30, less one in reserve); the
    whole-programme simulation raises it, its clock being injected but this pace real.
    """
    jeda = Jeda(
        store, content, clock, settings_.admin_ids,
        schedule.ScheduleConfig(expiry_grace=timedelta(minutes=settings_.grace_minutes)),
        reminder_minutes=settings_.reminder_minutes,
    )
    app: JedaApp = (
        ApplicationBuilder()
        .token(settings_.token or "0:simulator")
        .base_url(f"{settings_.api_url}/bot")
        .base_file_url(f"{settings_.api_url}/file/bot")
        .rate_limiter(PacedRateLimiter(chat_rate=chat_pacing[0], chat_burst=chat_pacing[1],
                                       max_retries=3, overall_max_rate=overall_rate,
                                       reserve=1))
        .context_types(ContextTypes(context=CustomContext))
        .defaults(Defaults(tzinfo=ZoneInfo(settings_.timezone)))
        .concurrent_updates(PerUserUpdateProcessor(64))
        .get_updates_connection_pool_size(2)  # room for the final offset confirmation
        # a Bot API under strain may answer a send only after many seconds, yet deliver
        # it: giving up at PTB's 5 s and retrying would send the message twice
        .read_timeout(SEND_TIMEOUT_S).write_timeout(SEND_TIMEOUT_S)
        .post_init(post_init)
        .build()
    )
    app.bot_data.update(jeda=jeda, t=Translator(content.locales), settings=settings_,
                        schedule_jobs=schedule_jobs, outbox=Outbox(app.bot))
    add_handlers(app)
    if schedule_jobs and app.job_queue is not None:
        jq = app.job_queue
        jq.run_repeating(jobs.reconcile_job, interval=TICK_SECONDS, first=1,
                         name=jobs.RECONCILE_JOB,
                         job_kwargs={"misfire_grace_time": 3600, "coalesce": True,
                                     "max_instances": 1})
        jq.run_repeating(breathing.tick_job, interval=breathing.TICK_SECONDS, first=1,
                         name=breathing.BREATH_JOB,
                         job_kwargs={"coalesce": True, "max_instances": 1})
        jq.run_repeating(guides.tick_job, interval=1, first=1, name=guides.GUIDE_JOB,
                         job_kwargs={"coalesce": True, "max_instances": 1})
        jq.run_daily(jobs.backup_job, time=time(3, 0, tzinfo=ZoneInfo(settings_.timezone)),
                     name=jobs.BACKUP_JOB, job_kwargs={"misfire_grace_time": 6 * 3600})
    return app


def add_handlers(app: JedaApp) -> None:
    """Register every handler (the one place that wires Telegram to the handlers)."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE  # edits: see below
    commands: list[tuple[str, Any]] = [
        ("start", enrol.start),
        ("help", rights.help_command),
        ("rate", rating.rate_command),
        ("practice", practice.practice_command),
        ("questionnaire", questionnaire.questionnaire_command),
        ("progress", progress.progress_command),
        ("scripts", scripts.scripts_command),
        ("settings", settings.settings_command),
        ("pause", settings.pause_command),
        ("resume", settings.resume_command),
        ("withdraw", rights.withdraw_command),
        ("delete", rights.delete_command),
        ("privacy", rights.privacy_command),
        ("cancel", rights.cancel_command),
        ("newgroup", facilitator.new_group),
        ("invite", facilitator.invite),
        ("participants", facilitator.participants),
        ("summary", summary.summary_command),
        ("alerts", alerts.alerts_command),
        ("group", group.group_command),
        ("export", research.export_command),
    ]
    for name, callback in commands:
        app.add_handler(CommandHandler(name, callback, filters=private))
    buttons: list[tuple[Any, Any]] = [
        (callbacks.ChooseLanguage.PATTERN, enrol.choose_language),
        (callbacks.AnswerConsent.PATTERN, enrol.answer_consent),
        (callbacks.ChooseZone.PATTERN, enrol.choose_zone),
        (callbacks.ChooseTime.PATTERN, enrol.choose_time),
        (callbacks.RateStress.PATTERN, rating.rate_stress),
        (callbacks.StartExercise.PATTERN, practice.start_exercise),
        (callbacks.RunAnswer.PATTERN, practice.run_answer),
        (StartQuestionnaire.PATTERN, questionnaire.start_questionnaire),
        (QuestionnaireAnswer.PATTERN, questionnaire.answer),
        (callbacks.StartFollowUp.PATTERN, invites.start_follow_up),
        (callbacks.ReminderOff.PATTERN, invites.reminder_off),
        (callbacks.ScriptAction.PATTERN, scripts.script_action),
        (callbacks.AnswerAlert.PATTERN, alerts.answer_alert),
        (PickAction.pattern_for(Menu.INVITE), invites.invite_choice),
        (PickAction.pattern_for(Menu.SHARE), settings.share_choice),
        (f"^{PickAction(Menu.RATE, 'yesterday').encode()}$", rating.offer_yesterday),
        (PickAction.pattern_for(Menu.SETTINGS), settings.settings_choice),
        (PickAction.pattern_for(Menu.PAUSE), settings.pause_choice),
        (PickAction.pattern_for(Menu.WITHDRAW), rights.withdraw_choice),
        (PickAction.pattern_for(Menu.DELETE), rights.delete_choice),
    ]
    for pattern, callback in buttons:
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    app.add_handler(CallbackQueryHandler(expired_button))  # anything else: expired
    app.add_handler(MessageHandler(private & filters.COMMAND, rights.help_command))
    app.add_handler(MessageHandler(private & filters.TEXT, text.free_text))
    app.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.StatusUpdate.ALL,
                                   text.not_text))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE
                                   & filters.TEXT, text.edited_text))
    app.add_handler(ChatMemberHandler(errors.chat_member_changed,
                                      ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_error_handler(errors.error_handler)


async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Set the command menus per language and per role; time the breathing and the guided
    runs again."""
    await set_command_menus(app)
    await breathing.rebuild(app)
    await guides.rebuild(app)


class StartError(RuntimeError):
    """The Bot API could not be reached (or refused the token) within the allowed tries."""


START_DELAYS = (1, 2, 4, 8, 15, 30)  # seconds between tries; then 30 s each


async def initialize(app: JedaApp, stop: asyncio.Event, tries: int) -> bool:
    """``app.initialize()`` (getMe) with back-off: one log line per failed try.

    Return False when ``stop`` was set while waiting; raise StartError after ``tries``
    failures, or at once when Telegram refuses the token (trying again cannot help)."""
    for attempt in range(1, tries + 1):
        try:
            await app.initialize()
            return True
        except InvalidToken as exc:
            raise StartError("Telegram refused the bot token (TELEGRAM_BOT_TOKEN); "
                             "check it with @BotFather") from exc
        except NetworkError as exc:  # TimedOut is a NetworkError
            reason = exc.message.replace(app.bot.token, "<token>")
            if attempt == tries:
                raise StartError(
                    f"the Bot API could not be reached in {tries} tries ({reason}); check the "
                    "network and TELEGRAM_API_URL, or allow more tries with JEDA_START_RETRIES"
                ) from exc
            delay = START_DELAYS[min(attempt, len(START_DELAYS)) - 1]
            logger.warning("The Bot API is not reachable (try %d of %d: %s); trying again in "
                           "%d s", attempt, tries, reason, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if stop.is_set():
                return False
    return False


async def serve(app: JedaApp, stop: asyncio.Event, poll_timeout: int = 10,
                start_tries: int = 1) -> None:
    """Run the bot until ``stop`` is set, then shut down cleanly (used by run and demo)."""
    if not await initialize(app, stop, start_tries):
        return
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=poll_timeout, allowed_updates=Update.ALL_TYPES,
                                        drop_pending_updates=False)
        logger.info("Jeda is running; stop with Ctrl+C")
        await stop.wait()
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
