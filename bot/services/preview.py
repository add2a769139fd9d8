"""``jeda preview``: what the bot will send for a group, and when, from a week before the
pre meeting to a week after the post meeting, so a programme can be checked before it
starts. The real tick (``Delivery``) runs over the days on a copy of the group in memory,
with a clock that jumps and a sender that only writes down; nothing is sent and the
real data is not touched.

Who is in it: the group's active participants, as they are set up (their times, zones,
practice choices), under plain labels; a group nobody has joined yet gets one example
participant with the defaults. Everyone is taken to answer the daily question at once
(so no reminder), and to leave questionnaires unfinished (so their reminder shows).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from bot.content import Content
from bot.core import summary
from bot.core.models import (
    Consent,
    Group,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
)
from bot.core.schedule import ScheduleConfig
from bot.services.base import Base
from bot.services.delivery import Delivery, SendOutcome, Sent
from bot.services.invitations import Invitations
from bot.services.participants import Participants
from bot.services.questionnaires import Questionnaires
from storage.aio import InlineStore
from storage.memory import MemoryStore

STEP = timedelta(minutes=15)  # the tick's pace here (the bot's is a minute): times are
# taken from what was scheduled, so a 19:40 question still reads 19:40
MARGIN = timedelta(days=7)
EXAMPLE = "Pexample"  # the pid of the example participant (``example``)


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime  # in the group's zone
    kind: str  # a PromptKind value, "summary", "digest", "session", "pre", "post"
    who: str  # a participant's label, "facilitators", or "" for the group
    ref: str = ""  # which exercise, questionnaire or session


def example(group: Group, start: datetime) -> Participant:
    """The participant a group without anyone yet is previewed with: the defaults."""
    return Participant(EXAMPLE, 0, 0, group.name, start, timezone=group.timezone,
                       status=ParticipantStatus.ACTIVE, onboarding_step=OnboardingStep.DONE,
                       consent=Consent(True, start, "preview"), active_since=start)


def span(group: Group) -> tuple[date, date]:
    days = [d for d in (group.pre_date, *group.session_dates, group.post_date) if d]
    if not days:
        raise ValueError("the group has no dates yet: set them with jeda group set")
    return min(days) - MARGIN, max(days) + MARGIN


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return UTC


async def preview(group: Group, people: list[Participant], content: Content,
                  config: ScheduleConfig) -> tuple[list[Event], dict[str, str]]:
    """Every message of the programme in time order, and who each label is (pid)."""
    first, last = span(group)
    zone = _zone(group.timezone)
    start = datetime.combine(first, time(0), zone)
    active = [p for p in people if p.status is ParticipantStatus.ACTIVE] or [
        example(group, start - timedelta(days=1))]
    labels = {p.pid: f"P{n}" for n, p in enumerate(active, 1)}
    clock = [start]
    store = MemoryStore()
    before = summary.Week.of(first).previous().label  # nothing from before the preview
    store.add_group(replace(group, summaries_sent=(before,), digests_sent=()))
    for person in active:  # as they are now, taking part from before the preview begins
        store.save_participant(replace(person, active_since=min(
            person.active_since or start, start - timedelta(days=1)), paused_until=None))
    base = Base(InlineStore(store), b"preview" * 5, lambda: clock[0])
    delivery = Delivery(base, content, config, Participants(base, config),
                        Invitations(base, content, Questionnaires(base, content)))
    events: list[Event] = []

    asked: list[Prompt] = []  # this tick's daily questions, answered once it is over

    async def send(person: Participant, prompt: Prompt, reminder: bool) -> Sent:
        kind = "daily_reminder" if reminder else prompt.kind.value
        events.append(Event(prompt.scheduled_at.astimezone(zone) if not reminder else
                            clock[0].astimezone(zone), kind, labels[person.pid], prompt.ref))
        if prompt.kind is PromptKind.DAILY_RATING and not reminder:
            asked.append(prompt)
        return Sent(SendOutcome.SENT, message_id=1)

    def answer() -> None:  # everyone answers the daily question as soon as it came
        for prompt in asked:
            sent = store.get_prompt(prompt.pid, prompt.kind, prompt.local_date)
            if sent is not None and sent.answered_at is None:
                store.save_prompt(replace(sent, answered_at=clock[0]))
        asked.clear()

    end = datetime.combine(last + timedelta(days=1), time(0), zone)
    while clock[0] < end:
        await delivery.tick(send)
        answer()
        events.extend(_group_events(store, group.name, clock[0].astimezone(zone)))
        clock[0] += STEP
    for k, day in enumerate(group.session_dates, 1):
        events.append(Event(datetime.combine(day, time(0), zone), "session", "", str(k)))
    for kind, meeting in (("pre", group.pre_date), ("post", group.post_date)):
        if meeting is not None:
            events.append(Event(datetime.combine(meeting, time(0), zone), kind, ""))
    return sorted(events, key=lambda e: (e.at, e.kind, e.who, e.ref)), {
        label: pid for pid, label in labels.items()}


def _group_events(store: MemoryStore, name: str, local: datetime) -> list[Event]:
    """The weekly summary and the eve-of-session digest, when due (marked sent here)."""
    group = store.get_group(name)
    assert group is not None
    out = []
    week = summary.summary_due(group, local)
    if week is not None:
        out.append(Event(local.replace(hour=group.summary_time.hour,
                                       minute=group.summary_time.minute), "summary",
                         "facilitators", week.label))
        group = replace(group, summaries_sent=(*group.summaries_sent, week.label))
    session = summary.digest_due(group, local)
    if session is not None:
        out.append(Event(local.replace(hour=group.summary_time.hour,
                                       minute=group.summary_time.minute), "digest",
                         "facilitators", str(session)))
        group = replace(group, digests_sent=(*group.digests_sent, session))
    if out:
        store.save_group(group)
    return out
