"""Settings and rights end to end: /settings, /pause, /resume, /withdraw, /delete, /privacy."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.core import schedule
from bot.core.models import Language, ParticipantStatus, PromptKind
from tests.e2e.conftest import Harness


async def enrolled(h: Harness, user_id: int = 3001):
    user = h.sim.user(user_id, f"U{user_id}")
    return user, await h.enrol(user)


async def test_restart_in_the_middle_of_settings_resumes_at_the_same_step(h: Harness) -> None:
    from bot.core.flows import FlowKind, FlowStep

    user, p = await enrolled(h)
    await user.send("/settings")
    await user.wait_for_bot(1)
    await user.press("Jam harian")
    await user.wait_for_bot(1, edits=True)
    await h.restart()  # the open flow is in storage, not in memory
    flow = h.store.get_flow(p.pid)
    assert flow is not None and (flow.kind, flow.step) == (FlowKind.SETTINGS, FlowStep.TIME)
    await user.send("06.45")  # the typed answer still means "the daily time"
    (ok,) = await user.wait_for_bot(1)
    assert "06:45" in ok.text and h.participant(user).prompt_time == time(6, 45)
    assert h.store.get_flow(p.pid) is None
    await user.press("07:00")  # that keyboard's flow is done: the old button changes nothing
    await user.wait_for_bot(1, edits=True)
    assert h.participant(user).prompt_time == time(6, 45)


async def test_settings_change_time_zone_language_and_reminder(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/settings")
    (menu,) = await user.wait_for_bot(1)
    assert "19:30" in menu.text and "WIB" in menu.text

    await user.press("Jam harian")
    await user.wait_for_bot(1, edits=True)
    await user.send("25:00")
    (bad,) = await user.wait_for_bot(1)
    assert "belum bisa kami baca" in bad.text
    assert h.participant(user).prompt_time == time(19, 30)
    await user.send("06.45")
    (ok,) = await user.wait_for_bot(1)
    assert "06:45" in ok.text
    assert h.participant(user).prompt_time == time(6, 45)

    await user.send("/settings")
    await user.wait_for_bot(1)
    await user.press("Zona waktu")
    await user.wait_for_bot(1, edits=True)
    await user.press("WIT")
    await user.wait_for_bot(1)
    assert h.participant(user).timezone == "Asia/Jayapura"

    await user.send("/settings")
    await user.wait_for_bot(1)
    await user.press("Nonaktifkan pengingat")
    await user.wait_for_bot(1, edits=True)
    assert h.participant(user).reminder_enabled is False

    await user.send("/settings")
    await user.wait_for_bot(1)
    await user.press("Bahasa")
    await user.wait_for_bot(1, edits=True)
    await user.press("English")
    (done,) = await user.wait_for_bot(1, edits=True)
    assert "English" in done.text
    assert h.participant(user).language is Language.EN
    await user.send("/help")
    (help_text,) = await user.wait_for_bot(1)
    assert "What you can do" in help_text.text


async def test_pause_stops_prompts_and_resume_brings_them_back(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/pause")
    (ask,) = await user.wait_for_bot(1)
    await user.send("tiga")
    (bad,) = await user.wait_for_bot(1)
    assert "1 sampai 60" in bad.text
    await user.press("3 hari")
    (done,) = await user.wait_for_bot(1)
    # 09:00, today's 19:30 prompt still to come: today, 29 and 30 November are skipped
    assert "Selasa, 1 Desember 2026" in done.text
    assert "3 pertanyaan harian berikutnya" in done.text
    assert h.participant(user).status is ParticipantStatus.PAUSED

    h.clock.advance(hours=10, minutes=31)
    await h.tick()
    assert h.store.get_prompt(p.pid, PromptKind.DAILY_RATING, date(2026, 11, 28)) is None

    await user.send("/resume")
    await user.wait_for_bot(1)
    assert h.participant(user).status is ParticipantStatus.ACTIVE
    await h.tick()
    (prompt,) = await user.wait_for_bot(1)
    assert len(prompt.flat_buttons) == 11


async def daily_prompts(h: Harness, pid: str, days: list[date]) -> list[date]:
    """Tick just after 19:31 local time on each day; return the days that got a prompt."""
    got = []
    for day in days:
        participant = h.store.get_participant(pid)
        assert participant is not None
        h.clock.set(schedule.scheduled_at(participant, day) + timedelta(minutes=1))
        await h.tick()
        if h.store.get_prompt(pid, PromptKind.DAILY_RATING, day) is not None:
            got.append(day)
    return got


async def test_a_pause_of_one_day_after_the_prompt_skips_tomorrow_not_today(h: Harness) -> None:
    h.clock.set(datetime(2026, 11, 28, 13, 3, tzinfo=UTC))  # 21:03 WITA, 19:30 has passed
    user = h.sim.user(3101, "W")
    p = await h.enrol(user, zone="WITA", at="19:30")
    await user.send("/pause")
    await user.wait_for_bot(1)
    await user.press("1 hari")
    (done,) = await user.wait_for_bot(1)
    assert "pertanyaan harian berikutnya" in done.text
    assert "Senin, 30 November 2026" in done.text
    got = await daily_prompts(h, p.pid, [date(2026, 11, 29), date(2026, 11, 30)])
    assert got == [date(2026, 11, 30)]


async def test_a_pause_of_two_days_late_in_the_evening_skips_two_prompts(h: Harness) -> None:
    h.clock.set(datetime(2026, 11, 28, 15, 30, tzinfo=UTC))  # 22:30 WIB
    user = h.sim.user(3102, "L", language_code="en")
    p = await h.enrol(user, language="English", zone="WIB", at="19:30")
    await user.send("/pause")
    await user.wait_for_bot(1)
    await user.send("2")
    (done,) = await user.wait_for_bot(1)
    assert "skip the next 2 daily questions" in done.text
    assert "Tuesday, 1 December 2026" in done.text
    days = [date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 1)]
    assert await daily_prompts(h, p.pid, days) == [date(2026, 12, 1)]


async def test_withdraw_keeping_data_stops_all_messages(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/withdraw")
    await user.wait_for_bot(1)
    await user.press(index=1)  # leave, data may be used
    await user.wait_for_bot(1, edits=True)
    kept = h.participant(user)
    assert kept.status is ParticipantStatus.WITHDRAWN
    assert kept.consent is not None and kept.consent.withdrawn_at == h.clock()
    h.clock.advance(hours=11)
    await h.tick()
    await h.sim.wait_until_idle()
    assert h.store.get_prompt(p.pid, PromptKind.DAILY_RATING, date(2026, 11, 28)) is None
    await user.send("/rate")
    (reply,) = await user.wait_for_bot(1)
    assert "berhenti" in reply.text
    assert any(e.kind == "withdrawn" and e.subject == p.pid for e in h.store.read_audit())


async def test_withdraw_and_erase_keeps_only_the_consent_record(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("5")
    await user.wait_for_bot(1, edits=True)
    await user.send("/withdraw")
    await user.wait_for_bot(1)
    await user.press(index=2)
    await user.wait_for_bot(1, edits=True)
    assert h.participant(user) is None
    assert h.store.list_ratings(p.pid) == []
    kinds = [e.kind for e in h.store.read_audit() if e.subject == p.pid]
    assert "consent_given" in kinds and "withdrawn" in kinds


async def test_delete_needs_two_confirmations(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/delete")
    await user.wait_for_bot(1)
    await user.press("Ya, hapus")
    (again,) = await user.wait_for_bot(1, edits=True)
    assert "Yakin" in again.text
    assert h.participant(user) is not None
    await user.press("Ya, hapus semuanya")
    await user.wait_for_bot(1, edits=True)
    assert h.participant(user) is None
    await user.send("/rate")
    (reply,) = await user.wait_for_bot(1)
    assert "belum terdaftar" in reply.text


async def test_cancel_and_privacy(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/privacy")
    (privacy,) = await user.wait_for_bot(1)
    assert "pseudonim" in privacy.text
    await user.send("/cancel")
    (nothing,) = await user.wait_for_bot(1)
    assert "Tidak ada" in nothing.text
    await user.send("/pause")
    await user.wait_for_bot(1)
    await user.send("/cancel")
    (done,) = await user.wait_for_bot(1)
    assert "dibatalkan" in done.text
    assert h.store.get_flow(p.pid) is None


async def test_command_menus_are_set_per_language(h: Harness) -> None:
    calls = [c for c in h.sim.calls if c.method == "setMyCommands"]
    by_language = {c.params.get("language_code") for c in calls}
    assert {None, "en"} <= by_language
    indonesian = next(c for c in calls if c.params.get("language_code") is None
                      and "scope" in c.params and c.params["scope"]["type"] == "default")
    assert any(cmd["description"] == "Catat tingkat stres" for cmd in indonesian.params["commands"])


async def test_staff_get_their_commands_in_the_menu_and_participants_do_not(h: Harness) -> None:
    from tests.e2e.conftest import FACILITATOR_ID

    facilitator = h.sim.user(FACILITATOR_ID, "Fasil")
    user, _ = await enrolled(h, 3010)
    assert "participants" in facilitator.menu() and "rate" in facilitator.menu()
    assert "participants" not in user.menu() and "rate" in user.menu()


async def test_an_old_flow_expires_and_old_buttons_change_nothing(h: Harness) -> None:
    user, p = await enrolled(h, 3020)
    enrolment_times = next(m for m in user.bot_messages if "19:30" in str(m.buttons))
    await user.send("/pause")
    await user.wait_for_bot(1)
    h.clock.advance(days=2)
    await user.send("3")  # two days later a "3" is just a message
    (reply,) = await user.wait_for_bot(1)
    assert "/rate" in reply.text
    await user.press("3 hari")  # and the old pause button has expired
    await user.wait_for_answer()
    assert h.participant(user).status.value == "active"
    # the enrolment keyboard's "07:00" no longer changes the daily time
    await user.press("07:00", message_id=enrolment_times.message_id)
    await user.wait_for_answer()
    assert h.participant(user).prompt_time == time(19, 30)


async def test_help_after_withdrawing_no_longer_offers_the_daily_commands(h: Harness) -> None:
    user, _ = await enrolled(h, 3030)
    await user.send("/withdraw")
    await user.wait_for_bot(1)
    await user.press(index=1)
    await user.wait_for_bot(1, edits=True)
    await user.send("/help")
    (help_text,) = await user.wait_for_bot(1)
    assert "/rate" not in help_text.text


def shown(user, message_id: int):  # noqa: ANN001, ANN201
    """The message as the user sees it now (after any edits)."""
    return next(m for m in user.messages if m.from_bot and m.message_id == message_id)


async def test_cancel_closes_an_open_settings_menu_and_removes_its_buttons(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/settings")
    (menu,) = await user.wait_for_bot(1)
    await user.send("/cancel")
    (done,) = await user.wait_for_bot(1)
    assert "dibatalkan" in done.text
    await h.sim.wait_until_idle()
    assert shown(user, menu.message_id).buttons == []
    await user.send("/cancel")
    (nothing,) = await user.wait_for_bot(1)
    assert "Tidak ada yang sedang berjalan" in nothing.text


async def test_cancel_in_the_middle_of_a_setting_closes_it(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/settings")
    (menu,) = await user.wait_for_bot(1)
    await user.press("Jam harian")
    await user.wait_for_bot(1, edits=True)
    await user.send("/cancel")
    await user.wait_for_bot(1)
    await h.sim.wait_until_idle()
    assert shown(user, menu.message_id).buttons == []
    await user.send("06.45")  # no longer read as a time
    await user.wait_for_bot(1)
    assert h.participant(user).prompt_time == time(19, 30)


async def test_cancel_removes_the_rate_keyboard(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/rate")
    (question,) = await user.wait_for_bot(1)
    await user.send("/cancel")
    (done,) = await user.wait_for_bot(1)
    assert "dibatalkan" in done.text
    await h.sim.wait_until_idle()
    assert shown(user, question.message_id).buttons == []
    assert h.store.list_ratings(p.pid) == []


async def test_cancel_after_a_rating_says_nothing_is_open(h: Harness) -> None:
    user, p = await enrolled(h)
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("4")
    await user.wait_for_bot(1, edits=True)
    await user.send("/cancel")
    (reply,) = await user.wait_for_bot(1)
    assert "Tidak ada yang sedang berjalan" in reply.text
