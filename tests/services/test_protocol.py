"""The daily-prompt protocol over days: the real tick (``tests/services/sim.py``) across
time zones, DST changes, outages, pauses, retries and restarts, and its guarantees checked
on the records it leaves; plus the schedule's pure rules one by one."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
from tests.services.sim import CV, Sim, by_day

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
START = datetime(2026, 3, 26, tzinfo=UTC)
DAY = date(2026, 3, 26)
JKT = "Asia/Jakarta"


def member(pid: str, tz: str, at: time, **changes: object) -> Participant:
    base = Participant(
        pid=pid, telegram_id=hash(pid) % 10**9, chat_id=1, group="G", created_at=EPOCH,
        timezone=tz, prompt_time=at, status=ParticipantStatus.ACTIVE,
        onboarding_step=OnboardingStep.DONE, consent=Consent(True, EPOCH, "v"),
        active_since=EPOCH,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def local(p: Participant, at: datetime) -> datetime:
    return at.astimezone(ZoneInfo(p.timezone))


# --- the big simulation: many zones across both 2026 DST changes --------------------------

ZONES = [
    member("PJKT", "Asia/Jakarta", time(19, 30)),
    member("PMKS", "Asia/Makassar", time(7, 0)),
    member("PJAY", "Asia/Jayapura", time(21, 0)),
    member("PBGAP", "Europe/Berlin", time(2, 30)),      # gap in spring, fold in autumn
    member("PB0900", "Europe/Berlin", time(9, 0)),
    member("PKTM", "Asia/Kathmandu", time(6, 15)),      # UTC+05:45
    member("PLHI", "Australia/Lord_Howe", time(20, 0)),  # 30-minute DST
    member("PLHGAP", "Australia/Lord_Howe", time(2, 15)),  # gap 2026-10-04, fold 04-05
    member("PLHFOLD", "Australia/Lord_Howe", time(1, 45)),
    member("PNOQ", "Asia/Jakarta", time(21, 30), quiet_start=None, quiet_end=None),
]

WINDOWS = {
    "berlin-spring": (utc(2026, 3, 26), utc(2026, 4, 1)),
    "lordhowe-autumn": (utc(2026, 4, 2), utc(2026, 4, 8)),
    "lordhowe-spring": (utc(2026, 10, 1), utc(2026, 10, 7)),
    "berlin-autumn": (utc(2026, 10, 22), utc(2026, 10, 28)),
}


def expected_days(p: Participant, start: datetime, end: datetime) -> list[date]:
    """Local dates whose prompt instant falls inside [start, end)."""
    tz = ZoneInfo(p.timezone)
    day = start.astimezone(tz).date() - timedelta(days=1)
    out = []
    while day <= end.astimezone(tz).date():
        at = schedule.scheduled_at(p, day)
        if start <= at < end:
            out.append(day)
        day += timedelta(days=1)
    return out


@pytest.mark.parametrize("window", sorted(WINDOWS))
@pytest.mark.parametrize("minutes", [5, 15])
def test_protocol_across_dst(window: str, minutes: int) -> None:
    start, end = WINDOWS[window]
    step = timedelta(minutes=minutes)
    people = [replace(p, active_since=start) for p in ZONES]
    sim = Sim({p.pid: p for p in people})
    sim.run(start, end + timedelta(days=2), step)  # the run-out lets everything close
    last = end  # only prompts due before ``end`` are counted below
    for p in people:
        sends = [(t, d) for t, _, d in sim.of(ActionKind.SEND_PROMPT, p.pid)]
        days = [d for _, d in sends]
        assert len(days) == len(set(days)), f"{p.pid}: two prompts on one local date"
        want = expected_days(p, start, last)
        assert [d for d in days if d in want] == want
        assert len(want) >= 5
        for at, day in sends:
            due = schedule.scheduled_at(p, day)
            assert due <= at < due + step, (p.pid, day, at)  # on the first tick at/after
            assert local(p, at).date() == day
            assert at >= start  # nothing before active_since
        for day in want:
            record = sim.get(p.pid, day)
            assert record.answered_at is not None or record.expired_at is not None
    # at most one reminder per prompt, never in quiet hours, after the delay, unanswered
    reminders = sim.of(ActionKind.SEND_REMINDER)
    assert len(reminders) == len({(p, d) for _, p, d in reminders})
    for at, pid, day in reminders:
        p = sim.people[pid]
        assert not schedule.is_quiet(p, at), (pid, day, local(p, at))
        record = sim.get(pid, day)
        assert record.sent_at is not None
        assert at >= record.sent_at + timedelta(minutes=p.reminder_delay_minutes)
        assert at < schedule.prompt_deadline(p.timezone, day, sim.config)
        assert sim.answer(pid, day) != "now"
    assert reminders, "the scenario should exercise reminders"
    # each unanswered prompt expired exactly once, on the first tick after local midnight
    expiries = sim.of(ActionKind.EXPIRE)
    assert len(expiries) == len({(p, d) for _, p, d in expiries})
    for at, pid, day in expiries:
        p = sim.people[pid]
        deadline = schedule.prompt_deadline(p.timezone, day, sim.config)
        assert deadline <= at < deadline + step
        assert local(p, deadline).date() == day + timedelta(days=1)
        assert local(p, deadline).time() == time(0, 0)
        assert sim.get(pid, day).answered_at is None
    answered_late = [k for k in sim.log if k[1] is ActionKind.EXPIRE
                     and sim.get(k[2], k[3]).answered_at is not None]
    assert answered_late == []


def test_gap_and_fold_sends_are_at_the_documented_instants() -> None:
    p = member("PBGAP", "Europe/Berlin", time(2, 30), active_since=utc(2026, 3, 27))
    sim = Sim({p.pid: p})
    sim.run(utc(2026, 3, 27), utc(2026, 3, 31), timedelta(minutes=5))
    sent = {d: t for t, _, d in sim.of(ActionKind.SEND_PROMPT)}
    assert local(p, sent[date(2026, 3, 29)]).strftime("%H:%M %Z") == "03:30 CEST"
    assert local(p, sent[date(2026, 3, 28)]).strftime("%H:%M %Z") == "02:30 CET"
    assert local(p, sent[date(2026, 3, 30)]).strftime("%H:%M %Z") == "02:30 CEST"

    sim = Sim({p.pid: replace(p, active_since=utc(2026, 10, 24))})
    sim.run(utc(2026, 10, 24), utc(2026, 10, 27), timedelta(minutes=5))
    sent = {d: t for t, _, d in sim.of(ActionKind.SEND_PROMPT)}
    assert sent[date(2026, 10, 25)] == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)
    assert len(sent) == 3


# --- activation ----------------------------------------------------------------------------

@pytest.mark.parametrize(("activated_local", "first_day"), [
    (time(19, 0), date(2026, 3, 27)),    # before today's 19:30: today
    (time(19, 30), date(2026, 3, 27)),   # exactly at it: today
    (time(19, 31), date(2026, 3, 28)),   # just after: tomorrow, never a late catch-up
    (time(23, 59), date(2026, 3, 28)),
])
def test_nothing_before_active_since(activated_local: time, first_day: date) -> None:
    jkt = ZoneInfo("Asia/Jakarta")
    since = datetime.combine(date(2026, 3, 27), activated_local, jkt).astimezone(UTC)
    p = member("PACT", "Asia/Jakarta", time(19, 30), active_since=since)
    sim = Sim({p.pid: p})
    sim.run(utc(2026, 3, 26), utc(2026, 3, 30), timedelta(minutes=1))
    days = [d for _, _, d in sim.of(ActionKind.SEND_PROMPT)]
    assert days[0] == first_day
    assert all(t >= since for t, _, _ in sim.of(ActionKind.SEND_PROMPT))


def test_activation_falls_back_to_consent_time() -> None:
    consent_at = utc(2026, 3, 27, 13)  # 20:00 WIB, after the 19:30 prompt
    p = member("PCON", "Asia/Jakarta", time(19, 30), active_since=None,
               consent=Consent(True, consent_at, "v"))
    sim = Sim({p.pid: p})
    sim.run(utc(2026, 3, 27), utc(2026, 3, 29), timedelta(minutes=5))
    assert [d for _, _, d in sim.of(ActionKind.SEND_PROMPT)] == [date(2026, 3, 28)]


# --- pause ---------------------------------------------------------------------------------

def test_pause_until_a_date_then_prompts_again() -> None:
    p = member("PPAU", "Asia/Makassar", time(7, 0), active_since=utc(2026, 3, 20))
    sim = Sim({p.pid: p}, answer=lambda pid, day: None)
    # 07:00 WITA is 23:00 UTC the evening before: the 20th's was due before active_since
    sim.run(utc(2026, 3, 20), utc(2026, 3, 22, 0), timedelta(minutes=5))
    # paused on the 22nd at 08:00 WITA, after that day's prompt was sent
    sim.people[p.pid] = replace(p, status=ParticipantStatus.PAUSED,
                                paused_until=date(2026, 3, 25))
    sim.run(utc(2026, 3, 22, 0), utc(2026, 3, 28, 20), timedelta(minutes=5))
    days = [d for _, _, d in sim.of(ActionKind.SEND_PROMPT)]
    assert days == [date(2026, 3, 21), date(2026, 3, 22), date(2026, 3, 26),
                    date(2026, 3, 27), date(2026, 3, 28)]
    # the prompts sent before the pause still expired, exactly once each
    assert Counter(d for _, _, d in sim.of(ActionKind.EXPIRE)) == Counter(days)
    assert not [r for r in sim.of(ActionKind.SEND_REMINDER)
                if date(2026, 3, 22) <= r[2] <= date(2026, 3, 25)]


def test_pause_mid_day_stops_the_reminder_but_not_the_expiry() -> None:
    p = member("PPMD", "Asia/Jakarta", time(8, 0), active_since=utc(2026, 3, 1))
    sim = Sim({p.pid: p}, answer=lambda pid, day: None)
    sim.run(utc(2026, 3, 2, 0), utc(2026, 3, 2, 2), timedelta(minutes=5))  # 08:00 WIB sent
    assert len(sim.of(ActionKind.SEND_PROMPT)) == 1
    sim.people[p.pid] = replace(p, status=ParticipantStatus.PAUSED, paused_until=date(2026, 3, 2))
    sim.run(utc(2026, 3, 2, 2), utc(2026, 3, 3, 0), timedelta(minutes=5))
    assert sim.of(ActionKind.SEND_REMINDER) == []
    assert [d for _, _, d in sim.of(ActionKind.EXPIRE)] == [date(2026, 3, 2)]


def test_pause_without_end_sends_nothing() -> None:
    p = member("PPNO", "Asia/Jakarta", time(8, 0), status=ParticipantStatus.PAUSED,
               paused_until=None)
    sim = Sim({p.pid: p})
    sim.run(utc(2026, 3, 1), utc(2026, 3, 8), timedelta(minutes=10))
    assert sim.log == []


# --- outages and catch-up -------------------------------------------------------------------

def wib(day: int, h: int, m: int = 0) -> datetime:
    return datetime(2026, 3, day, h, m, tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(UTC)


def test_three_hour_outage_catches_up_once() -> None:
    p = member("POUT", "Asia/Jakarta", time(19, 30))
    sim = Sim({p.pid: p}, answer=lambda pid, day: None)
    sim.run(wib(10, 12), wib(11, 12), timedelta(minutes=1),
            outages=[(wib(10, 18), wib(10, 21))])
    assert sim.of(ActionKind.SEND_PROMPT) == [(wib(10, 21), "POUT", date(2026, 3, 10))]
    assert sim.get("POUT", date(2026, 3, 10)).scheduled_at == wib(10, 19, 30)


def test_late_catch_up_waits_out_quiet_hours_and_is_lost_at_midnight() -> None:
    p = member("PQT", "Asia/Jakarta", time(20, 30))  # quiet 22:00-06:00
    sim = Sim({p.pid: p})
    sim.run(wib(10, 12), wib(11, 21), timedelta(minutes=1), outages=[(wib(10, 20), wib(10, 23))])
    sends = sim.of(ActionKind.SEND_PROMPT)
    assert [d for _, _, d in sends] == [date(2026, 3, 11)]  # the 10th is dropped
    assert all(not schedule.is_quiet(p, t) or t == schedule.scheduled_at(p, d)
               for t, _, d in sends)


def test_catch_up_in_quiet_hours_waits_for_their_end() -> None:
    p = member("PQEND", "Europe/Berlin", time(2, 30), quiet_start=time(1, 0),
               quiet_end=time(6, 0))
    sim = Sim({p.pid: p})
    start = utc(2026, 5, 4, 22)  # 00:00 CEST on the 5th
    outage = (utc(2026, 5, 5, 0), utc(2026, 5, 5, 1))  # 02:00-03:00 CEST
    sim.run(start, start + timedelta(hours=12), timedelta(minutes=5), outages=[outage])
    assert sim.of(ActionKind.SEND_PROMPT) == [(utc(2026, 5, 5, 4), "PQEND", date(2026, 5, 5))]
    assert local(p, utc(2026, 5, 5, 4)).time() == time(6, 0)


@pytest.mark.parametrize(("late_minutes", "sent"), [(15, True), (16, False)])
def test_late_threshold_boundary_in_quiet_hours(late_minutes: int, sent: bool) -> None:
    p = member("PLT", "Asia/Jakarta", time(21, 50))  # quiet from 22:00
    sim = Sim({p.pid: p})
    first_tick = wib(10, 21, 50) + timedelta(minutes=late_minutes)
    sim.run(first_tick, wib(10, 23, 59), timedelta(minutes=1))
    assert bool(sim.of(ActionKind.SEND_PROMPT)) is sent


def test_catch_up_switched_off_drops_late_sends() -> None:
    p = member("PNOC", "Asia/Jakarta", time(9, 0))
    sim = Sim({p.pid: p}, config=ScheduleConfig(catch_up=False))
    sim.run(wib(10, 12), wib(11, 12), timedelta(minutes=1), outages=[(wib(10, 8), wib(10, 11))])
    assert [d for _, _, d in sim.of(ActionKind.SEND_PROMPT)] == [date(2026, 3, 11)]


def test_restart_after_the_send_never_sends_twice() -> None:
    p = member("PRST", "Asia/Jakarta", time(9, 0))
    sim = Sim({p.pid: p})
    sim.run(wib(10, 8), wib(10, 10), timedelta(minutes=1))
    # a fresh process (new Sim object, same store) must not send again
    again = Sim(sim.people, store=sim.store)
    again.run(wib(10, 10), wib(10, 23, 59), timedelta(minutes=1))
    assert again.of(ActionKind.SEND_PROMPT) == []


# --- failures --------------------------------------------------------------------------------

def test_failed_send_retries_with_backoff_up_to_max_attempts() -> None:
    p = member("PFAIL", "Asia/Jakarta", time(9, 0), quiet_start=None, quiet_end=None)
    config = ScheduleConfig(max_attempts=5, retry_jitter=0)
    sim = Sim({p.pid: p}, config=config, fail={("PFAIL", date(2026, 3, 10)): 99})
    sim.run(wib(10, 8), wib(11, 8), timedelta(seconds=15))
    times = [t for t, _, d in sim.attempts if d == date(2026, 3, 10)]
    t0 = wib(10, 9)
    seconds = [int((t - t0).total_seconds()) for t in times]
    assert seconds == [0, 15, 45, 105, 165]  # waits of 15 s, 30 s, 60 s, then every minute
    kinds = [k for _, k, _, d in sim.log if d == date(2026, 3, 10)]
    assert kinds == [ActionKind.SEND_PROMPT, *[ActionKind.RETRY_PROMPT] * 4, ActionKind.EXPIRE]
    record = sim.get("PFAIL", date(2026, 3, 10))
    assert record.delivery is DeliveryStatus.FAILED and record.attempts == 5
    assert record.expired_at == wib(11, 0)


@pytest.mark.parametrize("max_attempts", [1, 2, 5])
def test_retry_count_follows_config(max_attempts: int) -> None:
    p = member("PMAX", "Asia/Jakarta", time(9, 0), quiet_start=None, quiet_end=None)
    delays = tuple(timedelta(minutes=2**i) for i in range(4))
    config = ScheduleConfig(max_attempts=max_attempts, retry_delays=delays, retry_jitter=0)
    sim = Sim({p.pid: p}, config=config, fail={("PMAX", date(2026, 3, 10)): 99})
    sim.run(wib(10, 8), wib(10, 23), timedelta(minutes=1))
    times = [t for t, _, _ in sim.attempts]
    assert len(times) == max_attempts
    gaps = [(b - a) // timedelta(minutes=1) for a, b in zip(times, times[1:], strict=False)]
    assert gaps == [1, 2, 4, 8, 1][: max_attempts - 1]


def test_transient_failure_then_one_delivery() -> None:
    p = member("PTR", "Asia/Jakarta", time(9, 0))
    sim = Sim({p.pid: p}, fail={("PTR", date(2026, 3, 10)): 1},
              answer=lambda pid, day: None)
    sim.run(wib(10, 8), wib(10, 23), timedelta(minutes=1))
    assert sim.delivered == [(wib(10, 9, 1), "PTR", date(2026, 3, 10))]  # the next tick
    record = sim.get("PTR", date(2026, 3, 10))
    assert record.delivery is DeliveryStatus.SENT and record.attempts == 2
    # the reminder counts from the successful send
    assert sim.of(ActionKind.SEND_REMINDER) == [(wib(10, 11, 1), "PTR", date(2026, 3, 10))]


def test_late_retry_waits_for_quiet_hours_to_end() -> None:
    p = member("PLR", "Asia/Jakarta", time(21, 45))  # quiet from 22:00
    sim = Sim({p.pid: p}, fail={("PLR", date(2026, 3, 10)): 1},
              config=ScheduleConfig(retry_delays=(timedelta(minutes=20),), retry_jitter=0))
    sim.run(wib(10, 21), wib(11, 1), timedelta(minutes=1))
    assert [t for t, _, _ in sim.attempts] == [wib(10, 21, 45)]  # 22:05 retry is late & quiet
    assert sim.of(ActionKind.EXPIRE) == [(wib(11, 0), "PLR", date(2026, 3, 10))]


def test_stale_pending_becomes_failed_and_is_never_sent_again() -> None:
    p = member("PPEND", "Asia/Jakarta", time(9, 0))
    sim = Sim({p.pid: p}, crash={("PPEND", date(2026, 3, 10))})
    sim.run(wib(10, 8), wib(11, 1), timedelta(minutes=1))
    kinds = [(t, k) for t, k, _, d in sim.log if d == date(2026, 3, 10)]
    assert kinds == [(wib(10, 9), ActionKind.SEND_PROMPT),
                     (wib(10, 9, 10), ActionKind.MARK_FAILED),
                     (wib(11, 0), ActionKind.EXPIRE)]
    record = sim.get("PPEND", date(2026, 3, 10))
    assert record.delivery is DeliveryStatus.FAILED
    assert record.attempts == ScheduleConfig().max_attempts
    assert len(sim.attempts) == 1


def test_pending_younger_than_timeout_is_left_alone() -> None:
    p = member("PPY", "Asia/Jakarta", time(9, 0))
    rec = Prompt("PPY", PromptKind.DAILY_RATING, date(2026, 3, 10), wib(10, 9), CV,
                 attempts=1, last_attempt_at=wib(10, 9))
    cfg = ScheduleConfig()
    assert schedule.due_actions([p], lambda _: [rec], wib(10, 9, 9), CV, cfg) == []
    [action] = schedule.due_actions([p], lambda _: [rec], wib(10, 9, 10), CV, cfg)
    assert action.kind is ActionKind.MARK_FAILED


# --- records and statuses left alone ----------------------------------------------------------

@pytest.mark.parametrize("answered", [True, False])
def test_skipped_prompt_is_left_alone(answered: bool) -> None:
    p = member("PSKIP", "Asia/Jakarta", time(19, 30))
    skipped = Prompt("PSKIP", PromptKind.DAILY_RATING, date(2026, 3, 10), wib(10, 8), CV,
                     delivery=DeliveryStatus.SKIPPED,
                     answered_at=wib(10, 8) if answered else None)
    sim = Sim({p.pid: p})
    sim.save(skipped)
    sim.run(wib(10, 8), wib(11, 8), timedelta(minutes=5))
    assert [(k, d) for _, k, _, d in sim.log if d == date(2026, 3, 10)] == []
    assert sim.get("PSKIP", date(2026, 3, 10)) == skipped


@pytest.mark.parametrize("changes", [
    {"status": ParticipantStatus.WITHDRAWN},
    {"status": ParticipantStatus.UNREACHABLE},
    {"status": ParticipantStatus.DECLINED},
    {"status": ParticipantStatus.ONBOARDING, "onboarding_step": OnboardingStep.TIMEZONE},
    {"onboarding_step": OnboardingStep.PROMPT_TIME},  # ACTIVE but enrolment not finished
    {"consent": None},
    {"consent": Consent(False, EPOCH, "v")},
], ids=["withdrawn", "unreachable", "declined", "onboarding", "step-not-done", "no-consent",
        "refused"])
def test_inactive_get_nothing_but_open_prompts_still_expire(changes: dict[str, object]) -> None:
    p = member("PIN", "Asia/Jakarta", time(9, 0), **changes)
    day = date(2026, 3, 10)
    sent = Prompt("PIN", PromptKind.DAILY_RATING, day, wib(10, 9), CV,
                  delivery=DeliveryStatus.SENT, sent_at=wib(10, 9), attempts=1)
    failed = replace(sent, local_date=day - timedelta(days=1), delivery=DeliveryStatus.FAILED,
                     sent_at=None)
    pending = replace(sent, local_date=day - timedelta(days=2), delivery=DeliveryStatus.PENDING,
                      sent_at=None)
    sim = Sim({p.pid: p})
    for r in (sent, failed, pending):
        sim.save(r)
    sim.run(wib(10, 9, 5), wib(13, 0), timedelta(minutes=5))
    kinds = Counter(k for _, k, _, _ in sim.log)
    assert set(kinds) <= {ActionKind.EXPIRE}
    assert sorted(d for _, _, d in sim.of(ActionKind.EXPIRE)) == [
        day - timedelta(days=2), day - timedelta(days=1), day]


def test_expiry_grace_moves_the_deadline() -> None:
    cfg = ScheduleConfig(expiry_grace=timedelta(hours=2))
    p = member("PGR", "Asia/Jakarta", time(9, 0))
    sim = Sim({p.pid: p}, config=cfg, answer=lambda pid, day: None)
    sim.run(wib(10, 8), wib(11, 10), timedelta(minutes=5))
    assert sim.of(ActionKind.EXPIRE) == [(wib(11, 2), "PGR", date(2026, 3, 10))]
    assert [d for _, _, d in sim.of(ActionKind.SEND_PROMPT)] == [date(2026, 3, 10),
                                                                 date(2026, 3, 11)]


# --- reminders -------------------------------------------------------------------------------

@pytest.mark.parametrize(("prompt_at", "reminder_local"), [
    (time(9, 0), time(11, 0)),      # plain
    (time(20, 30), None),           # 22:30 is quiet; midnight closes it first
    (time(3, 0), time(6, 0)),       # chosen in quiet hours: reminder when they end
])
def test_one_reminder_outside_quiet_hours(prompt_at: time, reminder_local: time | None) -> None:
    p = member("PREM", "Asia/Jakarta", prompt_at)
    sim = Sim({p.pid: p}, answer=lambda pid, day: None)
    sim.run(wib(10, 0), wib(11, 0), timedelta(minutes=5))
    got = [local(p, t).time() for t, _, _ in sim.of(ActionKind.SEND_REMINDER)]
    assert got == ([] if reminder_local is None else [reminder_local])


def test_reminder_disabled_or_answered_means_none() -> None:
    off = member("POFF", "Asia/Jakarta", time(9, 0), reminder_enabled=False)
    on = member("PANS", "Asia/Jakarta", time(9, 0))
    sim = Sim({off.pid: off, on.pid: on},
              answer=lambda pid, day: "now" if pid == "PANS" else None)
    sim.run(wib(10, 8), wib(11, 1), timedelta(minutes=5))
    assert sim.of(ActionKind.SEND_REMINDER) == []


# --- the schedule's prediction against the real tick ----------------------------------------

def test_next_prompt_at_agrees_with_the_simulator() -> None:
    p = member("PAGREE", "Asia/Kathmandu", time(6, 15))
    now = utc(2026, 3, 10, 0)  # 05:45 NPT
    predicted = schedule.next_prompt_at(p, now)
    sim = Sim({p.pid: p})
    sim.run(now, now + timedelta(days=2), timedelta(minutes=5))
    assert sim.of(ActionKind.SEND_PROMPT)[0][0] == predicted


# --- outages, withdrawal, pauses over several days (moved from the core's tests) ----------

def test_three_hour_outage_catches_up_once_and_respects_quiet_hours() -> None:
    people = [
        member("PEVE0000000", JKT, time(19, 30), quiet_start=time(21), quiet_end=time(6)),
        member("PLATE000000", JKT, time(20, 0), quiet_start=time(22), quiet_end=time(6)),
        member("PMORN000000", "Asia/Makassar", time(9, 0)),
        member("PPAPUA00000", "Asia/Jayapura", time(21, 30)),
        member("PCAUGHT0000", JKT, time(19, 45), quiet_start=time(23), quiet_end=time(6)),
    ]
    sim = Sim({p.pid: p for p in people}, answer=lambda pid, day: None)
    # down 19:15-22:15 in Jakarta (20:15-23:15 WITA, 21:15-00:15 WIT) on 26 March
    outage = (utc(2026, 3, 26, 12, 15), utc(2026, 3, 26, 15, 15))
    sim.run(START, START + timedelta(days=3), timedelta(minutes=1), outages=[outage])
    sent = {(pid, d): at for at, pid, d in sim.delivered}
    assert len(sent) == len(sim.delivered)  # never twice
    assert (people[0].pid, DAY) not in sent  # back at 22:15: inside its quiet hours (21-6)
    assert (people[1].pid, DAY) not in sent  # 22:15 is quiet for it too
    assert (people[3].pid, DAY) not in sent  # Papua: back after its local midnight
    assert sent[(people[2].pid, DAY)] == utc(2026, 3, 26, 1, 0)  # before the outage
    assert sent[(people[4].pid, DAY)] == outage[1]  # caught up at 22:15, once
    for p in people:  # the following days run normally, on time
        for day in (DAY + timedelta(1), DAY + timedelta(2)):
            assert sent[(p.pid, day)] == schedule.scheduled_at(p, day)
    end = START + timedelta(days=3)
    overdue = {key for key in sim.prompts
               if schedule.prompt_deadline(sim.people[key[0]].timezone, key[1],
                                           ScheduleConfig()) < end}
    assert sorted((pid, d) for _, pid, d in sim.of(ActionKind.EXPIRE)) == sorted(overdue)


def test_catch_up_right_after_an_outage_outside_quiet_hours() -> None:
    p = member("PCATCH00000", JKT, time(16, 0), quiet_start=time(22), quiet_end=time(6))
    sim = Sim({p.pid: p}, answer=lambda pid, day: "now")
    outage = (utc(2026, 3, 26, 8, 30), utc(2026, 3, 26, 11, 30))  # 15:30-18:30
    sim.run(START, START + timedelta(days=2), timedelta(minutes=1), outages=[outage])
    assert [(d, at) for at, _, d in sim.delivered][0] == (DAY, outage[1])
    assert sim.sent_days(p.pid) == [DAY, DAY + timedelta(1)]


def test_withdrawal_stops_everything_but_expiry() -> None:
    p = member("PWD00000000", JKT, time(19, 30))
    sim = Sim({p.pid: p}, answer=lambda pid, day: None)
    middle = START + timedelta(days=0.6)  # 14:24 UTC: sent at 19:30 WIB
    sim.run(START, middle, timedelta(minutes=5))
    sim.people[p.pid] = replace(p, status=ParticipantStatus.WITHDRAWN)
    sim.run(middle, middle + timedelta(days=3), timedelta(minutes=5))
    assert sim.sent_days(p.pid) == [DAY] and sim.of(ActionKind.SEND_REMINDER) == []
    assert [d for _, _, d in sim.of(ActionKind.EXPIRE)] == [DAY]


def test_pause_mid_run_then_resume() -> None:
    p = member("PPAUSE00000", "Asia/Makassar", time(8, 0))
    sim = Sim({p.pid: p}, answer=lambda pid, day: "now")
    sim.run(START, START + timedelta(days=1), timedelta(minutes=10))
    sim.people[p.pid] = replace(p, status=ParticipantStatus.PAUSED,
                                paused_until=date(2026, 3, 28))
    sim.run(START + timedelta(days=1), START + timedelta(days=5), timedelta(minutes=10))
    assert sim.sent_days(p.pid) == [DAY, date(2026, 3, 29), date(2026, 3, 30)]


PROPERTY_ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Europe/Berlin",
         "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu"]
DST_DAYS = [utc(2026, 3, 27), utc(2026, 10, 23), utc(2026, 3, 6), utc(2026, 4, 3),
            utc(2026, 10, 2), utc(2026, 11, 29)]


@settings(max_examples=40, deadline=None)
@given(
    zone=st.sampled_from(PROPERTY_ZONES), start=st.sampled_from(DST_DAYS),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    quiet=st.sampled_from([(None, None), (time(22), time(6)), (time(1), time(3))]),
    enrol_hours=st.integers(0, 30), answer=st.sampled_from([0.0, 0.5, 1.0]),
)
def test_property_exactly_one_prompt_per_local_day(
        zone: str, start: datetime, at: time, quiet: tuple[time | None, time | None],
        enrol_hours: int, answer: float) -> None:
    enrolled = start + timedelta(hours=enrol_hours)
    p = member("PPROP000000", zone, at, quiet_start=quiet[0], quiet_end=quiet[1],
               active_since=enrolled)
    policy = {0.0: lambda pid, day: None, 1.0: lambda pid, day: "now"}.get(answer, by_day)
    sim = Sim({p.pid: p}, answer=policy)
    step = timedelta(minutes=5)
    sim.run(start, start + timedelta(days=4), step)
    days = sim.sent_days(p.pid)
    assert len(days) == len(set(days))
    tz = ZoneInfo(zone)
    for sent_at, _, day in sim.delivered:
        assert sent_at >= enrolled and sent_at.astimezone(tz).date() == day
        assert sent_at >= schedule.scheduled_at(p, day)
    # every local day whose prompt time fell after enrolment and inside the run was sent
    first, last = (start + step).astimezone(tz).date(), (start + timedelta(days=3)).astimezone(tz)
    for offset in range((last.date() - first).days):
        day = first + timedelta(days=offset)
        due = schedule.scheduled_at(p, day)
        deadline = schedule.prompt_deadline(zone, day, ScheduleConfig())
        if due >= enrolled and due + step < deadline:
            assert day in days, (day, due)
    reminders = sim.of(ActionKind.SEND_REMINDER)
    expired = sim.of(ActionKind.EXPIRE)
    assert len(reminders) == len({(pid, d) for _, pid, d in reminders})
    assert len(expired) == len({(pid, d) for _, pid, d in expired})
