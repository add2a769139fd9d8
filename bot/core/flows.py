"""Typed flows: what the bot is waiting for from one participant, as a small state machine.

A flow is opened by a command (``/settings``, ``/pause``, ``/rate``...) and lives in
storage, one record per participant, so a restart resumes it at the same step. Each kind
has its own steps and its own expiry, measured from the last step: a settings menu left
for a quarter of an hour is stale, an exercise may take an evening, a questionnaire
several days. Pressing a button of a flow that is no longer open changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import MappingProxyType

FlowValue = str | int | float | bool | None


class FlowKind(enum.StrEnum):
    SETTINGS = "settings"  # the /settings menu, then one setting being chosen or typed
    PAUSE = "pause"  # how many days of quiet
    RATE = "rate"  # the /rate keyboard
    WITHDRAW = "withdraw"  # keep or erase the data
    DELETE = "delete"  # two confirmations
    PRACTICE = "practice"  # an exercise being run, slot by slot
    QUESTIONNAIRE = "questionnaire"  # a questionnaire being answered, item by item


class FlowStep(enum.StrEnum):
    MENU = "menu"  # settings: the overview with its buttons
    TIME = "time"  # settings: a new daily time
    ZONE = "zone"  # settings: a new time zone
    LANGUAGE = "language"  # settings: a new language
    DAYS = "days"  # pause: the number of days
    PICK = "pick"  # rate: a value on the keyboard
    CHOOSE = "choose"  # withdraw: keep or erase
    ASK = "ask"  # delete: the first confirmation
    CONFIRM = "confirm"  # delete: the second confirmation
    RUN = "run"  # practice: somewhere in the run (its position is in the data)
    ITEM = "item"  # questionnaire: at an item (its position is in the response record)


STEPS: dict[FlowKind, frozenset[FlowStep]] = {
    FlowKind.SETTINGS: frozenset({FlowStep.MENU, FlowStep.TIME, FlowStep.ZONE,
                                  FlowStep.LANGUAGE}),
    FlowKind.PAUSE: frozenset({FlowStep.DAYS}),
    FlowKind.RATE: frozenset({FlowStep.PICK}),
    FlowKind.WITHDRAW: frozenset({FlowStep.CHOOSE}),
    FlowKind.DELETE: frozenset({FlowStep.ASK, FlowStep.CONFIRM}),
    FlowKind.PRACTICE: frozenset({FlowStep.RUN}),
    FlowKind.QUESTIONNAIRE: frozenset({FlowStep.ITEM}),
}

# how long a flow stays open after its last step
EXPIRY: dict[FlowKind, timedelta] = {
    FlowKind.SETTINGS: timedelta(minutes=15),
    FlowKind.PAUSE: timedelta(minutes=15),
    FlowKind.RATE: timedelta(minutes=15),
    FlowKind.WITHDRAW: timedelta(minutes=15),
    FlowKind.DELETE: timedelta(minutes=15),
    FlowKind.PRACTICE: timedelta(hours=6),  # an exercise may take an evening
    # the answers so far are in the response record: after this, /questionnaire resumes
    FlowKind.QUESTIONNAIRE: timedelta(days=2),
}


@dataclass(frozen=True, slots=True)
class Flow:
    """One open flow of one participant: its kind, its step, and the message with its
    buttons (so ``/cancel`` can take them away)."""

    pid: str
    kind: FlowKind
    step: FlowStep
    started_at: datetime
    updated_at: datetime
    message_id: int | None = None
    # what the flow has gathered so far (an exercise's answers, a run's id...): plain
    # values only, so it stores as JSON and reads back the same
    data: Mapping[str, FlowValue] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if self.step not in STEPS[self.kind]:
            raise ValueError(f"{self.kind.value} has no step {self.step.value}")

    @classmethod
    def open(cls, pid: str, kind: FlowKind, step: FlowStep, now: datetime) -> Flow:
        """A new flow at its first step."""
        return cls(pid, kind, step, started_at=now, updated_at=now)

    def expires_at(self) -> datetime:
        return self.updated_at + EXPIRY[self.kind]

    def is_open(self, now: datetime) -> bool:
        """Whether the flow is still waiting at ``now`` (it expires after its last step)."""
        return now < self.expires_at()

    def at(self, kind: FlowKind, step: FlowStep, now: datetime) -> bool:
        """Whether this flow is open at ``now`` and waiting at ``kind``/``step``."""
        return self.kind is kind and self.step is step and self.is_open(now)

    def advance(self, step: FlowStep, now: datetime) -> Flow:
        """The same flow at its next step."""
        return replace(self, step=step, updated_at=now)

    def shown_in(self, message_id: int | None) -> Flow:
        """The same flow, noting the message that holds its buttons."""
        return replace(self, message_id=message_id)

    def with_data(self, **values: FlowValue) -> Flow:
        """The same flow with ``values`` added to what it has gathered."""
        return replace(self, data=MappingProxyType({**self.data, **values}))
