"""What is due now: daily prompts, retries, one reminder, expiry. Pure; ``now`` is an argument.

Rules (each participant in their own IANA time zone):
- one daily prompt per participant per *local* date, at their chosen time; a time that does
  not exist (DST gap) moves forward by the gap, an ambiguous one uses its first occurrence;
- a prompt expires at the start of the next local day plus ``expiry_grace``; expiry applies
  whatever the participant's status;
- nothing is sent before the participant finished enrolment (``active_since``, else
  ``consent.at``): a prompt time already past at enrolment waits for the next day;
- nothing is sent while paused (through ``paused_until``; ``None`` = until resumed), or to
  the withdrawn, the unreachable, the declined or those still onboarding;
- after downtime, a prompt still inside its window is sent late, once; a late send (more
  than ``late_threshold`` after its time) waits out the participant's quiet hours, but the
  participant's own chosen time is always allowed; ``catch_up=False`` drops late sends;
- a FAILED send is retried after 15 s, 30 s, 60 s, then every minute (each wait jittered
  by up to 20 %, see ``retry_delay``) up to ``max_attempts`` attempts in all; a send that
  can never succeed (Telegram refused the request itself) is recorded with no attempts left;
- at most once: a PENDING record (the process stopped between saving it and hearing back
  from Telegram) is never re-sent, because the message may have been delivered. After
  ``pending_timeout`` it yields MARK_FAILED with ``attempts = max_attempts``, so the caller
  records the unknown outcome as a final failure and no retry follows;
- one reminder, ``reminder_delay_minutes`` after the send, never during quiet hours (a
  late tick still sends it once quiet hours are over, before the deadline).

The caller must not run two ticks at once (PTB's ``max_instances=1`` ensures it) and must
save the PENDING record before sending. ``prompts_for(pid)`` may return the whole history;
only records of today and of days still open matter, so returning recent ones is faster.
A participant whose time zone cannot be loaded is skipped (no actions at all).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfoNotFoundError

from bot.core import invitations
from bot.core.localtime import (
    is_quiet,
    local_instant,
    local_today,
    quiet_at,
    scheduled_at,
    zone,
)
from bot.core.models import (
    DeliveryStatus,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
)
from bot.core.timing import DEFAULT_CONFIG, ScheduleConfig, retry_at, retry_delay

__all__ = [
    "Action", "ActionKind", "PromptKind", "ScheduleConfig", "due_actions", "is_active_on",
    "is_quiet", "local_instant", "local_today", "next_prompt_at", "pause_until", "prompt_deadline",
    "retry_at", "retry_delay",
    "scheduled_at", "zone",
]

_MIDNIGHT = time(0, 0)
_ONE_DAY = timedelta(days=1)


class ActionKind(enum.StrEnum):
    SEND_PROMPT = "send_prompt"  # prompt: a new PENDING record to save, then send
    RETRY_PROMPT = "retry_prompt"  # prompt: the FAILED record to send again
    SEND_REMINDER = "send_reminder"  # prompt: the SENT record to remind about
    EXPIRE = "expire"  # prompt: the open record to close with expired_at
    MARK_FAILED = "mark_failed"  # prompt: the stale PENDING record, already marked FAILED


@dataclass(frozen=True, slots=True)
class Action:
    """One thing to do now; ``prompt`` is the record to act on (new for SEND_PROMPT)."""

    kind: ActionKind
    pid: str
    local_date: date
    prompt: Prompt


def prompt_deadline(zone_name: str, day: date, config: ScheduleConfig) -> datetime:
    """Return when the prompt of local ``day`` expires: the next local midnight plus the grace."""
    return local_instant(zone_name, day + _ONE_DAY, _MIDNIGHT) + config.expiry_grace


def is_active_on(participant: Participant, day: date) -> bool:
    """Return whether the participant receives messages on local ``day``."""
    if participant.onboarding_step is not OnboardingStep.DONE:
        return False
    if participant.consent is None or not participant.consent.agreed:
        return False
    if participant.status is ParticipantStatus.ACTIVE:
        return True
    if participant.status is ParticipantStatus.PAUSED:
        return participant.paused_until is not None and day > participant.paused_until
    return False


def _activation(participant: Participant) -> datetime | None:
    if participant.active_since is not None:
        return participant.active_since
    return participant.consent.at if participant.consent is not None else None


def next_prompt_at(participant: Participant, now: datetime,
                   settled: Container[date] = ()) -> datetime | None:
    """Return when the next daily prompt will come at the earliest, or None if none will.

    ``settled`` are local days that already have a prompt record (sent, or settled by a
    /rate before the prompt): no second prompt comes on those days.
    """
    day = local_today(participant, now)
    if participant.status is ParticipantStatus.PAUSED:
        if participant.paused_until is None:
            return None
        day = max(day, participant.paused_until + _ONE_DAY)
    if not is_active_on(participant, day):
        return None
    activation = _activation(participant)
    for offset in range(3):
        candidate = day + timedelta(days=offset)
        at = scheduled_at(participant, candidate)
        if candidate not in settled and at >= now and (activation is None or at >= activation):
            return at
    return None  # pragma: no cover - the day after tomorrow is always in the future


def pause_until(
    participant: Participant, today_prompt: Prompt | None, now: datetime, days: int,
    config: ScheduleConfig = DEFAULT_CONFIG,
) -> date:
    """Return the last local day of a pause that skips the next ``days`` daily prompts.

    Today counts as the first skipped day only while today's prompt is still to come (no
    record for today yet, and its time not passed by more than the late threshold);
    otherwise the pause starts tomorrow. The participant hears from Jeda again the day
    after the returned date.
    """
    if days < 1:
        raise ValueError("a pause skips at least one day")
    today = local_today(participant, now)
    first = today
    if today_prompt is not None or now > scheduled_at(participant, today) + config.late_threshold:
        first = today + _ONE_DAY
    return first + timedelta(days=days - 1)


class _Tick:
    """Per-tick caches: every participant in one zone shares its local time and deadlines."""

    __slots__ = ("config", "content_version", "now", "_deadlines", "_locals", "_instants")

    def __init__(self, now: datetime, content_version: str, config: ScheduleConfig) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be zone-aware")
        self.now = now
        self.content_version = content_version
        self.config = config
        self._locals: dict[str, datetime] = {}
        self._deadlines: dict[tuple[str, date], datetime] = {}
        self._instants: dict[tuple[str, date, time], datetime] = {}

    def local_now(self, zone_name: str) -> datetime:
        local = self._locals.get(zone_name)
        if local is None:
            local = self._locals[zone_name] = self.now.astimezone(zone(zone_name))
        return local

    def deadline(self, zone_name: str, day: date) -> datetime:
        key = (zone_name, day)
        found = self._deadlines.get(key)
        if found is None:
            found = self._deadlines[key] = prompt_deadline(zone_name, day, self.config)
        return found

    def instant(self, zone_name: str, day: date, at: time) -> datetime:
        key = (zone_name, day, at)
        found = self._instants.get(key)
        if found is None:
            found = self._instants[key] = local_instant(zone_name, day, at)
        return found


def due_actions(
    participants: Iterable[Participant],
    prompts_for: Callable[[str], Sequence[Prompt]],
    now: datetime,
    content_version: str,
    config: ScheduleConfig = DEFAULT_CONFIG,
    plans: Callable[[Participant], invitations.Plan] | None = None,
) -> list[Action]:
    """Return everything due at ``now`` for these participants, given their prompt records
    (and, with ``plans``, their practice invitations and reminders: ``core.invitations``)."""
    tick = _Tick(now, content_version, config)
    actions: list[Action] = []
    for participant in participants:
        try:
            local = tick.local_now(participant.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            continue  # a corrupt zone must not stop everyone else's prompts
        today = local.date()
        if not (participant.status is ParticipantStatus.ACTIVE
                or participant.status is ParticipantStatus.PAUSED):
            _expire_only(participant, prompts_for(participant.pid), today, tick, actions)
            continue
        prompts = prompts_for(participant.pid)
        _due_for(participant, prompts, local, tick, actions)
        if plans is not None and is_active_on(participant, today):
            new = invitations.due(participant, prompts, local, plans(participant),
                                  functools.partial(tick.instant, participant.timezone),
                                  config, _activation(participant), content_version)
            actions += [Action(ActionKind.SEND_PROMPT, p.pid, today, p) for p in new]
    return actions


def _expire_only(
    p: Participant, prompts: Sequence[Prompt], today: date, tick: _Tick, out: list[Action]
) -> None:
    for prompt in prompts:
        if (prompt.kind is PromptKind.DAILY_RATING and prompt.answered_at is None
                and prompt.expired_at is None and prompt.delivery is not DeliveryStatus.SKIPPED
                and prompt.local_date <= today
                and tick.now >= tick.deadline(p.timezone, prompt.local_date)):
            out.append(Action(ActionKind.EXPIRE, p.pid, prompt.local_date, prompt))


def _redeliver(prompt: Prompt, now: datetime, config: ScheduleConfig, out: list[Action]) -> None:
    """A practice message of today whose send failed or was interrupted: retried, or
    closed, as a daily prompt is (it has no reminder and no expiry)."""
    if prompt.delivery is DeliveryStatus.FAILED:
        retry = retry_at(config, prompt)
        if retry is not None and now >= retry:
            out.append(Action(ActionKind.RETRY_PROMPT, prompt.pid, prompt.local_date, prompt))
    elif prompt.delivery is DeliveryStatus.PENDING and now - (
            prompt.last_attempt_at or prompt.scheduled_at) >= config.pending_timeout:
        failed = replace(prompt, delivery=DeliveryStatus.FAILED,
                         attempts=max(prompt.attempts, config.max_attempts))
        out.append(Action(ActionKind.MARK_FAILED, prompt.pid, prompt.local_date, failed))


def _due_for(
    p: Participant, prompts: Sequence[Prompt], local: datetime, tick: _Tick, out: list[Action]
) -> None:
    now, config, tz = tick.now, tick.config, p.timezone
    today = local.date()
    quiet = quiet_at(p, local.time())
    active = is_active_on(p, today)
    has_today = False
    for prompt in prompts:
        if prompt.kind is not PromptKind.DAILY_RATING:
            if active and prompt.local_date == today:
                _redeliver(prompt, now, config, out)
            continue
        day = prompt.local_date
        if day == today:
            has_today = True
        if (prompt.answered_at is not None or prompt.expired_at is not None
                or prompt.delivery is DeliveryStatus.SKIPPED or day > today):
            continue
        if now >= tick.deadline(tz, day):
            out.append(Action(ActionKind.EXPIRE, p.pid, day, prompt))
            continue
        if not active:
            continue
        delivery = prompt.delivery
        if delivery is DeliveryStatus.FAILED:
            late = now - prompt.scheduled_at > config.late_threshold
            retry = retry_at(config, prompt)
            if retry is not None and now >= retry and not (late and quiet):
                out.append(Action(ActionKind.RETRY_PROMPT, p.pid, day, prompt))
        elif delivery is DeliveryStatus.PENDING:
            last = prompt.last_attempt_at or prompt.scheduled_at
            if now - last >= config.pending_timeout:
                failed = replace(prompt, delivery=DeliveryStatus.FAILED,
                                 attempts=max(prompt.attempts, config.max_attempts))
                out.append(Action(ActionKind.MARK_FAILED, p.pid, day, failed))
        elif (delivery is DeliveryStatus.SENT and prompt.reminded_at is None
              and p.reminder_enabled and prompt.sent_at is not None and not quiet
              and now >= prompt.sent_at + timedelta(minutes=p.reminder_delay_minutes)):
            out.append(Action(ActionKind.SEND_REMINDER, p.pid, day, prompt))
    if has_today or not active:
        return
    due = tick.instant(tz, today, p.prompt_time)
    if now < due or now >= tick.deadline(tz, today):
        return
    activation = _activation(p)
    if activation is not None and due < activation:
        return
    if now - due > config.late_threshold and (quiet or not config.catch_up):
        return
    new = Prompt(pid=p.pid, kind=PromptKind.DAILY_RATING, local_date=today,
                 scheduled_at=due, content_version=tick.content_version)
    out.append(Action(ActionKind.SEND_PROMPT, p.pid, today, new))
