"""Storage figures: append latency at study scale, full read, event-loop stall, tick reads.

Usage: python bench/storage_bench.py [--quick]
Prints one table. Each participant holds ``days`` answered daily prompts and ``days``
ratings (a year of the protocol). Seeding writes the history files directly; every
*measured* write goes through the real store with fsync on, the way the bot saves an
answer: the rating and its answered prompt in one write.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tinydb import TinyDB  # noqa: E402

from bot.core.models import (  # noqa: E402
    DeliveryStatus,
    Participant,
    Prompt,
    PromptKind,
    Rating,
    RatingKind,
)
from storage.aio import AsyncStore  # noqa: E402
from storage.atomic import write_json_atomic  # noqa: E402
from storage.convert import to_doc  # noqa: E402
from storage.tinydb_store import TinyDBStore  # noqa: E402

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)
START = date(2025, 11, 28)


def pid_of(i: int) -> str:
    return f"P{i:010d}"


def history(pid: str, days: int) -> list[Rating]:
    return [Rating(pid, START + timedelta(days=d), d % 11, RatingKind.PROMPTED,
                   AT - timedelta(days=days - d), "bench") for d in range(days)]


def prompt(pid: str, day: date) -> Prompt:
    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
    return Prompt(pid, PromptKind.DAILY_RATING, day, at, "bench", sent_at=at, answered_at=at,
                  delivery=DeliveryStatus.SENT, message_id=123456, attempts=1,
                  last_attempt_at=at)


def seed(root: Path, participants: int, days: int) -> TinyDBStore:
    """Write participants with ``days`` prompts and ratings straight to disk (no fsync)."""
    store = TinyDBStore(root, fsync=False)
    for i in range(participants):
        pid = pid_of(i)
        store.save_participant(Participant(pid, i + 1, i + 1, "G", AT))
        ratings = history(pid, days)
        data = {"meta": {"1": {"schema_version": 1}},
                "profile": {"1": to_doc(Participant(pid, i + 1, i + 1, "G", AT))},
                "prompts": {str(n + 1): to_doc(prompt(pid, r.local_date))
                            for n, r in enumerate(ratings)},
                "ratings": {str(n + 1): to_doc(r) for n, r in enumerate(ratings)}}
        write_json_atomic(store.participant_path(pid), data, fsync=False)
    return TinyDBStore(root)  # a fresh store: fsync on, cold cache


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(latencies: list[float]) -> str:
    return (f"p50 {statistics.median(latencies):6.1f} ms   "
            f"p99 {percentile(latencies, .99):6.1f} ms")


def append_latency(store: TinyDBStore, participants: int, samples: int) -> list[float]:
    out = []
    for n in range(samples):
        pid = pid_of(n % participants)
        day = START + timedelta(days=400 + n)
        store.save_prompt(dataclasses.replace(prompt(pid, day), answered_at=None))
        rating = Rating(pid, day, 5, RatingKind.PROMPTED, AT, "bench")
        started = time.perf_counter()
        store.add_rating(rating, prompt(pid, day))
        out.append((time.perf_counter() - started) * 1000)
    return out


def naive_latency(root: Path, docs: int, samples: int) -> list[float]:
    """The baseline: one TinyDB file with default JSONStorage holding everyone's ratings."""
    path = root / "naive.json"
    db = TinyDB(path)
    db.table("ratings").insert_multiple(to_doc(r) for r in history("PNAIVE00000", docs))
    out = []
    for n in range(samples):
        started = time.perf_counter()
        db.table("ratings").insert(to_doc(history("PNAIVE00000", 1)[0]) | {"n": n})
        out.append((time.perf_counter() - started) * 1000)
    db.close()
    return out


async def stall_while_everyone_rates(store: TinyDBStore, participants: int) -> tuple[float, float]:
    """Worst event-loop lag (ms) and total time (s) while all participants rate at once."""
    astore = AsyncStore(store)
    worst = 0.0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal worst
        loop = asyncio.get_running_loop()
        while not done.is_set():
            before = loop.time()
            await asyncio.sleep(0.005)
            worst = max(worst, (loop.time() - before - 0.005) * 1000)

    tick = asyncio.create_task(ticker())
    started = time.perf_counter()
    await asyncio.gather(*(
        astore.add_rating(Rating(pid_of(i), START + timedelta(days=500), 4,
                                 RatingKind.PROMPTED, AT, "bench"))
        for i in range(participants)))
    elapsed = time.perf_counter() - started
    done.set()
    await tick
    return worst, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    days = 30 if args.quick else 365
    sizes = (10, 100) if args.quick else (10, 100, 1000)
    samples = 50 if args.quick else 300
    tmp = Path(tempfile.mkdtemp(prefix="jeda-bench-"))
    rows = []
    try:
        for n in sizes:
            store = seed(tmp / f"s{n}", n, days)
            lat = append_latency(store, n, samples)
            rows.append((f"append, {n} x {days} (per-participant files)", summary(lat)))
        for docs in (1000, 10_000) if args.quick else (1000, 10_000, 100_000):
            lat = naive_latency(tmp, docs, 10 if docs >= 100_000 else 30)
            rows.append((f"append, naive single file with {docs:,} ratings", summary(lat)))
            (tmp / "naive.json").unlink()
        big = sizes[-1]
        size_kb = TinyDBStore(tmp / f"s{big}").participant_path(pid_of(0)).stat().st_size / 1024
        rows.append(("size of one participant's file", f"{size_kb:6.0f} KB"))
        cold = TinyDBStore(tmp / f"s{big}")
        started = time.perf_counter()
        total = sum(len(cold.list_ratings(p.pid)) for p in cold.list_participants())
        rows.append((f"full read of {big} x {days} ratings (cold)",
                     f"{time.perf_counter() - started:6.2f} s for {total:,} ratings"))
        for label in ("first: prompts decoded", "cached"):
            started = time.perf_counter()
            for p in cold.list_participants():
                cold.list_prompts(p.pid)
            rows.append((f"tick read: {big} profiles + all prompts ({label})",
                         f"{(time.perf_counter() - started) * 1000:6.0f} ms"))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(("peak RSS of this whole bench process", f"{rss:6.0f} MB"))
        worst, elapsed = asyncio.run(stall_while_everyone_rates(cold, big))
        rows.append((f"{big} participants rate at once (AsyncStore)",
                     f"worst loop stall {worst:5.1f} ms, all saved in {elapsed:.1f} s"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
