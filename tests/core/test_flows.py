"""Typed flows: steps belong to their kind, each kind expires after its own time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.flows import EXPIRY, STEPS, Flow, FlowKind, FlowStep

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_every_kind_has_steps_and_an_expiry() -> None:
    assert set(STEPS) == set(FlowKind) == set(EXPIRY)


def test_a_step_of_another_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        Flow.open("P1", FlowKind.PAUSE, FlowStep.CONFIRM, AT)


@pytest.mark.parametrize("kind", list(FlowKind))
def test_a_flow_expires_after_its_last_step_not_its_first(kind: FlowKind) -> None:
    step = sorted(STEPS[kind])[0]
    flow = Flow.open("P1", kind, step, AT)
    ttl = EXPIRY[kind]
    assert flow.is_open(AT + ttl - timedelta(seconds=1))
    assert not flow.is_open(AT + ttl)
    later = flow.advance(step, AT + ttl - timedelta(seconds=1))
    assert later.is_open(AT + ttl + timedelta(seconds=1))
    assert later.started_at == AT


def test_at_checks_kind_step_and_time() -> None:
    flow = Flow.open("P1", FlowKind.DELETE, FlowStep.ASK, AT).shown_in(9)
    assert flow.at(FlowKind.DELETE, FlowStep.ASK, AT) and flow.message_id == 9
    assert not flow.at(FlowKind.DELETE, FlowStep.CONFIRM, AT)
    assert not flow.at(FlowKind.WITHDRAW, FlowStep.CHOOSE, AT)
    assert not flow.at(FlowKind.DELETE, FlowStep.ASK, AT + timedelta(hours=1))
