"""Running an exercise from its content alone: a pure state machine.

An exercise becomes a list of *slots* (the before-rating, the intro, each step, what its
kind adds, the closing, the after-rating). A run is where it is in that list and the
answers so far; ``screen`` says what to show for the current slot, ``answer`` checks what
the participant gave and moves on. Each kind adds its slots in one function
(``KIND_SLOTS``); nothing else knows about kinds. Pure: no clock, no storage.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.core import kinds, priority
from bot.core.content.exercises import (
    Builder,
    Exercise,
    ExerciseKind,
    Priority,
    Quiz,
    QuizItem,
    Reminder,
    ThoughtRecord,
)
from bot.core.content.texts import Field, InputType
from bot.core.kinds import reminder_message, result_text
from bot.core.parsing import parse_time
from bot.core.runstate import (
    MAX_ANSWER,
    Answer,
    Input,
    Refusal,
    Run,
    Screen,
    Slot,
    SlotKind,
)

__all__ = ["MAX_ANSWER", "RUNNABLE", "Answer", "Input", "Refusal", "Run", "Screen", "Slot",
           "SlotKind", "answer", "is_done", "quiz_score", "reminder_message", "result_text",
           "screen", "slots", "slots_of"]


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


def _priority(exercise: Exercise) -> list[Slot]:
    return [Slot(SlotKind.FIELD, "tasks"), Slot(SlotKind.SORT), Slot(SlotKind.FIELD, "plan"),
            Slot(SlotKind.RESULT)]


def _reminder(exercise: Exercise) -> list[Slot]:
    assert isinstance(exercise.body, Reminder)
    return [*_field_slots(exercise.body.fields), Slot(SlotKind.RESULT)]


KIND_SLOTS = {
    ExerciseKind.STEPS: lambda exercise: [],
    ExerciseKind.PACED_BREATHING: lambda exercise: [Slot(SlotKind.BREATHE)],
    ExerciseKind.QUIZ: _quiz,
    ExerciseKind.BUILDER: _builder,
    ExerciseKind.THOUGHT_RECORD: _thought_record,
    ExerciseKind.PRIORITY: _priority,
    ExerciseKind.REMINDER: _reminder,
}
RUNNABLE = frozenset(KIND_SLOTS)


def has_follow_up(exercise: Exercise) -> bool:
    return isinstance(exercise.body, Priority) and exercise.body.follow_up is not None


def slots(exercise: Exercise, follow_up: bool = False) -> list[Slot]:
    """Every slot of a run of ``exercise``, in order (of its follow-up, when asked)."""
    if exercise.kind not in KIND_SLOTS:
        raise ValueError(f"exercises of kind {exercise.kind.value} cannot run yet")
    if follow_up:
        body = exercise.body
        assert isinstance(body, Priority) and body.follow_up is not None
        return [Slot(SlotKind.TEXT, "follow_up", body.follow_up.intro),
                *_field_slots(body.follow_up.fields)]
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


def is_guided_kind(exercise: Exercise) -> bool:
    """Whether "guide me" can time this exercise: steps that all say how long they take."""
    return exercise.kind is ExerciseKind.STEPS and bool(exercise.steps) and all(
        s.seconds for s in exercise.steps)


def step_seconds(exercise: Exercise, run: Run) -> int | None:
    """How long the current slot lasts when guided: a timed step's seconds, else None."""
    if not is_guided_kind(exercise) or is_done(exercise, run):
        return None
    ref = slots_of(exercise, run)[run.at].ref
    if not ref.startswith("step") or not ref[4:].isdigit():
        return None
    return exercise.steps[int(ref[4:]) - 1].seconds


def slots_of(exercise: Exercise, run: Run) -> list[Slot]:
    return slots(exercise, run.follow_up)


def is_done(exercise: Exercise, run: Run) -> bool:
    return run.at >= len(slots_of(exercise, run))


def _fields(exercise: Exercise, follow_up: bool = False) -> dict[str, Field]:
    body = exercise.body
    found: tuple[Field, ...] = ()
    if isinstance(body, Builder | ThoughtRecord | Reminder):
        found = body.fields
    elif isinstance(body, Priority) and follow_up and body.follow_up is not None:
        found = body.follow_up.fields
    elif isinstance(body, Priority):
        found = (Field("tasks", InputType.LINES, body.task_prompt),
                 Field("plan", InputType.TEXT, body.plan_prompt))
    return {f.id: f for f in found}


def _quiz_item(exercise: Exercise, ident: str) -> QuizItem:
    assert isinstance(exercise.body, Quiz)
    return next(i for i in exercise.body.items if i.id == ident)


FIELD_INPUT = {
    InputType.TEXT: Input.TEXT, InputType.LINES: Input.TEXT, InputType.SCALE_0_10: Input.SCALE,
    InputType.PERCENT: Input.PERCENT, InputType.CHOICE: Input.CHOICE,
    InputType.TIME_OF_DAY: Input.TIME,
}


def screen(exercise: Exercise, run: Run, lang: str, labels: Mapping[str, str]) -> Screen:
    """What to show for the run's current slot. ``labels`` are UI words from the locale:
    ``before``, ``after``, ``right``, ``not_quite``, ``change``, ``breathe``, and (with
    ``{i}``, ``{n}``, ``{times}`` in them) ``task_of``, ``reminder_at``."""
    slot = slots_of(exercise, run)[run.at]
    if slot.kind in (SlotKind.RATE_BEFORE, SlotKind.RATE_AFTER):
        key = "before" if slot.kind is SlotKind.RATE_BEFORE else "after"
        return Screen(labels[key], Input.SCALE, slot=slot)
    if slot.kind is SlotKind.TEXT:
        assert slot.text is not None
        text = slot.text.get(lang)
        if slot.ref == "follow_up" and isinstance(exercise.body, Priority):
            text = "\n".join([text, "", *priority.plan_lines(exercise.body, run.answers, lang)])
        return Screen(text, Input.NEXT, slot=slot,
                      guidable=slot.ref == "step1" and is_guided_kind(exercise))

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
    if slot.kind is SlotKind.SORT:
        return kinds.sort_screen(exercise, run, lang, labels, slot)
    if slot.kind is SlotKind.FIELD and slot.ref == "tasks" and isinstance(exercise.body,
                                                                        Priority):
        return kinds.tasks_screen(exercise.body, run, lang, labels, slot)
    if slot.kind is SlotKind.FIELD:
        found = _fields(exercise, run.follow_up)[slot.ref]
        text = found.prompt.get(lang)
        if found.hint is not None:
            text += f"\n({found.hint.get(lang)})"
        chosen = frozenset(str(run.answers.get(found.id, "")).split(",")) - {""}
        return Screen(text, FIELD_INPUT[found.input], found.options, found.optional, slot=slot,
                      multiple=found.multiple, chosen=chosen if found.multiple else frozenset())
    return Screen(result_text(exercise, run, lang, labels), Input.NEXT, slot=slot)



def quiz_score(exercise: Exercise, run: Run) -> tuple[int, int]:
    """Right answers and items of a quiz run."""
    if not isinstance(exercise.body, Quiz):
        return 0, 0
    items = exercise.body.items
    return sum(1 for i in items if run.answers.get(i.id) == i.answer), len(items)


def answer(exercise: Exercise, run: Run, given: Answer | None) -> Run | Refusal:
    """Take ``given`` for the current slot (None: the "next"/"skip"/"done" button)."""
    slot = slots_of(exercise, run)[run.at]
    shown = screen(exercise, run, "id", _NO_LABELS)
    if shown.wants is Input.NEXT:  # typed text here is not taken: it would be lost
        return run.next() if given is None else Refusal.PRESS_NEXT
    if shown.wants is Input.BREATHE:  # the timer ended, or "stop": ``given`` is the count
        if isinstance(given, str):
            return Refusal.PRESS_NEXT  # typed text while breathing: the buttons move on
        return run.with_answer("breaths", given) if isinstance(given, int) else run.next()
    if slot.kind is SlotKind.SORT:
        return kinds.sort(exercise, run, given)
    key = {SlotKind.RATE_BEFORE: "before", SlotKind.RATE_AFTER: "after"}.get(slot.kind,
                                                                           slot.ref)
    if key == "tasks" and isinstance(exercise.body, Priority):
        return kinds.add_tasks(exercise.body, run, given)
    if shown.multiple:
        return kinds.toggle(run, shown, key, given)
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
    if shown.wants is Input.TIME:
        at = parse_time(given)
        return Refusal.NOT_A_TIME if at is None else run.with_answer(key, at.strftime("%H:%M"))
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
