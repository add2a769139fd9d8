"""Command menus: the participants' menu per language, and a staff menu per facilitator/admin."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application

from bot.i18n import Translator
from bot.services import Jeda

logger = logging.getLogger(__name__)

PARTICIPANT_COMMANDS = ("rate", "practice", "questionnaire", "progress", "scripts", "settings",
                        "pause", "resume", "privacy", "withdraw", "delete", "help", "cancel")
FACILITATOR_COMMANDS = ("summary", "alerts", "participants", "invite", "group", "newgroup")


async def set_command_menus(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Participants' menu per language; facilitators and admins get their extra commands."""
    t: Translator = app.bot_data["t"]
    jeda: Jeda = app.bot_data["jeda"]
    for lang in ("id", "en"):
        menu = [BotCommand(c, t(lang, f"menu.{c}")) for c in PARTICIPANT_COMMANDS]
        await app.bot.set_my_commands(menu, scope=BotCommandScopeDefault(),
                                      language_code=None if lang == "id" else lang)
    for user_id in sorted(await jeda.access.staff()):
        participant = await jeda.participant(user_id)
        lang = participant.language.value if participant else "id"
        menu = [BotCommand(c, t(lang, f"menu.{c}"))
                for c in (*FACILITATOR_COMMANDS, *PARTICIPANT_COMMANDS)]
        try:
            await app.bot.set_my_commands(menu, scope=BotCommandScopeChat(user_id))
        except TelegramError as exc:  # e.g. the facilitator has not pressed Start yet
            logger.info("no staff menu for one user yet: %s", type(exc).__name__)
