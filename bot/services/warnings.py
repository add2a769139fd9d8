"""Early warning: each participant's flags (``bot.core.flags``) evaluated against their
own baseline, episodes remembered, and who is to be asked about sharing them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core import flags, schedule, summary
from bot.core.flags import FlagKind
from bot.core.models import Participant, ParticipantStatus
from bot.services.base import Base

logger = logging.getLogger(__name__)

WATCHED = frozenset({ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED,
                     ParticipantStatus.UNREACHABLE})
# told elsewhere, at once and whatever the consent (the tick's "unreachable" note)
NOT_ALERTED = frozenset({FlagKind.UNREACHABLE})


@dataclass(frozen=True, slots=True)
class Warning:
    participant: Participant
    started: tuple[FlagKind, ...]  # the flags of an episode that starts, to tell about


class Warnings:
    def __init__(self, base: Base) -> None:
        self._base = base

    async def check(self) -> tuple[list[Warning], list[Participant]]:
        """Evaluate everyone's flags now; remember the open episodes. Return the new
        episodes of those who agreed to share them, and who has still to be asked."""
        base, store = self._base, self._base.store
        groups = {g.name: g for g in await store.list_groups()}
        people = [p for p in await store.list_participants() if p.status in WATCHED]
        by_pid = await store.run(lambda: {p.pid: store.sync.list_ratings(p.pid) for p in people})
        warnings, to_ask = [], []
        for p in people:
            zone = schedule.zone(p.timezone)
            today = base.clock().astimezone(zone).date()
            by_day = summary.daily(by_pid[p.pid])
            group = groups.get(p.group)
            first = group.session_dates[0] if group and group.session_dates else None
            baseline = [v for d, v in sorted(by_day.items()) if first and d < first]
            since = p.active_since or (p.consent.at if p.consent else p.created_at)
            now = flags.flags(by_day, baseline, today,
                              active=p.status is ParticipantStatus.ACTIVE,
                              unreachable=p.status is ParticipantStatus.UNREACHABLE,
                              active_from=since.astimezone(zone).date(), first_session=first)
            started = flags.started(now, p.open_flags, NOT_ALERTED)
            if tuple(f.value for f in now) != p.open_flags:
                p = await base.change(p, open_flags=tuple(f.value for f in now))
            if started and p.share_flags:
                warnings.append(Warning(p, tuple(started)))
                logger.info("flag episode started for %s", p.pid)  # which: not logged
            if p.share_flags is None and not p.share_asked and (
                    p.status is ParticipantStatus.ACTIVE):
                to_ask.append(p)
        return warnings, to_ask

    async def asked(self, participant: Participant) -> Participant:
        return await self._base.change(participant, share_asked=True)

    async def answer(self, participant: Participant, share: bool) -> Participant:
        await self._base.audit("share_flags", participant.pid, participant.pid, share=share)
        return await self._base.change(participant, share_flags=share, share_asked=True)
