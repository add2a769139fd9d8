"""Simulated users: what they send, what they see, and waiting for the bot without sleeping."""

from __future__ import annotations

from typing import Any

import pytest

from bot.simulator import BotAPISimulator, ChatEvent, Limits, SimUser

KEYBOARD = {"inline_keyboard": [
    [{"text": str(i), "callback_data": f"rate:{i}"} for i in range(3)],
    [{"text": "Help", "url": "https://example.org"}, {"text": "Later", "callback_data": "later"}],
]}


@pytest.fixture
async def sim() -> Any:
    """Yield an unlimited simulator."""
    async with BotAPISimulator(limits=Limits.unlimited()) as simulator:
        yield simulator


async def bot_says(sim: BotAPISimulator, user: SimUser, text: str,
                   markup: dict[str, Any] | None = None) -> int:
    """Send a bot message in process and return its message_id."""
    params: dict[str, Any] = {"chat_id": user.id, "text": text}
    if markup:
        params["reply_markup"] = markup
    status, body = await sim.handle("sendMessage", params)
    assert status == 200, body
    return int(body["result"]["message_id"])


async def test_send_queues_a_command_update(sim: BotAPISimulator) -> None:
    user = sim.user(1001, "Sari", username="sari", language_code="id")
    update = await user.send("/start CODE")
    message = update["message"]
    assert message["from"] == {"id": 1001, "is_bot": False, "first_name": "Sari",
                               "username": "sari", "language_code": "id"}
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert sim.pending_updates == [update]
    assert sim.user(1001) is user


async def test_press_by_label_index_and_message(sim: BotAPISimulator) -> None:
    user = sim.user(1001)
    older = await bot_says(sim, user, "old question", KEYBOARD)
    await bot_says(sim, user, "new question", KEYBOARD)
    await bot_says(sim, user, "no buttons here")

    by_label = await user.press("2")
    assert by_label["callback_query"]["data"] == "rate:2"
    assert by_label["callback_query"]["message"]["text"] == "new question"
    by_index = await user.press(index=5)
    assert by_index["callback_query"]["data"] == "later"
    on_older = await user.press("0", message_id=older)
    assert on_older["callback_query"]["message"]["message_id"] == older

    with pytest.raises(AssertionError, match="no button '7'"):
        await user.press("7")
    with pytest.raises(AssertionError, match="no callback_data"):
        await user.press("Help")
    forged = await user.press_data("rate:99", message_id=older)
    assert forged["callback_query"]["data"] == "rate:99"


async def test_messages_track_edits_and_deletions(sim: BotAPISimulator) -> None:
    user = sim.user(1001)
    await user.send("hi")
    message_id = await bot_says(sim, user, "Q", KEYBOARD)
    await sim.handle("editMessageReplyMarkup", {"chat_id": user.id, "message_id": message_id})
    assert user.last_bot_message.buttons == [] and user.last_bot_message.edited
    await sim.handle("deleteMessage", {"chat_id": user.id, "message_id": message_id})
    assert [(m.from_bot, m.text, m.deleted) for m in user.messages] == [
        (False, "hi", False), (True, "Q", True)]
    assert user.bot_messages == []


async def test_wait_for_bot_counts_from_the_last_action(sim: BotAPISimulator) -> None:
    user = sim.user(1001)
    await bot_says(sim, user, "before")
    await user.send("/rate")
    await bot_says(sim, user, "first")
    await bot_says(sim, user, "second")
    assert [m.text for m in await user.wait_for_bot()] == ["first"]
    assert [m.text for m in await user.wait_for_bot()] == ["second"]
    with pytest.raises(AssertionError, match="timed out after 0.05s"):
        await user.wait_for_bot(timeout=0.05)


async def test_wait_for_bot_wakes_on_a_later_reply(sim: BotAPISimulator) -> None:
    user = sim.user(1001)
    await user.send("/start")
    waiting = sim.wait_for_call("sendMessage")
    reply = user.wait_for_bot(n=2, edits=True)
    message_id = await bot_says(sim, user, "Q", KEYBOARD)
    await sim.handle("editMessageText", {"chat_id": user.id, "message_id": message_id,
                                         "text": "A"})
    sent, edited = await reply
    assert sent is edited and edited.text == "A"
    assert (await waiting).params["text"] == "Q"


async def test_block_and_unblock_queue_my_chat_member(sim: BotAPISimulator) -> None:
    user = sim.user(1001)
    blocked = await user.block()
    assert blocked is not None
    change = blocked["my_chat_member"]
    assert (change["old_chat_member"]["status"], change["new_chat_member"]["status"]) == (
        "member", "kicked")
    assert await user.block() is None  # already blocked: nothing new happens
    await user.send("/start")  # Telegram's Restart button unblocks first
    kinds = [next(k for k in u if k != "update_id") for u in sim.pending_updates]
    assert kinds == ["my_chat_member", "my_chat_member", "message"]
    assert [u["update_id"] for u in sim.pending_updates] == [1, 2, 3]
    assert not user.blocked


async def test_answers_and_listeners(sim: BotAPISimulator) -> None:
    user = sim.user(1001)
    events: list[ChatEvent] = []
    remove = sim.add_listener(events.append)
    await bot_says(sim, user, "Q", KEYBOARD)
    update = await user.press("1")
    await sim.handle("answerCallbackQuery", {"callback_query_id": update["callback_query"]["id"],
                                             "text": "This button has expired"})
    assert await user.wait_for_answer() == "This button has expired"
    remove()
    await bot_says(sim, user, "after")
    assert [e.kind for e in events] == ["sent", "answer"]


async def test_menus_resolve_by_scope_and_language(sim: BotAPISimulator) -> None:
    sari, budi = sim.user(1001, language_code="id"), sim.user(1002, language_code="en")
    commands = [{"command": "start", "description": "Mulai"}]
    await sim.handle("setMyCommands", {"commands": commands})
    await sim.handle("setMyCommands", {"commands": [{"command": "rate", "description": "Nilai"}],
                                       "language_code": "id"})
    await sim.handle("setMyCommands", {"commands": [{"command": "summary", "description": "S"}],
                                       "scope": {"type": "chat", "chat_id": 1002}})
    assert sari.menu() == ["rate"] and budi.menu() == ["summary"]
    status, body = await sim.handle("getMyCommands", {})
    assert body["result"] == commands
    status, body = await sim.handle("setMyCommands", {"commands": [{"command": "Bad!",
                                                                    "description": "x"}]})
    assert (status, body["description"]) == (400, "Bad Request: BOT_COMMAND_INVALID")
    await sim.handle("deleteMyCommands", {"language_code": "id"})
    assert sari.menu() == ["start"]


async def test_reply_keyboard_is_remembered(sim: BotAPISimulator) -> None:
    user = sim.user(1001)
    await sim.handle("sendMessage", {"chat_id": user.id, "text": "Pick",
                                     "reply_markup": {"keyboard": [["Yes", {"text": "No"}]]}})
    assert user.reply_keyboard == [["Yes", "No"]]
    assert user.last_bot_message.buttons == []  # reply keyboards are not echoed in Message
    await sim.handle("sendMessage", {"chat_id": user.id, "text": "Ok",
                                     "reply_markup": {"remove_keyboard": True}})
    assert user.reply_keyboard is None


async def test_get_chat_is_a_valid_chat_full_info(sim: BotAPISimulator) -> None:
    from telegram import Bot, ChatFullInfo

    sim.user(1001, "Sari", username="sari")
    status, body = await sim.handle("getChat", {"chat_id": 1001})
    info = ChatFullInfo.de_json(body["result"], Bot("123:ABC"))
    assert (info.id, info.type, info.username) == (1001, "private", "sari")


async def test_wait_until_idle_after_polling_confirmed(sim: BotAPISimulator) -> None:
    user = sim.user(1001)
    update = await user.send("hi")
    await sim.handle("getUpdates", {})
    with pytest.raises(AssertionError, match="idle"):
        await sim.wait_until_idle(timeout=0.05)  # fetched but not yet confirmed
    await sim.handle("getUpdates", {"offset": update["update_id"] + 1})
    await sim.wait_until_idle(quiet=0.01)
