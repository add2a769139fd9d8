"""The storage interface: explicit methods that take and return core dataclasses.

Nothing outside ``storage/`` ever sees a TinyDB document. Every write method returns
only after the data is durable on disk (atomic replace + fsync), so a handler may say
"saved" as soon as the call returned.

All methods are synchronous and may block on disk I/O; async callers (the bot) use
the ``AsyncStore`` wrapper in ``storage.aio``, which runs them in worker threads
behind per-file locks so the event loop never stalls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.core.flows import Flow
from bot.core.models import (
    AuditEvent,
    ExerciseRun,
    Group,
    Invite,
    Participant,
    Prompt,
    PromptKind,
    QuestionnaireResponse,
    Rating,
    RoleAssignment,
)


@dataclass(frozen=True, slots=True)
class Recent:
    """A window of one participant's records (``Store.read_recent``)."""

    ratings: tuple[Rating, ...]  # from ``since`` on, and all before ``baseline_before``
    prompts: tuple[Prompt, ...]  # from ``since`` on
    runs: tuple[ExerciseRun, ...]  # completed from the day before ``since`` on


@dataclass(frozen=True, slots=True)
class Records:
    """Every record of one participant, from one read (``Store.read_all``: exports)."""

    prompts: tuple[Prompt, ...]
    ratings: tuple[Rating, ...]
    runs: tuple[ExerciseRun, ...]
    responses: tuple[QuestionnaireResponse, ...]
    participant: Participant | None = None  # the profile, from the same read


class Reader(Protocol):
    """Reads one participant's records; picklable, so a worker process can read with it."""

    def __call__(self, pid: str) -> Records: ...


class StorageError(Exception):
    """Base class of storage failures; ``str()`` is safe to show an admin."""


class CorruptFileError(StorageError):
    """A data file could not be parsed; it has been quarantined under ``quarantined``."""

    def __init__(self, path: str, quarantined: str) -> None:
        super().__init__(f"{path} could not be read and was moved to {quarantined}")
        self.path = path
        self.quarantined = quarantined


class QuarantinedFileError(StorageError):
    """A file quarantined earlier is still in quarantine: refused, never read as empty.

    Raised by reads and writes of a missing file whose ``.corrupt-`` copy is still in the
    folder (``CorruptFileError`` is raised only once, when the file is moved aside). To
    restore, repair the copy and rename it back; to start afresh, move the copy out.
    """

    def __init__(self, path: str, quarantined: str) -> None:
        super().__init__(f"{path} is in quarantine as {quarantined}; repair and rename it "
                         "back, or move it out of the folder to start afresh")
        self.path = path
        self.quarantined = quarantined


class NewerSchemaError(StorageError):
    """A file was written by a newer Jeda; we refuse to open (and overwrite) it."""


class Store(Protocol):
    """What the bot and the CLI need from persistence."""

    # groups
    def add_group(self, group: Group) -> None: ...
    def get_group(self, name: str) -> Group | None: ...
    def list_groups(self) -> list[Group]: ...
    def save_group(self, group: Group) -> None: ...

    # invites
    def add_invites(self, invites: Iterable[Invite]) -> None: ...
    def get_invite(self, code_hash: str) -> Invite | None: ...
    def claim_invite(self, code_hash: str, pid: str, now: datetime) -> Invite | None:
        """Mark the invite used by ``pid`` if it is still usable; return it, else None.

        The same ``pid`` may claim its own invite again until it is spent."""
        ...
    def list_invites(self, group: str | None = None) -> list[Invite]: ...
    def revoke_invite(self, code_hash: str, now: datetime) -> Invite | None:
        """Make an unused invite unusable from ``now``; None when there is no such one."""
        ...
    def spend_invites(self, pid: str, now: datetime) -> None:
        """Mark every invite claimed by ``pid`` as spent (its user agreed to take part)."""
        ...

    # participants
    def save_participant(self, participant: Participant) -> None: ...
    def get_participant(self, pid: str) -> Participant | None: ...
    def list_participants(self, group: str | None = None) -> list[Participant]: ...
    def delete_participant(self, pid: str) -> None:
        """Erase the participant's data (the consent record is kept in the audit log)."""
        ...

    # prompts (keyed by pid, kind, local_date, ref)
    def save_prompt(self, prompt: Prompt) -> None: ...
    def get_prompt(self, pid: str, kind: PromptKind, local_date: date,
                   ref: str = "") -> Prompt | None: ...
    def list_prompts(self, pid: str) -> list[Prompt]: ...
    def read_recent(self, pid: str, since: date, baseline_before: date | None) -> Recent:
        """One read of a window of the records (summaries): only what is in it is decoded,
        and nothing is kept in a cache, so a week's summary of a year's data stays small."""
        ...
    def read_all(self, pid: str) -> Records:
        """One read of all the records (exports), kept in no cache."""
        ...
    def participant_ids(self) -> list[str]:
        """Every participant's id, sorted, without reading their records (an export reads
        each file once, in its workers)."""
        ...
    def reader(self) -> Reader | None:
        """A ``read_all`` that other processes can use (exports and reports of many
        participants read in parallel); None when only this process can read the store."""
        ...

    # the participant's open flow (at most one)
    def get_flow(self, pid: str) -> Flow | None: ...
    def save_flow(self, flow: Flow) -> None: ...
    def clear_flow(self, pid: str) -> None: ...

    # ratings, exercise runs, questionnaires
    def add_rating(self, rating: Rating, answered_prompt: Prompt | None = None) -> None:
        """Append a rating; with ``answered_prompt``, save that prompt in the same write."""
        ...
    def list_ratings(self, pid: str) -> list[Rating]: ...
    def save_exercise_run(self, run: ExerciseRun) -> None: ...
    def list_exercise_runs(self, pid: str) -> list[ExerciseRun]: ...
    def save_questionnaire_response(self, response: QuestionnaireResponse) -> None: ...
    def list_questionnaire_responses(self, pid: str) -> list[QuestionnaireResponse]: ...

    # roles
    def assign_role(self, assignment: RoleAssignment) -> None: ...
    def list_roles(self, telegram_id: int | None = None) -> list[RoleAssignment]: ...
    def revoke_role(self, telegram_id: int, role: str, group: str | None) -> None: ...

    # audit (append-only)
    def append_audit(self, event: AuditEvent) -> None: ...
    def read_audit(self) -> Iterator[AuditEvent]: ...

    def quarantined_files(self) -> list[tuple[str, str]]:
        """Every file now in quarantine: (its path in the data folder, its copy's path)."""
        ...

    # installation secret for pseudonyms (created on first use, 32 random bytes)
    def secret_key(self) -> bytes: ...

    def close(self) -> None: ...
