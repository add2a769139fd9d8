"""Every record type survives the store unchanged, odd text included (hypothesis)."""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.models import (
    AuditEvent,
    Consent,
    DeliveryStatus,
    ExerciseRun,
    Group,
    Invite,
    Language,
    OnboardingStep,
    Participant,
    ParticipantStatus,
    Prompt,
    PromptKind,
    QuestionnairePhase,
    QuestionnaireResponse,
    Rating,
    RatingKind,
    Role,
    RoleAssignment,
)
from storage.tinydb_store import TinyDBStore

# Valid JSON text: any code point except lone surrogates (which no UTF-8 file can hold).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
ODD = st.one_of(
    TEXT,
    st.sampled_from(["😮‍💨🌱", "مرحبا بالعالم", "שלום", "\x00nul\x00", "x" * 4096,
                     "tab\tnew\nline", "back\\slash \"quote\"", "ẞ ǅ ﬁ"]),
)
OFFSETS = st.sampled_from([UTC, timezone(timedelta(hours=7)),
                           timezone(timedelta(hours=5, minutes=45)),
                           timezone(timedelta(hours=-3, minutes=-30))])
DATETIMES = st.builds(lambda d, tz: d.replace(tzinfo=tz),
                      st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
                      OFFSETS)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
TIMES = st.times().map(lambda t: t.replace(microsecond=0))
PID = st.text("ABCDEF0123456789", min_size=10, max_size=10).map(lambda s: "P" + s)
JSONABLE = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | ODD
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
MAPPINGS = st.dictionaries(TEXT, JSONABLE, max_size=4)

CONSENTS = st.builds(Consent, agreed=st.booleans(), at=DATETIMES, content_version=ODD,
                     withdrawn_at=st.none() | DATETIMES, keep_data=st.none() | st.booleans())
PARTICIPANTS = st.builds(
    Participant, pid=PID, telegram_id=st.integers(1, 2**52), chat_id=st.integers(1, 2**52),
    group=ODD, created_at=DATETIMES, language=st.sampled_from(Language), timezone=ODD,
    prompt_time=TIMES, reminder_enabled=st.booleans(), reminder_delay_minutes=st.integers(0, 900),
    quiet_start=st.none() | TIMES, quiet_end=st.none() | TIMES,
    status=st.sampled_from(ParticipantStatus), onboarding_step=st.sampled_from(OnboardingStep),
    consent=st.none() | CONSENTS, active_since=st.none() | DATETIMES,
    paused_until=st.none() | DATES, unreachable_since=st.none() | DATETIMES,
)
SLOW = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fresh() -> TinyDBStore:
    return TinyDBStore(Path(tempfile.mkdtemp()), fsync=False)


def reopened(store: TinyDBStore) -> TinyDBStore:
    """A second store on the same folder: nothing comes from the first one's cache."""
    return TinyDBStore(store.root, fsync=False)


@SLOW
@given(PARTICIPANTS)
def test_participant_round_trips(participant: Participant) -> None:
    store = fresh()
    store.save_participant(participant)
    assert store.get_participant(participant.pid) == participant
    assert reopened(store).get_participant(participant.pid) == participant


@SLOW
@given(PID, st.lists(st.tuples(DATES, st.integers(0, 10), st.sampled_from(RatingKind), DATETIMES,
                               ODD), min_size=1, max_size=8))
def test_ratings_round_trip_in_order(pid: str, rows: list) -> None:  # type: ignore[type-arg]
    store = fresh()
    ratings = [Rating(pid, d, v, k, at, cv) for d, v, k, at, cv in rows]
    for rating in ratings:
        store.add_rating(rating)
    assert reopened(store).list_ratings(pid) == ratings


@SLOW
@given(PID, DATES, DATETIMES, ODD, st.sampled_from(DeliveryStatus), st.integers(0, 9),
       st.none() | st.integers(1, 2**40), st.none() | DATETIMES)
def test_prompt_round_trips_and_upserts(pid: str, day: date, at: datetime, version: str,
                                        delivery: DeliveryStatus, attempts: int,
                                        message_id: int | None, answered: datetime | None) -> None:
    store = fresh()
    first = Prompt(pid, PromptKind.DAILY_RATING, day, at, version)
    store.save_prompt(first)
    second = Prompt(pid, PromptKind.DAILY_RATING, day, at, version, sent_at=at, delivery=delivery,
                    attempts=attempts, message_id=message_id, answered_at=answered,
                    last_attempt_at=at)
    store.save_prompt(second)
    assert reopened(store).list_prompts(pid) == [second]
    assert reopened(store).get_prompt(pid, PromptKind.DAILY_RATING, day) == second


@SLOW
@given(PID, ODD, ODD, DATETIMES, st.none() | st.integers(0, 10), MAPPINGS,
       st.lists(st.none() | st.integers(0, 4), max_size=12), st.sampled_from(QuestionnairePhase))
def test_runs_and_questionnaires_round_trip(pid: str, exercise: str, module: str, at: datetime,
                                            before: int | None, data: dict,  # type: ignore[type-arg]
                                            answers: list, phase: QuestionnairePhase) -> None:  # type: ignore[type-arg]
    store = fresh()
    run = ExerciseRun(pid, "run1", exercise, module, at, "v1", completed_at=at, before=before,
                      after=before, data=data)
    store.save_exercise_run(run)
    response = QuestionnaireResponse(pid, exercise, phase, tuple(answers), at, "v1")
    store.save_questionnaire_response(response)
    again = reopened(store)
    assert again.list_exercise_runs(pid) == [run]
    assert again.list_questionnaire_responses(pid) == [response]


@SLOW
@given(ODD.filter(bool), ODD, DATETIMES, st.lists(DATES, max_size=4),
       st.lists(st.integers(1, 2**52), max_size=3), st.integers(1, 2**52), st.sampled_from(Role),
       ODD, MAPPINGS)
def test_registry_records_and_audit_round_trip(name: str, zone: str, at: datetime,
                                               sessions: list, facilitators: list,  # type: ignore[type-arg]
                                               tid: int, role: Role, actor: str,
                                               data: dict) -> None:  # type: ignore[type-arg]
    store = fresh()
    group = Group(name, zone, at, pre_date=None, session_dates=tuple(sessions), post_date=None,
                  facilitator_ids=tuple(facilitators))
    store.add_group(group)
    invite = Invite("h" * 64, name, at, at + timedelta(days=1))
    store.add_invites([invite])
    assignment = RoleAssignment(tid, role, name, at, actor)
    store.assign_role(assignment)
    event = AuditEvent(at, "kind", actor, None, data)
    store.append_audit(event)
    again = reopened(store)
    assert again.get_group(name) == group
    assert again.get_invite("h" * 64) == invite
    assert again.list_roles(tid) == [assignment]
    assert list(again.read_audit()) == [event]


def test_rating_and_answered_prompt_are_one_write(monkeypatch) -> None:  # noqa: ANN001
    import storage.files as files

    store = fresh()
    day = date(2026, 11, 28)
    at = datetime(2026, 11, 28, 12, tzinfo=UTC)
    prompt = Prompt("PAAAAAAAAAA", PromptKind.DAILY_RATING, day, at, "v", sent_at=at,
                    delivery=DeliveryStatus.SENT)
    store.save_prompt(prompt)
    writes: list[Path] = []
    real = files.write_json_atomic
    def counting(path: Path, data: object, fsync: bool = True) -> None:
        writes.append(path)
        real(path, data, fsync)

    monkeypatch.setattr(files, "write_json_atomic", counting)
    answered = dataclasses.replace(prompt, answered_at=at)
    store.add_rating(Rating("PAAAAAAAAAA", day, 5, RatingKind.PROMPTED, at, "v"), answered)
    assert writes == [store.participant_path("PAAAAAAAAAA")]
    again = reopened(store)
    assert again.get_prompt("PAAAAAAAAAA", PromptKind.DAILY_RATING, day).answered_at == at
    assert [r.value for r in again.list_ratings("PAAAAAAAAAA")] == [5]


def test_invite_is_single_use_and_expires() -> None:
    store = fresh()
    at = datetime(2026, 11, 28, tzinfo=UTC)
    store.add_invites([Invite("c1", "G", at, at + timedelta(days=1))])
    assert store.claim_invite("c1", "PAAAAAAAAAA", at) is not None
    assert store.claim_invite("c1", "PAAAAAAAAAA", at) is not None  # the same person again
    assert store.claim_invite("c1", "PBBBBBBBBBB", at) is None
    store.add_invites([Invite("c2", "G", at, at + timedelta(days=1))])
    assert store.claim_invite("c2", "PBBBBBBBBBB", at + timedelta(days=2)) is None
    assert store.claim_invite("nope", "PBBBBBBBBBB", at) is None


def test_delete_participant_removes_file_and_index() -> None:
    store = fresh()
    p = Participant("PAAAAAAAAAA", 1, 1, "G", datetime(2026, 1, 1, tzinfo=UTC))
    store.save_participant(p)
    store.add_rating(Rating(p.pid, date(2026, 1, 1), 3, RatingKind.SELF_INITIATED,
                            datetime(2026, 1, 1, tzinfo=UTC), "v"))
    store.delete_participant(p.pid)
    assert store.get_participant(p.pid) is None
    assert not store.participant_path(p.pid).exists()
    assert store.list_ratings(p.pid) == []


@pytest.mark.parametrize("kind", ["tinydb", "memory"])
def test_erasure_unlinks_the_spent_code_and_keeps_the_consent_record(kind: str) -> None:
    """After erasure the code they agreed with stays spent, by nobody; a code someone
    only claimed (and declined with) stays theirs to come back with; the audit log keeps
    its content-free record under the pseudonym, as the erasure message says."""
    from storage.memory import MemoryStore

    store = fresh() if kind == "tinydb" else MemoryStore()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    agreed, declined = "PAAAAAAAAAA", "PBBBBBBBBBB"
    store.add_invites([Invite("c1", "G", at, at + timedelta(days=9), used_by=agreed,
                              used_at=at, spent_at=at),
                       Invite("c2", "G", at, at + timedelta(days=9), used_by=declined,
                              used_at=at)])
    for pid in (agreed, declined):
        store.save_participant(Participant(pid, 1, 1, "G", at))
        store.append_audit(AuditEvent(at, "consent_given", pid, pid, {}))
        store.delete_participant(pid)
    spent, claimed = store.get_invite("c1"), store.get_invite("c2")
    assert spent is not None and spent.used_by == "erased" and not spent.is_usable(at)
    assert claimed is not None and claimed.used_by == declined
    assert [e.subject for e in store.read_audit()] == [agreed, declined]
    assert store.get_participant(agreed) is None


def test_secret_key_is_created_once_private_and_stable() -> None:
    store = fresh()
    key = store.secret_key()
    assert len(key) == 32
    assert (store.root / "secret.key").stat().st_mode & 0o777 == 0o600
    assert reopened(store).secret_key() == key


def test_torn_last_audit_line_is_skipped() -> None:
    store = fresh()
    store.append_audit(AuditEvent(datetime(2026, 1, 1, tzinfo=UTC), "a", "cli"))
    with open(store.root / "audit.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"at": "2026-01-01T00:00:00+00:00", "ki')
    assert [e.kind for e in reopened(store).read_audit()] == ["a"]


def test_time_fields_keep_seconds() -> None:
    store = fresh()
    p = Participant("PAAAAAAAAAA", 1, 1, "G", datetime(2026, 1, 1, tzinfo=UTC),
                    prompt_time=time(7, 5))
    store.save_participant(p)
    assert reopened(store).get_participant(p.pid).prompt_time == time(7, 5)
