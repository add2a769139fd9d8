"""Paced breathing: which phase of which breath it is, seconds after the start. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.content.exercises import PacedBreathing, Timings


@dataclass(frozen=True, slots=True)
class Phase:
    cycle: int  # 1-based
    name: str  # inhale, hold, exhale, rest


def _phases(t: Timings) -> list[tuple[str, int]]:
    out = [("inhale", t.inhale_seconds), ("hold", t.hold_seconds),
           ("exhale", t.exhale_seconds), ("rest", t.rest_seconds)]
    return [(name, seconds) for name, seconds in out if seconds > 0]


def phase_at(t: Timings, elapsed: float) -> Phase | None:
    """The phase ``elapsed`` seconds after the start; None once every breath is done."""
    if elapsed < 0:
        elapsed = 0
    cycle, into = divmod(elapsed, t.cycle_seconds)
    if cycle >= t.cycles:
        return None
    for name, seconds in _phases(t):
        if into < seconds:
            return Phase(int(cycle) + 1, name)
        into -= seconds
    return Phase(int(cycle) + 1, _phases(t)[-1][0])  # pragma: no cover - float edge


def cycles_done(t: Timings, elapsed: float) -> int:
    """Whole breaths completed ``elapsed`` seconds after the start."""
    return min(t.cycles, int(max(elapsed, 0) // t.cycle_seconds))


def restart_offset(t: Timings, elapsed: float) -> float:
    """Seconds to count from when the breathing resumes after a restart: the start of the
    breath that was interrupted (a half-done breath is begun again)."""
    return cycles_done(t, elapsed) * t.cycle_seconds


def cue(body: PacedBreathing, phase: Phase, lang: str) -> str:
    """The phase's words and the count, e.g. "Tarik napas… perut mengembang" and "2 / 10"."""
    text = {"inhale": body.inhale, "exhale": body.exhale, "hold": body.hold,
            "rest": body.rest}[phase.name]
    words = text.get(lang) if text is not None else ""
    return f"{words}\n\n{phase.cycle} / {body.timings.cycles}"
