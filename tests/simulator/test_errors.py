"""Every error path answers with Telegram's status code and description."""

from __future__ import annotations

from typing import Any

import pytest

from bot.simulator import BotAPISimulator, Limits, SimUser


@pytest.fixture
async def sim() -> Any:
    """Yield a simulator without flood limits so only the error under test can occur."""
    async with BotAPISimulator(limits=Limits.unlimited()) as simulator:
        yield simulator


@pytest.fixture
def user(sim: BotAPISimulator) -> SimUser:
    """Return a user who has started the bot."""
    return sim.user(1001)


async def send(sim: BotAPISimulator, **params: Any) -> tuple[int, str]:
    """Call sendMessage in process and return (status, description)."""
    status, body = await sim.handle("sendMessage", params)
    return status, body.get("description", "")


async def test_error_body_shape(sim: BotAPISimulator) -> None:
    status, body = await sim.handle("sendMessage", {"chat_id": 5, "text": "x"})
    assert (status, body) == (400, {"ok": False, "error_code": 400,
                                    "description": "Bad Request: chat not found"})


@pytest.mark.parametrize(("params", "description"), [
    ({"chat_id": 1001}, "Bad Request: message text is empty"),
    ({"chat_id": 1001, "text": "   "}, "Bad Request: message text is empty"),
    ({"chat_id": 1001, "text": "<b></b>", "parse_mode": "HTML"},
     "Bad Request: message text is empty"),
    ({"text": "hi"}, "Bad Request: chat_id is empty"),
    ({"chat_id": 1001, "text": "x" * 4097}, "Bad Request: message is too long"),
    ({"chat_id": 777, "text": "hi"}, "Bad Request: chat not found"),
    ({"chat_id": "@nobody", "text": "hi"}, "Bad Request: chat not found"),
    ({"chat_id": 1001, "text": "hi", "reply_markup": {"inline_keyboard": [[
        {"text": "x", "callback_data": "d" * 65}]]}}, "Bad Request: BUTTON_DATA_INVALID"),
    ({"chat_id": 1001, "text": "hi", "reply_markup": {"inline_keyboard": [[{"text": "x"}]]}},
     "Bad Request: text buttons are unallowed in the inline keyboard"),
    ({"chat_id": 1001, "text": "hi", "parse_mode": "Shouty"},
     "Bad Request: unsupported parse_mode 'Shouty'"),
])
async def test_send_message_bad_requests(sim: BotAPISimulator, user: SimUser,
                                         params: dict[str, Any], description: str) -> None:
    assert await send(sim, **params) == (400, description)
    assert user.bot_messages == []


async def test_length_counts_text_after_entity_parsing(sim: BotAPISimulator,
                                                       user: SimUser) -> None:
    html = "<b>" + "x" * 4096 + "</b>"
    assert (await send(sim, chat_id=user.id, text=html, parse_mode="HTML"))[0] == 200
    assert (await send(sim, chat_id=user.id, text="é" * 4096))[0] == 200
    assert (await send(sim, chat_id=user.id, text="😀" * 2049))[1] == (
        "Bad Request: message is too long")  # UTF-16 code units, like Telegram


async def test_callback_data_of_64_bytes_is_fine(sim: BotAPISimulator, user: SimUser) -> None:
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 32}]]}
    assert (await send(sim, chat_id=user.id, text="hi", reply_markup=markup))[0] == 200
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "é" * 32 + "!"}]]}
    assert (await send(sim, chat_id=user.id, text="hi", reply_markup=markup))[0] == 400


async def test_caption_too_long(sim: BotAPISimulator, user: SimUser) -> None:
    status, body = await sim.handle("sendPhoto", {"chat_id": user.id, "photo": "https://x/p.png",
                                                  "caption": "c" * 1025})
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")


@pytest.mark.parametrize(("text", "reason"), [
    ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
    ("x</i>", "Unexpected end tag at byte offset 1"),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("1 < 2", "Unclosed start tag at byte offset 2"),
    ('<span class="red">x</span>', 'Unsupported start tag "span" at byte offset 0'),
])
async def test_malformed_html(sim: BotAPISimulator, user: SimUser, text: str,
                              reason: str) -> None:
    status, description = await send(sim, chat_id=user.id, text=text, parse_mode="HTML")
    assert (status, description) == (400, f"Bad Request: can't parse entities: {reason}")


async def test_blocked_user_is_403_and_unblock_restores(sim: BotAPISimulator,
                                                        user: SimUser) -> None:
    await user.block()
    assert await send(sim, chat_id=user.id, text="hi") == (
        403, "Forbidden: bot was blocked by the user")
    await user.unblock()
    assert (await send(sim, chat_id=user.id, text="hi"))[0] == 200


async def test_user_who_never_started_is_403(sim: BotAPISimulator) -> None:
    stranger = sim.user(1002, started=False)
    assert await send(sim, chat_id=stranger.id, text="hi") == (
        403, "Forbidden: bot can't initiate conversation with a user")
    await stranger.send("/start")
    assert (await send(sim, chat_id=stranger.id, text="hi"))[0] == 200


async def test_edit_errors(sim: BotAPISimulator, user: SimUser) -> None:
    markup = {"inline_keyboard": [[{"text": "1", "callback_data": "rate:1"}]]}
    _, sent = await sim.handle("sendMessage", {"chat_id": user.id, "text": "Q",
                                               "reply_markup": markup})
    message_id = sent["result"]["message_id"]

    async def edit(method: str = "editMessageText", **params: Any) -> tuple[int, str]:
        status, body = await sim.handle(method, {"chat_id": user.id, **params})
        return status, body.get("description", "")

    not_modified = (400, "Bad Request: message is not modified: specified new message content "
                         "and reply markup are exactly the same as a current content and reply "
                         "markup of the message")
    assert await edit(message_id=message_id, text="Q", reply_markup=markup) == not_modified
    assert await edit("editMessageReplyMarkup", message_id=message_id,
                      reply_markup=markup) == not_modified
    assert await edit(message_id=999, text="new") == (
        400, "Bad Request: message to edit not found")
    await user.send("a message from the user")
    user_message_id = user.messages[-1].message_id
    assert await edit(message_id=user_message_id, text="x") == (
        400, "Bad Request: message can't be edited")
    assert (await edit(message_id=message_id, text="Q"))[0] == 200  # dropping markup is a change
    assert user.last_bot_message.buttons == [] and user.last_bot_message.edited
    status, body = await sim.handle("deleteMessage", {"chat_id": user.id,
                                                      "message_id": message_id})
    assert (status, body["result"]) == (200, True)
    assert await edit(message_id=message_id, text="gone") == (
        400, "Bad Request: message to edit not found")
    status, body = await sim.handle("deleteMessage", {"chat_id": user.id,
                                                      "message_id": message_id})
    assert body["description"] == "Bad Request: message to delete not found"


async def test_answer_callback_query_once(sim: BotAPISimulator, user: SimUser) -> None:
    markup = {"inline_keyboard": [[{"text": "1", "callback_data": "rate:1"}]]}
    await sim.handle("sendMessage", {"chat_id": user.id, "text": "Q", "reply_markup": markup})
    update = await user.press("1")
    query_id = update["callback_query"]["id"]
    assert (await sim.handle("answerCallbackQuery", {"callback_query_id": query_id}))[0] == 200
    status, body = await sim.handle("answerCallbackQuery", {"callback_query_id": query_id})
    assert body["description"] == ("Bad Request: query is too old and response timeout expired "
                                   "or query ID is invalid")


async def test_missing_required_parameter(sim: BotAPISimulator, user: SimUser) -> None:
    status, body = await sim.handle("sendChatAction", {"chat_id": user.id})
    assert (status, body["description"]) == (400, "Bad Request: action is empty")


async def test_injected_error_is_used_once(sim: BotAPISimulator, user: SimUser) -> None:
    sim.inject_error("sendMessage", 502, "Bad Gateway")
    assert await send(sim, chat_id=user.id, text="hi") == (502, "Bad Gateway")
    assert (await send(sim, chat_id=user.id, text="hi"))[0] == 200
    assert sim.stats.statuses[502] == 1
    assert [c.ok for c in sim.calls_to("sendMessage")] == [False, True]


async def test_cleared_errors_are_not_returned(sim: BotAPISimulator, user: SimUser) -> None:
    sim.inject_error("sendMessage", 500, "Internal Server Error", times=5)
    assert (await send(sim, chat_id=user.id, text="hi"))[0] == 500
    sim.clear_errors("sendMessage")
    assert (await send(sim, chat_id=user.id, text="hi"))[0] == 200
