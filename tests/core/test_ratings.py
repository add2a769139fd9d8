"""core.ratings: one value per local day, the gentle comparison, the support rule,
backfill and adherence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import ratings
from bot.core.models import DeliveryStatus, Prompt, PromptKind, Rating, RatingKind
from bot.core.ratings import Adherence, Reflection, Trend

TODAY = date(2026, 3, 29)  # a DST Sunday in Europe: local dates are what counts
AT = datetime(2026, 3, 29, 12, tzinfo=UTC)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def rating(day: date, value: int, minute: int = 0,
           kind: RatingKind = RatingKind.PROMPTED) -> Rating:
    return Rating("P1", day, value, kind,
                  datetime.combine(day, time(12, minute), tzinfo=UTC), "v")


def history(*pairs: tuple[int, int]) -> list[Rating]:
    """(days ago, value) pairs."""
    return [rating(ago(n), v) for n, v in pairs]


# --- daily_values ---------------------------------------------------------------------------

def test_daily_values_keeps_the_latest_of_each_day_sorted() -> None:
    rs = [rating(ago(0), 3, 5), rating(ago(2), 7), rating(ago(0), 9, 1), rating(ago(1), 4)]
    assert ratings.daily_values(rs) == {ago(2): 7, ago(1): 4, ago(0): 3}
    assert list(ratings.daily_values(rs)) == [ago(2), ago(1), ago(0)]
    assert ratings.daily_values(reversed(rs)) == {ago(2): 7, ago(1): 4, ago(0): 3}


def test_daily_values_tie_goes_to_the_later_in_order() -> None:
    assert ratings.daily_values([rating(TODAY, 2), rating(TODAY, 6)]) == {TODAY: 6}
    assert ratings.daily_values([]) == {}


def test_daily_values_accepts_a_generator() -> None:
    assert ratings.daily_values(r for r in history((0, 5))) == {TODAY: 5}


def test_rating_out_of_range_is_refused() -> None:
    for bad in (-1, 11):
        with pytest.raises(ValueError):
            rating(TODAY, bad)


# --- reflect ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("pairs", "expected"), [
    ([(0, 5)], Reflection(Trend.FIRST)),
    ([(1, 8), (0, 5)], Reflection(Trend.LOWER, 1, 8.0)),
    ([(1, 5), (0, 6)], Reflection(Trend.SIMILAR, 1, 5.0)),     # +1: similar (inclusive)
    ([(1, 5), (0, 4)], Reflection(Trend.SIMILAR, 1, 5.0)),     # -1: similar
    ([(1, 5), (0, 7)], Reflection(Trend.HIGHER, 1, 5.0)),
    ([(3, 5), (2, 5), (1, 5), (0, 3)], Reflection(Trend.LOWER, 3, 5.0)),   # exactly 2 below
    ([(2, 6), (1, 5), (0, 7)], Reflection(Trend.HIGHER, 2, 5.5)),          # 1.5 above
    ([(1, 5), (2, 6), (3, 6), (0, 7)], Reflection(Trend.HIGHER, 3, 5.7)),  # 1.33 above
    ([(1, 6), (2, 6), (3, 7), (0, 7)], Reflection(Trend.SIMILAR, 3, 6.3)),
    ([(7, 2), (0, 5)], Reflection(Trend.HIGHER, 1, 2.0)),      # 7 days ago is in the window
    ([(8, 2), (1, 5), (0, 5)], Reflection(Trend.SIMILAR, 1, 5.0)),  # 8 days ago is not
    ([(n, 10) for n in range(1, 8)] + [(0, 0)], Reflection(Trend.LOWER, 7, 10.0)),
    ([(1, 0), (0, 10)], Reflection(Trend.HIGHER, 1, 0.0)),
])
def test_reflect(pairs: list[tuple[int, int]], expected: Reflection) -> None:
    assert ratings.reflect(history(*pairs), TODAY) == expected


def test_reflect_uses_each_days_latest_value() -> None:
    rs = [rating(ago(1), 9, 0), rating(ago(1), 2, 30), rating(TODAY, 8, 0), rating(TODAY, 3, 9)]
    assert ratings.reflect(rs, TODAY) == Reflection(Trend.SIMILAR, 1, 2.0)


@pytest.mark.parametrize("pairs", [
    [],                  # nothing at all
    [(1, 5)],            # no rating today
    [(8, 5), (0, 5)],    # only an old rating: nothing fair to compare with
    [(30, 1), (0, 9)],
])
def test_reflect_says_nothing(pairs: list[tuple[int, int]]) -> None:
    assert ratings.reflect(history(*pairs), TODAY) is None


def test_reflect_for_a_backfilled_day_ignores_later_days() -> None:
    rs = history((2, 4), (0, 9)) + [rating(ago(1), 4, kind=RatingKind.BACKFILL)]
    assert ratings.reflect(rs, ago(1)) == Reflection(Trend.SIMILAR, 1, 4.0)


def test_reflect_first_entry_backfilled_after_today_is_not_first() -> None:
    # today's rating exists, so yesterday's (backfilled) is not "your first entry"
    rs = history((0, 5)) + [rating(ago(1), 4, kind=RatingKind.BACKFILL)]
    assert ratings.reflect(rs, ago(1)) is None


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 10)), max_size=25),
       st.integers(0, 10))
def test_reflect_properties(pairs: list[tuple[int, int]], today_value: int) -> None:
    rs = history(*pairs) + [rating(TODAY, today_value, 59)]
    result = ratings.reflect(rs, TODAY)
    earlier = {n for n, _ in pairs if 1 <= n <= 7}
    if result is None:  # older ratings only, or a second rating today: nothing to compare
        assert not earlier and pairs
        return
    assert result.n == len(earlier)
    if result.trend is Trend.FIRST:  # the very first rating ever
        assert not pairs and result.mean is None
    else:
        assert result.mean is not None and 0 <= result.mean <= 10


# --- needs_support ------------------------------------------------------------------------------

HIGH, TOP = ratings.SupportReason.HIGH_DAYS, ratings.SupportReason.TOP_RATING


@pytest.mark.parametrize(("pairs", "expected"), [
    ([(0, 10)], TOP),                           # a 10 today, on its own
    ([(3, 8), (2, 3), (1, 6), (0, 10)], TOP),   # a single 10 after 8, 3, 6: not "days"
    ([(0, 9)], None),
    ([(1, 10), (0, 3)], None),                  # yesterday's 10 is not today's
    ([(2, 8), (1, 8), (0, 8)], HIGH),           # three days >= 8 ending today
    ([(2, 9), (1, 10), (0, 8)], HIGH),
    ([(2, 8), (1, 9), (0, 10)], HIGH),          # both rules: the run of days is named
    ([(2, 8), (1, 8), (0, 7)], None),
    ([(2, 7), (1, 8), (0, 8)], None),
    ([(3, 8), (1, 8), (0, 8)], None),           # a gap breaks the run
    ([(3, 8), (2, 8), (1, 8)], None),           # a run that does not end today
    ([(1, 8), (0, 8)], None),                   # only two days
    ([(n, 9) for n in range(10)], HIGH),
])
def test_needs_support_names_the_rule_that_fired(
        pairs: list[tuple[int, int]], expected: ratings.SupportReason | None) -> None:
    assert ratings.needs_support(history(*pairs), TODAY) is expected


def test_needs_support_uses_corrected_values() -> None:
    rs = history((2, 8), (1, 8)) + [rating(TODAY, 9, 0), rating(TODAY, 2, 5)]
    assert ratings.needs_support(rs, TODAY) is None
    rs = history((2, 1), (1, 8)) + [rating(ago(2), 8, 30), rating(TODAY, 8)]
    assert ratings.needs_support(rs, TODAY) is HIGH
    rs = [rating(TODAY, 10, 0), rating(TODAY, 6, 5)]  # the latest value of the day counts
    assert ratings.needs_support(rs, TODAY) is None


# --- can_backfill -------------------------------------------------------------------------------

@pytest.mark.parametrize(("pairs", "expected"), [
    ([], ago(1)),
    ([(0, 5)], ago(1)),           # today's rating does not matter
    ([(2, 5)], ago(1)),
    ([(1, 5)], None),             # yesterday already rated
])
def test_can_backfill(pairs: list[tuple[int, int]], expected: date | None) -> None:
    assert ratings.can_backfill(history(*pairs), TODAY) == expected


def test_can_backfill_across_month_and_year() -> None:
    assert ratings.can_backfill([], date(2027, 1, 1)) == date(2026, 12, 31)
    assert ratings.can_backfill([], date(2028, 3, 1)) == date(2028, 2, 29)


# --- adherence ---------------------------------------------------------------------------------

def prompt(day: date, delivery: DeliveryStatus, **kw: datetime) -> Prompt:
    return Prompt("P1", PromptKind.DAILY_RATING, day,
                  datetime.combine(day, time(12), tzinfo=UTC), "v", delivery=delivery, **kw)


def test_adherence_counts() -> None:
    prompts = [
        prompt(ago(0), DeliveryStatus.SENT, answered_at=AT),
        prompt(ago(1), DeliveryStatus.SENT, expired_at=AT),
        prompt(ago(2), DeliveryStatus.SENT, answered_at=AT),
        prompt(ago(3), DeliveryStatus.BLOCKED, expired_at=AT),
        prompt(ago(4), DeliveryStatus.FAILED),
        prompt(ago(5), DeliveryStatus.SKIPPED, answered_at=AT),
        prompt(ago(6), DeliveryStatus.PENDING),
        prompt(ago(7), DeliveryStatus.SENT, answered_at=AT),   # outside the span
        # a send marked failed (outcome unknown) that was answered after all: sent, not failed
        prompt(ago(1), DeliveryStatus.FAILED, answered_at=AT),
        prompt(ago(2), DeliveryStatus.FAILED, expired_at=AT),
        prompt(ago(3), DeliveryStatus.BLOCKED),
    ]
    rs = history((0, 5), (0, 6), (2, 3), (5, 4), (7, 1))
    result = ratings.adherence(prompts, rs, ago(6), TODAY)
    assert result == Adherence(days=7, days_rated=3, prompts_sent=4, prompts_answered=3,
                               prompts_expired=3, prompts_failed=4)
    assert result.fraction == pytest.approx(3 / 7)


def test_adherence_empty_and_reversed_span() -> None:
    assert ratings.adherence([], [], TODAY, TODAY) == Adherence(1, 0, 0, 0, 0, 0)
    reversed_span = ratings.adherence([], history((0, 5)), TODAY, ago(1))
    assert reversed_span.days == 0 and reversed_span.fraction == 0.0


def test_adherence_full_span() -> None:
    rs = history(*[(n, 5) for n in range(7)])
    assert ratings.adherence([], rs, ago(6), TODAY).fraction == 1.0
