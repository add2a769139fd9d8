"""A Bot API that hangs: it answers a send only after seconds, yet delivers it. The bot
waits for the answer (up to ``SEND_TIMEOUT_S``) instead of giving up at PTB's 5 s and
sending again: the daily question arrives once."""

from __future__ import annotations

from datetime import date

from bot.chat.app import SEND_TIMEOUT_S
from bot.core.models import DeliveryStatus, PromptKind
from tests.e2e.conftest import Harness

TODAY = date(2026, 11, 28)
HANG_S = 7  # past PTB's default 5 s read timeout; the bot's is far longer


async def test_a_hanging_send_is_waited_for_and_not_sent_twice(h: Harness) -> None:
    assert SEND_TIMEOUT_S > 30  # a Bot API that hangs for 30 s still gets its answer heard
    user = h.sim.user(4700, "H")
    p = await h.enrol(user)
    h.clock.advance(hours=10, minutes=30)  # 19:30
    h.sim.inject_delay("sendMessage", HANG_S)
    await h.tick()
    for _ in range(5):  # the minute ticks that follow
        h.clock.advance(minutes=1)
        await h.tick()
    await h.sim.wait_until_idle(timeout=20)
    prompts = [m for m in user.bot_messages if len(m.flat_buttons) == 11]
    assert len(prompts) == 1
    record = h.store.get_prompt(p.pid, PromptKind.DAILY_RATING, TODAY)
    assert record is not None and record.delivery is DeliveryStatus.SENT
    assert record.attempts == 1 and record.message_id == prompts[0].message_id
