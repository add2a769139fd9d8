"""Groups and invite codes: shared by the CLI and the facilitators' chat commands."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core import identity
from bot.core.models import Group, Invite
from storage import Store

NAME_PATTERN = re.compile(r"^[\w][\w .-]{0,39}$")
DEFAULT_INVITE_DAYS = 14
MAX_INVITES = 200


class GroupError(ValueError):
    """A group or invite request that cannot be carried out; the message says why."""


def validate_group(
    name: str,
    timezone: str,
    pre: date | None,
    sessions: Sequence[date],
    post: date | None,
) -> list[str]:
    """Return every problem with a group definition (empty when it is fine)."""
    problems: list[str] = []
    if not NAME_PATTERN.match(name):
        problems.append(
            "the name must be 1-40 letters, digits, spaces, dots, dashes or underscores"
        )
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"{timezone!r} is not a time zone (try Asia/Jakarta, WIB, WITA or WIT)")
    if sessions and len(sessions) != 4:
        problems.append(f"give exactly 4 session dates, got {len(sessions)}")
    dates = [d for d in (pre, *sessions, post) if d is not None]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        problems.append("dates must go forward: pre < session 1 < ... < session 4 < post")
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
    problems = validate_group(name, timezone, pre, sessions, post)
    if store.get_group(name) is not None:
        problems.append(f"a group called {name!r} already exists")
    if problems:
        raise GroupError("; ".join(problems))
    group = Group(
        name=name, timezone=timezone, created_at=now, pre_date=pre,
        session_dates=tuple(sessions), post_date=post,
        facilitator_ids=tuple(facilitator_ids),
    )
    store.add_group(group)
    return group


def make_invites(
    store: Store,
    group_name: str,
    now: datetime,
    count: int = 1,
    expires_days: int = DEFAULT_INVITE_DAYS,
) -> list[str]:
    """Create ``count`` single-use codes; only their hashes are stored."""
    if store.get_group(group_name) is None:
        raise GroupError(f"there is no group called {group_name!r} (see: jeda group list)")
    if not 1 <= count <= MAX_INVITES:
        raise GroupError(f"count must be between 1 and {MAX_INVITES}")
    if not 1 <= expires_days <= 365:
        raise GroupError("expires-days must be between 1 and 365")
    secret = store.secret_key()
    codes = [identity.new_invite_code(secrets.token_bytes) for _ in range(count)]
    store.add_invites(
        Invite(
            code_hash=identity.hash_code(secret, identity.normalise_code(code)),
            group=group_name,
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
            raise GroupError(f"{part!r} is not a date like 2026-12-01") from exc
    return out
