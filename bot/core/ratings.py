"""What a participant's ratings say: the day's value, a gentle comparison, when to offer support."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.models import DeliveryStatus, Prompt, Rating

HIGH = 8
HIGH_DAYS = 3
MAX = 10
REFLECT_DAYS = 7
SIMILAR_WITHIN = 1.0


class Trend(enum.StrEnum):
    FIRST = "first"
    LOWER = "lower"
    SIMILAR = "similar"
    HIGHER = "higher"


@dataclass(frozen=True, slots=True)
class Reflection:
    """Today's value against the mean of up to 7 earlier rated days."""

    trend: Trend
    n: int = 0
    mean: float | None = None


@dataclass(frozen=True, slots=True)
class Adherence:
    """Participation over a span of local days."""

    days: int
    days_rated: int
    prompts_sent: int
    prompts_answered: int
    prompts_expired: int
    prompts_failed: int

    @property
    def fraction(self) -> float:
        """Return the share of days in the span that have a rating (0 for an empty span)."""
        return self.days_rated / self.days if self.days else 0.0


def daily_values(ratings: Iterable[Rating]) -> dict[date, int]:
    """Return one value per local date: the most recently recorded rating of that day.

    A later rating of the same day (a correction, or /rate after the prompt) replaces the
    earlier one; on equal ``recorded_at`` the later in iteration order wins. Sorted by date.
    """
    latest: dict[date, Rating] = {}
    for rating in ratings:
        seen = latest.get(rating.local_date)
        if seen is None or rating.recorded_at >= seen.recorded_at:
            latest[rating.local_date] = rating
    return {day: r.value for day, r in sorted(latest.items())}


def reflect(ratings: Iterable[Rating], today: date) -> Reflection | None:
    """Compare today's value with the mean of the rated days among the 7 before ``today``.

    Returns None when today has no rating, or when older ratings exist but none in those
    7 days (nothing fair to compare with); FIRST when today's is the only rated day.
    SIMILAR means within 1 point of the mean (inclusive).
    """
    ratings = list(ratings)
    values = daily_values(ratings)
    if today not in values:
        return None
    earlier = [v for d, v in values.items() if today - timedelta(days=REFLECT_DAYS) <= d < today]
    if not earlier:
        # truly the first rating, or nothing recent enough to compare with (then say nothing)
        # the very first rating ever: FIRST; a second one the same day, or only old
        # ratings: nothing fair to say
        return Reflection(Trend.FIRST) if len(ratings) == 1 else None
    mean = sum(earlier) / len(earlier)
    delta = values[today] - mean
    if abs(delta) <= SIMILAR_WITHIN:
        trend = Trend.SIMILAR
    else:
        trend = Trend.LOWER if delta < 0 else Trend.HIGHER
    return Reflection(trend, len(earlier), round(mean, 1))


class SupportReason(enum.StrEnum):
    """Which rule offered support after a rating (the message says which)."""

    HIGH_DAYS = "high_days"  # three consecutive local days ending today, each >= 8
    TOP_RATING = "top_rating"  # a 10 today


def needs_support(ratings: Iterable[Rating], today: date) -> SupportReason | None:
    """Return why support is offered after today's rating, or None.

    Three high days in a row is named first when both rules hold: it says more.
    """
    values = daily_values(ratings)
    days = [today - timedelta(days=i) for i in range(HIGH_DAYS)]
    if all(values.get(d, -1) >= HIGH for d in days):
        return SupportReason.HIGH_DAYS
    if values.get(today) == MAX:
        return SupportReason.TOP_RATING
    return None


def can_backfill(ratings: Iterable[Rating], today: date) -> date | None:
    """Return yesterday's date when yesterday has no rating (only yesterday may be filled in)."""
    yesterday = today - timedelta(days=1)
    return None if any(r.local_date == yesterday for r in ratings) else yesterday


def adherence(
    prompts: Sequence[Prompt], ratings: Iterable[Rating], start: date, end: date
) -> Adherence:
    """Count rated days and prompt outcomes for local dates in [start, end].

    A prompt counts as sent when Telegram confirmed it or when it was answered (a send
    whose outcome was unknown and so marked failed may still have arrived); SKIPPED
    records (the day was rated before the prompt) count in none of the prompt figures.
    """
    in_span = [p for p in prompts
               if start <= p.local_date <= end and p.delivery is not DeliveryStatus.SKIPPED]
    rated = {d for d in daily_values(ratings) if start <= d <= end}
    answered = [p for p in in_span if p.answered_at is not None]
    return Adherence(
        days=(end - start).days + 1 if end >= start else 0,
        days_rated=len(rated),
        prompts_sent=sum(p.delivery is DeliveryStatus.SENT or p.answered_at is not None
                         for p in in_span),
        prompts_answered=len(answered),
        prompts_expired=sum(p.expired_at is not None and p.answered_at is None for p in in_span),
        prompts_failed=sum(p.delivery in (DeliveryStatus.FAILED, DeliveryStatus.BLOCKED)
                           and p.answered_at is None for p in in_span),
    )
