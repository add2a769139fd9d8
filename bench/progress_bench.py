"""/progress for a participant with a year of data: the summary and the chart, timed.

Usage: .venv/bin/python bench/progress_bench.py [--repeat N]
Target (issue "practice"): under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time as wall
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.charts import progress_png  # noqa: E402
from bot.core.models import ExerciseRun, Rating, RatingKind  # noqa: E402
from bot.core.progress import progress  # noqa: E402

LABELS = {"title": "Stres harian Anda", "rating": "Stres (0-10)", "practice": "Hari berlatih",
          "session": "Pertemuan kelompok"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    today = date(2026, 12, 10)
    start = datetime(2025, 12, 11, 12, tzinfo=UTC)
    ratings = [Rating("P", today - timedelta(days=i), i % 11, RatingKind.PROMPTED,
                      start + timedelta(days=365 - i), "v") for i in range(365)]
    runs = [ExerciseRun("P", f"r{i}", "pmr-short", "relaxation", start, "v",
                        completed_at=start + timedelta(days=i), before=6, after=4, kind="steps")
            for i in range(365)]
    local_day = {r.run_id: r.completed_at.date() for r in runs if r.completed_at}
    sessions = (date(2026, 11, 27), date(2026, 12, 4))
    progress_png(progress(today, None, ratings, runs, local_day), sessions, LABELS)  # warm up
    times = []
    for _ in range(args.repeat):
        began = wall.perf_counter()
        png = progress_png(progress(today, None, ratings, runs, local_day), sessions, LABELS)
        times.append(wall.perf_counter() - began)
    print(f"/progress, 365 ratings + 365 runs   p50 {statistics.median(times) * 1000:6.0f} ms"
          f"   max {max(times) * 1000:6.0f} ms   PNG {len(png) // 1024} KB (target < 1 s)")


if __name__ == "__main__":
    main()
