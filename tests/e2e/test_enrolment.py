"""Enrolment end to end: codes, language, consent, time zone, time, confirmation."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.core.models import Language, OnboardingStep, ParticipantStatus
from tests.e2e.conftest import Harness


async def test_start_without_code_stores_nothing(h: Harness) -> None:
    user = h.sim.user(1001, "Sari")
    await user.send("/start")
    (reply,) = await user.wait_for_bot(1)
    assert "kode undangan" in reply.text
    assert h.participant(user) is None
    assert h.store.list_participants() == []


async def test_help_for_a_guest_explains_how_to_join(h: Harness) -> None:
    user = h.sim.user(1002, "Tom", language_code="en")
    await user.send("/help")
    (reply,) = await user.wait_for_bot(1)
    assert "invite code" in reply.text
    assert h.participant(user) is None


async def test_full_enrolment_in_indonesian(h: Harness) -> None:
    user = h.sim.user(1001, "Sari")
    code = (await h.invite())[0]
    await user.send(f"/start {code}")
    welcome, language = await user.wait_for_bot(2)
    assert "Jeda" in welcome.text
    assert language.buttons == [["Bahasa Indonesia", "English"]]

    await user.press("Bahasa Indonesia")
    (consent,) = await user.wait_for_bot(1, edits=True)
    assert "bukan terapi" in consent.text and "/withdraw" in consent.text
    assert h.participant(user).onboarding_step is OnboardingStep.CONSENT

    await user.press("Ya, saya bersedia")
    thanks, zone = await user.wait_for_bot(2, edits=True)
    assert zone.buttons == [["WIB", "WITA", "WIT"]]

    await user.send("Asia/Pontianak")  # any IANA zone may be typed
    saved, ask_time = await user.wait_for_bot(2)
    assert "Asia/Pontianak" in saved.text
    assert "19:30" in ask_time.buttons[1]

    await user.send("20.15")  # the Indonesian way of writing a time
    (done,) = await user.wait_for_bot(1)
    assert "20:15" in done.text and "Asia/Pontianak" in done.text
    participant = h.participant(user)
    assert participant.status is ParticipantStatus.ACTIVE
    assert participant.prompt_time == time(20, 15)
    assert participant.timezone == "Asia/Pontianak"
    assert participant.consent is not None and participant.consent.agreed
    assert participant.consent.content_version == h.app.bot_data["jeda"].content.version


async def test_enrolment_in_english_via_deep_link_payload(h: Harness) -> None:
    user = h.sim.user(1003, "Ann", language_code="en")
    participant = await h.enrol(user, language="English", zone="WITA", at="07:00")
    assert participant.language is Language.EN
    assert participant.timezone == "Asia/Makassar"
    welcome, practice, share = user.bot_messages[-3:]
    assert "Every day at" in welcome.text
    assert "When would you like a short exercise" in practice.text
    assert "may your facilitator be told" in share.text


async def test_code_can_be_sent_as_a_plain_message(h: Harness) -> None:
    user = h.sim.user(1004, "Budi")
    code = (await h.invite())[0]
    await user.send(code.lower().replace("-", " ").replace(" ", ""))
    welcome, _ = await user.wait_for_bot(2)
    assert "Selamat datang" in welcome.text


async def test_wrong_used_and_expired_codes_are_refused_kindly(h: Harness) -> None:
    first, second = h.sim.user(1005, "A"), h.sim.user(1006, "B")
    await first.send("/start WRONG-CODE-1")
    (reply,) = await first.wait_for_bot(1)
    assert "tidak kami kenali" in reply.text

    code = (await h.invite())[0]
    await first.send(f"/start {code}")
    await first.wait_for_bot(2)
    await second.send(f"/start {code}")
    (used,) = await second.wait_for_bot(1)
    assert "sudah dipakai" in used.text
    assert h.participant(second) is None

    old = (await h.invite(days=1))[0]
    h.clock.advance(days=2)
    await second.send(f"/start {old}")
    (expired,) = await second.wait_for_bot(1)
    assert "kedaluwarsa" in expired.text
    assert h.participant(second) is None


async def test_repeated_wrong_codes_are_throttled(h: Harness) -> None:
    user = h.sim.user(1007, "C")
    for i in range(5):
        await user.send(f"/start NOPE-{i}")
        await user.wait_for_bot(1)
    good = (await h.invite())[0]
    await user.send(f"/start {good}")
    (reply,) = await user.wait_for_bot(1)
    assert "15 menit" in reply.text
    assert h.participant(user) is None
    h.clock.advance(minutes=16)
    await user.send(f"/start {good}")
    welcome, _ = await user.wait_for_bot(2)
    assert "Selamat datang" in welcome.text


async def test_declined_consent_keeps_only_the_refusal(h: Harness) -> None:
    user = h.sim.user(1008, "D")
    code = (await h.invite())[0]
    await user.send(f"/start {code}")
    await user.wait_for_bot(2)
    await user.press("Bahasa Indonesia")
    await user.wait_for_bot(1, edits=True)
    await user.press("Tidak, terima kasih")
    (declined,) = await user.wait_for_bot(1, edits=True)
    assert "menolak" in declined.text
    assert h.participant(user) is None
    assert not (h.settings.data_dir / "participants").exists() or not any(
        (h.settings.data_dir / "participants").glob("*.json"))
    events = [e for e in h.store.read_audit() if e.kind == "consent_declined"]
    assert len(events) == 1 and events[0].data["group"] == "Harapan"
    assert str(user.id) not in str(events[0])


async def test_restart_in_the_middle_of_enrolment_resumes_it(h: Harness) -> None:
    user = h.sim.user(1009, "E")
    code = (await h.invite())[0]
    await user.send(f"/start {code}")
    await user.wait_for_bot(2)
    await user.press("English")
    await user.wait_for_bot(1, edits=True)
    await h.restart()
    await user.press("Yes, I agree")
    await user.wait_for_bot(2, edits=True)
    assert h.participant(user).onboarding_step is OnboardingStep.TIMEZONE


async def test_first_prompt_is_announced_for_tomorrow_after_the_time_passed(h: Harness) -> None:
    h.clock.advance(hours=12)  # 21:00 in Jakarta
    user = h.sim.user(1010, "F")
    await h.enrol(user, at="19:30")
    tomorrow = (h.clock() + timedelta(hours=7, days=1)).date()
    assert tomorrow == date(2026, 11, 29)
    assert "Minggu, 29 November 2026 pukul 19:30" in user.bot_messages[-3].text


async def test_commands_during_enrolment_point_back_to_it(h: Harness) -> None:
    user = h.sim.user(1011, "G")
    await user.send(f"/start {(await h.invite())[0]}")
    await user.wait_for_bot(2)
    await user.send("/rate")
    (reply,) = await user.wait_for_bot(1)
    assert "belum selesai" in reply.text and "/start" in reply.text
    await user.send("/start")
    (again,) = await user.wait_for_bot(1)
    assert again.buttons == [["Bahasa Indonesia", "English"]]
