"""What ``jeda report`` shows: per participant a card (the daily ratings over the whole
programme, the phases they fall in, and the figures of ``analysis.csv``, made by the same
functions from the same records), and for the group the calendar and a summary. Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core import calendar
from bot.core.analysis import Person, PhaseFigures, Window, phase_figures, reliable_changes
from bot.core.casestats import ReliableChange
from bot.core.content.questionnaires import Instrument
from bot.core.exportrows import Rows
from bot.core.models import Group

AFTER_POST = timedelta(days=7)  # the programme's picture runs a week past the post meeting


@dataclass(frozen=True, slots=True)
class Span:
    """Consecutive days in one phase (the chart shades each)."""

    phase: str
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class Card:
    alias: str
    status: str
    series: tuple[tuple[date, int], ...]  # one rating a day: the day's last
    phases: tuple[PhaseFigures, ...]  # as analysis.csv's phase rows
    changes: tuple[tuple[str, float, float, ReliableChange], ...]  # as its rci rows
    practice: tuple[tuple[str, int], ...]  # (module id, exercise runs completed)

    def phase(self, name: str) -> PhaseFigures | None:
        return next((p for p in self.phases if p.phase == name), None)

    @property
    def runs(self) -> int:
        return sum(n for _, n in self.practice)


def card(group: Group, person: Person, window: Window,
         instruments: Mapping[str, Instrument], version: str) -> Card:
    """One participant's card; its figures are those of their ``analysis.csv`` rows."""
    rows = Rows(person, version, window, instruments, False)
    last: dict[date, int] = {}
    for r in sorted(person.ratings, key=lambda r: (r.local_date, r.recorded_at)):
        if window.holds(r.local_date):
            last[r.local_date] = r.value
    practice = Counter(r.module_id for r in rows.runs() if r.completed_at is not None)
    return Card(person.alias, person.participant.status.value, tuple(sorted(last.items())),
                tuple(phase_figures(group, person, window)),
                tuple(reliable_changes(rows.responses())), tuple(sorted(practice.items())))


def extent(group: Group, series: Sequence[tuple[date, int]], window: Window
           ) -> tuple[date, date] | None:
    """The days a participant's chart spans: the group's programme (the pre meeting to a
    week after the post meeting) and every day they rated, within the window."""
    days = [d for d, _ in series]
    days += [d for d in (group.pre_date, *group.session_dates, group.post_date) if d]
    if group.post_date is not None:
        days.append(group.post_date + AFTER_POST)
    if not days:
        return None
    first, last = min(days), max(days)
    if window.start is not None:
        first = max(first, window.start)
    if window.end is not None:
        last = min(last, window.end)
    return (first, last) if first <= last else None


def spans(group: Group, first: date, last: date) -> list[Span]:
    """The phases between ``first`` and ``last``, as runs of days."""
    out: list[Span] = []
    day = first
    while day <= last:
        name = calendar.phase(group, day).value
        if out and out[-1].phase == name:
            out[-1] = Span(name, out[-1].first, day)
        else:
            out.append(Span(name, day, day))
        day += timedelta(days=1)
    return out


def phase_means(cards: Sequence[Card]) -> dict[str, list[float]]:
    """Per phase, in programme order, every participant's mean rating (the group chart)."""
    out: dict[str, list[float]] = {p.value: [] for p in calendar.Phase}
    for c in cards:
        for figures in c.phases:
            if figures.mean is not None:
                out[figures.phase].append(figures.mean)
    return {phase: means for phase, means in out.items() if means}
