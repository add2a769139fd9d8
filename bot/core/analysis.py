"""The single-case figures of the export's ``analysis.csv``: per phase
the ratings' n, mean, NAP and Tau-U against the baseline, the Theil-Sen slope with
Kendall's p, adherence; per pre/post instrument the reliable change. Pure; the formulas
are ``bot.core.casestats``'s."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from zoneinfo import ZoneInfo

from bot.core import calendar, casestats
from bot.core import questionnaires as rules
from bot.core.content.questionnaires import Instrument
from bot.core.models import (
    DeliveryStatus,
    ExerciseRun,
    Group,
    Participant,
    Prompt,
    PromptKind,
    QuestionnairePhase,
    QuestionnaireResponse,
    Rating,
)

Cell = str | int | float | bool | date | None
# a daily prompt that reached Telegram, or was not needed as the day was already rated;
# one that failed or was never sent was not asked
ASKED = frozenset({DeliveryStatus.SENT, DeliveryStatus.SKIPPED, DeliveryStatus.BLOCKED})


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
    practice_runs: int  # exercise runs completed, started in the phase
    practice_days: int  # days with at least one of them

    @property
    def adherence(self) -> float | None:
        return self.days_rated / self.days_due if self.days_due else None

    def cells(self) -> tuple[Cell, ...]:
        return (self.n, self.mean, self.nap, self.tau_u, self.slope, self.slope_p,
                self.days_due, self.days_rated, self.adherence, self.practice_runs,
                self.practice_days, None, None, None, None)


def phase_figures(group: Group, person: Person, window: Window) -> list[PhaseFigures]:
    """Per phase, in programme order: the ratings' n, mean, NAP and Tau-U against the
    baseline, Theil-Sen slope with Kendall's p, and adherence (days rated / days due)."""
    phases: dict[date, str] = {}  # a day's phase, worked out once (asked twice a day)

    def phase_of(day: date) -> str:
        found = phases.get(day)
        if found is None:
            found = phases[day] = calendar.phase(group, day).value
        return found

    by_phase: dict[str, list[tuple[date, int]]] = {}
    for r in sorted(person.ratings, key=lambda r: (r.local_date, r.recorded_at)):
        if window.holds(r.local_date):
            by_phase.setdefault(phase_of(r.local_date), []).append((r.local_date, r.value))
    due: dict[str, set[date]] = {}
    for p in person.prompts:
        if p.kind is PromptKind.DAILY_RATING and window.holds(p.local_date) and (
                p.sent_at is not None or p.delivery in ASKED):
            due.setdefault(phase_of(p.local_date), set()).add(p.local_date)
    practised: dict[str, list[date]] = {}
    zone = _zone(person.participant.timezone)
    for run in person.runs:
        day = run.started_at.astimezone(zone).date()
        if run.completed_at is not None and window.holds(day):
            practised.setdefault(phase_of(day), []).append(day)
    baseline = [v for _, v in _daily(by_phase.get(calendar.Phase.BASELINE.value, []))]
    out = []
    for phase in calendar.Phase:
        points = _daily(by_phase.get(phase.value, []))
        if not points and phase.value not in due and phase.value not in practised:
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
            fit.slope if fit else None,
            fit.p if fit and not math.isnan(fit.p) else None, len(asked),
            len(rated & asked), len(practised.get(phase.value, ())),
            len(set(practised.get(phase.value, ())))))
    return out


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return UTC


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
