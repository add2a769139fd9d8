"""Modules open exactly on their session dates, in the group's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.content import Content, default_content_dir, load_content
from bot.core.models import Group, Participant
from bot.services.base import Base
from bot.services.practice import Practice
from storage.memory import MemoryStore
from tests.services.sim import LOOP, InlineStore

SESSIONS = (date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22), date(2026, 12, 29))


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(default_content_dir())


@pytest.mark.parametrize("zone, offset", [("Asia/Jakarta", 7), ("Asia/Makassar", 8),
                                           ("Asia/Jayapura", 9)])
def test_a_module_opens_at_local_midnight_of_its_session_date(
        content: Content, zone: str, offset: int) -> None:
    store = MemoryStore()
    store.add_group(Group("G", zone, datetime(2026, 12, 1, tzinfo=UTC),
                          pre_date=date(2026, 12, 1), session_dates=SESSIONS))
    person = Participant("P1", 1, 1, "G", datetime(2026, 12, 1, tzinfo=UTC), timezone=zone)
    midnight = datetime(2026, 12, 15, tzinfo=UTC) - timedelta(hours=offset)  # local 00:00
    now = [midnight - timedelta(minutes=1)]
    service = Practice(Base(InlineStore(store), b"s" * 32, lambda: now[0]), content)

    def opened() -> tuple[list[str], date | None]:
        got = LOOP.run_until_complete(service.opening(person))
        return [m.id for m in got.modules], got.next_session

    assert opened() == (["relaxation"], date(2026, 12, 15))  # 23:59 on the 14th, local
    now[0] = midnight
    assert opened() == (["assertiveness", "relaxation"], date(2026, 12, 22))
    now[0] = datetime(2027, 1, 5, tzinfo=UTC)
    assert opened()[0] == ["anxious-thoughts", "priorities", "assertiveness", "relaxation"]
    assert opened()[1] is None
