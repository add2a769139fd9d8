"""Questionnaires in the chat: when each is open, where a response stands, its scores. Pure.

An *occasion* is one administration of one instrument to a group, on the group's calendar
(its own local days):
- ``pre``: opens on the pre date and stays open until the day before session 1 (a week
  when no session is set), so someone who joins after the pre meeting still gives a
  baseline;
- ``post``: opens on the post date, open for two weeks;
- ``weekly``: once a week between session 1 and the post date, on the instrument's
  ``weekly_day`` (by default the day before the group's session day, so the answers are in
  for the facilitator's digest), open that day and the next two; its key is the ISO week.

An occasion is open for a participant on the days of its calendar counted in the
participant's own time zone (their local date against the group's dates), everywhere: the
tick, /questionnaire and the buttons.

The tick invites on the participant's first day while an occasion is open (the day it
opens, or the day they join, or the first day the bot could send), at their daily time,
and reminds once more the day after that if it is still not finished
(``Plan.questionnaires``, ``core.invitations``). The ref of those prompts is
``<instrument>@<key>`` (``#2`` for the reminder). An answer button carries the occasion's
``token``, so a button of another questionnaire is never taken for the open one.

Typed answers: when every option of an item is labelled with its value's number (the
weekly check's 0-10), a typed number is that value; otherwise it is the option's place
(1 for the first), and the buttons show the place in front of the label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.content.questionnaires import Instrument, Item
from bot.core.models import Group, Language, QuestionnairePhase, QuestionnaireResponse

PRE_WITHOUT_SESSION = timedelta(days=6)
POST_OPEN = timedelta(days=13)
WEEKLY_OPEN = timedelta(days=2)
REMINDER_SUFFIX = "#2"
TOKEN_LENGTH = 6  # hex characters of an occasion's token on its answer buttons


@dataclass(frozen=True, slots=True)
class Occasion:
    instrument: str
    phase: QuestionnairePhase
    key: str  # "pre", "post", or the ISO week of a weekly one ("2026-W49")
    opens: date
    closes: date  # the last day it can be answered

    @property
    def ref(self) -> str:
        return f"{self.instrument}@{self.key}"


def parse_ref(ref: str) -> tuple[str, str] | None:
    """(instrument, key) of a prompt's or button's ref; None when it is not one."""
    instrument, at, key = ref.removesuffix(REMINDER_SUFFIX).partition("@")
    return (instrument, key) if at and instrument and key else None


def token(ref: str) -> str:
    """The short token of an occasion ``<instrument>@<key>`` on its answer buttons: the
    first hex characters of its SHA-256 (one in 16 million pairs collide)."""
    return hashlib.sha256(ref.encode()).hexdigest()[:TOKEN_LENGTH]


def typed_by_value(item: Item, lang: Language) -> bool:
    """Whether a typed number is an option's value (every label is its value's number)
    rather than its place in the list."""
    return all(o.label[lang].strip() == str(o.value) for o in item.options)


def typed_value(item: Item, lang: Language, number: int) -> int | None:
    """The value a typed ``number`` stands for (see ``typed_by_value``); None when it is
    none of the options."""
    if typed_by_value(item, lang):
        return number if number in {o.value for o in item.options} else None
    return item.options[number - 1].value if 1 <= number <= len(item.options) else None


def item_at(instrument: Instrument, position: int) -> Item | None:
    """The item at ``position``; None past the last (the instrument lost items after the
    response was started: it is complete, with what is missing left missing)."""
    return instrument.items[position] if 0 <= position < len(instrument.items) else None


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def occasions(group: Group, instrument: Instrument) -> list[Occasion]:
    """Every occasion of ``instrument`` in ``group``'s programme, in date order."""
    out: list[Occasion] = []
    phases = instrument.administer_at
    first = group.session_dates[0] if group.session_dates else None
    if QuestionnairePhase.PRE in phases and group.pre_date is not None:
        closes = first - timedelta(days=1) if first is not None and first > group.pre_date \
            else group.pre_date + PRE_WITHOUT_SESSION
        out.append(Occasion(instrument.id, QuestionnairePhase.PRE, "pre", group.pre_date,
                            closes))
    if QuestionnairePhase.WEEKLY in phases and first is not None:
        day = instrument.weekly_day if instrument.weekly_day is not None \
            else (first.weekday() - 1) % 7
        due = first + timedelta(days=(day - first.weekday()) % 7 or 7)
        end = group.post_date or (group.session_dates[-1] + timedelta(days=7))
        while due < end:
            out.append(Occasion(instrument.id, QuestionnairePhase.WEEKLY, iso_week(due), due,
                                min(due + WEEKLY_OPEN, end - timedelta(days=1))))
            due += timedelta(days=7)
    if QuestionnairePhase.POST in phases and group.post_date is not None:
        out.append(Occasion(instrument.id, QuestionnairePhase.POST, "post", group.post_date,
                            group.post_date + POST_OPEN))
    return out


def open_on(group: Group, instruments: Iterable[Instrument], today: date,
            finished: Iterable[tuple[str, str]] = ()) -> list[Occasion]:
    """The occasions open on ``today`` (the participant's local date) that are not in
    ``finished`` ((instrument, key) pairs of submitted responses); only instruments that
    can be administered."""
    done = set(finished)
    return [o for instrument in instruments if instrument.administrable
            for o in occasions(group, instrument)
            if o.opens <= today <= o.closes and (o.instrument, o.key) not in done]


def submitted(responses: Iterable[QuestionnaireResponse]) -> set[tuple[str, str]]:
    return {r.key for r in responses if r.submitted_at is not None}


@dataclass(frozen=True, slots=True)
class Scores:
    """A response's scores: the total and each subscale (None: not scored, or too many
    items missing for the instrument's rule), and how many items were not answered."""

    total: float | None
    subscales: tuple[tuple[str, float | None], ...]
    missing: int


def scores(instrument: Instrument, answers: Sequence[int | None]) -> Scores:
    padded = tuple(answers[:len(instrument.items)]) + (None,) * max(
        0, len(instrument.items) - len(answers))
    return Scores(instrument.score(padded),
                  tuple((s.id, instrument.subscale_score(s.id, padded))
                        for s in instrument.subscales),
                  instrument.missing(padded))
