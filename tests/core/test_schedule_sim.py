"""core.schedule: a protocol simulator plus unit tests.

The simulator steps an injected clock, asks ``due_actions`` what is due and applies each
action to an in-memory dict the way bot/jobs.py does (PENDING saved first, then SENT with
``sent_at`` / FAILED; EXPIRE -> ``expired_at``; SEND_REMINDER -> ``reminded_at``;
MARK_FAILED -> save the action's prompt). Then it checks the protocol's guarantees.
No sleeps, no mocks: ``now`` is always an argument.
"""

from __future__ import annotations

import time as perf
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
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
from bot.core.schedule import Action, ActionKind, ScheduleConfig

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
CV = "test-content"


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


# Answer policy per (pid, day): "now" (on receipt), "reminder" (on the reminder), None.
Policy = Callable[[str, date], str | None]


def by_day(pid: str, day: date) -> str | None:
    return ("now", "reminder", None)[(day.toordinal() + len(pid)) % 3]


@dataclass
class Sim:
    people: dict[str, Participant]
    config: ScheduleConfig = field(default_factory=ScheduleConfig)
    answer: Policy = by_day
    # (pid, day) -> how many first attempts fail; "crash" leaves the record PENDING
    fail: dict[tuple[str, date], int] = field(default_factory=dict)
    crash: set[tuple[str, date]] = field(default_factory=set)
    store: dict[str, dict[date, Prompt]] = field(default_factory=dict)
    log: list[tuple[datetime, ActionKind, str, date]] = field(default_factory=list)
    delivered: list[tuple[datetime, str, date]] = field(default_factory=list)
    attempts: list[tuple[datetime, str, date]] = field(default_factory=list)

    def records(self, pid: str) -> list[Prompt]:
        return list(self.store.get(pid, {}).values())

    def save(self, prompt: Prompt) -> None:
        self.store.setdefault(prompt.pid, {})[prompt.local_date] = prompt

    def get(self, pid: str, day: date) -> Prompt:
        return self.store[pid][day]

    def tick(self, now: datetime) -> list[Action]:
        actions = schedule.due_actions(self.people.values(), self.records, now, CV, self.config)
        for a in actions:
            assert a.pid == a.prompt.pid and a.local_date == a.prompt.local_date
            self.log.append((now, a.kind, a.pid, a.local_date))
            key = (a.pid, a.local_date)
            if a.kind in (ActionKind.SEND_PROMPT, ActionKind.RETRY_PROMPT):
                pending = replace(a.prompt, delivery=DeliveryStatus.PENDING,
                                  attempts=a.prompt.attempts + 1, last_attempt_at=now)
                self.save(pending)  # saved before the send, as jobs.py does
                self.attempts.append((now, a.pid, a.local_date))
                if key in self.crash:
                    continue  # the process died between saving and hearing back
                if self.fail.get(key, 0) >= pending.attempts:
                    self.save(replace(pending, delivery=DeliveryStatus.FAILED))
                    continue
                sent = replace(pending, delivery=DeliveryStatus.SENT, sent_at=now)
                self.delivered.append((now, a.pid, a.local_date))
                if self.answer(a.pid, a.local_date) == "now":
                    sent = replace(sent, answered_at=now)
                self.save(sent)
            elif a.kind is ActionKind.SEND_REMINDER:
                reminded = replace(a.prompt, reminded_at=now)
                if self.answer(a.pid, a.local_date) == "reminder":
                    reminded = replace(reminded, answered_at=now)
                self.save(reminded)
            elif a.kind is ActionKind.EXPIRE:
                self.save(replace(a.prompt, expired_at=now))
            elif a.kind is ActionKind.MARK_FAILED:
                self.save(a.prompt)
        return actions

    def run(self, start: datetime, end: datetime, step: timedelta,
            outages: Iterable[tuple[datetime, datetime]] = ()) -> None:
        gaps = list(outages)
        now = start
        while now < end:
            if not any(a <= now < b for a, b in gaps):
                self.tick(now)
            now += step

    def of(self, kind: ActionKind, pid: str | None = None) -> list[tuple[datetime, str, date]]:
        return [(t, p, d) for t, k, p, d in self.log if k is kind and (pid is None or p == pid)]


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


def test_unknown_time_zone_skips_only_that_participant() -> None:
    good = member("PGOOD", "Asia/Jakarta", time(9, 0))
    bad = member("PBAD", "Mars/Olympus_Mons", time(9, 0))
    actions = schedule.due_actions([bad, good], lambda _: [], wib(10, 9), CV)
    assert [(a.pid, a.kind) for a in actions] == [("PGOOD", ActionKind.SEND_PROMPT)]


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="zone-aware"):
        schedule.due_actions([], lambda _: [], datetime(2026, 3, 10, 9), CV)


def test_new_prompt_record_shape() -> None:
    p = member("PNEW", "Asia/Jayapura", time(21, 0))
    [a] = schedule.due_actions([p], lambda _: [], utc(2026, 3, 10, 12), CV)
    assert a.kind is ActionKind.SEND_PROMPT and a.local_date == date(2026, 3, 10)
    assert a.prompt == Prompt("PNEW", PromptKind.DAILY_RATING, date(2026, 3, 10),
                              utc(2026, 3, 10, 12), CV)


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


# --- unit rules -----------------------------------------------------------------------------

def test_local_instant_gap_and_fold() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    gap = schedule.local_instant("Europe/Berlin", date(2026, 3, 29), time(2, 30))
    assert gap == utc(2026, 3, 29, 1, 30)
    assert gap.astimezone(berlin).strftime("%H:%M %Z") == "03:30 CEST"
    fold = schedule.local_instant("Europe/Berlin", date(2026, 10, 25), time(2, 30))
    assert fold == utc(2026, 10, 25, 0, 30)
    # fold=1 in the argument is ignored: still the first occurrence
    assert schedule.local_instant("Europe/Berlin", date(2026, 10, 25),
                                  time(2, 30, fold=1)) == fold
    assert schedule.local_instant("Asia/Kathmandu", date(2026, 3, 10), time(6, 15)) == \
        utc(2026, 3, 10, 0, 30)
    assert gap.tzinfo is UTC


@pytest.mark.parametrize(("zone", "day", "hours"), [
    ("Europe/Berlin", date(2026, 3, 29), 23),
    ("Europe/Berlin", date(2026, 10, 25), 25),
    ("Asia/Jakarta", date(2026, 3, 29), 24),
    ("Australia/Lord_Howe", date(2026, 4, 5), 24.5),
    ("Australia/Lord_Howe", date(2026, 10, 4), 23.5),
])
def test_deadline_is_next_local_midnight(zone: str, day: date, hours: float) -> None:
    cfg = ScheduleConfig()
    start = schedule.prompt_deadline(zone, day - timedelta(days=1), cfg)
    end = schedule.prompt_deadline(zone, day, cfg)
    assert end - start == timedelta(hours=hours)
    assert end.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == datetime.combine(
        day + timedelta(days=1), time(0))


QUIET = {"quiet_start": time(22, 0), "quiet_end": time(6, 0)}


@pytest.mark.parametrize(("quiet", "at", "expected"), [
    (QUIET, time(21, 59), False), (QUIET, time(22, 0), True), (QUIET, time(23, 59), True),
    (QUIET, time(0, 0), True), (QUIET, time(5, 59), True), (QUIET, time(6, 0), False),
    (QUIET, time(12, 0), False),
    ({"quiet_start": time(13, 0), "quiet_end": time(15, 0)}, time(12, 59), False),
    ({"quiet_start": time(13, 0), "quiet_end": time(15, 0)}, time(13, 0), True),
    ({"quiet_start": time(13, 0), "quiet_end": time(15, 0)}, time(15, 0), False),
    ({"quiet_start": None, "quiet_end": time(6, 0)}, time(3, 0), False),
    ({"quiet_start": time(22, 0), "quiet_end": None}, time(23, 0), False),
    ({"quiet_start": None, "quiet_end": None}, time(3, 0), False),
    ({"quiet_start": time(22, 0), "quiet_end": time(22, 0)}, time(22, 0), False),
])
def test_is_quiet(quiet: dict[str, time | None], at: time, expected: bool) -> None:
    p = member("PQ", "Asia/Makassar", time(9, 0), **quiet)
    now = datetime.combine(date(2026, 3, 10), at, ZoneInfo("Asia/Makassar")).astimezone(UTC)
    assert schedule.is_quiet(p, now) is expected


def test_is_quiet_uses_the_participants_zone() -> None:
    jkt = member("PQJ", "Asia/Jakarta", time(9, 0))
    jay = member("PQY", "Asia/Jayapura", time(9, 0))
    now = utc(2026, 3, 10, 14, 30)  # 21:30 WIB, 23:30 WIT
    assert not schedule.is_quiet(jkt, now) and schedule.is_quiet(jay, now)


@pytest.mark.parametrize(("p", "now", "expected"), [
    (member("N1", "Asia/Jakarta", time(19, 30)), wib(10, 19), wib(10, 19, 30)),
    (member("N2", "Asia/Jakarta", time(19, 30)), wib(10, 19, 30), wib(10, 19, 30)),
    (member("N3", "Asia/Jakarta", time(19, 30)), wib(10, 19, 31), wib(11, 19, 30)),
    (member("N4", "Asia/Jakarta", time(19, 30), status=ParticipantStatus.PAUSED,
            paused_until=date(2026, 3, 15)), wib(10, 12), wib(16, 19, 30)),
    (member("N5", "Asia/Jakarta", time(19, 30), status=ParticipantStatus.PAUSED,
            paused_until=date(2026, 3, 9)), wib(10, 12), wib(10, 19, 30)),
    (member("N6", "Asia/Jakarta", time(19, 30), status=ParticipantStatus.PAUSED,
            paused_until=None), wib(10, 12), None),
    (member("N7", "Asia/Jakarta", time(19, 30), status=ParticipantStatus.WITHDRAWN),
     wib(10, 12), None),
    (member("N8", "Asia/Jakarta", time(19, 30), status=ParticipantStatus.UNREACHABLE),
     wib(10, 12), None),
    (member("N9", "Asia/Jakarta", time(19, 30), onboarding_step=OnboardingStep.CONSENT),
     wib(10, 12), None),
    (member("N10", "Asia/Jakarta", time(19, 30), active_since=wib(10, 20)), wib(10, 12),
     wib(11, 19, 30)),
    (member("N11", "Europe/Berlin", time(2, 30)), utc(2026, 3, 28, 12), utc(2026, 3, 29, 1, 30)),
    (member("N12", "Europe/Berlin", time(2, 30)), utc(2026, 10, 24, 12), utc(2026, 10, 25, 0, 30)),
])
def test_next_prompt_at(p: Participant, now: datetime, expected: datetime | None) -> None:
    assert schedule.next_prompt_at(p, now) == expected


def test_next_prompt_at_agrees_with_the_simulator() -> None:
    p = member("PAGREE", "Asia/Kathmandu", time(6, 15))
    now = utc(2026, 3, 10, 0)  # 05:45 NPT
    predicted = schedule.next_prompt_at(p, now)
    sim = Sim({p.pid: p})
    sim.run(now, now + timedelta(days=2), timedelta(minutes=5))
    assert sim.of(ActionKind.SEND_PROMPT)[0][0] == predicted


@pytest.mark.parametrize(("changes", "day", "expected"), [
    ({}, date(2026, 3, 10), True),
    ({"status": ParticipantStatus.PAUSED, "paused_until": date(2026, 3, 10)},
     date(2026, 3, 10), False),
    ({"status": ParticipantStatus.PAUSED, "paused_until": date(2026, 3, 10)},
     date(2026, 3, 11), True),
    ({"status": ParticipantStatus.PAUSED, "paused_until": None}, date(2030, 1, 1), False),
    ({"status": ParticipantStatus.WITHDRAWN}, date(2026, 3, 10), False),
])
def test_is_active_on(changes: dict[str, object], day: date, expected: bool) -> None:
    assert schedule.is_active_on(member("PA", "Asia/Jakarta", time(9, 0), **changes),
                                 day) is expected


def test_local_today_per_zone() -> None:
    now = utc(2026, 3, 10, 16, 30)  # 23:30 WIB, 01:30 WIT next day
    assert schedule.local_today(member("A", "Asia/Jakarta", time(9)), now) == date(2026, 3, 10)
    assert schedule.local_today(member("B", "Asia/Jayapura", time(9)), now) == date(2026, 3, 11)


# --- cost --------------------------------------------------------------------------------------

def test_ten_thousand_participants_decide_well_under_a_second() -> None:
    zones = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Europe/Berlin",
             "Asia/Kathmandu"]
    people = [member(f"P{i:05d}", zones[i % len(zones)], time(7 + i % 14, (i * 5) % 60))
              for i in range(10_000)]
    now = utc(2026, 3, 10, 12)
    schedule.due_actions(people[:10], lambda _: (), now, CV)  # warm the zone cache
    started = perf.perf_counter()
    actions = schedule.due_actions(people, lambda _: (), now, CV)
    elapsed = perf.perf_counter() - started
    assert actions  # some are due at this minute
    assert all(a.kind is ActionKind.SEND_PROMPT for a in actions)
    assert elapsed < 2.0  # coarse guard only; typical figures are in the report
