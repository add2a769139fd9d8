"""core.calendar: the study phase of a group on a local date, with missing dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.calendar import Phase, open_sessions, phase
from bot.core.models import Group

PRE = date(2026, 1, 5)
S = tuple(date(2026, 1, 12) + timedelta(weeks=i) for i in range(4))
POST = date(2026, 2, 16)


def group(pre: date | None = PRE, sessions: tuple[date, ...] = S,
          post: date | None = POST) -> Group:
    return Group("G", "Asia/Jakarta", datetime(2026, 1, 1, tzinfo=UTC), pre_date=pre,
                 session_dates=sessions, post_date=post)


ONE = timedelta(days=1)


@pytest.mark.parametrize(("day", "expected", "held"), [
    (PRE - ONE, Phase.BEFORE, 0), (PRE, Phase.BASELINE, 0), (S[0] - ONE, Phase.BASELINE, 0),
    (S[0], Phase.MODULE_1, 1), (S[1] - ONE, Phase.MODULE_1, 1), (S[1], Phase.MODULE_2, 2),
    (S[2], Phase.MODULE_3, 3), (S[3], Phase.MODULE_4, 4), (POST - ONE, Phase.MODULE_4, 4),
    (POST, Phase.POST, 4), (POST + 365 * ONE, Phase.POST, 4),
])
def test_phase_boundaries(day: date, expected: Phase, held: int) -> None:
    assert phase(group(), day) is expected
    assert open_sessions(group(), day) == held


@pytest.mark.parametrize(("g", "day", "expected", "held"), [
    (group(pre=None), date(2025, 1, 1), Phase.BASELINE, 0),    # no pre date: no "before"
    (group(sessions=()), S[3], Phase.BASELINE, 0),             # sessions not set yet
    (group(sessions=S[:2]), S[3], Phase.MODULE_2, 2),          # only two set so far
    (group(post=None), date(2030, 1, 1), Phase.MODULE_4, 4),   # no post: last module runs on
    (group(pre=None, sessions=(), post=None), date(2026, 1, 1), Phase.BASELINE, 0),
    (group(pre=None, sessions=(), post=POST), POST, Phase.POST, 0),
    (group(sessions=tuple(reversed(S))), S[1], Phase.MODULE_2, 2),   # order does not matter
    (group(sessions=(*S, S[3] + 7 * ONE)), S[3] + 8 * ONE, Phase.MODULE_4, 4),  # >4 count as 4
    (group(sessions=(*S, S[3] + ONE)), POST, Phase.POST, 4),
])
def test_phase_with_missing_or_odd_dates(g: Group, day: date, expected: Phase,
                                         held: int) -> None:
    assert phase(g, day) is expected
    assert open_sessions(g, day) == held


def test_every_day_of_the_programme_has_one_phase_in_order() -> None:
    order = list(Phase)
    seen = [phase(group(), PRE - ONE + i * ONE) for i in range((POST - PRE).days + 3)]
    assert [order.index(p) for p in seen] == sorted(order.index(p) for p in seen)
    assert set(seen) == set(Phase)
