"""The priority scale and reminders, the parts of their runs that are not a plain field.

Priority: today's tasks typed one per line, each sorted into a category (A/B/C, or the
four boxes) one at a time, then the ordered plan. Answers are plain text so they store
and export as they are: ``tasks`` (one task per line), ``sort`` (category ids, comma
separated, one per task in order), ``plan`` (free text).

Reminders: the times a reminder exercise is sent, from its schedule and the set-up
answers. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time

from bot.core.content.exercises import Priority, Schedule
from bot.core.parsing import parse_time

_BULLET = re.compile(r"^\s*(?:[-*•·]+|\d{1,2}[.)])\s*")
MAX_TASK = 120  # characters kept of one task
# the waking day a "times_per_day" reminder is spread over, in the participant's zone
SPREAD_FROM, SPREAD_TO = time(9, 0), time(17, 0)


def parse_tasks(text: str, limit: int) -> tuple[str, ...]:
    """One task per line, bullets and numbering dropped, blank lines skipped, at most
    ``limit``. A single line with commas or semicolons is split at them."""
    lines = text.splitlines()
    if len(lines) == 1 and re.search(r"[;,]", lines[0]):
        lines = re.split(r"[;,]", lines[0])
    tasks = [" ".join(_BULLET.sub("", line).split())[:MAX_TASK] for line in lines]
    return tuple(t for t in tasks if t)[:limit]


def tasks_of(answers: Mapping[str, object]) -> tuple[str, ...]:
    value = answers.get("tasks")
    return tuple(value.split("\n")) if isinstance(value, str) and value else ()


def sorted_of(answers: Mapping[str, object]) -> tuple[str, ...]:
    value = answers.get("sort")
    return tuple(value.split(",")) if isinstance(value, str) and value else ()


def category_for(body: Priority, typed: str) -> str | None:
    """A typed answer at the sorting step: a category's id or its label ("A", "a")."""
    folded = " ".join(typed.split()).casefold()
    for category in body.categories:
        labels = {category.id.casefold(), category.label.id.casefold(),
                  category.label.en.casefold()}
        if folded in labels:
            return category.id
    return None


def plan_lines(body: Priority, answers: Mapping[str, object], lang: str) -> list[str]:
    """The tasks grouped by category, in the categories' order."""
    tasks, marks = tasks_of(answers), sorted_of(answers)
    out: list[str] = []
    for category in body.categories:
        mine = [t for t, m in zip(tasks, marks, strict=False) if m == category.id]
        if mine:
            if out:
                out.append("")
            out.append(f"{category.label.get(lang)}:")
            out += [f"• {t}" for t in mine]
    plan = answers.get("plan")
    if isinstance(plan, str) and plan:
        out += ["", plan]
    return out


def reminder_times(schedule: Schedule, answers: Mapping[str, object]) -> tuple[time, ...]:
    """When a reminder comes each day: the time the participant gave, or ``times_per_day``
    spread evenly over the working day (09:00-17:00). Empty when no time can be read."""
    if schedule.time_field is not None:
        given = parse_time(str(answers.get(schedule.time_field, "")))
        return (given,) if given is not None else ()
    n = schedule.times_per_day or 1
    start = SPREAD_FROM.hour * 60 + SPREAD_FROM.minute
    span = SPREAD_TO.hour * 60 + SPREAD_TO.minute - start
    minutes = [start + (span * i // (n - 1) if n > 1 else span // 2) for i in range(n)]
    return tuple(time(m // 60, m % 60) for m in minutes)
