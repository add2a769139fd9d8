"""How long core.schedule.due_actions needs to decide one tick for N participants.

Pure computation, no I/O: participants spread over five zones (three Indonesian, Berlin,
St John's) with random prompt times; best of several runs per scenario:
- "quiet minute": every participant has yesterday's and today's prompt answered;
- "after an outage": no records at all, so everyone whose time has passed is due;
- "30 days of history": as the quiet minute, but each participant passes 30 records.
Usage: python bench/schedule_bench.py [--n 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import time as wall
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core import schedule  # noqa: E402
from bot.core.models import (  # noqa: E402
    Consent,
    DeliveryStatus,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
)

ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Europe/Berlin", "America/St_Johns"]
START = datetime(2026, 3, 1, tzinfo=UTC)
NOW = datetime(2026, 3, 27, 12, 30, tzinfo=UTC)


def people(n: int) -> list[Participant]:
    rng = random.Random(1)
    return [
        Participant(
            pid=f"P{i:010d}", telegram_id=i, chat_id=i, group="G", created_at=START,
            timezone=rng.choice(ZONES), prompt_time=time(rng.randrange(24), rng.randrange(60)),
            status=ParticipantStatus.ACTIVE, onboarding_step=OnboardingStep.DONE,
            consent=Consent(True, START, "v"), active_since=START,
        )
        for i in range(n)
    ]


def history(p: Participant, days: int) -> list[Prompt]:
    today = schedule.local_today(p, NOW)
    return [
        Prompt(p.pid, PromptKind.DAILY_RATING, day, START, "v", delivery=DeliveryStatus.SENT,
               sent_at=START, answered_at=START)
        for day in (today - timedelta(days=k) for k in range(days))
    ]


def best_ms(who: list[Participant], prompts_for: Callable[[str], Sequence[Prompt]],
            repeat: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = wall.perf_counter()
        count = len(schedule.due_actions(who, prompts_for, NOW, "v"))
        best = min(best, wall.perf_counter() - started)
    return best * 1000, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    who = people(args.n)
    recent = {p.pid: history(p, 2) for p in who}
    month = {p.pid: history(p, 30) for p in who}
    none: Sequence[Prompt] = ()
    scenarios: dict[str, Callable[[str], Sequence[Prompt]]] = {
        "quiet minute (today+yesterday answered)": lambda pid: recent[pid],
        "after an outage (no records)": lambda pid: none,
        "30 days of history each": lambda pid: month[pid],
    }
    print(f"due_actions for {args.n} participants, best of {args.repeat}:")
    for label, prompts_for in scenarios.items():
        ms, count = best_ms(who, prompts_for, args.repeat)
        print(f"  {label:42s} {ms:7.1f} ms  {count:6d} actions")


if __name__ == "__main__":
    main()
