"""One rule for invite codes: a code enrols one person once; coming back takes a new one."""

from __future__ import annotations

from bot.core.models import ParticipantStatus
from tests.e2e.conftest import Harness


async def leave(h: Harness, user, how: str) -> None:  # noqa: ANN001
    """Withdraw keeping the data ("keep"), withdraw erasing it ("erase"), or /delete."""
    if how == "delete":
        await user.send("/delete")
        await user.wait_for_bot(1)
        await user.press(index=1)
        await user.wait_for_bot(1, edits=True)
        await user.press(index=1)
    else:
        await user.send("/withdraw")
        await user.wait_for_bot(1)
        await user.press(index=1 if how == "keep" else 2)
    await user.wait_for_bot(1, edits=True)


async def test_a_used_code_does_not_enrol_again_after_delete(h: Harness) -> None:
    code = (await h.invite())[0]
    user = h.sim.user(4001, "A")
    await h.enrol(user, code=code)
    await leave(h, user, "delete")
    assert h.participant(user) is None
    await user.send(f"/start {code}")
    (refused,) = await user.wait_for_bot(1)
    assert "sudah dipakai" in refused.text
    assert h.participant(user) is None  # nothing stored again


async def test_a_used_code_does_not_enrol_again_after_withdraw_and_erase(h: Harness) -> None:
    code = (await h.invite())[0]
    user = h.sim.user(4002, "B")
    await h.enrol(user, code=code)
    await leave(h, user, "erase")
    await user.send(code)  # typed as a plain message, too
    (refused,) = await user.wait_for_bot(1)
    assert "sudah dipakai" in refused.text
    assert h.participant(user) is None


async def test_after_erasure_a_new_code_starts_afresh(h: Harness) -> None:
    user = h.sim.user(4003, "C")
    first = await h.enrol(user)
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("6")
    await user.wait_for_bot(1, edits=True)
    await leave(h, user, "delete")
    again = await h.enrol(user)
    assert again.pid == first.pid and again.status is ParticipantStatus.ACTIVE
    assert h.store.list_ratings(again.pid) == []


async def test_after_withdrawing_the_same_code_is_refused_and_a_new_one_brings_them_back(
        h: Harness) -> None:
    code = (await h.invite())[0]
    user = h.sim.user(4004, "D")
    p = await h.enrol(user, code=code)
    await user.send("/rate")
    await user.wait_for_bot(1)
    await user.press("6")
    await user.wait_for_bot(1, edits=True)
    await leave(h, user, "keep")

    await user.send("/start")
    (no_code,) = await user.wait_for_bot(1)
    await user.send("/help")
    (help_text,) = await user.wait_for_bot(1)
    for text in (no_code.text, help_text.text):  # both say the same thing: a new code
        assert "kode baru" in text
    await user.send(f"/start {code}")
    (refused,) = await user.wait_for_bot(1)
    assert "sudah dipakai" in refused.text
    assert h.participant(user).status is ParticipantStatus.WITHDRAWN

    new_code = (await h.invite())[0]
    await user.send(f"/start {new_code}")
    welcome, consent = await user.wait_for_bot(2)
    assert "Selamat datang kembali" in welcome.text
    assert h.participant(user).status is ParticipantStatus.ONBOARDING
    await user.press(index=1)  # agree again
    await user.wait_for_bot(2, edits=True)
    await user.press("WIB")
    await user.wait_for_bot(2)
    await user.press("19:30")
    await user.wait_for_bot(1)
    back = h.participant(user)
    assert back.status is ParticipantStatus.ACTIVE and back.pid == p.pid
    assert back.consent is not None and back.consent.withdrawn_at is None
    assert [r.value for r in h.store.list_ratings(p.pid)] == [6]  # earlier data kept
    kinds = [e.kind for e in h.store.read_audit() if e.subject == p.pid]
    assert kinds.count("consent_given") == 2 and "rejoining" in kinds


async def test_after_declining_the_same_person_may_use_the_code_again(h: Harness) -> None:
    code = (await h.invite())[0]
    user = h.sim.user(4005, "E")
    await user.send(f"/start {code}")
    await user.wait_for_bot(2)
    await user.press("Bahasa Indonesia")
    await user.wait_for_bot(1, edits=True)
    await user.press("Tidak, terima kasih")
    await user.wait_for_bot(1, edits=True)
    p = await h.enrol(user, code=code)  # as the decline message promises
    assert p.status is ParticipantStatus.ACTIVE
    other = h.sim.user(4006, "F")
    await other.send(f"/start {code}")
    (refused,) = await other.wait_for_bot(1)
    assert "sudah dipakai" in refused.text
