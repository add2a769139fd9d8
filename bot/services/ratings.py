"""The daily 0-10 rating: what may be rated now, and recording it once."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from bot.content import Content
from bot.core import ratings, schedule
from bot.core.models import DeliveryStatus, Participant, Prompt, PromptKind, Rating, RatingKind
from bot.services.base import Base

logger = logging.getLogger(__name__)

DOUBLE_TAP_WINDOW = timedelta(seconds=60)


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


class Ratings:
    def __init__(self, base: Base, content: Content, config: schedule.ScheduleConfig) -> None:
        self._base = base
        self._content = content
        self._config = config

    def local_today(self, participant: Participant) -> date:
        return schedule.local_today(participant, self._base.clock())

    async def offer(self, participant: Participant) -> tuple[date, date | None]:
        """Return today's local date and yesterday's if it can still be backfilled."""
        today = self.local_today(participant)
        history = await self._base.store.list_ratings(participant.pid)
        return today, self._backfillable(participant, history, today)

    async def rate(
        self, participant: Participant, kind: RatingKind, day: date, value: int
    ) -> RateResult:
        """Record one rating after checking that this button may still be used."""
        if not 0 <= value <= 10:
            return RateResult(RateOutcome.NOT_ALLOWED)
        async with self._base.locks.hold(participant.pid):
            now = self._base.clock()
            today = schedule.local_today(participant, now)
            history = await self._base.store.list_ratings(participant.pid)
            prompt = await self._base.store.get_prompt(participant.pid, PromptKind.DAILY_RATING,
                                                       day)
            answered: Prompt | None = None
            if kind is RatingKind.PROMPTED:
                if prompt is None or prompt.delivery is DeliveryStatus.SKIPPED:
                    return RateResult(RateOutcome.NOT_ALLOWED)
                if prompt.answered_at is not None:
                    return RateResult(RateOutcome.DUPLICATE)
                deadline = schedule.prompt_deadline(participant.timezone, day, self._config)
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
                recorded_at=now, content_version=self._content.version,
            )
            await self._base.store.add_rating(rating, answered)
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
                scheduled_at=now, content_version=self._content.version,
                delivery=DeliveryStatus.SKIPPED, answered_at=now,
            )
        if prompt.answered_at is None and prompt.expired_at is None:
            return replace(prompt, answered_at=now)
        return None
