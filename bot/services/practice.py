"""Practice between sessions: which modules are open, and running an exercise.

A run's position lives in the participant's typed flow (``FlowKind.PRACTICE``), so a
restart resumes it at the same slot; the run itself is an ``ExerciseRun`` record saved
when it starts and again when it is completed or abandoned.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.content import Content
from bot.core import breathing, calendar, practice, progress, schedule
from bot.core.content.exercises import Exercise, Module, PacedBreathing
from bot.core.flows import Flow, FlowKind, FlowStep
from bot.core.models import ExerciseRun, Participant
from bot.core.practice import Answer, Refusal, Run
from bot.services.base import Base

logger = logging.getLogger(__name__)

ANSWER_PREFIX = "a."  # flow data keys of the answers so far


class StartRefusal(enum.StrEnum):
    UNKNOWN = "unknown"  # no such exercise
    NOT_OPEN = "not_open"  # its module has not been introduced yet
    NOT_RUNNABLE = "not_runnable"  # a kind the runner cannot play yet


@dataclass(frozen=True, slots=True)
class Opening:
    """What a participant can practise today: open modules, newest first, and when the
    next one opens (None when all are open or no date is set)."""

    modules: tuple[Module, ...]
    next_session: date | None


@dataclass(frozen=True, slots=True)
class Breath:
    """A paced-breathing run that is timing: whose, which message, since when."""

    participant: Participant
    exercise: Exercise
    message_id: int
    started_at: datetime
    run_id: str


@dataclass(frozen=True, slots=True)
class Active:
    """A run in progress."""

    exercise: Exercise
    run: Run
    record: ExerciseRun


class Practice:
    def __init__(self, base: Base, content: Content) -> None:
        self._base = base
        self._content = content

    async def opening(self, participant: Participant) -> Opening:
        """Module k opens on the date of session k in the group's zone and stays open."""
        group = await self._base.store.get_group(participant.group)
        if group is None:
            return Opening((), None)
        today = self._base.clock().astimezone(schedule.zone(group.timezone)).date()
        held = calendar.open_sessions(group, today)
        modules = tuple(reversed(self._content.modules_up_to(held))) if held else ()
        upcoming = sorted(d for d in group.session_dates if d > today)
        return Opening(modules, upcoming[0] if upcoming else None)

    async def start(self, participant: Participant, exercise_id: str) -> Active | StartRefusal:
        """Begin a run (an unfinished one is stored as abandoned first)."""
        exercise = self._content.exercises.get(exercise_id)
        if exercise is None:
            return StartRefusal.UNKNOWN
        if exercise.module_id not in {m.id for m in (await self.opening(participant)).modules}:
            return StartRefusal.NOT_OPEN
        if exercise.kind not in practice.RUNNABLE:
            return StartRefusal.NOT_RUNNABLE
        await self.abandon(participant)
        now = self._base.clock()
        record = ExerciseRun(participant.pid, secrets.token_hex(4), exercise.id,
                             exercise.module_id, now, self._content.version,
                             kind=exercise.kind.value)
        await self._base.store.save_exercise_run(record)
        flow = Flow.open(participant.pid, FlowKind.PRACTICE, FlowStep.RUN, now).with_data(
            run=record.run_id, exercise=exercise.id, at=0)
        await self._base.store.save_flow(flow)
        logger.info("run started for %s (%s)", participant.pid, exercise.kind.value)
        return Active(exercise, Run(), record)

    async def current(self, participant: Participant) -> Active | None:
        """The run in progress, if any; one left longer than its expiry is abandoned."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is None or flow.kind is not FlowKind.PRACTICE:
            return None
        if not flow.is_open(self._base.clock()):
            await self.abandon(participant)
            return None
        return await self._active(participant, flow)

    async def _active(self, participant: Participant, flow: Flow) -> Active | None:
        exercise = self._content.exercises.get(str(flow.data.get("exercise")))
        runs = {r.run_id: r for r in await self._base.store.list_exercise_runs(participant.pid)}
        record = runs.get(str(flow.data.get("run")))
        if exercise is None or record is None:  # content changed under the run
            await self._base.store.clear_flow(participant.pid)
            return None
        answers = {k[len(ANSWER_PREFIX):]: v for k, v in flow.data.items()
                   if k.startswith(ANSWER_PREFIX) and isinstance(v, str | int)}
        at = flow.data.get("at")
        return Active(exercise, Run(at if isinstance(at, int) else 0, answers), record)

    async def give(self, participant: Participant, at: int | None,
                   given: Answer | None) -> Active | Refusal | None:
        """Take an answer for the current slot (``at``: the slot the button belonged to,
        None for typed text). Return the run after it, a Refusal, or None when no run is
        open or the button is of an earlier slot."""
        active = await self.current(participant)
        if active is None or (at is not None and at != active.run.at):
            return None
        moved = practice.answer(active.exercise, active.run, given)
        if isinstance(moved, Refusal):
            return moved
        if practice.is_done(active.exercise, moved):
            await self._finish(participant, active, moved)
        else:
            await self._save(participant, active, moved)
        return Active(active.exercise, moved, active.record)

    async def _save(self, participant: Participant, active: Active, run: Run) -> None:
        flow = await self._base.store.get_flow(participant.pid)
        if flow is None:
            return
        flow = flow.advance(FlowStep.RUN, self._base.clock()).with_data(
            at=run.at, **{ANSWER_PREFIX + k: v for k, v in run.answers.items()})
        await self._base.store.save_flow(flow)

    async def _finish(self, participant: Participant, active: Active, run: Run) -> None:
        answers = dict(run.answers)
        before, after = answers.pop("before", None), answers.pop("after", None)
        done = dataclasses.replace(
            active.record, completed_at=self._base.clock(), data=answers,
            before=before if isinstance(before, int) else None,
            after=after if isinstance(after, int) else None)
        await self._base.store.save_exercise_run(done)
        await self._base.store.clear_flow(participant.pid)
        logger.info("run completed for %s (%s)", participant.pid, active.exercise.kind.value)

    async def abandon(self, participant: Participant) -> Active | None:
        """Stop the run in progress (``/cancel``, a new run, or its expiry): stored as
        abandoned, with the slot it stopped at and the answers given so far."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is None or flow.kind is not FlowKind.PRACTICE:
            return None
        active = await self._active(participant, flow)
        await self._base.store.clear_flow(participant.pid)
        if active is None:
            return None
        slots = practice.slots(active.exercise)
        stopped = slots[active.run.at].kind.value if active.run.at < len(slots) else None
        if active.run.at < len(slots) and slots[active.run.at].ref:
            stopped = slots[active.run.at].ref
        await self._base.store.save_exercise_run(dataclasses.replace(
            active.record, abandoned_at=self._base.clock(), stopped_at=stopped,
            data=dict(active.run.answers)))
        logger.info("run abandoned for %s", participant.pid)
        return active

    # --- paced breathing: the timed part of a run --------------------------------------

    async def start_breathing(self, participant: Participant, at: int,
                              message_id: int) -> Breath | None:
        """Start the timer of the breathing slot ``at`` (its message is edited in place)."""
        active = await self.current(participant)
        flow = await self._base.store.get_flow(participant.pid)
        if active is None or flow is None or active.run.at != at or (
                practice.slots(active.exercise)[at].kind is not practice.SlotKind.BREATHE):
            return None
        now = self._base.clock()
        await self._base.store.save_flow(flow.advance(FlowStep.RUN, now).with_data(
            breath_at=now.isoformat(), breath_msg=message_id))
        return Breath(participant, active.exercise, message_id, now, active.record.run_id)

    async def breaths(self) -> list[Breath]:
        """Every breathing timer to rebuild after a start; an interrupted breath begins
        again (the start is moved back to the beginning of the breath it was in)."""
        out = []
        for participant in await self._base.store.list_participants():
            flow = await self._base.store.get_flow(participant.pid)
            if flow is None or flow.kind is not FlowKind.PRACTICE or "breath_at" not in flow.data:
                continue
            active = await self.current(participant)
            body = active.exercise.body if active else None
            if active is None or not isinstance(body, PacedBreathing) or (
                    practice.slots(active.exercise)[active.run.at].kind
                    is not practice.SlotKind.BREATHE):
                continue
            now = self._base.clock()
            began = datetime.fromisoformat(str(flow.data["breath_at"]))
            offset = breathing.restart_offset(body.timings, (now - began).total_seconds())
            started = now - timedelta(seconds=offset)
            await self._base.store.save_flow(flow.with_data(breath_at=started.isoformat()))
            out.append(Breath(participant, active.exercise, int(str(flow.data["breath_msg"])),
                              started, active.record.run_id))
        return out

    async def end_breathing(self, participant: Participant, cycles: int) -> Active | None:
        """The timer ran out, or "stop" was pressed: the run moves on past the breathing."""
        active = await self.current(participant)
        if active is None or active.run.at >= len(practice.slots(active.exercise)) or (
                practice.slots(active.exercise)[active.run.at].kind
                is not practice.SlotKind.BREATHE):
            return None
        moved = await self.give(participant, active.run.at, cycles)
        return moved if isinstance(moved, Active) else None

    # --- the participant's own progress ----------------------------------------------

    async def progress(self, participant: Participant) -> tuple[progress.Progress, tuple[date, ...],
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
