"""Questionnaires in the chat, end to end: asked by the tick on their day, answered item by
item with buttons (one message edited in place), resumed after a restart at the same item,
skipped where allowed, reminded once the next day, scored as by hand."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.content import Content, default_content_dir, load_content
from bot.core import questionnaires as rules
from bot.core.models import PromptKind, QuestionnaireResponse
from bot.simulator import Limits, SimUser
from tests.e2e.conftest import Harness, running

# Friday 20 November 2026, 09:00 in Jakarta: the group's pre-assessment day
PRE_DAY = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
EVENING = timedelta(hours=10, minutes=30)  # 19:30 in Jakarta
LABELS = ["Never", "Almost never", "Sometimes", "Fairly often", "Very often"]
STALE = "This button is no longer valid. Type /questionnaire to carry on."


def filled_content(tmp_path: Path) -> Content:
    """The shipped content with placeholder texts in the PSS-10 key (as a researcher
    would fill in the licensed wording; these are not its items)."""
    folder = tmp_path / "content"
    shutil.copytree(default_content_dir(), folder)
    path = folder / "questionnaires" / "pss10.yaml"
    doc = yaml.safe_load(path.read_text())
    for n, item in enumerate(doc["items"], 1):
        item["text"] = {"id": f"Butir uji {n}", "en": f"Test item {n}"}
    for option, label in zip(doc["response_options"], LABELS, strict=True):
        option["label"] = {"id": label, "en": label}
    doc["instructions"] = {"id": "Petunjuk uji.", "en": "Test instructions."}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    return load_content(folder)


@pytest.fixture
async def q(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running(tmp_path, Limits(per_chat_burst=50), PRE_DAY,
                       filled_content(tmp_path)) as harness:
        yield harness


def responses(h: Harness, user: SimUser) -> list[QuestionnaireResponse]:
    return h.store.list_questionnaire_responses(h.jeda.pid_for(user.id))


def place(label: str) -> str:
    """A PSS-10 button as shown: words, so the place to type stands in front."""
    return f"{LABELS.index(label) + 1} · {label}"


async def answer(user: SimUser, label: str) -> str:
    await user.press(place(label) if label in LABELS else label)
    (shown,) = await user.wait_for_bot(1, edits=True)
    return shown.text or ""


async def test_asked_on_its_day_resumed_after_a_restart_and_scored(q: Harness) -> None:
    user = q.sim.user(2001)
    await q.enrol(user, language="English")
    q.clock.advance(hours=10, minutes=30)
    report = await q.tick()
    assert report.counts.get("send_prompt:sent") == 2  # the daily rating and the PSS-10
    sent = user.bot_messages[-2:]
    invite = next(m for m in sent if "questionnaire" in (m.text or ""))
    assert "10 questions" in (invite.text or "")
    await user.press("Start")
    (first,) = await user.wait_for_bot(1)
    assert "1/10" in (first.text or "") and "Test instructions." in (first.text or "")
    assert "Test item 1" in (first.text or "")
    assert "Skip" not in [b["text"] for b in first.flat_buttons]  # the PSS-10 needs all
    # answers 2, 3, 1, 3 (item 4 is reversed), then a restart mid-way
    for label in ("Sometimes", "Fairly often", "Almost never"):
        await answer(user, label)
    text = await answer(user, "Fairly often")
    assert "5/10" in text
    (record,) = responses(q, user)
    assert record.position == 4 and record.submitted_at is None
    await q.restart()

    await user.send("/questionnaire")
    resumed, item = await user.wait_for_bot(2)
    assert "question 5" in (resumed.text or "") and "Test item 5" in (item.text or "")
    await answer(user, "Sometimes")  # 2
    await user.send("2")  # typed: the second option, "Almost never": item 6 = 1
    (item7,) = await user.wait_for_bot(1)
    assert "Test item 7" in (item7.text or "")
    await user.send("maybe")  # not an option: kindly refused, the item again
    refused, again = await user.wait_for_bot(2)
    assert "buttons" in (refused.text or "") and "Test item 7" in (again.text or "")
    assert "in front of an option, 1 to 5" in (refused.text or "")
    for label in ("Very often", "Never", "Sometimes"):  # 4, 0, 2
        await answer(user, label)
    done = await answer(user, "Fairly often")  # 3
    assert "saved" in done
    (record,) = responses(q, user)
    assert record.answers == (2, 3, 1, 3, 2, 1, 4, 0, 2, 3)
    assert record.submitted_at is not None and record.occasion == "pre"
    pss = q.content.instrument("pss10")
    scored = rules.scores(pss, record.answers)
    assert scored.total == 19  # by hand: reverse items 4, 5, 7, 8 (see the core test)
    asked = [p for p in q.store.list_prompts(record.pid)
             if p.kind is PromptKind.QUESTIONNAIRE]
    assert [p.answered_at is not None for p in asked] == [True]

    token = rules.token("pss10@pre")
    await user.press_data(f"qa:{token}:9:3")  # the last item's button again: nothing changes
    assert await user.wait_for_answer() == STALE
    await user.press_data("qa:9:3")  # a button of the form before occasions were named
    assert await user.wait_for_answer() == STALE
    assert responses(q, user) == [record]
    q.clock.advance(days=1)
    report = await q.tick()  # the next evening: finished, so no reminder
    assert all(not k.startswith("send_prompt") or v == 1 for k, v in report.counts.items())
    assert [p.ref for p in q.store.list_prompts(record.pid)
            if p.kind is PromptKind.QUESTIONNAIRE] == ["pss10@pre"]


async def test_later_keeps_the_answers_and_the_next_day_reminds_once(q: Harness) -> None:
    user = q.sim.user(2002)
    await q.enrol(user, language="English")
    q.clock.advance(hours=10, minutes=30)
    await q.tick()
    await user.press("Start")
    await user.wait_for_bot(1)
    await answer(user, "Never")
    text = await answer(user, "Later")
    assert "/questionnaire" in text
    assert responses(q, user)[0].position == 1
    # a button of the put-aside item: expired
    await user.press_data(f"qa:{rules.token('pss10@pre')}:1:2")
    assert await user.wait_for_answer() == STALE
    assert responses(q, user)[0].position == 1

    q.clock.advance(days=1)
    report = await q.tick()
    assert report.counts.get("send_prompt:sent") == 2  # rating and the reminder
    reminder = next(m for m in user.bot_messages[-2:] if "still open" in (m.text or ""))
    await user.press("Start", message_id=reminder.message_id)
    resumed, item = await user.wait_for_bot(2)
    assert "question 2" in (resumed.text or "") and "2/10" in (item.text or "")
    q.clock.advance(days=1)
    await q.tick()  # a third day: no more asking
    refs = [p.ref for p in q.store.list_prompts(q.jeda.pid_for(user.id))
            if p.kind is PromptKind.QUESTIONNAIRE]
    assert refs == ["pss10@pre", "pss10@pre#2"]


async def test_the_weekly_check_can_be_skipped_item_by_item(tmp_path: Path) -> None:
    thursday = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # the day before session 2
    async with running(tmp_path, Limits(per_chat_burst=50), thursday) as h:
        user = h.sim.user(2003)
        await h.enrol(user)  # Bahasa Indonesia
        await user.send("/questionnaire")
        (first,) = await user.wait_for_bot(1)
        assert "Cek mingguan" in (first.text or "") and "1/4" in (first.text or "")
        await answer(user, "3")
        await answer(user, "Lewati")  # skip the hardest situation
        await answer(user, "Lewati")
        done = await answer(user, "3 · Mudah")  # words: the place in front
        assert "tersimpan" in done
        (record,) = responses(h, user)
        assert record.answers == (3, None, None, 3)
        assert record.occasion == "2026-W49" and record.submitted_at is not None
        await user.send("/questionnaire")
        (none,) = await user.wait_for_bot(1)
        assert "tidak ada kuesioner" in (none.text or "")


async def test_a_text_free_key_is_never_administered(h: Harness) -> None:
    user = h.sim.user(2004)
    h.clock.set(PRE_DAY)
    await h.enrol(user, language="English")
    h.clock.advance(hours=10, minutes=30)
    report = await h.tick()
    assert report.counts == {"send_prompt:sent": 1}  # only the daily rating
    await user.send("/questionnaire")
    (none,) = await user.wait_for_bot(1)
    assert "no questionnaire" in (none.text or "")
    await user.press_data("qs:pss10@pre")  # forged: the key has no texts
    refused = await user.wait_for_answer()
    assert "not ready yet" in refused and "told" not in refused  # nobody is told
    assert responses(h, user) == []


async def test_a_questionnaire_started_mid_exercise_stores_the_run_as_abandoned(
        tmp_path: Path) -> None:
    thursday = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    async with running(tmp_path, Limits(per_chat_burst=50), thursday) as h:
        user = h.sim.user(2005)
        await h.enrol(user)
        await user.send("/practice")
        await user.wait_for_bot(2)
        await user.press(index=1)
        await user.wait_for_bot(2)  # the run has begun
        await user.send("/questionnaire")
        (first,) = await user.wait_for_bot(1)
        assert "1/4" in (first.text or "")
        (run,) = h.store.list_exercise_runs(h.jeda.pid_for(user.id))
        assert run.completed_at is None and run.abandoned_at is not None


async def test_a_typed_number_is_the_place_of_a_word_and_the_value_of_a_number(
        q: Harness) -> None:
    user = q.sim.user(2006)
    await q.enrol(user, language="English")
    await user.send("/questionnaire")
    (first,) = await user.wait_for_bot(1)
    assert [b["text"] for b in first.flat_buttons][:5] == [place(x) for x in LABELS]
    await user.send("1")  # the first option, "Never": its value is 0
    await user.wait_for_bot(1)
    await user.send("5")  # the fifth, "Very often": 4
    await user.wait_for_bot(1)
    await user.send("0")  # no option is in place 0
    refused, again = await user.wait_for_bot(2)
    assert "1 to 5" in (refused.text or "") and "Test item 3" in (again.text or "")
    assert responses(q, user)[0].answers == (0, 4)

    q.clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))  # the weekly check's day
    await user.send("/questionnaire")
    (weekly,) = await user.wait_for_bot(1)
    assert [b["text"] for b in weekly.flat_buttons][:8] == [str(n) for n in range(8)]
    await user.send("8")  # labelled with their values, 0-7: 8 is none of them
    refused, again = await user.wait_for_bot(2)
    assert "type one of their numbers" in (refused.text or "")
    assert "in front" not in (refused.text or "")
    await user.send("7")  # the value itself
    (second,) = await user.wait_for_bot(1)
    assert "1 · Handling the children" in [b["text"] for b in second.flat_buttons]
    (record,) = [r for r in responses(q, user) if r.instrument == "weekly-check"]
    assert record.answers == (7,)
