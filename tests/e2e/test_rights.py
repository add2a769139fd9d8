"""Settings and rights end to end: /settings, /pause, /resume, /withdraw, /delete, /privacy."""

from __future__ import annotations

from datetime import date, time

from bot.core.models import Language, ParticipantStatus, PromptKind
from tests.e2e.conftest import Harness


async def enrolled(h: Harness, user_id: int = 3001):
    user = h.sim.user(user_id, f"U{user_id}")
    return user, await h.enrol(user)


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
    assert "30-11-2026" in done.text
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
    assert h.participant(user).flow is None


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
