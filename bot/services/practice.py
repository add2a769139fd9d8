"""Practice between sessions: which modules are open, and running an exercise.

A run's position lives in the participant's typed flow (``FlowKind.PRACTICE``), so a
restart resumes it at the same slot; the run itself is an ``ExerciseRun`` record saved
when it starts and again when it is completed or abandoned. Completing a reminder's
set-up turns the reminder on; completing a priority run books its follow-up, a short
run of its own whose answers join the first run's record (``follow_up.<field>``).
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from bot.content import Content
from bot.core import calendar, practice, priority, schedule
from bot.core.content.exercises import Exercise, Module, Priority, Reminder
from bot.core.flows import Flow, FlowKind, FlowStep
from bot.core.models import ExerciseRun, FollowUpDue, Participant, ReminderSetting
from bot.core.practice import Answer, Refusal, Run
from bot.services.base import Base

logger = logging.getLogger(__name__)

ANSWER_PREFIX = "a."  # flow data keys of the answers so far
FOLLOW_UP_PREFIX = "follow_up."  # a follow-up's answers in the first run's record
SEEDED = ("tasks", "sort", "plan")  # what a follow-up shows again of the first run


class StartRefusal(enum.StrEnum):
    UNKNOWN = "unknown"  # no such exercise
    NOT_OPEN = "not_open"  # its module has not been introduced yet


@dataclass(frozen=True, slots=True)
class Opening:
    """What a participant can practise today: open modules, newest first, and when the
    next one opens (None when all are open or no date is set)."""

    modules: tuple[Module, ...]
    next_session: date | None


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

    async def start_follow_up(self, participant: Participant, run_id: str) -> Active | None:
        """Begin the check-in of a completed priority run (None: no such run, its check-in
        is done already, or its exercise has no follow-up any more); it shows the plan made
        then."""
        current = await self._base.store.get_participant(participant.pid) or participant
        if run_id not in {f.run_id for f in current.follow_ups}:
            return None  # done already (a second press), or never booked
        record = next((r for r in await self._base.store.list_exercise_runs(participant.pid)
                       if r.run_id == run_id and r.completed_at is not None), None)
        exercise = self._content.exercises.get(record.exercise_id) if record else None
        if record is None or exercise is None or not practice.has_follow_up(exercise):
            return None
        await self.abandon(participant)
        seeded = {k: v for k, v in record.data.items() if k in SEEDED and isinstance(v, str)}
        flow = Flow.open(participant.pid, FlowKind.PRACTICE, FlowStep.RUN,
                         self._base.clock()).with_data(
            run=run_id, exercise=exercise.id, at=0, follow_up=True,
            **{ANSWER_PREFIX + k: v for k, v in seeded.items()})
        await self._base.store.save_flow(flow)
        return Active(exercise, Run(0, seeded, follow_up=True), record)

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
        return Active(exercise, Run(at if isinstance(at, int) else 0, answers,
                                    flow.data.get("follow_up") is True), record)

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
        if run.follow_up:
            await self._end_follow_up(participant, active, run)
            return
        answers = dict(run.answers)
        before, after = answers.pop("before", None), answers.pop("after", None)
        done = dataclasses.replace(
            active.record, completed_at=self._base.clock(), data=answers,
            before=before if isinstance(before, int) else None,
            after=after if isinstance(after, int) else None)
        await self._base.store.save_exercise_run(done)
        await self._base.store.clear_flow(participant.pid)
        await self._after(participant, active.exercise, done)
        logger.info("run completed for %s (%s)", participant.pid, active.exercise.kind.value)

    async def _after(self, participant: Participant, exercise: Exercise,
                     done: ExerciseRun) -> None:
        """A reminder set up is turned on; a priority run books its follow-up."""
        body = exercise.body
        current = await self._base.store.get_participant(participant.pid) or participant
        if isinstance(body, Reminder):
            times = priority.reminder_times(body.schedule, done.data)
            others = tuple(r for r in current.reminders if r.exercise_id != exercise.id)
            setting = ReminderSetting(exercise.id, times, done.completed_at)
            await self._base.change(current, reminders=(*others, setting) if times else others)
        elif isinstance(body, Priority) and body.follow_up is not None:
            assert done.completed_at is not None
            today = done.completed_at.astimezone(schedule.zone(current.timezone)).date()
            kept = tuple(f for f in current.follow_ups if f.due >= today - timedelta(days=1))
            due = FollowUpDue(done.run_id, exercise.id,
                              today + timedelta(days=body.follow_up.after_days))
            await self._base.change(current, follow_ups=(*kept, due)[-5:])

    async def _end_follow_up(self, participant: Participant, active: Active,
                             run: Run) -> None:
        """A follow-up's answers (all or those given so far) join the first run's record."""
        own = {FOLLOW_UP_PREFIX + k: v for k, v in run.answers.items() if k not in SEEDED}
        await self._base.store.save_exercise_run(dataclasses.replace(
            active.record, data={**active.record.data, **own,
                                 FOLLOW_UP_PREFIX + "at": self._base.clock().isoformat()}))
        await self._base.store.clear_flow(participant.pid)
        current = await self._base.store.get_participant(participant.pid) or participant
        await self._base.change(current, follow_ups=tuple(
            f for f in current.follow_ups if f.run_id != active.record.run_id))

    async def reminder_off(self, participant: Participant, exercise_id: str) -> bool:
        """Turn a reminder off; False when it was not on."""
        current = await self._base.store.get_participant(participant.pid) or participant
        kept = tuple(r for r in current.reminders if r.exercise_id != exercise_id)
        if kept == current.reminders:
            return False
        await self._base.change(current, reminders=kept)
        return True

    async def reminder_text(self, participant: Participant, exercise_id: str) -> str | None:
        """A reminder's message, with the answers of its latest set-up filled in."""
        exercise = self._content.exercises.get(exercise_id)
        runs = [r for r in await self._base.store.list_exercise_runs(participant.pid)
                if r.exercise_id == exercise_id and r.completed_at is not None]
        if exercise is None or not runs:
            return None
        latest = max(runs, key=lambda r: r.started_at)
        return practice.reminder_message(exercise, latest.data, participant.language)

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
        if active.run.follow_up:
            await self._end_follow_up(participant, active, active.run)
            return active
        slots = practice.slots_of(active.exercise, active.run)
        stopped = slots[active.run.at].kind.value if active.run.at < len(slots) else None
        if active.run.at < len(slots) and slots[active.run.at].ref:
            stopped = slots[active.run.at].ref
        await self._base.store.save_exercise_run(dataclasses.replace(
            active.record, abandoned_at=self._base.clock(), stopped_at=stopped,
            data=dict(active.run.answers)))
        logger.info("run abandoned for %s", participant.pid)
        return active
