"""The raw Bot API over HTTP: encodings, long polling, offsets and Telegram's error shapes."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest

from bot.simulator import BotAPISimulator, Limits
from tests.simulator.conftest import TOKEN, ManualClock


async def call(http: aiohttp.ClientSession, method: str, **form: Any) -> tuple[int, dict]:
    """POST form-encoded parameters the way PTB does (non-strings as JSON)."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in form.items()}
    async with http.post(method, data=data) as response:
        return response.status, await response.json()


async def test_get_me_with_empty_body(http: aiohttp.ClientSession) -> None:
    async with http.post("getMe", data=b"",
                         headers={"Content-Type": "application/octet-stream"}) as response:
        body = await response.json()
    assert response.status == 200
    assert body["result"] == {
        "id": 999000, "is_bot": True, "first_name": "Jeda", "username": "JedaBot",
        "can_join_groups": True, "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def test_form_encoded_message_with_json_fields(sim: BotAPISimulator,
                                                     http: aiohttp.ClientSession) -> None:
    user = sim.user(1001)
    markup = {"inline_keyboard": [[{"text": "7", "callback_data": "rate:7"}]]}
    status, body = await call(http, "sendMessage", chat_id=user.id, text="123",
                              reply_markup=markup, link_preview_options={"is_disabled": True})
    assert status == 200
    message = body["result"]
    assert message["text"] == "123"  # a plain string is not JSON-decoded into a number
    assert message["chat"] == {"id": 1001, "type": "private", "first_name": "Sari"}
    assert message["from"]["id"] == 999000 and message["reply_markup"] == markup
    assert sim.calls[-1].params["reply_markup"] == markup
    assert sim.calls[-1].params["chat_id"] == 1001


async def test_json_body_and_case_insensitive_method(sim: BotAPISimulator,
                                                     http: aiohttp.ClientSession) -> None:
    sim.user(1001)
    async with http.post("sendmessage", json={"chat_id": 1001, "text": "hi"}) as response:
        assert response.status == 200
    assert sim.calls[-1].method == "sendMessage"


async def test_multipart_document_keeps_bytes_and_name(sim: BotAPISimulator,
                                                       http: aiohttp.ClientSession) -> None:
    user = sim.user(1001)
    form = aiohttp.FormData()
    form.add_field("chat_id", str(user.id))
    form.add_field("caption", "your export")
    form.add_field("document", b"a,b\n1,2\n", filename="log.csv", content_type="text/csv")
    async with http.post("sendDocument", data=form) as response:
        body = await response.json()
    document = body["result"]["document"]
    assert body["result"]["caption"] == "your export"
    assert sim.files[document["file_id"]] == ("log.csv", b"a,b\n1,2\n")
    assert user.last_bot_message.kind == "document"
    assert user.last_bot_message.filename == "log.csv"
    status, body = await call(http, "getFile", file_id=document["file_id"])
    async with aiohttp.ClientSession() as plain:
        url = f"{sim.url}/file/bot{TOKEN}/{body['result']['file_path']}"
        async with plain.get(url) as response:
            assert await response.read() == b"a,b\n1,2\n"


async def test_multipart_photo_reports_png_size(sim: BotAPISimulator,
                                                http: aiohttp.ClientSession) -> None:
    sim.user(1001)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + \
        (480).to_bytes(4, "big") + b"\x08\x06\x00\x00\x00"
    form = aiohttp.FormData({"chat_id": "1001"})
    form.add_field("photo", png, filename="chart.png", content_type="image/png")
    async with http.post("sendPhoto", data=form) as response:
        [size] = (await response.json())["result"]["photo"]
    assert (size["width"], size["height"]) == (640, 480)


async def test_long_poll_returns_as_soon_as_an_update_is_queued(
        sim: BotAPISimulator, http: aiohttp.ClientSession) -> None:
    user = sim.user(1001)
    poll = asyncio.create_task(call(http, "getUpdates", timeout=30))
    await sim.wait_for(lambda: sim.open_polls == 1, 5, "the poll to arrive")
    assert not poll.done()
    await user.send("/start")
    status, body = await asyncio.wait_for(poll, 5)
    [update] = body["result"]
    assert update["message"]["text"] == "/start"
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_long_poll_waits_for_the_timeout(http: aiohttp.ClientSession) -> None:
    started = time.monotonic()
    status, body = await call(http, "getUpdates", timeout=0.2)
    elapsed = time.monotonic() - started
    assert (status, body["result"]) == (200, [])
    assert 0.19 <= elapsed < 3


async def test_offset_confirms_and_drops_older_updates(sim: BotAPISimulator,
                                                       http: aiohttp.ClientSession) -> None:
    user = sim.user(1001)
    for text in ("one", "two", "three"):
        await user.send(text)
    _, body = await call(http, "getUpdates", limit=2)
    first, second = body["result"]
    assert [first["message"]["text"], second["message"]["text"]] == ["one", "two"]
    _, body = await call(http, "getUpdates", offset=second["update_id"] + 1)
    assert [u["message"]["text"] for u in body["result"]] == ["three"]
    _, body = await call(http, "getUpdates", offset=first["update_id"])
    assert [u["message"]["text"] for u in body["result"]] == ["three"]  # confirmed ones stay gone


async def test_stop_releases_an_open_long_poll() -> None:
    sim = BotAPISimulator()
    await sim.start()
    async with aiohttp.ClientSession() as http:
        poll = asyncio.create_task(http.post(f"{sim.url}/bot{TOKEN}/getUpdates",
                                             data={"timeout": "30"}))
        await sim.wait_for(lambda: sim.open_polls == 1, 5, "the poll to arrive")
        started = time.monotonic()
        await sim.stop()
        response = await asyncio.wait_for(poll, 5)
        assert (await response.json())["result"] == []
        response.release()
    assert time.monotonic() - started < 2


async def test_second_poll_terminates_the_first_with_409(http: aiohttp.ClientSession,
                                                         sim: BotAPISimulator) -> None:
    first = asyncio.create_task(call(http, "getUpdates", timeout=30))
    await sim.wait_for(lambda: sim.open_polls == 1, 5, "the poll to arrive")
    await call(http, "getUpdates", timeout=0)
    status, body = await asyncio.wait_for(first, 5)
    assert status == 409 and body["description"].startswith("Conflict: terminated by other")


@pytest.mark.parametrize(("path", "form"), [
    ("unknownMethod", {}),
    ("../getMe", {}),
])
async def test_unknown_method_is_plain_404(sim: BotAPISimulator, path: str,
                                           form: dict) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{sim.url}/bot{TOKEN}/{path}", data=form) as response:
            body = await response.json()
    assert response.status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_malformed_token_is_404(sim: BotAPISimulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{sim.url}/botnotatoken/getMe") as response:
            assert response.status == 404


async def test_429_per_chat_with_retry_after(sim: BotAPISimulator, clock: ManualClock,
                                             http: aiohttp.ClientSession) -> None:
    user = sim.user(1001)
    statuses = [(await call(http, "sendMessage", chat_id=user.id, text=f"m{i}"))[0]
                for i in range(3)]
    status, body = await call(http, "sendMessage", chat_id=user.id, text="m3")
    assert statuses == [200, 200, 200]
    assert status == 429
    assert body == {"ok": False, "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1}}
    assert sim.stats.rate_limited_per_chat[user.id] == 1
    assert (await call(http, "answerCallbackQuery", callback_query_id="x"))[0] == 400  # not 429
    clock.advance(1.0)
    assert (await call(http, "sendMessage", chat_id=user.id, text="m4"))[0] == 200
    assert sim.stats.max_rate_per_chat[user.id] == 3
    assert sim.stats.calls["sendMessage"] == 5


async def test_429_global_across_chats(sim: BotAPISimulator, clock: ManualClock,
                                       http: aiohttp.ClientSession) -> None:
    users = [sim.user(2000 + i) for i in range(31)]
    statuses = [(await call(http, "sendMessage", chat_id=u.id, text="prompt"))[0]
                for u in users]
    assert statuses == [200] * 30 + [429]
    assert sim.stats.rate_limited_global == 1
    assert sim.stats.max_rate_global == 30
    clock.advance(0.05)  # one global token refills in 1/30 s
    assert (await call(http, "sendMessage", chat_id=users[-1].id, text="prompt"))[0] == 200


async def test_unlimited_never_answers_429() -> None:
    async with BotAPISimulator(limits=Limits.unlimited()) as sim:
        user = sim.user(1001)
        async with aiohttp.ClientSession(f"{sim.url}/bot{TOKEN}/") as http:
            statuses = {(await call(http, "sendMessage", chat_id=user.id, text="x"))[0]
                        for _ in range(40)}
        assert statuses == {200}
        assert sim.stats.max_rate_per_chat[user.id] == 40


def test_retry_after_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="retry_after"):
        Limits(retry_after=0)
