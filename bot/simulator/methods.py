"""The transport-agnostic Bot API: dispatch a method call to its handler and record it."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from bot.simulator import errors as e
from bot.simulator import messages
from bot.simulator.errors import ApiError
from bot.simulator.models import Call, ChatEvent
from bot.simulator.params import canonical_method, check_required, decode
from bot.simulator.state import SimState, scope_key

Handler = Callable[["BotAPI", dict[str, Any]], Awaitable[Any]]

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})


class BotAPI(SimState):
    """Answer Bot API calls with Telegram's result and error shapes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._injected: dict[str, deque[ApiError]] = defaultdict(deque)
        self._delays: dict[str, deque[float]] = defaultdict(deque)
        self._late_calls: set[asyncio.Future[tuple[int, dict[str, Any]]]] = set()
        self._allowed_updates: list[str] | None = None
        self.open_polls = 0  # getUpdates requests currently waiting

    def inject_error(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with the given error."""
        for _ in range(times):
            self._injected[method].append(ApiError(error_code, description, retry_after))

    def inject_delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` hang ``seconds`` (real time) before
        they are carried out and answered, as a Bot API under strain does: a client that
        gave up meanwhile never hears that its message went out."""
        self._delays[method].extend([seconds] * times)

    def clear_errors(self, method: str | None = None) -> None:
        """Forget injected errors not yet returned (of one method, or of all)."""
        for name in [method] if method else list(self._injected):
            self._injected.pop(name, None)

    async def handle(self, method_name: str, raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Run ``method_name`` with raw (form or JSON) parameters; return (status, body).
        A call made to hang is carried out even if its client hangs up meanwhile."""
        delays = self._delays[canonical_method(method_name) or method_name]
        if delays:
            late = asyncio.ensure_future(self._late(method_name, raw, delays.popleft()))
            self._late_calls.add(late)
            late.add_done_callback(self._late_calls.discard)
            return await asyncio.shield(late)
        return await self._handle(method_name, raw)

    async def _late(self, method_name: str, raw: dict[str, Any],
                    seconds: float) -> tuple[int, dict[str, Any]]:
        self._in_flight += 1
        try:
            await asyncio.sleep(seconds)
        finally:
            self._in_flight -= 1
        return await self._handle(method_name, raw)

    async def _handle(self, method_name: str, raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        method = canonical_method(method_name)
        handler = HANDLERS.get(method or "")
        params = decode(method or method_name, raw)
        if method is None or handler is None:
            return self._record(method_name, params, e.NOT_FOUND.error_code, e.NOT_FOUND.body())
        polling = method == "getUpdates"
        self._in_flight += 0 if polling else 1
        try:
            if self._injected[method]:
                raise self._injected[method].popleft()
            check_required(method, params)
            result = await handler(self, params)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as exc:
            status, body = exc.error_code, exc.body()
        finally:
            self._in_flight -= 0 if polling else 1
        return self._record(method, params, status, body)

    def _record(self, method: str, params: dict[str, Any], status: int,
                body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self._last_activity = self.clock()
        self.stats.calls[method] += 1
        self.stats.statuses[status] += 1
        self.calls.append(Call(method, params, status, self._last_activity, body))
        self.changed()
        return status, body

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Call]:
        """Return the recorded calls of ``method`` (only successful/failed ones if ``ok``)."""
        return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    # -- methods -------------------------------------------------------------------------

    async def get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        """Return the bot's User object."""
        return self.bot_user

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long-poll for updates: answer as soon as one is queued or after ``timeout``."""
        offset = int(params.get("offset") or 0)
        limit = min(100, max(1, int(params.get("limit") or 100)))
        timeout = max(0.0, float(params.get("timeout") or 0))
        if params.get("allowed_updates") is not None:
            self._allowed_updates = list(params["allowed_updates"])
        self._poll_generation += 1
        generation = self._poll_generation
        self.changed()  # an older long poll still waiting is terminated with 409
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            updates = self.take_updates(offset, limit, self._allowed_updates)
            if updates or self._closing:
                return updates
            if generation != self._poll_generation:
                raise ApiError(409, e.CONFLICT)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            self.open_polls += 1
            self.changed()
            try:
                async with asyncio.timeout(remaining):
                    await self._next_change()
            except TimeoutError:
                return []
            finally:
                self.open_polls -= 1

    async def delete_webhook(self, params: dict[str, Any]) -> bool:
        """Forget the (never set) webhook, optionally dropping pending updates."""
        self.webhook_deleted += 1
        if params.get("drop_pending_updates"):
            self.take_updates(self._next_update_id, 1, None)
        return True

    async def set_my_commands(self, params: dict[str, Any]) -> bool:
        """Store a command menu per scope and language."""
        commands = params["commands"]
        if not isinstance(commands, list) or len(commands) > 100:
            raise e.bad_request("can't parse commands JSON object")
        for command in commands:
            if not _COMMAND.match(str(command.get("command", ""))):
                raise e.bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise e.bad_request("command description is empty")
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        if commands:
            self.commands[key] = [{"command": c["command"], "description": c["description"]}
                                  for c in commands]
        else:
            self.commands.pop(key, None)
        return True

    async def get_my_commands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        """Return the menu stored for exactly this scope and language."""
        key = (scope_key(params.get("scope")), params.get("language_code") or "")
        return self.commands.get(key, [])

    async def delete_my_commands(self, params: dict[str, Any]) -> bool:
        """Delete the menu for this scope and language."""
        self.commands.pop((scope_key(params.get("scope")), params.get("language_code") or ""),
                          None)
        return True

    async def answer_callback_query(self, params: dict[str, Any]) -> bool:
        """Answer a callback query once; its toast text is shown to the user."""
        chat_id = self.callback_queries.pop(str(params["callback_query_id"]), None)
        if chat_id is None:
            raise e.bad_request(e.QUERY_INVALID)
        if params.get("text") and len(params["text"]) > 200:
            raise e.bad_request("MESSAGE_TOO_LONG")
        self.emit(ChatEvent("answer", chat_id, text=params.get("text") or ""))
        return True

    async def send_chat_action(self, params: dict[str, Any]) -> bool:
        """Accept a chat action such as "typing"."""
        if params["action"] not in CHAT_ACTIONS:
            raise e.bad_request("wrong parameter action in request")
        messages.resolve_chat(self, params["chat_id"])
        return True

    async def get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        """Return a ChatFullInfo for a known chat."""
        chat = messages.resolve_chat(self, params["chat_id"], writing=False)
        gifts = {"unlimited_gifts": True, "limited_gifts": True, "unique_gifts": True,
                 "premium_subscription": True, "gifts_from_channels": True}
        return {**chat.chat, "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": gifts}

    async def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """Return a File whose file_path can be downloaded from ``/file/bot<token>/``."""
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise e.bad_request("invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"U{file_id}",
                "file_size": len(self.files[file_id][1]), "file_path": f"files/{file_id}"}


async def _send_photo(api: BotAPI, params: dict[str, Any]) -> dict[str, Any]:
    return await messages.send_file(api, params, "photo")


async def _send_document(api: BotAPI, params: dict[str, Any]) -> dict[str, Any]:
    return await messages.send_file(api, params, "document")


HANDLERS: dict[str, Handler] = {
    "getMe": BotAPI.get_me,
    "getUpdates": BotAPI.get_updates,
    "deleteWebhook": BotAPI.delete_webhook,
    "setMyCommands": BotAPI.set_my_commands,
    "getMyCommands": BotAPI.get_my_commands,
    "deleteMyCommands": BotAPI.delete_my_commands,
    "answerCallbackQuery": BotAPI.answer_callback_query,
    "sendChatAction": BotAPI.send_chat_action,
    "getChat": BotAPI.get_chat,
    "getFile": BotAPI.get_file,
    "sendMessage": messages.send_message,
    "sendPhoto": _send_photo,
    "sendDocument": _send_document,
    "editMessageText": messages.edit_message_text,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "deleteMessage": messages.delete_message,
}
