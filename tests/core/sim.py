"""A protocol simulator for core.schedule: in-memory prompt records changed exactly the way
bot/jobs.py changes them, driven by an injected clock (no sleeps, no mocks)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot.core import schedule
from bot.core.models import (
    Consent,
    DeliveryStatus,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
)
from bot.core.schedule import Action, ActionKind, ScheduleConfig

START = datetime(2026, 3, 26, 0, 0, tzinfo=UTC)


def person(pid: str, zone: str, at: time, **kw: object) -> Participant:
    """Return an enrolled, active participant (keywords override any field)."""
    base = Participant(
        pid=pid, telegram_id=1, chat_id=1, group="G", created_at=START, timezone=zone,
        prompt_time=at, status=ParticipantStatus.ACTIVE, onboarding_step=OnboardingStep.DONE,
        consent=Consent(True, START, "v"), active_since=START,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


class World:
    """Prompt records keyed by (pid, local date), plus a log of every message sent."""

    def __init__(self, people: Iterable[Participant],
                 fail: Iterable[tuple[str, date]] = (), answer_rate: float = 0.5,
                 seed: int = 1, config: ScheduleConfig | None = None) -> None:
        self.people = {p.pid: p for p in people}
        self.prompts: dict[tuple[str, date], Prompt] = {}
        self.sent: list[tuple[str, date, datetime]] = []
        self.reminders: list[tuple[str, date, datetime]] = []
        self.expired: list[tuple[str, date, datetime]] = []
        self.attempts: list[tuple[str, date, datetime]] = []
        self.fail = set(fail)
        self.rng = random.Random(seed)
        self.answer_rate = answer_rate
        self.config = config or ScheduleConfig()

    def records(self, pid: str) -> list[Prompt]:
        return [p for (k, _), p in self.prompts.items() if k == pid]

    def tick(self, now: datetime, config: ScheduleConfig | None = None) -> list[Action]:
        """Ask the core what is due and apply it as jobs.py would."""
        actions = schedule.due_actions(self.people.values(), self.records, now, "v",
                                       config or self.config)
        for a in actions:
            key = (a.pid, a.local_date)
            if a.kind in (ActionKind.SEND_PROMPT, ActionKind.RETRY_PROMPT):
                assert key not in self.prompts or a.kind is ActionKind.RETRY_PROMPT
                pending = replace(a.prompt, delivery=DeliveryStatus.PENDING,
                                  attempts=a.prompt.attempts + 1, last_attempt_at=now)
                self.attempts.append((a.pid, a.local_date, now))
                if key in self.fail:
                    self.prompts[key] = replace(pending, delivery=DeliveryStatus.FAILED)
                    continue
                self.prompts[key] = replace(pending, delivery=DeliveryStatus.SENT, sent_at=now)
                self.sent.append((a.pid, a.local_date, now))
                if self.rng.random() < self.answer_rate:
                    self.prompts[key] = replace(self.prompts[key], answered_at=now)
            elif a.kind is ActionKind.SEND_REMINDER:
                self.prompts[key] = replace(a.prompt, reminded_at=now)
                self.reminders.append((a.pid, a.local_date, now))
            elif a.kind is ActionKind.EXPIRE:
                self.prompts[key] = replace(a.prompt, expired_at=now)
                self.expired.append((a.pid, a.local_date, now))
            elif a.kind is ActionKind.MARK_FAILED:
                self.prompts[key] = a.prompt
        return actions

    def run(self, start: datetime, days: float, step: timedelta,
            skip: tuple[datetime, datetime] | None = None) -> None:
        """Tick every ``step`` for ``days`` days, except during the ``skip`` outage."""
        now = start
        while now < start + timedelta(days=days):
            if skip is None or not skip[0] <= now < skip[1]:
                self.tick(now)
            now += step

    def sent_days(self, pid: str) -> list[date]:
        return [d for p, d, _ in self.sent if p == pid]
