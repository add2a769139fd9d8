"""The runner's priority scale, reminders, toggled options and typed times."""

from __future__ import annotations

from datetime import time

import pytest

from bot.content import Content, default_content_dir, load_content
from bot.core import practice, priority
from bot.core.content.exercises import Schedule
from bot.core.practice import Input, Refusal, Run, SlotKind

LABELS = {k: k.upper() for k in ("before", "after", "right", "not_quite", "change", "breathe")}
LABELS |= {"task_of": "Task {i} of {n}", "reminder_at": "Daily at {times}",
           "tasks_so_far": "Your list ({n}):", "tasks_more": "More?"}


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(default_content_dir())


def _at(exercise, kind: SlotKind, ref: str = "") -> int:  # type: ignore[no-untyped-def]
    return next(i for i, s in enumerate(practice.slots(exercise))
                if s.kind is kind and (not ref or s.ref == ref))


def _give(exercise, run: Run, *answers: str | int | None) -> Run:  # type: ignore[no-untyped-def]
    for given in answers:
        moved = practice.answer(exercise, run, given)
        assert isinstance(moved, Run), (given, moved)
        run = moved
    return run


def test_tasks_are_read_one_per_line_without_bullets() -> None:
    assert priority.parse_tasks("- laporan\n\n2. rapat  pengasuh\n• antar anak", 12) == (
        "laporan", "rapat pengasuh", "antar anak")
    assert priority.parse_tasks("laporan, rapat; antar", 12) == ("laporan", "rapat", "antar")
    assert priority.parse_tasks("a\nb\nc", 2) == ("a", "b")
    assert priority.parse_tasks(" \n - \n", 5) == ()


def test_a_priority_run_sorts_every_task_then_shows_the_ordered_plan(content: Content) -> None:
    abc = content.exercise("abc-today")
    run = Run(_at(abc, SlotKind.FIELD, "tasks"))
    assert practice.answer(abc, run, "  \n - ") is Refusal.EMPTY
    assert practice.answer(abc, run, None) is Refusal.EMPTY  # "done" with no task yet
    run = _give(abc, run, "laporan kasus\nrapat")  # in one message, or several
    assert practice.screen(abc, run, "en", LABELS).text.startswith(
        "Your list (2):\n• laporan kasus\n• rapat")
    run = _give(abc, run, "antar anak ke puskesmas", None)
    sort = practice.screen(abc, run, "en", LABELS)
    assert sort.slot.kind is SlotKind.SORT and sort.wants is Input.CHOICE
    assert sort.text.startswith("Task 1 of 3\nlaporan kasus")
    assert [o.id for o in sort.options] == ["t0_a", "t0_b", "t0_c"]
    assert practice.answer(abc, run, "t1_a") is Refusal.NOT_AN_OPTION  # an old or later button
    assert practice.answer(abc, run, "D") is Refusal.NOT_AN_OPTION
    run = _give(abc, run, "t0_b")
    assert run.at == _at(abc, SlotKind.SORT) and run.answers["sort"] == "b"
    assert practice.screen(abc, run, "en", LABELS).text.startswith("Task 2 of 3\nrapat")
    run = _give(abc, run, "c", "t2_a")  # a typed label works as the button does
    assert run.answers["sort"] == "b,c,a" and run.at == _at(abc, SlotKind.FIELD, "plan")
    run = _give(abc, run, "Mulai jam 8 dengan puskesmas")
    result = practice.screen(abc, run, "en", LABELS)
    assert result.slot.kind is SlotKind.RESULT
    assert result.text == ("A:\n• antar anak ke puskesmas\n\nB:\n• laporan kasus\n\nC:\n• rapat"
                           "\n\nMulai jam 8 dengan puskesmas")


def test_a_full_task_list_moves_on_by_itself(content: Content) -> None:
    abc = content.exercise("abc-today")  # at most 12 tasks
    run = _give(abc, Run(_at(abc, SlotKind.FIELD, "tasks")), "\n".join(f"t{i}" for i in range(10)))
    run = _give(abc, run, "t10\nt11\nt12\nt13")
    assert run.at == _at(abc, SlotKind.SORT) and len(priority.tasks_of(run.answers)) == 12


def test_the_follow_up_shows_yesterdays_plan_and_asks_its_own_fields(content: Content) -> None:
    abc = content.exercise("abc-today")
    assert practice.has_follow_up(abc)
    kinds = [s.kind for s in practice.slots(abc, follow_up=True)]
    assert kinds == [SlotKind.TEXT, SlotKind.FIELD, SlotKind.FIELD, SlotKind.FIELD]
    run = Run(0, {"tasks": "laporan\nrapat", "sort": "a,c"}, follow_up=True)
    intro = practice.screen(abc, run, "en", LABELS)
    assert "Yesterday" in intro.text and "• laporan" in intro.text
    run = _give(abc, run, None)
    assert practice.answer(abc, run, "maybe") is Refusal.NOT_AN_OPTION
    run = _give(abc, run, "some", None, "Mulai lebih pagi")
    assert practice.is_done(abc, run)
    assert run.answers["a_done"] == "some" and "moved" not in run.answers


def test_a_time_of_day_is_read_kindly(content: Content) -> None:
    worry = content.exercise("worry-time")
    run = Run(_at(worry, SlotKind.FIELD, "worry_time"))
    assert practice.screen(worry, run, "en", LABELS).wants is Input.TIME
    for bad in ("later", "25:00", "", "🙂"):
        assert practice.answer(worry, run, bad) in (Refusal.NOT_A_TIME, Refusal.EMPTY)
    assert _give(worry, run, "jam 16.30").answers["worry_time"] == "16:30"


def test_options_toggle_and_done_needs_one(content: Content) -> None:
    rapid = content.exercise("rapid-relaxation")
    run = Run(_at(rapid, SlotKind.FIELD, "signals"))
    shown = practice.screen(rapid, run, "en", LABELS)
    assert shown.multiple and not shown.chosen
    assert practice.answer(rapid, run, None) is Refusal.EMPTY
    run = _give(rapid, run, "water", "clock", "water", "door")
    assert run.at == _at(rapid, SlotKind.FIELD, "signals")
    assert practice.screen(rapid, run, "en", LABELS).chosen == {"clock", "door"}
    assert run.answers["signals"] == "clock,door"  # in the options' order
    assert practice.answer(rapid, run, "wine") is Refusal.NOT_AN_OPTION
    assert _give(rapid, run, None).at == run.at + 1


def test_a_reminder_set_up_ends_with_its_message_and_times(content: Content) -> None:
    rapid = content.exercise("rapid-relaxation")
    run = Run(_at(rapid, SlotKind.RESULT), {"cue_word": "tenang", "signals": "clock,water"})
    text = practice.screen(rapid, run, "en", LABELS).text
    assert '"tenang"' in text and "Looking at the clock, Drinking water" in text
    assert text.endswith("Daily at 09:00, 13:00, 17:00")
    worry = content.exercise("worry-time")
    answers = {"worry_time": "16:30", "place": "teras"}
    assert "at teras" in practice.reminder_message(worry, answers, "en")


def test_reminder_times() -> None:
    assert priority.reminder_times(Schedule(time_field="t"), {"t": "07:05"}) == (time(7, 5),)
    assert priority.reminder_times(Schedule(time_field="t"), {}) == ()
    assert priority.reminder_times(Schedule(times_per_day=1), {}) == (time(13, 0),)
    assert priority.reminder_times(Schedule(times_per_day=2), {}) == (time(9), time(17))


def test_text_typed_where_next_is_wanted_is_not_taken(content: Content) -> None:
    steps = content.exercise("relax-in-the-moment")
    assert practice.screen(steps, Run(), "en", LABELS).guidable  # steps with their seconds
    assert practice.answer(steps, Run(), "ok lanjut") is Refusal.PRESS_NEXT
    assert practice.answer(steps, Run(), None) == Run(1)
    assert practice.step_seconds(steps, Run()) == 10
    assert not practice.screen(steps, Run(1), "en", LABELS).guidable  # offered at step 1 only
