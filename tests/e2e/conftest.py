"""End-to-end harness: the real Application, long-polling the simulator over HTTP.

The bot's clock is injected (``FakeClock``); scheduled work is run by calling the
reconcile tick directly, so no test ever waits for wall-clock time to pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.chat import jobs
from bot.chat.app import build_application, serve
from bot.chat.context import CustomContext, JedaApp
from bot.config import Settings
from bot.content import Content, default_content_dir, load_content
from bot.core.models import Participant
from bot.services import Jeda
from bot.services.base import Base
from bot.services.groups import Groups
from bot.simulator import BotAPISimulator, Limits
from bot.simulator.users import SimUser
from storage.aio import AsyncStore
from storage.tinydb_store import TinyDBStore

TOKEN = "123456:TEST-token-for-the-simulator-000"
FACILITATOR_ID = 500
ADMIN_ID = 900
GROUP = "Harapan"


class FakeClock:
    """A clock that moves only when the test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def set(self, when: datetime) -> None:
        self.now = when


@functools.cache
def shipped_content() -> Content:
    return load_content(default_content_dir())


@dataclass
class Harness:
    sim: BotAPISimulator
    store: TinyDBStore
    clock: FakeClock
    settings: Settings
    chat_pacing: tuple[float, int] = (1000.0, 1000)
    schedule_jobs: bool = False  # True: PTB's JobQueue runs the real jobs too
    overall_rate: int = 29  # messages a second, all chats (the programme test raises it)
    content: Content = field(default_factory=shipped_content)
    app: JedaApp = field(init=False)
    _stop: asyncio.Event = field(init=False)
    _task: asyncio.Task[None] | None = field(init=False, default=None)

    async def start(self) -> None:
        """Build the real app and start long polling."""
        self.app = build_application(self.settings, self.content, AsyncStore(self.store),
                                     self.clock, schedule_jobs=self.schedule_jobs,
                                     chat_pacing=self.chat_pacing,
                                     overall_rate=self.overall_rate)
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(serve(self.app, self._stop, poll_timeout=1))
        await self.sim.wait_for(lambda: self.sim.open_polls > 0, 10, "the bot to start polling")

    async def stop(self) -> None:
        if self._task is not None:
            self._stop.set()
            await self._task
            self._task = None

    async def restart(self) -> None:
        """Stop the bot and start a fresh Application on the same data (a process restart)."""
        await self.stop()
        self.store.close()
        self.store = TinyDBStore(self.settings.data_dir)
        await self.start()

    @property
    def context(self) -> CustomContext:
        return CustomContext(self.app)

    async def tick(self) -> jobs.TickReport:
        """Run one reconcile tick at the fake clock's time."""
        return await jobs.reconcile(self.context)

    @property
    def jeda(self) -> Jeda:
        return self.app.bot_data["jeda"]  # type: ignore[no-any-return]

    async def invite(self, group: str = GROUP, count: int = 1, days: int = 14) -> list[str]:
        """New codes, made as the CLI makes them (through the groups service)."""
        return (await self.jeda.groups.invite(group, count, days))[1]

    def participant(self, user: SimUser) -> Participant | None:
        return self.store.get_participant(self.jeda.pid_for(user.id))

    async def enrol(self, user: SimUser, *, language: str = "Bahasa Indonesia",
                    zone: str = "WIB", at: str = "19:30", code: str | None = None
                    ) -> Participant:
        """Walk a user through the whole enrolment with buttons (with a new code by default)."""
        code = code or (await self.invite())[0]
        await user.send(f"/start {code}")
        await user.wait_for_bot(2)
        await user.press(language)
        await user.wait_for_bot(1, edits=True)
        await user.press(index=1)  # agree
        await user.wait_for_bot(2, edits=True)
        await user.press(zone)
        await user.wait_for_bot(2)
        await user.press(at)
        await user.wait_for_bot(3)  # the welcome, when practice comes, may we tell
        participant = self.participant(user)
        assert participant is not None
        return participant


async def make_harness(tmp_path: Path, limits: Limits, now: datetime,
                       chat_pacing: tuple[float, int] = (1000.0, 1000),
                       clock: FakeClock | None = None, content: Content | None = None
                       ) -> Harness:
    """A running bot against a fresh simulator; ``clock`` (a benchmark's) instead of a
    FakeClock at ``now``."""
    sim = BotAPISimulator(limits=limits)
    await sim.start()
    data = tmp_path / "data"
    store = TinyDBStore(data)
    clock = clock or FakeClock(now)
    settings = Settings(token=TOKEN, api_url=sim.url, data_dir=data,
                        admin_ids=frozenset({ADMIN_ID}))
    groups = Groups(Base(AsyncStore(store), store.secret_key(), clock))  # as the CLI does
    await groups.create(
        GROUP, "Asia/Jakarta", pre=date(2026, 11, 20),
        sessions=[date(2026, 11, 27), date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18)],
        post=date(2026, 12, 25), facilitator_ids=[FACILITATOR_ID])
    harness = Harness(sim, store, clock, settings, chat_pacing,
                      content=content or shipped_content())
    await harness.start()
    return harness


# 09:00 in Jakarta on Saturday 28 November 2026
MORNING = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


@contextlib.asynccontextmanager
async def running(tmp_path: Path, limits: Limits, now: datetime = MORNING,
                  content: Content | None = None) -> AsyncIterator[Harness]:
    """A harness for the length of a ``with``: stopped and closed however it ends."""
    harness = await make_harness(tmp_path, limits, now, content=content)
    try:
        yield harness
    finally:
        await harness.stop()
        await harness.sim.stop()
        harness.store.close()


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    """A running bot with a group "Harapan" (WIB) whose facilitator is user 500."""
    async with running(tmp_path, Limits(per_chat_burst=50)) as harness:
        yield harness
