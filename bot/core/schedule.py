"""What is due now: daily prompts, retries, one reminder, expiry. Pure; ``now`` is an argument.

Rules (each participant in their own IANA time zone):
- one daily prompt per participant per *local* date, at their chosen time; a time that does
  not exist (DST gap) moves forward by the gap, an ambiguous one uses its first occurrence;
- a prompt expires at the start of the next local day plus ``expiry_grace``;
- after downtime, a prompt still inside its window is sent late, once, but a late send
  (more than ``late_threshold`` after its time) waits out the participant's quiet hours;
- nothing is due before the participant finished enrolment (``active_since``), while paused
  (until and including ``paused_until``), or after withdrawal or blocking;
- a FAILED send is retried with doubling back-off up to ``max_attempts``; a PENDING record
  (the process stopped between deciding and hearing back from Telegram) is never re-sent,
  because the message may have been delivered: it is marked failed for good (at most once);
- one reminder, ``reminder_delay_minutes`` after the send, never during quiet hours.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot.core.models import (
    DeliveryStatus,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
)


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """Tunable windows of the daily prompt."""

    expiry_grace: timedelta = timedelta(0)
    max_attempts: int = 3
    retry_base: timedelta = timedelta(minutes=2)
    late_threshold: timedelta = timedelta(minutes=15)
    pending_timeout: timedelta = timedelta(minutes=10)


class ActionKind(enum.StrEnum):
    SEND_PROMPT = "send_prompt"
    RETRY_PROMPT = "retry_prompt"
    SEND_REMINDER = "send_reminder"
    EXPIRE = "expire"
    MARK_FAILED = "mark_failed"


@dataclass(frozen=True, slots=True)
class Action:
    """One thing to do now; ``prompt`` is the record to act on (new for SEND_PROMPT)."""

    kind: ActionKind
    pid: str
    local_date: date
    prompt: Prompt


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_today(participant: Participant, now: datetime) -> date:
    """The participant's calendar date at ``now``."""
    return now.astimezone(zone(participant.timezone)).date()


def local_instant(zone_name: str, day: date, at: time) -> datetime:
    """The UTC instant of local ``day`` at ``at`` (gap: forward by the gap; fold: first)."""
    return datetime.combine(day, at, tzinfo=zone(zone_name)).astimezone(UTC)


def prompt_deadline(zone_name: str, day: date, config: ScheduleConfig) -> datetime:
    """When the prompt of local ``day`` expires: the next local midnight plus the grace."""
    return local_instant(zone_name, day + timedelta(days=1), time(0, 0)) + config.expiry_grace


def is_quiet(participant: Participant, now: datetime) -> bool:
    """Whether ``now`` falls in the participant's quiet hours (which may wrap midnight)."""
    start, end = participant.quiet_start, participant.quiet_end
    if start is None or end is None or start == end:
        return False
    local = now.astimezone(zone(participant.timezone)).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def is_active_on(participant: Participant, day: date) -> bool:
    """Whether the participant receives prompts on local ``day``."""
    if participant.onboarding_step is not OnboardingStep.DONE:
        return False
    if participant.consent is None or not participant.consent.agreed:
        return False
    if participant.status is ParticipantStatus.ACTIVE:
        return True
    if participant.status is ParticipantStatus.PAUSED:
        return participant.paused_until is not None and day > participant.paused_until
    return False


def next_prompt_at(participant: Participant, now: datetime) -> datetime | None:
    """When the next daily prompt will come, or None if none will."""
    day = local_today(participant, now)
    for offset in range(0, 62):
        candidate = day + timedelta(days=offset)
        if not is_active_on(participant, candidate):
            if participant.status is not ParticipantStatus.PAUSED:
                return None
            continue
        at = local_instant(participant.timezone, candidate, participant.prompt_time)
        if at >= now:
            return at
    return None


def _backoff(config: ScheduleConfig, attempts: int) -> timedelta:
    factor: int = 2 ** max(0, attempts - 1)
    return config.retry_base * factor


def due_actions(
    participants: Iterable[Participant],
    prompts_for: Callable[[str], Sequence[Prompt]],
    now: datetime,
    content_version: str,
    config: ScheduleConfig = ScheduleConfig(),
) -> list[Action]:
    """Everything due at ``now`` for these participants, given each one's prompt records."""
    actions: list[Action] = []
    for participant in participants:
        actions.extend(_due_for(participant, prompts_for(participant.pid), now,
                                content_version, config))
    return actions


def _due_for(
    p: Participant,
    prompts: Sequence[Prompt],
    now: datetime,
    content_version: str,
    config: ScheduleConfig,
) -> list[Action]:
    out: list[Action] = []
    today = local_today(p, now)
    has_today = False
    quiet = is_quiet(p, now)
    for prompt in prompts:
        if prompt.kind is not PromptKind.DAILY_RATING:
            continue
        if prompt.local_date == today:
            has_today = True
        if (prompt.answered_at is not None or prompt.expired_at is not None
                or prompt.delivery is DeliveryStatus.SKIPPED):
            continue
        if now >= prompt_deadline(p.timezone, prompt.local_date, config):
            out.append(Action(ActionKind.EXPIRE, p.pid, prompt.local_date, prompt))
            continue
        if not is_active_on(p, prompt.local_date):
            continue
        late = now - prompt.scheduled_at > config.late_threshold
        if prompt.delivery is DeliveryStatus.FAILED:
            last = prompt.last_attempt_at or prompt.scheduled_at
            if (prompt.attempts < config.max_attempts
                    and now >= last + _backoff(config, prompt.attempts)
                    and not (late and quiet)):
                out.append(Action(ActionKind.RETRY_PROMPT, p.pid, prompt.local_date, prompt))
        elif prompt.delivery is DeliveryStatus.PENDING:
            last = prompt.last_attempt_at or prompt.scheduled_at
            if now - last >= config.pending_timeout:
                failed = replace(prompt, delivery=DeliveryStatus.FAILED,
                                 attempts=max(prompt.attempts, config.max_attempts))
                out.append(Action(ActionKind.MARK_FAILED, p.pid, prompt.local_date, failed))
        elif (prompt.delivery is DeliveryStatus.SENT and prompt.reminded_at is None
              and p.reminder_enabled and prompt.sent_at is not None and not quiet
              and now >= prompt.sent_at + timedelta(minutes=p.reminder_delay_minutes)):
            out.append(Action(ActionKind.SEND_REMINDER, p.pid, prompt.local_date, prompt))
    if has_today or not is_active_on(p, today):
        return out
    scheduled = local_instant(p.timezone, today, p.prompt_time)
    if now < scheduled or now >= prompt_deadline(p.timezone, today, config):
        return out
    if p.active_since is not None and scheduled < p.active_since:
        return out
    if now - scheduled > config.late_threshold and quiet:
        return out
    new = Prompt(pid=p.pid, kind=PromptKind.DAILY_RATING, local_date=today,
                 scheduled_at=scheduled, content_version=content_version)
    out.append(Action(ActionKind.SEND_PROMPT, p.pid, today, new))
    return out
