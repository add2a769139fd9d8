"""BotAPISimulator: the Bot API served over HTTP on 127.0.0.1 for tests and ``jeda demo``."""

from __future__ import annotations

import logging
import re
from types import TracebackType
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from bot.simulator.methods import BotAPI
from bot.simulator.models import Limits
from bot.simulator.params import Upload
from bot.simulator.state import ChatState
from bot.simulator.updates import private_chat_json, user_json
from bot.simulator.users import SimUser

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
MAX_UPLOAD = 50 * 1024 * 1024
NOT_FOUND_BODY = {"ok": False, "error_code": 404, "description": "Not Found"}


class BotAPISimulator(BotAPI):
    """Serve a local Telegram Bot API with simulated users.

    Any token of the form ``digits:chars`` is accepted. Keyword arguments (bot identity,
    ``limits``, ``clock``, ``wall_clock``) are those of ``SimState``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.users: dict[int, SimUser] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Return the server root, e.g. ``http://127.0.0.1:41234``."""
        assert self._port is not None, "call start() first"
        return f"http://127.0.0.1:{self._port}"

    @property
    def bot_url(self) -> str:
        """Return the value for ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def file_url(self) -> str:
        """Return the value for ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.url}/file/bot"

    async def start(self, port: int = 0) -> None:
        """Serve on 127.0.0.1 (a free port unless ``port`` is given)."""
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/bot{token}/{method}", self._serve_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        app.router.add_route("*", "/{tail:.*}", _not_found)
        self._closing = False
        self._runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        logger.info("Bot API simulator listening on %s", self.url)

    async def stop(self) -> None:
        """Release waiting long polls and waiters, then close the server."""
        self._closing = True
        self.changed()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        logger.info("Bot API simulator stopped")

    async def __aenter__(self) -> BotAPISimulator:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()

    # -- users --------------------------------------------------------------------------

    def user(self, user_id: int = 1001, first_name: str = "Sari", *,
             last_name: str | None = None, username: str | None = None,
             language_code: str | None = "id", started: bool = True) -> SimUser:
        """Return the simulated user ``user_id``, creating them and their private chat.

        ``started=False`` models someone who never pressed Start: until they send something,
        the bot gets 403 "bot can't initiate conversation with a user".
        """
        if user_id in self.users:
            return self.users[user_id]
        person = user_json(user_id, first_name, last_name=last_name, username=username,
                           language_code=language_code)
        chat = ChatState(chat=private_chat_json(person), user=person, started=started)
        self.chats[user_id] = chat
        self.users[user_id] = SimUser(self, chat)
        return self.users[user_id]

    # -- HTTP ---------------------------------------------------------------------------

    async def _serve_method(self, request: web.Request) -> web.Response:
        if not TOKEN.match(request.match_info["token"]):
            return web.json_response(NOT_FOUND_BODY, status=404)
        raw = await _read_params(request)
        status, body = await self.handle(request.match_info["method"], raw)
        if status != 200:
            logger.debug("%s -> %s %s", request.match_info["method"], status,
                         body.get("description"))
        return web.json_response(body, status=status)

    async def _serve_file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].removeprefix("files/")
        if not TOKEN.match(request.match_info["token"]) or file_id not in self.files:
            return web.json_response(NOT_FOUND_BODY, status=404)
        filename, content = self.files[file_id]
        return web.Response(body=content, headers={
            "Content-Disposition": f'attachment; filename="{filename}"'})


async def _not_found(request: web.Request) -> web.Response:
    """Answer any other path the way api.telegram.org does."""
    return web.json_response(NOT_FOUND_BODY, status=404)


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Merge query string and body parameters (form, multipart, JSON or empty)."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else None
        if isinstance(body, dict):
            params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        params.update(_form_values(await request.post()))
    return params


def _form_values(form: MultiDictProxy[Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            values[key] = Upload(value.filename, value.file.read(), value.content_type)
        else:
            values[key] = value
    return values


__all__ = ["BotAPISimulator", "Limits"]
