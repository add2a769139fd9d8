"""Practice sent, not only offered: each participant's plan for the reconcile tick (what
the calendar opens and which check-ins are due). The rules are ``bot.core.invitations``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bot.content import Content
from bot.core import calendar, schedule
from bot.core.content.exercises import ExerciseKind
from bot.core.invitations import Plan
from bot.core.models import Group, Participant, Prompt
from bot.services.base import Base
from bot.services.questionnaires import Questionnaires
from storage import StorageError

logger = logging.getLogger(__name__)

# reminders have their own schedule; they are turned on from /practice, not invited to
NOT_INVITED = frozenset({ExerciseKind.REMINDER})


class Invitations:
    def __init__(self, base: Base, content: Content, questionnaires: Questionnaires) -> None:
        self._base = base
        self._content = content
        self._questionnaires = questionnaires

    async def plans(self, everyone: Sequence[Participant],
                    prompts_for: Callable[[str], Sequence[Prompt]] | None = None
                    ) -> Callable[[Participant], Plan]:
        """What each participant may be invited to now: one read of the groups per tick
        (and of the questionnaires of those a questionnaire message may be due to now,
        judged from ``prompts_for``: the prompt records the tick has read)."""
        try:
            groups = {g.name: g for g in await self._base.store.list_groups()}
        except StorageError:  # the registry is unreadable (in quarantine; the admins are
            # told): the daily question goes on from the participants' own files, only the
            # group-calendar invitations wait until the registry is restored
            logger.error("the registry cannot be read: invitations wait, daily prompts go on")
            groups = {}
        asked = await self._questionnaires.unfinished(everyone, groups, prompts_for)
        now = self._base.clock()
        newest: dict[str, tuple[str, ...]] = {}

        def candidates(group: Group) -> tuple[str, ...]:
            if group.name not in newest:
                today = now.astimezone(schedule.zone(group.timezone)).date()
                held = calendar.open_sessions(group, today)
                modules = self._content.modules_up_to(held) if held else ()
                newest[group.name] = tuple(
                    e.id for e in (modules[-1].exercises if modules else ())
                    if e.kind not in NOT_INVITED)
            return newest[group.name]

        def plan(participant: Participant) -> Plan:
            group = groups.get(participant.group)
            return Plan(candidates(group) if group is not None else (),
                        tuple((f.run_id, f.due) for f in participant.follow_ups),
                        asked.get(participant.pid, ()))

        return plan
