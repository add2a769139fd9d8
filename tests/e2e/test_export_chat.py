"""/export in the chat: researchers and admins get one zip of the export; everyone else a
kind refusal; every export is in the audit log."""

from __future__ import annotations

import csv
import io
import zipfile

from bot.core.models import Role, RoleAssignment
from tests.e2e.conftest import ADMIN_ID, FACILITATOR_ID, MORNING, Harness


async def test_a_researcher_gets_one_zip_and_others_are_refused(h: Harness) -> None:
    sari = h.sim.user(3001, "Sari")
    await h.enrol(sari)
    await sari.send("/export")  # a participant
    (refused,) = await sari.wait_for_bot(1)
    assert refused.text == "Maaf, perintah ini hanya untuk peneliti dan admin."
    facilitator = h.sim.user(FACILITATOR_ID, "Fasilitator")
    await facilitator.send("/export")  # facilitators see summaries, not exports
    (no,) = await facilitator.wait_for_bot(1)
    assert no.text == refused.text

    h.store.assign_role(RoleAssignment(4001, Role.RESEARCHER, None, MORNING, "cli"))
    researcher = h.sim.user(4001, "Rina")
    await researcher.send("/export Nowhere")
    (unknown,) = await researcher.wait_for_bot(1)
    assert "Harapan" in (unknown.text or "")
    await researcher.send("/export harapan")
    working, document = await researcher.wait_for_bot(2)
    assert document.kind == "document" and "1 " in (document.text or "")
    upload = h.sim.calls_to("sendDocument", ok=True)[-1].params["document"]
    with zipfile.ZipFile(io.BytesIO(upload.content)) as archive:
        names = set(archive.namelist())
        assert "jeda-export/datapackage.json" in names and "jeda-export/ratings.csv" in names
        people = list(csv.DictReader(io.StringIO(
            archive.read("jeda-export/participants.csv").decode())))
        everything = b"".join(archive.read(n) for n in names)
    assert [p["group"] for p in people] == ["Harapan"]
    assert b"3001" not in everything and b"Sari" not in everything
    admin = h.sim.user(ADMIN_ID, "Admin")
    await admin.send("/export")
    await admin.wait_for_bot(2)

    def exports() -> list:  # type: ignore[type-arg]
        return [e for e in h.store.read_audit() if e.kind == "export"]

    await h.sim.wait_for(lambda: len(exports()) == 2, 5, "the second export's audit entry")
    audit = exports()
    assert [e.data["via"] for e in audit] == ["chat", "chat"]
    assert audit[0].actor == h.jeda.pid_for(4001) and audit[0].data["participants"] == 1


async def test_one_export_at_a_time(h: Harness) -> None:
    import asyncio

    lock = h.app.bot_data.setdefault("export_lock", asyncio.Lock())
    await lock.acquire()  # an export is being made
    try:
        admin = h.sim.user(ADMIN_ID, "Admin")
        await admin.send("/export")
        (busy,) = await admin.wait_for_bot(1)
        assert "sedang dibuat" in (busy.text or "")
        assert h.sim.calls_to("sendDocument") == []
    finally:
        lock.release()
    await admin.send("/export")
    _, document = await admin.wait_for_bot(2)
    assert document.kind == "document"
