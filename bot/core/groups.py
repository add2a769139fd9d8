"""Groups, checked: names, time zones, the programme calendar, invite counts (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NAME_PATTERN = re.compile(r"^[\w][\w .-]{0,39}$")
DEFAULT_INVITE_DAYS = 14
MAX_INVITES = 200
MAX_EXPIRES_DAYS = 365


@dataclass(frozen=True)
class Problem:
    """One reason a request cannot be carried out: a locale key under ``group_problem.``."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


class GroupError(ValueError):
    """A group or invite request that cannot be carried out; ``problems`` say why."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(p.key for p in problems))
        self.problems = problems

    def render(self, t: Callable[..., str], lang: str,
               escape: Callable[[str], str] = str) -> str:
        """Every problem in the reader's language, joined with "; "; values escaped."""
        return "; ".join(
            t(lang, f"group_problem.{p.key}", **{k: escape(str(v)) for k, v in p.values.items()})
            for p in self.problems)


def validate_group(
    name: str,
    timezone: str,
    pre: date | None,
    sessions: Sequence[date],
    post: date | None,
    facilitator_ids: Sequence[int] = (),
    today: date | None = None,
) -> list[Problem]:
    """Return every problem with a group definition (empty when it is fine).

    ``today`` is the group's local date: a post date before it means the programme is
    already over, which is refused (earlier dates may be past: a running group may join)."""
    problems: list[Problem] = []
    if not NAME_PATTERN.match(name):
        problems.append(Problem("name"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Problem("zone", {"zone": timezone}))
    if sessions and len(sessions) != 4:
        problems.append(Problem("session_count", {"n": len(sessions)}))
    dates = [d for d in (pre, *sessions, post) if d is not None]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        problems.append(Problem("order"))
    if today is not None and post is not None and post < today:
        problems.append(Problem("post_past", {"post": post.isoformat(),
                                              "today": today.isoformat()}))
    problems.extend(Problem("facilitator", {"id": f}) for f in facilitator_ids if f <= 0)
    return problems


def local_date(now: datetime, timezone: str) -> date | None:
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_dates(text: str) -> list[date]:
    """Parse comma-separated ISO dates (YYYY-MM-DD)."""
    out: list[date] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(date.fromisoformat(part))
        except ValueError as exc:
            raise GroupError(Problem("date", {"text": part})) from exc
    return out


def invite_problems(count: int, expires_days: int) -> list[Problem]:
    problems = []
    if not 1 <= count <= MAX_INVITES:
        problems.append(Problem("count", {"max": MAX_INVITES}))
    if not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        problems.append(Problem("expires", {"max": MAX_EXPIRES_DAYS}))
    return problems
