"""The weekly summary's figures against hand-computed fixtures, and the flag rules."""

from __future__ import annotations

import dataclasses
import statistics
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

import pytest

from bot.core import flags, summary
from bot.core.flags import FlagKind
from bot.core.models import ExerciseRun, Rating, RatingKind
from bot.core.summary import PersonRecords, Trend, Week

W49 = Week(2026, 49)  # Monday 30 November to Sunday 6 December 2026
FIRST_SESSION = date(2026, 11, 27)
TODAY = date(2026, 12, 7)


def day(d: int, month: int = 12) -> date:
    return date(2026, month, d)


def ratings(values: dict[date, int]) -> list[Rating]:
    return [Rating("P", d, v, RatingKind.PROMPTED, datetime(d.year, d.month, d.day, 12,
                                                               tzinfo=UTC), "v")
            for d, v in values.items()]


def run(run_id: str, module: str, before: int | None, after: int | None) -> ExerciseRun:
    return ExerciseRun("P", run_id, "ex", module, datetime(2026, 12, 1, tzinfo=UTC), "v",
                       completed_at=datetime(2026, 12, 1, 1, tzinfo=UTC), before=before,
                       after=after, kind="steps")


def days(first: date, last: date) -> frozenset[date]:
    return frozenset(first + timedelta(days=n) for n in range((last - first).days + 1))


GAPS = PersonRecords(
    alias="Anggrek-12", status="active",
    ratings=ratings({day(23, 11): 3, day(24, 11): 3, day(25, 11): 4,  # baseline and W48
                     day(30, 11): 4, day(1): 6, day(3): 5, day(6): 7}),
    due_days=days(day(23, 11), day(6)),
    runs=[run("r1", "relaxation", 6, 4), run("r2", "relaxation", 5, 5),
          run("r3", "assertiveness", None, None), run("old", "relaxation", 7, 3)],
    run_days={"r1": day(1), "r2": day(2), "r3": day(5), "old": day(29, 11)},
    active_from=day(20, 11), shares=True)
MID_WEEK = PersonRecords(
    alias="Bambu-07", status="active", ratings=ratings({day(3): 2, day(4): 3}),
    due_days=days(day(3), day(6)), runs=[], run_days={}, active_from=day(3))
PAUSED = PersonRecords(
    alias="Cempaka-31", status="active", ratings=ratings({day(30, 11): 5, day(1): 5, day(6): 6}),
    due_days=days(day(30, 11), day(2)) | {day(6)}, runs=[], run_days={}, active_from=day(1, 11))
WITHDREW = PersonRecords(
    alias="Dahlia-44", status="withdrawn", ratings=ratings({day(30, 11): 8}),
    due_days=days(day(30, 11), day(1)), runs=[], run_days={}, active_from=day(1, 11))


def _theil_sen(points: list[tuple[int, int]]) -> float:
    """The median of every pairwise slope (Sen 1968), by hand."""
    return statistics.median((y2 - y1) / (x2 - x1)
                             for (x1, y1), (x2, y2) in combinations(sorted(points), 2))


def test_a_week_with_gaps() -> None:
    row = summary.person_week(GAPS, W49, TODAY, FIRST_SESSION)
    assert (row.due, row.rated) == (7, 4)
    assert (row.mean, row.low, row.high) == (5.5, 4, 7)
    assert row.vs_previous == pytest.approx(5.5 - 10 / 3)  # W48: 3, 3, 4
    assert row.vs_baseline == pytest.approx(5.5 - 10 / 3)  # before 27 November: the same
    points = [(d.toordinal(), v) for d, v in summary.daily(GAPS.ratings).items()]
    assert row.slope == pytest.approx(_theil_sen(points))
    assert row.trend is Trend.RISING
    assert row.practice == (("relaxation", 2), ("assertiveness", 1))
    assert row.before_after == -1.0  # (4 - 6 + 5 - 5) / 2; the old run is last week's
    # 1.96 * max(SD 0.58, 1) * sqrt(1/4 + 1/3) = 1.50 < 2.17: a reliable rise
    assert row.flags == (FlagKind.WORSENING,)
    private = dataclasses.replace(GAPS, shares=False)  # did not agree: no stress flags shown
    assert summary.person_week(private, W49, TODAY, FIRST_SESSION).flags == ()


def test_one_who_joined_mid_week() -> None:
    row = summary.person_week(MID_WEEK, W49, TODAY, FIRST_SESSION)
    assert (row.due, row.rated, row.mean) == (4, 2, 2.5)
    assert row.vs_baseline is None and row.vs_previous is None  # no baseline, no last week
    assert row.trend is None and row.flags == ()


def test_one_who_paused_and_one_who_withdrew() -> None:
    paused = summary.person_week(PAUSED, W49, TODAY, FIRST_SESSION)
    assert (paused.due, paused.rated) == (4, 3)  # no question Thursday to Saturday
    gone = summary.person_week(WITHDREW, W49, TODAY, FIRST_SESSION)
    assert (gone.due, gone.rated, gone.mean) == (2, 1, 8.0)
    assert FlagKind.SILENT not in gone.flags  # only the active can be silent


def test_the_group_lines() -> None:
    week = summary.group_week([GAPS, MID_WEEK, PAUSED, WITHDREW], W49, TODAY, FIRST_SESSION)
    assert (week.due, week.rated) == (17, 10)
    assert week.mean == pytest.approx(51 / 10)  # 4 6 5 7, 2 3, 5 5 6, 8


def test_a_week_still_running_counts_only_the_days_so_far() -> None:
    row = summary.person_week(GAPS, W49, day(2), FIRST_SESSION)
    assert (row.due, row.rated, row.mean) == (3, 2, 5.0)


def test_weeks() -> None:
    assert Week.parse("2026-W49") == W49 == Week.parse("2026w49") == Week.of(day(3))
    assert (W49.start, W49.end, W49.label) == (day(30, 11), day(6), "2026-W49")
    assert W49.previous() == Week(2026, 48)
    assert Week.parse("2026-W54") is None and Week.parse("next week") is None
    assert Week.of(date(2027, 1, 1)) == Week(2026, 53)


def test_rising_three_of_the_last_four_days() -> None:
    baseline = [3, 4, 3]  # mean 3.33: "above" is 5.33 or more
    by_day = {day(1): 6, day(2): 4, day(3): 6}
    assert not flags.rising(by_day, baseline, day(3))  # two of three
    by_day[day(4)] = 7
    assert flags.rising(by_day, baseline, day(4))  # 6, 4, 6, 7: three of four
    assert not flags.rising(by_day, [], day(4))  # no baseline, no rule


def test_high_and_silent() -> None:
    assert flags.high({day(1): 7, day(3): 9, day(6): 8}, day(7))
    assert not flags.high({day(1): 7, day(3): 9, day(8): 8}, day(14))
    assert flags.silent({day(1): 3}, day(4), day(1))
    assert not flags.silent({day(2): 3}, day(4), day(1))
    assert not flags.silent({}, day(2), day(1))  # enrolled yesterday: not three days yet


def test_an_episode_alerts_once() -> None:
    assert flags.started([FlagKind.RISING], []) == (FlagKind.RISING,)
    assert flags.started([FlagKind.RISING], ["rising"]) == ()
    assert flags.started([FlagKind.RISING, FlagKind.HIGH], ["rising"]) == ()  # the same episode
    assert flags.started([FlagKind.HIGH], []) == (FlagKind.HIGH,)  # all ended: a new one
    quiet = [FlagKind.UNREACHABLE]  # told elsewhere
    assert flags.started([FlagKind.UNREACHABLE], [], quiet) == ()
    assert flags.started([FlagKind.SILENT, FlagKind.UNREACHABLE], ["unreachable"], quiet) == (
        FlagKind.SILENT,)


def test_worsening_counts_only_the_days_since_the_first_session() -> None:
    by_day = {day(23, 11): 3, day(24, 11): 3, day(25, 11): 3, day(28, 11): 7, day(29, 11): 7}
    assert flags.worsening(by_day, [3, 3, 3], day(29, 11))  # the baseline days inside
    assert not flags.worsening(by_day, [3, 3, 3], day(29, 11), after=FIRST_SESSION)


def test_the_summary_is_due_from_its_day_and_time_once() -> None:
    from datetime import time as clock

    from bot.core.models import Group

    group = Group("G", "Asia/Jakarta", datetime(2026, 11, 1, tzinfo=UTC))
    at = lambda d, h, m=0: datetime(2026, 12, d, h, m)  # noqa: E731  (local times)
    assert summary.summary_due(group, at(7, 7, 59)) is None  # Monday before 08:00
    assert summary.summary_due(group, at(7, 8)) == W49  # the week that ended
    assert summary.summary_due(group, at(9, 15)) == W49  # after downtime: still that one
    sent = Group("G", "Asia/Jakarta", group.created_at, summaries_sent=("2026-W49",))
    assert summary.summary_due(sent, at(9, 15)) is None
    wednesday = Group("G", "Asia/Jakarta", group.created_at, summary_day=2,
                      summary_time=clock(17, 30))
    assert summary.summary_due(wednesday, at(9, 17, 29)) is None
    assert summary.summary_due(wednesday, at(9, 17, 30)) == W49


def test_the_digest_is_due_the_day_before_each_session_once() -> None:
    from bot.core.models import Group

    group = Group("G", "Asia/Jakarta", datetime(2026, 11, 1, tzinfo=UTC),
                  session_dates=(day(27, 11), day(4), day(11), day(18)))
    assert summary.digest_due(group, datetime(2026, 12, 3, 7, 59)) is None
    assert summary.digest_due(group, datetime(2026, 12, 3, 8, 0)) == 2
    assert summary.digest_due(group, datetime(2026, 12, 4, 8, 0)) is None  # the day itself
    sent = Group("G", "Asia/Jakarta", group.created_at, session_dates=group.session_dates,
                 digests_sent=(2,))
    assert summary.digest_due(sent, datetime(2026, 12, 3, 9, 0)) is None


def test_the_digest_says_who_practised_and_what_helped() -> None:
    from bot.core.models import Group

    group = Group("G", "Asia/Jakarta", datetime(2026, 11, 1, tzinfo=UTC),
                  session_dates=(FIRST_SESSION, day(4), day(11), day(18)))
    runs = [run("a", "relaxation", 7, 4), run("b", "relaxation", 6, 5),
            run("c", "relaxation", 5, 5)]
    runs = [dataclasses.replace(r, exercise_id=e) for r, e in zip(
        runs, ("pmr-short", "pmr-short", "body-scan"), strict=True)]
    person = dataclasses.replace(GAPS, runs=runs, run_days={"a": day(5), "b": day(6),
                                                            "c": day(6)})
    digest = summary.digest([person, MID_WEEK], group, 3, day(10))
    assert digest.since == day(4)  # since session 2
    first = digest.people[0]
    assert first.alias == "Anggrek-12" and first.practised == (("pmr-short", 2), ("body-scan", 1))
    assert first.rated == 1  # 6 December only
    assert digest.helped == (("pmr-short", -2.0, 2),)  # body-scan: one run is not enough
    assert digest.people[1].practised == () and FlagKind.SILENT in digest.people[1].flags
