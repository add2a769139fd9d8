"""Groups and invite codes, for the CLI and the facilitators' chat commands alike."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.core import identity, schedule
from bot.core.groups import (
    DEFAULT_INVITE_DAYS,
    GroupError,
    Problem,
    invite_problems,
    local_date,
    validate_group,
)
from bot.core.models import Group, Invite, Participant, PromptKind
from bot.services.base import Base


@dataclass(frozen=True, slots=True)
class Member:
    """One participant as a facilitator's list shows them."""

    participant: Participant
    alias: str
    rated_last_7: int
    last_rated: date | None = None  # within the last four weeks
    sent: int = 0  # this week's daily questions that reached them
    answered: int = 0
    expired: int = 0
    practised: int = 0  # exercises completed this week


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

    async def change(self, name: str, *, pre: date | None = None,
                     sessions: Sequence[date] | None = None, post: date | None = None,
                     facilitator_ids: Sequence[int] | None = None,
                     summary_day: int | None = None, summary_time: time | None = None,
                     by: str = "cli") -> Group:
        """Change a group's calendar, facilitators or summary day and time (what is not
        given stays); the same rules as at creation; recorded in the audit log."""
        async with self._base.locks.hold(f"group:{name.casefold()}"):  # beside the tick
            return await self._change(name, pre, sessions, post, facilitator_ids,
                                      summary_day, summary_time, by)

    async def _change(self, name: str, pre: date | None, sessions: Sequence[date] | None,
                      post: date | None, facilitator_ids: Sequence[int] | None,
                      summary_day: int | None, summary_time: time | None, by: str) -> Group:
        store = self._base.store
        group = await store.get_group(name)
        if group is None:
            raise GroupError(Problem("no_group", {"name": name}))
        changed = dataclasses.replace(
            group, pre_date=pre if pre is not None else group.pre_date,
            session_dates=tuple(sessions) if sessions is not None else group.session_dates,
            post_date=post if post is not None else group.post_date,
            facilitator_ids=(tuple(facilitator_ids) if facilitator_ids is not None
                             else group.facilitator_ids),
            summary_day=summary_day if summary_day is not None else group.summary_day,
            summary_time=summary_time or group.summary_time)
        problems = validate_group(changed.name, changed.timezone, changed.pre_date,
                                  changed.session_dates, changed.post_date,
                                  changed.facilitator_ids,
                                  local_date(self._base.clock(), changed.timezone))
        if not 0 <= changed.summary_day <= 6:
            problems.append(Problem("summary_day"))
        if problems:
            raise GroupError(*problems)
        await store.save_group(changed)
        await self._base.audit("group_changed", by, None, group=group.name, fields=sorted(
            k for k in ("pre_date", "session_dates", "post_date", "facilitator_ids",
                        "summary_day", "summary_time")
            if getattr(changed, k) != getattr(group, k)))
        return changed

    async def open_invites(self, group_name: str | None = None) -> list[Invite]:
        """Invites not used and not expired (of one group, or all), oldest first."""
        now = self._base.clock()
        found = await self._base.store.list_invites(group_name)
        return sorted((i for i in found if i.is_usable(now)), key=lambda i: i.created_at)

    async def revoke_invite(self, code: str, by: str = "cli") -> Invite | None:
        """Make an unused code unusable now (None: no such unused code)."""
        base = self._base
        code_hash = identity.hash_code(base.secret, identity.normalise_code(code))
        revoked = await base.store.revoke_invite(code_hash, base.clock())
        if revoked is not None:
            await base.audit("invite_revoked", by, None, group=revoked.group,
                             invite=code_hash[:8])
        return revoked

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
        """The group's participants as the delivery view shows them: ratings of their last
        7 local days, this (ISO) week's questions sent, answered and expired, practice.
        One read of each participant's file (its last four weeks), all in one worker hop."""
        base = self._base
        now = base.clock()
        people = await base.store.list_participants(group_name)
        return await base.store.run(lambda: [self._member(p, now) for p in people])

    def _member(self, participant: Participant, now: datetime) -> Member:
        today = schedule.local_today(participant, now)  # each person's own calendar day
        monday = today - timedelta(days=today.weekday())
        recent = self._base.store.sync.read_recent(participant.pid,
                                                   today - timedelta(days=27), None)
        rated = {r.local_date for r in recent.ratings}
        week = [p for p in recent.prompts
                if p.kind is PromptKind.DAILY_RATING and p.local_date >= monday]
        zone = schedule.zone(participant.timezone)
        return Member(
            participant, identity.facilitator_alias(self._base.secret, participant.pid),
            rated_last_7=sum(1 for d in range(7) if today - timedelta(days=d) in rated),
            last_rated=max(rated, default=None),
            sent=sum(1 for p in week if p.sent_at is not None),
            answered=sum(1 for p in week if p.sent_at is not None and p.answered_at is not None),
            expired=sum(1 for p in week if p.expired_at is not None),
            practised=sum(1 for r in recent.runs if r.completed_at is not None
                          and r.completed_at.astimezone(zone).date() >= monday))

    async def count_members(self, group_name: str) -> int:
        return len(await self._base.store.list_participants(group_name))
