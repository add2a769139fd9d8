"""Inline keyboards and the callback-data codec.

One frozen dataclass per button kind, each with an anchored ``PATTERN``, ``encode()``
and ``decode()``. Payloads are untrusted: ``decode`` only parses; handlers re-check
owner, range and expiry on the server. Every payload stays within Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import ClassVar, Self

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MAX_CALLBACK_BYTES = 64


def _yyyymmdd(day: date) -> str:
    return day.strftime("%Y%m%d")


def _parse_day(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class ChooseLanguage:
    code: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^lang:(id|en)$")

    def encode(self) -> str:
        return f"lang:{self.code}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class AnswerConsent:
    agree: bool
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^consent:(yes|no)$")

    def encode(self) -> str:
        return f"consent:{'yes' if self.agree else 'no'}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(m.group(1) == "yes") if m else None


ZONE_BUTTONS: dict[str, str] = {
    "wib": "Asia/Jakarta",
    "wita": "Asia/Makassar",
    "wit": "Asia/Jayapura",
}


@dataclass(frozen=True, slots=True)
class ChooseZone:
    key: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^tz:(wib|wita|wit)$")

    def encode(self) -> str:
        return f"tz:{self.key}"

    @property
    def zone(self) -> str:
        return ZONE_BUTTONS[self.key]

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class ChooseTime:
    at: time
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^pt:(\d{2})(\d{2})$")

    def encode(self) -> str:
        return f"pt:{self.at.strftime('%H%M')}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            return None
        return cls(time(int(m.group(1)), int(m.group(2))))


RATING_KINDS = {"p": "prompted", "s": "self_initiated", "b": "backfill"}


@dataclass(frozen=True, slots=True)
class RateStress:
    """A 0-10 rating button: which kind, for which local day, which value."""

    kind: str  # one of RATING_KINDS' keys
    day: date
    value: int
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^rate:([psb]):(\d{8}):(\d{1,2})$")

    def encode(self) -> str:
        return f"rate:{self.kind}:{_yyyymmdd(self.day)}:{self.value}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        if not m:
            return None
        day = _parse_day(m.group(2))
        value = int(m.group(3))
        if day is None or not 0 <= value <= 10:
            return None
        return cls(m.group(1), day, value)


@dataclass(frozen=True, slots=True)
class PickAction:
    """A simple menu choice: ``scope`` names the menu, ``choice`` the option."""

    scope: str
    choice: str
    SCOPES: ClassVar[tuple[str, ...]] = ("set", "pause", "wd", "del", "rate", "sup")
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        r"^(set|pause|wd|del|rate|sup):([a-z0-9_]{1,24})$"
    )

    def encode(self) -> str:
        return f"{self.scope}:{self.choice}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(m.group(1), m.group(2)) if m else None


ALL_KINDS = (ChooseLanguage, AnswerConsent, ChooseZone, ChooseTime, RateStress, PickAction)


def markup(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Build an inline keyboard from rows of (label, callback data)."""
    for row in rows:
        for _, data in row:
            if len(data.encode()) > MAX_CALLBACK_BYTES:
                raise ValueError(f"callback data too long: {data!r}")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def rating_keyboard(kind: str, day: date) -> InlineKeyboardMarkup:
    """Eleven buttons 0..10 in two rows that fit a small phone screen."""
    buttons = [(str(v), RateStress(kind, day, v).encode()) for v in range(11)]
    return markup([buttons[:6], buttons[6:]])


def language_keyboard() -> InlineKeyboardMarkup:
    return markup(
        [[("Bahasa Indonesia", ChooseLanguage("id").encode()),
          ("English", ChooseLanguage("en").encode())]]
    )


def zone_keyboard() -> InlineKeyboardMarkup:
    return markup(
        [[("WIB", ChooseZone("wib").encode()),
          ("WITA", ChooseZone("wita").encode()),
          ("WIT", ChooseZone("wit").encode())]]
    )


PROMPT_TIME_CHOICES = (time(7, 0), time(12, 30), time(16, 30), time(19, 30), time(20, 30))


def time_keyboard() -> InlineKeyboardMarkup:
    buttons = [(t.strftime("%H:%M"), ChooseTime(t).encode()) for t in PROMPT_TIME_CHOICES]
    return markup([buttons[:3], buttons[3:]])


def choice_keyboard(
    scope: str, options: Sequence[tuple[str, str]], per_row: int = 2
) -> InlineKeyboardMarkup:
    """A menu of (choice, label) options under one scope."""
    buttons = [(label, PickAction(scope, choice).encode()) for choice, label in options]
    return markup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])

