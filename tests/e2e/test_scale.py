"""1000 participants due in the same minute: each gets exactly one prompt, within Telegram's limits.

This runs in real time (the rate limiter paces sends at under 30 per second), about 40 s.
The figures are also printed by ``bench/broadcast_bench.py`` into BENCHMARKS.md.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.core.models import (
    Consent,
    DeliveryStatus,
    Language,
    OnboardingStep,
    Participant,
    ParticipantStatus,
)
from bot.simulator import Limits
from tests.e2e.conftest import GROUP, MORNING, make_harness

N = 1000


def seed_participants(h, n: int, prompt_at: time) -> list[Participant]:  # noqa: ANN001
    """Store n enrolled participants directly (enrolling 1000 by chat would test nothing new)."""
    jeda = h.app.bot_data["jeda"]
    people = []
    for i in range(n):
        user_id = 100_000 + i
        h.sim.user(user_id, f"P{i}")
        p = Participant(
            pid=jeda.pid_for(user_id), telegram_id=user_id, chat_id=user_id, group=GROUP,
            created_at=h.clock(), language=Language.ID, timezone="Asia/Jakarta",
            prompt_time=prompt_at, status=ParticipantStatus.ACTIVE,
            onboarding_step=OnboardingStep.DONE,
            consent=Consent(agreed=True, at=h.clock(), content_version="seed"),
        )
        h.store.save_participant(p)
        people.append(p)
    return people


async def test_thousand_prompts_in_one_minute_exactly_once_without_429(tmp_path: Path) -> None:
    h = await make_harness(tmp_path, Limits(), MORNING, (1.0, 3))  # Telegram's real pace
    try:
        people = seed_participants(h, N, time(19, 30))
        h.clock.set(datetime(2026, 11, 28, 12, 30, tzinfo=UTC))  # 19:30 WIB
        report = await h.tick()
        assert report.counts == {"send_prompt:sent": N}
        h.clock.advance(minutes=1)
        second = await h.tick()
        assert not any(k.startswith("send_prompt") for k in second.counts)
        sends = [c for c in h.sim.calls if c.method == "sendMessage" and c.ok]
        per_chat = {}
        for call in sends:
            per_chat[call.params["chat_id"]] = per_chat.get(call.params["chat_id"], 0) + 1
        assert len(per_chat) == N and set(per_chat.values()) == {1}
        assert h.sim.stats.rate_limited == 0  # the simulator enforces Telegram's buckets
        span = max(c.at for c in sends) - min(c.at for c in sends)
        assert N / span <= 30  # sustained rate (a first burst is allowed, as by Telegram)
        for p in people[:: N // 20]:
            prompts = h.store.list_prompts(p.pid)
            assert [r.delivery for r in prompts] == [DeliveryStatus.SENT]
        assert span < timedelta(minutes=1).total_seconds()
    finally:
        await h.stop()
        await h.sim.stop()
        h.store.close()
