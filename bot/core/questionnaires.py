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

The tick asks on the day an occasion opens, at the participant's daily time, and once
more the next day if it is still not finished (``Plan.questionnaires``,
``core.invitations``). The ref of those prompts is ``<instrument>@<key>`` (``#2`` for the
reminder).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.content.questionnaires import Instrument
from bot.core.models import Group, QuestionnairePhase, QuestionnaireResponse

PRE_WITHOUT_SESSION = timedelta(days=6)
POST_OPEN = timedelta(days=13)
WEEKLY_OPEN = timedelta(days=2)
REMINDER_SUFFIX = "#2"


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
    """The occasions open on ``today`` that are not in ``finished`` ((instrument, key)
    pairs of submitted responses); only instruments that can be administered."""
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
