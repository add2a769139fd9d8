"""Domain values shared by the core, storage and handlers.

Plain frozen dataclasses: no Telegram, TinyDB or YAML here. Datetimes are always
zone-aware (stored in UTC); a ``date`` named ``local_date`` is the participant's own
calendar day, which is what a daily rating belongs to.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

SCHEMA_VERSION = 1


class Language(enum.StrEnum):
    ID = "id"
    EN = "en"


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    FACILITATOR = "facilitator"
    RESEARCHER = "researcher"
    ADMIN = "admin"


class ParticipantStatus(enum.StrEnum):
    ONBOARDING = "onboarding"  # has a valid code, has not finished enrolment
    DECLINED = "declined"  # said no to consent: only the refusal is kept
    ACTIVE = "active"
    PAUSED = "paused"  # no prompts until paused_until
    UNREACHABLE = "unreachable"  # blocked the bot (403)
    WITHDRAWN = "withdrawn"  # no messages at all any more


class OnboardingStep(enum.StrEnum):
    LANGUAGE = "language"
    CONSENT = "consent"
    TIMEZONE = "timezone"
    PROMPT_TIME = "prompt_time"
    DONE = "done"


class PromptKind(enum.StrEnum):
    DAILY_RATING = "daily_rating"
    PRACTICE = "practice"  # the daily practice invitation; ref: the exercise
    FOLLOW_UP = "follow_up"  # the check-in after a priority run; ref: that run's id
    REMINDER = "reminder"  # a reminder exercise's message; ref: "<exercise>#<n>"
    QUESTIONNAIRE = "questionnaire"  # ref: "<instrument>@<occasion>" ("#2": the reminder)


class PracticeInvite(enum.StrEnum):
    """When the daily practice invitation comes."""

    AFTER_RATING = "after_rating"  # right after the day's stress rating (the default)
    AT_TIME = "at_time"  # at ``Participant.practice_time``
    OFF = "off"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # decided, not yet sent
    SENT = "sent"
    FAILED = "failed"  # network or API error after retries
    BLOCKED = "blocked"  # 403 from Telegram
    SKIPPED = "skipped"  # not sent: the participant had already rated that day


class RatingKind(enum.StrEnum):
    PROMPTED = "prompted"  # answer to the daily prompt
    SELF_INITIATED = "self_initiated"  # /rate
    BACKFILL = "backfill"  # /rate for yesterday


class QuestionnairePhase(enum.StrEnum):
    PRE = "pre"
    POST = "post"
    WEEKLY = "weekly"


@dataclass(frozen=True, slots=True)
class Group:
    """A programme group: its calendar and who facilitates it."""

    name: str
    timezone: str
    created_at: datetime
    pre_date: date | None = None
    session_dates: tuple[date, ...] = ()
    post_date: date | None = None
    facilitator_ids: tuple[int, ...] = ()
    summary_day: int = 0  # the weekly summary's weekday (0 = Monday), in the group's zone
    summary_time: time = time(8, 0)
    summaries_sent: tuple[str, ...] = ()  # ISO weeks already summarised (the last few)
    digests_sent: tuple[int, ...] = ()  # sessions whose eve-of-session digest went out


def same_name(a: str, b: str) -> bool:
    """Group names are one name whatever their case: "sejahtera" is "Sejahtera"."""
    return a.casefold() == b.casefold()


@dataclass(frozen=True, slots=True)
class Invite:
    """A single-use enrolment code; only its hash is ever stored."""

    code_hash: str
    group: str
    created_at: datetime
    expires_at: datetime
    used_by: str | None = None  # participant pid
    used_at: datetime | None = None
    spent_at: datetime | None = None  # its user agreed to take part: never usable again

    def is_usable(self, now: datetime) -> bool:
        return self.used_by is None and now < self.expires_at


@dataclass(frozen=True, slots=True)
class Consent:
    """What the participant agreed to, and when."""

    agreed: bool
    at: datetime
    content_version: str
    withdrawn_at: datetime | None = None
    keep_data: bool | None = None  # answer given on withdrawal


@dataclass(frozen=True, slots=True)
class Participant:
    """One staff member taking part. ``pid`` is the pseudonym used everywhere else."""

    pid: str
    telegram_id: int
    chat_id: int
    group: str
    created_at: datetime
    language: Language = Language.ID
    timezone: str = "Asia/Jakarta"
    prompt_time: time = time(19, 30)
    reminder_enabled: bool = True
    reminder_delay_minutes: int = 120
    quiet_start: time | None = time(22, 0)
    quiet_end: time | None = time(6, 0)
    status: ParticipantStatus = ParticipantStatus.ONBOARDING
    onboarding_step: OnboardingStep = OnboardingStep.LANGUAGE
    consent: Consent | None = None
    active_since: datetime | None = None  # when enrolment finished; no prompt is due before
    paused_until: date | None = None
    unreachable_since: datetime | None = None
    practice_invite: PracticeInvite = PracticeInvite.AFTER_RATING
    practice_time: time = time(7, 0)
    practice_since: datetime | None = None  # when the invitation's time was last chosen
    reminders: tuple[ReminderSetting, ...] = ()  # reminder exercises turned on
    follow_ups: tuple[FollowUpDue, ...] = ()  # check-ins still to come (priority runs)
    # may the facilitator be told when stress stays high? None: not answered (yet)
    share_flags: bool | None = None
    share_asked: bool = False  # the question has been put (at enrolment, or once later)
    open_flags: tuple[str, ...] = ()  # early-warning flags whose episode is still going
    safety_episode: SafetyEpisode | None = None  # the latest crisis alert and its answer


@dataclass(frozen=True, slots=True)
class ReminderSetting:
    """A reminder exercise turned on: its daily times in the participant's zone."""

    exercise_id: str
    times: tuple[time, ...]
    since: datetime | None = None  # turned on then: no time of that day before it is sent


@dataclass(frozen=True, slots=True)
class SafetyEpisode:
    """Crisis messages of one participant close together (one alert), and what a
    facilitator answered: "reached_out" or "not_concern", by whom (their pseudonym)."""

    episode_id: str
    opened_at: datetime
    last_at: datetime
    messages: int = 1
    reached: int = 0  # facilitators the alert reached
    answer: str | None = None
    answered_by: str | None = None
    answered_at: datetime | None = None
    escalated_at: datetime | None = None  # told the admins: nobody answered in time


@dataclass(frozen=True, slots=True)
class FollowUpDue:
    """A completed run whose check-in is asked on local day ``due``."""

    run_id: str
    exercise_id: str
    due: date


@dataclass(frozen=True, slots=True)
class Prompt:
    """One scheduled message and everything that happened to it (as SEMA3 exports)."""

    pid: str
    kind: PromptKind
    local_date: date
    scheduled_at: datetime
    content_version: str
    sent_at: datetime | None = None
    reminded_at: datetime | None = None
    answered_at: datetime | None = None
    expired_at: datetime | None = None
    delivery: DeliveryStatus = DeliveryStatus.PENDING
    message_id: int | None = None
    attempts: int = 0
    last_attempt_at: datetime | None = None
    ref: str = ""  # which exercise, run or reminder time (empty for the daily rating)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.pid, self.kind.value, self.local_date.isoformat(), self.ref)


@dataclass(frozen=True, slots=True)
class Rating:
    """A 0-10 stress self-rating for one local day."""

    pid: str
    local_date: date
    value: int
    kind: RatingKind
    recorded_at: datetime
    content_version: str

    def __post_init__(self) -> None:
        if not 0 <= self.value <= 10:
            raise ValueError(f"rating out of range: {self.value}")


@dataclass(frozen=True, slots=True)
class ExerciseRun:
    """One practice of an exercise, with its optional before/after ratings."""

    pid: str
    run_id: str
    exercise_id: str
    module_id: str
    started_at: datetime
    content_version: str
    completed_at: datetime | None = None
    before: int | None = None
    after: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)  # the structured answers
    kind: str = ""  # the exercise's kind (ExerciseKind's value)
    abandoned_at: datetime | None = None
    stopped_at: str | None = None  # the slot an abandoned run stopped at ("step2", a field)


@dataclass(frozen=True, slots=True)
class QuestionnaireResponse:
    """One administration of an instrument, saved after each answer (``position``: items
    done, a skipped one None; ``submitted_at``: None while in progress), one per
    (instrument, occasion): "pre", "post", or a weekly one's ISO week ("2026-W49")."""

    pid: str
    instrument: str
    phase: QuestionnairePhase
    answers: tuple[int | None, ...]
    submitted_at: datetime | None
    content_version: str
    occasion: str = ""
    started_at: datetime | None = None
    position: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.instrument, self.occasion or self.phase.value


@dataclass(frozen=True, slots=True)
class RoleAssignment:  # a role given to a Telegram user, optionally for one group only
    telegram_id: int
    role: Role
    group: str | None
    assigned_at: datetime
    assigned_by: str


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """An append-only record (exports, summaries sent, safety events, role changes);
    ``actor`` and ``subject`` are pseudonyms or ``"cli"``, never names or message text."""

    at: datetime
    kind: str
    actor: str
    subject: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
