"""Module files (``modules/<id>.yaml``): one per group session, holding its exercises."""

from __future__ import annotations

from bot.contentschema.exercises import exercise
from bot.contentschema.problems import Doc, kebab_id, unique_ids
from bot.contentschema.texts import EMPTY, text
from bot.core.content.exercises import SESSIONS, Module


def read_module(doc: Doc, value: object, stem: str) -> Module:
    """Read a module file whose name (without .yaml) is ``stem``."""
    found = doc.mapping((), value, ("id", "session", "title", "summary", "exercises"))
    if found is None:
        return Module(stem, 1, EMPTY, EMPTY, (), doc.file)
    ident = kebab_id(doc, ("id",), found["id"]) if "id" in found else stem
    if ident and ident != stem:
        doc.error(("id",), f"{ident!r} must match the file name ({stem}.yaml)")
    session = doc.integer(("session",), found["session"], SESSIONS.start, SESSIONS.stop - 1) \
        if "session" in found else 1
    entries = doc.sequence(("exercises",), found["exercises"], min_len=1, max_len=30) \
        if "exercises" in found else []
    unique_ids(doc, ("exercises",), entries, "exercise")
    return Module(
        id=ident,
        session=session,
        title=text(doc, ("title",), found["title"], max_len=80) if "title" in found else EMPTY,
        summary=text(doc, ("summary",), found["summary"]) if "summary" in found else EMPTY,
        exercises=tuple(exercise(doc, ("exercises", index), raw, ident, session)
                        for index, raw in enumerate(entries)),
        file=doc.file,
    )
