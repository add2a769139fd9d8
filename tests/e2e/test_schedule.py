"""Scheduling end to end: restarts, time zones and DST, with an injected clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.models import DeliveryStatus, PromptKind
from tests.e2e.conftest import Harness


def prompts_seen(user) -> list:  # noqa: ANN001
    return [m for m in user.bot_messages if len(m.flat_buttons) == 11 and m.text.startswith(
        ("Seberapa stres Anda hari ini", "How stressed were you today"))]


async def test_restart_mid_day_catches_up_once_and_never_twice(h: Harness) -> None:
    early, late = h.sim.user(5001, "A"), h.sim.user(5002, "B")
    pe = await h.enrol(early, at="12:30")
    pl = await h.enrol(late, at="16:30")
    # 12:30 WIB: the early prompt goes out
    h.clock.set(datetime(2026, 11, 28, 5, 30, tzinfo=UTC))
    await h.tick()
    await early.wait_for_bot(1)
    # the bot is down from 12:31 to 17:00 WIB, then restarts
    await h.restart()
    h.clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))
    await h.tick()
    (caught_up,) = await late.wait_for_bot(1)
    for _ in range(3):
        h.clock.advance(minutes=1)
        await h.tick()
    await h.sim.wait_until_idle()
    assert len(prompts_seen(early)) == 1 and len(prompts_seen(late)) == 1
    late_prompt = h.store.get_prompt(pl.pid, PromptKind.DAILY_RATING, date(2026, 11, 28))
    assert late_prompt.scheduled_at == datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    assert late_prompt.sent_at == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert h.store.get_prompt(pe.pid, PromptKind.DAILY_RATING,
                              date(2026, 11, 28)).delivery is DeliveryStatus.SENT


async def _walk(h: Harness, start: datetime, days: int, step: timedelta) -> None:
    h.clock.set(start)
    end = start + timedelta(days=days)
    while h.clock() < end:
        await h.tick()
        h.clock.advance(seconds=step.total_seconds())


async def test_one_prompt_per_local_day_in_berlin_across_dst_and_in_jayapura(h: Harness) -> None:
    berlin, papua = h.sim.user(5003, "Lena", language_code="en"), h.sim.user(5004, "Yosef")
    await h.enrol(berlin, language="English", zone="WIB", at="07:00")
    await h.enrol(papua, zone="WIT", at="07:00")
    await berlin.send("/settings")
    await berlin.wait_for_bot(1)
    await berlin.press("Time zone")
    await berlin.wait_for_bot(1, edits=True)
    await berlin.send("Europe/Berlin")
    await berlin.wait_for_bot(1)
    await berlin.send("/settings")
    await berlin.wait_for_bot(1)
    await berlin.press("Daily time")
    await berlin.wait_for_bot(1, edits=True)
    await berlin.send("02:30")  # does not exist on 29 March in Berlin
    await berlin.wait_for_bot(1)

    # 25 to 31 March 2027 in 30-minute steps (Berlin switches to CEST on 28 March 2027)
    await _walk(h, datetime(2027, 3, 25, 0, 0, tzinfo=UTC), 6, timedelta(minutes=30))
    await h.sim.wait_until_idle()
    # Jayapura's 07:00 on the 25th had passed when the walk began: it is caught up once
    for user, count in ((berlin, 6), (papua, 7)):
        first = date(2027, 3, 25)
        p = h.participant(user)
        sent = sorted(r.local_date for r in h.store.list_prompts(p.pid)
                      if r.delivery is DeliveryStatus.SENT)
        assert sent == [first + timedelta(days=i) for i in range(count)], sent
        assert len(prompts_seen(user)) == count
    p = h.participant(berlin)
    dst_day = h.store.get_prompt(p.pid, PromptKind.DAILY_RATING, date(2027, 3, 28))
    # 02:30 does not exist that night: the prompt moves forward by the gap, to 03:30 CEST
    assert dst_day.scheduled_at.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 30)
