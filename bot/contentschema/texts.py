"""Bilingual texts and the small shapes every exercise kind shares (steps, options, fields)."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.contentschema.problems import Doc, FieldPath, describe, sub_id, unique_ids
from bot.core.content.texts import (
    EMPTY,
    LANGUAGES,
    Field,
    InputType,
    Option,
    Step,
    Text,
    placeholders,
)

MAX_TEXT_CHARS = 600  # one phone screen; Telegram's own limit is 4096
_MARKUP = re.compile(r"[<>&]")


def text(
    doc: Doc,
    path: FieldPath,
    value: object,
    *,
    allowed: Collection[str] = (),
    allow_empty: bool = False,
    max_len: int = MAX_TEXT_CHARS,
) -> Text:
    """Read ``{id: ..., en: ...}``; ``allowed`` names the placeholders this text may use."""
    if isinstance(value, str):
        doc.error(path, "needs both languages: write it as two lines, 'id: ...' and 'en: ...'")
        return EMPTY
    found = doc.mapping(path, value, LANGUAGES)
    if found is None:
        return EMPTY
    values: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for lang in LANGUAGES:
        if lang not in found:
            continue
        raw = found[lang]
        here = path + (lang,)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if not allow_empty:
                doc.error(here, "empty")
            values[lang] = ""
            continue
        if not isinstance(raw, str):
            doc.error(here, f"expected text, got {describe(raw)}")
            continue
        clean = raw.strip()
        values[lang] = clean
        markup = _MARKUP.search(clean)
        if markup:
            doc.error(here, f"{markup.group()!r} is not allowed (messages are sent as HTML): "
                            "write 'dan'/'and' for &, and avoid < and >")
        if len(clean) > max_len:
            doc.error(here, f"too long ({len(clean)} characters; keep it under {max_len} "
                            "so it fits a phone screen)")
        found_names = placeholders(clean)
        if found_names is None:
            doc.error(here, "odd braces: use {name} for a placeholder, {{ and }} for a brace")
            continue
        names[lang] = found_names
        unknown = found_names - set(allowed)
        if unknown:
            if allowed:
                doc.error(here, f"unknown placeholder {{{sorted(unknown)[0]}}}; "
                                f"this text can use: {', '.join('{' + a + '}' for a in allowed)}")
            else:
                doc.error(here, f"{{{sorted(unknown)[0]}}}: this text has no placeholders; "
                                "write {{ and }} for a brace")
    if allow_empty and bool(values.get("id")) != bool(values.get("en")):
        missing = "en" if values.get("id") else "id"
        doc.error(path + (missing,), "empty while the other language is filled in")
    if len(names) == len(LANGUAGES) and names["id"] != names["en"]:
        doc.error(path, "the two languages use different placeholders: "
                        f"id {sorted(names['id'])}, en {sorted(names['en'])}")
    return Text(values.get("id", ""), values.get("en", ""))


def optional_text(doc: Doc, path: FieldPath, mapping: dict[str, object], key: str,
                  **kwargs: object) -> Text | None:
    if key not in mapping:
        return None
    return text(doc, path + (key,), mapping[key], **kwargs)  # type: ignore[arg-type]


# --- steps ---------------------------------------------------------------------------------


def steps(doc: Doc, path: FieldPath, value: object, *, min_len: int = 0) -> tuple[Step, ...]:
    out = []
    for index, raw in enumerate(doc.sequence(path, value, min_len=min_len, max_len=40)):
        here = path + (index,)
        found = doc.mapping(here, raw, ("text",), ("seconds",))
        if found is None:
            continue
        seconds = found.get("seconds")
        out.append(Step(
            text(doc, here + ("text",), found.get("text")) if "text" in found else EMPTY,
            None if seconds is None else doc.integer(here + ("seconds",), seconds, 1, 600),
        ))
    return tuple(out)


# --- options and fields --------------------------------------------------------------------


def options(doc: Doc, path: FieldPath, value: object, *, min_len: int = 2,
            max_len: int = 12) -> tuple[Option, ...]:
    entries = doc.sequence(path, value, min_len=min_len, max_len=max_len)
    unique_ids(doc, path, entries, "option")
    out = []
    for index, raw in enumerate(entries):
        here = path + (index,)
        found = doc.mapping(here, raw, ("id", "text"))
        if found is None:
            continue
        out.append(Option(sub_id(doc, here + ("id",), found.get("id")),
                          text(doc, here + ("text",), found.get("text"), max_len=64)
                          if "text" in found else EMPTY))
    return tuple(out)


def fields(doc: Doc, path: FieldPath, value: object, *, min_len: int = 1,
           kinds: Collection[InputType] = tuple(InputType)) -> tuple[Field, ...]:
    entries = doc.sequence(path, value, min_len=min_len, max_len=20)
    unique_ids(doc, path, entries, "field")
    out: list[Field] = []
    for index, raw in enumerate(entries):
        here = path + (index,)
        found = doc.mapping(here, raw, ("id", "input", "prompt"),
                            ("hint", "optional", "options", "multiple", "rerate_of"))
        if found is None:
            continue
        ident = sub_id(doc, here + ("id",), found.get("id"))
        kind_name = doc.choice(here + ("input",), found.get("input"), [k.value for k in kinds])
        kind = InputType(kind_name) if kind_name else InputType.TEXT
        if "options" in found and kind is not InputType.CHOICE:
            doc.error(here + ("options",), "only a field with input: choice has options")
        if kind is InputType.CHOICE and "options" not in found:
            doc.error(here + ("options",), "missing (input: choice needs options)")
        if "multiple" in found and kind is not InputType.CHOICE:
            doc.error(here + ("multiple",), "only a field with input: choice can be multiple")
        rerate = found.get("rerate_of")
        if rerate is not None:
            earlier = {f.id: f for f in out}
            if not isinstance(rerate, str) or rerate not in earlier:
                doc.error(here + ("rerate_of",), f"{rerate!r} is not an earlier field here")
            elif earlier[rerate].input is not kind or kind not in (
                InputType.SCALE_0_10, InputType.PERCENT
            ):
                doc.error(here + ("rerate_of",),
                          "a re-rating must have the same input as the rating "
                          "(scale_0_10 or percent)")
        out.append(Field(
            id=ident,
            input=kind,
            prompt=text(doc, here + ("prompt",), found.get("prompt")) if "prompt" in found
            else EMPTY,
            hint=optional_text(doc, here, found, "hint"),
            optional=doc.boolean(here + ("optional",), found["optional"])
            if "optional" in found else False,
            options=options(doc, here + ("options",), found["options"])
            if "options" in found else (),
            multiple=doc.boolean(here + ("multiple",), found["multiple"])
            if "multiple" in found else False,
            rerate_of=rerate if isinstance(rerate, str) else None,
        ))
    return tuple(out)
