"""Every record type survives a trip through TinyDBStore unchanged (property tests).

"Unchanged" is checked twice: dataclass equality, and equality of the stored form, which
also catches a changed UTC offset (aware datetimes compare equal across offsets).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.models import AuditEvent, Participant, Prompt, PromptKind, Rating, RatingKind
from storage import StorageError
from storage.convert import to_doc
from storage.tinydb_store import TinyDBStore
from tests.storage import strategies as s

PROPS = settings(max_examples=40, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def fresh_store() -> Iterator[TinyDBStore]:
    with tempfile.TemporaryDirectory() as folder:
        yield TinyDBStore(Path(folder), fsync=False)


def same(a: Any, b: Any) -> None:
    assert a == b
    assert json.dumps(to_doc(a), sort_keys=True) == json.dumps(to_doc(b), sort_keys=True)


@PROPS
@given(st.lists(s.groups, max_size=4, unique_by=lambda g: g.name))
def test_groups_round_trip(groups: list[Any]) -> None:
    with fresh_store() as store:
        for group in groups:
            store.add_group(group)
        fresh = TinyDBStore(store.root)  # a cold cache: really read from disk
        for group in groups:
            same(fresh.get_group(group.name), group)
        same(fresh.list_groups(), groups)


@PROPS
@given(st.lists(s.invites, max_size=4, unique_by=lambda i: i.code_hash))
def test_invites_round_trip(invites: list[Any]) -> None:
    with fresh_store() as store:
        store.add_invites(invites)
        fresh = TinyDBStore(store.root)
        for invite in invites:
            same(fresh.get_invite(invite.code_hash), invite)


@PROPS
@given(s.participants)
def test_participant_round_trip(participant: Participant) -> None:
    with fresh_store() as store:
        store.save_participant(participant)
        for reader in (store, TinyDBStore(store.root)):
            same(reader.get_participant(participant.pid), participant)
            same(reader.list_participants(participant.group), [participant])


@PROPS
@given(st.data())
def test_prompts_ratings_runs_answers_round_trip(data: st.DataObject) -> None:
    pid = data.draw(s.pids)
    prompts = data.draw(st.lists(s.prompts_for(pid), max_size=5))
    ratings = data.draw(st.lists(s.ratings_for(pid), max_size=5))
    runs = data.draw(st.lists(s.runs_for(pid), max_size=3, unique_by=lambda r: r.run_id))
    answers = data.draw(st.lists(s.responses_for(pid), max_size=3, unique_by=lambda r: r.key))
    with fresh_store() as store:
        for prompt in prompts:
            store.save_prompt(prompt)
        for rating in ratings:
            store.add_rating(rating)
        for run in runs:
            store.save_exercise_run(run)
        for answer in answers:
            store.save_questionnaire_response(answer)
        latest = {(p.kind, p.local_date): p for p in prompts}  # upsert: last one wins
        for reader in (store, TinyDBStore(store.root)):
            got = reader.list_prompts(pid)
            assert len(got) == len(latest)
            for prompt in latest.values():
                same(reader.get_prompt(pid, prompt.kind, prompt.local_date), prompt)
            same(reader.list_ratings(pid), ratings)
            same(reader.list_exercise_runs(pid), runs)
            same(reader.list_questionnaire_responses(pid), answers)


@PROPS
@given(st.lists(s.roles, max_size=5))
def test_roles_round_trip(roles: list[Any]) -> None:
    with fresh_store() as store:
        for role in roles:
            store.assign_role(role)
        latest = {(r.telegram_id, r.role, r.group): r for r in roles}  # keyed: last wins
        fresh = TinyDBStore(store.root)
        got = fresh.list_roles()
        assert len(got) == len(latest)
        for role in latest.values():
            assert role in fresh.list_roles(role.telegram_id)


@PROPS
@given(st.lists(s.audit_events, max_size=5))
def test_audit_round_trip(events: list[Any]) -> None:
    with fresh_store() as store:
        for event in events:
            store.append_audit(event)
        same(list(TinyDBStore(store.root).read_audit()), events)


# --- text that is not valid Unicode -----------------------------------------------------

LONE = "bad\ud800text"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every data file's bytes (lock files are empty and carry no data)."""
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.suffix != ".lock"}


@pytest.mark.parametrize("field", ["group", "timezone"])
def test_lone_surrogate_is_refused_before_anything_is_written(
        store: TinyDBStore, field: str) -> None:
    good = Participant(pid="p1", telegram_id=1, chat_id=1, group="g",
                       created_at=datetime(2025, 1, 1, tzinfo=UTC))
    store.save_participant(good)
    before = snapshot(store.root)
    value: Any = LONE
    bad = Participant(**{**{f: getattr(good, f) for f in good.__slots__}, field: value})
    with pytest.raises(StorageError, match="not valid Unicode"):
        store.save_participant(bad)
    assert snapshot(store.root) == before  # no temp file left, nothing replaced
    assert store.get_participant("p1") == good
    assert TinyDBStore(store.root).get_participant("p1") == good


def test_lone_surrogate_in_rating_audit_and_new_participant(store: TinyDBStore) -> None:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    with pytest.raises(StorageError):
        store.add_rating(Rating("p2", at.date(), 3, RatingKind.PROMPTED, at, LONE))
    with pytest.raises(StorageError):
        store.save_prompt(Prompt("p2", PromptKind.DAILY_RATING, at.date(), at, LONE))
    with pytest.raises(StorageError):
        store.append_audit(AuditEvent(at=at, kind="x", actor=LONE))
    assert snapshot(store.root) == {}
    assert store.list_ratings("p2") == []
    assert list(store.read_audit()) == []
