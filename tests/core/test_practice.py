"""The exercise runner's pure state machine, over the shipped content."""

from __future__ import annotations

import pytest

from bot.content import Content, default_content_dir, load_content
from bot.core import practice
from bot.core.content.exercises import ExerciseKind
from bot.core.practice import Input, Refusal, Run, SlotKind

LABELS = {k: k.upper() for k in ("before", "after", "right", "not_quite", "change", "breathe")}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(default_content_dir())


def test_every_exercise_of_every_kind_has_slots(content: Content) -> None:
    for exercise in content.exercises.values():
        kinds = [s.kind for s in practice.slots(exercise)]
        assert kinds, exercise.id
        assert (kinds[0] is SlotKind.RATE_BEFORE) == exercise.rate_before_after
        assert (kinds[-1] is SlotKind.RATE_AFTER) == exercise.rate_before_after
    assert set(ExerciseKind) == practice.RUNNABLE


def test_a_rating_slot_takes_0_to_10_only(content: Content) -> None:
    pmr = content.exercise("pmr-short")
    run = Run()
    assert practice.screen(pmr, run, "en", LABELS).wants is Input.SCALE
    for bad in (11, -1, "ten", "", None):
        assert isinstance(practice.answer(pmr, run, bad), Refusal)
    moved = practice.answer(pmr, run, "7")
    assert isinstance(moved, Run) and moved.answers["before"] == 7 and moved.at == 1


def test_quiz_feedback_follows_the_answer_and_scores(content: Content) -> None:
    quiz = content.exercise("styles-quiz")
    run = practice.answer(quiz, Run(), None)  # past the intro
    assert isinstance(run, Run)
    assert practice.answer(quiz, run, "shouting") is Refusal.NOT_AN_OPTION
    right = practice.answer(quiz, run, "passive")
    assert isinstance(right, Run)
    assert practice.screen(quiz, right, "en", LABELS).text.startswith("RIGHT ")
    wrong = practice.answer(quiz, run, "assertive")
    assert isinstance(wrong, Run)
    assert practice.screen(quiz, wrong, "en", LABELS).text.startswith("NOT_QUITE ")
    assert practice.quiz_score(quiz, right) == (1, 6)


def test_builder_answers_are_trimmed_capped_and_assembled(content: Content) -> None:
    builder = content.exercise("i-statement")
    run = practice.answer(builder, Run(), None)  # the intro
    assert isinstance(run, Run)
    assert practice.answer(builder, run, "  \n ") is Refusal.EMPTY
    assert practice.answer(builder, run, 5) is Refusal.WRONG_INPUT
    for text in ("  kesal   sekali ", "x" * 5000, "c", "d"):
        moved = practice.answer(builder, run, text)
        assert isinstance(moved, Run)
        run = moved
    assert run.answers["feeling"] == "kesal sekali" and len(str(run.answers["behaviour"])) == 1000
    result = practice.screen(builder, run, "id", LABELS)
    assert result.slot.kind is SlotKind.RESULT and "kesal sekali" in result.text


def test_an_optional_field_may_be_skipped(content: Content) -> None:
    desc = content.exercise("desc-script")
    slots = practice.slots(desc)
    at = next(i for i, s in enumerate(slots) if s.ref == "consequences")
    run = Run(at)
    assert practice.screen(desc, run, "en", LABELS).optional
    assert practice.answer(desc, run, None) == Run(at + 1)


def test_breathing_phases_follow_the_timings() -> None:
    from bot.core import breathing
    from bot.core.content.exercises import Timings

    t = Timings(inhale_seconds=4, exhale_seconds=6, cycles=2, hold_seconds=2, rest_seconds=1)
    seen = [breathing.phase_at(t, s) for s in (0, 3.9, 4, 6, 12, 12.9, 13, 25.9, 26)]
    assert [(p.cycle, p.name) if p else None for p in seen] == [
        (1, "inhale"), (1, "inhale"), (1, "hold"), (1, "exhale"), (1, "rest"), (1, "rest"),
        (2, "inhale"), (2, "rest"), None]
    assert breathing.cycles_done(t, 20) == 1 and breathing.cycles_done(t, 99) == 2
    assert breathing.restart_offset(t, 20) == 13  # the second breath begins again
