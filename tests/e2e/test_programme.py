"""The whole programme in one test: the real Application against the simulator, the
clock injected, from the day before the pre meeting to a week after the post meeting, with
30 participants who behave differently (answer at once, answer late, never answer, pause
for a week, block the bot and come back, move to another time zone, withdraw keeping
their data, ask for deletion). Every simulated day is checked: one daily question per
active participant, none while paused, unreachable or after leaving, exercise invitations
only from the modules already opened, the pre and post questionnaires on their days, one
weekly summary a week, every acknowledged rating on disk, and nothing left of the
participant who asked for deletion but the content-free consent record their erasure
message promises (in the audit log, under their pseudonym).
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.core import calendar
from bot.core.models import DeliveryStatus, PromptKind
from bot.simulator import Limits
from bot.simulator.users import SimUser
from tests.e2e.conftest import FACILITATOR_ID, running
from tests.e2e.test_questionnaires import filled_content

WIB = timedelta(hours=7)
FIRST, LAST = date(2026, 11, 20), date(2027, 1, 1)  # pre meeting .. a week after post
TICKS = (time(7, 0), time(8, 0), time(19, 30), time(21, 30))  # WIB: practice, summary,
# the daily question, its reminder
PAUSE, BLOCK, UNBLOCK, MOVE, WITHDRAW, DELETE = (date(2026, 12, 1), date(2026, 12, 3),
                                                 date(2026, 12, 6), date(2026, 12, 8),
                                                 date(2026, 12, 10), date(2026, 12, 12))


def behaviour(n: int) -> str:
    return ("now", "late", "never", "now", "late")[n % 5]


def at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, UTC) - WIB


async def press_rating(user: SimUser, value: int) -> str:
    keyboard = next(m for m in reversed(user.bot_messages) if len(m.flat_buttons) == 11)
    await user.press(str(value), message_id=keyboard.message_id)
    return await user.wait_for_answer()


async def test_the_whole_programme_day_by_day(tmp_path: Path,
                                              monkeypatch) -> None:  # noqa: ANN001, C901
    # durability is the storage tests' business (SIGKILL, fsync); here six weeks of
    # thirty people's writes run without waiting for the disk each time
    monkeypatch.setattr(os, "fsync", lambda fd: None)
    content = filled_content(tmp_path)
    async with running(tmp_path, Limits.unlimited(), now=at(FIRST - timedelta(days=1),
                                                           time(10)), content=content) as h:
        h.overall_rate = 3000  # Telegram's pace is the burst bench's business, in real time
        await h.restart()
        facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
        users = [h.sim.user(8000 + n, f"Peserta{n}") for n in range(30)]
        pids = [(await h.enrol(u)).pid for u in users]
        paused, blocked, mover, leaver, erased = pids[3], pids[4], pids[5], pids[6], pids[7]
        group = await h.jeda.groups.get("Harapan")
        assert group is not None
        stored: list[tuple[str, date, int]] = []  # acknowledged ratings
        day = FIRST
        while day <= LAST:
            if day == PAUSE:
                await h.jeda.participants.pause(h.store.get_participant(paused), 7)
            if day == BLOCK:
                await users[4].block()
            if day == UNBLOCK:
                await users[4].unblock()
            if day == MOVE:
                await h.jeda.participants.set_zone(h.store.get_participant(mover),
                                                   "Asia/Makassar")
            if day == WITHDRAW:
                await h.jeda.participants.withdraw(h.store.get_participant(leaver), True)
            if day == DELETE:
                await h.jeda.participants.delete(h.store.get_participant(erased))
            for clock in TICKS:
                h.clock.set(at(day, clock))
                await h.tick()
                await h.sim.wait_until_idle(quiet=0.01)
                wanted = "now" if clock == time(19, 30) else "late" if clock == time(21, 30) \
                    else None
                answering = []
                for n, (user, pid) in enumerate(zip(users, pids, strict=True)):
                    record = h.store.get_prompt(pid, PromptKind.DAILY_RATING, day) \
                        if pid != erased or day < DELETE else None
                    if (wanted and behaviour(n) == wanted and record is not None
                            and record.delivery is DeliveryStatus.SENT
                            and record.answered_at is None):
                        answering.append((user, pid, (n + day.day) % 11))
                said = await asyncio.gather(*(press_rating(u, v) for u, _, v in answering))
                stored += [(pid, day, v) for (_, pid, v), text in zip(answering, said,
                                                                     strict=True)
                           if "Tersimpan" in text]
            # the day's checks
            for n, pid in enumerate(pids):
                if pid == erased and day >= DELETE:
                    continue
                person = h.store.get_participant(pid)
                assert person is not None
                record = h.store.get_prompt(pid, PromptKind.DAILY_RATING, day)
                quiet = (pid == paused and PAUSE <= day < PAUSE + timedelta(days=7)) or (
                    pid == blocked and BLOCK <= day < UNBLOCK) or (
                    pid == leaver and day >= WITHDRAW)
                sent = record is not None and record.delivery is DeliveryStatus.SENT
                assert sent != quiet, (n, day, record)
                prompts = [p for p in h.store.list_prompts(pid) if p.local_date == day]
                assert len([p for p in prompts if p.kind is PromptKind.DAILY_RATING]) <= 1
                held = calendar.open_sessions(group, day)
                opened = {e.id for m in content.modules_up_to(held) for e in m.exercises}
                for p in prompts:
                    if p.kind is PromptKind.PRACTICE and p.delivery is DeliveryStatus.SENT:
                        assert p.ref in opened, (n, day, p.ref)
                if day in (group.pre_date, group.post_date) and not quiet:
                    refs = {p.ref for p in prompts if p.kind is PromptKind.QUESTIONNAIRE}
                    assert any(r.startswith("pss10@") for r in refs), (n, day, refs)
            day += timedelta(days=1)
        # after the programme
        for pid, rated, value in stored:
            if pid != erased:
                assert (rated, value) in {(r.local_date, r.value)
                                          for r in h.store.list_ratings(pid)}, (pid, rated)
        final = await h.jeda.groups.get("Harapan")
        assert final is not None
        assert len(final.summaries_sent) == len(set(final.summaries_sent)) >= 5
        mondays = [m for m in facilitator.bot_messages if "2026-W" in (m.text or "")
                   or "2027-W" in (m.text or "")]
        assert len(mondays) <= len(final.summaries_sent) + 1
        # of the participant who asked for deletion: no file, nothing in the registry, and
        # in the audit log only the content-free record their erasure message promises
        assert not h.store.participant_path(erased).exists()
        outside_audit = b"".join(p.read_bytes() for p in h.settings.data_dir.rglob("*")
                                 if p.is_file() and "backups" not in p.parts
                                 and p.name != "audit.jsonl")
        assert erased.encode() not in outside_audit
        found = [p.name for p in h.settings.data_dir.rglob("*") if p.is_file()
                 and b'"telegram_id":8007,' in p.read_bytes()]
        assert found == [], found
        theirs = [e for e in h.store.read_audit() if erased in (e.actor, e.subject)]
        assert theirs and not any({"text", "value", "answers", "name"} & set(e.data)
                                  for e in theirs)  # what happened, never what they said
