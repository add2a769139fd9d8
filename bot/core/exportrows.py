"""One participant's records as the export's rows (``bot.core.dataset`` names the columns).

Pure: the caller reads the records and writes the files. Rows are sorted, numbers
rounded to 6 decimals, so the same data gives the same bytes every time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from bot.core import calendar, casestats
from bot.core import questionnaires as rules
from bot.core.content.questionnaires import Instrument
from bot.core.models import (
    ExerciseRun,
    Group,
    Participant,
    Prompt,
    PromptKind,
    QuestionnairePhase,
    QuestionnaireResponse,
    Rating,
)

Row = tuple[str, ...]
Cell = str | int | float | bool | date | None


@dataclass(frozen=True, slots=True)
class Person:
    """Everything exported of one participant."""

    alias: str  # the export pseudonym
    participant: Participant
    group: Group | None
    prompts: Sequence[Prompt]
    ratings: Sequence[Rating]
    runs: Sequence[ExerciseRun]
    responses: Sequence[QuestionnaireResponse]


@dataclass(frozen=True, slots=True)
class Window:
    """Which local days are exported (both ends included; None: open)."""

    start: date | None = None
    end: date | None = None

    def holds(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(round(value, 6) + 0.0)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _zone(person: Person) -> tzinfo:
    try:
        return ZoneInfo(person.participant.timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


class Rows:
    """The rows of one person, table by table."""

    def __init__(self, person: Person, version: str, window: Window,
                 instruments: Mapping[str, Instrument], include_text: bool) -> None:
        self.p, self.version, self.window = person, version, window
        self.instruments, self.include_text = instruments, include_text
        self.zone = _zone(person)

    def when(self, at: datetime | None) -> tuple[str, str]:
        if at is None:
            return "", ""
        return (at.astimezone(ZoneInfo("UTC")).isoformat(timespec="seconds"),
                at.astimezone(self.zone).replace(tzinfo=None).isoformat(timespec="seconds"))

    def local(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    def phase(self, day: date) -> tuple[str, str]:
        group = self.p.group
        if group is None:
            return "", ""
        first = group.session_dates[0] if group.session_dates else None
        return (calendar.phase(group, day).value,
                str((day - first).days) if first is not None else "")

    def row(self, *values: Cell | tuple[str, str]) -> Row:
        out: list[str] = [self.p.alias]
        for value in values:
            out.extend(value if isinstance(value, tuple) else (cell(value),))
        out.append(self.version)
        return tuple(out)

    def participant(self) -> Row:
        person = self.p.participant
        consent = person.consent
        group = self.p.group.name if self.p.group else person.group
        return self.row(group, person.status.value, self.when(person.active_since),
                        self.when(consent.withdrawn_at if consent else None), person.timezone,
                        person.language.value, consent.agreed if consent else None,
                        person.share_flags, consent.keep_data if consent else None,
                        consent.content_version if consent else None)[:-1] + (
            consent.content_version if consent else self.version,)

    def prompts(self) -> list[Row]:
        out = []
        for p in sorted(self.p.prompts, key=lambda p: (p.local_date, p.scheduled_at,
                                                       p.kind.value, p.ref)):
            if not self.window.holds(p.local_date):
                continue
            latency = (p.answered_at - p.sent_at).total_seconds() \
                if p.answered_at and p.sent_at else None
            out.append(self.row(p.kind.value, p.ref, p.local_date, self.when(p.scheduled_at),
                                self.when(p.sent_at), self.when(p.reminded_at),
                                self.when(p.answered_at), self.when(p.expired_at),
                                p.delivery.value, p.attempts, latency,
                                self.phase(p.local_date))[:-1] + (p.content_version,))
        return out

    def ratings(self) -> list[Row]:
        return [self.row(r.local_date, r.value, r.kind.value, self.when(r.recorded_at),
                         self.phase(r.local_date))[:-1] + (r.content_version,)
                for r in sorted(self.p.ratings, key=lambda r: (r.local_date, r.recorded_at))
                if self.window.holds(r.local_date)]

    def runs(self) -> list[ExerciseRun]:
        return sorted((r for r in self.p.runs if self.window.holds(self.local(r.started_at))),
                      key=lambda r: (r.started_at, r.run_id))

    def exercises(self) -> list[Row]:
        out = []
        for r in self.runs():
            change = r.after - r.before if r.after is not None and r.before is not None \
                else None
            out.append(self.row(r.run_id, r.exercise_id, r.module_id, r.kind,
                                self.when(r.started_at), self.when(r.completed_at),
                                self.when(r.abandoned_at), r.stopped_at, r.before, r.after,
                                change, r.completed_at is not None,
                                self.phase(self.local(r.started_at)))[:-1]
                       + (r.content_version,))
        return out

    def exercise_answers(self) -> list[Row]:
        out = []
        for r in self.runs():
            for field in sorted(r.data):
                value = r.data[field]
                number = float(value) if isinstance(value, int | float) else None
                text = value if isinstance(value, str) and self.include_text else None
                if number is None and text is None:
                    continue
                out.append(self.row(r.run_id, r.exercise_id, field, number, text)[:-1]
                           + (r.content_version,))
        return out

    def responses(self) -> list[tuple[QuestionnaireResponse, Instrument]]:
        found = []
        for r in sorted(self.p.responses, key=lambda r: (r.started_at or r.submitted_at
                                                         or datetime.min.replace(
                                                             tzinfo=ZoneInfo("UTC")), r.key)):
            instrument = self.instruments.get(r.instrument)
            at = r.submitted_at or r.started_at
            if instrument is not None and (at is None or self.window.holds(self.local(at))):
                found.append((r, instrument))
        return found

    def questionnaires(self) -> list[Row]:
        out = []
        for r, instrument in self.responses():
            for n, item in enumerate(instrument.items):
                value = r.answers[n] if n < len(r.answers) else None
                out.append(self.row(
                    r.instrument, r.phase.value, r.occasion or r.phase.value, item.id, n + 1,
                    value, item.scored(value) if value is not None else None, value is None,
                    self.when(r.started_at), self.when(r.submitted_at))[:-1]
                    + (r.content_version,))
        return out

    def scores(self) -> list[Row]:
        out = []
        for r, instrument in self.responses():
            if r.submitted_at is None or instrument.scoring is None:
                continue
            got = rules.scores(instrument, r.answers)
            for scale, value in (("total", got.total), *got.subscales):
                out.append(self.row(r.instrument, r.phase.value, r.occasion or r.phase.value,
                                    scale, value, got.missing, self.when(r.submitted_at))[:-1]
                           + (r.content_version,))
        return out

    def analysis(self) -> list[Row]:
        group = self.p.group
        name = group.name if group else self.p.participant.group
        out: list[Row] = []
        if group is not None:
            for figures in phase_figures(group, self.p, self.window):
                out.append(self.row(name, "phase", figures.phase, None, *figures.cells()))
        for instrument, pre, post, change in reliable_changes(self.responses()):
            out.append(self.row(name, "rci", None, instrument, None, None, None, None, None,
                                None, None, None, None, pre, post, change.rc,
                                change.change.value))
        return out


@dataclass(frozen=True, slots=True)
class PhaseFigures:
    phase: str
    n: int
    mean: float | None
    nap: float | None
    tau_u: float | None
    slope: float | None
    slope_p: float | None
    days_due: int
    days_rated: int

    @property
    def adherence(self) -> float | None:
        return self.days_rated / self.days_due if self.days_due else None

    def cells(self) -> tuple[Cell, ...]:
        return (self.n, self.mean, self.nap, self.tau_u, self.slope, self.slope_p,
                self.days_due, self.days_rated, self.adherence, None, None, None, None)


def phase_figures(group: Group, person: Person, window: Window) -> list[PhaseFigures]:
    """Per phase, in programme order: the ratings' n, mean, NAP and Tau-U against the
    baseline, Theil-Sen slope with Kendall's p, and adherence (days rated / days due)."""
    by_phase: dict[str, list[tuple[date, int]]] = {}
    for r in sorted(person.ratings, key=lambda r: (r.local_date, r.recorded_at)):
        if window.holds(r.local_date):
            by_phase.setdefault(calendar.phase(group, r.local_date).value, []).append(
                (r.local_date, r.value))
    due: dict[str, set[date]] = {}
    for p in person.prompts:
        if p.kind is PromptKind.DAILY_RATING and window.holds(p.local_date):
            due.setdefault(calendar.phase(group, p.local_date).value, set()).add(p.local_date)
    baseline = [v for _, v in _daily(by_phase.get(calendar.Phase.BASELINE.value, []))]
    out = []
    for phase in calendar.Phase:
        points = _daily(by_phase.get(phase.value, []))
        if not points and phase.value not in due:
            continue
        values = [v for _, v in points]
        versus = bool(baseline and values and phase is not calendar.Phase.BASELINE
                      and phase is not calendar.Phase.BEFORE)
        first = points[0][0] if points else None
        fit = casestats.trend([(d - first).days for d, _ in points], values) \
            if first is not None else None
        rated = {d for d, _ in points}
        asked = due.get(phase.value, set())
        out.append(PhaseFigures(
            phase.value, len(values), sum(values) / len(values) if values else None,
            casestats.nap(baseline, values) if versus else None,
            casestats.tau_u(baseline, values) if versus else None,
            fit.slope if fit else None, fit.p if fit else None, len(asked),
            len(rated & asked)))
    return out


def _daily(points: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """One value per day: the last rating of a day counts (a correction replaces)."""
    return sorted({d: v for d, v in points}.items())


def reliable_changes(responses: Sequence[tuple[QuestionnaireResponse, Instrument]]
                     ) -> list[tuple[str, float, float, casestats.ReliableChange]]:
    """Each instrument with a scored pre and post and reliable-change figures."""
    totals: dict[tuple[str, QuestionnairePhase], float] = {}
    kept: dict[str, Instrument] = {}
    for r, instrument in responses:
        got = rules.scores(instrument, r.answers) if r.submitted_at else None
        if got is not None and got.total is not None:
            totals[(r.instrument, r.phase)] = got.total
            kept[r.instrument] = instrument
    out = []
    for ident in sorted(kept):
        change = kept[ident].reliable_change
        pre = totals.get((ident, QuestionnairePhase.PRE))
        post = totals.get((ident, QuestionnairePhase.POST))
        if change is not None and pre is not None and post is not None:
            out.append((ident, pre, post, casestats.reliable_change(
                pre, post, change.norm_sd, change.reliability)))
    return out
