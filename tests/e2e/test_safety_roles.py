"""Safety path, blocked users and roles, end to end."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.models import DeliveryStatus, ParticipantStatus, PromptKind, Rating, RatingKind
from tests.e2e.conftest import ADMIN_ID, FACILITATOR_ID, Harness


async def test_risky_text_gets_support_and_alerts_the_facilitator_without_the_text(
    h: Harness,
) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasil")
    user = h.sim.user(4001, "Sari")
    p = await h.enrol(user)
    secret_words = "rasanya aku pengen mati aja hari ini"
    await user.send(secret_words)
    (support,) = await user.wait_for_bot(1)
    assert "119" in support.text and "Healing119" in support.text
    assert "• Healing119.id. Pertolongan pertama psikologis" in support.text  # named once
    (alert,) = await facilitator.wait_for_bot(1)
    alias = h.app.bot_data["jeda"].alias_for(p)
    assert alias in alert.text and p.pid not in alert.text
    assert "28 November 2026, 09:00 WIB" in alert.text  # a date as readers write it
    assert "pengen mati" not in alert.text and secret_words not in alert.text
    events = [e for e in h.store.read_audit() if e.kind == "safety_text"]
    assert len(events) == 1 and events[0].subject == p.pid
    assert secret_words not in str(events[0])


async def test_ordinary_text_gets_the_normal_reply(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasil")
    user = h.sim.user(4002, "Budi")
    await h.enrol(user)
    await user.send("tolong matikan lampu kamar")
    (reply,) = await user.wait_for_bot(1)
    assert "/rate" in reply.text
    await h.sim.wait_until_idle()
    assert facilitator.bot_messages == []


async def test_three_high_days_offer_support(h: Harness) -> None:
    user = h.sim.user(4003, "Citra")
    p = await h.enrol(user)
    for days_ago, value in ((2, 8), (1, 9)):
        day = date(2026, 11, 28) - timedelta(days=days_ago)
        h.store.add_rating(Rating(p.pid, day, value, RatingKind.PROMPTED,
                                  h.clock() - timedelta(days=days_ago), "test"))
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("8")
    saved, support = await user.wait_for_bot(2, edits=True)
    assert "Healing119" in support.text
    assert "Tiga hari berturut-turut" in support.text


async def test_a_single_ten_after_mixed_days_says_so_not_a_few_days(h: Harness) -> None:
    user = h.sim.user(4004, "Dewi", language_code="en")
    p = await h.enrol(user, language="English")
    for days_ago, value in ((3, 8), (2, 3), (1, 6)):
        day = date(2026, 11, 28) - timedelta(days=days_ago)
        h.store.add_rating(Rating(p.pid, day, value, RatingKind.PROMPTED,
                                  h.clock() - timedelta(days=days_ago), "test"))
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("10")
    saved, support = await user.wait_for_bot(2, edits=True)
    assert "You chose 10 today" in support.text
    assert "few days" not in support.text and "three days" not in support.text


async def test_blocked_user_is_marked_unreachable_and_facilitator_told_once(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasil")
    blocker, other = h.sim.user(4004, "Dewi"), h.sim.user(4005, "Eka")
    pb = await h.enrol(blocker)
    po = await h.enrol(other)
    # block silently (as if the my_chat_member update were lost)
    blocker.chat.blocked = True
    h.clock.advance(hours=10, minutes=30)
    await h.tick()
    (prompt,) = await other.wait_for_bot(1)
    (alert,) = await facilitator.wait_for_bot(1)
    assert h.app.bot_data["jeda"].alias_for(pb) in alert.text and pb.pid not in alert.text
    assert h.participant(blocker).status is ParticipantStatus.UNREACHABLE
    assert h.store.get_prompt(pb.pid, PromptKind.DAILY_RATING,
                              date(2026, 11, 28)).delivery is DeliveryStatus.BLOCKED
    assert h.store.get_prompt(po.pid, PromptKind.DAILY_RATING,
                              date(2026, 11, 28)).delivery is DeliveryStatus.SENT
    h.clock.advance(days=1)
    await h.tick()
    await other.wait_for_bot(1)
    await h.sim.wait_until_idle()
    alerts = [m for m in facilitator.bot_messages if "tidak bisa lagi dihubungi" in m.text]
    assert len(alerts) == 1  # (the Monday's weekly summary came too)


async def test_blocking_through_telegram_update_and_coming_back(h: Harness) -> None:
    h.sim.user(FACILITATOR_ID, "Fasil")
    user = h.sim.user(4006, "Fajar")
    await h.enrol(user)
    await user.block()
    await h.sim.wait_until_idle()
    assert h.participant(user).status is ParticipantStatus.UNREACHABLE
    await user.unblock()
    (welcome_back,) = await user.wait_for_bot(1)
    assert "kembali" in welcome_back.text
    assert h.participant(user).status is ParticipantStatus.ACTIVE


async def test_facilitator_commands_refuse_participants_and_strangers(h: Harness) -> None:
    stranger = h.sim.user(4007, "X")
    participant = h.sim.user(4008, "Y")
    await h.enrol(participant)
    for person in (stranger, participant):
        for command in ("/participants", "/invite Harapan 3", "/newgroup Baru"):
            await person.send(command)
            (reply,) = await person.wait_for_bot(1)
            assert "hanya untuk fasilitator" in reply.text
    assert [g.name for g in h.store.list_groups()] == ["Harapan"]


async def test_facilitator_lists_participants_and_makes_invites(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasil")
    p = await h.enrol(h.sim.user(4009, "Gita"))
    await facilitator.send("/participants")
    (listing,) = await facilitator.wait_for_bot(1)
    assert h.app.bot_data["jeda"].alias_for(p) in listing.text and "Harapan" in listing.text
    assert p.pid not in listing.text
    assert "Gita" not in listing.text
    await facilitator.send("/invite Harapan 2")
    (codes,) = await facilitator.wait_for_bot(1)
    assert codes.text.count("?start=") == 2


async def test_invite_mistakes_are_explained_in_the_facilitators_language(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasil", language_code="id")
    await facilitator.send("/invite Harapan 999")
    (too_many,) = await facilitator.wait_for_bot(1)
    assert too_many.text == "Belum bisa: jumlah kode harus antara 1 dan 200"
    await facilitator.send("/invite Nope")
    (unknown,) = await facilitator.wait_for_bot(1)
    assert "Tidak ada kelompok bernama Nope" in unknown.text and "Harapan" in unknown.text
    await facilitator.send("/invite harapan 2")  # the case of a name does not matter
    (codes,) = await facilitator.wait_for_bot(1)
    assert codes.text.count("?start=") == 2 and "Harapan" in codes.text
    await facilitator.send("/invite 3")  # one group: a bare number is the count
    (more,) = await facilitator.wait_for_bot(1)
    assert more.text.count("?start=") == 3
    await facilitator.send("/help")
    (helped,) = await facilitator.wait_for_bot(1)
    assert "/invite" in helped.text and "kode undangan dari fasilitator" not in helped.text


async def test_admin_creates_a_group_in_chat(h: Harness) -> None:
    admin = h.sim.user(ADMIN_ID, "Admin")
    await admin.send("/newgroup Melati WITA")
    (reply,) = await admin.wait_for_bot(1)
    assert "Melati" in reply.text
    group = h.store.get_group("Melati")
    assert group is not None and group.timezone == "Asia/Makassar"
    await admin.send("/newgroup melati")
    (again,) = await admin.wait_for_bot(1)
    assert "kelompok bernama Melati sudah ada" in again.text


async def test_a_failing_send_is_retried_later_and_others_are_not_held_up(h: Harness) -> None:
    first, second = h.sim.user(4010, "Hana"), h.sim.user(4011, "Indra")
    p1 = await h.enrol(first)
    p2 = await h.enrol(second)
    h.clock.advance(hours=10, minutes=30)
    h.sim.inject_error("sendMessage", 500, "Internal Server Error")
    await h.tick()
    today = date(2026, 11, 28)
    states = {p.pid: h.store.get_prompt(p.pid, PromptKind.DAILY_RATING, today).delivery
              for p in (p1, p2)}
    assert sorted(states.values()) == [DeliveryStatus.FAILED, DeliveryStatus.SENT]
    failed_pid = next(pid for pid, state in states.items() if state is DeliveryStatus.FAILED)
    h.clock.advance(seconds=10)
    await h.tick()  # too early for the retry (15 s back-off, at most 20 % sooner)
    assert h.store.get_prompt(failed_pid, PromptKind.DAILY_RATING,
                              today).delivery is DeliveryStatus.FAILED
    h.clock.advance(seconds=10)
    await h.tick()
    retried = h.store.get_prompt(failed_pid, PromptKind.DAILY_RATING, today)
    assert retried.delivery is DeliveryStatus.SENT and retried.attempts == 2
    for user in (first, second):
        prompts = [m for m in user.bot_messages if len(m.flat_buttons) == 11]
        assert len(prompts) == 1


async def test_without_facilitators_the_admins_are_alerted_and_the_wording_is_true(
    h: Harness,
) -> None:
    import dataclasses

    admin = h.sim.user(ADMIN_ID, "Admin")
    group = h.store.get_group("Harapan")
    h.store.save_group(dataclasses.replace(group, facilitator_ids=()))
    user = h.sim.user(4020, "Joko")
    await h.enrol(user)
    await user.send("aku pengen mati aja")
    (support,) = await user.wait_for_bot(1)
    (alert,) = await admin.wait_for_bot(1)
    assert "sudah kami beri tahu" in support.text
    assert "pengen mati" not in alert.text


async def test_when_nobody_can_be_told_the_participant_is_not_told_otherwise(h: Harness) -> None:
    import dataclasses

    group = h.store.get_group("Harapan")
    h.store.save_group(dataclasses.replace(group, facilitator_ids=()))
    jeda = h.app.bot_data["jeda"]
    jeda.access.admin_ids = frozenset()
    user = h.sim.user(4021, "Kartika")
    await h.enrol(user)
    await user.send("aku pengen mati aja")
    (support,) = await user.wait_for_bot(1)
    assert "sudah kami beri tahu" not in support.text
    assert "belum bisa menghubungi fasilitator" in support.text and "119" in support.text


async def test_strangers_and_people_before_consent_get_help_and_nothing_is_stored(
    h: Harness,
) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasil")
    stranger = h.sim.user(4022, "Lina")
    await stranger.send("aku pengen mati aja")
    (support,) = await stranger.wait_for_bot(1)
    assert "119" in support.text and "sudah kami beri tahu" not in support.text
    assert h.participant(stranger) is None
    starting = h.sim.user(4023, "Made")
    await starting.send(f"/start {(await h.invite())[0]}")
    await starting.wait_for_bot(2)
    await starting.send("rasanya mau bunuh diri")
    (help_text,) = await starting.wait_for_bot(1)
    assert "119" in help_text.text
    await h.sim.wait_until_idle()
    assert facilitator.bot_messages == []
    assert not [e for e in h.store.read_audit() if e.kind == "safety_text"]


async def test_ordinary_words_from_strangers_are_not_taken_for_codes(h: Harness) -> None:
    user = h.sim.user(4024, "Nina")
    for word in ("halo", "ok", "siap", "terima kasih", "halo", "ok"):
        await user.send(word)
        (reply,) = await user.wait_for_bot(1)
        assert "kode undangan" in reply.text
    await user.send(f"/start {(await h.invite())[0]}")
    welcome, _ = await user.wait_for_bot(2)
    assert "Selamat datang" in welcome.text  # not throttled by the chit-chat


async def test_a_hundred_invite_codes_arrive_in_several_messages(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasil")
    await facilitator.send("/invite Harapan 100")
    messages = await facilitator.wait_for_bot(2)
    await h.sim.wait_until_idle()
    text = "\n".join(m.text for m in facilitator.bot_messages)
    assert text.count("?start=") == 100
    assert all(len(m.text) <= 4096 for m in messages)


async def test_newgroup_takes_only_an_explicit_zone_from_the_last_word(h: Harness) -> None:
    admin = h.sim.user(ADMIN_ID, "Admin")
    await admin.send("/newgroup Panti Medan")
    await admin.wait_for_bot(1)
    assert h.store.get_group("Panti Medan") is not None
    await admin.send("/newgroup Panti Bali WITA")
    await admin.wait_for_bot(1)
    assert h.store.get_group("Panti Bali").timezone == "Asia/Makassar"


async def test_an_edited_message_is_not_answered_again(h: Harness) -> None:
    user = h.sim.user(4601, "Ed")
    await h.enrol(user)
    sent = await user.send("halo, hari ini lumayan")
    (first,) = await user.wait_for_bot(1)
    await user.edit(sent["message"]["message_id"], "halo, hari ini lumayan baik")
    await h.sim.wait_until_idle()
    await user.send("/help")  # the next reply is the one to /help, nothing in between
    (help_text,) = await user.wait_for_bot(1)
    assert "/rate" in help_text.text
    assert [m.text for m in user.bot_messages].count(first.text) == 1


async def test_an_edit_that_adds_a_crisis_phrase_still_gets_support(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasil")
    user = h.sim.user(4602, "Ed2")
    await h.enrol(user)
    sent = await user.send("capek")
    await user.wait_for_bot(1)
    await user.edit(sent["message"]["message_id"], "capek, pengen bunuh diri")
    (support,) = await user.wait_for_bot(1)
    assert "112" in support.text
    (alert,) = await facilitator.wait_for_bot(1)
    assert "bunuh" not in alert.text
