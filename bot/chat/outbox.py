"""The outbox: the single way anything goes into a chat, from a handler or a job.

By chat and message id, so a timer (paced breathing) can edit a message as well as a
button press can. Every call carries a priority class for the rate limiter: replies
and edits of a running exercise (INTERACTIVE) go before daily prompts and summaries
(BROADCAST). Per-chat pacing and Telegram's overall limit live in the limiter
(``bot.chat.ratelimit``), which every call here passes through.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Message
from telegram.error import BadRequest

from bot.chat.ratelimit import Priority

logger = logging.getLogger(__name__)

MAX_TEXT = 4000  # Telegram's limit is 4096; leave room for entities


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """A long text in pieces of at most ``limit`` characters, split between lines."""
    chunks: list[str] = []
    chunk = ""
    for line in text.split("\n"):
        if chunk and len(chunk) + 1 + len(line) > limit:
            chunks.append(chunk)
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line[:limit]
    if chunk:
        chunks.append(chunk)
    return chunks


class Outbox:
    def __init__(self, bot: Any) -> None:
        self._bot = bot

    @staticmethod
    def _limit(priority: Priority) -> dict[str, Any]:
        return {"rate_limit_args": {"priority": priority}}

    async def send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None,
                   priority: Priority = Priority.INTERACTIVE, html: bool = True) -> Message:
        message: Message = await self._bot.send_message(
            chat_id, text, reply_markup=markup, parse_mode="HTML" if html else None,
            **self._limit(priority))
        return message

    async def send_long(self, chat_id: int, text: str,
                        priority: Priority = Priority.INTERACTIVE) -> None:
        """A long text in as many messages as needed, split between lines."""
        for chunk in split_text(text):
            await self.send(chat_id, chunk, priority=priority)

    async def edit(self, chat_id: int, message_id: int, text: str,
                   markup: InlineKeyboardMarkup | None = None, shown: str | None = None,
                   priority: Priority = Priority.INTERACTIVE) -> None:
        """Replace a message's text and buttons. ``shown`` is the text it has now, if
        known: Telegram refuses an edit that changes nothing, so then only the buttons go."""
        if shown == text and markup is None:
            await self.remove_buttons(chat_id, message_id, priority)
            return
        await self._bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                          reply_markup=markup, parse_mode="HTML",
                                          **self._limit(priority))

    async def remove_buttons(self, chat_id: int, message_id: int,
                             priority: Priority = Priority.INTERACTIVE) -> None:
        """Take the buttons off a message (they may be gone already: that is fine)."""
        with contextlib.suppress(BadRequest):
            await self._bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id,
                                                      reply_markup=None,
                                                      **self._limit(priority))

    async def answer(self, query_id: str, text: str | None = None,
                     alert: bool = False) -> None:
        """Answer a button press (a pop-up when ``text`` is given)."""
        await self._bot.answer_callback_query(query_id, text=text, show_alert=alert,
                                              **self._limit(Priority.INTERACTIVE))

    async def photo(self, chat_id: int, png: bytes, caption: str = "",
                    priority: Priority = Priority.BROADCAST) -> Message:
        message: Message = await self._bot.send_photo(
            chat_id, InputFile(png, filename="chart.png"), caption=caption or None,
            parse_mode="HTML", **self._limit(priority))
        return message

    async def document(self, chat_id: int, data: bytes, filename: str, caption: str = "",
                       priority: Priority = Priority.INTERACTIVE) -> Message:
        message: Message = await self._bot.send_document(
            chat_id, InputFile(data, filename=filename), caption=caption or None,
            parse_mode="HTML", **self._limit(priority))
        return message
