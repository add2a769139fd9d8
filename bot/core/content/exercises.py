"""Modules and their exercises: one body type per exercise kind."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.content.texts import Field, Option, Step, Text, placeholders

SESSIONS = range(1, 5)  # the programme's four group sessions


@dataclass(frozen=True, slots=True)
class Module:
    """The exercises introduced at one group session."""

    id: str
    session: int
    title: Text
    summary: Text
    exercises: tuple[Exercise, ...]
    file: str  # relative to the content folder, e.g. modules/relaxation.yaml


class ExerciseKind(enum.StrEnum):
    """What the runner does after the steps."""

    PACED_BREATHING = "paced_breathing"  # pace `cycles` breaths: inhale / hold / exhale / rest
    STEPS = "steps"  # nothing more: the steps are the exercise
    QUIZ = "quiz"  # items: a scene, options, the answer and a kind explanation
    BUILDER = "builder"  # fields asked in turn, then assembled with a template
    PRIORITY = "priority"  # list tasks, sort each into a category, plan; follow up later
    THOUGHT_RECORD = "thought_record"  # fields of text / 0-10 / percent, with re-ratings
    REMINDER = "reminder"  # set-up fields, then a recurring message on a schedule


@dataclass(frozen=True, slots=True)
class Frequency:
    """Recommended practice: exactly one of times_per_day, times_per_week, as_needed."""

    times_per_day: int | None = None
    times_per_week: int | None = None
    as_needed: bool = False
    note: Text | None = None

    @property
    def per_week(self) -> float | None:
        """Recommended practices per week (None when only as needed)."""
        if self.times_per_day is not None:
            return self.times_per_day * 7.0
        if self.times_per_week is not None:
            return float(self.times_per_week)
        return None


@dataclass(frozen=True, slots=True)
class Exercise:
    """One practice a participant can run between sessions."""

    id: str
    kind: ExerciseKind
    module_id: str
    session: int
    title: Text
    summary: Text
    duration_minutes: int
    frequency: Frequency
    rate_before_after: bool
    intro: Text | None = None
    steps: tuple[Step, ...] = ()
    closing: Text | None = None
    builds_on: tuple[str, ...] = ()
    body: Body | None = None  # None only for kind "steps"

    @property
    def timed_seconds(self) -> int:
        """Seconds taken by the timed parts (step timers and paced breaths)."""
        total = sum(step.seconds or 0 for step in self.steps)
        if isinstance(self.body, PacedBreathing):
            total += self.body.timings.total_seconds
        return total


@dataclass(frozen=True, slots=True)
class Timings:
    inhale_seconds: int
    exhale_seconds: int
    cycles: int
    hold_seconds: int = 0
    rest_seconds: int = 0  # after the exhale

    @property
    def cycle_seconds(self) -> int:
        return self.inhale_seconds + self.hold_seconds + self.exhale_seconds + self.rest_seconds

    @property
    def total_seconds(self) -> int:
        return self.cycle_seconds * self.cycles


@dataclass(frozen=True, slots=True)
class PacedBreathing:
    timings: Timings
    inhale: Text
    exhale: Text
    hold: Text | None = None  # required when hold_seconds > 0
    rest: Text | None = None  # required when rest_seconds > 0


@dataclass(frozen=True, slots=True)
class QuizItem:
    id: str
    scene: Text
    question: Text  # the item's own, or the exercise's default
    options: tuple[Option, ...]  # the item's own, or the exercise's default
    answer: str  # an option id
    explanation: Text


@dataclass(frozen=True, slots=True)
class Quiz:
    items: tuple[QuizItem, ...]


@dataclass(frozen=True, slots=True)
class Builder:
    fields: tuple[Field, ...]
    template: tuple[Text, ...]  # parts; a part whose placeholders are not all answered is left out

    def assemble(self, lang: str, answers: Mapping[str, str], sep: str = "\n") -> str:
        """Join the template parts in ``lang`` with the answers filled in (answers as typed)."""
        out = []
        for part in self.template:
            template = part.get(lang)
            names = placeholders(template) or set()
            if all(str(answers.get(name, "")).strip() for name in names):
                out.append(template.format_map({n: str(answers[n]).strip() for n in names}))
        return sep.join(out)


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: Text
    description: Text


@dataclass(frozen=True, slots=True)
class FollowUp:
    after_days: int
    intro: Text
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Priority:
    task_prompt: Text  # the answer is "lines": one task per line
    sort_prompt: Text  # asked for each task, with the categories as buttons
    categories: tuple[Category, ...]
    plan_prompt: Text
    max_tasks: int = 10
    follow_up: FollowUp | None = None


@dataclass(frozen=True, slots=True)
class ThoughtRecord:
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Schedule:
    """Daily at the time given in field ``time_field``, or ``times_per_day`` spread out."""

    time_field: str | None = None
    times_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    fields: tuple[Field, ...]  # asked once, at set-up
    message: Text  # the recurring message; {field} placeholders are filled with the answers
    schedule: Schedule


Body = (PacedBreathing | Quiz | Builder | Priority
        | ThoughtRecord | Reminder)
