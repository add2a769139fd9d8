"""Early warning end to end: a flag that starts alerts the facilitator once per episode,
only for participants who agreed, and never another group's facilitator."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

from bot.chat.callbacks import AnswerAlert
from bot.services.base import Base
from bot.services.groups import Groups
from bot.simulator.users import SimUser
from storage.aio import AsyncStore
from tests.e2e.conftest import FACILITATOR_ID, Harness

BEFORE_SESSION_1 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 WIB; session 1: 27 Nov
OTHER_FACILITATOR = 501


async def _rate(user: SimUser, value: str) -> None:
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press(value)
    await user.wait_for_bot(1, edits=True)


async def _enrol(h: Harness, user_id: int, share: str) -> SimUser:
    user = h.sim.user(user_id, f"P{user_id}")
    await h.enrol(user)
    await user.press(share)  # the last question of enrolment
    await user.wait_for_bot(1, edits=True)
    return user


def _alerts(user: SimUser) -> list[str]:
    return [m.text for m in user.bot_messages if "Tanda awal" in m.text]


async def test_a_rise_alerts_once_only_with_consent_and_only_their_facilitator(
        h: Harness) -> None:
    other = Groups(Base(AsyncStore(h.store), h.store.secret_key(), h.clock))
    await other.create("Lain", "Asia/Jakarta", sessions=[date(2026, 11, 27), date(2026, 12, 4),
                                                         date(2026, 12, 11), date(2026, 12, 18)],
                       facilitator_ids=[OTHER_FACILITATOR])
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
    stranger = h.sim.user(OTHER_FACILITATOR, "Lain")
    h.clock.set(BEFORE_SESSION_1)
    ani = await _enrol(h, 7501, "Ya, boleh")
    budi = await _enrol(h, 7502, "Tidak")
    assert h.participant(ani).share_flags is True and h.participant(budi).share_flags is False
    for _ in range(3):  # the baseline: 3, 3, 3
        for user in (ani, budi):
            await _rate(user, "3")
        await h.tick()
        h.clock.advance(days=1)
    h.clock.set(BEFORE_SESSION_1 + timedelta(days=5))  # 28 November, after session 1
    for day in range(4):  # 7, 7, 7, 7: rising (and high) from the third day
        for user in (ani, budi):
            await _rate(user, "7")
        await h.tick()
        await h.sim.wait_until_idle()
        assert len(_alerts(facilitator)) == (1 if day >= 2 else 0), day
        h.clock.advance(days=1)
    (alert,) = _alerts(facilitator)
    assert h.jeda.alias_for(h.participant(ani)) in alert
    assert "naik" in alert and "tinggi" in alert  # which signs, with their rules
    assert h.jeda.alias_for(h.participant(budi)) not in "".join(
        m.text for m in facilitator.bot_messages if "Tanda awal" in m.text)
    assert _alerts(stranger) == []
    assert set(h.participant(ani).open_flags) >= {"rising", "high"}


async def test_those_enrolled_before_are_asked_once(h: Harness) -> None:
    user = h.sim.user(7503, "P")
    await h.enrol(user)
    participant = h.participant(user)
    # as if enrolled before the question existed
    h.store.save_participant(dataclasses.replace(participant, share_asked=False))
    await h.tick()
    (asked,) = await user.wait_for_bot(1)
    assert "bolehkah fasilitator Anda diberi tahu" in asked.text
    h.clock.advance(hours=2)
    await h.tick()
    await h.sim.wait_until_idle()
    assert sum("bolehkah fasilitator" in m.text for m in user.bot_messages) == 2  # enrolment, once


async def test_a_safety_alert_is_answered_or_goes_to_the_admins_after_4_hours(
        h: Harness) -> None:
    from tests.e2e.conftest import ADMIN_ID

    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
    admin = h.sim.user(ADMIN_ID, "Admin")
    ani, budi = h.sim.user(7511, "Ani"), h.sim.user(7512, "Budi")
    await h.enrol(ani)
    await h.enrol(budi)
    for text in ("aku ingin bunuh diri", "aku mau mati saja"):  # one episode: one alert
        await ani.send(text)
        await ani.wait_for_bot(1)
        h.clock.advance(minutes=10)
    await budi.send("rasanya ingin bunuh diri")
    await budi.wait_for_bot(1)
    await h.sim.wait_until_idle()
    alerts = [m for m in facilitator.bot_messages if "Perlu perhatian" in m.text]
    assert len(alerts) == 2  # Ani once, Budi once
    ani_alert = next(m for m in alerts if h.jeda.alias_for(h.participant(ani)) in m.text)
    await facilitator.press("Saya sudah menghubungi", message_id=ani_alert.message_id)
    assert "Tersimpan" in await facilitator.wait_for_answer()
    episode = h.participant(ani).safety_episode
    assert episode is not None and episode.answer == "reached_out" and episode.messages == 2
    assert episode.answered_by == h.jeda.pid_for(FACILITATOR_ID)  # who, by pseudonym
    await ani.send("aku ingin bunuh diri")  # after an answer: a new episode, a new alert
    await ani.wait_for_bot(1)
    await h.sim.wait_until_idle()
    assert sum("Perlu perhatian" in m.text for m in facilitator.bot_messages) == 3
    await facilitator.press_data(AnswerAlert("not_concern", episode.episode_id).encode(),
                                 message_id=ani_alert.message_id)
    assert "tidak berlaku" in await facilitator.wait_for_answer()  # answered: the first stays
    h.clock.advance(hours=4)
    await h.tick()
    await h.sim.wait_until_idle()
    escalated = [m.text for m in admin.bot_messages if "4 jam" in m.text]
    assert len(escalated) == 2  # Budi's and Ani's second: the unanswered ones
    assert any(h.jeda.alias_for(h.participant(budi)) in text for text in escalated)
    assert h.participant(ani).safety_episode.episode_id != episode.episode_id
    await h.tick()
    await h.sim.wait_until_idle()
    assert sum("4 jam" in m.text for m in admin.bot_messages) == 2  # once each
    await facilitator.send("/alerts")
    (listing,) = await facilitator.wait_for_bot(1)
    assert h.jeda.alias_for(h.participant(budi)) in listing.text
    assert listing.text.count("BELUM dijawab") == 2  # Ani's latest episode and Budi's
    assert [e.data["answer"] for e in h.store.read_audit() if e.kind == "alert_answered"] == [
        "reached_out"]  # the first answer, kept in the audit log
    stranger = h.sim.user(OTHER_FACILITATOR, "Lain")
    await stranger.send("/alerts")
    assert "hanya untuk fasilitator" in (await stranger.wait_for_bot(1))[0].text
