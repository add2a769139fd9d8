"""A failed send comes back soon after the Bot API does, once, whatever the tick's phase."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.chat import jobs
from bot.core.models import DeliveryStatus, PromptKind
from bot.core.schedule import ScheduleConfig
from tests.e2e.conftest import Harness

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize("phase", [0, 23, 41, 59])  # where in the minute the ticks fall
async def test_after_a_one_minute_outage_the_prompt_follows_within_about_a_minute(
        h: Harness, phase: int) -> None:
    user = h.sim.user(4400 + phase, "O")
    p = await h.enrol(user)
    h.clock.advance(hours=10, minutes=30, seconds=phase)  # 19:30 + phase
    start = h.clock()
    h.sim.inject_error("sendMessage", 500, "Internal Server Error", times=1000)
    recovered = start + timedelta(seconds=60)
    next_minute = start
    report = await h.tick()
    while True:
        # what the running bot does: a tick every minute, plus an early tick at a retry time
        next_minute += timedelta(minutes=1)
        due = min(t for t in (report.retry_at, next_minute) if t is not None)
        if due >= recovered > h.clock():
            h.sim.clear_errors("sendMessage")
        h.clock.set(due)
        report = await h.tick()
        record = h.store.get_prompt(p.pid, PromptKind.DAILY_RATING, TODAY)
        if record is not None and record.delivery is DeliveryStatus.SENT:
            break
        assert h.clock() < start + timedelta(minutes=10), "never delivered"
    assert record.sent_at is not None
    assert record.sent_at - recovered <= timedelta(seconds=75)
    await h.sim.wait_until_idle()
    prompts = [m for m in user.bot_messages if len(m.flat_buttons) == 11]
    assert len(prompts) == 1  # once, never twice


async def test_a_request_telegram_refuses_is_not_retried(h: Harness) -> None:
    user = h.sim.user(4450, "R")
    p = await h.enrol(user)
    h.clock.advance(hours=10, minutes=30)
    h.sim.inject_error("sendMessage", 400, "Bad Request: chat not found")
    report = await h.tick()
    assert report.counts == {"send_prompt:refused": 1} and report.retry_at is None
    for _ in range(5):
        h.clock.advance(minutes=1)
        await h.tick()
    record = h.store.get_prompt(p.pid, PromptKind.DAILY_RATING, TODAY)
    assert record.delivery is DeliveryStatus.FAILED
    assert record.attempts == ScheduleConfig().max_attempts


async def test_a_failed_send_plans_an_early_tick_for_its_retry(h: Harness) -> None:
    user = h.sim.user(4460, "J")
    await h.enrol(user)
    h.schedule_jobs = True
    await h.restart()
    h.clock.advance(hours=10, minutes=30)
    h.sim.inject_error("sendMessage", 500, "Internal Server Error")
    report = await h.tick()
    assert report.retry_at is not None
    assert timedelta(seconds=12) <= report.retry_at - h.clock() <= timedelta(seconds=18)
    (job,) = h.app.job_queue.get_jobs_by_name(jobs.RETRY_JOB)
    assert job.next_t is not None


async def test_a_429_storm_is_waited_out_and_every_prompt_goes_once(h: Harness) -> None:
    """Telegram answers a burst of daily questions with 429 retry_after=1, three times over:
    the bot waits as told, and each person gets their question exactly once."""
    people = [h.sim.user(4600 + n, f"S{n}") for n in range(4)]
    for person in people:
        await h.enrol(person)
    h.clock.advance(hours=10, minutes=30)  # 19:30
    h.sim.inject_error("sendMessage", 429, "Too Many Requests: retry after 1",
                       retry_after=1, times=3)
    report = await h.tick()
    assert report.counts.get("send_prompt:sent") == 4
    await h.sim.wait_until_idle()
    statuses = [c.status for c in h.sim.calls_to("sendMessage")]
    assert statuses.count(429) == 3
    for person in people:
        assert len([m for m in person.bot_messages if len(m.flat_buttons) == 11]) == 1
        record = h.store.get_prompt(h.jeda.pid_for(person.id), PromptKind.DAILY_RATING, TODAY)
        assert record is not None and record.delivery is DeliveryStatus.SENT
