"""The state of a running exercise: its slots, what a screen waits for, the run itself,
and why an answer was refused. Plain values; the runner is ``bot.core.practice``."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.core.content.texts import Option, Text

MAX_ANSWER = 1000  # characters kept of a typed answer (one phone screen is about 600)
Answer = str | int


class SlotKind(enum.StrEnum):
    RATE_BEFORE = "rate_before"
    TEXT = "text"  # intro, a step, the closing: read, then "next"
    QUIZ_ITEM = "quiz_item"  # a scene and its question, options as buttons
    QUIZ_FEEDBACK = "quiz_feedback"  # right or not, and why
    FIELD = "field"  # one field of a builder or thought record
    BREATHE = "breathe"  # paced breathing: a start button, then a timed, edited message
    SORT = "sort"  # priority: each task in turn gets a category (stays until all have one)
    RESULT = "result"  # the assembled script, a thought record's change, a plan, a reminder
    RATE_AFTER = "rate_after"


class Input(enum.StrEnum):
    """What a screen waits for."""

    NEXT = "next"  # a "next" button
    SCALE = "scale"  # 0..10 buttons
    PERCENT = "percent"  # 0..100 in steps of 10, buttons or typed
    CHOICE = "choice"  # option buttons
    TEXT = "text"  # typed text
    TIME = "time"  # a time of day, typed ("16:30")
    BREATHE = "breathe"  # a start button; then timed edits with a stop button


@dataclass(frozen=True, slots=True)
class Slot:
    kind: SlotKind
    ref: str = ""  # a step number, a quiz item id, a field id
    text: Text | None = None


@dataclass(frozen=True, slots=True)
class Screen:
    """What to show now: a text (in the reader's language), what it waits for, options."""

    text: str
    wants: Input
    options: tuple[Option, ...] = ()
    optional: bool = False  # a field that may be skipped
    slot: Slot = field(default_factory=lambda: Slot(SlotKind.TEXT))
    multiple: bool = False  # options toggle; a "done" button moves on
    chosen: frozenset[str] = frozenset()  # the options toggled on so far
    guidable: bool = False  # "guide me" may time the steps from here (steps with seconds)


@dataclass(frozen=True, slots=True)
class Run:
    """Where a run is: the index of its current slot and the answers so far.
    ``follow_up``: the run is the later check-in of an earlier run (priority)."""

    at: int = 0
    answers: Mapping[str, Answer] = field(default_factory=lambda: MappingProxyType({}))
    follow_up: bool = False

    def with_answer(self, key: str, value: Answer) -> Run:
        return Run(self.at + 1, MappingProxyType({**self.answers, key: value}), self.follow_up)

    def keep(self, key: str, value: Answer) -> Run:
        """Record a part of the answer and stay at the slot (sorting, toggling)."""
        return Run(self.at, MappingProxyType({**self.answers, key: value}), self.follow_up)

    def next(self) -> Run:
        return Run(self.at + 1, self.answers, self.follow_up)


class Refusal(enum.StrEnum):
    """Why an answer was not taken (the screen is shown again, kindly)."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_OPTION = "not_an_option"
    WRONG_INPUT = "wrong_input"  # a button where text is wanted, or the other way round
    NOT_A_TIME = "not_a_time"
    PRESS_NEXT = "press_next"  # text typed where the run waits for its "next" button

