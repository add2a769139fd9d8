"""A participant's own progress: the last days' ratings, practice and what it did. Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import mean

from bot.core.models import ExerciseRun, Rating

DAYS = 14
BARS = "▁▂▃▄▅▆▇█"
NO_RATING = "·"


@dataclass(frozen=True, slots=True)
class Progress:
    days: tuple[date, ...]  # the window, oldest first
    ratings: tuple[int | None, ...]  # the day's last rating, per day of the window
    practised: frozenset[date]  # days with a completed exercise
    per_module: tuple[tuple[str, int], ...]  # completed runs per module, most first
    change_per_kind: tuple[tuple[str, float, int], ...]  # kind, mean after - before, n

    @property
    def rated(self) -> int:
        return sum(1 for r in self.ratings if r is not None)

    @property
    def sparkline(self) -> str:
        """One character a day: higher bars for higher stress, a dot for a day not rated."""
        return "".join(NO_RATING if r is None else BARS[round(r * (len(BARS) - 1) / 10)]
                       for r in self.ratings)


def progress(today: date, since: date | None, ratings: Iterable[Rating],
             runs: Iterable[ExerciseRun], local_day: dict[str, date]) -> Progress:
    """The last ``DAYS`` local days up to ``today`` (or fewer, since enrolment).

    ``local_day`` maps a run id to the participant's local date it was completed on."""
    first = today - timedelta(days=DAYS - 1)
    if since is not None and since > first:
        first = min(since, today)
    days = tuple(first + timedelta(days=n) for n in range((today - first).days + 1))
    last: dict[date, tuple[datetime, int]] = {}
    for r in ratings:
        if first <= r.local_date <= today and (
                r.local_date not in last or r.recorded_at >= last[r.local_date][0]):
            last[r.local_date] = (r.recorded_at, r.value)
    done = [r for r in runs if r.completed_at is not None]
    changes: defaultdict[str, list[int]] = defaultdict(list)
    for run in done:
        if run.before is not None and run.after is not None:
            changes[run.kind].append(run.after - run.before)
    modules = Counter(run.module_id for run in done)
    return Progress(
        days=days,
        ratings=tuple(last[d][1] if d in last else None for d in days),
        practised=frozenset(local_day[r.run_id] for r in done if r.run_id in local_day
                            and first <= local_day[r.run_id] <= today),
        per_module=tuple(sorted(modules.items(), key=lambda kv: (-kv[1], kv[0]))),
        change_per_kind=tuple((kind, mean(values), len(values))
                              for kind, values in sorted(changes.items())),
    )


def session_lines(sessions: Sequence[date], days: Sequence[date]) -> list[date]:
    """The group session dates that fall inside the window (drawn as vertical lines)."""
    return [d for d in sessions if days and days[0] <= d <= days[-1]]
