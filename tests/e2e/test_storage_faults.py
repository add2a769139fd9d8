"""A corrupted participant file affects only that participant, end to end."""

from __future__ import annotations

import logging

import pytest

from tests.e2e.conftest import ADMIN_ID, Harness


async def test_corrupt_file_is_quarantined_and_others_still_rate(h: Harness) -> None:
    admin = h.sim.user(ADMIN_ID, "Admin")
    broken, fine = h.sim.user(7001, "Rusak"), h.sim.user(7002, "Baik")
    pb = await h.enrol(broken)
    pf = await h.enrol(fine)
    third = h.sim.user(7003, "Tiga")
    await h.enrol(third)
    path = h.store.participant_path(pb.pid)
    path.write_bytes(b'{"profile": {"1": {"pid": "trunc')

    await broken.send("/rate")
    (sorry,) = await broken.wait_for_bot(1)
    assert "catatan Anda di Jeda sedang tidak bisa dibaca" in sorry.text
    assert "your Jeda record cannot be read" in sorry.text  # its language is in the file
    assert "Traceback" not in sorry.text
    (alert,) = await admin.wait_for_bot(1)
    assert f"{pb.pid}.json" in alert.text and ".corrupt-" in alert.text
    assert "tar -xzf" in alert.text
    quarantined = list(path.parent.glob(f"{pb.pid}.json.corrupt-*"))
    assert len(quarantined) == 1
    assert quarantined[0].read_bytes() == b'{"profile": {"1": {"pid": "trunc'

    await fine.send("/rate")
    await fine.wait_for_bot(1)
    await fine.press("3")
    await fine.wait_for_bot(1, edits=True)
    assert [r.value for r in h.store.list_ratings(pf.pid)] == [3]

    # the scheduler goes on for everyone else
    h.clock.advance(hours=10, minutes=30)
    report = await h.tick()
    # the third's prompt (the fine one rated already) and the fine one's practice invitation
    assert report.counts == {"send_prompt:sent": 2}
    (prompt,) = await third.wait_for_bot(1)
    assert len(prompt.flat_buttons) == 11
    await broken.send("/rate")
    (again,) = await broken.wait_for_bot(1)
    assert "tidak bisa dibaca" in again.text and "kode:" not in again.text
    assert len(admin.bot_messages) == 1  # the admins hear about a quarantine once


async def test_daily_backup_job_writes_and_prunes(h: Harness) -> None:
    from bot.chat import jobs

    await h.enrol(h.sim.user(7004, "Empat"))
    folder = h.settings.data_dir / "backups"
    for _ in range(16):
        h.clock.advance(days=1)
        await jobs.backup_job(h.context)
    kept = sorted(folder.glob("jeda-*.tar.gz"))
    assert len(kept) == h.settings.backup_keep == 14


async def test_a_file_found_unreadable_by_the_tick_is_reported_once_and_logged_once(
        h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    admin = h.sim.user(ADMIN_ID, "Admin")
    user = h.sim.user(7101, "Eng", language_code="en")
    p = await h.enrol(user, language="English")
    h.store.participant_path(p.pid).write_bytes(b"\x00not json")
    h.clock.advance(hours=10, minutes=31)  # the prompt is due: the tick reads the file
    await h.tick()
    (alert,) = await admin.wait_for_bot(1)
    assert f"participants/{p.pid}.json" in alert.text and "tar -xzf" in alert.text
    await h.tick()
    await h.restart()  # remembered across a restart (audit log)
    await h.tick()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            await user.send("/help")
            (reply,) = await user.wait_for_bot(1)
            assert "your Jeda record cannot be read" in reply.text
    await h.sim.wait_until_idle()
    assert len(admin.bot_messages) == 1  # (the tick and a handler may ask at the same time)
    assert not [r for r in caplog.records if r.exc_info]  # no tracebacks per message
    assert [e.kind for e in h.store.read_audit()].count("file_quarantined") == 1


async def test_a_crisis_message_with_an_unreadable_record_still_gets_support(h: Harness) -> None:
    user = h.sim.user(7102, "S")
    p = await h.enrol(user)
    h.store.participant_path(p.pid).write_bytes(b"{broken")
    await user.send("aku ingin bunuh diri")
    support, sorry = await user.wait_for_bot(2)
    assert "112" in support.text
    assert "tidak bisa dibaca" in sorry.text
