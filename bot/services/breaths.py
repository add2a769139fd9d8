"""The timed parts of a run: paced breathing, and steps guided by their seconds ("guide
me"). Their start lives in the run's flow, so the timers are rebuilt from storage after a
restart (an interrupted breath, or step, begins again)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import breathing, practice
from bot.core.content.exercises import Exercise, PacedBreathing
from bot.core.flows import FlowKind, FlowStep
from bot.core.models import Participant
from bot.core.practice import Refusal
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


@dataclass(frozen=True, slots=True)
class Guide:
    """A steps run that "guide me" times: the step it is at, since when, on which message."""

    participant: Participant
    exercise: Exercise
    message_id: int
    at: int
    step_started: datetime
    run_id: str


class Guides:
    """"Guide me": timed steps. The step's start lives in the run's flow like a breath's."""

    def __init__(self, base: Base, runs: Practice) -> None:
        self._base = base
        self._runs = runs

    async def _timed(self, participant: Participant, at: int | None) -> Active | None:
        active = await self._runs.current(participant)
        if active is None or (at is not None and active.run.at != at) or (
                practice.step_seconds(active.exercise, active.run) is None):
            return None
        return active

    async def _mark(self, participant: Participant, active: Active, message_id: int) -> Guide:
        now = self._base.clock()
        flow = await self._base.store.get_flow(participant.pid)
        if flow is not None:
            await self._base.store.save_flow(flow.advance(FlowStep.RUN, now).with_data(
                guide_at=now.isoformat(), guide_msg=message_id))
        return Guide(participant, active.exercise, message_id, active.run.at, now,
                     active.record.run_id)

    async def start(self, participant: Participant, at: int, message_id: int) -> Guide | None:
        """Time the steps from slot ``at`` on, editing ``message_id`` step by step."""
        active = await self._timed(participant, at)
        return None if active is None else await self._mark(participant, active, message_id)

    async def step_on(self, guide: Guide) -> tuple[Active | Refusal | None, Guide | None]:
        """A step's time is up: the run moves on; a timed step next goes on being guided."""
        moved = await self._runs.give(guide.participant, guide.at, None)
        if not isinstance(moved, Active) or practice.step_seconds(
                moved.exercise, moved.run) is None:
            await self.stop(guide.participant)
            return moved, None
        return moved, await self._mark(guide.participant, moved, guide.message_id)

    async def stop(self, participant: Participant) -> None:
        """No more timing: the participant goes on with "next" (or the run has moved on)."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is not None and flow.kind is FlowKind.PRACTICE and flow.data.get("guide_msg"):
            await self._base.store.save_flow(flow.with_data(guide_msg=0))

    async def all(self) -> list[Guide]:
        """Every guided run to time again after a start (its current step begins anew)."""
        out = []
        for participant in await self._base.store.list_participants():
            flow = await self._base.store.get_flow(participant.pid)
            if flow is None or flow.kind is not FlowKind.PRACTICE or not flow.data.get(
                    "guide_msg"):
                continue
            active = await self._timed(participant, None)
            if active is not None:
                out.append(await self._mark(participant, active,
                                            int(str(flow.data["guide_msg"]))))
        return out
