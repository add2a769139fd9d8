"""Typed flows in storage: what the bot waits for from one participant (``bot.core.flows``)."""

from __future__ import annotations

from bot.core.flows import Flow, FlowKind, FlowStep
from bot.core.models import Participant
from bot.services.base import Base


class Flows:
    def __init__(self, base: Base) -> None:
        self._base = base

    async def current(self, participant: Participant) -> Flow | None:
        """The participant's flow if it is still open (an expired one counts as none)."""
        flow = await self._base.store.get_flow(participant.pid)
        return flow if flow is not None and flow.is_open(self._base.clock()) else None

    async def at(self, participant: Participant, kind: FlowKind, step: FlowStep) -> bool:
        """Whether the participant's open flow waits at ``kind``/``step``.

        An old "/pause" must not turn a "3" typed two days later into a pause, nor an old
        settings button change the daily time."""
        flow = await self._base.store.get_flow(participant.pid)
        return flow is not None and flow.at(kind, step, self._base.clock())

    async def open(self, participant: Participant, kind: FlowKind, step: FlowStep,
                   message_id: int | None = None) -> Flow:
        """Open a flow (replacing any other): before asking, so a quick answer finds it."""
        flow = Flow.open(participant.pid, kind, step, self._base.clock()).shown_in(message_id)
        await self._base.store.save_flow(flow)
        return flow

    async def advance(self, participant: Participant, kind: FlowKind, step: FlowStep,
                      message_id: int | None = None) -> Flow:
        """Move the open flow of ``kind`` to ``step`` (or open it there)."""
        async with self._base.locks.hold(participant.pid):
            flow = await self._base.store.get_flow(participant.pid)
            now = self._base.clock()
            if flow is None or flow.kind is not kind or not flow.is_open(now):
                flow = Flow.open(participant.pid, kind, step, now)
            else:
                flow = flow.advance(step, now)
            if message_id is not None:
                flow = flow.shown_in(message_id)
            await self._base.store.save_flow(flow)
            return flow

    async def shown_in(self, participant: Participant, kind: FlowKind, message_id: int) -> None:
        """Note which message holds the buttons of the open flow ``kind``."""
        async with self._base.locks.hold(participant.pid):
            flow = await self._base.store.get_flow(participant.pid)
            if flow is not None and flow.kind is kind:
                await self._base.store.save_flow(flow.shown_in(message_id))

    async def close(self, participant: Participant) -> Flow | None:
        """Forget the participant's flow, open or expired; return what it was (its message
        id lets ``/cancel`` take the buttons away)."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is not None:
            await self._base.store.clear_flow(participant.pid)
        return flow

    async def close_if(self, participant: Participant, kind: FlowKind) -> None:
        """Close the flow if it is of ``kind`` (a /rate keyboard answered, say)."""
        flow = await self._base.store.get_flow(participant.pid)
        if flow is not None and flow.kind is kind:
            await self._base.store.clear_flow(participant.pid)
