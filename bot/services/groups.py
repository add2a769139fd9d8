"""Groups and invite codes, for the CLI and the facilitators' chat commands alike."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core import identity, schedule
from bot.core.groups import (
    DEFAULT_INVITE_DAYS,
    GroupError,
    Problem,
    invite_problems,
    local_date,
    validate_group,
)
from bot.core.models import Group, Invite, Participant
from bot.services.base import Base


@dataclass(frozen=True, slots=True)
class Member:
    """One participant as a facilitator's list shows them."""

    participant: Participant
    alias: str
    rated_last_7: int


class Groups:
    def __init__(self, base: Base) -> None:
        self._base = base

    async def create(
        self, name: str, timezone: str, pre: date | None = None, sessions: Sequence[date] = (),
        post: date | None = None, facilitator_ids: Sequence[int] = (), by: str = "cli",
    ) -> Group:
        """Create a new group; raise GroupError listing every problem."""
        store, now = self._base.store, self._base.clock()
        name = name.strip()
        problems = validate_group(name, timezone, pre, sessions, post, facilitator_ids,
                                  local_date(now, timezone))
        existing = await store.get_group(name) if name else None
        if existing is not None:
            problems.append(Problem("exists", {"name": existing.name}))
        if problems:
            raise GroupError(*problems)
        group = Group(name=name, timezone=timezone, created_at=now, pre_date=pre,
                      session_dates=tuple(sessions), post_date=post,
                      facilitator_ids=tuple(facilitator_ids))
        await store.add_group(group)
        await self._base.audit("group_created", by, None, group=group.name)
        return group

    async def get(self, name: str) -> Group | None:
        return await self._base.store.get_group(name)

    async def all(self) -> list[Group]:
        return await self._base.store.list_groups()

    async def invite(self, group_name: str, count: int = 1,
                     expires_days: int = DEFAULT_INVITE_DAYS,
                     by: str = "cli") -> tuple[Group, list[str]]:
        """Create ``count`` single-use codes for the group; only their hashes are stored."""
        base = self._base
        group = await base.store.get_group(group_name)
        if group is None:
            raise GroupError(Problem("no_group", {"name": group_name}))
        problems = invite_problems(count, expires_days)
        if problems:
            raise GroupError(*problems)
        now = base.clock()
        codes = [identity.new_invite_code(secrets.token_bytes) for _ in range(count)]
        await base.store.add_invites([
            Invite(code_hash=identity.hash_code(base.secret, identity.normalise_code(code)),
                   group=group.name, created_at=now,
                   expires_at=now + timedelta(days=expires_days))
            for code in codes
        ])
        await base.audit("invites_created", by, None, group=group.name, count=count)
        return group, codes

    async def members(self, group_name: str) -> list[Member]:
        """The group's participants with how many of their last 7 local days they rated."""
        base = self._base
        now = base.clock()
        out = []
        for participant in await base.store.list_participants(group_name):
            rated = {r.local_date for r in await base.store.list_ratings(participant.pid)}
            today = schedule.local_today(participant, now)  # each person's own calendar day
            week = sum(1 for d in range(7) if today - timedelta(days=d) in rated)
            out.append(Member(participant, identity.facilitator_alias(base.secret,
                                                                       participant.pid), week))
        return out

    async def count_members(self, group_name: str) -> int:
        return len(await self._base.store.list_participants(group_name))
