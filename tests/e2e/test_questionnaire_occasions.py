"""Questionnaires end to end, the edges: a button of another questionnaire, content that
loses items part way, a flow that expired, who is invited when (joining late, the bot
down on the opening day, a participant in another zone than the group's), and what an
ordinary tick reads."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import yaml

from bot.content import Content, load_content
from bot.core import questionnaires as rules
from bot.core.models import PromptKind
from bot.simulator import Limits, SimUser
from tests.e2e.conftest import Harness, running
from tests.e2e.test_questionnaires import PRE_DAY, STALE, filled_content, responses

EVENING = timedelta(hours=10, minutes=30)  # from 09:00 to 19:30 in Jakarta
INVITE = "Today there is a short questionnaire"
REMINDER = "still open"


@pytest.fixture
async def q(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running(tmp_path, Limits(per_chat_burst=50), PRE_DAY,
                       filled_content(tmp_path)) as harness:
        yield harness


def edited(tmp_path: Path, name: str, change: dict[str, object]) -> Content:
    """The filled content (``filled_content``) with ``change`` made to one instrument
    (to the folder's copy, when there is one already)."""
    if not (tmp_path / "content").exists():
        filled_content(tmp_path)
    path = tmp_path / "content" / "questionnaires" / f"{name}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc.update(change)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    return load_content(tmp_path / "content")


def questionnaire_refs(h: Harness, user: SimUser) -> list[tuple[str, str]]:
    return [(p.local_date.isoformat(), p.ref) for p in h.store.list_prompts(
        h.jeda.pid_for(user.id)) if p.kind is PromptKind.QUESTIONNAIRE]


def by_instrument(h: Harness, user: SimUser) -> dict[str, tuple[int, tuple[int | None, ...]]]:
    return {r.instrument: (r.position, r.answers) for r in responses(h, user)}


async def test_a_button_of_another_questionnaire_is_refused_and_stores_nothing(
        tmp_path: Path) -> None:
    both = edited(tmp_path, "weekly-check", {"administer_at": ["pre", "weekly"]})
    async with running(tmp_path, Limits(per_chat_burst=50), PRE_DAY, both) as h:
        user = h.sim.user(2101)
        await h.enrol(user, language="English")
        await user.send("/questionnaire")
        (pick,) = await user.wait_for_bot(1)
        labels = [b["text"] for b in pick.flat_buttons]
        assert len(labels) == 2 and "PSS-10" in labels[0] and "Weekly" in labels[1]
        await user.press(index=1)  # A: the PSS-10
        (a,) = await user.wait_for_bot(1)
        assert "Test item 1" in (a.text or "")
        await user.send("/questionnaire")
        await user.wait_for_bot(1)
        await user.press(index=2)  # B: the weekly check, from the list
        (b,) = await user.wait_for_bot(1)
        assert "1/4" in (b.text or "")
        await user.press(index=3, message_id=a.message_id)  # A's old message: "Sometimes"
        answer = await user.wait_for_answer()
        assert "another questionnaire" in answer and "/questionnaire" in answer
        assert by_instrument(h, user) == {"pss10": (0, ()), "weekly-check": (0, ())}
        await user.press(index=3, message_id=b.message_id)  # B's own button: taken
        (shown,) = await user.wait_for_bot(1, edits=True)
        assert "2/4" in (shown.text or "")
        assert by_instrument(h, user) == {"pss10": (0, ()), "weekly-check": (1, (2,))}


async def test_an_instrument_that_lost_items_part_way_finishes_with_the_rest_missing(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with running(tmp_path, Limits(per_chat_burst=50), PRE_DAY,
                       filled_content(tmp_path)) as h:
        user = h.sim.user(2102)
        await h.enrol(user, language="English")
        await user.send("/questionnaire")
        await user.wait_for_bot(1)
        for n in (3, 4, 2, 4):  # Sometimes, Fairly often, Almost never, Fairly often
            await user.press(index=n)
            await user.wait_for_bot(1, edits=True)
        pss = yaml.safe_load((tmp_path / "content" / "questionnaires" / "pss10.yaml")
                             .read_text())
        h.content = edited(tmp_path, "pss10", {
            "items": pss["items"][:3],
            "subscales": [{**pss["subscales"][0], "items": ["pss01", "pss02", "pss03"]}],
            "scoring": {**pss["scoring"], "range": [0, 12]}})
        await h.restart()  # the researcher shortened the instrument: item 5 is gone
        with caplog.at_level(logging.INFO):
            await user.press(index=1)  # "Never" on the old message's item 5
            assert await user.wait_for_answer() == STALE
            await user.send("2")  # typed while the flow is there: no traceback either
            await user.wait_for_bot(1)
            await user.send("/questionnaire")
            (done,) = await user.wait_for_bot(1)
        assert "saved" in (done.text or "")
        assert not [r for r in caplog.records if r.exc_info]
        (record,) = responses(h, user)
        assert record.submitted_at is not None and record.answers == (2, 3, 1, 3)
        assert rules.scores(h.content.instrument("pss10"), record.answers).total == 6


async def test_a_button_after_the_flow_expired_says_how_to_carry_on(q: Harness) -> None:
    user = q.sim.user(2103)
    await q.enrol(user, language="English")
    await user.send("/questionnaire")
    await user.wait_for_bot(1)
    await user.press(index=1)  # "Never"
    await user.wait_for_bot(1, edits=True)
    q.clock.advance(days=2, hours=1)  # the flow's two days are over; the occasion is open
    await user.press(index=1)
    assert await user.wait_for_answer() == STALE
    assert responses(q, user)[0].answers == (0,)
    await user.send("/questionnaire")
    resumed, item = await user.wait_for_bot(2)
    assert "question 2" in (resumed.text or "") and "2/10" in (item.text or "")


async def test_someone_who_joins_during_the_pre_occasion_is_invited_then_reminded_once(
        tmp_path: Path) -> None:
    monday = PRE_DAY + timedelta(days=3)  # the pre occasion opened on Friday
    async with running(tmp_path, Limits(per_chat_burst=50), monday,
                       filled_content(tmp_path)) as h:
        user = h.sim.user(2104)
        await h.enrol(user, language="English")
        h.clock.advance(hours=10, minutes=30)
        report = await h.tick()
        assert report.counts.get("send_prompt:sent") == 2  # the rating and the invitation
        assert any(INVITE in (m.text or "") for m in user.bot_messages[-2:])
        for _ in range(2):
            h.clock.advance(days=1)
            await h.tick()
        assert questionnaire_refs(h, user) == [("2026-11-23", "pss10@pre"),
                                               ("2026-11-24", "pss10@pre#2")]
        assert any(REMINDER in (m.text or "") for m in user.bot_messages)


async def test_an_invitation_missed_while_the_bot_was_down_comes_first(
        tmp_path: Path) -> None:
    async with running(tmp_path, Limits(per_chat_burst=50), PRE_DAY - timedelta(days=1),
                       filled_content(tmp_path)) as h:
        user = h.sim.user(2105)
        await h.enrol(user, language="English")
        h.clock.set(PRE_DAY + timedelta(days=1) + EVENING)  # no tick on the opening day
        await h.tick()
        texts = [m.text or "" for m in user.bot_messages[-2:]]
        assert any(INVITE in t for t in texts) and not any(REMINDER in t for t in texts)
        h.clock.advance(days=1)
        await h.tick()
        assert any(REMINDER in (m.text or "") for m in user.bot_messages[-2:])
        assert questionnaire_refs(h, user) == [("2026-11-21", "pss10@pre"),
                                               ("2026-11-22", "pss10@pre#2")]


async def test_days_are_the_participants_own_not_the_groups(tmp_path: Path) -> None:
    """Group in Jakarta (UTC+7), participant in Jayapura (UTC+9): at 01:05 on 20 November
    in Jayapura it is still the 19th in Jakarta, and the pre occasion is open for them."""
    async with running(tmp_path, Limits(per_chat_burst=50), PRE_DAY - timedelta(days=1),
                       filled_content(tmp_path)) as h:
        user = h.sim.user(2106)
        joined = await h.enrol(user, language="English", zone="WIT")
        assert joined.timezone == "Asia/Jayapura"
        h.store.save_participant(replace(joined, prompt_time=time(1, 0)))
        h.clock.set(datetime(2026, 11, 19, 16, 5, tzinfo=UTC))  # 01:05 WIT, 23:05 WIB
        report = await h.tick()
        assert report.counts.get("send_prompt:sent") == 2  # the rating and the invitation
        assert questionnaire_refs(h, user) == [("2026-11-20", "pss10@pre")]
        await user.send("/questionnaire")
        (first,) = await user.wait_for_bot(1)
        assert "1/10" in (first.text or "")
        # the last day: the 26th in Jakarta is already the 27th (session 1) in Jayapura
        h.clock.set(datetime(2026, 11, 26, 16, 5, tzinfo=UTC))
        await user.send("/questionnaire")
        (none,) = await user.wait_for_bot(1)
        assert "no questionnaire" in (none.text or "")


async def test_an_ordinary_tick_reads_no_questionnaire_records(
        q: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    user = q.sim.user(2107)
    await q.enrol(user, language="English")
    reads: list[str] = []
    original = q.store.list_questionnaire_responses

    def counted(pid: str) -> list[object]:
        reads.append(pid)
        return original(pid)  # type: ignore[return-value]

    monkeypatch.setattr(q.store, "list_questionnaire_responses", counted)

    async def tick_reads(**delta: float) -> int:
        reads.clear()
        q.clock.advance(**delta)
        await q.tick()
        return len(reads)

    assert await tick_reads(hours=3) == 0  # the opening day, before the daily time
    assert await tick_reads(hours=7, minutes=30) > 0  # 19:30: the invitation goes out
    assert await tick_reads(minutes=1) == 0  # it has that day's prompt
    assert await tick_reads(hours=2) == 0
    assert await tick_reads(hours=16) == 0  # the next day, before the daily time
    assert await tick_reads(hours=6) > 0  # 19:31: the reminder
    assert await tick_reads(minutes=1) == 0
    assert await tick_reads(days=1) == 0  # invited and reminded: nothing more to read
    assert [ref for _, ref in questionnaire_refs(q, user)] == ["pss10@pre", "pss10@pre#2"]
