"""What some kinds add to a run beyond plain fields: sorting tasks (priority), options
that toggle, and the result each kind shows (a script, a change, a plan, a reminder)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core import priority
from bot.core.content.exercises import Builder, Exercise, Priority, Reminder, ThoughtRecord
from bot.core.content.texts import InputType, Option
from bot.core.runstate import Answer, Input, Refusal, Run, Screen, Slot


def tasks_screen(body: Priority, run: Run, lang: str, labels: Mapping[str, str],
                 slot: Slot) -> Screen:
    """Today's tasks, typed in one message or several: the list so far and a "done"
    button (``multiple``: the slot stays until then)."""
    tasks = priority.tasks_of(run.answers)
    if not tasks:
        return Screen(body.task_prompt.get(lang), Input.TEXT, slot=slot, multiple=True)
    lines = [labels.get("tasks_so_far", "{n}").format(n=len(tasks)), *(f"• {t}" for t in tasks)]
    if len(tasks) < body.max_tasks:
        lines += ["", labels.get("tasks_more", "")]
    return Screen("\n".join(lines).rstrip(), Input.TEXT, slot=slot, multiple=True)


def add_tasks(body: Priority, run: Run, given: Answer | None) -> Run | Refusal:
    """More tasks (one per line), kept at the slot; "done" (None) moves on once there is
    one. At ``max_tasks`` the list is full and the run moves on by itself."""
    tasks = priority.tasks_of(run.answers)
    if given is None:
        return run.next() if tasks else Refusal.EMPTY
    if not isinstance(given, str):
        return Refusal.WRONG_INPUT
    more = priority.parse_tasks(given, body.max_tasks - len(tasks))
    if not more:
        return Refusal.EMPTY
    joined = "\n".join((*tasks, *more))
    if len(tasks) + len(more) >= body.max_tasks:
        return run.with_answer("tasks", joined)
    return run.keep("tasks", joined)


def sort_screen(exercise: Exercise, run: Run, lang: str, labels: Mapping[str, str],
                 slot: Slot) -> Screen:
    """One task and the categories: "Task 2 of 5: ...", buttons t1_a, t1_b, ..."""
    body = exercise.body
    assert isinstance(body, Priority)
    tasks = priority.tasks_of(run.answers)
    i = len(priority.sorted_of(run.answers))
    lines = [labels.get("task_of", "{i}/{n}").format(i=i + 1, n=len(tasks)),
             tasks[i] if i < len(tasks) else "", "", body.sort_prompt.get(lang)]
    lines += [f"{c.label.get(lang)}: {c.description.get(lang)}" for c in body.categories]
    options = tuple(Option(f"t{i}_{c.id}", c.label) for c in body.categories)
    return Screen("\n".join(lines), Input.CHOICE, options, slot=slot)


def result_text(exercise: Exercise, run: Run, lang: str, labels: Mapping[str, str]) -> str:
    """The assembled script (builder), the change (thought record), the ordered plan
    (priority), the message and its times (reminder)."""
    body = exercise.body
    answers = {k: str(v) for k, v in run.answers.items()}
    if isinstance(body, Builder):
        return body.assemble(lang, answers)
    if isinstance(body, Priority):
        return "\n".join(priority.plan_lines(body, answers, lang))
    if isinstance(body, Reminder):
        times = ", ".join(t.strftime("%H:%M") for t in priority.reminder_times(
            body.schedule, answers))
        return "\n\n".join([reminder_message(exercise, answers, lang),
                             labels.get("reminder_at", "{times}").format(times=times)])
    if isinstance(body, ThoughtRecord):
        fields = {f.id: f for f in body.fields}
        lines = []
        for f in fields.values():
            if f.rerate_of and f.rerate_of in run.answers and f.id in run.answers:
                unit = "%" if f.input is InputType.PERCENT else ""
                lines.append(f"{fields[f.rerate_of].prompt.get(lang).rstrip('?:')}: "
                             f"{run.answers[f.rerate_of]}{unit} → {run.answers[f.id]}{unit}")
        return "\n".join([labels["change"], *lines]) if lines else labels["change"]
    return ""


def reminder_message(exercise: Exercise, answers: Mapping[str, object], lang: str) -> str:
    """A reminder's recurring message with the set-up answers filled in (a choice by its
    label; several chosen, joined by commas)."""
    body = exercise.body
    assert isinstance(body, Reminder)
    values: dict[str, str] = {}
    for f in body.fields:
        given = str(answers.get(f.id, ""))
        labels = {o.id: o.text.get(lang) for o in f.options}
        values[f.id] = ", ".join(labels.get(v, v) for v in given.split(",") if v) if (
            f.options) else given
    return body.message.get(lang).format_map(_Blank(values))


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""

def toggle(run: Run, shown: Screen, key: str, given: Answer | None) -> Run | Refusal:
    """Several options: each press turns one on or off; "done" moves on."""
    if given is None:
        return run.next() if shown.chosen or shown.optional else Refusal.EMPTY
    if not isinstance(given, str) or given not in {o.id for o in shown.options}:
        return Refusal.NOT_AN_OPTION
    chosen = shown.chosen ^ {given}
    return run.keep(key, ",".join(o.id for o in shown.options if o.id in chosen))


def sort(exercise: Exercise, run: Run, given: Answer | None) -> Run | Refusal:
    """The category of the next task: its button (``t<i>_<id>``, for this task only) or
    the category typed ("A"). The run moves on once every task has one."""
    body = exercise.body
    assert isinstance(body, Priority)
    marks = priority.sorted_of(run.answers)
    picked = None
    if isinstance(given, str):
        prefix = f"t{len(marks)}_"
        picked = (given[len(prefix):] if given.startswith(prefix)
                  else priority.category_for(body, given))
    if picked not in {c.id for c in body.categories}:
        return Refusal.NOT_AN_OPTION
    joined = ",".join([*marks, str(picked)])
    if len(marks) + 1 >= len(priority.tasks_of(run.answers)):
        return run.with_answer("sort", joined)
    return run.keep("sort", joined)


