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


async def rate(user, value: int, before_press=None) -> str:  # noqa: ANN001
    """/rate, then press ``value`` on the new rating keyboard; the pop-up's text.
    ``before_press``: called once the keyboard is there (to break the disk)."""
    seen = max((m.message_id for m in user.bot_messages), default=0)

    def keyboard() -> object:
        return next((m for m in user.bot_messages
                     if m.message_id > seen and len(m.flat_buttons) == 11), None)

    await user.send("/rate")
    await user.sim.wait_for(lambda: keyboard() is not None, 5, "the rating keyboard")
    if before_press is not None:
        before_press()
    await user.press(str(value), message_id=keyboard().message_id)  # type: ignore[attr-defined]
    return await user.wait_for_answer()


async def test_a_full_disk_loses_nothing_and_the_bot_keeps_serving(h: Harness,
                                                                  monkeypatch) -> None:  # noqa: ANN001
    """ENOSPC (then EIO) while one person's rating is written: they are told to try
    again, their earlier rating is intact, someone else is served, and the retry lands."""
    import errno

    from storage import files

    full, other = h.sim.user(7101, "Penuh"), h.sim.user(7102, "Lain")
    pf = await h.enrol(full)
    po = await h.enrol(other)
    await rate(full, 4)
    path = h.store.participant_path(pf.pid)
    real = files.write_json_atomic
    kept: list[bytes] = []

    def break_the_disk() -> None:
        kept.append(path.read_bytes())  # what is on disk when the write fails
        monkeypatch.setattr(files, "write_json_atomic", failing)

    def failing(target, data, fsync=True):  # noqa: ANN001, ANN202
        if target == path:
            raise OSError(failing.code, "No space left on device")  # type: ignore[attr-defined]
        return real(target, data, fsync)

    for n, code in enumerate((errno.ENOSPC, errno.EIO)):
        failing.code = code  # type: ignore[attr-defined]
        said = await rate(full, 7, break_the_disk)
        assert "Traceback" not in said and "coba lagi" in said.lower(), said
        assert path.read_bytes() == kept[-1]  # the earlier rating, as it was
        await rate(other, 2 + n)  # the bot goes on serving everyone else
        monkeypatch.setattr(files, "write_json_atomic", real)
    assert [r.value for r in h.store.list_ratings(pf.pid)] == [4]
    assert [r.value for r in h.store.list_ratings(po.pid)] == [2, 3]
    await rate(full, 7)  # space again: the same press now lands
    assert [r.value for r in h.store.list_ratings(pf.pid)] == [4, 7]


async def test_a_corrupted_registry_does_not_stop_the_daily_questions(h: Harness) -> None:
    admin = h.sim.user(ADMIN_ID, "Admin")
    people = [h.sim.user(7200 + n, f"Orang{n}") for n in range(3)]
    for person in people:
        await h.enrol(person)
    registry = h.settings.data_dir / "registry.json"
    registry.write_bytes(b'{"groups": {"1": {"name": "Hara')
    h.clock.advance(hours=10, minutes=30)  # 19:30 in Jakarta: the daily question is due
    report = await h.tick()
    assert report.counts.get("send_prompt:sent") == 3
    for person in people:
        (prompt,) = await person.wait_for_bot(1)
        assert len(prompt.flat_buttons) == 11
    (alert,) = await admin.wait_for_bot(1)
    assert "registry.json" in (alert.text or "")
    h.clock.advance(days=1)  # the next evening: still everyone, and the admins told once
    report = await h.tick()
    assert report.counts.get("send_prompt:sent") == 3
    assert all(len(p.bot_messages) >= 2 for p in people) and len(admin.bot_messages) == 1
