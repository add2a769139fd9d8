"""Fixtures for simulator tests: a running simulator, a manual clock and an HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.simulator import BotAPISimulator, Limits

TOKEN = "123:ABC"


class ManualClock:
    """A monotonic clock that only moves when a test advances it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


@pytest.fixture
def clock() -> ManualClock:
    """Return a manual clock for deterministic flood-limit tests."""
    return ManualClock()


@pytest.fixture
async def sim(clock: ManualClock) -> AsyncIterator[BotAPISimulator]:
    """Yield a started simulator with Telegram's default limits on a manual clock."""
    async with BotAPISimulator(limits=Limits(), clock=clock) as simulator:
        yield simulator


@pytest.fixture
async def http(sim: BotAPISimulator) -> AsyncIterator[aiohttp.ClientSession]:
    """Yield an HTTP client whose relative URLs are Bot API methods of the simulator."""
    async with aiohttp.ClientSession(f"{sim.url}/bot{TOKEN}/") as session:
        yield session
