"""An enrolled participant's own choices: settings, pauses, and their rights."""

from __future__ import annotations

import dataclasses
from datetime import time

from bot.core import schedule
from bot.core.flows import FlowKind
from bot.core.models import Language, Participant, ParticipantStatus, PracticeInvite, PromptKind
from bot.services.base import Base


class Participants:
    def __init__(self, base: Base, config: schedule.ScheduleConfig) -> None:
        self._base = base
        self._config = config

    async def get(self, telegram_id: int) -> Participant | None:
        return await self._base.participant(telegram_id)

    async def set_zone(self, participant: Participant, zone: str) -> Participant:
        return await self._changed_setting(participant, timezone=zone)

    async def set_prompt_time(self, participant: Participant, at: time) -> Participant:
        return await self._changed_setting(participant, prompt_time=at)

    async def set_language(self, participant: Participant, lang: Language) -> Participant:
        return await self._changed_setting(participant, language=lang)

    async def toggle_reminder(self, participant: Participant) -> Participant:
        return await self._changed_setting(participant,
                                           reminder_enabled=not participant.reminder_enabled)

    async def set_practice_invite(self, participant: Participant, mode: PracticeInvite,
                                  at: time | None = None) -> Participant:
        """When the daily practice invitation comes: after the rating, at ``at``, or never.
        Nothing of today before the change is sent; an exercise in progress stays (the
        question may be answered from the enrolment message at any time)."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is not None and flow.kind is FlowKind.SETTINGS:
            await self._base.store.clear_flow(participant.pid)
        changes: dict[str, object] = {"practice_invite": mode,
                                      "practice_since": self._base.clock()}
        if at is not None:
            changes["practice_time"] = at
        return await self._base.change(participant, **changes)

    async def _changed_setting(self, participant: Participant, **change: object) -> Participant:
        """Save one setting; the settings flow that asked for it is done."""
        await self._base.store.clear_flow(participant.pid)
        return await self._base.change(participant, **change)

    async def pause(self, participant: Participant, days: int) -> Participant:
        """Skip the next ``days`` daily prompts; ``paused_until`` is the last skipped day."""
        base = self._base
        now = base.clock()
        today_prompt = await base.store.get_prompt(participant.pid, PromptKind.DAILY_RATING,
                                                   schedule.local_today(participant, now))
        until = schedule.pause_until(participant, today_prompt, now, days, self._config)
        await base.audit("paused", participant.pid, participant.pid, days=days)
        await base.store.clear_flow(participant.pid)
        return await base.change(participant, status=ParticipantStatus.PAUSED,
                                 paused_until=until)

    async def resume(self, participant: Participant) -> Participant:
        await self._base.audit("resumed", participant.pid, participant.pid)
        return await self._base.change(participant, status=ParticipantStatus.ACTIVE,
                                       paused_until=None, unreachable_since=None)

    async def withdraw(self, participant: Participant, keep_data: bool) -> None:
        """Stop all messages; keep or erase the data; the consent record stays in the audit."""
        base = self._base
        consent = participant.consent
        await base.audit("withdrawn", participant.pid, participant.pid, keep_data=keep_data,
                         group=participant.group,
                         consent_at=consent.at.isoformat() if consent else None)
        if not keep_data:
            await base.store.delete_participant(participant.pid)
            return
        kept = (dataclasses.replace(consent, withdrawn_at=base.clock(), keep_data=True)
                if consent else None)
        await base.store.clear_flow(participant.pid)
        await base.change(participant, status=ParticipantStatus.WITHDRAWN, consent=kept)

    async def delete(self, participant: Participant) -> None:
        """Erase everything personal; only a pseudonymous deletion record remains."""
        await self._base.audit("deleted", participant.pid, participant.pid,
                               group=participant.group)
        await self._base.store.delete_participant(participant.pid)

    async def mark_unreachable(self, participant: Participant) -> bool:
        """Mark a participant who blocked the bot; True the first time only."""
        base = self._base
        async with base.locks.hold(participant.pid):
            current = await base.store.get_participant(participant.pid)
            if current is None or current.status is ParticipantStatus.UNREACHABLE:
                return False
            await base.change_locked(current, status=ParticipantStatus.UNREACHABLE,
                                     unreachable_since=base.clock())
        await base.audit("unreachable", "bot", participant.pid, group=participant.group)
        return True
