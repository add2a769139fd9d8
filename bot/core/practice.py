"""Running an exercise from its content alone: a pure state machine.

An exercise becomes a list of *slots* (the before-rating, the intro, each step, what its
kind adds, the closing, the after-rating). A run is where it is in that list and the
answers so far; ``screen`` says what to show for the current slot, ``answer`` checks what
the participant gave and moves on. Each kind adds its slots in one function
(``KIND_SLOTS``); nothing else knows about kinds. Pure: no clock, no storage.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.core.content.exercises import (
    Builder,
    Exercise,
    ExerciseKind,
    Quiz,
    QuizItem,
    ThoughtRecord,
)
from bot.core.content.texts import Field, InputType, Option, Text

MAX_ANSWER = 1000  # characters kept of a typed answer (one phone screen is about 600)
Answer = str | int


class SlotKind(enum.StrEnum):
    RATE_BEFORE = "rate_before"
    TEXT = "text"  # intro, a step, the closing: read, then "next"
    QUIZ_ITEM = "quiz_item"  # a scene and its question, options as buttons
    QUIZ_FEEDBACK = "quiz_feedback"  # right or not, and why
    FIELD = "field"  # one field of a builder or thought record
    BREATHE = "breathe"  # paced breathing: a start button, then a timed, edited message
    RESULT = "result"  # the assembled script or the summary of a thought record
    RATE_AFTER = "rate_after"


class Input(enum.StrEnum):
    """What a screen waits for."""

    NEXT = "next"  # a "next" button
    SCALE = "scale"  # 0..10 buttons
    PERCENT = "percent"  # 0..100 in steps of 10, buttons or typed
    CHOICE = "choice"  # option buttons
    TEXT = "text"  # typed text
    BREATHE = "breathe"  # a start button; then timed edits with a stop button


@dataclass(frozen=True, slots=True)
class Slot:
    kind: SlotKind
    ref: str = ""  # a step number, a quiz item id, a field id
    text: Text | None = None


@dataclass(frozen=True, slots=True)
class Screen:
    """What to show now: a text (in the reader's language), what it waits for, options."""

    text: str
    wants: Input
    options: tuple[Option, ...] = ()
    optional: bool = False  # a field that may be skipped
    slot: Slot = field(default_factory=lambda: Slot(SlotKind.TEXT))


@dataclass(frozen=True, slots=True)
class Run:
    """Where a run is: the index of its current slot and the answers so far."""

    at: int = 0
    answers: Mapping[str, Answer] = field(default_factory=lambda: MappingProxyType({}))

    def with_answer(self, key: str, value: Answer) -> Run:
        return Run(self.at + 1, MappingProxyType({**self.answers, key: value}))

    def next(self) -> Run:
        return Run(self.at + 1, self.answers)


class Refusal(enum.StrEnum):
    """Why an answer was not taken (the screen is shown again, kindly)."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_OPTION = "not_an_option"
    WRONG_INPUT = "wrong_input"  # a button where text is wanted, or the other way round


def _field_slots(fields: tuple[Field, ...]) -> list[Slot]:
    return [Slot(SlotKind.FIELD, f.id) for f in fields]


def _quiz(exercise: Exercise) -> list[Slot]:
    assert isinstance(exercise.body, Quiz)
    out = []
    for item in exercise.body.items:
        out += [Slot(SlotKind.QUIZ_ITEM, item.id), Slot(SlotKind.QUIZ_FEEDBACK, item.id)]
    return out


def _builder(exercise: Exercise) -> list[Slot]:
    assert isinstance(exercise.body, Builder)
    return [*_field_slots(exercise.body.fields), Slot(SlotKind.RESULT)]


def _thought_record(exercise: Exercise) -> list[Slot]:
    assert isinstance(exercise.body, ThoughtRecord)
    return [*_field_slots(exercise.body.fields), Slot(SlotKind.RESULT)]


KIND_SLOTS = {
    ExerciseKind.STEPS: lambda exercise: [],
    ExerciseKind.PACED_BREATHING: lambda exercise: [Slot(SlotKind.BREATHE)],
    ExerciseKind.QUIZ: _quiz,
    ExerciseKind.BUILDER: _builder,
    ExerciseKind.THOUGHT_RECORD: _thought_record,
}
RUNNABLE = frozenset(KIND_SLOTS)


def slots(exercise: Exercise) -> list[Slot]:
    """Every slot of a run of ``exercise``, in order."""
    if exercise.kind not in KIND_SLOTS:
        raise ValueError(f"exercises of kind {exercise.kind.value} cannot run yet")
    out = [Slot(SlotKind.RATE_BEFORE)] if exercise.rate_before_after else []
    if exercise.intro is not None:
        out.append(Slot(SlotKind.TEXT, "intro", exercise.intro))
    out += [Slot(SlotKind.TEXT, f"step{n}", s.text) for n, s in enumerate(exercise.steps, 1)]
    out += KIND_SLOTS[exercise.kind](exercise)
    if exercise.closing is not None:
        out.append(Slot(SlotKind.TEXT, "closing", exercise.closing))
    if exercise.rate_before_after:
        out.append(Slot(SlotKind.RATE_AFTER))
    return out


def is_done(exercise: Exercise, run: Run) -> bool:
    return run.at >= len(slots(exercise))


def _fields(exercise: Exercise) -> dict[str, Field]:
    body = exercise.body
    found = body.fields if isinstance(body, Builder | ThoughtRecord) else ()
    return {f.id: f for f in found}


def _quiz_item(exercise: Exercise, ident: str) -> QuizItem:
    assert isinstance(exercise.body, Quiz)
    return next(i for i in exercise.body.items if i.id == ident)


FIELD_INPUT = {
    InputType.TEXT: Input.TEXT, InputType.LINES: Input.TEXT, InputType.SCALE_0_10: Input.SCALE,
    InputType.PERCENT: Input.PERCENT, InputType.CHOICE: Input.CHOICE,
    InputType.TIME_OF_DAY: Input.TEXT,
}


def screen(exercise: Exercise, run: Run, lang: str, labels: Mapping[str, str]) -> Screen:
    """What to show for the run's current slot. ``labels`` are UI words from the locale:
    ``before``, ``after``, ``right``, ``not_quite``, ``change``, ``breathe``."""
    slot = slots(exercise)[run.at]
    if slot.kind in (SlotKind.RATE_BEFORE, SlotKind.RATE_AFTER):
        key = "before" if slot.kind is SlotKind.RATE_BEFORE else "after"
        return Screen(labels[key], Input.SCALE, slot=slot)
    if slot.kind is SlotKind.TEXT:
        assert slot.text is not None
        return Screen(slot.text.get(lang), Input.NEXT, slot=slot)
    if slot.kind is SlotKind.QUIZ_ITEM:
        item = _quiz_item(exercise, slot.ref)
        return Screen(f"{item.scene.get(lang)}\n\n{item.question.get(lang)}", Input.CHOICE,
                      item.options, slot=slot)
    if slot.kind is SlotKind.QUIZ_FEEDBACK:
        item = _quiz_item(exercise, slot.ref)
        verdict = labels["right"] if run.answers.get(item.id) == item.answer else labels[
            "not_quite"]
        return Screen(f"{verdict} {item.explanation.get(lang)}", Input.NEXT, slot=slot)
    if slot.kind is SlotKind.BREATHE:
        return Screen(labels["breathe"], Input.BREATHE, slot=slot)
    if slot.kind is SlotKind.FIELD:
        found = _fields(exercise)[slot.ref]
        text = found.prompt.get(lang)
        if found.hint is not None:
            text += f"\n({found.hint.get(lang)})"
        return Screen(text, FIELD_INPUT[found.input], found.options, found.optional, slot=slot)
    return Screen(result_text(exercise, run, lang, labels), Input.NEXT, slot=slot)


def result_text(exercise: Exercise, run: Run, lang: str, labels: Mapping[str, str]) -> str:
    """The assembled script (builder), the change (thought record), the score (quiz)."""
    body = exercise.body
    answers = {k: str(v) for k, v in run.answers.items()}
    if isinstance(body, Builder):
        return body.assemble(lang, answers)
    if isinstance(body, ThoughtRecord):
        fields = _fields(exercise)
        lines = []
        for f in fields.values():
            if f.rerate_of and f.rerate_of in run.answers and f.id in run.answers:
                unit = "%" if f.input is InputType.PERCENT else ""
                lines.append(f"{fields[f.rerate_of].prompt.get(lang).rstrip('?:')}: "
                             f"{run.answers[f.rerate_of]}{unit} → {run.answers[f.id]}{unit}")
        return "\n".join([labels["change"], *lines]) if lines else labels["change"]
    return ""


def quiz_score(exercise: Exercise, run: Run) -> tuple[int, int]:
    """Right answers and items of a quiz run."""
    if not isinstance(exercise.body, Quiz):
        return 0, 0
    items = exercise.body.items
    return sum(1 for i in items if run.answers.get(i.id) == i.answer), len(items)


def answer(exercise: Exercise, run: Run, given: Answer | None) -> Run | Refusal:
    """Take ``given`` for the current slot (None: the "next"/"skip" button)."""
    slot = slots(exercise)[run.at]
    shown = screen(exercise, run, "id", _NO_LABELS)
    if shown.wants is Input.NEXT:
        return run.next()
    if shown.wants is Input.BREATHE:  # the timer ended, or "stop": ``given`` is the count
        return run.with_answer("breaths", given) if isinstance(given, int) else run.next()
    key = {SlotKind.RATE_BEFORE: "before", SlotKind.RATE_AFTER: "after"}.get(slot.kind,
                                                                           slot.ref)
    if given is None:
        return run.next() if shown.optional else Refusal.EMPTY
    if shown.wants is Input.CHOICE:
        if not isinstance(given, str) or given not in {o.id for o in shown.options}:
            return Refusal.NOT_AN_OPTION
        return run.with_answer(key, given)
    if shown.wants in (Input.SCALE, Input.PERCENT):
        top = 10 if shown.wants is Input.SCALE else 100
        number = _number(given)
        if number is None or not 0 <= number <= top:
            return Refusal.NOT_A_NUMBER
        return run.with_answer(key, number)
    if not isinstance(given, str):
        return Refusal.WRONG_INPUT
    text = " ".join(given.split()) if "\n" not in given else given.strip()
    if not text:
        return Refusal.EMPTY
    return run.with_answer(key, text[:MAX_ANSWER])


def _number(given: Answer) -> int | None:
    if isinstance(given, int):
        return given
    cleaned = given.strip().rstrip("%").strip()
    return int(cleaned) if cleaned.isdigit() else None


_NO_LABELS: Mapping[str, str] = MappingProxyType(
    {k: "" for k in ("before", "after", "right", "not_quite", "change", "breathe")})
