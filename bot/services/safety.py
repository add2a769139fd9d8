"""Risky words: matched for everyone, recorded (as an event, never the text) for participants."""

from __future__ import annotations

import logging

from bot.core.content.safety import Safety as SafetyContent
from bot.core.models import Participant
from bot.services.base import Base
from bot.stemmer import safety_matcher

logger = logging.getLogger(__name__)


class Safety:
    def __init__(self, base: Base, safety: SafetyContent) -> None:
        self._base = base
        self._matcher = safety_matcher(safety)

    def match(self, text: str) -> tuple[str, ...]:
        """The crisis categories ``text`` falls under (nothing is stored)."""
        return self._matcher.match(text)

    async def check(self, participant: Participant, text: str) -> tuple[str, ...]:
        """Match a participant's text; log a safety event (never the text nor its category:
        an erasure then leaves no health detail behind)."""
        categories = self._matcher.match(text)
        if categories:
            await self._base.audit("safety_text", "bot", participant.pid,
                                   group=participant.group)
            logger.warning("safety event for %s", participant.pid)
        return categories

    async def rating_support_given(self, participant: Participant) -> None:
        await self._base.audit("safety_rating", "bot", participant.pid, group=participant.group)

    async def alerted(self, participant: Participant, kind: str, reached: int) -> None:
        await self._base.audit(kind, "bot", participant.pid, group=participant.group,
                               facilitators_reached=reached)
