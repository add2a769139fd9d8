"""The daily rating end to end: prompt, tap, reminder, expiry, /rate, backfill."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.models import DeliveryStatus, PromptKind, Rating, RatingKind
from tests.e2e.conftest import Harness

TODAY = date(2026, 11, 28)


def prompt_of(h: Harness, pid: str, day: date = TODAY):
    return h.store.get_prompt(pid, PromptKind.DAILY_RATING, day)


async def enrolled(h: Harness, user_id: int = 2001, **kw):
    user = h.sim.user(user_id, f"U{user_id}")
    participant = await h.enrol(user, **kw)
    return user, participant


async def test_prompt_arrives_at_the_chosen_time_and_one_tap_records_it(h: Harness) -> None:
    user, p = await enrolled(h)
    await h.tick()
    assert prompt_of(h, p.pid) is None  # 09:00 local: too early

    h.clock.advance(hours=10, minutes=30)  # 19:30 WIB
    await h.tick()
    (prompt,) = await user.wait_for_bot(1)
    assert "stres" in prompt.text and len(prompt.flat_buttons) == 11
    record = prompt_of(h, p.pid)
    assert record.delivery is DeliveryStatus.SENT and record.sent_at == h.clock()
    assert record.message_id == prompt.message_id

    h.clock.advance(minutes=3)
    await user.press("6")
    (saved,) = await user.wait_for_bot(1, edits=True)
    assert "6" in saved.text and saved.buttons == []
    (rating,) = h.store.list_ratings(p.pid)
    assert (rating.value, rating.kind, rating.local_date) == (6, RatingKind.PROMPTED, TODAY)
    assert rating.content_version == h.app.bot_data["jeda"].content.version
    assert prompt_of(h, p.pid).answered_at == h.clock()

    await h.tick()  # nothing more today
    await h.sim.wait_until_idle()
    assert [m.text for m in user.bot_messages].count(prompt.text) == 1


async def test_second_tap_on_the_same_prompt_does_not_add_a_rating(h: Harness) -> None:
    user, p = await enrolled(h)
    h.clock.advance(hours=10, minutes=30)
    await h.tick()
    (prompt,) = await user.wait_for_bot(1)
    data = next(b["callback_data"] for b in prompt.flat_buttons if b["text"] == "9")
    await user.press("4")
    await user.wait_for_bot(1, edits=True)
    await user.press_data(data, message_id=prompt.message_id)
    answer = await user.wait_for_answer()
    assert "sudah Anda jawab" in answer
    assert [r.value for r in h.store.list_ratings(p.pid)] == [4]


async def test_one_reminder_then_expiry_then_a_kind_refusal(h: Harness) -> None:
    user, p = await enrolled(h)
    h.clock.advance(hours=10, minutes=30)
    await h.tick()
    (prompt,) = await user.wait_for_bot(1)

    h.clock.advance(hours=1, minutes=59)
    await h.tick()
    await h.sim.wait_until_idle()
    assert prompt_of(h, p.pid).reminded_at is None

    h.clock.advance(minutes=1)  # 21:30 WIB, two hours after the prompt
    await h.tick()
    (reminder,) = await user.wait_for_bot(1)
    assert "Pengingat" in reminder.text
    assert prompt_of(h, p.pid).reminded_at == h.clock()
    h.clock.advance(minutes=10)
    await h.tick()
    await h.sim.wait_until_idle()
    assert sum("Pengingat" in m.text for m in user.bot_messages) == 1

    h.clock.set(h.clock().replace(hour=17, minute=0))  # 00:00 WIB on the next day
    await h.tick()
    assert prompt_of(h, p.pid).expired_at == h.clock()
    await user.press("3", message_id=prompt.message_id)
    assert "lewat waktunya" in await user.wait_for_answer()
    assert h.store.list_ratings(p.pid) == []


async def test_rate_command_any_time_and_backfill_of_yesterday_only(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/rate")
    (question,) = await user.wait_for_bot(1)
    # enrolled today: yesterday was before consent, so it cannot be filled in
    assert question.buttons[-1] != ["Isi untuk kemarin"]
    await user.press("2")
    await user.wait_for_bot(1, edits=True)
    await user.press_data("rate:b:20261127:5")  # a forged backfill for the day before
    await user.wait_for_answer()
    (rating,) = h.store.list_ratings(p.pid)
    assert rating.kind is RatingKind.SELF_INITIATED and rating.local_date == TODAY
    # a /rate answer settles today's prompt: no prompt later today
    assert prompt_of(h, p.pid).delivery is DeliveryStatus.SKIPPED
    h.clock.advance(hours=11)
    await h.tick()
    await h.sim.wait_until_idle()
    assert not any("Seberapa stres Anda hari ini" in m.text for m in user.bot_messages)

    # two days later, yesterday (29 Nov) has no rating and may be filled in
    h.clock.advance(days=2)
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("Isi untuk kemarin")
    (yesterday,) = await user.wait_for_bot(1, edits=True)
    assert "kemarin" in yesterday.text
    await user.press("7")
    await user.wait_for_bot(1, edits=True)
    backfill = [r for r in h.store.list_ratings(p.pid) if r.kind is RatingKind.BACKFILL]
    assert [(r.value, r.local_date) for r in backfill] == [(7, TODAY + timedelta(days=1))]

    # the same backfill button again, and the day before yesterday, are refused
    await user.press_data("rate:b:20261129:5")
    await user.wait_for_answer()
    await user.press_data("rate:b:20261128:5")
    await user.wait_for_answer()
    assert len(h.store.list_ratings(p.pid)) == 2


async def test_forged_and_out_of_range_payloads_change_nothing(h: Harness) -> None:
    user, p = await enrolled(h)
    for data in ("rate:p:20261128:11", "rate:s:20261128:99", "rate:p:20261128:5",
                 "rate:s:20261201:5", "rate:x:1:1", "lang:fr", "pt:2599", "del:yes", "junk"):
        await user.press_data(data)
        await user.wait_for_answer()
    assert h.store.list_ratings(p.pid) == []
    # a forged "del:yes" without the two confirmation steps erases nothing
    assert h.participant(user) is not None


async def test_a_tick_decided_before_a_tap_never_undoes_the_answer(h: Harness) -> None:
    """The tick reads records at its start; a tap may land before it acts (reviewer 1.1)."""
    from bot.chat import jobs
    from bot.core import schedule

    user, p = await enrolled(h)
    h.clock.advance(hours=10, minutes=30)
    await h.tick()
    await user.wait_for_bot(1)
    h.clock.advance(hours=2)
    stale = prompt_of(h, p.pid)
    (reminder,) = schedule.due_actions([h.participant(user)], lambda pid: [stale], h.clock(),
                                       "v")
    assert reminder.kind is schedule.ActionKind.SEND_REMINDER
    await user.press("5")  # the answer lands first
    await user.wait_for_bot(1, edits=True)
    assert await h.jeda.delivery.perform(h.participant(user), reminder, h.clock(),
                                         jobs.sender(h.context)) == "stale"
    record = prompt_of(h, p.pid)
    assert record.answered_at is not None and record.reminded_at is None
    await h.sim.wait_until_idle()
    assert not any("Pengingat" in m.text for m in user.bot_messages)


async def test_a_daily_prompt_decided_before_rate_is_not_sent(h: Harness) -> None:
    from bot.chat import jobs
    from bot.core import schedule

    user, p = await enrolled(h)
    h.clock.advance(hours=10, minutes=30)
    (send,) = schedule.due_actions([h.participant(user)], lambda pid: [], h.clock(), "v")
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("4")
    await user.wait_for_bot(1, edits=True)
    assert await h.jeda.delivery.perform(h.participant(user), send, h.clock(),
                                         jobs.sender(h.context)) == "stale"
    assert prompt_of(h, p.pid).delivery is DeliveryStatus.SKIPPED


async def test_a_second_rating_today_is_not_called_the_first(h: Harness) -> None:
    user, p = await enrolled(h)
    for value, first in (("4", True), ("6", False)):
        await user.send("/rate")
        await user.wait_for_bot(1)
        await user.press(value)
        (saved,) = await user.wait_for_bot(1, edits=True)
        assert ("catatan pertama" in saved.text) is first


async def test_the_average_uses_a_decimal_comma_in_indonesian(h: Harness) -> None:
    user, p = await enrolled(h)
    for days_ago, value in ((1, 5), (2, 6), (3, 5)):
        h.store.add_rating(Rating(p.pid, TODAY - timedelta(days=days_ago), value,
                                  RatingKind.PROMPTED, h.clock(), "v"))
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("9")
    (saved,) = await user.wait_for_bot(1, edits=True)
    assert "(5,3)" in saved.text
