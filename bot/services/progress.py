"""A participant's own progress: the last days' ratings and practice, and the calendar."""

from __future__ import annotations

from datetime import date

from bot.core import progress, schedule
from bot.core.models import Participant
from bot.services.base import Base


class Progress:
    def __init__(self, base: Base) -> None:
        self._base = base

    async def of(self, participant: Participant) -> tuple[progress.Progress, tuple[date, ...],
                                                          date | None]:
        """The last days' ratings and practice, the group's session dates, the next one."""
        store, now = self._base.store, self._base.clock()
        zone = schedule.zone(participant.timezone)
        today = now.astimezone(zone).date()
        since = participant.active_since or (participant.consent.at if participant.consent
                                             else participant.created_at)
        runs = await store.list_exercise_runs(participant.pid)
        local_day = {r.run_id: r.completed_at.astimezone(zone).date() for r in runs
                     if r.completed_at is not None}
        summary = progress.progress(today, since.astimezone(zone).date(),
                                    await store.list_ratings(participant.pid), runs, local_day)
        group = await store.get_group(participant.group)
        sessions = group.session_dates if group else ()
        upcoming = [d for d in sessions if d > today]
        return summary, sessions, upcoming[0] if upcoming else None
