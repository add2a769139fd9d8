"""Saved scripts: what a builder run assembled (a DESC script, an I-statement, a coping
card), to read again before a hard conversation, or to delete."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime

from bot.content import Content
from bot.core import practice
from bot.core.content.exercises import Builder, Exercise
from bot.core.models import Participant
from bot.core.practice import Run
from bot.services.base import Base

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Script:
    run_id: str
    exercise: Exercise
    saved_at: datetime
    text: str  # in the participant's language, as typed


class Scripts:
    def __init__(self, base: Base, content: Content) -> None:
        self._base = base
        self._content = content

    async def all(self, participant: Participant) -> list[Script]:
        """Every saved script, newest first (a builder run completed, not deleted)."""
        out = []
        for run in await self._base.store.list_exercise_runs(participant.pid):
            exercise = self._content.exercises.get(run.exercise_id)
            if (exercise is None or not isinstance(exercise.body, Builder)
                    or run.completed_at is None or not run.data):
                continue
            text = practice.result_text(exercise, Run(0, dict(run.data)),
                                        participant.language, {})
            if text:
                out.append(Script(run.run_id, exercise, run.completed_at, text))
        return sorted(out, key=lambda s: s.saved_at, reverse=True)

    async def get(self, participant: Participant, run_id: str) -> Script | None:
        return next((s for s in await self.all(participant) if s.run_id == run_id), None)

    async def delete(self, participant: Participant, run_id: str) -> bool:
        """Erase a script's words; that the exercise was done (and its ratings) stays."""
        runs = await self._base.store.list_exercise_runs(participant.pid)
        run = next((r for r in runs if r.run_id == run_id and r.data), None)
        if run is None:
            return False
        await self._base.store.save_exercise_run(dataclasses.replace(run, data={}))
        logger.info("script deleted for %s", participant.pid)
        return True
