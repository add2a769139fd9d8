"""The real python-telegram-bot Application against the simulator over HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.simulator import BotAPISimulator, Limits

TOKEN = "123:ABC"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with a 0-2 rating keyboard and echo a deep-link payload."""
    assert update.effective_message is not None
    payload = " ".join(context.args or [])
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(str(i), callback_data=f"rate:{i}") for i in range(3)]]
    )
    await update.effective_message.reply_text(f"How stressed? {payload}".strip(),
                                              reply_markup=keyboard)


async def rate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and replace the question with the rating."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer("Saved")
    await query.edit_message_text(f"You rated {query.data.split(':')[1]}")


def build(sim: BotAPISimulator, **limiter: int) -> Application:
    """Build the app the way the project does, pointed at the simulator."""
    builder = (ApplicationBuilder().token(TOKEN).base_url(sim.bot_url)
               .base_file_url(sim.file_url))
    if limiter:
        builder = builder.rate_limiter(AIORateLimiter(**limiter))
    app = builder.build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(rate, pattern=r"^rate:\d$"))
    return app


@pytest.fixture
async def sim() -> AsyncIterator[BotAPISimulator]:
    """Yield a simulator with relaxed per-chat limits, as long flows need."""
    async with BotAPISimulator(limits=Limits(per_chat_burst=20)) as simulator:
        yield simulator


@pytest.fixture
async def polling(sim: BotAPISimulator) -> AsyncIterator[Application]:
    """Yield an app that long-polls the simulator; stop it before the simulator."""
    app = build(sim)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1)
    yield app
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


async def test_start_press_edit_over_long_polling(
    sim: BotAPISimulator, polling: Application
) -> None:
    user = sim.user(1001, "Sari", language_code="id")
    await user.send("/start CODE42")
    [question] = await user.wait_for_bot()
    assert question.text == "How stressed? CODE42"
    assert question.buttons == [["0", "1", "2"]]

    await user.press("2")
    assert await user.wait_for_answer() == "Saved"
    [edited] = await user.wait_for_bot(edits=True)
    assert edited is question and edited.edited
    assert edited.text == "You rated 2"
    assert edited.buttons == []  # editMessageText without reply_markup drops the keyboard
    assert [m.from_bot for m in user.messages] == [False, True]
    assert sim.stats.calls["getMe"] == 1 and sim.stats.calls["deleteWebhook"] == 1


async def test_process_update_without_polling(sim: BotAPISimulator) -> None:
    app = build(sim)
    user = sim.user(1002, "Budi")
    async with app:
        await app.process_update(Update.de_json(user.make_message_update("/start"), app.bot))
        await app.process_update(Update.de_json(
            user.make_callback_update("rate:1", user.last_bot_message), app.bot))
    assert user.last_bot_message.text == "You rated 1"
    assert [c.method for c in sim.calls if c.method != "getMe"] == [
        "sendMessage", "answerCallbackQuery", "editMessageText"]


async def test_blocked_user_raises_forbidden(sim: BotAPISimulator) -> None:
    user = sim.user(1003, "Ayu")
    user.make_message_update("/start")
    await user.block()
    async with build(sim) as app:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await app.bot.send_message(user.id, "Time to rate your stress")
        with pytest.raises(BadRequest, match="Chat not found"):
            await app.bot.send_message(424242, "nobody")


async def test_rate_limiter_retries_after_429(sim: BotAPISimulator) -> None:
    user = sim.user(1004, "Dewi")
    user.make_message_update("/start")
    sim.inject_error("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    async with build(sim, max_retries=2) as app:
        started = time.monotonic()
        await app.bot.send_message(user.id, "delivered anyway")
        elapsed = time.monotonic() - started
    assert [c.status for c in sim.calls_to("sendMessage")] == [429, 200]
    assert user.last_bot_message.text == "delivered anyway"
    assert elapsed >= 1.0


async def test_rate_limiter_retries_after_real_flood_limit() -> None:
    limits = Limits(per_chat_rate=20.0, per_chat_burst=1, retry_after=1)
    async with BotAPISimulator(limits=limits) as sim:
        user = sim.user(1005, "Eka")
        user.make_message_update("/start")
        async with build(sim, max_retries=3) as app:
            for i in range(2):
                await app.bot.send_message(user.id, f"message {i}")
        assert [m.text for m in user.bot_messages] == ["message 0", "message 1"]
        assert sim.stats.rate_limited_per_chat[user.id] >= 1


async def test_in_process_request_without_sockets() -> None:
    from telegram import InputFile

    from bot.simulator.inprocess import InProcessRequest

    sim = BotAPISimulator()  # never started: no port, no HTTP
    user = sim.user(1006, "Fajar")
    app = (ApplicationBuilder().token(TOKEN).request(InProcessRequest(sim))
           .get_updates_request(InProcessRequest(sim)).build())
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.process_update(Update.de_json(user.make_message_update("/start"), app.bot))
        await app.bot.send_document(user.id, InputFile(b"a,b\n", filename="log.csv"),
                                    caption="export")
    assert user.bot_messages[0].buttons == [["0", "1", "2"]]
    assert sim.files[user.last_bot_message.file_id] == ("log.csv", b"a,b\n")
