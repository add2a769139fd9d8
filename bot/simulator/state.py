"""What the simulated Telegram knows: chats, messages, pending updates, files and commands."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.simulator.models import Call, ChatEvent, ChatMessage, Limits, Stats
from bot.simulator.ratelimit import Clock, FloodControl

logger = logging.getLogger(__name__)

Listener = Callable[[ChatEvent], None]


@dataclass(slots=True)
class ChatState:
    """One private chat between the bot and a simulated user."""

    chat: dict[str, Any]
    user: dict[str, Any]
    messages: list[ChatMessage] = field(default_factory=list)
    events: list[ChatEvent] = field(default_factory=list)
    blocked: bool = False
    started: bool = False
    next_message_id: int = 1
    reply_keyboard: list[list[str]] | None = None

    def find(self, message_id: int) -> ChatMessage | None:
        """Return the message with ``message_id``, deleted or not."""
        return next((m for m in self.messages if m.message_id == message_id), None)


def scope_key(scope: dict[str, Any] | None) -> str:
    """Return a stable key for a BotCommandScope (``None`` is the default scope)."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


class SimState:
    """Hold the simulator's data and let tests wait on it without sleeping."""

    def __init__(
        self,
        *,
        bot_id: int = 999000,
        bot_first_name: str = "Jeda",
        bot_username: str = "JedaBot",
        limits: Limits | None = None,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
    ) -> None:
        self.bot_user: dict[str, Any] = {
            "id": bot_id, "is_bot": True, "first_name": bot_first_name, "username": bot_username,
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.limits = limits or Limits()
        self.clock = clock
        self.wall_clock = wall_clock
        self.stats = Stats()
        self.flood = FloodControl(self.limits, self.stats, clock)
        self.calls: list[Call] = []
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.callback_queries: dict[str, int] = {}  # query id -> chat id
        self.webhook_deleted = 0
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._confirmed_offset = 0
        self._waiters: set[asyncio.Future[None]] = set()
        self._closing = False
        self._poll_generation = 0
        self._in_flight = 0
        self._last_activity = clock()
        self._listeners: list[Listener] = []

    # -- updates -------------------------------------------------------------------------

    async def enqueue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue ``update`` for getUpdates (numbering it if needed) and return it."""
        if "update_id" not in update:
            update = {"update_id": self.next_update_id(), **update}
        self._updates.append(update)
        self.changed()
        return update

    def next_update_id(self) -> int:
        """Reserve and return the next update_id."""
        update_id = self._next_update_id
        self._next_update_id += 1
        return update_id

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Return the queued updates that getUpdates has not confirmed yet."""
        return [u for u in self._updates if u["update_id"] >= self._confirmed_offset]

    def take_updates(
        self, offset: int, limit: int, allowed: Iterable[str] | None
    ) -> list[dict[str, Any]]:
        """Confirm updates below ``offset`` and return up to ``limit`` of the rest."""
        if offset < 0:
            offset = max(0, self._next_update_id + offset)
        if offset:
            self._confirmed_offset = max(self._confirmed_offset, offset)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        wanted = set(allowed or ())
        ready = [u for u in self._updates if not wanted or wanted & (u.keys() - {"update_id"})]
        return ready[:limit]

    # -- chats and messages --------------------------------------------------------------

    def add_message(self, chat: ChatState, message: ChatMessage) -> None:
        """Store a message in its chat and tell listeners when the bot sent it."""
        chat.messages.append(message)
        if message.from_bot:
            self.emit(ChatEvent("sent", chat.chat["id"], message))

    def emit(self, event: ChatEvent) -> None:
        """Record a bot event in its chat, wake waiters and call listeners."""
        chat = self.chats.get(event.chat_id)
        if chat is not None:
            chat.events.append(event)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken listener must not break the Bot API
                logger.exception("simulator listener failed")
        self.changed()

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` for every bot event; return a function that removes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def commands_for(self, chat_id: int, language_code: str = "") -> list[dict[str, str]]:
        """Return the command menu a private chat sees, resolving scopes as Telegram does."""
        scopes = (
            {"type": "chat", "chat_id": chat_id},
            {"type": "all_private_chats"},
            {"type": "default"},
        )
        for scope in scopes:
            for lang in (language_code, ""):
                found = self.commands.get((scope_key(scope), lang))
                if found is not None:
                    return found
        return []

    # -- waiting -------------------------------------------------------------------------

    def changed(self) -> None:
        """Wake every waiter so it re-checks its condition (safe from synchronous code)."""
        waiters, self._waiters = self._waiters, set()
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _next_change(self) -> None:
        """Return after the next call to ``changed``."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await waiter
        finally:
            self._waiters.discard(waiter)

    async def wait_for(
        self, predicate: Callable[[], bool], timeout: float, what: str = "condition"
    ) -> None:
        """Wait until ``predicate()`` is true; raise AssertionError after ``timeout`` seconds."""
        try:
            async with asyncio.timeout(timeout):
                while not (predicate() or self._closing):
                    await self._next_change()
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                                 f"recent calls: {self.describe_calls()}") from None
        if not predicate():
            raise AssertionError(f"simulator stopped while waiting for {what}")

    async def wait_for_call(
        self,
        method: str,
        *,
        since: int = 0,
        where: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
    ) -> Call:
        """Return the first recorded call of ``method`` at index >= ``since`` matching ``where``."""

        def found() -> Call | None:
            return next((c for c in self.calls[since:] if c.method == method
                         and (where is None or where(c))), None)

        await self.wait_for(lambda: found() is not None, timeout, f"a {method} call")
        call = found()
        assert call is not None
        return call

    async def wait_until_idle(self, quiet: float = 0.05, timeout: float = 5.0) -> None:
        """Wait until updates are confirmed, no request is in flight and ``quiet`` s passed.

        Prefer ``SimUser.wait_for_bot`` or ``wait_for_call``: they wait for a fact. This helper
        is for asserting that nothing *else* happens, which can only be judged by a quiet period.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            await self.wait_for(lambda: not self.pending_updates and not self._in_flight,
                                max(0.0, deadline - loop.time()), "idle")
            remaining = quiet - (self.clock() - self._last_activity)
            if remaining <= 0:
                return
            if loop.time() + remaining > deadline:
                raise AssertionError(f"not idle within {timeout}s: {self.describe_calls()}")
            await asyncio.sleep(remaining)

    def describe_calls(self, last: int = 8) -> str:
        """Return the last calls, one per line, for assertion messages."""
        lines = [f"{c.method} {c.status} {c.response.get('description', '')}".rstrip()
                 for c in self.calls[-last:]]
        return "\n  " + "\n  ".join(lines) if lines else "none"
