"""The participant's own progress summary."""

from datetime import UTC, date, datetime, timedelta

from bot.core.models import ExerciseRun, Rating, RatingKind
from bot.core.progress import progress, session_lines

TODAY = date(2026, 12, 10)
AT = datetime(2026, 12, 1, tzinfo=UTC)


def _rating(days_ago: int, value: int, minute: int = 0) -> Rating:
    return Rating("P", TODAY - timedelta(days=days_ago), value, RatingKind.PROMPTED,
                  AT + timedelta(minutes=minute), "v")


def _run(run_id: str, kind: str, before: int | None, after: int | None,
         done: bool = True) -> ExerciseRun:
    return ExerciseRun("P", run_id, "x", "relaxation" if kind == "steps" else "assertiveness",
                       AT, "v", completed_at=AT if done else None, before=before, after=after,
                       kind=kind)


def test_window_last_rating_of_a_day_sparkline_and_changes() -> None:
    ratings = [_rating(0, 2), _rating(0, 9, minute=5), _rating(13, 0), _rating(20, 5)]
    runs = [_run("a", "steps", 7, 4), _run("b", "steps", 5, 4), _run("c", "quiz", None, None),
            _run("d", "steps", 9, 1, done=False)]
    p = progress(TODAY, date(2026, 1, 1), ratings, runs, {"a": TODAY, "b": TODAY, "c": AT.date()})
    assert len(p.days) == 14 and p.days[-1] == TODAY
    assert p.ratings[-1] == 9 and p.ratings[0] == 0 and p.rated == 2
    assert p.sparkline == "▁" + "·" * 12 + "▇"
    assert p.per_module == (("relaxation", 2), ("assertiveness", 1))
    assert p.change_per_kind == (("steps", -2, 2),)
    assert p.practised == frozenset({TODAY, AT.date()})


def test_a_short_window_since_enrolment_and_sessions_inside_it() -> None:
    p = progress(TODAY, TODAY - timedelta(days=2), [], [], {})
    assert p.days == (date(2026, 12, 8), date(2026, 12, 9), TODAY) and p.rated == 0
    assert session_lines([date(2026, 12, 1), date(2026, 12, 9)], p.days) == [date(2026, 12, 9)]
