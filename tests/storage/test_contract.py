"""The Store contract, run over every store (TinyDB files and memory), as TinyDB's own tests
run over its storages. File-only behaviour (atomic writes, quarantine, SIGKILL) lives in
the other storage tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.core.flows import Flow, FlowKind, FlowStep
from bot.core.models import (
    AuditEvent,
    DeliveryStatus,
    ExerciseRun,
    Group,
    Invite,
    Participant,
    Prompt,
    PromptKind,
    QuestionnairePhase,
    QuestionnaireResponse,
    Rating,
    RatingKind,
    Role,
    RoleAssignment,
)
from storage import StorageError, Store
from storage.memory import MemoryStore
from storage.tinydb_store import TinyDBStore

AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAY = date(2026, 12, 1)


@pytest.fixture(params=["tinydb", "memory"])
def stores(request: pytest.FixtureRequest, tmp_path: Path
           ) -> Iterator[tuple[Store, Callable[[], Store]]]:
    """A store and a way to read it afresh (a new TinyDBStore on the same folder)."""
    if request.param == "memory":
        memory = MemoryStore()
        yield memory, lambda: memory
    else:
        first = TinyDBStore(tmp_path, fsync=False)
        yield first, lambda: TinyDBStore(tmp_path, fsync=False)


def person(pid: str = "P1", telegram_id: int = 11, group: str = "G") -> Participant:
    return Participant(pid=pid, telegram_id=telegram_id, chat_id=telegram_id, group=group,
                       created_at=AT, prompt_time=time(20, 15))


def test_groups_are_unique_by_name_and_replaced_on_save(stores) -> None:  # noqa: ANN001
    store, reopen = stores
    store.add_group(Group("G", "Asia/Makassar", AT))
    with pytest.raises(StorageError):
        store.add_group(Group("G", "Asia/Jakarta", AT))
    store.save_group(Group("G", "Asia/Makassar", AT, facilitator_ids=(5,)))
    assert reopen().get_group("G") == Group("G", "Asia/Makassar", AT, facilitator_ids=(5,))
    assert [g.name for g in reopen().list_groups()] == ["G"]
    with pytest.raises(StorageError):
        store.add_group(Group("g", "Asia/Jakarta", AT))  # one name whatever its case
    assert reopen().get_group("g") == store.get_group("G")


def test_an_invite_is_claimed_once_and_spent_for_good(stores) -> None:  # noqa: ANN001
    store, reopen = stores
    store.add_invites([Invite("h1", "G", AT, AT + timedelta(days=1)),
                       Invite("h2", "G", AT, AT + timedelta(hours=1))])
    claimed = store.claim_invite("h1", "P1", AT)
    assert claimed is not None and claimed.used_by == "P1" and claimed.used_at == AT
    assert store.claim_invite("h1", "P2", AT) is None
    assert store.claim_invite("h1", "P1", AT) == claimed  # its own user may come back
    store.spend_invites("P1", AT)
    assert store.claim_invite("h1", "P1", AT) is None
    assert reopen().get_invite("h1").spent_at == AT  # type: ignore[union-attr]
    assert store.claim_invite("h2", "P3", AT + timedelta(hours=1)) is None  # expired
    assert store.claim_invite("nope", "P3", AT) is None


def test_participants_are_found_listed_by_group_and_erased(stores) -> None:  # noqa: ANN001
    store, reopen = stores
    store.save_participant(person("P1", 11, "G"))
    store.save_participant(person("P2", 12, "H"))
    store.save_prompt(Prompt("P1", PromptKind.DAILY_RATING, DAY, AT, "v"))
    store.add_rating(Rating("P1", DAY, 4, RatingKind.PROMPTED, AT, "v"))
    store.save_flow(Flow.open("P1", FlowKind.PAUSE, FlowStep.DAYS, AT))
    fresh = reopen()
    assert fresh.get_participant("P1") == person("P1", 11, "G")
    assert fresh.get_participant("P2") == person("P2", 12, "H")
    assert fresh.get_participant("P9") is None
    assert [p.pid for p in fresh.list_participants("G")] == ["P1"]
    assert [p.pid for p in fresh.list_participants()] == ["P1", "P2"]
    store.delete_participant("P1")
    fresh = reopen()
    assert fresh.get_participant("P1") is None
    assert fresh.list_prompts("P1") == [] and fresh.list_ratings("P1") == []
    assert fresh.get_flow("P1") is None
    assert [p.pid for p in fresh.list_participants()] == ["P2"]


def test_prompts_are_keyed_by_kind_and_day_and_a_rating_saves_its_prompt(
        stores) -> None:  # noqa: ANN001
    store, reopen = stores
    store.save_participant(person())
    prompt = Prompt("P1", PromptKind.DAILY_RATING, DAY, AT, "v")
    store.save_prompt(prompt)
    sent = Prompt("P1", PromptKind.DAILY_RATING, DAY, AT, "v", sent_at=AT,
                  delivery=DeliveryStatus.SENT, message_id=7, attempts=1)
    store.save_prompt(sent)
    answered = Prompt("P1", PromptKind.DAILY_RATING, DAY, AT, "v", sent_at=AT,
                      answered_at=AT + timedelta(minutes=3), delivery=DeliveryStatus.SENT)
    store.add_rating(Rating("P1", DAY, 6, RatingKind.PROMPTED, AT, "v"), answered)
    fresh = reopen()
    assert fresh.list_prompts("P1") == [answered]
    assert fresh.get_prompt("P1", PromptKind.DAILY_RATING, DAY) == answered
    assert fresh.get_prompt("P1", PromptKind.DAILY_RATING, DAY + timedelta(days=1)) is None
    assert [r.value for r in fresh.list_ratings("P1")] == [6]
    with pytest.raises(StorageError):
        store.add_rating(Rating("P1", DAY, 6, RatingKind.PROMPTED, AT, "v"),
                         Prompt("P2", PromptKind.DAILY_RATING, DAY, AT, "v"))


def test_one_open_flow_per_participant(stores) -> None:  # noqa: ANN001
    store, reopen = stores
    store.save_participant(person())
    assert store.get_flow("P1") is None
    first = Flow.open("P1", FlowKind.SETTINGS, FlowStep.MENU, AT).shown_in(41)
    store.save_flow(first)
    second = first.advance(FlowStep.TIME, AT + timedelta(minutes=1)).with_data(
        run="r1", step=2, belief=0.5, done=False, note=None, text="🌱 tenang")
    store.save_flow(second)
    assert reopen().get_flow("P1") == second
    assert dict(reopen().get_flow("P1").data) == {  # type: ignore[union-attr]
        "run": "r1", "step": 2, "belief": 0.5, "done": False, "note": None, "text": "🌱 tenang"}
    store.clear_flow("P1")
    assert reopen().get_flow("P1") is None
    store.clear_flow("P9")  # nobody: nothing happens, nothing is created
    assert reopen().get_participant("P9") is None


def test_runs_replace_by_id_and_responses_by_occasion(stores) -> None:  # noqa: ANN001
    store, reopen = stores
    store.save_participant(person())
    run = ExerciseRun("P1", "r1", "box-breathing", "relaxation", AT, "v")
    store.save_exercise_run(run)
    done = ExerciseRun("P1", "r1", "box-breathing", "relaxation", AT, "v",
                       completed_at=AT + timedelta(minutes=4), before=7, after=4,
                       data={"cycles": 4})
    store.save_exercise_run(done)
    answers = QuestionnaireResponse("P1", "weekly", QuestionnairePhase.WEEKLY, (1, None, 3),
                                    AT, "v")
    store.save_questionnaire_response(answers)
    other_week = replace(answers, occasion="2026-W50")
    store.save_questionnaire_response(other_week)
    finished = replace(answers, answers=(1, 2, 3), position=3)
    store.save_questionnaire_response(finished)  # the same occasion: replaced, in place
    fresh = reopen()
    assert fresh.list_exercise_runs("P1") == [done]
    got = fresh.list_questionnaire_responses("P1")
    assert sorted(got, key=lambda r: r.key) == [other_week, finished]


def test_roles_are_replaced_listed_and_revoked(stores) -> None:  # noqa: ANN001
    store, reopen = stores
    store.assign_role(RoleAssignment(5, Role.FACILITATOR, "G", AT, "cli"))
    store.assign_role(RoleAssignment(5, Role.FACILITATOR, "G", AT + timedelta(days=1), "cli"))
    store.assign_role(RoleAssignment(6, Role.RESEARCHER, None, AT, "cli"))
    assert len(reopen().list_roles()) == 2
    assert [r.role for r in reopen().list_roles(5)] == [Role.FACILITATOR]
    store.revoke_role(5, Role.FACILITATOR.value, "G")
    assert [r.telegram_id for r in reopen().list_roles()] == [6]


def test_audit_appends_in_order_and_the_secret_is_stable(stores) -> None:  # noqa: ANN001
    store, reopen = stores
    events = [AuditEvent(AT, "a", "cli"), AuditEvent(AT, "b", "bot", "P1", {"n": 1})]
    for event in events:
        store.append_audit(event)
    assert list(reopen().read_audit()) == events
    assert len(store.secret_key()) == 32
    assert store.secret_key() == reopen().secret_key()


def test_a_window_read_holds_the_window_and_the_baseline_only(stores) -> None:  # noqa: ANN001
    store, reopen = stores
    store.save_participant(person())
    for n in range(60):  # 60 days up to 1 December
        d = DAY - timedelta(days=59 - n)
        at = datetime(d.year, d.month, d.day, 12, tzinfo=UTC)
        prompt = Prompt("P1", PromptKind.DAILY_RATING, d, at, "v", answered_at=at)
        store.add_rating(Rating("P1", d, n % 11, RatingKind.PROMPTED, at, "v"), prompt)
        store.save_exercise_run(ExerciseRun("P1", f"r{n:02d}", "ex", "m", at, "v",
                                            completed_at=at))
    since, before = DAY - timedelta(days=6), DAY - timedelta(days=50)
    recent = reopen().read_recent("P1", since, before)
    assert sorted({r.local_date for r in recent.ratings}) == (
        [DAY - timedelta(days=59 - n) for n in range(9)]
        + [since + timedelta(days=n) for n in range(7)])
    assert [p.local_date for p in sorted(recent.prompts, key=lambda p: p.local_date)] == [
        since + timedelta(days=n) for n in range(7)]
    assert len(recent.runs) == 8  # from the day before the window on
    assert reopen().read_recent("nobody", since, None).ratings == ()
