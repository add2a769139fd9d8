"""Steps guided by their seconds ("guide me") and runs that survive a restart, end to
end through the simulator with the clock injected."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat import guides
from bot.core.models import ExerciseRun
from bot.simulator.users import SimUser
from tests.e2e.conftest import Harness

SESSION_2 = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)  # 09:00 WIB, the day after session 2


async def _start(h: Harness, user_id: int, title: str) -> SimUser:
    user = h.sim.user(user_id, f"P{user_id}")
    await h.enrol(user)
    h.clock.set(SESSION_2)
    await user.send("/practice")
    await user.wait_for_bot(2)
    await user.press(title)
    await user.wait_for_bot(2)
    return user


def _edits(h: Harness, message_id: int) -> list[str]:
    return [c.params["text"] for c in h.sim.calls_to("editMessageText", ok=True)
            if int(c.params["message_id"]) == message_id]


def _runs(h: Harness, user: SimUser) -> list[ExerciseRun]:
    return h.store.list_exercise_runs(h.jeda.pid_for(user.id))


async def _tick(h: Harness, seconds: int) -> None:
    for _ in range(seconds):
        h.clock.advance(seconds=1)
        await guides.tick(h.context)
    await h.sim.wait_until_idle()


async def test_guide_me_times_each_step_in_one_message_and_resumes_after_a_restart(
        h: Harness) -> None:
    user = await _start(h, 7201, "Mengendur saat stres datang")  # three steps of 10 s
    first = user.last_bot_message
    assert [b for row in first.buttons for b in row] == ["Lanjut", "Pandu saya ▶"]
    await user.press("Pandu saya ▶")
    (shown,) = await user.wait_for_bot(1, edits=True)
    assert "Langkah 1 dari 3 · 10 detik" in shown.text
    await _tick(h, 9)
    assert len(_edits(h, first.message_id)) == 1  # nothing changes before its time
    await _tick(h, 1)
    assert "Langkah 2 dari 3" in _edits(h, first.message_id)[-1]
    await _tick(h, 4)
    await h.restart()  # the interrupted step begins again
    await _tick(h, 9)
    assert "Langkah 2 dari 3" in _edits(h, first.message_id)[-1]
    await _tick(h, 1)
    assert "Langkah 3 dari 3" in _edits(h, first.message_id)[-1]
    await _tick(h, 10)
    (done,) = await user.wait_for_bot(1)
    assert "terima kasih sudah berlatih" in done.text
    (run,) = _runs(h, user)
    assert run.completed_at is not None and run.kind == "steps"
    edits = _edits(h, first.message_id)
    assert all(a != b for a, b in zip(edits, edits[1:], strict=False))  # every edit changes


async def test_go_on_by_hand_stops_the_timing(h: Harness) -> None:
    user = await _start(h, 7202, "Mengendur saat stres datang")
    first = user.last_bot_message
    await user.press("Pandu saya ▶")
    await user.wait_for_bot(1, edits=True)
    await user.press("Lanjut sendiri")
    (step,) = await user.wait_for_bot(1)
    assert [b for row in step.buttons for b in row] == ["Lanjut", "Pandu saya ▶"]
    count = len(_edits(h, first.message_id))
    await _tick(h, 30)
    assert len(_edits(h, first.message_id)) == count  # no step changed by itself
    assert user.last_bot_message.message_id == step.message_id  # and no new message


async def test_guiding_stops_after_cancel(h: Harness) -> None:
    user = await _start(h, 7203, "Mengendur saat stres datang")
    await user.press("Pandu saya ▶")
    await user.wait_for_bot(1, edits=True)
    await user.send("/cancel")
    await user.wait_for_bot(1)
    await _tick(h, 30)
    (run,) = _runs(h, user)
    assert run.abandoned_at is not None and run.stopped_at == "step1"
    assert not h.app.bot_data["guides"]


async def test_a_builder_resumes_at_its_field_after_a_restart(h: Harness) -> None:
    user = await _start(h, 7204, "Pernyataan \"saya\"")
    await user.press("Lanjut")  # the intro
    (asked,) = await user.wait_for_bot(1)
    await user.send("kesal")
    (second,) = await user.wait_for_bot(1)
    await h.restart()
    await user.send("kamu datang terlambat")
    (third,) = await user.wait_for_bot(1)
    assert third.text != second.text and third.text != asked.text  # it went on from there
    flow = h.store.get_flow(h.jeda.pid_for(user.id))
    assert flow is not None and flow.data["a.feeling"] == "kesal"
    assert flow.data["a.behaviour"] == "kamu datang terlambat"


async def test_scripts_lists_shows_and_deletes_after_asking(h: Harness) -> None:
    user = h.sim.user(7205, "P7205", language_code="en")
    await h.enrol(user, language="English")
    await user.send("/scripts")
    (none,) = await user.wait_for_bot(1)
    assert "No saved scripts yet" in none.text
    h.clock.set(SESSION_2)
    await user.send("/practice")
    await user.wait_for_bot(2)
    await user.press("I-statements")
    await user.wait_for_bot(2)
    await user.press("Next")  # the intro
    await user.wait_for_bot(1)
    for answer in ("upset", "you came late <again>", "the shift starts late", "be on time"):
        await user.send(answer)
        await user.wait_for_bot(1)
    await user.press("Next")  # the script
    await user.wait_for_bot(1)
    await user.press("Next")  # the closing
    await user.wait_for_bot(1)
    await user.send("/scripts")
    (listing,) = await user.wait_for_bot(1)
    assert "Your saved script" in listing.text
    (label,) = [b for row in listing.buttons for b in row]
    assert label.startswith("I-statements · ")
    await user.press(label)
    (shown,) = await user.wait_for_bot(1)
    assert "you came late &lt;again&gt;" not in shown.text  # shown as typed, not as markup
    assert "you came late <again>" in shown.text
    await user.press("Delete this script")
    (ask,) = await user.wait_for_bot(1, edits=True)
    assert "Delete this script?" in ask.text
    await user.press("Keep it")
    await user.wait_for_bot(1, edits=True)
    await user.press("Delete this script")
    await user.wait_for_bot(1, edits=True)
    await user.press("Yes, delete")
    (deleted,) = await user.wait_for_bot(1, edits=True)
    assert "deleted" in deleted.text
    (run,) = _runs(h, user)
    assert run.data == {} and run.completed_at is not None  # the practice itself stays
    await user.send("/scripts")
    assert "No saved scripts yet" in (await user.wait_for_bot(1))[0].text
