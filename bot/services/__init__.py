"""The services: everything Jeda does, by area, behind intention-revealing methods.

Handlers, jobs and the CLI's admin commands call these; only these touch the store.
Each service gets the shared ``Base`` (store, content, clock, locks, audit); none of them
knows Telegram. ``Jeda`` holds one of each.
"""

from __future__ import annotations

from bot.content import Content
from bot.core import identity, schedule
from bot.core.models import Participant
from bot.services.access import Access
from bot.services.alerts import Alerts
from bot.services.base import Base, Clock
from bot.services.breaths import Breathing, Guides
from bot.services.delivery import Delivery
from bot.services.enrolment import Enrolment
from bot.services.flows import Flows
from bot.services.groups import Groups
from bot.services.invitations import Invitations
from bot.services.operations import Operations
from bot.services.participants import Participants
from bot.services.practice import Practice
from bot.services.progress import Progress
from bot.services.questionnaires import Questionnaires
from bot.services.ratings import Ratings
from bot.services.research import Research
from bot.services.safety import Safety
from bot.services.scripts import Scripts
from bot.services.summaries import Summaries
from bot.services.warnings import Warnings
from storage.aio import AsyncStore


class Jeda:
    """One of each service, sharing one store, content, clock and set of locks."""

    def __init__(
        self,
        store: AsyncStore,
        content: Content,
        clock: Clock,
        admin_ids: frozenset[int] = frozenset(),
        schedule_config: schedule.ScheduleConfig | None = None,
        reminder_minutes: int = 120,
    ) -> None:
        config = schedule_config or schedule.ScheduleConfig()
        secret = store.sync.secret_key()  # read once: pseudonyms and invite hashes need it
        base = Base(store, secret, clock)
        self._secret = secret
        self.content = content
        self.clock = clock
        self.access = Access(base, admin_ids)
        self.enrolment = Enrolment(base, content, reminder_minutes)
        self.participants = Participants(base, config)
        self.flows = Flows(base)
        self.ratings = Ratings(base, content, config)
        self.safety = Safety(base, content.safety)
        self.groups = Groups(base)
        self.practice = Practice(base, content)
        self.questionnaires = Questionnaires(base, content, self.practice)
        self.invitations = Invitations(base, content, self.questionnaires)
        self.delivery = Delivery(base, content, config, self.participants, self.invitations)
        self.operations = Operations(base)
        self.breathing = Breathing(base, self.practice)
        self.guides = Guides(base, self.practice)
        self.progress = Progress(base)
        self.scripts = Scripts(base, content)
        self.summaries = Summaries(base)
        self.warnings = Warnings(base)
        self.alerts = Alerts(base, self.access)
        self.research = Research(base, content)

    @property
    def admin_ids(self) -> frozenset[int]:
        return self.access.admin_ids

    def pid_for(self, telegram_id: int) -> str:
        """The research pseudonym of a Telegram user."""
        return identity.pseudonym(self._secret, telegram_id)

    def alias_for(self, participant: Participant) -> str:
        """How facilitators know this participant (never the research pseudonym)."""
        return identity.facilitator_alias(self._secret, participant.pid)

    async def participant(self, telegram_id: int) -> Participant | None:
        return await self.participants.get(telegram_id)
