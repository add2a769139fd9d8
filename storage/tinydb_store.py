"""TinyDBStore: the ``Store`` on TinyDB files under one data folder.

Layout (see docs/architecture.md, "Storage"):
  registry.json            groups, invites, roles
  participants/<pid>.json  one file per participant: profile, prompts, ratings, runs, answers
  audit.jsonl              append-only events (one JSON object per line)
  secret.key               32 random bytes for pseudonyms and invite hashes (mode 0600)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

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
    same_name,
)
from storage import Recent, Records, StorageError, window
from storage.atomic import private_dir
from storage.convert import from_doc, to_doc
from storage.files import Decoders, Files, quarantined_copies, replace_doc
from storage.invites import InviteTables, forget_invite_user
from storage.journal import AuditLog, load_or_create_secret

logger = logging.getLogger(__name__)

T = TypeVar("T")
REGISTRY = "registry.json"
AUDIT = "audit.jsonl"
SECRET = "secret.key"
PARTICIPANTS = "participants"


def _decoder(cls: type[T]) -> Callable[[dict[str, Any]], T]:
    return functools.partial(from_doc, cls)


REGISTRY_TABLES: Decoders = {
    "groups": _decoder(Group), "invites": _decoder(Invite), "roles": _decoder(RoleAssignment),
}
PARTICIPANT_TABLES: Decoders = {
    "profile": _decoder(Participant), "prompts": _decoder(Prompt), "ratings": _decoder(Rating),
    "exercise_runs": _decoder(ExerciseRun), "questionnaires": _decoder(QuestionnaireResponse),
    "flow": _decoder(Flow),
}


def _prompt_key(prompt: Prompt) -> dict[str, Any]:
    """The fields that identify a prompt document (``ref`` only when set: documents of
    daily prompts written before it existed have none)."""
    key = {"kind": prompt.kind.value, "local_date": prompt.local_date.isoformat()}
    return key | {"ref": prompt.ref} if prompt.ref else key


class TinyDBStore(InviteTables):
    """One data folder; safe for concurrent threads and for a CLI process beside the bot."""

    def __init__(self, data_dir: str | Path, fsync: bool = True, prepare: bool = True) -> None:
        """``prepare=False``: a reader that changes nothing (no folders made, no modes)."""
        self.root = Path(data_dir)
        if prepare:
            private_dir(self.root)
            private_dir(self.root / PARTICIPANTS)
        self.files = Files(fsync)
        self.fsync = fsync
        self.audit = AuditLog(self.root / AUDIT, self.files, fsync)
        self._secret: bytes | None = None

    # --- paths and snapshots ---------------------------------------------------------

    @property
    def registry(self) -> Path:
        return self.root / REGISTRY

    def participant_path(self, pid: str) -> Path:
        """The participant's file; refuse ids that are not plain letters and digits."""
        if not pid.isalnum() or not pid.isascii():
            raise StorageError(f"not a participant id: {pid!r}")
        return self.root / PARTICIPANTS / f"{pid}.json"

    def _registry(self, table: str) -> tuple[Any, ...]:
        return self.files.records(self.registry, REGISTRY_TABLES, table) or ()

    def _rows(self, pid: str, table: str) -> tuple[Any, ...]:
        return self.files.records(self.participant_path(pid), PARTICIPANT_TABLES, table) or ()

    # --- groups --------------------------------------------------------------------

    def add_group(self, group: Group) -> None:
        """Add a new group; raise StorageError if the name is taken."""
        with self.files.write(self.registry) as db:
            if any(same_name(d["name"], group.name) for d in db.table("groups").all()):
                raise StorageError(f"a group called {group.name!r} already exists")
            db.table("groups").insert(to_doc(group))

    def save_group(self, group: Group) -> None:
        with self.files.write(self.registry) as db:
            replace_doc(db, "groups", to_doc(group), {"name": group.name})

    def get_group(self, name: str) -> Group | None:
        return next((g for g in self._registry("groups") if same_name(g.name, name)), None)

    def list_groups(self) -> list[Group]:
        return list(self._registry("groups"))

    # --- participants --------------------------------------------------------------

    def save_participant(self, participant: Participant) -> None:
        """Write the profile (creating the file): one write, to the participant's file."""
        with self.files.write(self.participant_path(participant.pid)) as db:
            profile = db.table("profile")
            profile.truncate()
            profile.insert(to_doc(participant))

    def get_participant(self, pid: str) -> Participant | None:
        """The profile; raise QuarantinedFileError while the file is in quarantine."""
        profile = self._rows(pid, "profile")
        return profile[0] if profile else None

    def list_participants(self, group: str | None = None) -> list[Participant]:
        """Everyone with a readable file: the files are the truth, so a lost or quarantined
        registry never silently stops anyone's prompts."""
        out = []
        for path in sorted((self.root / PARTICIPANTS).glob("*.json")):
            try:
                participant = self.get_participant(path.stem)
            except StorageError:
                logger.error("participant file %s is unreadable; skipped", path.name)
                continue  # a quarantined file must not stop everyone else
            if participant is not None and (group is None or participant.group == group):
                out.append(participant)
        return out

    def quarantined_files(self) -> list[tuple[str, str]]:
        found: dict[str, str] = {}  # the newest copy of each file
        for folder in (self.root, self.root / PARTICIPANTS):
            for copy in sorted(folder.glob("*.corrupt-*")):
                original = folder / copy.name.split(".corrupt-")[0]
                if not original.exists():  # a restored file is no longer in quarantine
                    found[str(original.relative_to(self.root))] = str(copy.relative_to(self.root))
        return sorted(found.items())

    def delete_participant(self, pid: str) -> None:
        """Erase the file, its quarantined copies, an older Jeda's registry entry, and the
        pseudonym from the codes they spent (the audit log keeps its content-free record
        under it, as the erasure message tells them)."""
        path = self.participant_path(pid)
        for copy in quarantined_copies(path):
            copy.unlink(missing_ok=True)
        self.files.delete(path)
        with self.files.write(self.registry) as db:
            db.table("participants").remove(doc_ids=[
                d.doc_id for d in db.table("participants").all() if d.get("pid") == pid
            ])
            forget_invite_user(db, pid)

    # --- prompts, ratings, runs, answers ----------------------------------------------

    def save_prompt(self, prompt: Prompt) -> None:
        """Insert or replace the prompt keyed by (pid, kind, local_date, ref)."""
        with self.files.write(self.participant_path(prompt.pid)) as db:
            replace_doc(db, "prompts", to_doc(prompt), _prompt_key(prompt))

    def get_prompt(self, pid: str, kind: PromptKind, local_date: date,
                   ref: str = "") -> Prompt | None:
        return next((p for p in self._rows(pid, "prompts")
                     if p.kind is kind and p.local_date == local_date and p.ref == ref), None)

    def list_prompts(self, pid: str) -> list[Prompt]:
        return list(self._rows(pid, "prompts"))

    def read_recent(self, pid: str, since: date, baseline_before: date | None) -> Recent:
        return window.read_recent(self.files.raw_tables(self.participant_path(pid)), since,
                                  baseline_before)

    def read_all(self, pid: str) -> Records:
        return window.read_all(self.files.raw_tables(self.participant_path(pid)))

    def participant_ids(self) -> list[str]:
        return sorted(p.stem for p in (self.root / PARTICIPANTS).glob("*.json")
                      if p.stem.isalnum() and p.stem.isascii())

    def reader(self) -> FileReader:
        return FileReader(self.root)

    def get_flow(self, pid: str) -> Flow | None:
        rows = self._rows(pid, "flow")
        return rows[0] if rows else None

    def save_flow(self, flow: Flow) -> None:
        """Replace the participant's open flow (there is at most one)."""
        with self.files.write(self.participant_path(flow.pid)) as db:
            db.table("flow").truncate()
            db.table("flow").insert(to_doc(flow))

    def clear_flow(self, pid: str) -> None:
        path = self.participant_path(pid)
        if self.get_flow(pid) is not None:
            with self.files.write(path) as db:
                db.table("flow").truncate()

    def add_rating(self, rating: Rating, answered_prompt: Prompt | None = None) -> None:
        """Append a rating; with ``answered_prompt``, save that prompt in the same write."""
        with self.files.write(self.participant_path(rating.pid)) as db:
            db.table("ratings").insert(to_doc(rating))
            if answered_prompt is not None:
                if answered_prompt.pid != rating.pid:
                    raise StorageError("a rating and its prompt must belong to one participant")
                replace_doc(db, "prompts", to_doc(answered_prompt), _prompt_key(answered_prompt))

    def list_ratings(self, pid: str) -> list[Rating]:
        return list(self._rows(pid, "ratings"))

    def save_exercise_run(self, run: ExerciseRun) -> None:
        """Insert or replace the run keyed by its run_id."""
        with self.files.write(self.participant_path(run.pid)) as db:
            replace_doc(db, "exercise_runs", to_doc(run), {"run_id": run.run_id})

    def list_exercise_runs(self, pid: str) -> list[ExerciseRun]:
        return list(self._rows(pid, "exercise_runs"))

    def save_questionnaire_response(self, response: QuestionnaireResponse) -> None:
        """Insert or replace the response keyed by its instrument and occasion."""
        instrument, occasion = response.key
        with self.files.write(self.participant_path(response.pid)) as db:
            replace_doc(db, "questionnaires", to_doc(response),
                        {"instrument": instrument, "occasion": response.occasion,
                         "phase": response.phase.value})

    def list_questionnaire_responses(self, pid: str) -> list[QuestionnaireResponse]:
        return list(self._rows(pid, "questionnaires"))

    # --- roles ---------------------------------------------------------------------

    def assign_role(self, assignment: RoleAssignment) -> None:
        """Insert or replace the assignment keyed by (telegram_id, role, group)."""
        with self.files.write(self.registry) as db:
            replace_doc(db, "roles", to_doc(assignment),
                     {"telegram_id": assignment.telegram_id, "role": assignment.role.value,
                      "group": assignment.group})

    def list_roles(self, telegram_id: int | None = None) -> list[RoleAssignment]:
        return [r for r in self._registry("roles")
                if telegram_id is None or r.telegram_id == telegram_id]

    def revoke_role(self, telegram_id: int, role: str, group: str | None) -> None:
        with self.files.write(self.registry) as db:
            t = db.table("roles")
            t.remove(doc_ids=[d.doc_id for d in t.all() if d.get("telegram_id") == telegram_id
                              and d.get("role") == role and d.get("group") == group])

    # --- audit and secret ----------------------------------------------------------

    def append_audit(self, event: AuditEvent) -> None:
        """Append one line to audit.jsonl; durable when this returns."""
        self.audit.append(event)

    def read_audit(self) -> Iterator[AuditEvent]:
        """Every whole audit line, oldest first (a torn last line is skipped)."""
        return self.audit.read()

    def secret_key(self) -> bytes:
        """The installation key (32 random bytes, created once with mode 0600)."""
        if self._secret is None:
            self._secret = load_or_create_secret(self.root / SECRET)
        return self._secret

    def close(self) -> None:
        """Release nothing: every write is already durable; kept for the Store contract."""
        return None


@dataclass(frozen=True, slots=True)
class FileReader:
    """``read_all`` in another process (files are replaced atomically: never half seen)."""

    root: Path

    def __call__(self, pid: str) -> Records:
        return _opened(self.root).read_all(pid)

@functools.cache
def _opened(root: Path) -> TinyDBStore:
    return TinyDBStore(root, fsync=False, prepare=False)  # one per process, to read
