"""Questionnaires in the chat: which are open for a participant, and answering them item
by item.

The response record (``QuestionnaireResponse``) is saved after every answer with its
``position``, so a restart, a day away or another command in between resumes at the same
item; the typed flow (``FlowKind.QUESTIONNAIRE``) only says that the buttons on screen
belong to it (and an answer button names its occasion, so one of another questionnaire
is refused). When the last item is answered the response is submitted, its prompts are
marked answered, and the flow ends; a response whose instrument lost items since it was
started is submitted when it is next started, with the rest left missing. Days are the
participant's local days. The rules of when are ``bot.core.questionnaires``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.content import Content
from bot.core import invitations, schedule
from bot.core import questionnaires as rules
from bot.core.content.questionnaires import Instrument
from bot.core.flows import Flow, FlowKind, FlowStep
from bot.core.models import Group, Participant, Prompt, PromptKind, QuestionnaireResponse
from bot.core.questionnaires import Occasion, Scores
from bot.services.base import Base
from bot.services.practice import Practice

logger = logging.getLogger(__name__)


class Refusal(enum.StrEnum):
    UNKNOWN = "unknown"  # no such questionnaire or occasion
    CLOSED = "closed"  # not open today, or finished already
    NOT_READY = "not_ready"  # the instrument has no texts yet (a licensed key only)
    OTHER = "other"  # an answer button of another questionnaire than the open one


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

    def _today(self, participant: Participant) -> date:
        return schedule.local_today(participant, self._base.clock())

    async def open_for(self, participant: Participant) -> list[tuple[Occasion, Instrument]]:
        """The questionnaires this participant can fill in today, unfinished ones only."""
        group = await self._base.store.get_group(participant.group)
        if group is None:
            return []
        done = rules.submitted(await self._base.store.list_questionnaire_responses(
            participant.pid))
        found = rules.open_on(group, self._content.instruments, self._today(participant),
                              done)
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
        if not found.opens <= self._today(participant) <= found.closes:
            return Refusal.CLOSED
        return found, instrument

    async def start(self, participant: Participant, ref: str
                    ) -> Question | Finished | Refusal:
        """Begin, or resume at the item where it stopped, the questionnaire of ``ref``
        (Finished: its instrument has no items left after where it stopped)."""
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
            question = Question(instrument, occasion, record)
            if rules.item_at(instrument, record.position) is None:
                return await self._submit(participant, question, record)
            flow = Flow.open(participant.pid, FlowKind.QUESTIONNAIRE, FlowStep.ITEM,
                             now).with_data(ref=occasion.ref)
            await self._base.store.save_flow(flow)
        return question

    async def _record(self, participant: Participant,
                      occasion: Occasion) -> QuestionnaireResponse | None:
        return next((r for r in await self._base.store.list_questionnaire_responses(
            participant.pid) if r.key == (occasion.instrument, occasion.key)), None)

    async def current(self, participant: Participant) -> Question | None:
        """The questionnaire whose buttons are on screen, if one is open (and waits at an
        item: one past its instrument's last item waits to be started again)."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is None or not flow.at(FlowKind.QUESTIONNAIRE, FlowStep.ITEM,
                                       self._base.clock()):
            return None
        found = await self._occasion(participant, str(flow.data.get("ref")))
        if isinstance(found, Refusal):
            await self._base.store.clear_flow(participant.pid)
            return None
        record = await self._record(participant, found[0])
        if record is None or record.submitted_at is not None or rules.item_at(
                found[1], record.position) is None:
            return None
        return Question(found[1], found[0], record)

    async def _pressed(self, participant: Participant, token: str | None,
                       at: int) -> Question | Refusal | None:
        """The open questionnaire when a button of its item ``at`` (of the occasion of
        ``token``; None: typed) applies; Refusal.OTHER for another occasion's button."""
        question = await self.current(participant)
        if question is None:
            return None
        if token is not None and token != rules.token(question.occasion.ref):
            return Refusal.OTHER
        return question if at == question.position else None

    async def give(self, participant: Participant, at: int, value: int | None,
                   token: str | None = None) -> Question | Finished | Refusal | None:
        """The answer to item ``at`` (None: skipped) of the occasion of ``token`` (None:
        the open one, as for a typed answer). None when no questionnaire waits at that
        item, the value is not one of its options, or it cannot be skipped; Refusal.OTHER
        when another questionnaire is open. Nothing is stored unless it is taken."""
        async with self._base.locks.hold(participant.pid):
            question = await self._pressed(participant, token, at)
            if not isinstance(question, Question):
                return question
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

    async def later(self, participant: Participant, at: int,
                    token: str | None = None) -> bool | Refusal:
        """Put the questionnaire waiting at item ``at`` aside (its answers so far are
        kept); False if none waits there, Refusal.OTHER if another one is open."""
        async with self._base.locks.hold(participant.pid):
            question = await self._pressed(participant, token, at)
            if not isinstance(question, Question):
                return question or False
            await self._base.store.clear_flow(participant.pid)
            return True

    async def unfinished(self, everyone: Sequence[Participant], groups: dict[str, Group],
                         prompts_for: Callable[[str], Sequence[Prompt]] | None = None
                         ) -> dict[str, tuple[str, ...]]:
        """For the tick: each participant's unfinished occasions open on their local day.

        With ``prompts_for`` (the records the tick has read anyway), responses are read
        only for those whose message may be due now (``invitations.questionnaires_wanted``):
        past their daily time and without that day's message yet. So an ordinary tick,
        and any tick on a day nothing is open, reads nothing more. Without it, everyone
        past their daily time is read."""
        now = self._base.clock()
        by_day: dict[tuple[str, date], list[Occasion]] = {}
        asking: dict[str, list[Occasion]] = {}
        for person in everyone:
            group = groups.get(person.group)
            try:
                today = schedule.local_today(person, now)
            except (ValueError, KeyError):  # a corrupt zone: the tick skips them too
                continue
            if group is None or not schedule.is_active_on(person, today):
                continue
            if (group.name, today) not in by_day:
                by_day[group.name, today] = rules.open_on(group, self._content.instruments,
                                                          today)
            refs = [o.ref for o in by_day[group.name, today]]
            wanted = set(invitations.questionnaires_wanted(
                person, prompts_for(person.pid) if prompts_for is not None else (), now,
                refs))
            if wanted:
                asking[person.pid] = [o for o in by_day[group.name, today] if o.ref in wanted]
        if not asking:
            return {}
        sync = self._base.store.sync
        done = await self._base.store.run(lambda: {
            pid: rules.submitted(sync.list_questionnaire_responses(pid)) for pid in asking})
        return {pid: tuple(o.ref for o in found if (o.instrument, o.key) not in done[pid])
                for pid, found in asking.items()}
