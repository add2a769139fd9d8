"""/summary end to end: a facilitator sees their group's week as a chart and plain lines,
in their language; others are refused kindly."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from bot.simulator.users import SimUser
from tests.e2e.conftest import FACILITATOR_ID, Harness

MONDAY = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 09:00 WIB, week 2026-W49 begins


async def _rate(user: SimUser, value: str) -> None:
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press(value)
    await user.wait_for_bot(1, edits=True)


async def test_the_facilitator_gets_a_chart_and_the_figures(h: Harness) -> None:
    h.clock.set(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # before session 1 (27 November)
    ani, budi = h.sim.user(7401, "Ani"), h.sim.user(7402, "Budi")
    await h.enrol(ani)
    await ani.press("Ya, boleh")  # her facilitator may see her stress flags
    await ani.wait_for_bot(1, edits=True)
    await h.enrol(budi)
    for value in ("3", "3", "4"):  # Ani's baseline: 23, 24, 25 November
        await _rate(ani, value)
        h.clock.advance(days=1)
    h.clock.set(MONDAY)
    for value in ("6", "7", "6"):  # Monday to Wednesday; the evening's question goes to Budi
        await _rate(ani, value)
        h.clock.advance(hours=10, minutes=31)  # 19:31 WIB
        await h.tick()
        h.clock.advance(hours=13, minutes=29)
    await _rate(budi, "2")  # Thursday morning (Ani's question of today is still to come)
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
    await facilitator.send("/summary")
    photo, text = await facilitator.wait_for_bot(2)
    upload = h.sim.calls_to("sendPhoto", ok=True)[-1].params["photo"]
    image = Image.open(io.BytesIO(upload.content))
    assert photo.kind == "photo" and image.format == "PNG" and image.size[0] == 960
    assert "Ringkasan mingguan · Harapan · 2026-W49" in text.text
    assert "Kelompok: 4 dari 7 hari dinilai (57%)" in text.text  # Ani 3 of 3, Budi 1 of 4
    ani_alias = h.jeda.alias_for(h.participant(ani))
    block = text.text[text.text.index(ani_alias):]
    assert "dinilai 3/3 hari · rata-rata 6,3 (6–7)" in block
    assert "vs sebelum pertemuan 1 +3,0" in block
    assert h.jeda.pid_for(ani.id) not in text.text  # the alias, never the research pseudonym
    assert "⚑ naik" in text.text and "3 dari 4 hari terakhir" in text.text  # the rule, plainly


async def test_a_week_can_be_named_and_english_reads_english(h: Harness) -> None:
    h.clock.set(MONDAY + timedelta(days=7))
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator", language_code="en")
    await facilitator.send("/summary Harapan 2026-W49")
    _, text = await facilitator.wait_for_bot(2)
    assert "Weekly summary · Harapan · 2026-W49 (30 November 2026 – 6 December 2026)" in text.text
    assert "No participants in this group yet." in text.text
    await facilitator.send("/summary Harapan 2026-W99")
    (bad,) = await facilitator.wait_for_bot(1)
    assert "cannot be read" in bad.text
    await facilitator.send("/summary Nope")
    (usage,) = await facilitator.wait_for_bot(1)
    assert "Your groups: Harapan" in usage.text


async def test_a_participant_is_refused_kindly(h: Harness) -> None:
    user = h.sim.user(7403, "Citra")
    await h.enrol(user)
    await user.send("/summary")
    (refused,) = await user.wait_for_bot(1)
    assert refused.text == "Maaf, perintah ini hanya untuk fasilitator atau admin."
    assert h.sim.calls_to("sendPhoto") == []


async def test_the_weekly_summary_goes_once_on_monday_across_a_restart(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
    h.clock.set(datetime(2026, 11, 30, 0, 59, tzinfo=UTC))  # Monday 07:59 WIB
    await h.tick()
    assert h.sim.calls_to("sendPhoto") == []
    h.clock.advance(minutes=1)  # 08:00: last week's summary
    await h.tick()
    photo, text = await facilitator.wait_for_bot(2)
    assert photo.kind == "photo" and "2026-W48" in text.text
    await h.restart()
    h.clock.advance(minutes=1)
    await h.tick()
    h.clock.advance(days=1)
    await h.tick()
    await h.sim.wait_until_idle()
    assert len(h.sim.calls_to("sendPhoto", ok=True)) == 1  # once, whatever the restarts


async def test_a_summary_missed_while_down_goes_when_the_bot_is_back(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
    h.clock.set(datetime(2026, 12, 9, 3, 0, tzinfo=UTC))  # down from Monday to Wednesday
    await h.tick()
    _, text = await facilitator.wait_for_bot(2)
    assert "2026-W49" in text.text  # the week that ended, not an older one


async def test_the_delivery_view_shows_each_persons_week(h: Harness) -> None:
    h.clock.set(MONDAY)
    ani = h.sim.user(7404, "Ani")
    await h.enrol(ani)
    for value in ("5", None, "6"):  # Monday rated, Tuesday's question expires, Wednesday
        h.clock.advance(hours=10, minutes=31)  # 19:31 WIB: the question goes out
        await h.tick()
        await ani.wait_for_bot(1)
        if value is not None:
            await ani.press(value)
            await ani.wait_for_bot(1, edits=True)
        h.clock.advance(hours=13, minutes=29)
        await h.tick()  # the next morning: yesterday's open question has expired
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
    await facilitator.send("/participants")
    (listing,) = await facilitator.wait_for_bot(1)
    assert "mengisi 2/7 hari terakhir (terakhir: 2 Desember 2026)" in listing.text
    assert "minggu ini: 3 pertanyaan terkirim, 2 dijawab, 1 kedaluwarsa" in listing.text
    assert "pengingat aktif · 0 latihan" in listing.text


async def test_the_day_before_a_session_the_facilitator_gets_a_digest_once(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
    ani = h.sim.user(7405, "Ani")
    h.clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    await h.enrol(ani)
    await _rate(ani, "4")
    h.clock.set(datetime(2026, 12, 3, 0, 59, tzinfo=UTC))  # Thursday 07:59: session 2 is Friday
    await h.tick()
    h.clock.advance(minutes=1)
    await h.tick()
    await h.sim.wait_until_idle()  # (last week's summary, not sent on Monday, comes too)
    (digest,) = [m for m in facilitator.bot_messages if "Besok pertemuan 2" in m.text]
    assert "Sejak 27 November 2026" in digest.text
    assert f"{h.jeda.alias_for(h.participant(ani))}: belum berlatih · menilai 1 hari" in digest.text
    h.clock.advance(hours=3)
    await h.restart()
    await h.tick()
    await h.sim.wait_until_idle()
    assert sum("Besok pertemuan" in m.text for m in facilitator.bot_messages) == 1


async def test_a_facilitator_sees_and_changes_the_group_in_the_chat(h: Harness) -> None:
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator", language_code="en")
    await facilitator.send("/group Harapan")
    (shown,) = await facilitator.wait_for_bot(1)
    assert "Weekly summary: mon 08:00" in shown.text and "27 November 2026" in shown.text
    await facilitator.send("/group harapan summary Wednesday 17.30")
    (changed,) = await facilitator.wait_for_bot(1)
    assert "Weekly summary: wed 17:30" in changed.text
    group = h.store.get_group("Harapan")
    assert (group.summary_day, f"{group.summary_time:%H:%M}") == (2, "17:30")
    await facilitator.send("/group Harapan sessions 2026-12-20,2026-12-01,2026-12-22,2026-12-29")
    (refused,) = await facilitator.wait_for_bot(1)
    assert "dates must go forward" in refused.text
    assert h.store.get_group("Harapan").session_dates == group.session_dates  # unchanged
    await facilitator.send("/group Harapan colour blue")
    assert "cannot be changed here" in (await facilitator.wait_for_bot(1))[0].text
    await facilitator.send("/group Nope")
    assert "Your groups: Harapan" in (await facilitator.wait_for_bot(1))[0].text
    assert [e.data["fields"] for e in h.store.read_audit() if e.kind == "group_changed"] == [
        ["summary_day", "summary_time"]]
