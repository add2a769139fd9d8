"""The terminal demo as a newcomer uses it: commands, numbered buttons, pop-ups, links."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.demo import DemoSession
from tests.e2e.conftest import shipped_content


class Screen:
    """What the terminal shows, line by line."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def say(self, text: str) -> None:
        self.lines.extend(text.splitlines())

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    async def shows(self, wanted: str, timeout: float = 5.0) -> None:
        for _ in range(int(timeout / 0.05)):
            if wanted in self.text:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"the demo never showed {wanted!r}; it shows:\n{self.text}")


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[tuple[DemoSession, Screen]]:
    screen = Screen()
    settings = Settings(token=None, data_dir=tmp_path)
    session = DemoSession(settings, shipped_content(), tmp_path, screen.say,
                          chat_pacing=(1000.0, 1000))
    async with session:
        yield session, screen


async def enrol(session: DemoSession, screen: Screen) -> None:
    await session.handle(f"/start {session.code}")
    await screen.shows("[1] Bahasa Indonesia")
    await session.handle("#1")
    await screen.shows("Ya, saya bersedia")
    await session.handle("#1")
    await screen.shows("[1] WIB")
    await session.handle("#1")
    await screen.shows("[4] 19:30")
    await session.handle("#4")
    await screen.shows("Semua siap")


async def test_next_after_rating_today_jumps_to_tomorrows_question(demo) -> None:  # noqa: ANN001
    session, screen = demo
    await enrol(session, screen)
    await session.handle("/rate")
    await screen.shows("[11] 10")
    await session.handle("#5")
    await screen.shows("Tercatat")
    before = len(session.user.bot_messages)
    await session.handle(":next")
    await screen.shows("demo clock jumped to")
    await screen.shows("Seberapa stres Anda hari ini?")
    assert len(session.user.bot_messages) > before  # the question really came


async def test_a_button_number_presses_the_last_keyboard_or_says_it_is_out_of_range(
        demo) -> None:  # noqa: ANN001
    session, screen = demo
    await enrol(session, screen)
    await session.handle("/pause")  # four buttons, after a keyboard of eleven from /rate
    await screen.shows("[4] 14 hari")
    await session.handle("#9")
    await screen.shows("the last message with buttons has 4: type #1 to #4")
    await session.handle("#1")
    await screen.shows("menyapa Anda lagi")


async def test_pop_ups_and_the_facilitators_link_are_shown(demo) -> None:  # noqa: ANN001
    session, screen = demo
    await enrol(session, screen)
    await session.handle(":next")  # the daily question: one answer only
    await screen.shows("Seberapa stres Anda hari ini?")
    # the rating's keyboard (on a weekly-check day an invitation may come after it)
    keyboard = next(m for m in reversed(session.user.bot_messages)
                    if "Seberapa stres" in m.text and m.flat_buttons)
    old_button = keyboard.flat_buttons[3]["callback_data"]
    await session.user.press_data(old_button, message_id=keyboard.message_id)
    await screen.shows("[pop-up] Tersimpan")
    # a button pressed again from an old copy of the keyboard (a slow phone, a double tap)
    await session.user.press_data(old_button, message_id=keyboard.message_id)
    await screen.shows("[pop-up] Pertanyaan ini sudah Anda jawab")
    await session.handle("aku pengen bunuh diri")
    await screen.shows("[to the facilitator]")
    await screen.shows("(link: ")
    await screen.shows("-> tg://user?id=")
