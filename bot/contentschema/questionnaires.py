"""Questionnaires (``questionnaires/<id>.yaml``): pre/post and weekly instruments.

Licensed instruments may ship as a scoring key only: item texts (and labels, instructions)
left empty for the researcher to fill in under the instrument's terms. Such an instrument is
valid content but not ``administrable``; ``not_administrable_reason`` says what to fill in.
"""

from __future__ import annotations

import math

from bot.contentschema.problems import MISSING, Doc, FieldPath, kebab_id, sub_id, unique_ids
from bot.contentschema.texts import Text, text
from bot.core.content.questionnaires import (
    Instrument,
    Item,
    ReliableChange,
    ResponseOption,
    Scoring,
    Subscale,
)
from bot.core.models import QuestionnairePhase

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _response_options(doc: Doc, path: FieldPath, value: object) -> tuple[ResponseOption, ...]:
    entries = doc.sequence(path, value, min_len=2, max_len=11)
    out = []
    seen: set[int] = set()
    for index, raw in enumerate(entries):
        here = path + (index,)
        found = doc.mapping(here, raw, ("value", "label"))
        if found is None:
            continue
        number = doc.integer(here + ("value",), found.get("value", MISSING), -100, 100)
        if number in seen:
            doc.error(here + ("value",), f"value {number} is used twice")
        seen.add(number)
        out.append(ResponseOption(number, text(doc, here + ("label",),
                                               found.get("label", MISSING), allow_empty=True,
                                               max_len=80)))
    return tuple(out)


def _scoring(doc: Doc, value: object, items: tuple[Item, ...]) -> Scoring | None:
    path: FieldPath = ("scoring",)
    found = doc.mapping(path, value, ("method", "range"), ("multiplier", "max_missing"))
    if found is None:
        return None
    method = doc.choice(path + ("method",), found.get("method", MISSING), ("sum", "mean")) or "sum"
    multiplier = doc.number(path + ("multiplier",), found["multiplier"], 0.01, 100) \
        if "multiplier" in found else 1.0
    declared = doc.sequence(path + ("range",), found.get("range", MISSING), min_len=2, max_len=2)
    low = doc.number(path + ("range", 0), declared[0], -1000, 1000) if len(declared) == 2 else 0
    high = doc.number(path + ("range", 1), declared[1], -1000, 1000) if len(declared) == 2 else 0
    allowed = doc.integer(path + ("max_missing",), found["max_missing"], 0, 10) \
        if "max_missing" in found else 0
    if items and allowed >= len(items):
        doc.error(path + ("max_missing",), f"{allowed} would allow a score with no answers "
                                           f"(there are {len(items)} items)")
    scoring = Scoring(method, multiplier, low, high, allowed)
    if items and all(item.options for item in items) and len(declared) == 2:
        lows = [min(o.value for o in item.options) for item in items]
        highs = [max(o.value for o in item.options) for item in items]
        divisor = 1 if method == "sum" else len(items)
        expected = (sum(lows) / divisor * multiplier, sum(highs) / divisor * multiplier)
        if not (math.isclose(expected[0], low) and math.isclose(expected[1], high)):
            doc.error(path + ("range",), f"[{low:g}, {high:g}] does not match the items, which "
                                         f"give [{expected[0]:g}, {expected[1]:g}]")
    return scoring


def _reliable_change(doc: Doc, value: object) -> ReliableChange | None:
    path: FieldPath = ("reliable_change",)
    found = doc.mapping(path, value, ("norm_sd", "sd_source", "reliability",
                                      "reliability_source"))
    if found is None:
        return None
    return ReliableChange(
        doc.number(path + ("norm_sd",), found.get("norm_sd", MISSING), 0.01, 1000),
        doc.number(path + ("reliability",), found.get("reliability", MISSING), 0.0, 0.99),
        doc.string(path + ("sd_source",), found.get("sd_source", MISSING), max_len=300),
        doc.string(path + ("reliability_source",), found.get("reliability_source", MISSING),
                   max_len=300),
    )


def read_instrument(doc: Doc, value: object, stem: str) -> Instrument | None:
    found = doc.mapping((), value, (
        "id", "name", "title", "instructions", "time_frame", "administer_at", "items",
        "citation", "licence"), ("response_options", "subscales", "scoring", "reliable_change",
                                 "skippable", "weekly_day"))
    if found is None:
        return None
    ident = kebab_id(doc, ("id",), found.get("id", MISSING))
    if ident and ident != stem:
        doc.error(("id",), f"{ident!r} must match the file name ({stem}.yaml)")
    phases = []
    for index, raw in enumerate(doc.sequence(("administer_at",), found.get("administer_at",
                                                                        MISSING), min_len=1)):
        phase = doc.choice(("administer_at", index), raw, [p.value for p in QuestionnairePhase])
        if phase:
            phases.append(QuestionnairePhase(phase))
    skippable = doc.boolean(("skippable",), found["skippable"]) if "skippable" in found else False
    default_options = _response_options(doc, ("response_options",), found["response_options"]) \
        if "response_options" in found else None
    entries = doc.sequence(("items",), found.get("items", MISSING), min_len=1, max_len=60)
    unique_ids(doc, ("items",), entries, "item")
    items = []
    for index, raw in enumerate(entries):
        here: FieldPath = ("items", index)
        item = doc.mapping(here, raw, ("id", "text"), ("reverse", "options", "skippable"))
        if item is None:
            continue
        own = _response_options(doc, here + ("options",), item["options"]) \
            if "options" in item else None
        if own is None and default_options is None:
            doc.error(here + ("options",), "missing (give options here or response_options for "
                                           "the whole questionnaire)")
        items.append(Item(
            sub_id(doc, here + ("id",), item.get("id", MISSING)),
            text(doc, here + ("text",), item.get("text", MISSING), allow_empty=True),
            own or default_options or (),
            doc.boolean(here + ("reverse",), item["reverse"]) if "reverse" in item else False,
            doc.boolean(here + ("skippable",), item["skippable"]) if "skippable" in item
            else skippable,
        ))
    item_ids = {item.id for item in items}
    subscales = []
    entries = doc.sequence(("subscales",), found["subscales"]) if "subscales" in found else []
    unique_ids(doc, ("subscales",), entries, "subscale")
    for index, raw in enumerate(entries):
        here = ("subscales", index)
        sub = doc.mapping(here, raw, ("id", "title", "items"))
        if sub is None:
            continue
        members = []
        for number, member in enumerate(doc.sequence(here + ("items",),
                                                     sub.get("items", MISSING), min_len=1)):
            if not isinstance(member, str) or member not in item_ids:
                doc.error(here + ("items", number), f"{member!r} is not an item id here")
            else:
                members.append(member)
        subscales.append(Subscale(sub_id(doc, here + ("id",), sub.get("id", MISSING)),
                                  text(doc, here + ("title",), sub.get("title", MISSING)),
                                  tuple(members)))
    scoring = _scoring(doc, found["scoring"], tuple(items)) if "scoring" in found else None
    change = _reliable_change(doc, found["reliable_change"]) \
        if "reliable_change" in found else None
    if change is not None and scoring is None:
        doc.error(("reliable_change",), "needs scoring (a score to compare before and after)")
    name = doc.string(("name",), found.get("name", MISSING), max_len=40)
    instructions = text(doc, ("instructions",), found.get("instructions", MISSING),
                        allow_empty=True, max_len=1200)
    reason = _why_not_administrable(name or ident, doc.file, items, instructions)
    weekly_day = None
    if "weekly_day" in found:
        day = doc.choice(("weekly_day",), found["weekly_day"], WEEKDAYS)
        weekly_day = WEEKDAYS.index(day) if day else None
        if QuestionnairePhase.WEEKLY not in phases:
            doc.error(("weekly_day",), "only for a questionnaire given weekly")
    return Instrument(
        id=ident, name=name, weekly_day=weekly_day,
        title=text(doc, ("title",), found.get("title", MISSING), max_len=120),
        instructions=instructions,
        time_frame=text(doc, ("time_frame",), found.get("time_frame", MISSING), max_len=80),
        administer_at=tuple(phases), items=tuple(items), subscales=tuple(subscales),
        scoring=scoring, reliable_change=change,
        citation=doc.string(("citation",), found.get("citation", MISSING), max_len=1000),
        licence=doc.string(("licence",), found.get("licence", MISSING), max_len=1000),
        administrable=not reason, not_administrable_reason=reason, file=doc.file,
    )


def _why_not_administrable(name: str, file: str, items: list[Item], instructions: Text) -> str:
    empty_items = [item.id for item in items if item.text.is_empty]
    empty_labels = sorted({o.value for item in items for o in item.options if o.label.is_empty})
    if not empty_items and not empty_labels and not instructions.is_empty:
        return ""
    missing = []
    if empty_items:
        shown = ", ".join(empty_items[:3]) + (", ..." if len(empty_items) > 3 else "")
        missing.append(f"items[*].text.id/en ({len(empty_items)} empty: {shown})")
    if empty_labels:
        missing.append("the response option labels (label.id/en)")
    if instructions.is_empty:
        missing.append("instructions.id/en")
    what = "no item texts" if empty_items else "empty texts"
    return (f"{name} has {what} yet, so it cannot be given to participants. "
            f"A researcher must fill in {', '.join(missing)} in {file}, "
            "using the original or a validated translation under the instrument's licence terms "
            "(see its citation and licence).")
