"""Practice that is sent, not only offered, end to end: the daily invitation through the
reconcile tick, its time in /settings, a priority run and its next-day check-in, a
reminder set up, sent and turned off, options that toggle."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.chat.callbacks import StartFollowUp
from bot.core.models import ExerciseRun, PracticeInvite, ReminderSetting
from bot.simulator.users import SimUser
from tests.e2e.conftest import Harness

SESSION_2 = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # 09:00 WIB, the day after session 2
SESSION_4 = datetime(2026, 12, 19, 2, 0, tzinfo=UTC)  # the day after session 4


async def _enrolled(h: Harness, user_id: int) -> SimUser:
    user = h.sim.user(user_id, f"P{user_id}")
    await h.enrol(user)
    return user


async def _rate(user: SimUser, value: str = "4") -> None:
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press(value)
    await user.wait_for_bot(1, edits=True)


async def _press(user: SimUser, *labels: str) -> None:
    for label in labels:
        await user.press(label)
        await user.wait_for_bot(1)


async def _type(user: SimUser, *texts: str) -> None:
    for text in texts:
        await user.send(text)
        await user.wait_for_bot(1)


def _runs(h: Harness, user: SimUser) -> list[ExerciseRun]:
    return h.store.list_exercise_runs(h.jeda.pid_for(user.id))


async def test_the_invitation_follows_the_rating_once_a_day_and_rotates(h: Harness) -> None:
    user = await _enrolled(h, 7101)
    h.clock.set(SESSION_2)
    assert (await h.tick()).counts == {}  # not rated yet today
    await _rate(user)
    report = await h.tick()
    assert report.counts == {"send_prompt:sent": 1}
    (invite,) = await user.wait_for_bot(1)
    assert "Latihan hari ini" in invite.text and "Komunikasi asertif" in invite.text
    assert (await h.tick()).counts == {}  # once a day
    first = [m.text for m in user.bot_messages if "Latihan hari ini" in m.text]
    h.clock.advance(days=1)
    await _rate(user)
    await h.tick()
    (tomorrow,) = await user.wait_for_bot(1)
    assert tomorrow.text != first[0]  # another exercise of the module than yesterday
    await user.press("Mulai")
    started, _ = await user.wait_for_bot(2)
    assert "Ketik /cancel" in started.text and len(_runs(h, user)) == 1


async def test_no_invitation_in_quiet_hours_or_while_paused(h: Harness) -> None:
    user = await _enrolled(h, 7102)
    h.clock.set(SESSION_2 + timedelta(hours=14))  # 23:00 WIB: quiet hours
    await _rate(user)
    assert (await h.tick()).counts == {}
    h.clock.set(SESSION_2 + timedelta(days=1))
    await user.send("/pause")
    await user.wait_for_bot(1)
    await user.press(index=1)  # one day
    await user.wait_for_bot(1)
    await _rate(user)
    assert (await h.tick()).counts == {}


async def test_the_invitation_time_is_chosen_at_enrolment_and_in_settings(h: Harness) -> None:
    user = await _enrolled(h, 7103)
    question = user.bot_messages[-2]
    assert "Kapan Anda ingin diajak latihan" in question.text
    await user.press("Tidak usah", message_id=question.message_id)
    (saved,) = await user.wait_for_bot(1, edits=True)
    assert "Ajakan latihan: nonaktif" in saved.text
    assert h.participant(user).practice_invite is PracticeInvite.OFF
    await user.send("/settings")
    (menu,) = await user.wait_for_bot(1)
    assert "Ajakan latihan: nonaktif" in menu.text
    await user.press("Ajakan latihan")
    await user.wait_for_bot(1, edits=True)
    await user.press("07:00")
    (saved,) = await user.wait_for_bot(1, edits=True)
    assert "setiap hari pukul 07:00" in saved.text
    participant = h.participant(user)
    assert (participant.practice_invite, participant.practice_time) == (
        PracticeInvite.AT_TIME, time(7, 0))
    h.clock.set(datetime(2026, 12, 5, 0, 0, tzinfo=UTC))  # 07:00 WIB, no rating needed
    assert (await h.tick()).counts == {"send_prompt:sent": 1}
    assert "Latihan hari ini" in (await user.wait_for_bot(1))[0].text


async def test_a_priority_run_is_stored_and_its_check_in_comes_the_next_day(h: Harness) -> None:
    user = await _enrolled(h, 7104)
    h.clock.set(SESSION_4)
    await user.send("/practice")
    await user.wait_for_bot(2)
    await user.press("Daftar ABC hari ini")
    await user.wait_for_bot(2)
    await _press(user, "6", "Lanjut")  # before, the intro
    await user.send_sticker()  # not a list: a kind word and the question again
    await user.wait_for_bot(2)
    await _type(user, "- laporan kasus\n2. <b>rapat</b> & evaluasi")
    assert "Daftar tugas sejauh ini (2)" in user.last_bot_message.text
    await _type(user, "antar anak ke puskesmas")  # a second message adds to the list
    await user.press("Selesai memilih")
    await user.wait_for_bot(1)
    sort = user.last_bot_message
    assert sort.text.startswith("Tugas 1 dari 3:\nlaporan kasus")
    await user.press("B")  # the same message moves on to the next task
    (edited,) = await user.wait_for_bot(1, edits=True)
    assert edited.message_id == sort.message_id and edited.text.startswith("Tugas 2 dari 3")
    await _type(user, "c")  # a typed label works too; the task after comes anew
    await user.press("B", message_id=sort.message_id)  # an old task's button: refused
    assert "pilih salah satu tombol" in (await user.wait_for_bot(1))[0].text
    await _press(user, "A")
    await _type(user, "Puskesmas dulu, jam 8")
    plan = user.last_bot_message.text
    assert plan.index("antar anak ke puskesmas") < plan.index("laporan kasus") < plan.index(
        "<b>rapat</b> & evaluasi")  # shown as typed, A before B before C
    await _press(user, "Lanjut", "Lanjut", "3")  # the plan, the closing, after
    (run,) = _runs(h, user)
    assert (run.kind, run.before, run.after, run.completed_at is not None) == (
        "priority", 6, 3, True)
    assert run.data == {"tasks": "laporan kasus\n<b>rapat</b> & evaluasi\nantar anak ke puskesmas",
                        "sort": "b,c,a", "plan": "Puskesmas dulu, jam 8"}
    assert h.sim.calls_to("sendMessage", ok=False) == []

    h.clock.advance(days=1)
    await _rate(user)
    await h.tick()
    sent = await user.wait_for_bot(2)
    (check_in,) = [m for m in sent if "Menengok rencana Anda" in m.text]
    await user.press("Mulai", message_id=check_in.message_id)
    (intro,) = await user.wait_for_bot(1)
    assert "• antar anak ke puskesmas" in intro.text
    await _press(user, "Lanjut", "Sebagian", "Lewati")
    await _type(user, "Mulai lebih pagi")
    (run,) = _runs(h, user)
    assert run.data["follow_up.a_done"] == "some"
    assert run.data["follow_up.next_time"] == "Mulai lebih pagi"
    assert "follow_up.moved" not in run.data and run.data["sort"] == "b,c,a"
    assert h.participant(user).follow_ups == ()
    assert len(_runs(h, user)) == 1  # a check-in is not a practice run of its own
    await user.press_data(StartFollowUp(run.run_id).encode(), message_id=check_in.message_id)
    assert "sudah tidak tersedia" in await user.wait_for_answer()  # done: not again
    assert _runs(h, user)[0].data["follow_up.a_done"] == "some"


async def test_a_reminder_is_set_up_sent_at_its_time_and_turned_off(h: Harness) -> None:
    user = await _enrolled(h, 7105)
    h.clock.set(SESSION_4)
    await user.send("/practice")
    await user.wait_for_bot(2)
    await user.press("Waktu khawatir")
    await user.wait_for_bot(2)
    await _press(user, "Lanjut", "Lanjut", "Lanjut", "Lanjut")  # the intro, 3 steps
    await _type(user, "nanti sore")
    assert "misalnya 16:30" in user.last_bot_message.text
    await _type(user, "16.30", "teras belakang")
    assert "pukul 16:30" in user.last_bot_message.text  # the result: message and time
    await _press(user, "Lanjut")
    assert h.participant(user).reminders == (
        ReminderSetting("worry-time", (time(16, 30),), SESSION_4),)
    (run,) = _runs(h, user)
    assert (run.exercise_id, run.module_id, run.kind, run.before, run.after) == (
        "worry-time", "anxious-thoughts", "reminder", None, None)
    assert run.data == {"worry_time": "16:30", "place": "teras belakang"}
    assert run.completed_at is not None and run.content_version == h.jeda.content.version
    await user.send("/practice")
    listing, _ = await user.wait_for_bot(2)
    assert "(pengingat aktif: 16:30)" in listing.text

    h.clock.set(datetime(2026, 12, 19, 9, 30, tzinfo=UTC))  # 16:30 WIB
    assert (await h.tick()).counts == {"send_prompt:sent": 1}
    (reminder,) = await user.wait_for_bot(1)
    assert "di teras belakang" in reminder.text
    assert (await h.tick()).counts == {}  # once
    await user.press("Matikan pengingat ini")
    (off,) = await user.wait_for_bot(1)
    assert "sudah dimatikan" in off.text and h.participant(user).reminders == ()
    h.clock.advance(days=1)
    assert (await h.tick()).counts == {}


async def test_options_toggle_with_a_tick_and_done_moves_on(h: Harness) -> None:
    user = await _enrolled(h, 7106)
    h.clock.set(SESSION_2)
    await user.send("/practice")
    await user.wait_for_bot(2)
    await user.press("Relaksasi cepat di sela kerja")
    await user.wait_for_bot(2)  # the intro
    await _press(user, "Lanjut", "Lanjut")  # intro, the one step
    await _type(user, "tenang")
    await user.press("Selesai memilih")
    (refused,) = await user.wait_for_bot(1)
    assert "belum terbaca" in refused.text  # at least one
    question = user.bot_messages[-2]
    await user.press("Minum air", message_id=question.message_id)
    (ticked,) = await user.wait_for_bot(1, edits=True)
    labels = [b for row in ticked.buttons for b in row]
    assert ticked.message_id == question.message_id and "✓ Minum air" in labels
    assert "Melihat jam" in labels
    await user.press("Melihat jam", message_id=question.message_id)
    await user.wait_for_bot(1, edits=True)
    await user.press("Selesai memilih", message_id=question.message_id)
    (result,) = await user.wait_for_bot(1)
    assert "Melihat jam, Minum air" in result.text and "09:00, 13:00, 17:00" in result.text
