"""The kind-specific part of an exercise (its ``body``), one dataclass per kind.

| kind | YAML keys (required / optional) | what the runner does |
|---|---|---|
| paced_breathing | timings, cues | ``cycles`` times: cue inhale, hold, exhale, rest |
| quiz | items / question, options | per item: scene + question, buttons, answer, explanation |
| builder | fields, template | ask each field, then ``assemble()`` the parts |
| priority | task_prompt, sort_prompt, categories, plan_prompt / max_tasks, follow_up |
  list tasks, sort each, plan; ``follow_up.after_days`` later, ask its fields |
| thought_record | fields | ask each field (text, 0-10, percent; re-ratings) |
| reminder | message, schedule / fields | ask set-up fields, then send ``message`` on ``schedule`` |
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.contentschema.problems import MISSING, Doc, FieldPath, sub_id, unique_ids
from bot.contentschema.texts import (
    EMPTY,
    InputType,
    Text,
    fields,
    optional_text,
    options,
    text,
)
from bot.core.content.exercises import (
    Builder,
    Category,
    FollowUp,
    PacedBreathing,
    Priority,
    Quiz,
    QuizItem,
    Reminder,
    Schedule,
    ThoughtRecord,
    Timings,
)

# --- paced_breathing -----------------------------------------------------------------------


def read_paced(doc: Doc, path: FieldPath, raw: dict[str, Any]) -> PacedBreathing:
    here = path + ("timings",)
    found = doc.mapping(here, raw.get("timings", MISSING),
                        ("inhale_seconds", "exhale_seconds", "cycles"),
                        ("hold_seconds", "rest_seconds")) or {}

    def seconds(key: str, low: int, high: int, default: int) -> int:
        return doc.integer(here + (key,), found[key], low, high) if key in found else default

    timings = Timings(seconds("inhale_seconds", 1, 15, 4), seconds("exhale_seconds", 1, 20, 4),
                      seconds("cycles", 1, 60, 1), seconds("hold_seconds", 0, 15, 0),
                      seconds("rest_seconds", 0, 15, 0))
    cues_path = path + ("cues",)
    cues = doc.mapping(cues_path, raw.get("cues", MISSING), ("inhale", "exhale"),
                       ("hold", "rest")) or {}
    for key, needed in (("hold", timings.hold_seconds), ("rest", timings.rest_seconds)):
        if needed and key not in cues:
            doc.error(cues_path + (key,), f"missing ({key}_seconds is {needed})")
    return PacedBreathing(
        timings,
        text(doc, cues_path + ("inhale",), cues["inhale"], max_len=80) if "inhale" in cues
        else EMPTY,
        text(doc, cues_path + ("exhale",), cues["exhale"], max_len=80) if "exhale" in cues
        else EMPTY,
        optional_text(doc, cues_path, cues, "hold", max_len=80),
        optional_text(doc, cues_path, cues, "rest", max_len=80),
    )


# --- quiz ----------------------------------------------------------------------------------


def read_quiz(doc: Doc, path: FieldPath, raw: dict[str, Any]) -> Quiz:
    default_question = optional_text(doc, path, raw, "question")
    default_options = options(doc, path + ("options",), raw["options"], max_len=6) \
        if "options" in raw else None
    entries = doc.sequence(path + ("items",), raw.get("items", MISSING), min_len=1, max_len=30)
    unique_ids(doc, path + ("items",), entries, "item")
    items = []
    for index, value in enumerate(entries):
        here = path + ("items", index)
        found = doc.mapping(here, value, ("id", "scene", "answer", "explanation"),
                            ("question", "options"))
        if found is None:
            continue
        question = optional_text(doc, here, found, "question") or default_question
        if question is None:
            doc.error(here + ("question",), "missing (give one here or for the whole quiz)")
        item_options = options(doc, here + ("options",), found["options"], max_len=6) \
            if "options" in found else default_options
        if item_options is None:
            doc.error(here + ("options",), "missing (give them here or for the whole quiz)")
        answer = found.get("answer")
        if item_options and (not isinstance(answer, str)
                             or answer not in {o.id for o in item_options}):
            doc.error(here + ("answer",), f"{answer!r} is not one of the option ids: "
                                          f"{', '.join(o.id for o in item_options)}")
        items.append(QuizItem(
            id=sub_id(doc, here + ("id",), found.get("id")),
            scene=text(doc, here + ("scene",), found["scene"]) if "scene" in found else EMPTY,
            question=question or EMPTY,
            options=item_options or (),
            answer=answer if isinstance(answer, str) else "",
            explanation=text(doc, here + ("explanation",), found["explanation"])
            if "explanation" in found else EMPTY,
        ))
    return Quiz(tuple(items))


# --- builder -------------------------------------------------------------------------------


def read_builder(doc: Doc, path: FieldPath, raw: dict[str, Any]) -> Builder:
    the_fields = fields(doc, path + ("fields",), raw.get("fields", MISSING))
    names = [f.id for f in the_fields]
    parts = tuple(
        text(doc, path + ("template", index), value, allowed=names)
        for index, value in enumerate(doc.sequence(
            path + ("template",), raw.get("template", MISSING), min_len=1, max_len=12))
    )
    return Builder(the_fields, parts)


# --- priority ------------------------------------------------------------------------------


def read_priority(doc: Doc, path: FieldPath, raw: dict[str, Any]) -> Priority:
    entries = doc.sequence(path + ("categories",), raw.get("categories", MISSING),
                           min_len=2, max_len=5)
    unique_ids(doc, path + ("categories",), entries, "category")
    categories = []
    for index, value in enumerate(entries):
        here = path + ("categories", index)
        found = doc.mapping(here, value, ("id", "label", "description"))
        if found is None:
            continue
        categories.append(Category(
            sub_id(doc, here + ("id",), found.get("id")),
            text(doc, here + ("label",), found["label"], max_len=40) if "label" in found
            else EMPTY,
            text(doc, here + ("description",), found["description"]) if "description" in found
            else EMPTY,
        ))
    follow_up = None
    if "follow_up" in raw:
        here = path + ("follow_up",)
        found = doc.mapping(here, raw["follow_up"], ("after_days", "intro", "fields"))
        if found is not None:
            follow_up = FollowUp(
                doc.integer(here + ("after_days",), found["after_days"], 1, 7)
                if "after_days" in found else 1,
                text(doc, here + ("intro",), found["intro"]) if "intro" in found else EMPTY,
                fields(doc, here + ("fields",), found.get("fields", MISSING)),
            )

    def need(key: str) -> Text:
        return text(doc, path + (key,), raw[key]) if key in raw else EMPTY

    return Priority(
        task_prompt=need("task_prompt"),
        sort_prompt=need("sort_prompt"),
        categories=tuple(categories),
        plan_prompt=need("plan_prompt"),
        max_tasks=doc.integer(path + ("max_tasks",), raw["max_tasks"], 1, 20)
        if "max_tasks" in raw else 10,
        follow_up=follow_up,
    )


# --- thought_record ------------------------------------------------------------------------


def read_thought_record(doc: Doc, path: FieldPath, raw: dict[str, Any]) -> ThoughtRecord:
    return ThoughtRecord(fields(doc, path + ("fields",), raw.get("fields", MISSING), min_len=2))


# --- reminder ------------------------------------------------------------------------------


def read_reminder(doc: Doc, path: FieldPath, raw: dict[str, Any]) -> Reminder:
    the_fields = fields(doc, path + ("fields",), raw["fields"]) if "fields" in raw else ()
    by_id = {f.id: f for f in the_fields}
    message = text(doc, path + ("message",), raw["message"], allowed=list(by_id)) \
        if "message" in raw else EMPTY
    here = path + ("schedule",)
    found = doc.mapping(here, raw.get("schedule", MISSING), (), ("time_field", "times_per_day"))
    schedule = Schedule()
    if found is None:
        pass
    elif ("time_field" in found) == ("times_per_day" in found):
        doc.error(here, "give exactly one of: time_field, times_per_day")
    elif "time_field" in found:
        name = found["time_field"]
        field = by_id.get(name) if isinstance(name, str) else None
        if field is None or field.input is not InputType.TIME_OF_DAY:
            doc.error(here + ("time_field",),
                      f"{name!r} is not a field of this exercise with input: time_of_day")
        schedule = Schedule(time_field=name if isinstance(name, str) else None)
    else:
        schedule = Schedule(times_per_day=doc.integer(here + ("times_per_day",),
                                                      found["times_per_day"], 1, 10))
    return Reminder(the_fields, message, schedule)


Reader = Callable[[Doc, FieldPath, dict[str, Any]], Any]

KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "paced_breathing": (("timings", "cues"), ()),
    "steps": (("steps",), ()),
    "quiz": (("items",), ("question", "options")),
    "builder": (("fields", "template"), ()),
    "priority": (("task_prompt", "sort_prompt", "categories", "plan_prompt"),
                 ("max_tasks", "follow_up")),
    "thought_record": (("fields",), ()),
    "reminder": (("message", "schedule"), ("fields",)),
}

READERS: dict[str, Reader] = {
    "paced_breathing": read_paced,
    "quiz": read_quiz,
    "builder": read_builder,
    "priority": read_priority,
    "thought_record": read_thought_record,
    "reminder": read_reminder,
}


def read(kind: str, doc: Doc, path: FieldPath, raw: dict[str, Any]) -> Any:
    return READERS[kind](doc, path, raw)
