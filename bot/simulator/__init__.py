"""A local Telegram Bot API server with simulated users, for end-to-end tests and the demo."""

from bot.simulator.errors import ApiError
from bot.simulator.models import Call, ChatEvent, ChatMessage, Limits, Stats
from bot.simulator.params import Upload
from bot.simulator.server import BotAPISimulator
from bot.simulator.users import SimUser

__all__ = [
    "ApiError",
    "BotAPISimulator",
    "Call",
    "ChatEvent",
    "ChatMessage",
    "Limits",
    "SimUser",
    "Stats",
    "Upload",
]
