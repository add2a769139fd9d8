"""Simulated people who chat with the bot: they send text, press buttons and block it."""

from __future__ import annotations

import dataclasses
import itertools
from typing import TYPE_CHECKING, Any

from bot.simulator import updates
from bot.simulator.messages import message_json
from bot.simulator.models import ChatMessage
from bot.simulator.state import ChatState

if TYPE_CHECKING:
    from bot.simulator.methods import BotAPI

_query_ids = itertools.count(1)


class SimUser:
    """A Telegram user in a private chat with the bot."""

    def __init__(self, sim: BotAPI, chat: ChatState) -> None:
        self.sim = sim
        self.chat = chat
        self.id: int = chat.user["id"]
        self.language_code: str = chat.user.get("language_code", "")
        self._cursor = 0
        self._last_query_id: str | None = None

    # -- what the user sees -------------------------------------------------------------

    @property
    def messages(self) -> list[ChatMessage]:
        """Return the whole chat, both sides, in order (deleted messages keep their flag)."""
        return list(self.chat.messages)

    @property
    def bot_messages(self) -> list[ChatMessage]:
        """Return the bot's messages that were not deleted."""
        return [m for m in self.chat.messages if m.from_bot and not m.deleted]

    @property
    def last_bot_message(self) -> ChatMessage:
        """Return the bot's newest visible message; fail the test when there is none."""
        found = self.bot_messages
        assert found, f"the bot has sent nothing to user {self.id}"
        return found[-1]

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Return the custom reply keyboard currently shown, if any."""
        return self.chat.reply_keyboard

    @property
    def answers(self) -> list[str]:
        """Return the callback answers (toast texts) shown to this user, oldest first."""
        return [ev.text or "" for ev in self.chat.events if ev.kind == "answer"]

    @property
    def blocked(self) -> bool:
        """Return True while the user has blocked the bot."""
        return self.chat.blocked

    def menu(self) -> list[str]:
        """Return the command names in this user's menu, resolved by scope and language."""
        found = self.sim.commands_for(self.id, self.language_code)
        return [c["command"] for c in found]

    # -- actions ------------------------------------------------------------------------

    def make_message_update(self, text: str) -> dict[str, Any]:
        """Record a message from the user and return its Update dict without queueing it."""
        self.chat.started = True
        message_id = self.chat.next_message_id
        self.chat.next_message_id += 1
        date = int(self.sim.wall_clock())
        self.chat.messages.append(ChatMessage(message_id, from_bot=False, text=text, date=date))
        self._cursor = len(self.chat.events)
        payload = updates.message_update(self.chat.user, self.chat.chat, message_id, text, date)
        return {"update_id": self.sim.next_update_id(), **payload}

    async def send(self, text: str) -> dict[str, Any]:
        """Send ``text`` to the bot (unblocking it first, like Telegram's Restart button)."""
        if self.chat.blocked:
            await self.unblock()
        return await self.sim.enqueue(self.make_message_update(text))

    async def send_sticker(self, emoji: str = "👍") -> dict[str, Any]:
        """Send a sticker (a message without text) to the bot."""
        update = self.make_message_update("")
        message = update["message"]
        message.pop("text", None)
        message.pop("entities", None)
        message["sticker"] = {"file_id": f"sticker-{message['message_id']}",
                              "file_unique_id": f"u{message['message_id']}", "type": "regular",
                              "width": 512, "height": 512, "is_animated": False,
                              "is_video": False, "emoji": emoji}
        return await self.sim.enqueue(update)

    async def send_photo(self, caption: str | None = None) -> dict[str, Any]:
        """Send a photo (optionally with a caption, which is not ``text``) to the bot."""
        update = self.make_message_update("")
        message = update["message"]
        message.pop("text", None)
        message.pop("entities", None)
        ident = message["message_id"]
        message["photo"] = [{"file_id": f"photo-{ident}", "file_unique_id": f"p{ident}",
                             "width": 320, "height": 240, "file_size": 1000}]
        if caption is not None:
            message["caption"] = caption
        return await self.sim.enqueue(update)

    async def edit(self, message_id: int, text: str) -> dict[str, Any]:
        """Change the text of one of the user's own messages (Telegram's "Edit")."""
        index, original = next((i, m) for i, m in enumerate(self.chat.messages)
                               if m.message_id == message_id and not m.from_bot)
        self.chat.messages[index] = dataclasses.replace(original, text=text, edited=True)
        self._cursor = len(self.chat.events)
        payload = updates.edited_message_update(self.chat.user, self.chat.chat, message_id,
                                                text, original.date, int(self.sim.wall_clock()))
        return await self.sim.enqueue({"update_id": self.sim.next_update_id(), **payload})

    def find_button(self, label: str | None = None, *, index: int | None = None,
                    message_id: int | None = None) -> tuple[ChatMessage, dict[str, Any]]:
        """Return the newest bot message and button matching a label or 1-based index."""
        assert (label is None) != (index is None), "give a label or an index, not both"
        candidates = [m for m in reversed(self.bot_messages)
                      if message_id is None or m.message_id == message_id]
        for msg in candidates:
            buttons = msg.flat_buttons
            if label is not None:
                button = next((b for b in buttons if b["text"] == label), None)
            else:
                button = buttons[index - 1] if index and 0 < index <= len(buttons) else None
            if button is not None:
                return msg, button
        shown = [m.buttons for m in candidates if m.buttons]
        wanted = repr(label) if label is not None else f"#{index}"
        raise AssertionError(f"user {self.id} sees no button {wanted}; keyboards: {shown}")

    def make_callback_update(self, data: str, message: ChatMessage) -> dict[str, Any]:
        """Return a callback_query Update for ``data`` on ``message`` without queueing it."""
        query_id = f"{self.id}-{next(_query_ids)}"
        self.sim.callback_queries[query_id] = self.id
        self._last_query_id = query_id
        self._cursor = len(self.chat.events)
        payload = updates.callback_update(self.chat.user, query_id,
                                          message_json(self.sim, self.chat, message), data)
        return {"update_id": self.sim.next_update_id(), **payload}

    async def press(self, label: str | None = None, *, index: int | None = None,
                    message_id: int | None = None) -> dict[str, Any]:
        """Press an inline button by exact label or 1-based index on the newest message."""
        msg, button = self.find_button(label, index=index, message_id=message_id)
        data = button.get("callback_data")
        assert data is not None, f"button {button['text']!r} has no callback_data: {button}"
        return await self.sim.enqueue(self.make_callback_update(data, msg))

    async def press_data(self, data: str, *, message_id: int | None = None) -> dict[str, Any]:
        """Send an arbitrary (possibly forged) callback payload from a bot message."""
        candidates = [m for m in reversed(self.bot_messages)
                      if message_id is None or m.message_id == message_id]
        assert candidates, f"user {self.id} has no bot message {message_id or ''} to press on"
        return await self.sim.enqueue(self.make_callback_update(data, candidates[0]))

    async def _set_blocked(self, blocked: bool) -> dict[str, Any] | None:
        if self.chat.blocked == blocked:
            return None
        self.chat.blocked = blocked
        self._cursor = len(self.chat.events)
        payload = updates.my_chat_member_update(self.chat.user, self.chat.chat,
                                                self.sim.bot_user, blocked,
                                                int(self.sim.wall_clock()))
        return await self.sim.enqueue(payload)

    async def block(self) -> dict[str, Any] | None:
        """Block the bot: further sends answer 403 and a my_chat_member update is queued."""
        return await self._set_blocked(True)

    async def unblock(self) -> dict[str, Any] | None:
        """Unblock the bot and queue the matching my_chat_member update."""
        return await self._set_blocked(False)

    # -- waiting ------------------------------------------------------------------------

    async def wait_for_bot(self, n: int = 1, timeout: float = 5.0, *,
                           edits: bool = False) -> list[ChatMessage]:
        """Wait until the bot sent (and, if ``edits``, edited) ``n`` more messages here.

        Counting starts at the user's last action; each call consumes what it returns, so
        two calls with ``n=1`` return the first and then the second reply.
        """
        kinds = {"sent", "edited"} if edits else {"sent"}

        def fresh() -> list[tuple[int, ChatMessage]]:
            events = enumerate(self.chat.events[self._cursor:], start=self._cursor)
            return [(i, ev.message) for i, ev in events if ev.kind in kinds and ev.message][:n]

        await self.sim.wait_for(lambda: len(fresh()) >= n, timeout,
                                f"{n} bot message(s) to user {self.id}")
        found = fresh()
        self._cursor = found[-1][0] + 1
        return [message for _, message in found]

    async def wait_for_answer(self, timeout: float = 5.0) -> str:
        """Wait until the bot answered the user's last button press; return the toast text."""
        query_id = self._last_query_id
        assert query_id is not None, f"user {self.id} has not pressed anything"
        await self.sim.wait_for(lambda: query_id not in self.sim.callback_queries, timeout,
                                f"answerCallbackQuery for user {self.id}")
        return self.answers[-1] if self.answers else ""
