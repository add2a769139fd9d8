"""How long the bot needs to send N daily prompts due in the same minute, under Telegram's limits.

Runs the real Application against the local simulator (Telegram's limits: 30 msg/s overall,
about 1 msg/s per chat) and prints: total time, messages per second, 429 answers, peak rate,
and the reconcile decision time. Usage: python bench/broadcast_bench.py [--n 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time as wall
from datetime import UTC, datetime, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.simulator import Limits  # noqa: E402
from tests.e2e.conftest import MORNING, make_harness  # noqa: E402
from tests.e2e.test_fan_out import seed_participants  # noqa: E402


async def run(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        h = await make_harness(Path(tmp), Limits(), MORNING, (1.0, 3))
        try:
            started = wall.perf_counter()
            seed_participants(h, n, time(19, 30))
            seeded = wall.perf_counter() - started
            h.clock.set(datetime(2026, 11, 28, 12, 30, tzinfo=UTC))
            started = wall.perf_counter()
            report = await h.tick()
            elapsed = wall.perf_counter() - started
            sent = report.counts.get("send_prompt:sent", 0)
            h.clock.advance(minutes=1)
            started = wall.perf_counter()
            await h.tick()
            idle_tick = wall.perf_counter() - started
            print(f"participants              {n}")
            print(f"seeding the store         {seeded:.1f} s")
            chats = {c.params["chat_id"] for c in h.sim.calls_to("sendMessage", ok=True)}
            print(f"prompts sent              {sent} (each chat exactly once: {len(chats) == n})")
            print(f"time to send all          {elapsed:.1f} s ({sent / elapsed:.1f} msg/s)")
            print(f"429 answers               {h.sim.stats.rate_limited}")
            print(f"peak messages per second  {h.sim.stats.max_rate_global}")
            print(f"next tick (nothing due)   {idle_tick * 1000:.0f} ms")
        finally:
            await h.stop()
            await h.sim.stop()
            h.store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    asyncio.run(run(parser.parse_args().n))


if __name__ == "__main__":
    main()
