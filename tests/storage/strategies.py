"""Hypothesis strategies for every record type, with awkward text and odd UTC offsets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

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

ODD_TEXTS = [
    "",
    "\x00",
    "a\x00b",
    "🧘‍♀️🌧️😮‍💨",
    "مرحبا بالعالم",  # right-to-left
    "\u202eevil\u202c",  # right-to-left override
    "שלום עולם",
    "e\u0301",  # combining accent
    "\ufeffBOM",
    "line\nbreak\r\n\ttab",
    '"quotes" \\ back\\slash',
    "x" * 4096,
    "🙂" * 4096,
    "ك" * 4096,
]

# Any Unicode except lone surrogates (category Cs), which are not valid text; the store
# refuses those with a StorageError (tested separately).
text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(ODD_TEXTS),
)
pids = st.from_regex(r"[a-z0-9]{1,24}", fullmatch=True)

# Fixed offsets strictly inside +-24 h, down to the microsecond (e.g. +05:30:15.000007).
offsets = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59, seconds=-59),
                        max_value=timedelta(hours=23, minutes=59, seconds=59))
zones = st.one_of(
    st.just(UTC),
    st.sampled_from([timedelta(hours=5, minutes=45), timedelta(hours=-9, minutes=-30),
                     timedelta(hours=14), timedelta(hours=-12),
                     timedelta(hours=5, minutes=30, seconds=15, microseconds=7)]).map(timezone),
    offsets.map(timezone),
)
aware = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 1, 1),
                     timezones=zones)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1))
big_ints = st.one_of(st.integers(-(2**63), 2**63), st.integers())

json_leaf = st.one_of(st.none(), st.booleans(), big_ints,
                      st.floats(allow_nan=False, allow_infinity=False), text)
json_data: st.SearchStrategy[Any] = st.recursive(
    json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(text, inner, max_size=4)),
    max_leaves=12,
)
json_objects = st.dictionaries(text, json_data, max_size=5)

groups = st.builds(Group, name=text, timezone=text, created_at=aware,
                   pre_date=st.none() | dates,
                   session_dates=st.lists(dates, max_size=4).map(tuple),
                   post_date=st.none() | dates,
                   facilitator_ids=st.lists(big_ints, max_size=3).map(tuple))
invites = st.builds(Invite, code_hash=text, group=text, created_at=aware, expires_at=aware,
                    used_by=st.none() | pids, used_at=st.none() | aware)
consents = st.builds(Consent, agreed=st.booleans(), at=aware, content_version=text,
                     withdrawn_at=st.none() | aware, keep_data=st.none() | st.booleans())
participants = st.builds(
    Participant, pid=pids, telegram_id=big_ints, chat_id=big_ints, group=text,
    created_at=aware, language=st.sampled_from(Language), timezone=text,
    prompt_time=st.times(), reminder_enabled=st.booleans(),
    reminder_delay_minutes=st.integers(0, 10_000),
    quiet_start=st.none() | st.times(), quiet_end=st.none() | st.times(),
    status=st.sampled_from(ParticipantStatus), onboarding_step=st.sampled_from(OnboardingStep),
    consent=st.none() | consents, active_since=st.none() | aware,
    paused_until=st.none() | dates, unreachable_since=st.none() | aware)


def prompts_for(pid: str) -> st.SearchStrategy[Prompt]:
    return st.builds(
        Prompt, pid=st.just(pid), kind=st.sampled_from(PromptKind), local_date=dates,
        scheduled_at=aware, content_version=text, sent_at=st.none() | aware,
        reminded_at=st.none() | aware, answered_at=st.none() | aware,
        expired_at=st.none() | aware, delivery=st.sampled_from(DeliveryStatus),
        message_id=st.none() | big_ints, attempts=st.integers(0, 100),
        last_attempt_at=st.none() | aware)


def ratings_for(pid: str) -> st.SearchStrategy[Rating]:
    return st.builds(Rating, pid=st.just(pid), local_date=dates, value=st.integers(0, 10),
                     kind=st.sampled_from(RatingKind), recorded_at=aware, content_version=text)


def runs_for(pid: str) -> st.SearchStrategy[ExerciseRun]:
    return st.builds(ExerciseRun, pid=st.just(pid), run_id=text, exercise_id=text,
                     module_id=text, started_at=aware, content_version=text,
                     completed_at=st.none() | aware, before=st.none() | st.integers(0, 10),
                     after=st.none() | st.integers(0, 10), data=json_objects)


def responses_for(pid: str) -> st.SearchStrategy[QuestionnaireResponse]:
    return st.builds(QuestionnaireResponse, pid=st.just(pid), instrument=text,
                     phase=st.sampled_from(QuestionnairePhase),
                     answers=st.lists(st.none() | big_ints, max_size=20).map(tuple),
                     submitted_at=st.none() | aware, content_version=text,
                     occasion=text, started_at=st.none() | aware,
                     position=st.integers(0, 20))


roles = st.builds(RoleAssignment, telegram_id=big_ints, role=st.sampled_from(Role),
                  group=st.none() | text, assigned_at=aware, assigned_by=text)
audit_events = st.builds(AuditEvent, at=aware, kind=text, actor=text,
                         subject=st.none() | text, data=json_objects)
