"""A PTB request class that talks to the simulator in process, without sockets."""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.simulator.methods import BotAPI
from bot.simulator.params import Upload


class InProcessRequest(BaseRequest):
    """Route PTB's Bot API calls straight to ``BotAPI.handle`` (about 1 ms per call).

    Use one instance for ``ApplicationBuilder().request(...)`` and another for
    ``.get_updates_request(...)``; the simulator does not need ``start()`` then.
    """

    def __init__(self, api: BotAPI, read_timeout: float = 5.0) -> None:
        self.api = api
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float:
        """Return the default read timeout PTB adds to long-poll timeouts."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Do nothing: there is no connection pool."""

    async def shutdown(self) -> None:
        """Do nothing: there is no connection pool."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Answer the call with the simulator's status and JSON body."""
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        for name, part in (request_data.multipart_data if request_data else {}).items():
            filename, content, *rest = part
            data = content if isinstance(content, bytes) else content.read()
            params[name] = Upload(filename or name, data, rest[0] if rest else "")
        status, body = await self.api.handle(url.rsplit("/", 1)[-1], params)
        return status, json.dumps(body).encode("utf-8")
