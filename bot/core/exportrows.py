"""One participant's records as the export's rows (``bot.core.dataset`` names the columns).

Pure: the caller reads the records and writes the files. Rows are sorted, numbers
rounded to 6 decimals, so the same data gives the same bytes every time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.core import calendar
from bot.core import questionnaires as rules
from bot.core.analysis import Cell, Person, Window, phase_figures, reliable_changes
from bot.core.content.questionnaires import Instrument
from bot.core.models import (
    ExerciseRun,
    QuestionnaireResponse,
)

Row = tuple[str, ...]
ZERO = timedelta(0)


def cell(value: Cell) -> str:
    if value is None:
        return ""
    kind = value.__class__
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        return "" if math.isnan(value) else repr(round(value, 6) + 0.0)  # type: ignore[arg-type]
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
        self._phases: dict[date, tuple[str, str]] = {}
        self._times: dict[datetime, tuple[str, str]] = {}

    def when(self, at: datetime | None) -> tuple[str, str]:
        """An instant in UTC and as local wall time (remembered: a rating's time is also
        its prompt's answer time)."""
        if at is None:
            return "", ""
        found = self._times.get(at)
        if found is None:
            utc = at if at.utcoffset() == ZERO else at.astimezone(UTC)
            # local wall time: the aware local time's ISO text without its offset
            found = self._times[at] = (utc.isoformat(timespec="seconds"),
                                       at.astimezone(self.zone).isoformat(
                                           timespec="seconds")[:19])
        return found

    def local(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()

    def phase(self, day: date) -> tuple[str, str]:
        """The phase and the day counted from session 1 (remembered: asked per row)."""
        found = self._phases.get(day)
        if found is None:
            group = self.p.group
            first = group.session_dates[0] if group and group.session_dates else None
            found = self._phases[day] = ("", "") if group is None else (
                calendar.phase(group, day).value,
                str((day - first).days) if first is not None else "")
        return found

    def row(self, *values: Cell | tuple[str, str]) -> Row:
        out: list[str] = [self.p.alias]
        add, extend = out.append, out.extend
        for value in values:
            if value.__class__ is tuple:
                extend(value)
            else:
                add(cell(value))  # type: ignore[arg-type]
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
            out.append(self.row(p.kind, p.ref, p.local_date, self.when(p.scheduled_at),
                                self.when(p.sent_at), self.when(p.reminded_at),
                                self.when(p.answered_at), self.when(p.expired_at),
                                p.delivery, p.attempts, latency,
                                self.phase(p.local_date))[:-1] + (p.content_version,))
        return out

    def ratings(self) -> list[Row]:
        return [self.row(r.local_date, r.value, r.kind, self.when(r.recorded_at),
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
            out.append(self.row(name, "rci", None, instrument, *(None,) * 11, pre, post,
                                change.rc,
                                change.change.value))
        return out
