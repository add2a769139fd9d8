"""A corrupted participant file affects only that participant, end to end."""

from __future__ import annotations

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
    assert "tidak beres" in sorry.text and "Traceback" not in sorry.text
    (alert,) = await admin.wait_for_bot(1)
    assert f"{pb.pid}.json" in alert.text and ".corrupt-" in alert.text
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
    assert report.counts == {"send_prompt:sent": 1}  # the third; the fine one rated already
    (prompt,) = await third.wait_for_bot(1)
    assert len(prompt.flat_buttons) == 11
    await broken.send("/rate")
    (again,) = await broken.wait_for_bot(1)
    assert "tidak beres" in again.text
    assert len(admin.bot_messages) == 1  # the admins hear about a quarantine once


async def test_daily_backup_job_writes_and_prunes(h: Harness) -> None:
    from bot import jobs

    await h.enrol(h.sim.user(7004, "Empat"))
    folder = h.settings.data_dir / "backups"
    for _ in range(16):
        h.clock.advance(days=1)
        await jobs.backup_job(h.context)
    kept = sorted(folder.glob("jeda-*.tar.gz"))
    assert len(kept) == h.settings.backup_keep == 14
