"""Questionnaires in the chat: which are open for a participant, and answering them item
by item.

The response record (``QuestionnaireResponse``) is saved after every answer with its
``position``, so a restart, a day away or another command in between resumes at the same
item; the typed flow (``FlowKind.QUESTIONNAIRE``) only says that the buttons on screen
belong to it. When the last item is answered the response is submitted, its prompts are
marked answered, and the flow ends. The rules of when are ``bot.core.questionnaires``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.content import Content
from bot.core import questionnaires as rules
from bot.core import schedule
from bot.core.content.questionnaires import Instrument
from bot.core.flows import Flow, FlowKind, FlowStep
from bot.core.models import Group, Participant, PromptKind, QuestionnaireResponse
from bot.core.questionnaires import Occasion, Scores
from bot.services.base import Base
from bot.services.practice import Practice

logger = logging.getLogger(__name__)


class Refusal(enum.StrEnum):
    UNKNOWN = "unknown"  # no such questionnaire or occasion
    CLOSED = "closed"  # not open today, or finished already
    NOT_READY = "not_ready"  # the instrument has no texts yet (a licensed key only)


@dataclass(frozen=True, slots=True)
class Question:
    """A questionnaire waiting at its item ``record.position``."""

    instrument: Instrument
    occasion: Occasion
    record: QuestionnaireResponse

    @property
    def position(self) -> int:
        return self.record.position


@dataclass(frozen=True, slots=True)
class Finished:
    instrument: Instrument
    occasion: Occasion
    record: QuestionnaireResponse
    scores: Scores


class Questionnaires:
    def __init__(self, base: Base, content: Content, practice: Practice | None = None) -> None:
        self._base = base
        self._content = content
        self._practice = practice  # a run in progress is stored as abandoned first

    def _today(self, group: Group) -> date:
        return self._base.clock().astimezone(schedule.zone(group.timezone)).date()

    async def open_for(self, participant: Participant) -> list[tuple[Occasion, Instrument]]:
        """The questionnaires this participant can fill in today, unfinished ones only."""
        group = await self._base.store.get_group(participant.group)
        if group is None:
            return []
        done = rules.submitted(await self._base.store.list_questionnaire_responses(
            participant.pid))
        found = rules.open_on(group, self._content.instruments, self._today(group), done)
        return [(o, self._content.instrument(o.instrument)) for o in found]

    async def _occasion(self, participant: Participant, ref: str
                        ) -> tuple[Occasion, Instrument] | Refusal:
        parsed = rules.parse_ref(ref)
        instrument = next((i for i in self._content.instruments
                           if parsed and i.id == parsed[0]), None)
        group = await self._base.store.get_group(participant.group)
        if parsed is None or instrument is None or group is None:
            return Refusal.UNKNOWN
        if not instrument.administrable:
            return Refusal.NOT_READY
        found = next((o for o in rules.occasions(group, instrument) if o.key == parsed[1]),
                     None)
        if found is None:
            return Refusal.UNKNOWN
        if not found.opens <= self._today(group) <= found.closes:
            return Refusal.CLOSED
        return found, instrument

    async def start(self, participant: Participant, ref: str) -> Question | Refusal:
        """Begin, or resume at the item where it stopped, the questionnaire of ``ref``."""
        found = await self._occasion(participant, ref)
        if isinstance(found, Refusal):
            return found
        occasion, instrument = found
        if self._practice is not None:
            await self._practice.abandon(participant)
        async with self._base.locks.hold(participant.pid):
            record = await self._record(participant, occasion)
            if record is not None and record.submitted_at is not None:
                return Refusal.CLOSED
            now = self._base.clock()
            if record is None:
                record = QuestionnaireResponse(
                    participant.pid, instrument.id, occasion.phase, (), None,
                    self._content.version, occasion=occasion.key, started_at=now)
                await self._base.store.save_questionnaire_response(record)
            flow = Flow.open(participant.pid, FlowKind.QUESTIONNAIRE, FlowStep.ITEM,
                             now).with_data(ref=occasion.ref)
            await self._base.store.save_flow(flow)
        return Question(instrument, occasion, record)

    async def _record(self, participant: Participant,
                      occasion: Occasion) -> QuestionnaireResponse | None:
        return next((r for r in await self._base.store.list_questionnaire_responses(
            participant.pid) if r.key == (occasion.instrument, occasion.key)), None)

    async def current(self, participant: Participant) -> Question | None:
        """The questionnaire whose buttons are on screen, if one is open."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is None or not flow.at(FlowKind.QUESTIONNAIRE, FlowStep.ITEM,
                                       self._base.clock()):
            return None
        found = await self._occasion(participant, str(flow.data.get("ref")))
        if isinstance(found, Refusal):
            await self._base.store.clear_flow(participant.pid)
            return None
        record = await self._record(participant, found[0])
        if record is None or record.submitted_at is not None:
            return None
        return Question(found[1], found[0], record)

    async def give(self, participant: Participant, at: int,
                   value: int | None) -> Question | Finished | None:
        """The answer to item ``at`` (None: skipped). None when no questionnaire waits at
        that item, the value is not one of its options, or it cannot be skipped."""
        async with self._base.locks.hold(participant.pid):
            question = await self.current(participant)
            if question is None or at != question.position:
                return None
            item = question.instrument.items[at]
            if (value is None and not item.skippable) or (
                    value is not None and value not in {o.value for o in item.options}):
                return None
            record = replace(question.record, answers=(*question.record.answers, value),
                             position=at + 1)
            if record.position < len(question.instrument.items):
                await self._base.store.save_questionnaire_response(record)
                flow = await self._base.store.get_flow(participant.pid)
                if flow is not None:
                    await self._base.store.save_flow(
                        flow.advance(FlowStep.ITEM, self._base.clock()))
                return Question(question.instrument, question.occasion, record)
            return await self._submit(participant, question, record)

    async def _submit(self, participant: Participant, question: Question,
                      record: QuestionnaireResponse) -> Finished:
        now = self._base.clock()
        record = replace(record, submitted_at=now)
        store = self._base.store
        await store.save_questionnaire_response(record)
        await store.clear_flow(participant.pid)
        ref = question.occasion.ref
        for prompt in await store.list_prompts(participant.pid):
            if (prompt.kind is PromptKind.QUESTIONNAIRE and prompt.answered_at is None
                    and prompt.ref.removesuffix(rules.REMINDER_SUFFIX) == ref):
                await store.save_prompt(replace(prompt, answered_at=now))
        logger.info("questionnaire %s submitted for %s", question.instrument.id,
                    participant.pid)
        return Finished(question.instrument, question.occasion, record,
                        rules.scores(question.instrument, record.answers))

    async def later(self, participant: Participant) -> bool:
        """Put the questionnaire aside (its answers so far are kept); False if none waits."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is None or flow.kind is not FlowKind.QUESTIONNAIRE:
            return False
        await self._base.store.clear_flow(participant.pid)
        return True

    async def unfinished(self, everyone: Sequence[Participant],
                         groups: dict[str, Group]) -> dict[str, tuple[tuple[str, date], ...]]:
        """For the tick: each participant's unfinished occasions that opened today or
        yesterday (the only days they are asked), as (ref, opening day). Responses are
        read only for the groups where one did, so an ordinary tick reads nothing more."""
        asking: dict[str, list[Occasion]] = {}
        for group in groups.values():
            today = self._today(group)
            asking[group.name] = [o for o in rules.open_on(group, self._content.instruments,
                                                           today)
                                  if today - timedelta(days=1) <= o.opens <= today]
        people = [p for p in everyone if asking.get(p.group)]
        if not people:
            return {}
        sync = self._base.store.sync
        done = await self._base.store.run(lambda: {
            p.pid: rules.submitted(sync.list_questionnaire_responses(p.pid)) for p in people})
        return {p.pid: tuple((o.ref, o.opens) for o in asking[p.group]
                             if (o.instrument, o.key) not in done[p.pid]) for p in people}
