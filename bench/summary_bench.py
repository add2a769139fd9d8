"""Weekly summaries at study scale: 50 groups, 1000 participants with 365 days each.

Seeds the data folder straight to disk (each participant: 365 daily prompts, 365 ratings,
180 completed exercise runs), then, with a fresh store (cold cache), computes every
group's summary of the last week through the real service (``Summaries.of_many``, as the
Monday job does: the participants listed once, each one's file read once for its last four
weeks and baseline, the figures in the core) and renders each group's chart.
Prints the total time, the slowest group, the chart time per group (p50/max) and the peak
RSS of the process. Usage: python bench/summary_bench.py [--groups 50] [--participants 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.charts import group_png  # noqa: E402
from bot.core.models import (  # noqa: E402
    Consent,
    DeliveryStatus,
    ExerciseRun,
    Group,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
    Rating,
    RatingKind,
)
from bot.core.summary import Week  # noqa: E402
from bot.services.base import Base  # noqa: E402
from bot.services.summaries import Summaries  # noqa: E402
from storage.aio import AsyncStore  # noqa: E402
from storage.atomic import write_json_atomic  # noqa: E402
from storage.convert import to_doc  # noqa: E402
from storage.tinydb_store import TinyDBStore  # noqa: E402

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
FIRST = date(2025, 12, 7)
DAYS = 365


def seed(root: Path, groups: int, participants: int) -> None:
    store = TinyDBStore(root, fsync=False)
    rng = random.Random(7)
    for g in range(groups):
        store.add_group(Group(f"G{g:02d}", "Asia/Jakarta", NOW - timedelta(days=400),
                              session_dates=tuple(FIRST + timedelta(days=30 + 7 * k)
                                                  for k in range(4))))
    for i in range(participants):
        pid = f"P{i:010d}"
        at = datetime(2025, 12, 7, 2, tzinfo=UTC)
        person = Participant(pid, i + 1, i + 1, f"G{i % groups:02d}", at,
                             status=ParticipantStatus.ACTIVE,
                             onboarding_step=OnboardingStep.DONE,
                             consent=Consent(True, at, "v"), active_since=at)
        days = [FIRST + timedelta(days=n) for n in range(DAYS)]
        ratings = [Rating(pid, d, rng.randint(0, 10), RatingKind.PROMPTED,
                          datetime(d.year, d.month, d.day, 12, 40, tzinfo=UTC), "v")
                   for d in days]
        prompts = [Prompt(pid, PromptKind.DAILY_RATING, d,
                          datetime(d.year, d.month, d.day, 12, 30, tzinfo=UTC), "v",
                          delivery=DeliveryStatus.SENT, answered_at=r.recorded_at)
                   for d, r in zip(days, ratings, strict=True)]
        runs = [ExerciseRun(pid, f"{n:08x}", "pmr-short", "relaxation", r.recorded_at, "v",
                            completed_at=r.recorded_at, before=6, after=4, kind="steps")
                for n, r in enumerate(ratings[::2])]
        data = {"meta": {"1": {"schema_version": 1}}, "profile": {"1": to_doc(person)},
                "prompts": {str(n + 1): to_doc(p) for n, p in enumerate(prompts)},
                "ratings": {str(n + 1): to_doc(r) for n, r in enumerate(ratings)},
                "exercise_runs": {str(n + 1): to_doc(r) for n, r in enumerate(runs)}}
        store.save_participant(person)
        write_json_atomic(store.participant_path(pid), data, fsync=False)
    store.close()


async def measure(root: Path) -> None:
    store = TinyDBStore(root)  # cold
    service = Summaries(Base(AsyncStore(store), store.secret_key(), lambda: NOW))
    week = Week.of(NOW.date()).previous()
    groups = await AsyncStore(store).list_groups()
    started = time.perf_counter()
    results = await service.of_many([(g, week) for g in groups])  # as the Monday job does
    total = time.perf_counter() - started
    # in the running bot the job follows the minute's tick, which has just read every
    # profile: the same with the profiles in the store's cache and the summary's reads cold
    started = time.perf_counter()
    await service.of_many([(g, week) for g in groups])
    in_tick = time.perf_counter() - started
    one = time.perf_counter()
    await service.of(groups[-1], week)  # /summary for one group (warm cache)
    slowest = time.perf_counter() - one
    people = sum(len(r.figures.people) for r in results)
    charts = []
    for found in results:
        end = found.figures.week.end
        days = [end - timedelta(days=27 - n) for n in range(28)]
        one = time.perf_counter()
        png = group_png(found.daily, days, found.group.session_dates,
                        {"title": found.group.name, "session": "session"},
                        frozenset(p.alias for p in found.figures.people if p.flags))
        charts.append(time.perf_counter() - one)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"groups, participants            {len(results)}, {people} (365 days each)")
    print(f"all weekly summaries (cold)     {total:.2f} s   (target < 3 s)")
    print(f"the same after the tick         {in_tick:.2f} s   (profiles cached, as in the bot)")
    print(f"one group's /summary (warm)     {slowest * 1000:.0f} ms")
    print(f"chart per group                 p50 {statistics.median(charts) * 1000:.0f} ms"
          f"   max {max(charts) * 1000:.0f} ms   last PNG {len(png) // 1024} KB"
          "   (target < 1 s)")
    print(f"peak RSS of this process        {rss:.0f} MB   (target < 300 MB)")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--participants", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seed(Path(tmp), args.groups, args.participants)
        asyncio.run(measure(Path(tmp)))


if __name__ == "__main__":
    main()
