"""Early warning: each participant against their own baseline. Pure.

A participant's *baseline* is their ratings before the first group session. The rules
(their plain words are the locale's ``flag.rule.*``; summaries print them):

- RISING: on at least 3 of the last 4 rated days, the rating was at least ``MARGIN`` (2)
  points above the baseline mean. Needs a baseline.
- HIGH: a rating of 7 or more on at least 3 of the last 7 days.
- WORSENING: the mean of the last 7 days is above the baseline mean by more than chance
  variation: (mean7 - baseline) > 1.96 * SD * sqrt(1/n7 + 1/n_baseline), with SD the
  baseline's sample SD (at least 1 point, so a very steady baseline does not make every small
  rise "reliable"), at least 4 ratings in the 7 days and 3 in the baseline. The same logic
  as a reliable change index (Jacobson & Truax 1991) applied to two means.
- SILENT: active, and no rating on the last 3 days (counting from enrolment).
- UNREACHABLE: the participant blocked the bot.

An *episode* lasts while at least one rule holds; ``started`` says when one begins, so a
facilitator is alerted once per episode.
"""

from __future__ import annotations

import enum
import math
import statistics
from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta

MARGIN = 2.0  # points above the baseline mean that count as "above their usual"
HIGH_AT = 7
MIN_SD = 1.0


class FlagKind(enum.StrEnum):
    RISING = "rising"
    HIGH = "high"
    WORSENING = "worsening"
    SILENT = "silent"
    UNREACHABLE = "unreachable"


# what the participant's consent covers ("when my stress stays high"): without it these are
# never shown to a facilitator; silent and unreachable are about delivery, not stress
ABOUT_STRESS = frozenset({FlagKind.RISING, FlagKind.HIGH, FlagKind.WORSENING})


def shown(found: Collection[FlagKind], shares: bool) -> tuple[FlagKind, ...]:
    """The flags a facilitator may see: all with consent, else only the delivery ones."""
    return tuple(f for f in found if shares or f not in ABOUT_STRESS)


def _last_days(ratings: Mapping[date, int], today: date, days: int) -> list[int]:
    return [v for d, v in ratings.items() if today - timedelta(days=days) < d <= today]


def rising(ratings: Mapping[date, int], baseline: Sequence[int], today: date) -> bool:
    if not baseline:
        return False
    usual = statistics.fmean(baseline)
    last = [ratings[d] for d in sorted(d for d in ratings if d <= today)[-4:]]
    return len(last) >= 3 and sum(1 for v in last if v >= usual + MARGIN) >= 3


def high(ratings: Mapping[date, int], today: date) -> bool:
    return sum(1 for v in _last_days(ratings, today, 7) if v >= HIGH_AT) >= 3


def worsening(ratings: Mapping[date, int], baseline: Sequence[int], today: date,
              after: date | None = None) -> bool:
    """``after``: the first session; the 7 days count only ratings from then on."""
    week = [v for d, v in ratings.items()
            if today - timedelta(days=7) < d <= today and (after is None or d >= after)]
    if len(week) < 4 or len(baseline) < 3:
        return False
    sd = max(statistics.stdev(baseline), MIN_SD)
    margin = 1.96 * sd * math.sqrt(1 / len(week) + 1 / len(baseline))
    return statistics.fmean(week) - statistics.fmean(baseline) > margin


def silent(ratings: Mapping[date, int], today: date, active_from: date) -> bool:
    """No rating on the last 3 days, all of them days the participant was enrolled."""
    if today - active_from < timedelta(days=2):
        return False
    return not _last_days(ratings, today, 3)


def flags(ratings: Mapping[date, int], baseline: Sequence[int], today: date, *,
          active: bool, unreachable: bool, active_from: date,
          first_session: date | None = None) -> tuple[FlagKind, ...]:
    """The flags that hold on ``today`` (ratings by local day, the baseline's values)."""
    out = []
    if rising(ratings, baseline, today):
        out.append(FlagKind.RISING)
    if high(ratings, today):
        out.append(FlagKind.HIGH)
    if worsening(ratings, baseline, today, first_session):
        out.append(FlagKind.WORSENING)
    if active and silent(ratings, today, active_from):
        out.append(FlagKind.SILENT)
    if unreachable:
        out.append(FlagKind.UNREACHABLE)
    return tuple(out)


def started(now: Collection[FlagKind], open_before: Collection[str],
            quiet: Collection[FlagKind] = ()) -> tuple[FlagKind, ...]:
    """The flags to alert about: all that hold now, when an *episode* starts, i.e. none of
    them (``quiet`` ones aside: told elsewhere) was open before. A rise that also becomes
    "high" and then "worsening" is one episode and one alert; once every flag has ended, the
    next one starts a new episode."""
    loud = [f for f in now if f not in quiet]
    if not loud or any(FlagKind(v) not in quiet for v in open_before):
        return ()
    return tuple(loud)
