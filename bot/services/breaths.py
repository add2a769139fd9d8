"""Paced breathing: the timed part of a run. Its start lives in the run's flow, so the
timers are rebuilt from storage after a restart (an interrupted breath begins again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import breathing, practice
from bot.core.content.exercises import Exercise, PacedBreathing
from bot.core.flows import FlowKind, FlowStep
from bot.core.models import Participant
from bot.services.base import Base
from bot.services.practice import Active, Practice


@dataclass(frozen=True, slots=True)
class Breath:
    """A paced-breathing run that is timing: whose, which message, since when."""

    participant: Participant
    exercise: Exercise
    message_id: int
    started_at: datetime
    run_id: str


def _breathing_now(active: Active | None) -> bool:
    if active is None or practice.is_done(active.exercise, active.run):
        return False
    return practice.slots_of(active.exercise, active.run)[active.run.at].kind is (
        practice.SlotKind.BREATHE)


class Breathing:
    def __init__(self, base: Base, runs: Practice) -> None:
        self._base = base
        self._runs = runs

    async def start(self, participant: Participant, at: int, message_id: int) -> Breath | None:
        """Start the timer of the breathing slot ``at`` (its message is edited in place)."""
        active = await self._runs.current(participant)
        flow = await self._base.store.get_flow(participant.pid)
        if flow is None or not _breathing_now(active) or active is None or active.run.at != at:
            return None
        now = self._base.clock()
        await self._base.store.save_flow(flow.advance(FlowStep.RUN, now).with_data(
            breath_at=now.isoformat(), breath_msg=message_id))
        return Breath(participant, active.exercise, message_id, now, active.record.run_id)

    async def all(self) -> list[Breath]:
        """Every breathing timer to rebuild after a start; an interrupted breath begins
        again (the start is moved back to the beginning of the breath it was in)."""
        out = []
        for participant in await self._base.store.list_participants():
            flow = await self._base.store.get_flow(participant.pid)
            if flow is None or flow.kind is not FlowKind.PRACTICE or "breath_at" not in flow.data:
                continue
            active = await self._runs.current(participant)
            body = active.exercise.body if active else None
            if active is None or not isinstance(body, PacedBreathing) or not _breathing_now(
                    active):
                continue
            now = self._base.clock()
            began = datetime.fromisoformat(str(flow.data["breath_at"]))
            offset = breathing.restart_offset(body.timings, (now - began).total_seconds())
            started = now - timedelta(seconds=offset)
            await self._base.store.save_flow(flow.with_data(breath_at=started.isoformat()))
            out.append(Breath(participant, active.exercise, int(str(flow.data["breath_msg"])),
                              started, active.record.run_id))
        return out

    async def end(self, participant: Participant, cycles: int) -> Active | None:
        """The timer ran out, or "stop" was pressed: the run moves on past the breathing."""
        active = await self._runs.current(participant)
        if active is None or not _breathing_now(active):
            return None
        moved = await self._runs.give(participant, active.run.at, cycles)
        return moved if isinstance(moved, Active) else None
