"""Every exercise with a typed step, walked to its end through the simulator, with odd
input at each typed step: a sticker, a photo, blank space, markup, emoji only and 5,000
characters. Each gets a kind re-ask or is taken as typed; never an error, never a 400."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core import practice
from bot.core.practice import Input
from bot.simulator import Limits
from bot.simulator.users import SimUser
from tests.e2e.conftest import Harness, running, shipped_content

AFTER_ALL_SESSIONS = datetime(2026, 12, 19, 2, 0, tzinfo=UTC)
LABELS = dict.fromkeys(("before", "after", "right", "not_quite", "change", "breathe"), "")
TYPED = sorted(e.id for e in shipped_content().exercises.values()
               if any(practice.screen(e, practice.Run(i), "id", LABELS).wants in (
                   Input.TEXT, Input.TIME) for i, s in enumerate(practice.slots(e))
                   if s.kind is practice.SlotKind.FIELD))


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    """The usual harness, with room for a long exercise in one chat (Telegram's per-chat
    pace is the breathing bench's business, not this test's)."""
    async with running(tmp_path, Limits(per_chat_burst=500)) as harness:
        yield harness


async def _odd_input(user: SimUser, time_field: bool) -> None:
    """The odd things, each answered by a kind word (the last one may be taken)."""
    await user.send_sticker()
    kind, again = await user.wait_for_bot(2)  # a kind word and the question again
    assert "belum terbaca" in kind.text
    await user.send_photo(caption="foto")
    await user.wait_for_bot(2)
    await user.send("   \n  ")
    blank = (await user.wait_for_bot(1))[0].text
    assert ("ketik jamnya" if time_field else "belum terbaca") in blank
    if time_field:
        await user.send("<b>&")
        assert "ketik jamnya" in (await user.wait_for_bot(1))[0].text
        await user.send("16:30")


@pytest.mark.parametrize("exercise_id", TYPED)
async def test_odd_input_at_every_typed_step(h: Harness, exercise_id: str) -> None:
    user = h.sim.user(7300 + TYPED.index(exercise_id), "P")
    await h.enrol(user)
    h.clock.set(AFTER_ALL_SESSIONS)
    exercise = shipped_content().exercise(exercise_id)
    await user.send("/practice")
    await user.wait_for_bot(2)
    await user.press(exercise.title["id"])
    await user.wait_for_bot(2)
    typed = 0
    for _ in range(60):
        active = await h.jeda.practice.current(h.participant(user))
        if active is None:
            break
        shown = practice.screen(active.exercise, active.run, "id", LABELS)
        if shown.wants in (Input.TEXT, Input.TIME) and (
                shown.slot.ref != "tasks" or not active.run.answers.get("tasks")):
            typed += 1
            await _odd_input(user, shown.wants is Input.TIME)
            if shown.wants is Input.TEXT:
                await user.send(["<b>&amp; kesal</b>", "🙂🙂🙂", "x" * 5000][typed % 3])
            await user.wait_for_bot(1)
        elif shown.wants is Input.TEXT:  # the task list so far: done
            await user.press("Selesai memilih")
            await user.wait_for_bot(1)
        elif shown.multiple:
            await user.press(index=1)
            await user.wait_for_bot(1, edits=True)
            await user.press("Selesai memilih")
            await user.wait_for_bot(1)
        else:
            await user.press(index=1)
            await user.wait_for_bot(1, edits=shown.slot.kind is practice.SlotKind.SORT
                                    and active.run.answers.get("sort", "").count(",") + 2 < len(
                                        str(active.run.answers.get("tasks", "")).split("\n")))
    assert typed >= 1
    (run,) = h.store.list_exercise_runs(h.jeda.pid_for(user.id))
    assert run.completed_at is not None, exercise_id
    errors = [m.text for m in user.bot_messages if "kesalahan" in m.text.lower()
              or "went wrong" in m.text.lower()]
    refused = [c for c in h.sim.calls if c.status == 400]  # (a 429 is waited out and retried)
    assert errors == [] and refused == []
