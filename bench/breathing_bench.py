"""100 participants in paced breathing while 1000 daily prompts are due, in real time.

The real Application against the local simulator with Telegram's limits (30 msg/s overall,
about 1 msg/s per chat with a burst of 3; 429 when exceeded). 100 participants start
abdominal breathing (10 breaths of 4 s in, 2 s hold, 6 s out: one edit per phase, 30 per
run), their starts spread evenly over one breath's 12 s, while the minute's tick sends
1000 daily prompts. The breathing timer runs as in production (``breathing.tick`` every
``TICK_SECONDS``); the bot's clock follows real time. Prints: edit lateness (arrival at
the simulator minus the phase's scheduled start) p50/p99/max, 429s, the most messages in
any sliding second, and when the prompts were all out (each exactly once).

Usage: python bench/breathing_bench.py [--breathers 100] [--prompts 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time as wall
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.chat import breathing  # noqa: E402
from bot.chat.runs import rendered  # noqa: E402
from bot.core import practice  # noqa: E402
from bot.core.content.exercises import PacedBreathing  # noqa: E402
from bot.simulator import Limits  # noqa: E402
from tests.e2e.conftest import FakeClock, make_harness  # noqa: E402
from tests.e2e.test_fan_out import seed_participants  # noqa: E402

DUE = datetime(2026, 11, 28, 12, 30, tzinfo=UTC)  # 19:30 WIB, the day after session 1
SPREAD = 12.0  # the starts are spread over one breath (people press Start independently)


class RealClock(FakeClock):
    """The bot's clock: real time, from an hour before ``DUE`` until ``jump`` sets it to
    ``DUE`` (the burst begins)."""

    def __init__(self) -> None:
        super().__init__(DUE)
        self.base, self.started = DUE - timedelta(hours=1), wall.monotonic()

    def __call__(self) -> datetime:
        return self.base + timedelta(seconds=wall.monotonic() - self.started)

    def jump(self) -> None:
        self.base, self.started = DUE, wall.monotonic()


def phase_starts(body: PacedBreathing) -> list[float]:
    """Seconds after the start at which each phase begins (its edit is due then)."""
    t, out, at = body.timings, [], 0.0
    for _ in range(t.cycles):
        for seconds in (t.inhale_seconds, t.hold_seconds, t.exhale_seconds, t.rest_seconds):
            if seconds:
                out.append(at)
                at += seconds
    return out


async def run(breathers: int, prompts: int) -> None:
    clock = RealClock()
    with tempfile.TemporaryDirectory() as tmp:
        h = await make_harness(Path(tmp), Limits(), DUE, (1.0, 3), clock=clock)
        try:
            await measure(h, clock, breathers, prompts)
        finally:
            await h.stop()
            await h.sim.stop()
            h.store.close()


async def measure(h, clock: RealClock, breathers: int, prompts: int) -> None:  # noqa: ANN001
    jeda, context = h.jeda, h.context
    seed_participants(h, prompts, time(19, 30))
    breathing_people = seed_participants(h, breathers, time(7, 0), first_id=900_000)
    # each breather's run, up to its start button (sent before the burst begins)
    messages = {}
    for p in breathing_people:
        active = await jeda.practice.start(p, "abdominal-breathing")
        while practice.slots_of(active.exercise, active.run)[active.run.at].kind is not (
                practice.SlotKind.BREATHE):
            active = await jeda.practice.give(p, active.run.at,
                                              5 if active.run.at == 0 else None)
        sent = await context.outbox.send(p.chat_id, *rendered(context, p, active))
        messages[p.pid] = (p, active.run.at, sent.message_id)
    await h.sim.wait_until_idle(timeout=60)
    body = jeda.content.exercise("abdominal-breathing").body
    assert isinstance(body, PacedBreathing)
    starts = phase_starts(body)
    calls_before = len(h.sim.calls)

    stop = asyncio.Event()

    async def timer() -> None:
        while not stop.is_set():
            await breathing.tick(context)
            await asyncio.sleep(breathing.TICK_SECONDS)

    began: dict[tuple[int, int], float] = {}  # (chat, message) -> when its breathing began

    async def begin(index: int) -> None:
        p, at, message_id = messages[breathing_people[index].pid]
        await asyncio.sleep(SPREAD * index / breathers)
        began[p.chat_id, message_id] = wall.monotonic()
        await breathing.begin(context, p, at, message_id)

    clock.jump()
    burst_start = wall.monotonic()
    finished: list[float] = []

    async def burst():  # noqa: ANN202
        report = await h.tick()
        finished.append(wall.monotonic() - burst_start)
        return report

    tick = asyncio.create_task(burst())
    timing = asyncio.create_task(timer())
    await asyncio.gather(*(begin(i) for i in range(breathers)))
    report = await tick
    prompts_done = finished[0]
    longest = max(starts) + 6 + 3
    while wall.monotonic() - burst_start < SPREAD + longest:
        await asyncio.sleep(0.5)
    stop.set()
    await timing
    await h.sim.wait_until_idle(timeout=30)

    lateness, late_at = [], []
    calls = h.sim.calls[calls_before:]
    for (chat_id, message_id), start in began.items():
        edits = [c for c in calls if c.method == "editMessageText" and c.ok
                 and int(c.params["chat_id"]) == chat_id
                 and int(c.params["message_id"]) == message_id and "/ 10" in c.params["text"]]
        for call, due in zip(edits, starts, strict=False):
            lateness.append(call.at - (start + due))
            if lateness[-1] > 0.5:
                late_at.append(start + due - burst_start)
    lateness.sort()
    sent = report.counts.get("send_prompt:sent", 0)
    prompt_chats = [c.params["chat_id"] for c in calls if c.method == "sendMessage" and c.ok
                    and int(c.params["chat_id"]) < 900_000]
    print(f"breathing runs at once     {breathers} ({len(lateness)} phase edits, "
          f"{breathers * len(starts)} due)")
    print(f"edit lateness              p50 {statistics.median(lateness) * 1000:.0f} ms   "
          f"p99 {lateness[int(len(lateness) * 0.99) - 1] * 1000:.0f} ms   "
          f"max {lateness[-1] * 1000:.0f} ms")
    late = sum(1 for x in lateness if x > 0.5)
    when = (f", due at {', '.join(f'{x:.0f}' for x in sorted(late_at)[:8])} s into the burst"
            if late_at else "")
    print(f"edits later than 500 ms    {late} of {len(lateness)} "
          f"({100 * late / len(lateness):.1f} %; target: none){when}")
    print(f"daily prompts sent         {sent} of {prompts} (each chat once: "
          f"{len(prompt_chats) == len(set(prompt_chats)) == prompts})")
    print(f"all prompts out after      {prompts_done:.1f} s")
    failed = [c for c in calls if c.method.startswith("edit") and not c.ok]
    print(f"edits refused              {len(failed)} "
          f"{sorted({str(c.response.get('description')) for c in failed})}")
    print(f"429 answers                {h.sim.stats.rate_limited}")
    print(f"peak messages per second   {h.sim.stats.max_rate_global}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--breathers", type=int, default=100)
    parser.add_argument("--prompts", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(run(args.breathers, args.prompts))


if __name__ == "__main__":
    main()
