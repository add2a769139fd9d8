"""A protocol simulator: step an injected clock through days and apply the core's decisions
the way bot/jobs.py does, then check the guarantees (one prompt per local day, DST, quiet
hours, pause, catch-up, retries, at most once)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core import schedule
from bot.core.models import DeliveryStatus, ParticipantStatus, Prompt
from bot.core.schedule import ScheduleConfig
from tests.core.sim import START, World, person

PEOPLE = [
    person("PJKT0000000", "Asia/Jakarta", time(19, 30)),
    person("PMKS0000000", "Asia/Makassar", time(7, 0)),
    person("PJAY0000000", "Asia/Jayapura", time(21, 0)),
    person("PBERGAP0000", "Europe/Berlin", time(2, 30)),
    person("PBER0900000", "Europe/Berlin", time(9, 0)),
    person("PKTM0000000", "Asia/Kathmandu", time(6, 15)),
    person("PLHI0000000", "Australia/Lord_Howe", time(20, 0)),
]


@pytest.mark.parametrize("start", [datetime(2026, 3, 26, tzinfo=UTC),
                                   datetime(2026, 10, 22, tzinfo=UTC)], ids=["spring", "autumn"])
def test_exactly_one_prompt_per_local_day_across_dst(start: datetime) -> None:
    people = [replace(p, active_since=start, quiet_start=None, quiet_end=None) for p in PEOPLE]
    world = World(people)
    world.run(start, 7, timedelta(minutes=5))
    for p in people:
        days = [d for pid, d, _ in world.sent if pid == p.pid]
        assert len(days) == len(set(days)), p.pid
        assert len(days) >= 6, (p.pid, days)
        for pid, day, at in world.sent:
            if pid == p.pid:
                local = at.astimezone(ZoneInfo(p.timezone))
                assert local.date() == day
    # each unanswered prompt expired exactly once, at the next local midnight
    for pid, day, at in world.expired:
        zone = ZoneInfo(world.people[pid].timezone)
        assert at.astimezone(zone).date() == day + timedelta(days=1)
        assert at.astimezone(zone).time() < time(0, 5)
    assert len(world.expired) == len(set((pid, d) for pid, d, _ in world.expired))


def test_gap_and_fold_times() -> None:
    gap = schedule.local_instant("Europe/Berlin", date(2026, 3, 29), time(2, 30))
    assert gap.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 30)
    fold = schedule.local_instant("Europe/Berlin", date(2026, 10, 25), time(2, 30))
    assert fold == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 (CEST)


def test_one_reminder_never_in_quiet_hours() -> None:
    p = person("PREM0000000", "Asia/Jakarta", time(19, 30))
    late = person("PLATE000000", "Asia/Jakarta", time(21, 0))  # reminder would be 23:00
    world = World([p, late], answer_rate=0.0)
    world.run(START, 3, timedelta(minutes=5))
    assert len([r for r in world.reminders if r[0] == p.pid]) == 3
    assert [r for r in world.reminders if r[0] == late.pid] == []
    for _, _, at in world.reminders:
        local = at.astimezone(ZoneInfo("Asia/Jakarta")).time()
        assert time(6, 0) <= local < time(22, 0)
    assert len(world.reminders) == len({(pid, d) for pid, d, _ in world.reminders})


def test_nothing_before_activation_and_nothing_for_the_inactive() -> None:
    active_since = datetime(2026, 3, 26, 14, 0, tzinfo=UTC)  # 21:00 in Jakarta
    fresh = person("PNEW0000000", "Asia/Jakarta", time(19, 30), active_since=active_since)
    others = [
        person(f"P{status.value[:6].upper():0<10}", "Asia/Jakarta", time(19, 30), status=status)
        for status in (ParticipantStatus.WITHDRAWN, ParticipantStatus.UNREACHABLE,
                       ParticipantStatus.ONBOARDING, ParticipantStatus.DECLINED)
    ]
    world = World([fresh, *others])
    world.run(START, 2, timedelta(minutes=10))
    assert [d for pid, d, _ in world.sent] == [date(2026, 3, 27)]


def test_pause_until_a_date_then_prompts_again() -> None:
    p = person("PPAUSE00000", "Asia/Makassar", time(8, 0), status=ParticipantStatus.PAUSED,
               paused_until=date(2026, 3, 27))
    world = World([p])
    world.run(START, 4, timedelta(minutes=10))
    assert sorted({d for _, d, _ in world.sent}) == [date(2026, 3, 28), date(2026, 3, 29)]
    indefinitely = replace(p, paused_until=None)
    assert schedule.next_prompt_at(indefinitely, START) is None


def test_catch_up_after_an_outage_once_but_not_in_quiet_hours() -> None:
    early = person("PEARLY00000", "Asia/Jakarta", time(16, 0), quiet_start=time(22, 0))
    late = person("PLATEQ00000", "Asia/Jakarta", time(19, 30), quiet_start=time(20, 0))
    world = World([early, late], answer_rate=1.0)
    # down from 15:00 to 20:30 Jakarta time on the first day
    outage = (datetime(2026, 3, 26, 8, 0, tzinfo=UTC), datetime(2026, 3, 26, 13, 30, tzinfo=UTC))
    world.run(START, 1, timedelta(minutes=5), skip=outage)
    sent = {pid: at for pid, _, at in world.sent}
    assert sent[early.pid] == outage[1]  # caught up as soon as the bot was back
    assert late.pid not in sent  # 20:30 is inside its quiet hours (from 20:00): not sent late


def test_failed_sends_retry_with_backoff_then_stop() -> None:
    p = person("PFAIL000000", "Asia/Jakarta", time(10, 0))
    day = date(2026, 3, 26)
    world = World([p], fail={(p.pid, day)})
    world.run(START, 1, timedelta(minutes=1))
    record = world.prompts[(p.pid, day)]
    assert record.delivery is DeliveryStatus.FAILED
    assert record.attempts == ScheduleConfig().max_attempts
    world.fail.clear()
    world.run(START + timedelta(days=1), 1, timedelta(minutes=1))
    assert [d for _, d, _ in world.sent] == [date(2026, 3, 27)]


def test_a_pending_prompt_is_never_sent_again() -> None:
    p = person("PPEND000000", "Asia/Jakarta", time(10, 0))
    day = date(2026, 3, 26)
    scheduled = schedule.local_instant(p.timezone, day, p.prompt_time)
    pending = Prompt(p.pid, schedule.PromptKind.DAILY_RATING, day, scheduled, "v",
                     delivery=DeliveryStatus.PENDING, attempts=1, last_attempt_at=scheduled)
    world = World([p])
    world.prompts[(p.pid, day)] = pending
    world.run(scheduled, 0.5, timedelta(minutes=1))
    assert world.sent == []
    assert world.prompts[(p.pid, day)].delivery is DeliveryStatus.FAILED


def test_skipped_prompt_is_left_alone() -> None:
    p = person("PSKIP000000", "Asia/Jakarta", time(10, 0))
    day = date(2026, 3, 26)
    skipped = Prompt(p.pid, schedule.PromptKind.DAILY_RATING, day, START, "v",
                     delivery=DeliveryStatus.SKIPPED, answered_at=START)
    world = World([p])
    world.prompts[(p.pid, day)] = skipped
    world.run(START, 1, timedelta(minutes=10))
    assert world.prompts[(p.pid, day)] == skipped and world.sent == []


def test_expiry_grace_extends_the_window() -> None:
    p = person("PGRACE00000", "Asia/Jakarta", time(19, 30))
    world = World([p], answer_rate=0.0)
    config = ScheduleConfig(expiry_grace=timedelta(hours=3))
    now = START
    while now < START + timedelta(days=1, hours=6):
        world.tick(now, config)
        now += timedelta(minutes=5)
    (expired,) = world.expired
    assert expired[2].astimezone(ZoneInfo("Asia/Jakarta")).time() == time(3, 0)


def test_deciding_for_ten_thousand_participants_is_fast() -> None:
    import time as wall

    people = [person(f"P{i:010d}", "Asia/Jakarta", time(19, 30)) for i in range(10_000)]
    started = wall.perf_counter()
    actions = schedule.due_actions(people, lambda pid: (), datetime(2026, 3, 26, 12, 30,
                                                                     tzinfo=UTC), "v")
    assert len(actions) == 10_000
    assert wall.perf_counter() - started < 2.0  # coarse guard; the figure is in BENCHMARKS.md
