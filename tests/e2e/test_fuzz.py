"""Fuzzing the real handlers: hypothesis makes Bot API updates (any text, huge and
invisible characters, unknown and forged button data, edited messages, stickers, photos,
voice, contacts, locations, group and channel posts, unknown users, old and reused
message ids) and the simulator hands them to the real Application over HTTP.

Whatever comes, the bot never reaches its error handler, never makes a call the Bot API
refuses (a 400 would be a reply to a chat it may not write to, or a malformed message),
and stores nothing for input nobody was allowed to give: no participant file appears, the
registry stays as it was, and a participant's file is unchanged by button data the bot
never made.

One bot serves every example (starting one per example would cost seconds): it runs in an
event loop of its own thread, and each example waits until the bot is idle again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.chat import callbacks
from bot.chat import questionnaires as chat_questionnaires
from bot.simulator import Limits
from bot.simulator.users import SimUser
from tests.e2e.conftest import Harness, make_harness

T = TypeVar("T")
STRANGERS = (7001, 7002, 7003)
SARI = 1001
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u202e\u202d\u00ad\u180e"
COMMANDS = ("/start", "/start ABCD-EFGH-JKL", "/start " + "x" * 300, "/rate", "/rate 11",
            "/rate -1", "/export", "/export Harapan", "/report", "/questionnaire", "/help",
            "/privacy", "/withdraw", "/settings", "/progress", "/practice", "/pause",
            "/resume", "/cancel", "/participants", "/invite", "/newgroup", "/menu", "/x@JedaBot")
# every button the bot makes has one of these forms (its codecs' patterns)
REAL = tuple(getattr(kind, name) for module in (callbacks, chat_questionnaires)
             for kind in vars(module).values() if isinstance(kind, type)
             for name in ("PATTERN", "DATA") if isinstance(getattr(kind, name, None), re.Pattern))
FORMS = tuple(p for p in REAL if p.pattern != "^qa:")
PREFIXES = ("", "rate:", "qa:", "qs:", "ex:", "run:", "fu:", "scr:", "ack:", "roff:", "pt:",
            "lang:", "tz:", "consent:", "::", "qa:zzzzzz:0:1", "qa:0:99", "rate:p:2026:5")


def well_formed(data: str) -> bool:
    return any(p.match(data) for p in FORMS)


class Bot:
    """The real Application and the simulator, in an event loop of their own."""

    def __init__(self, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.h: Harness = self.run(make_harness(folder, Limits.unlimited(), _morning()))
        self.sari = self.h.sim.user(SARI)
        self.run(self.h.enrol(self.sari))
        self.strangers = [self.h.sim.user(n, f"Orang{n}") for n in STRANGERS]
        for stranger in self.strangers:  # each has a message from the bot to press on
            self.run(stranger.send("halo"))
            self.run(stranger.wait_for_bot(1))

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=60)

    def close(self) -> None:
        async def stop() -> None:
            await self.h.stop()
            await self.h.sim.stop()

        self.run(stop())
        self.h.store.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


def _morning() -> Any:
    from tests.e2e.conftest import MORNING

    return MORNING


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    running = Bot(tmp_path_factory.mktemp("fuzz"))
    yield running
    running.close()


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(INVISIBLE + " \n\t"), min_size=1, max_size=50),
    st.sampled_from(COMMANDS),
    st.tuples(st.sampled_from(COMMANDS), st.text(max_size=40)).map(" ".join),
    st.integers(-3, 5000).map(lambda n: "ä" * n),  # up to past Telegram's 4096 limit
    st.sampled_from(["0", "10", "11", "5,5", "٣", "５", "lima", "<b>x</b>", "&amp;", "\x00"]),
)
forged = st.one_of(
    st.text(max_size=64),
    st.tuples(st.sampled_from(PREFIXES), st.text(max_size=40)).map("".join),
    st.binary(max_size=48).map(lambda b: b.decode("latin-1")),
).filter(lambda d: not well_formed(d))
# the bot's own forms with made-up values: a date long gone, someone else's run, item 99
shaped = st.sampled_from(FORMS).flatmap(lambda p: st.from_regex(p, fullmatch=True)).filter(
    lambda d: len(d.encode()) <= 64)
MEDIA = ("sticker", "photo", "voice", "contact", "location", "document", "video_note", "dice")


def _media(kind: str, message: dict[str, Any]) -> None:
    message.pop("text", None)
    message.pop("entities", None)
    ident = f"{kind}-{message['message_id']}"
    message[kind] = {
        "sticker": {"file_id": ident, "file_unique_id": ident, "type": "regular", "width": 1,
                    "height": 1, "is_animated": False, "is_video": False},
        "photo": [{"file_id": ident, "file_unique_id": ident, "width": 1, "height": 1}],
        "voice": {"file_id": ident, "file_unique_id": ident, "duration": 3},
        "contact": {"phone_number": "+62 812 0000 0000", "first_name": "Budi"},
        "location": {"latitude": -6.2, "longitude": 106.8},
        "document": {"file_id": ident, "file_unique_id": ident, "file_name": "cv.pdf"},
        "video_note": {"file_id": ident, "file_unique_id": ident, "length": 1, "duration": 1},
        "dice": {"emoji": "🎲", "value": 3},
    }[kind]


@st.composite
def updates(draw: st.DrawFn) -> tuple[str, Any]:
    """One update to make: who sends it and how to build it (built against the live chat,
    so button presses are on the bot's real messages)."""
    kind = draw(st.sampled_from(["text", "edit", "media", "group", "channel", "press",
                                 "press_shaped", "press_stranger", "old"]))
    who = draw(st.sampled_from(STRANGERS))
    if kind in ("text", "edit", "group", "old"):
        return kind, (who, draw(texts))
    if kind == "media":
        return kind, (draw(st.sampled_from((SARI, *STRANGERS))), draw(st.sampled_from(MEDIA)))
    if kind == "channel":
        return kind, draw(texts)
    if kind == "press":
        return kind, (who, draw(forged))
    return kind, (who, draw(st.one_of(forged, shaped)))


def _build(bot: Bot, kind: str, args: Any) -> dict[str, Any] | None:
    sim = bot.h.sim
    if kind == "channel":
        return {"channel_post": {"message_id": 1, "date": 1, "text": args or ".",
                                 "chat": {"id": -1001234, "type": "channel", "title": "Info"},
                                 "sender_chat": {"id": -1001234, "type": "channel",
                                                 "title": "Info"}}}
    who, value = args
    user: SimUser = sim.users[who]
    if kind == "media":
        update = user.make_message_update("")
        _media(value, update["message"])
        return update
    if kind in ("press", "press_shaped"):  # Sari, on the bot's newest message to her
        return bot.sari.make_callback_update(value, bot.sari.bot_messages[-1])
    if kind == "press_stranger":  # a stranger, on the bot's newest message to them
        return user.make_callback_update(value, user.bot_messages[-1])
    update = user.make_message_update(value)
    message = update["message"]
    if kind == "edit":
        return {"update_id": update["update_id"], "edited_message": {**message, "edit_date": 2}}
    if kind == "group":
        message["chat"] = {"id": -4242, "type": "group", "title": "Panti"}
    if kind == "old":
        message["date"], message["message_id"] = 1, 1  # out of order: old, a reused id
    return update


def _harmless(method: str, response: dict[str, Any]) -> bool:
    """Taking the buttons off a message that has none (a forged press on a message without
    buttons, or a second tap): the outbox does it on purpose and ignores the answer, as it
    is cheaper than remembering which of the bot's messages still have buttons."""
    return method == "editMessageReplyMarkup" and "message is not modified" in str(
        response.get("description", ""))


def _snapshot(bot: Bot) -> tuple[str, frozenset[str], str]:
    root = bot.h.settings.data_dir
    sari = root / "participants" / f"{bot.h.jeda.pid_for(SARI)}.json"
    digest = hashlib.sha256(sari.read_bytes()).hexdigest()
    return ((root / "registry.json").read_text(encoding="utf-8"),
            frozenset(p.name for p in (root / "participants").glob("*.json")), digest)


# make test: the same 60 examples every run (main stays green for the same code);
# JEDA_FUZZ=2000 make test: that many new ones, for a long hunt
HUNT = int(os.environ.get("JEDA_FUZZ", "0"))


@settings(max_examples=HUNT or 60, derandomize=not HUNT, deadline=None,
          suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(updates(), min_size=1, max_size=6))
def test_no_update_breaks_the_bot_or_stores_what_nobody_may(
        bot: Bot, batch: list[tuple[str, Any]]) -> None:
    errors = Errors()
    logging.getLogger().addHandler(errors)
    sim = bot.h.sim
    before, calls = _snapshot(bot), len(sim.calls)
    try:
        for kind, args in batch:
            update = _build(bot, kind, args)
            if update is not None:
                bot.run(sim.enqueue(update))
        bot.run(sim.wait_until_idle(quiet=0.02, timeout=20))
    finally:
        logging.getLogger().removeHandler(errors)
    assert errors.seen == []
    refused = [(c.method, c.status, c.response.get("description")) for c in sim.calls[calls:]
               if c.status != 200 and not _harmless(c.method, c.response)]
    assert refused == []
    registry, files, sari = _snapshot(bot)
    assert (registry, files) == before[:2]  # nobody new, no group, role or code changed
    if all(kind in ("press", "press_stranger", "channel", "group", "text", "edit", "old") or
           (kind == "media" and args[0] != SARI) for kind, args in batch):
        assert sari == before[2]  # forged buttons and strangers change nothing of hers
