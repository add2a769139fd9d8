"""Groups and invite codes: shared by the CLI and the facilitators' chat commands."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core import identity
from bot.core.models import Group, Invite, Language
from bot.i18n import Translator
from storage import Store

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

    def render(self, t: Translator, lang: Language | str,
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


def create_group(
    store: Store,
    name: str,
    timezone: str,
    now: datetime,
    pre: date | None = None,
    sessions: Sequence[date] = (),
    post: date | None = None,
    facilitator_ids: Sequence[int] = (),
) -> Group:
    """Create a new group; raise GroupError listing every problem."""
    name = name.strip()
    today = _local_date(now, timezone)
    problems = validate_group(name, timezone, pre, sessions, post, facilitator_ids, today)
    existing = store.get_group(name) if name else None
    if existing is not None:
        problems.append(Problem("exists", {"name": existing.name}))
    if problems:
        raise GroupError(*problems)
    group = Group(
        name=name, timezone=timezone, created_at=now, pre_date=pre,
        session_dates=tuple(sessions), post_date=post,
        facilitator_ids=tuple(facilitator_ids),
    )
    store.add_group(group)
    return group


def _local_date(now: datetime, timezone: str) -> date | None:
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return None


def make_invites(
    store: Store,
    group_name: str,
    now: datetime,
    count: int = 1,
    expires_days: int = DEFAULT_INVITE_DAYS,
) -> list[str]:
    """Create ``count`` single-use codes; only their hashes are stored."""
    group = store.get_group(group_name)
    if group is None:
        raise GroupError(Problem("no_group", {"name": group_name}))
    problems = []
    if not 1 <= count <= MAX_INVITES:
        problems.append(Problem("count", {"max": MAX_INVITES}))
    if not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        problems.append(Problem("expires", {"max": MAX_EXPIRES_DAYS}))
    if problems:
        raise GroupError(*problems)
    secret = store.secret_key()
    codes = [identity.new_invite_code(secrets.token_bytes) for _ in range(count)]
    store.add_invites(
        Invite(
            code_hash=identity.hash_code(secret, identity.normalise_code(code)),
            group=group.name,
            created_at=now,
            expires_at=now + timedelta(days=expires_days),
        )
        for code in codes
    )
    return codes


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
