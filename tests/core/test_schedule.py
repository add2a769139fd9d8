"""core.schedule rule by rule, then the protocol simulator over days, zones and outages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core import schedule
from bot.core.models import (
    Consent,
    DeliveryStatus,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
)
from bot.core.schedule import ActionKind, ScheduleConfig

START = datetime(2026, 3, 26, 0, 0, tzinfo=UTC)
JKT = "Asia/Jakarta"
DAY = date(2026, 3, 26)


def person(pid: str, zone: str, at: time, **kw: object) -> Participant:
    """An enrolled, active participant (keywords override any field)."""
    base = Participant(
        pid=pid, telegram_id=1, chat_id=1, group="G", created_at=START, timezone=zone,
        prompt_time=at, status=ParticipantStatus.ACTIVE, onboarding_step=OnboardingStep.DONE,
        consent=Consent(True, START, "v"), active_since=START,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


DEFAULT = ScheduleConfig()


def decide(p: Participant, records: list[Prompt], now: datetime,
           config: ScheduleConfig = DEFAULT) -> list[tuple[ActionKind, date]]:
    actions = schedule.due_actions([p], lambda pid: records, now, "v2", config)
    return [(a.kind, a.local_date) for a in actions]


def record(p: Participant, day: date = DAY, **kw: object) -> Prompt:
    base = Prompt(p.pid, PromptKind.DAILY_RATING, day, schedule.scheduled_at(p, day), "v")
    return replace(base, **kw)  # type: ignore[arg-type]


# --- time arithmetic --------------------------------------------------------------------

@pytest.mark.parametrize("zone, day, at, expected_utc, expected_local", [
    (JKT, DAY, time(19, 30), utc(2026, 3, 26, 12, 30), time(19, 30)),
    ("Asia/Makassar", DAY, time(19, 30), utc(2026, 3, 26, 11, 30), time(19, 30)),
    ("Asia/Jayapura", DAY, time(7, 0), utc(2026, 3, 25, 22, 0), time(7, 0)),
    ("Asia/Kathmandu", DAY, time(6, 15), utc(2026, 3, 26, 0, 30), time(6, 15)),
    # Berlin spring forward: 02:30 does not exist and moves on by the gap
    ("Europe/Berlin", date(2026, 3, 28), time(9, 0), utc(2026, 3, 28, 8, 0), time(9, 0)),
    ("Europe/Berlin", date(2026, 3, 29), time(9, 0), utc(2026, 3, 29, 7, 0), time(9, 0)),
    ("Europe/Berlin", date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 30), time(3, 30)),
    # Berlin fall back: 02:30 happens twice; the first (summer time) one is used
    ("Europe/Berlin", date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30), time(2, 30)),
    ("Europe/Berlin", date(2026, 10, 25), time(9, 0), utc(2026, 10, 25, 8, 0), time(9, 0)),
    ("America/St_Johns", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 6, 0), time(3, 30)),
    ("America/St_Johns", date(2026, 3, 7), time(9, 0), utc(2026, 3, 7, 12, 30), time(9, 0)),
    # Lord Howe shifts by half an hour
    ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 15), utc(2026, 10, 3, 15, 45),
     time(2, 45)),
    ("Australia/Lord_Howe", date(2026, 4, 5), time(1, 45), utc(2026, 4, 4, 14, 45),
     time(1, 45)),
])
def test_local_instant(zone: str, day: date, at: time, expected_utc: datetime,
                       expected_local: time) -> None:
    got = schedule.local_instant(zone, day, at)
    assert got == expected_utc and got.tzinfo is UTC
    assert got.astimezone(ZoneInfo(zone)).time() == expected_local


@pytest.mark.parametrize("zone, day, grace, expected", [
    (JKT, DAY, timedelta(0), utc(2026, 3, 26, 17, 0)),
    (JKT, DAY, timedelta(hours=3), utc(2026, 3, 26, 20, 0)),
    ("Europe/Berlin", date(2026, 3, 28), timedelta(0), utc(2026, 3, 28, 23, 0)),
    ("Europe/Berlin", date(2026, 3, 29), timedelta(0), utc(2026, 3, 29, 22, 0)),
    ("Europe/Berlin", date(2026, 10, 25), timedelta(0), utc(2026, 10, 25, 23, 0)),
    ("Asia/Jayapura", DAY, timedelta(0), utc(2026, 3, 26, 15, 0)),
])
def test_prompt_deadline_is_next_local_midnight_plus_grace(
        zone: str, day: date, grace: timedelta, expected: datetime) -> None:
    assert schedule.prompt_deadline(zone, day, ScheduleConfig(expiry_grace=grace)) == expected


@pytest.mark.parametrize("now, zone, expected", [
    (utc(2026, 3, 26, 16, 59), JKT, date(2026, 3, 26)),
    (utc(2026, 3, 26, 17, 0), JKT, date(2026, 3, 27)),
    (utc(2026, 3, 26, 15, 0), "Asia/Jayapura", date(2026, 3, 27)),
    (utc(2026, 3, 26, 2, 0), "America/St_Johns", date(2026, 3, 25)),
])
def test_local_today(now: datetime, zone: str, expected: date) -> None:
    assert schedule.local_today(person("P", zone, time(9)), now) == expected


@pytest.mark.parametrize("start, end, local, quiet", [
    (time(22), time(6), time(21, 59), False), (time(22), time(6), time(22), True),
    (time(22), time(6), time(0, 0), True), (time(22), time(6), time(5, 59), True),
    (time(22), time(6), time(6), False), (time(13), time(15), time(14), True),
    (time(13), time(15), time(15), False), (time(13), time(15), time(12, 59), False),
    (None, time(6), time(23), False), (time(22), None, time(23), False),
    (time(22), time(22), time(22), False),
])
def test_is_quiet_wraps_midnight(start: time | None, end: time | None, local: time,
                                 quiet: bool) -> None:
    p = person("P", JKT, time(9), quiet_start=start, quiet_end=end)
    now = datetime.combine(DAY, local, tzinfo=ZoneInfo(JKT))
    assert schedule.is_quiet(p, now) is quiet


@pytest.mark.parametrize("changes, day, active", [
    ({}, DAY, True),
    ({"status": ParticipantStatus.PAUSED, "paused_until": DAY}, DAY, False),
    ({"status": ParticipantStatus.PAUSED, "paused_until": DAY}, DAY + timedelta(1), True),
    ({"status": ParticipantStatus.PAUSED, "paused_until": None}, date(2030, 1, 1), False),
    ({"status": ParticipantStatus.WITHDRAWN}, DAY, False),
    ({"status": ParticipantStatus.UNREACHABLE}, DAY, False),
    ({"status": ParticipantStatus.DECLINED}, DAY, False),
    ({"onboarding_step": OnboardingStep.PROMPT_TIME}, DAY, False),
    ({"consent": None}, DAY, False),
    ({"consent": Consent(False, START, "v")}, DAY, False),
])
def test_is_active_on(changes: dict[str, object], day: date, active: bool) -> None:
    p = replace(person("P", JKT, time(9)), **changes)  # type: ignore[arg-type]
    assert schedule.is_active_on(p, day) is active


@pytest.mark.parametrize("changes, now, expected", [
    # enrolled at 21:00 with a 19:30 time: tomorrow
    ({"active_since": utc(2026, 3, 26, 14, 0)}, utc(2026, 3, 26, 14, 0),
     utc(2026, 3, 27, 12, 30)),
    ({}, utc(2026, 3, 26, 12, 0), utc(2026, 3, 26, 12, 30)),
    ({}, utc(2026, 3, 26, 12, 30), utc(2026, 3, 26, 12, 30)),
    ({"status": ParticipantStatus.PAUSED, "paused_until": date(2026, 3, 30)},
     utc(2026, 3, 26, 12, 0), utc(2026, 3, 31, 12, 30)),
    ({"status": ParticipantStatus.PAUSED, "paused_until": None}, utc(2026, 3, 26), None),
    ({"status": ParticipantStatus.WITHDRAWN}, utc(2026, 3, 26), None),
    ({"timezone": "Europe/Berlin", "prompt_time": time(2, 30)}, utc(2026, 3, 28, 12, 0),
     utc(2026, 3, 29, 1, 30)),
])
def test_next_prompt_at(changes: dict[str, object], now: datetime,
                        expected: datetime | None) -> None:
    p = replace(person("P", JKT, time(19, 30)), **changes)  # type: ignore[arg-type]
    assert schedule.next_prompt_at(p, now) == expected


def test_next_prompt_at_skips_a_day_already_settled() -> None:
    p = person("P", JKT, time(19, 30))
    morning = utc(2026, 3, 26, 2, 0)  # 09:00: today's prompt time is still to come
    assert schedule.next_prompt_at(p, morning) == utc(2026, 3, 26, 12, 30)
    # after /rate in the morning today's prompt is settled: the next one is tomorrow's
    assert schedule.next_prompt_at(p, morning, {DAY}) == utc(2026, 3, 27, 12, 30)


# --- the decision, rule by rule ----------------------------------------------------------

P = person("PRULE000000", JKT, time(19, 30), quiet_start=time(22), quiet_end=time(6))
AT = utc(2026, 3, 26, 12, 30)  # 19:30 in Jakarta
SEND = [(ActionKind.SEND_PROMPT, DAY)]


@pytest.mark.parametrize("now, expected", [
    (AT - timedelta(seconds=1), []),
    (AT, SEND),
    (AT + timedelta(hours=2), SEND),  # catch-up, 21:30, not quiet yet
    (AT + timedelta(hours=2, minutes=30), []),  # 22:00: a late send waits...
    (utc(2026, 3, 26, 16, 59), []),  # ...and 23:59 is still quiet
    (utc(2026, 3, 26, 17, 0), []),  # 00:00: the next day's time has not come yet
])
def test_send_prompt_window(now: datetime, expected: list[tuple[ActionKind, date]]) -> None:
    assert decide(P, [], now) == expected


def test_send_prompt_builds_a_new_pending_record() -> None:
    (action,) = schedule.due_actions([P], lambda pid: [], AT + timedelta(minutes=1), "v2")
    assert action.prompt == Prompt(P.pid, PromptKind.DAILY_RATING, DAY, AT, "v2")
    assert action.prompt.delivery is DeliveryStatus.PENDING and action.pid == P.pid


def test_own_time_inside_quiet_hours_is_kept_but_a_late_one_is_not() -> None:
    night = replace(P, prompt_time=time(22, 30))
    at = utc(2026, 3, 26, 15, 30)
    assert decide(night, [], at + timedelta(minutes=15)) == SEND
    assert decide(night, [], at + timedelta(minutes=16)) == []


def test_catch_up_can_be_switched_off() -> None:
    off = ScheduleConfig(catch_up=False)
    assert decide(P, [], AT + timedelta(minutes=15), off) == SEND
    assert decide(P, [], AT + timedelta(minutes=16), off) == []


@pytest.mark.parametrize("active_since, expected", [
    (AT - timedelta(seconds=1), SEND), (AT, SEND), (AT + timedelta(seconds=1), []),
])
def test_nothing_scheduled_before_activation(active_since: datetime,
                                             expected: list[tuple[ActionKind, date]]) -> None:
    assert decide(replace(P, active_since=active_since), [], AT + timedelta(minutes=5)) == expected


def test_activation_falls_back_to_consent_time() -> None:
    p = replace(P, active_since=None, consent=Consent(True, AT + timedelta(minutes=1), "v"))
    assert decide(p, [], AT + timedelta(minutes=5)) == []


@pytest.mark.parametrize("existing", [
    {"delivery": DeliveryStatus.SENT, "sent_at": AT},
    {"delivery": DeliveryStatus.SKIPPED, "answered_at": AT - timedelta(hours=3)},
    {"delivery": DeliveryStatus.BLOCKED},
    {"delivery": DeliveryStatus.FAILED, "attempts": 3},
    {"delivery": DeliveryStatus.PENDING, "attempts": 1, "last_attempt_at": AT},
])
def test_one_record_per_local_day_blocks_a_new_send(existing: dict[str, object]) -> None:
    kinds = [k for k, _ in decide(P, [record(P, **existing)], AT + timedelta(minutes=1))]
    assert ActionKind.SEND_PROMPT not in kinds


@pytest.mark.parametrize("attempts, last, now, due", [
    (1, AT, AT + timedelta(seconds=11), False),  # 15 s, at most 20 % sooner
    (1, AT, AT + timedelta(seconds=18), True),  # at most 20 % later
    (2, AT, AT + timedelta(seconds=23), False),
    (2, AT, AT + timedelta(seconds=36), True),
    (3, AT, AT + timedelta(seconds=47), False),
    (3, AT, AT + timedelta(seconds=72), True),
    (10, AT, AT + timedelta(seconds=72), True),  # then about every minute
    (20, AT, AT + timedelta(hours=1), False),  # max_attempts reached
    (1, AT + timedelta(hours=2, minutes=29), AT + timedelta(hours=2, minutes=31), False),  # 22:01
])
def test_retry_backoff(attempts: int, last: datetime, now: datetime, due: bool) -> None:
    failed = record(P, delivery=DeliveryStatus.FAILED, attempts=attempts, last_attempt_at=last)
    assert decide(P, [failed], now) == ([(ActionKind.RETRY_PROMPT, DAY)] if due else [])


def test_a_stale_pending_record_is_marked_failed_never_resent() -> None:
    pending = record(P, delivery=DeliveryStatus.PENDING, attempts=1, last_attempt_at=AT)
    assert decide(P, [pending], AT + timedelta(minutes=9)) == []
    (action,) = schedule.due_actions([P], lambda pid: [pending], AT + timedelta(minutes=10), "v")
    assert action.kind is ActionKind.MARK_FAILED
    assert action.prompt.delivery is DeliveryStatus.FAILED
    assert action.prompt.attempts == ScheduleConfig().max_attempts
    assert decide(P, [action.prompt], AT + timedelta(hours=1)) == []


def test_retry_waits_are_jittered_per_prompt_but_repeatable() -> None:
    config = ScheduleConfig()
    for attempts, base in ((1, 15), (2, 30), (3, 60), (4, 60), (12, 60)):
        waits = []
        for i in range(200):
            failed = record(replace(P, pid=f"P{i:05d}"), delivery=DeliveryStatus.FAILED,
                            attempts=attempts, last_attempt_at=AT)
            wait = schedule.retry_delay(config, failed).total_seconds()
            assert wait == schedule.retry_delay(config, failed).total_seconds()  # pure
            assert 0.8 * base <= wait <= 1.2 * base
            waits.append(wait)
        assert max(waits) - min(waits) > 0.2 * base  # a crowd is spread out
    sent = record(P, delivery=DeliveryStatus.SENT)
    assert schedule.retry_at(config, sent) is None


SENT = {"delivery": DeliveryStatus.SENT, "sent_at": AT}
REMIND = [(ActionKind.SEND_REMINDER, DAY)]


@pytest.mark.parametrize("changes, existing, now, expected", [
    ({}, {}, AT + timedelta(minutes=119), []),
    ({}, {}, AT + timedelta(minutes=120), REMIND),
    ({}, {"reminded_at": AT + timedelta(hours=2)}, AT + timedelta(hours=2, minutes=1), []),
    ({}, {"answered_at": AT + timedelta(hours=1)}, AT + timedelta(hours=2), []),
    ({"reminder_enabled": False}, {}, AT + timedelta(hours=2), []),
    ({"reminder_delay_minutes": 30}, {}, AT + timedelta(minutes=30), REMIND),
    ({"status": ParticipantStatus.PAUSED, "paused_until": DAY}, {}, AT + timedelta(hours=2), []),
    ({"quiet_start": time(21)}, {}, AT + timedelta(hours=2), []),  # 21:30 is quiet
    # a tick that runs late still reminds once quiet hours are over, before the deadline
    ({"quiet_start": time(21), "quiet_end": time(23)}, {}, utc(2026, 3, 26, 16, 0), REMIND),
])
def test_reminder(changes: dict[str, object], existing: dict[str, object], now: datetime,
                  expected: list[tuple[ActionKind, date]]) -> None:
    p = replace(P, **changes)  # type: ignore[arg-type]
    assert decide(p, [record(p, **{**SENT, **existing})], now) == expected


@pytest.mark.parametrize("status", list(ParticipantStatus))
@pytest.mark.parametrize("delivery", [DeliveryStatus.SENT, DeliveryStatus.FAILED,
                                      DeliveryStatus.PENDING, DeliveryStatus.BLOCKED])
def test_expire_whatever_the_status(status: ParticipantStatus,
                                    delivery: DeliveryStatus) -> None:
    p = replace(P, status=status)
    deadline = utc(2026, 3, 26, 17, 0)
    open_ = record(p, delivery=delivery, sent_at=AT)
    assert (ActionKind.EXPIRE, DAY) not in decide(p, [open_], deadline - timedelta(seconds=1))
    assert (ActionKind.EXPIRE, DAY) in decide(p, [open_], deadline)
    for closed in ({"answered_at": AT}, {"expired_at": deadline},
                   {"delivery": DeliveryStatus.SKIPPED}):
        assert decide(p, [replace(open_, **closed)], deadline) == []  # type: ignore[arg-type]


def test_an_old_open_prompt_expires_beside_todays_send() -> None:
    old = record(P, DAY - timedelta(days=5), delivery=DeliveryStatus.SENT)
    assert decide(P, [old], AT) == [(ActionKind.EXPIRE, DAY - timedelta(days=5)), *SEND]


def test_a_corrupt_time_zone_skips_only_that_participant() -> None:
    broken = replace(P, pid="PBROKEN0000", timezone="Mars/Olympus")
    actions = schedule.due_actions([broken, P], lambda pid: [], AT, "v")
    assert [a.pid for a in actions] == [P.pid]


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        schedule.due_actions([P], lambda pid: [], datetime(2026, 3, 26, 12, 30), "v")


# --- pause -------------------------------------------------------------------------------

@pytest.mark.parametrize("now, today_record, days, until", [
    # 09:00, today's 19:30 prompt still to come: today is the first skipped day
    (AT - timedelta(hours=10, minutes=30), False, 1, DAY),
    (AT - timedelta(hours=10, minutes=30), False, 3, DAY + timedelta(days=2)),
    # 21:03, today's prompt is past: the pause starts tomorrow
    (AT + timedelta(hours=1, minutes=33), False, 1, DAY + timedelta(days=1)),
    (AT + timedelta(hours=3), False, 2, DAY + timedelta(days=2)),
    # within the late threshold the tick still sends today's prompt: today counts
    (AT + timedelta(minutes=10), False, 1, DAY),
    # today's prompt already exists (sent, or settled by /rate): the pause starts tomorrow
    (AT - timedelta(hours=3), True, 1, DAY + timedelta(days=1)),
])
def test_pause_until_skips_the_next_n_prompts(now: datetime, today_record: bool, days: int,
                                              until: date) -> None:
    existing = record(P) if today_record else None
    assert schedule.pause_until(P, existing, now, days) == until


def test_pause_of_zero_days_is_refused() -> None:
    with pytest.raises(ValueError):
        schedule.pause_until(P, None, AT, 0)
