"""A window of one participant's records, decoded from the file's plain documents: only
the documents inside it are turned into records (a year of data, a month read)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bot.core.models import ExerciseRun, Participant, Prompt, QuestionnaireResponse, Rating
from storage import Recent, Records
from storage.convert import from_doc

TYPES: dict[str, type] = {"ratings": Rating, "prompts": Prompt, "exercise_runs": ExerciseRun,
                          "questionnaires": QuestionnaireResponse}


def read_all(tables: dict[str, Any]) -> Records:
    def rows(table: str) -> tuple[Any, ...]:
        decode = functools.partial(from_doc, TYPES[table])
        return tuple(decode(doc) for doc in tables.get(table, {}).values())

    profile = tables.get("profile", {})
    return Records(rows("prompts"), rows("ratings"), rows("exercise_runs"),
                   rows("questionnaires"),
                   from_doc(Participant, next(iter(profile.values()))) if profile else None)


def read_recent(tables: dict[str, Any], since: date, baseline_before: date | None) -> Recent:
    """Ratings from ``since`` (and before ``baseline_before``), prompts from ``since``,
    runs completed from the day before ``since`` (dates compare as ISO text)."""
    first, runs_from = since.isoformat(), (since - timedelta(days=1)).isoformat()
    base = baseline_before.isoformat() if baseline_before else ""

    def rows(table: str, keep: Callable[[dict[str, Any]], bool]) -> tuple[Any, ...]:
        decode = functools.partial(from_doc, TYPES[table])
        return tuple(decode(doc) for doc in tables.get(table, {}).values() if keep(doc))

    return Recent(
        ratings=rows("ratings", lambda d: d["local_date"] >= first or d["local_date"] < base),
        prompts=rows("prompts", lambda d: d["local_date"] >= first),
        runs=rows("exercise_runs", lambda d: (d.get("completed_at") or "") >= runs_from))
