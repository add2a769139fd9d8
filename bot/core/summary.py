"""The weekly summary's figures, per participant and per group, from stored records. Pure.

Definitions (the summary states them in plain words):
- a day is *due* when the participant had a daily question that day (a prompt record of
  any outcome, or a /rate that settled it): not before enrolment, not while paused, not
  after withdrawal. *Rated*: due days with a rating (the day's last rating counts);
- mean, min, max: of the week's daily ratings; *vs previous*: this week's mean minus the
  week before's; *vs baseline*: this week's mean minus the mean of all ratings before the
  first group session;
- trend: the Theil-Sen slope (scipy) of the daily ratings of the 14 days up to the week's
  end, in points per day; "rising" from +0.1 (a point in ten days), "falling" from -0.1,
  "steady" between; none with fewer than 4 ratings;
- practice: completed runs in the week per module; *before/after*: the mean of (after -
  before) of the week's runs rated on both sides (negative: stress went down).
"""

from __future__ import annotations

import enum
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core import flags as flag_rules
from bot.core.flags import FlagKind
from bot.core.models import ExerciseRun, Group, Rating

TREND_DAYS = 14
TREND_STEP = 0.1  # points per day
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True, order=True)
class Week:
    """An ISO week (Monday to Sunday)."""

    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, text: str) -> Week | None:
        """"2026-W49" (or "2026W49", "2026-w49"); None for anything else."""
        m = _WEEK.match(text.strip())
        if m is None:
            return None
        try:
            date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def previous(self) -> Week:
        return Week.of(self.start - timedelta(days=7))

    def days(self) -> tuple[date, ...]:
        return tuple(self.start + timedelta(days=n) for n in range(7))


class Trend(enum.StrEnum):
    RISING = "rising"
    STEADY = "steady"
    FALLING = "falling"


@dataclass(frozen=True, slots=True)
class PersonRecords:
    """What the summary needs of one participant (the service reads it, once)."""

    alias: str
    status: str  # ParticipantStatus value
    ratings: Sequence[Rating]
    due_days: frozenset[date]  # local days with a daily question
    runs: Sequence[ExerciseRun]
    run_days: Mapping[str, date]  # run id -> the local day it was completed on
    active_from: date | None  # the local day enrolment finished
    unreachable: bool = False
    shares: bool = False  # agreed that their facilitator may see stress flags


@dataclass(frozen=True, slots=True)
class PersonWeek:
    alias: str
    status: str
    due: int
    rated: int
    mean: float | None
    low: int | None
    high: int | None
    vs_previous: float | None
    vs_baseline: float | None
    trend: Trend | None
    slope: float | None
    practice: tuple[tuple[str, int], ...]  # module id, completed runs this week
    before_after: float | None
    flags: tuple[FlagKind, ...]


@dataclass(frozen=True, slots=True)
class GroupWeek:
    week: Week
    people: tuple[PersonWeek, ...]
    due: int
    rated: int
    mean: float | None  # of every daily rating of the week in the group


def summary_due(group: Group, local_now: datetime) -> Week | None:
    """The week whose summary is due to the group's facilitators now: the week that ended,
    from its summary day and time on (so after downtime it still goes, once), unless sent."""
    today = local_now.date()
    week = Week.of(today).previous()
    day = week.end + timedelta(days=1 + group.summary_day)
    if (today, local_now.time()) < (day, group.summary_time) or week.label in group.summaries_sent:
        return None
    return week if week.end >= group.created_at.date() else None  # not before the group


def daily(ratings: Iterable[Rating]) -> dict[date, int]:
    """The day's last rating, per local day."""
    last: dict[date, Rating] = {}
    for r in ratings:
        if r.local_date not in last or r.recorded_at >= last[r.local_date].recorded_at:
            last[r.local_date] = r
    return {d: r.value for d, r in last.items()}


def trend(by_day: Mapping[date, int], end: date) -> tuple[Trend | None, float | None]:
    """The Theil-Sen slope of the ratings of the ``TREND_DAYS`` days up to ``end``."""
    points = sorted((d, v) for d, v in by_day.items()
                    if end - timedelta(days=TREND_DAYS) < d <= end)
    if len(points) < 4:
        return None, None
    from scipy import stats  # imported when a slope is drawn: see casestats.trend

    slope = float(stats.theilslopes([v for _, v in points],
                                    [d.toordinal() for d, _ in points]).slope)
    if slope >= TREND_STEP:
        return Trend.RISING, slope
    return (Trend.FALLING if slope <= -TREND_STEP else Trend.STEADY), slope


def _mean(values: Sequence[int]) -> float | None:
    return statistics.fmean(values) if values else None


def person_week(person: PersonRecords, week: Week, today: date,
                first_session: date | None) -> PersonWeek:
    """One participant's figures for ``week`` (days after ``today`` are not counted)."""
    by_day = daily(person.ratings)
    days = [d for d in week.days() if d <= today]
    values = [by_day[d] for d in days if d in by_day]
    before = [by_day[d] for d in week.previous().days() if d in by_day]
    baseline = ([v for d, v in sorted(by_day.items()) if d < first_session]
                if first_session is not None else [])
    mean, prev, usual = _mean(values), _mean(before), _mean(baseline)
    end = min(week.end, today)
    direction, slope = trend(by_day, end)
    done = [r for r in person.runs if r.completed_at is not None
            and week.start <= person.run_days.get(r.run_id, date.min) <= end]
    changes = [r.after - r.before for r in done if r.before is not None and r.after is not None]
    modules = Counter(r.module_id for r in done)
    return PersonWeek(
        alias=person.alias, status=person.status,
        due=sum(1 for d in days if d in person.due_days),
        rated=sum(1 for d in days if d in person.due_days and d in by_day),
        mean=mean, low=min(values) if values else None, high=max(values) if values else None,
        vs_previous=mean - prev if mean is not None and prev is not None else None,
        vs_baseline=mean - usual if mean is not None and usual is not None else None,
        trend=direction, slope=slope,
        practice=tuple(sorted(modules.items(), key=lambda kv: (-kv[1], kv[0]))),
        before_after=_mean(changes),
        flags=flag_rules.shown(flag_rules.flags(
            by_day, baseline, end, active=person.status == "active",
            unreachable=person.unreachable,
            active_from=person.active_from or end, first_session=first_session), person.shares),
    )


def group_week(people: Iterable[PersonRecords], week: Week, today: date,
               first_session: date | None) -> GroupWeek:
    """Every participant's figures and the group's lines: adherence and the mean."""
    rows = tuple(person_week(p, week, today, first_session) for p in people)
    values = [v for p in people for d, v in daily(p.ratings).items()
              if week.start <= d <= min(week.end, today)]
    return GroupWeek(week, rows, sum(r.due for r in rows), sum(r.rated for r in rows),
                     _mean(values))


@dataclass(frozen=True, slots=True)
class DigestPerson:
    alias: str
    practised: tuple[tuple[str, int], ...]  # exercise id, completed runs since the session
    rated: int  # days rated since the last session
    flags: tuple[FlagKind, ...]


@dataclass(frozen=True, slots=True)
class Digest:
    """What a facilitator reads the day before session ``session``: since ``since`` (the
    last session, or the first day of data before session 1)."""

    session: int
    since: date
    people: tuple[DigestPerson, ...]
    helped: tuple[tuple[str, float, int], ...]  # exercise id, mean (after - before), runs


def digest_due(group: Group, local_now: datetime) -> int | None:
    """Session k (1-based) whose digest is due now: on the day before it, from the group's
    summary time on, unless sent."""
    tomorrow = local_now.date() + timedelta(days=1)
    for k, day in enumerate(group.session_dates, 1):
        if day == tomorrow and local_now.time() >= group.summary_time and (
                k not in group.digests_sent):
            return k
    return None


def digest(people: Iterable[PersonRecords], group: Group, session: int, today: date) -> Digest:
    """Who practised what since the last session, which exercises helped most (the
    largest mean fall in stress around them, at least 2 runs), open flags, days rated."""
    first = group.session_dates[0] if group.session_dates else None
    since = group.session_dates[session - 2] if session >= 2 else today - timedelta(days=14)
    rows: list[DigestPerson] = []
    changes: dict[str, list[int]] = {}
    for p in people:
        by_day = daily(p.ratings)
        done = [r for r in p.runs if r.completed_at is not None
                and since <= p.run_days.get(r.run_id, date.min) <= today]
        for r in done:
            if r.before is not None and r.after is not None:
                changes.setdefault(r.exercise_id, []).append(r.after - r.before)
        baseline = [v for d, v in sorted(by_day.items()) if first and d < first]
        rows.append(DigestPerson(
            p.alias, tuple(sorted(Counter(r.exercise_id for r in done).items(),
                                  key=lambda kv: (-kv[1], kv[0]))),
            sum(1 for d in by_day if since <= d <= today),
            flag_rules.shown(flag_rules.flags(
                by_day, baseline, today, active=p.status == "active",
                unreachable=p.unreachable, active_from=p.active_from or today,
                first_session=first), p.shares)))
    helped = sorted(((ex, statistics.fmean(v), len(v)) for ex, v in changes.items()
                     if len(v) >= 2), key=lambda t: (t[1], t[0]))
    return Digest(session, since, tuple(sorted(rows, key=lambda r: r.alias)),
                  tuple(helped[:3]))
