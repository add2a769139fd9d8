"""Exercises: the closed set of kinds, their data, and how each is read from YAML.

A runner plays any exercise from data alone, in this order: the 0-10 rating "before" (when
``rate_before_after``), ``intro``, ``steps`` (each message, with a timer where ``seconds`` is
set), the kind's own part (``body``), ``closing``, then the rating "after". See
docs/writing-content.md for the YAML and bot/contentschema/bodies.py for each kind's part.
"""

from __future__ import annotations

from bot.contentschema import bodies
from bot.contentschema.problems import MISSING, Doc, FieldPath, kebab_id
from bot.contentschema.texts import EMPTY, optional_text, steps, text
from bot.core.content.exercises import Exercise, ExerciseKind, Frequency

COMMON_REQUIRED = ("id", "kind", "title", "summary", "duration_minutes", "frequency",
                   "rate_before_after")
COMMON_OPTIONAL = ("intro", "steps", "closing", "builds_on")


def frequency(doc: Doc, path: FieldPath, value: object) -> Frequency:
    keys = ("times_per_day", "times_per_week", "as_needed")
    found = doc.mapping(path, value, (), keys + ("note",))
    if found is None:
        return Frequency(as_needed=True)
    given = [key for key in keys if key in found]
    if len(given) != 1:
        doc.error(path, "give exactly one of: times_per_day, times_per_week, as_needed: true")
    note = optional_text(doc, path, found, "note")
    if "times_per_day" in found:
        return Frequency(times_per_day=doc.integer(path + ("times_per_day",),
                                                   found["times_per_day"], 1, 30), note=note)
    if "times_per_week" in found:
        return Frequency(times_per_week=doc.integer(path + ("times_per_week",),
                                                    found["times_per_week"], 1, 14), note=note)
    if "as_needed" in found and doc.boolean(path + ("as_needed",), found["as_needed"]) is not True:
        doc.error(path + ("as_needed",), "write as_needed: true (or give a number per day/week)")
    return Frequency(as_needed=True, note=note)


def exercise(doc: Doc, path: FieldPath, value: object, module_id: str, session: int) -> Exercise:
    """Read one exercise; unknown keys are those of neither the common part nor its kind."""
    raw = doc.mapping(path, value, check_unknown=False)
    if raw is None:
        return Exercise("", ExerciseKind.STEPS, module_id, session, EMPTY, EMPTY, 1,
                        Frequency(as_needed=True), False)
    kind_name = doc.choice(path + ("kind",), raw.get("kind"), [k.value for k in ExerciseKind])
    kind = ExerciseKind(kind_name) if kind_name else None
    required, optional = bodies.KEYS[kind.value] if kind else ((), ())
    doc.mapping(path, raw, COMMON_REQUIRED + required, COMMON_OPTIONAL + optional,
                check_unknown=kind is not None)

    def want(key: str) -> object:
        return raw.get(key, MISSING)  # absent keys were reported above; checks stay quiet

    the_steps = steps(doc, path + ("steps",), raw["steps"],
                      min_len=1 if kind is ExerciseKind.STEPS else 0) if "steps" in raw else ()
    builds_on = tuple(kebab_id(doc, path + ("builds_on", index), item) for index, item
                      in enumerate(doc.sequence(path + ("builds_on",), want("builds_on"))))
    result = Exercise(
        id=kebab_id(doc, path + ("id",), want("id")),
        kind=kind or ExerciseKind.STEPS,
        module_id=module_id,
        session=session,
        title=text(doc, path + ("title",), want("title"), max_len=80),
        summary=text(doc, path + ("summary",), want("summary"), max_len=200),
        duration_minutes=doc.integer(path + ("duration_minutes",), want("duration_minutes"),
                                     1, 60),
        frequency=frequency(doc, path + ("frequency",), want("frequency")),
        rate_before_after=doc.boolean(path + ("rate_before_after",), want("rate_before_after")),
        intro=optional_text(doc, path, raw, "intro"),
        steps=the_steps,
        closing=optional_text(doc, path, raw, "closing"),
        builds_on=builds_on,
        body=bodies.read(kind.value, doc, path, raw)
        if kind is not None and kind is not ExerciseKind.STEPS else None,
    )
    if kind is not None and "duration_minutes" in raw:
        timed = result.timed_seconds
        if timed > result.duration_minutes * 60:
            doc.error(path + ("duration_minutes",),
                      f"the timed parts take {timed // 60} min {timed % 60} s, longer than "
                      f"{result.duration_minutes} min")
    return result
