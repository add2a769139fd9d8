"""/practice end to end: modules open with the group calendar; steps, quiz, builder and
thought record run slot by slot; runs are stored field by field; a restart resumes a run;
/cancel, a crisis message and old buttons do what a participant expects."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.callbacks import RunAnswer
from bot.core.models import ExerciseRun
from bot.simulator.users import SimUser
from tests.e2e.conftest import Harness

SESSION_2 = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # 09:00 WIB, the day after session 2
SESSION_4 = datetime(2026, 12, 19, 2, 0, tzinfo=UTC)  # the day after session 4


async def _enrolled(h: Harness, user_id: int) -> SimUser:
    user = h.sim.user(user_id, f"P{user_id}")
    await h.enrol(user)
    return user


async def _start(h: Harness, user: SimUser, title: str) -> None:
    await user.send("/practice")
    await user.wait_for_bot(2)
    await user.press(title)
    await user.wait_for_bot(2)  # "Title (about N minutes)" and the first slot


async def _next(user: SimUser, times: int = 1) -> None:
    for _ in range(times):
        await user.press("Lanjut")
        await user.wait_for_bot(1)


def _runs(h: Harness, user: SimUser) -> list[ExerciseRun]:
    return h.store.list_exercise_runs(h.jeda.pid_for(user.id))


async def test_before_session_1_only_the_rating_and_when_practice_opens(h: Harness) -> None:
    user = await _enrolled(h, 7001)
    h.clock.set(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))  # the day before session 1
    await user.send("/practice")
    (reply,) = await user.wait_for_bot(1)
    assert "pertemuan kelompok pertama (Jumat, 27 November 2026)" in reply.text
    assert "/rate" in reply.text and not reply.buttons


async def test_open_modules_are_listed_newest_first_with_the_next_date(h: Harness) -> None:
    user = await _enrolled(h, 7002)
    h.clock.set(SESSION_2)
    await user.send("/practice")
    listing, pick = await user.wait_for_bot(2)
    assert listing.text.index("Komunikasi asertif") < listing.text.index("Relaksasi")
    assert "Jumat, 11 Desember 2026" in listing.text  # session 3 opens the next module
    assert "Skala prioritas" not in listing.text
    labels = [label for row in pick.buttons for label in row]
    assert "Kuis: pasif, agresif, atau asertif?" in labels and len(labels) == 11  # every kind
    assert "Relaksasi cepat di sela kerja" in labels  # a reminder is set up from here


async def test_a_steps_exercise_with_ratings_before_and_after_is_stored(h: Harness) -> None:
    user = await _enrolled(h, 7003)
    await _start(h, user, "Relaksasi otot progresif (versi singkat)")
    assert "seberapa stres" in user.last_bot_message.text
    await user.press("6")
    await user.wait_for_bot(1)  # the intro
    await _next(user, 12)  # intro, 10 steps, closing
    assert "Sesudah latihan" in user.last_bot_message.text
    await user.press("3")
    (done,) = await user.wait_for_bot(1)
    assert "Stres Anda: 6 → 3" in done.text
    (run,) = _runs(h, user)
    assert (run.exercise_id, run.module_id, run.kind) == ("pmr-short", "relaxation", "steps")
    assert (run.before, run.after) == (6, 3)
    assert run.started_at == h.clock() and run.completed_at == h.clock()
    assert run.content_version == h.jeda.content.version and run.abandoned_at is None
    assert h.store.get_flow(h.jeda.pid_for(user.id)) is None


async def test_the_quiz_gives_feedback_per_scene_and_a_score(h: Harness) -> None:
    user = await _enrolled(h, 7004)
    h.clock.set(SESSION_2)
    await _start(h, user, "Kuis: pasif, agresif, atau asertif?")
    await _next(user)  # the intro
    picks = ["Pasif", "Asertif", "Agresif", "Pasif", "Asertif", "Pasif"]  # the last is wrong
    for label in picks:
        await user.press(label)
        (feedback,) = await user.wait_for_bot(1)
        assert feedback.text.startswith(("Tepat.", "Belum tepat."))
        await _next(user)
    assert feedback.text.startswith("Belum tepat.")
    await user.press("Lanjut")  # the closing
    (done,) = await user.wait_for_bot(1)
    assert "5 dari 6" in done.text
    (run,) = _runs(h, user)
    assert run.data["phone_time"] == "passive" and run.data["meeting"] == "passive"
    assert run.completed_at is not None


async def test_a_builder_takes_odd_answers_kindly_and_shows_the_script(h: Harness) -> None:
    user = await _enrolled(h, 7005)
    h.clock.set(SESSION_2)
    await _start(h, user, "Pernyataan \"saya\"")
    await _next(user)  # the intro
    await user.send("   ")
    (again,) = await user.wait_for_bot(1)
    assert "belum terbaca" in again.text
    question = user.bot_messages[-2].text  # the field's question, before the refusal
    await user.send_sticker()  # no text at all: a kind word and the question again
    kind, asked = await user.wait_for_bot(2)
    assert "belum terbaca" in kind.text and asked.text == question
    await user.send("<b>kesal</b> & lelah")
    await user.wait_for_bot(1)
    await user.send("🙂🙂🙂")
    await user.wait_for_bot(1)
    await user.send("x" * 5000)
    await user.wait_for_bot(1)
    await user.send("Tolong bantu saya besok pagi")
    (script,) = await user.wait_for_bot(1)
    assert "<b>kesal</b> & lelah" in script.text  # shown as typed, not as markup
    (run,) = _runs(h, user)
    assert run.completed_at is None and h.sim.calls_to("sendMessage", ok=False) == []
    await _next(user, 1)  # the script
    await user.press("Lanjut")  # the closing
    await user.wait_for_bot(1)
    (run,) = _runs(h, user)
    assert run.data["feeling"] == "<b>kesal</b> & lelah" and run.data["behaviour"] == "🙂🙂🙂"
    assert len(str(run.data["effect"])) == 1000 and run.completed_at is not None


async def test_a_thought_record_resumes_after_a_restart_and_sums_up_the_change(
        h: Harness) -> None:
    user = await _enrolled(h, 7006)
    h.clock.set(SESSION_4)
    await _start(h, user, "Catatan pikiran")
    await _next(user)  # the intro
    for text in ("Rapat dengan kepala panti", "Saya pasti disalahkan"):
        await user.send(text)
        await user.wait_for_bot(1)
    await user.press("8")
    await user.wait_for_bot(1)
    await h.restart()  # the run is in storage: the percent buttons still work
    await user.press("90%")
    await user.wait_for_bot(1)
    for text in ("Dulu pernah terjadi", "Kepala panti memuji laporan saya", "Mungkin tidak"):
        await user.send(text)
        await user.wait_for_bot(1)
    await user.press("5")
    await user.wait_for_bot(1)
    await user.press("60%")
    (summary,) = await user.wait_for_bot(1)
    assert "8 → 5" in summary.text and "90% → 60%" in summary.text
    await _next(user)
    await user.press("Lanjut")
    await user.wait_for_bot(1)
    (run,) = _runs(h, user)
    assert run.data["situation"] == "Rapat dengan kepala panti"
    assert (run.data["anxiety"], run.data["belief"]) == (8, 90)
    assert (run.data["anxiety_after"], run.data["belief_after"]) == (5, 60)


async def test_cancel_crisis_and_old_buttons_mid_run(h: Harness) -> None:
    user = await _enrolled(h, 7007)
    await _start(h, user, "Mengendur saat stres datang")
    first = user.last_bot_message
    await _next(user)  # step 1 -> step 2
    await user.press_data(RunAnswer(0, "next").encode(), message_id=first.message_id)
    assert "tidak berlaku" in await user.wait_for_answer()
    await user.send("rasanya aku pengen mati aja")  # the crisis path always wins
    (support,) = await user.wait_for_bot(1)
    assert "112" in support.text
    flow = h.store.get_flow(h.jeda.pid_for(user.id))
    assert flow is not None and flow.data["at"] == 1  # the run is where it was
    await user.send("/cancel")
    (cancelled,) = await user.wait_for_bot(1)
    assert "dihentikan" in cancelled.text
    (run,) = _runs(h, user)
    assert run.abandoned_at == h.clock() and run.stopped_at == "step2"
    assert run.completed_at is None and h.store.get_flow(h.jeda.pid_for(user.id)) is None


async def _to_the_breathing(h: Harness, user: SimUser) -> None:
    await _start(h, user, "Napas perut")
    await user.press("5")  # before
    await user.wait_for_bot(1)
    await _next(user, 4)  # the intro and three steps
    assert "Tekan Mulai" in user.last_bot_message.text


def _edits(h: Harness, message_id: int) -> list[str]:
    return [c.params["text"] for c in h.sim.calls_to("editMessageText", ok=True)
            if int(c.params["message_id"]) == message_id]


async def test_paced_breathing_edits_one_message_per_phase_and_resumes_after_a_restart(
        h: Harness) -> None:
    from bot.chat import breathing

    user = await _enrolled(h, 7010)
    await _to_the_breathing(h, user)
    message = user.last_bot_message
    await user.press("Mulai")
    await user.wait_for_bot(1, edits=True)
    for _ in range(19):  # 4 s in, 2 s hold, 6 s out: into the second breath's exhale
        h.clock.advance(seconds=1)
        await breathing.tick(h.context)
        await breathing.settle(h.context)
    await h.sim.wait_until_idle()
    texts = _edits(h, message.message_id)
    assert [t.split("\n")[0] for t in texts] == [
        "Tarik napas… perut mengembang", "Tahan sebentar", "Embuskan pelan…",
        "Tarik napas… perut mengembang", "Tahan sebentar", "Embuskan pelan…"]
    assert texts[0].endswith("1 / 10") and texts[-1].endswith("2 / 10")
    assert all(a != b for a, b in zip(texts, texts[1:], strict=False))  # every edit changes
    await h.restart()  # the interrupted second breath begins again
    h.clock.advance(seconds=1)
    await breathing.tick(h.context)
    await breathing.settle(h.context)
    await h.sim.wait_until_idle()
    assert _edits(h, message.message_id)[-1] == "Tarik napas… perut mengembang\n\n2 / 10"
    await user.press("Berhenti")
    (closing,) = await user.wait_for_bot(1)
    assert "Bernapaslah biasa lagi" in closing.text
    assert "Dihentikan setelah 1 dari 10 napas" in _edits(h, message.message_id)[-1]
    await _next(user)  # the closing
    await user.press("2")
    (done,) = await user.wait_for_bot(1)
    assert "5 → 2" in done.text
    (run,) = _runs(h, user)
    assert run.kind == "paced_breathing" and run.data["breaths"] == 1
    assert (run.before, run.after) == (5, 2) and run.completed_at is not None


async def test_paced_breathing_that_runs_out_moves_on_by_itself(h: Harness) -> None:
    from bot.chat import breathing

    user = await _enrolled(h, 7011)
    await _to_the_breathing(h, user)
    message = user.last_bot_message
    await user.press("Mulai")
    await user.wait_for_bot(1, edits=True)
    h.clock.advance(minutes=3)  # longer than ten breaths of 12 s
    await breathing.tick(h.context)
    await breathing.settle(h.context)
    (closing,) = await user.wait_for_bot(1)
    assert "Bernapaslah biasa lagi" in closing.text
    assert _edits(h, message.message_id)[-1] == "Selesai: 10 dari 10 napas. 🌱"
    await user.press_data(RunAnswer(5, "stop").encode(), message_id=message.message_id)
    assert "tidak berlaku" in await user.wait_for_answer()  # the old stop button


async def test_outside_a_run_a_sticker_gets_what_jeda_can_read(h: Harness) -> None:
    user = await _enrolled(h, 7012)
    await user.send_sticker()
    (reply,) = await user.wait_for_bot(1)
    assert "pesan ketikan" in reply.text
    stranger = h.sim.user(7013, "S")
    await stranger.send_sticker()
    (answer,) = await stranger.wait_for_bot(1)
    assert "pesan ketikan" in answer.text


async def test_progress_sends_a_chart_and_plain_lines(h: Harness) -> None:
    import io

    from PIL import Image

    user = await _enrolled(h, 7014)
    await user.send("/progress")
    photo, empty = await user.wait_for_bot(2)
    assert "Belum ada catatan stres" in empty.text and "/practice" in empty.text
    await _start(h, user, "Relaksasi otot progresif (versi singkat)")
    await user.press("7")
    await user.wait_for_bot(1)
    await _next(user, 12)
    await user.press("4")
    await user.wait_for_bot(1)
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("6")
    await user.wait_for_bot(1, edits=True)
    await user.send("/progress")
    photo, text = await user.wait_for_bot(2)
    assert photo.kind == "photo" and photo.text == "1 hari terakhir"
    upload = h.sim.calls_to("sendPhoto", ok=True)[-1].params["photo"]
    image = Image.open(io.BytesIO(upload.content))
    assert image.format == "PNG" and image.size == (960, 600)
    assert "1 dari 1 hari terakhir" in text.text and "▅" in text.text  # 6 of 10
    assert "Relaksasi: 1 kali" in text.text
    assert "Latihan langkah demi langkah: stres Anda rata-rata turun 3,0 poin" in text.text
    assert "Jumat, 4 Desember 2026" in text.text


async def test_paced_breathing_stops_editing_after_cancel(h: Harness) -> None:
    from bot.chat import breathing

    user = await _enrolled(h, 7015)
    await _to_the_breathing(h, user)
    message = user.last_bot_message
    await user.press("Mulai")
    await user.wait_for_bot(1, edits=True)
    await user.send("/cancel")
    await user.wait_for_bot(1)
    for _ in range(30):
        h.clock.advance(seconds=1)
        await breathing.tick(h.context)
        await breathing.settle(h.context)
    await h.sim.wait_until_idle()
    assert _edits(h, message.message_id) == ["Tarik napas… perut mengembang\n\n1 / 10"]
    assert message.buttons == [] and h.sim.calls_to("editMessageText", ok=False) == []
    (run,) = _runs(h, user)
    assert run.abandoned_at is not None and run.stopped_at == "breathe"
