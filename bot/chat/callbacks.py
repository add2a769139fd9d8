"""The callback-data codec: what a button's 64 bytes say, both ways.

One frozen dataclass per button kind, each with an anchored ``PATTERN``, ``encode()``
and ``decode()``; menus and rating kinds are enums, so no handler compares bare letters.
Payloads are untrusted: ``decode`` only parses; handlers re-check owner, range and
expiry on the server. Every payload stays within Telegram's 64 bytes.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, time
from typing import ClassVar, Self

from bot.core.models import RatingKind

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


# one letter per rating kind on the wire (the payload must stay short)
KIND_LETTERS = {RatingKind.PROMPTED: "p", RatingKind.SELF_INITIATED: "s",
                RatingKind.BACKFILL: "b"}
LETTER_KINDS = {letter: kind for kind, letter in KIND_LETTERS.items()}


@dataclass(frozen=True, slots=True)
class RateStress:
    """A 0-10 rating button: which kind, for which local day, which value."""

    kind: RatingKind
    day: date
    value: int
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^rate:([psb]):(\d{8}):(\d{1,2})$")

    def encode(self) -> str:
        return f"rate:{KIND_LETTERS[self.kind]}:{_yyyymmdd(self.day)}:{self.value}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        if not m:
            return None
        day = _parse_day(m.group(2))
        value = int(m.group(3))
        if day is None or not 0 <= value <= 10:
            return None
        return cls(LETTER_KINDS[m.group(1)], day, value)


class Menu(enum.StrEnum):
    """Which menu a simple choice belongs to (its value is the payload's prefix)."""

    SETTINGS = "set"
    PAUSE = "pause"
    WITHDRAW = "wd"
    DELETE = "del"
    RATE = "rate"
    INVITE = "pinv"  # when the daily practice invitation comes
    SHARE = "share"  # may the facilitator be told when stress stays high


@dataclass(frozen=True, slots=True)
class PickAction:
    """A simple menu choice: ``menu`` names the menu, ``choice`` the option."""

    menu: Menu
    choice: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        "^(" + "|".join(m.value for m in Menu) + r"):([a-z0-9_]{1,24})$"
    )

    def encode(self) -> str:
        return f"{self.menu.value}:{self.choice}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(Menu(m.group(1)), m.group(2)) if m else None

    @classmethod
    def pattern_for(cls, menu: Menu) -> str:
        """The pattern of one menu's choices (for the handler registration)."""
        return f"^{menu.value}:[a-z0-9_]{{1,24}}$"


@dataclass(frozen=True, slots=True)
class StartExercise:
    """Start one exercise (from /practice or an invitation)."""

    exercise_id: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^ex:([a-z0-9][a-z0-9-]{0,59})$")

    def encode(self) -> str:
        return f"ex:{self.exercise_id}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class RunAnswer:
    """An answer button of a running exercise: the slot it belongs to and what it says
    ("next", "skip", a number, or an option id). A button of an earlier slot does nothing."""

    at: int
    value: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^run:(\d{1,3}):([a-z0-9_]{1,24})$")

    def encode(self) -> str:
        return f"run:{self.at}:{self.value}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(int(m.group(1)), m.group(2)) if m else None


@dataclass(frozen=True, slots=True)
class StartFollowUp:
    """Start the check-in of an earlier priority run (from its follow-up message)."""

    run_id: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^fu:([0-9a-f]{8})$")

    def encode(self) -> str:
        return f"fu:{self.run_id}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class ReminderOff:
    """Turn a reminder exercise off (from /practice or the reminder itself)."""

    exercise_id: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^roff:([a-z0-9][a-z0-9-]{0,57})$")

    def encode(self) -> str:
        return f"roff:{self.exercise_id}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(m.group(1)) if m else None


class ScriptStep(enum.StrEnum):
    SHOW = "show"
    DELETE = "del"  # asks first
    YES = "yes"  # deleted
    KEEP = "keep"


@dataclass(frozen=True, slots=True)
class ScriptAction:
    """A button of /scripts: show one, ask to delete it, delete it, or keep it."""

    step: ScriptStep
    run_id: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^scr:(show|del|yes|keep):([0-9a-f]{8})$")

    def encode(self) -> str:
        return f"scr:{self.step.value}:{self.run_id}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        return cls(ScriptStep(m.group(1)), m.group(2)) if m else None


@dataclass(frozen=True, slots=True)
class AnswerAlert:
    """A facilitator's answer to a safety alert: reached out ("r") or not a concern ("n")."""

    answer: str  # "reached_out" | "not_concern"
    episode_id: str
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(r"^ack:([rn]):([0-9a-f]{8})$")

    def encode(self) -> str:
        return f"ack:{self.answer[0]}:{self.episode_id}"

    @classmethod
    def decode(cls, data: str) -> Self | None:
        m = cls.PATTERN.match(data)
        if m is None:
            return None
        return cls("reached_out" if m.group(1) == "r" else "not_concern", m.group(2))


ALL_KINDS = (ChooseLanguage, AnswerConsent, ChooseZone, ChooseTime, RateStress, PickAction,
             StartExercise, RunAnswer, StartFollowUp, ReminderOff, ScriptAction, AnswerAlert)

