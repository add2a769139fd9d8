"""Safety alerts with a human in the loop: crisis messages within an hour are one episode
(one alert); a facilitator answers "I have reached out" or "Not a concern", recorded with
who; an episode nobody answered in four hours goes to the admins."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime, timedelta

from bot.core import identity
from bot.core.models import Participant, SafetyEpisode
from bot.services.access import Access
from bot.services.base import Base

SAME_EPISODE = timedelta(hours=1)
ESCALATE_AFTER = timedelta(hours=4)
RECENT = timedelta(days=7)
ANSWERS = ("reached_out", "not_concern")


def _overdue(e: SafetyEpisode | None, now: datetime) -> bool:
    return e is not None and e.answer is None and e.escalated_at is None and (
        now - e.opened_at >= ESCALATE_AFTER)


class Alerts:
    def __init__(self, base: Base, staff: Access) -> None:
        self._base = base
        self._access = staff

    async def open(self, participant: Participant) -> tuple[SafetyEpisode, bool]:
        """The episode this crisis message belongs to, and whether it is a new one (to
        alert about): a message within an hour of the last one joins it."""
        now = self._base.clock()
        current = await self._base.store.get_participant(participant.pid) or participant
        episode = current.safety_episode
        if episode is not None and episode.answer is None and (
                now - episode.last_at < SAME_EPISODE):  # an answered episode is over
            joined = dataclasses.replace(episode, last_at=now, messages=episode.messages + 1)
            await self._base.change(current, safety_episode=joined)
            return joined, False
        fresh = SafetyEpisode(secrets.token_hex(4), now, now)
        await self._base.change(current, safety_episode=fresh)
        return fresh, True

    async def reached(self, participant: Participant, count: int) -> None:
        current = await self._base.store.get_participant(participant.pid) or participant
        if current.safety_episode is not None:
            await self._base.change(current, safety_episode=dataclasses.replace(
                current.safety_episode, reached=count))

    async def _visible(self, staff_id: int) -> list[Participant]:
        groups = {g.name for g in await self._access.groups_of(staff_id)}
        return [p for p in await self._base.store.list_participants() if p.group in groups
                and p.safety_episode is not None]

    async def answer(self, staff_id: int, episode_id: str, answer: str) -> Participant | None:
        """Record a facilitator's answer (None: no such episode among their groups)."""
        found = next((p for p in await self._visible(staff_id) if p.safety_episode
                      and p.safety_episode.episode_id == episode_id), None)
        if found is None or answer not in ANSWERS:
            return None
        by = identity.pseudonym(self._base.secret, staff_id)
        async with self._base.locks.hold(found.pid):  # beside the escalation, on a fresh copy
            current = await self._base.store.get_participant(found.pid)
            episode = current.safety_episode if current else None
            if current is None or episode is None or episode.episode_id != episode_id or (
                    episode.answer is not None):  # answered already: the first answer stays
                return None
            done = dataclasses.replace(episode, answer=answer, answered_by=by,
                                       answered_at=self._base.clock())
            changed = await self._base.change_locked(current, safety_episode=done)
        await self._base.audit("alert_answered", f"tg:{by}", found.pid, answer=answer)
        return changed

    async def overdue(self) -> list[Participant]:
        """Episodes nobody answered for four hours, marked as told to the admins."""
        now, out = self._base.clock(), []
        for p in await self._base.store.list_participants():
            if not _overdue(p.safety_episode, now):
                continue
            async with self._base.locks.hold(p.pid):  # an answer may have come meanwhile
                current = await self._base.store.get_participant(p.pid)
                if current is None or current.safety_episode is None or not _overdue(
                        current.safety_episode, now):
                    continue
                out.append(await self._base.change_locked(current, safety_episode=(
                    dataclasses.replace(current.safety_episode, escalated_at=now))))
            await self._base.audit("alert_escalated", "bot", p.pid, group=p.group)
        return out

    async def recent(self, staff_id: int) -> list[Participant]:
        """The episodes of the staff member's groups still open or from the last week,
        open ones first, newest first."""
        now = self._base.clock()
        found = [(p, p.safety_episode) for p in await self._visible(staff_id)
                 if p.safety_episode is not None]
        kept = [(p, e) for p, e in found if e.answer is None or now - e.last_at < RECENT]
        kept.sort(key=lambda pe: (pe[1].answer is not None, -pe[1].last_at.timestamp()))
        return [p for p, _ in kept]
