"""Joining: the invite code, the language, consent, the time zone, the daily time."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot.content import Content
from bot.core import identity, schedule
from bot.core.models import (
    Consent,
    Invite,
    Language,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    PromptKind,
)
from bot.services.base import Base, Throttle

logger = logging.getLogger(__name__)

MAX_CODE_FAILURES = 5
CODE_FAILURE_WINDOW = timedelta(minutes=15)


class EnrolOutcome(enum.StrEnum):
    STARTED = "started"
    RESUMED = "resumed"
    REJOINED = "rejoined"  # withdrew keeping data, came back with a new code
    ALREADY_ENROLLED = "already_enrolled"
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    THROTTLED = "throttled"
    NO_CODE = "no_code"


@dataclass(frozen=True, slots=True)
class EnrolResult:
    outcome: EnrolOutcome
    participant: Participant | None = None


class Enrolment:
    def __init__(self, base: Base, content: Content, reminder_minutes: int) -> None:
        self._base = base
        self._content = content
        self._reminder_minutes = reminder_minutes
        self.throttle = Throttle(MAX_CODE_FAILURES, CODE_FAILURE_WINDOW)

    async def enrol(
        self, telegram_id: int, chat_id: int, code: str | None, language_code: str | None
    ) -> EnrolResult:
        """Start (or resume) enrolment with an invite code; store nothing without one.

        The rule for codes: a code belongs to whoever opened it first; until they agree to
        take part they may send it again (to resume, or after saying no). Once they agreed
        it is spent for good, whatever happens to them later. Coming back after leaving
        always takes a new code: after /withdraw that kept the data, it brings back the
        same record (consent is asked again); after erasure it starts afresh.
        """
        base, store = self._base, self._base.store
        now = base.clock()
        pid = base.pid_for(telegram_id)
        existing = await store.get_participant(pid)
        if existing is not None:
            if existing.status is ParticipantStatus.ONBOARDING:
                return EnrolResult(EnrolOutcome.RESUMED, existing)
            rejoining = existing.status is ParticipantStatus.WITHDRAWN and code
            if existing.status is not ParticipantStatus.DECLINED and not rejoining:
                return EnrolResult(EnrolOutcome.ALREADY_ENROLLED, existing)
        if not code:
            return EnrolResult(EnrolOutcome.NO_CODE)
        if self.throttle.blocked(telegram_id, now):
            return EnrolResult(EnrolOutcome.THROTTLED)
        code_hash = identity.hash_code(base.secret, identity.normalise_code(code))
        failure = self._refusal(await store.get_invite(code_hash), pid, now)
        if failure is not None:
            self.throttle.fail(telegram_id, now)
            logger.info("enrolment refused: %s", failure)
            return EnrolResult(failure)
        claimed = await store.claim_invite(code_hash, pid, now)
        if claimed is None:
            return EnrolResult(EnrolOutcome.USED)
        if existing is not None and existing.status is ParticipantStatus.WITHDRAWN:
            back = await base.change(
                existing, status=ParticipantStatus.ONBOARDING, group=claimed.group,
                onboarding_step=OnboardingStep.CONSENT, consent=None, chat_id=chat_id,
                reminders=(), follow_ups=(), share_flags=None, share_asked=False,
                open_flags=(), safety_episode=None)  # nothing of the old programme goes on
            await store.clear_flow(pid)
            await base.audit("rejoining", pid, pid, group=claimed.group)
            logger.info("rejoining started for %s", pid)
            return EnrolResult(EnrolOutcome.REJOINED, back)
        group = await store.get_group(claimed.group)
        participant = Participant(
            pid=pid, telegram_id=telegram_id, chat_id=chat_id, group=claimed.group,
            created_at=now, timezone=group.timezone if group else "Asia/Jakarta",
            language=Language.EN if (language_code or "").startswith("en") else Language.ID,
            reminder_delay_minutes=self._reminder_minutes,
        )
        await store.save_participant(participant)
        logger.info("enrolment started for %s", pid)
        return EnrolResult(EnrolOutcome.STARTED, participant)

    @staticmethod
    def _refusal(invite: Invite | None, pid: str, now: datetime) -> EnrolOutcome | None:
        if invite is None:
            return EnrolOutcome.INVALID
        if invite.used_by is not None and (invite.used_by != pid or invite.spent_at is not None):
            return EnrolOutcome.USED
        if now >= invite.expires_at:
            return EnrolOutcome.EXPIRED
        return None

    async def choose_language(self, participant: Participant, lang: Language) -> Participant:
        """The language, chosen first; the next step is consent."""
        if participant.onboarding_step is OnboardingStep.LANGUAGE:
            return await self._base.change(participant, language=lang,
                                           onboarding_step=OnboardingStep.CONSENT)
        return await self._base.change(participant, language=lang)

    async def answer_consent(self, participant: Participant, agree: bool) -> Participant | None:
        """Record consent; on refusal keep only the refusal (audit) and forget the rest."""
        base = self._base
        now = base.clock()
        version = self._content.version
        if not agree:
            await base.audit("consent_declined", participant.pid, participant.pid,
                             group=participant.group, content_version=version)
            await base.store.delete_participant(participant.pid)
            return None
        await base.store.spend_invites(participant.pid, now)
        await base.audit("consent_given", participant.pid, participant.pid,
                         group=participant.group, content_version=version)
        return await base.change(participant, onboarding_step=OnboardingStep.TIMEZONE,
                                 consent=Consent(agreed=True, at=now, content_version=version))

    async def set_zone(self, participant: Participant, zone: str) -> Participant:
        """The time zone; the next step is the daily time."""
        return await self._base.change(participant, timezone=zone,
                                       onboarding_step=OnboardingStep.PROMPT_TIME)

    async def finish(self, participant: Participant, prompt_time: time) -> Participant:
        """Set the daily time and activate the participant."""
        return await self._base.change(
            participant, prompt_time=prompt_time, onboarding_step=OnboardingStep.DONE,
            status=ParticipantStatus.ACTIVE, active_since=self._base.clock())

    async def next_prompt_at(self, participant: Participant) -> datetime | None:
        """When the next daily prompt comes (a day already prompted or rated is skipped)."""
        now = self._base.clock()
        today = schedule.local_today(participant, now)
        settled = {p.local_date for p in await self._base.store.list_prompts(participant.pid)
                   if p.kind is PromptKind.DAILY_RATING and p.local_date >= today}
        return schedule.next_prompt_at(participant, now, settled)
