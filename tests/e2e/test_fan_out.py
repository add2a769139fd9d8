"""A hundred participants due in the same minute: each gets exactly one prompt, once, also
across a second tick and a restart. Exactly-once, not timing: the clock is injected and the
chat pacing is lifted; the 1000-prompt burst at Telegram's real pace, with its figures, is
``bench/broadcast_bench.py`` (BENCHMARKS.md)."""

from __future__ import annotations

from datetime import UTC, datetime, time
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

N = 100


def seed_participants(h, n: int, prompt_at: time,  # noqa: ANN001
                      first_id: int = 100_000) -> list[Participant]:
    """Store n enrolled participants directly (enrolling 1000 by chat would test nothing new)."""
    jeda = h.app.bot_data["jeda"]
    people = []
    for i in range(n):
        user_id = first_id + i
        h.sim.user(user_id, f"P{i}")
        p = Participant(
            pid=jeda.pid_for(user_id), telegram_id=user_id, chat_id=user_id, group=GROUP,
            created_at=h.clock(), language=Language.ID, timezone="Asia/Jakarta",
            prompt_time=prompt_at, status=ParticipantStatus.ACTIVE,
            onboarding_step=OnboardingStep.DONE,
            consent=Consent(agreed=True, at=h.clock(), content_version="seed"),
            share_asked=True,  # as at enrolment
        )
        h.store.save_participant(p)
        people.append(p)
    return people


async def test_a_hundred_prompts_in_one_minute_go_exactly_once(tmp_path: Path) -> None:
    h = await make_harness(tmp_path, Limits.unlimited(), MORNING)
    try:
        people = seed_participants(h, N, time(19, 30))
        h.clock.set(datetime(2026, 11, 28, 12, 30, tzinfo=UTC))  # 19:30 WIB
        report = await h.tick()
        assert report.counts == {"send_prompt:sent": N}
        h.clock.advance(minutes=1)
        second = await h.tick()
        assert not any(k.startswith("send_prompt") for k in second.counts)
        await h.restart()
        h.clock.advance(minutes=1)
        third = await h.tick()
        assert not any(k.startswith("send_prompt") for k in third.counts)
        sends = [c for c in h.sim.calls if c.method == "sendMessage" and c.ok]
        per_chat: dict[int, int] = {}
        for call in sends:
            per_chat[call.params["chat_id"]] = per_chat.get(call.params["chat_id"], 0) + 1
        assert len(per_chat) == N and set(per_chat.values()) == {1}
        for p in people:
            prompts = h.store.list_prompts(p.pid)
            assert [r.delivery for r in prompts] == [DeliveryStatus.SENT]
    finally:
        await h.stop()
        await h.sim.stop()
        h.store.close()
