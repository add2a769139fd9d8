"""Inline keyboards: the buttons of every question, built from the callback codec."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat.callbacks import (
    MAX_CALLBACK_BYTES,
    ChooseLanguage,
    ChooseTime,
    ChooseZone,
    Menu,
    PickAction,
    RateStress,
)
from bot.core.models import RatingKind

__all__ = ["InlineKeyboardButton", "InlineKeyboardMarkup"]


def markup(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Build an inline keyboard from rows of (label, callback data)."""
    for row in rows:
        for _, data in row:
            if len(data.encode()) > MAX_CALLBACK_BYTES:
                raise ValueError(f"callback data too long: {data!r}")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def rating_keyboard(kind: RatingKind, day: date) -> InlineKeyboardMarkup:
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
    menu: Menu, options: Sequence[tuple[str, str]], per_row: int = 2
) -> InlineKeyboardMarkup:
    """A menu of (choice, label) options."""
    buttons = [(label, PickAction(menu, choice).encode()) for choice, label in options]
    return markup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])

