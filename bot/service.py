"""The participant's lifecycle: enrol, rate, settings, pause, withdraw, delete.

Handlers call exactly one method here per action. Each method takes ``now``-free
arguments and reads the injected clock once, asks ``bot.core`` to decide, persists
through the async store, and returns a small result for the handler to render.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import logging
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from bot.content import Content
from bot.core import identity, ratings, schedule
from bot.core.models import (
    AuditEvent,
    Consent,
    DeliveryStatus,
    Language,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
    Rating,
    RatingKind,
    Role,
)
from bot.stemmer import safety_matcher
from storage.aio import AsyncStore

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

MAX_CODE_FAILURES = 5
CODE_FAILURE_WINDOW = timedelta(minutes=15)
DOUBLE_TAP_WINDOW = timedelta(seconds=60)
FLOW_TTL = timedelta(minutes=15)


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


class RateOutcome(enum.StrEnum):
    SAVED = "saved"
    DUPLICATE = "duplicate"
    EXPIRED = "expired"
    NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True, slots=True)
class RateResult:
    outcome: RateOutcome
    value: int | None = None
    reflection: ratings.Reflection | None = None
    support: ratings.SupportReason | None = None


class Jeda:
    """Application service shared by handlers and jobs."""

    def __init__(
        self,
        store: AsyncStore,
        content: Content,
        secret: bytes,
        clock: Clock,
        admin_ids: frozenset[int] = frozenset(),
        schedule_config: schedule.ScheduleConfig | None = None,
        reminder_minutes: int = 120,
    ) -> None:
        self.store = store
        self.content = content
        self.secret = secret
        self.clock = clock
        self.admin_ids = admin_ids
        self.schedule_config = schedule_config or schedule.ScheduleConfig()
        self.reminder_minutes = reminder_minutes
        self.safety = safety_matcher(content.safety)
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._code_failures: defaultdict[int, deque[datetime]] = defaultdict(deque)
        self._reported: set[str] | None = None

    # --- identity and roles -------------------------------------------------------

    def pid_for(self, telegram_id: int) -> str:
        return identity.pseudonym(self.secret, telegram_id)

    def alias_for(self, participant: Participant) -> str:
        """How facilitators know this participant (never the research pseudonym)."""
        return identity.facilitator_alias(self.secret, participant.pid)

    def lock(self, pid: str) -> asyncio.Lock:
        """Serialise read-modify-write sequences on one participant."""
        return self._locks[pid]

    async def participant(self, telegram_id: int) -> Participant | None:
        return await self.store.get_participant(self.pid_for(telegram_id))

    async def roles_of(self, telegram_id: int) -> set[Role]:
        roles: set[Role] = set()
        if telegram_id in self.admin_ids:
            roles.add(Role.ADMIN)
        for assignment in await self.store.list_roles(telegram_id):
            roles.add(assignment.role)
        if any(telegram_id in g.facilitator_ids for g in await self.store.list_groups()):
            roles.add(Role.FACILITATOR)
        participant = await self.participant(telegram_id)
        if participant is not None and participant.status not in (
            ParticipantStatus.ONBOARDING,
            ParticipantStatus.DECLINED,
            ParticipantStatus.WITHDRAWN,
        ):
            roles.add(Role.PARTICIPANT)
        return roles

    async def facilitator_ids(self, group_name: str) -> list[int]:
        """Telegram ids of everyone who should hear about this group."""
        ids: list[int] = []
        group = await self.store.get_group(group_name)
        if group is not None:
            ids.extend(group.facilitator_ids)
        for assignment in await self.store.list_roles(None):
            if assignment.role is Role.FACILITATOR and assignment.group in (group_name, None):
                ids.append(assignment.telegram_id)
        return sorted(set(ids))

    async def reported_quarantines(self) -> set[str]:
        """The quarantined copies already reported to the admins (read once from the audit)."""
        if self._reported is None:
            events = await self.store.read_audit()
            self._reported = {str(e.data.get("moved")) for e in events
                              if e.kind == "file_quarantined"}
        return self._reported

    async def audit(
        self, kind: str, actor: str, subject: str | None = None, **data: object
    ) -> None:
        await self.store.append_audit(
            AuditEvent(at=self.clock(), kind=kind, actor=actor, subject=subject, data=data)
        )

    # --- enrolment ----------------------------------------------------------------

    def _throttled(self, telegram_id: int, now: datetime) -> bool:
        failures = self._code_failures[telegram_id]
        while failures and now - failures[0] > CODE_FAILURE_WINDOW:
            failures.popleft()
        return len(failures) >= MAX_CODE_FAILURES

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
        now = self.clock()
        pid = self.pid_for(telegram_id)
        existing = await self.store.get_participant(pid)
        if existing is not None:
            if existing.status is ParticipantStatus.ONBOARDING:
                return EnrolResult(EnrolOutcome.RESUMED, existing)
            rejoining = existing.status is ParticipantStatus.WITHDRAWN and code
            if existing.status is not ParticipantStatus.DECLINED and not rejoining:
                return EnrolResult(EnrolOutcome.ALREADY_ENROLLED, existing)
        if not code:
            return EnrolResult(EnrolOutcome.NO_CODE)
        if self._throttled(telegram_id, now):
            return EnrolResult(EnrolOutcome.THROTTLED)
        code_hash = identity.hash_code(self.secret, identity.normalise_code(code))
        invite = await self.store.get_invite(code_hash)
        failure = None
        if invite is None:
            failure = EnrolOutcome.INVALID
        elif invite.used_by is not None and (invite.used_by != pid
                                             or invite.spent_at is not None):
            failure = EnrolOutcome.USED
        elif now >= invite.expires_at:
            failure = EnrolOutcome.EXPIRED
        if failure is not None or invite is None:
            self._code_failures[telegram_id].append(now)
            logger.info("enrolment refused: %s", failure)
            return EnrolResult(failure or EnrolOutcome.INVALID)
        claimed = await self.store.claim_invite(code_hash, pid, now)
        if claimed is None:
            return EnrolResult(EnrolOutcome.USED)
        if existing is not None and existing.status is ParticipantStatus.WITHDRAWN:
            back = await self.update(
                existing, status=ParticipantStatus.ONBOARDING, group=claimed.group,
                onboarding_step=OnboardingStep.CONSENT, consent=None, chat_id=chat_id,
                flow=None, flow_data={})
            await self.audit("rejoining", pid, pid, group=claimed.group)
            logger.info("rejoining started for %s", pid)
            return EnrolResult(EnrolOutcome.REJOINED, back)
        group = await self.store.get_group(claimed.group)
        participant = Participant(
            pid=pid,
            telegram_id=telegram_id,
            chat_id=chat_id,
            group=claimed.group,
            created_at=now,
            timezone=group.timezone if group else "Asia/Jakarta",
            language=Language.EN if (language_code or "").startswith("en") else Language.ID,
            reminder_delay_minutes=self.reminder_minutes,
        )
        await self.store.save_participant(participant)
        logger.info("enrolment started for %s", pid)
        return EnrolResult(EnrolOutcome.STARTED, participant)

    async def update(self, participant: Participant, **changes: object) -> Participant:
        """Apply ``changes`` to the stored participant (re-read under its lock) and save.

        Re-reading means two updates racing for one person (two taps, or a tap and the
        tick marking them unreachable) both land instead of one overwriting the other.
        """
        async with self.lock(participant.pid):
            return await self._update_locked(participant, **changes)

    async def _update_locked(self, participant: Participant, **changes: object) -> Participant:
        current = await self.store.get_participant(participant.pid) or participant
        updated = replace(current, **changes)  # type: ignore[arg-type]
        await self.store.save_participant(updated)
        return updated

    async def start_flow(self, participant: Participant, name: str,
                         message_id: int | None = None) -> Participant:
        """Remember what the bot now waits for (a typed time, a confirmation...) and which
        message holds its buttons, so /cancel can close it."""
        data: dict[str, object] = {"since": self.clock().isoformat()}
        if message_id is not None:
            data["message_id"] = message_id
        return await self.update(participant, flow=name, flow_data=data)

    async def flow_message(self, participant: Participant, name: str, message_id: int) -> None:
        """Note which message holds the buttons of flow ``name``, if it is still open."""
        async with self.lock(participant.pid):
            current = await self.store.get_participant(participant.pid)
            if current is not None and current.flow == name:
                await self._update_locked(
                    current, flow_data={**current.flow_data, "message_id": message_id})

    async def end_flow(self, participant: Participant) -> int | None:
        """Forget any open flow (even an expired one); return the id of its keyboard message."""
        message_id = participant.flow_data.get("message_id") if participant.flow else None
        await self.update(participant, flow=None, flow_data={})
        return message_id if isinstance(message_id, int) else None

    def flow_of(self, participant: Participant) -> str | None:
        """The flow the participant is in, if it began less than FLOW_TTL ago.

        An old "/pause" must not turn a "3" typed two days later into a pause, nor an old
        settings button change the daily time.
        """
        since = participant.flow_data.get("since") if participant.flow else None
        if not isinstance(since, str):
            return None
        try:
            started = datetime.fromisoformat(since)
        except ValueError:
            return None
        return participant.flow if self.clock() - started <= FLOW_TTL else None

    async def answer_consent(self, participant: Participant, agree: bool) -> Participant | None:
        """Record consent; on refusal keep only the refusal (audit) and forget the rest."""
        now = self.clock()
        if not agree:
            await self.audit("consent_declined", participant.pid, participant.pid,
                             group=participant.group, content_version=self.content.version)
            await self.store.delete_participant(participant.pid)
            return None
        consent = Consent(agreed=True, at=now, content_version=self.content.version)
        await self.store.spend_invites(participant.pid, now)
        await self.audit("consent_given", participant.pid, participant.pid,
                         group=participant.group, content_version=self.content.version)
        return await self.update(participant, consent=consent,
                                 onboarding_step=OnboardingStep.TIMEZONE)

    async def finish_enrolment(self, participant: Participant, prompt_time: time) -> Participant:
        """Set the daily time and activate the participant."""
        return await self.update(
            participant,
            prompt_time=prompt_time,
            onboarding_step=OnboardingStep.DONE,
            status=ParticipantStatus.ACTIVE,
            active_since=self.clock(),
        )

    async def next_prompt_at(self, participant: Participant) -> datetime | None:
        """When the next daily prompt comes (a day already prompted or rated is skipped)."""
        now = self.clock()
        today = schedule.local_today(participant, now)
        settled = {p.local_date for p in await self.store.list_prompts(participant.pid)
                   if p.kind is PromptKind.DAILY_RATING and p.local_date >= today}
        return schedule.next_prompt_at(participant, now, settled)

    # --- ratings ------------------------------------------------------------------

    def local_today(self, participant: Participant) -> date:
        return schedule.local_today(participant, self.clock())

    async def rating_offer(self, participant: Participant) -> tuple[date, date | None]:
        """Return today's local date and yesterday's if it can still be backfilled."""
        today = self.local_today(participant)
        history = await self.store.list_ratings(participant.pid)
        return today, self._backfillable(participant, history, today)

    async def rate(
        self, participant: Participant, kind: RatingKind, day: date, value: int
    ) -> RateResult:
        """Record one rating after checking that this button may still be used."""
        if not 0 <= value <= 10:
            return RateResult(RateOutcome.NOT_ALLOWED)
        async with self.lock(participant.pid):
            now = self.clock()
            today = schedule.local_today(participant, now)
            history = await self.store.list_ratings(participant.pid)
            prompt = await self.store.get_prompt(participant.pid, PromptKind.DAILY_RATING, day)
            answered: Prompt | None = None
            if kind is RatingKind.PROMPTED:
                if prompt is None or prompt.delivery is DeliveryStatus.SKIPPED:
                    return RateResult(RateOutcome.NOT_ALLOWED)
                if prompt.answered_at is not None:
                    return RateResult(RateOutcome.DUPLICATE)
                deadline = schedule.prompt_deadline(participant.timezone, day, self.schedule_config)
                if prompt.expired_at is not None or now >= deadline:
                    return RateResult(RateOutcome.EXPIRED)
                answered = replace(prompt, answered_at=now)
            elif kind is RatingKind.BACKFILL:
                if self._backfillable(participant, history, today) != day:
                    return RateResult(
                        RateOutcome.DUPLICATE if any(r.local_date == day for r in history)
                        else RateOutcome.EXPIRED
                    )
            else:
                if day != today:
                    return RateResult(RateOutcome.EXPIRED)
                if any(
                    r.local_date == day and r.kind is RatingKind.SELF_INITIATED
                    and r.value == value and now - r.recorded_at < DOUBLE_TAP_WINDOW
                    for r in history
                ):
                    return RateResult(RateOutcome.DUPLICATE)
                answered = self._close_todays_prompt(participant, prompt, day, now)
            rating = Rating(
                pid=participant.pid, local_date=day, value=value, kind=kind,
                recorded_at=now, content_version=self.content.version,
            )
            await self.store.add_rating(rating, answered)
        history = [*history, rating]
        logger.info("rating saved for %s (%s)", participant.pid, kind.value)
        return RateResult(
            RateOutcome.SAVED,
            value=value,
            reflection=ratings.reflect(history, day),
            support=ratings.needs_support(history, today),
        )

    def _backfillable(
        self, participant: Participant, history: list[Rating], today: date
    ) -> date | None:
        """Yesterday, if it has no rating and the participant had already enrolled by then."""
        day = ratings.can_backfill(history, today)
        started = participant.active_since or (participant.consent.at if participant.consent
                                               else None)
        if day is None or started is None:
            return None
        return day if day >= schedule.local_today(participant, started) else None

    def _close_todays_prompt(
        self, participant: Participant, prompt: Prompt | None, day: date, now: datetime
    ) -> Prompt | None:
        """A /rate answer also settles today's prompt, so no prompt or reminder follows."""
        if prompt is None:
            return Prompt(
                pid=participant.pid, kind=PromptKind.DAILY_RATING, local_date=day,
                scheduled_at=now, content_version=self.content.version,
                delivery=DeliveryStatus.SKIPPED, answered_at=now,
            )
        if prompt.answered_at is None and prompt.expired_at is None:
            return replace(prompt, answered_at=now)
        return None

    # --- settings and rights ------------------------------------------------------

    async def pause(self, participant: Participant, days: int) -> Participant:
        """Skip the next ``days`` daily prompts; ``paused_until`` is the last skipped day."""
        now = self.clock()
        today_prompt = await self.store.get_prompt(participant.pid, PromptKind.DAILY_RATING,
                                                   schedule.local_today(participant, now))
        until = schedule.pause_until(participant, today_prompt, now, days, self.schedule_config)
        await self.audit("paused", participant.pid, participant.pid, days=days)
        return await self.update(participant, status=ParticipantStatus.PAUSED, paused_until=until)

    async def resume(self, participant: Participant) -> Participant:
        await self.audit("resumed", participant.pid, participant.pid)
        return await self.update(participant, status=ParticipantStatus.ACTIVE, paused_until=None,
                                 unreachable_since=None)

    async def withdraw(self, participant: Participant, keep_data: bool) -> None:
        """Stop all messages; keep or erase the data; the consent record stays in the audit log."""
        now = self.clock()
        consent_at = participant.consent.at.isoformat() if participant.consent else None
        await self.audit("withdrawn", participant.pid, participant.pid, keep_data=keep_data,
                         group=participant.group, consent_at=consent_at)
        if keep_data:
            consent = (
                dataclasses.replace(participant.consent, withdrawn_at=now, keep_data=True)
                if participant.consent else None
            )
            await self.update(participant, status=ParticipantStatus.WITHDRAWN, consent=consent,
                              flow=None, flow_data={})
        else:
            await self.store.delete_participant(participant.pid)

    async def delete(self, participant: Participant) -> None:
        """Erase everything personal; only a pseudonymous deletion record remains."""
        await self.audit("deleted", participant.pid, participant.pid, group=participant.group)
        await self.store.delete_participant(participant.pid)

    async def mark_unreachable(self, participant: Participant) -> bool:
        """Mark a participant who blocked the bot; True the first time only."""
        async with self.lock(participant.pid):
            current = await self.store.get_participant(participant.pid)
            if current is None or current.status is ParticipantStatus.UNREACHABLE:
                return False
            await self._update_locked(current, status=ParticipantStatus.UNREACHABLE,
                                      unreachable_since=self.clock())
        await self.audit("unreachable", "bot", participant.pid, group=participant.group)
        return True

    # --- safety -------------------------------------------------------------------

    async def check_text(self, participant: Participant, text: str) -> tuple[str, ...]:
        """Match free text against the safety terms; log a safety event (never the text)."""
        categories = self.safety.match(text)
        if categories:
            # the event, never the text nor its category: erasure leaves no health detail
            await self.audit("safety_text", "bot", participant.pid, group=participant.group)
            logger.warning("safety event for %s", participant.pid)
        return categories
