"""Bilingual texts and the small shapes every exercise kind shares (steps, options, fields)."""

from __future__ import annotations

import enum
import string
from dataclasses import dataclass

from bot.core.models import Language


def placeholders(template: str) -> set[str] | None:
    """Names of ``{name}`` placeholders; None when the braces are unbalanced or odd."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    names: set[str] = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            return None
        names.add(name)
    return names


LANGUAGES: tuple[str, ...] = tuple(lang.value for lang in Language)


@dataclass(frozen=True, slots=True)
class Text:
    """One user-visible text in every language (Bahasa Indonesia first)."""

    id: str
    en: str

    def get(self, lang: Language | str) -> str:
        """The text in ``lang``; Indonesian for anything unknown."""
        return self.en if str(lang) == Language.EN.value else self.id

    def __getitem__(self, lang: Language | str) -> str:
        return self.get(lang)

    @property
    def is_empty(self) -> bool:
        return not self.id and not self.en


EMPTY = Text("", "")


@dataclass(frozen=True, slots=True)
class Step:
    """One message of a guided sequence; ``seconds`` is how long to stay with it (a timer)."""

    text: Text
    seconds: int | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """A button: a short id (stored, and used in callback data) and its label."""

    id: str
    text: Text


class InputType(enum.StrEnum):
    """What a participant gives for a field."""

    TEXT = "text"  # a short typed answer
    LINES = "lines"  # several items, one per line (e.g. today's tasks)
    SCALE_0_10 = "scale_0_10"  # buttons 0..10
    PERCENT = "percent"  # 0..100, buttons in steps of 10 or typed
    CHOICE = "choice"  # buttons from ``options`` (``multiple``: several may be picked)
    TIME_OF_DAY = "time_of_day"  # HH:MM in the participant's time zone


@dataclass(frozen=True, slots=True)
class Field:
    """One question a runner asks, in order; the answer is stored under ``id``."""

    id: str
    input: InputType
    prompt: Text
    hint: Text | None = None
    optional: bool = False
    options: tuple[Option, ...] = ()
    multiple: bool = False
    rerate_of: str | None = None  # a later re-rating of an earlier scale/percent field

