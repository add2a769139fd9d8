"""Weekly summaries for facilitators: each participant's records read once, the figures
computed in the core (``bot.core.summary``), and which summaries have been sent."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core import identity, schedule, summary
from bot.core.models import Group, Participant, ParticipantStatus, PromptKind
from bot.core.summary import GroupWeek, PersonRecords, Week
from bot.services.base import Base

KEEP_SENT = 8  # weeks remembered as sent
WINDOW_DAYS = 28  # what a summary reads back from its week's end: the chart's four weeks
SHOWN = frozenset({ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED,
                   ParticipantStatus.UNREACHABLE, ParticipantStatus.WITHDRAWN})


@dataclass(frozen=True, slots=True)
class Summary:
    group: Group
    figures: GroupWeek
    today: date  # in the group's zone
    daily: dict[str, dict[date, int]]  # alias -> the day's rating, for the chart


class Summaries:
    def __init__(self, base: Base) -> None:
        self._base = base

    def _records(self, participant: Participant, alias: str, window: date,
                 first_session: date | None) -> PersonRecords:
        """One participant's file, read once (in the store's thread): the weeks the summary
        and its chart look at, and the baseline."""
        zone = schedule.zone(participant.timezone)
        recent = self._base.store.sync.read_recent(participant.pid, window, first_session)
        runs = recent.runs
        since = participant.active_since or (participant.consent.at if participant.consent
                                             else None)
        return PersonRecords(
            alias=alias, status=participant.status.value,
            ratings=recent.ratings,
            due_days=frozenset(p.local_date for p in recent.prompts
                               if p.kind is PromptKind.DAILY_RATING),
            runs=runs,
            run_days={r.run_id: r.completed_at.astimezone(zone).date() for r in runs
                      if r.completed_at is not None},
            active_from=since.astimezone(zone).date() if since else None,
            unreachable=participant.status is ParticipantStatus.UNREACHABLE,
            shares=participant.share_flags is True)

    async def due(self) -> list[tuple[Group, Week]]:
        """The weekly summaries due now, each marked sent before it is sent: a restart
        never sends one twice (a facilitator can always ask with /summary)."""
        base, out = self._base, []
        for listed in await base.store.list_groups():
            async with base.locks.hold(f"group:{listed.name.casefold()}"):  # beside /group
                group = await base.store.get_group(listed.name) or listed
                local = base.clock().astimezone(schedule.zone(group.timezone))
                week = summary.summary_due(group, local)
                if week is None:
                    continue
                sent = (*group.summaries_sent, week.label)[-KEEP_SENT:]
                await base.store.save_group(dataclasses.replace(group, summaries_sent=sent))
            await base.audit("summary_sent", "bot", None, group=group.name, week=week.label)
            out.append((group, week))
        return out

    async def digests_due(self) -> list[tuple[Group, int]]:
        """The eve-of-session digests due now (session k tomorrow), marked sent first."""
        base, out = self._base, []
        for listed in await base.store.list_groups():
            async with base.locks.hold(f"group:{listed.name.casefold()}"):
                group = await base.store.get_group(listed.name) or listed
                local = base.clock().astimezone(schedule.zone(group.timezone))
                session = summary.digest_due(group, local)
                if session is None:
                    continue
                await base.store.save_group(dataclasses.replace(
                    group, digests_sent=(*group.digests_sent, session)))
            out.append((group, session))
        return out

    async def digest_of(self, group: Group, session: int) -> summary.Digest:
        """Since the last session: who practised what, what helped, flags, days rated."""
        base = self._base
        today = base.clock().astimezone(schedule.zone(group.timezone)).date()
        people = [p for p in await base.store.list_participants(group.name)
                  if p.status in SHOWN and p.status is not ParticipantStatus.WITHDRAWN]
        first = group.session_dates[0] if group.session_dates else None
        window = today - timedelta(days=WINDOW_DAYS)
        records = await base.store.run(lambda: [self._records(
            p, identity.facilitator_alias(base.secret, p.pid), window, first) for p in people])
        return summary.digest(records, group, session, today)

    async def of(self, group: Group, week: Week | None = None) -> Summary:
        """The figures of ``week`` (this week when None) for ``group``, by facilitator alias."""
        return await self._of(group, week, await self._base.store.list_participants(group.name))

    async def of_many(self, wanted: list[tuple[Group, Week]]) -> list[Summary]:
        """Several groups' summaries with one listing of the participants (the weekly job:
        every group of a zone is due at the same minute)."""
        everyone = await self._base.store.list_participants()
        return [await self._of(group, week, [p for p in everyone if p.group == group.name])
                for group, week in wanted]

    async def _of(self, group: Group, week: Week | None, members: list[Participant]) -> Summary:
        base = self._base
        today = base.clock().astimezone(schedule.zone(group.timezone)).date()
        week = week or Week.of(today)
        people = [p for p in members if p.status in SHOWN]
        aliases = {p.pid: identity.facilitator_alias(base.secret, p.pid) for p in people}
        first = group.session_dates[0] if group.session_dates else None
        window = min(week.end, today) - timedelta(days=WINDOW_DAYS)
        records = await base.store.run(
            lambda: [self._records(p, aliases[p.pid], window, first) for p in people])
        records.sort(key=lambda r: r.alias)
        figures = summary.group_week(records, week, today, first)
        return Summary(group, figures, today, {r.alias: summary.daily(r.ratings)
                                               for r in records})
