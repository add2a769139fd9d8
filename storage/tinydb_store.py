"""TinyDBStore: the ``Store`` on TinyDB files under one data folder.

Layout (see design.md, "Data"):
  registry.json            groups, invites, roles, the participant index
  participants/<pid>.json  one file per participant: profile, prompts, ratings, runs, answers
  audit.jsonl              append-only events (one JSON object per line)
  secret.key               32 random bytes for pseudonyms and invite hashes (mode 0600)
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
import threading
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from tinydb import TinyDB
from tinydb.table import Document

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
from storage import StorageError
from storage.atomic import encode_json, fsync_dir
from storage.convert import from_doc, to_doc
from storage.files import Files

T = TypeVar("T")
REGISTRY = "registry.json"
AUDIT = "audit.jsonl"
SECRET = "secret.key"
PARTICIPANTS = "participants"


def _all(db: TinyDB | None, table: str, cls: type[T]) -> list[T]:
    if db is None:
        return []
    return [from_doc(cls, dict(doc)) for doc in db.table(table).all()]


def _replace(db: TinyDB, table: str, doc: dict[str, Any], match: dict[str, Any]) -> None:
    """Insert ``doc``, replacing the document whose fields equal ``match`` (no in-place edits)."""
    t = db.table(table)
    found = [d for d in t.all() if all(d.get(k) == v for k, v in match.items())]
    if found:
        t.remove(doc_ids=[found[0].doc_id])
        t.insert(Document(doc, doc_id=found[0].doc_id))
    else:
        t.insert(doc)


class TinyDBStore:
    """One data folder; safe for concurrent threads and for a CLI process beside the bot."""

    def __init__(self, data_dir: str | Path, fsync: bool = True) -> None:
        self.root = Path(data_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / PARTICIPANTS).mkdir(exist_ok=True)
        self.files = Files(fsync)
        self.fsync = fsync
        self._audit_lock = threading.Lock()
        self._secret: bytes | None = None

    # --- paths ---------------------------------------------------------------------

    @property
    def registry(self) -> Path:
        return self.root / REGISTRY

    def participant_path(self, pid: str) -> Path:
        if not pid.isalnum():
            raise StorageError(f"not a participant id: {pid!r}")
        return self.root / PARTICIPANTS / f"{pid}.json"

    # --- groups --------------------------------------------------------------------

    def add_group(self, group: Group) -> None:
        with self.files.write(self.registry) as db:
            if any(d["name"] == group.name for d in db.table("groups").all()):
                raise StorageError(f"a group called {group.name!r} already exists")
            db.table("groups").insert(to_doc(group))

    def save_group(self, group: Group) -> None:
        with self.files.write(self.registry) as db:
            _replace(db, "groups", to_doc(group), {"name": group.name})

    def get_group(self, name: str) -> Group | None:
        return next((g for g in self.list_groups() if g.name == name), None)

    def list_groups(self) -> list[Group]:
        with self.files.read(self.registry) as db:
            return _all(db, "groups", Group)

    # --- invites -------------------------------------------------------------------

    def add_invites(self, invites: Iterable[Invite]) -> None:
        with self.files.write(self.registry) as db:
            db.table("invites").insert_multiple(to_doc(i) for i in invites)

    def get_invite(self, code_hash: str) -> Invite | None:
        with self.files.read(self.registry) as db:
            return next((i for i in _all(db, "invites", Invite) if i.code_hash == code_hash),
                        None)

    def claim_invite(self, code_hash: str, pid: str, now: datetime) -> Invite | None:
        with self.files.write(self.registry) as db:
            found = [i for i in _all(db, "invites", Invite) if i.code_hash == code_hash]
            if not found:
                return None
            invite = found[0]
            if invite.used_by == pid:
                return invite
            if not invite.is_usable(now):
                return None
            claimed = from_doc(Invite, {**to_doc(invite), "used_by": pid,
                                        "used_at": now.isoformat()})
            _replace(db, "invites", to_doc(claimed), {"code_hash": code_hash})
            return claimed

    # --- participants --------------------------------------------------------------

    def save_participant(self, participant: Participant) -> None:
        with self.files.write(self.participant_path(participant.pid)) as db:
            profile = db.table("profile")
            profile.truncate()
            profile.insert(to_doc(participant))
        entry = {"pid": participant.pid, "telegram_id": participant.telegram_id,
                 "group": participant.group}
        with self.files.read(self.registry) as reg:
            current = [d for d in (reg.table("participants").all() if reg is not None else [])
                       if d.get("pid") == participant.pid]
        if not current or dict(current[0]) != entry:
            with self.files.write(self.registry) as db:
                _replace(db, "participants", entry, {"pid": participant.pid})

    def _index(self) -> list[dict[str, Any]]:
        with self.files.read(self.registry) as db:
            return [dict(d) for d in db.table("participants").all()] if db is not None else []

    def get_participant(self, pid: str) -> Participant | None:
        with self.files.read(self.participant_path(pid)) as db:
            if db is None:
                if any(e["pid"] == pid for e in self._index()):
                    raise StorageError(f"the data file of participant {pid} is missing "
                                       "(it may have been quarantined)")
                return None
            docs = db.table("profile").all()
            return from_doc(Participant, dict(docs[0])) if docs else None

    def find_participant(self, telegram_id: int) -> Participant | None:
        entry = next((e for e in self._index() if e["telegram_id"] == telegram_id), None)
        return self.get_participant(entry["pid"]) if entry else None

    def list_participants(self, group: str | None = None) -> list[Participant]:
        """Everyone with a readable file; the files, not the registry index, are the truth,
        so a lost or quarantined registry never silently stops anyone's prompts."""
        out = []
        for path in sorted((self.root / PARTICIPANTS).glob("*.json")):
            try:
                participant = self.get_participant(path.stem)
            except StorageError:
                continue  # a quarantined file must not stop everyone else
            if participant is not None and (group is None or participant.group == group):
                out.append(participant)
        return out

    def delete_participant(self, pid: str) -> None:
        self.files.delete(self.participant_path(pid))
        with self.files.write(self.registry) as db:
            db.table("participants").remove(doc_ids=[
                d.doc_id for d in db.table("participants").all() if d.get("pid") == pid
            ])
        fsync_dir(self.root / PARTICIPANTS)

    # --- prompts, ratings, runs, answers ----------------------------------------------

    def save_prompt(self, prompt: Prompt) -> None:
        with self.files.write(self.participant_path(prompt.pid)) as db:
            _replace(db, "prompts", to_doc(prompt),
                     {"kind": prompt.kind.value, "local_date": prompt.local_date.isoformat()})

    def get_prompt(self, pid: str, kind: PromptKind, local_date: date) -> Prompt | None:
        day = local_date.isoformat()
        return next((p for p in self.list_prompts(pid)
                     if p.kind is kind and p.local_date.isoformat() == day), None)

    def list_prompts(self, pid: str) -> list[Prompt]:
        with self.files.read(self.participant_path(pid)) as db:
            return _all(db, "prompts", Prompt)

    def add_rating(self, rating: Rating, answered_prompt: Prompt | None = None) -> None:
        with self.files.write(self.participant_path(rating.pid)) as db:
            db.table("ratings").insert(to_doc(rating))
            if answered_prompt is not None:
                _replace(db, "prompts", to_doc(answered_prompt),
                         {"kind": answered_prompt.kind.value,
                          "local_date": answered_prompt.local_date.isoformat()})

    def list_ratings(self, pid: str) -> list[Rating]:
        with self.files.read(self.participant_path(pid)) as db:
            return _all(db, "ratings", Rating)

    def save_exercise_run(self, run: ExerciseRun) -> None:
        with self.files.write(self.participant_path(run.pid)) as db:
            _replace(db, "exercise_runs", to_doc(run), {"run_id": run.run_id})

    def list_exercise_runs(self, pid: str) -> list[ExerciseRun]:
        with self.files.read(self.participant_path(pid)) as db:
            return _all(db, "exercise_runs", ExerciseRun)

    def add_questionnaire_response(self, response: QuestionnaireResponse) -> None:
        with self.files.write(self.participant_path(response.pid)) as db:
            db.table("questionnaires").insert(to_doc(response))

    def list_questionnaire_responses(self, pid: str) -> list[QuestionnaireResponse]:
        with self.files.read(self.participant_path(pid)) as db:
            return _all(db, "questionnaires", QuestionnaireResponse)

    # --- roles ---------------------------------------------------------------------

    def assign_role(self, assignment: RoleAssignment) -> None:
        with self.files.write(self.registry) as db:
            _replace(db, "roles", to_doc(assignment),
                     {"telegram_id": assignment.telegram_id, "role": assignment.role.value,
                      "group": assignment.group})

    def list_roles(self, telegram_id: int | None = None) -> list[RoleAssignment]:
        with self.files.read(self.registry) as db:
            roles = _all(db, "roles", RoleAssignment)
        return [r for r in roles if telegram_id is None or r.telegram_id == telegram_id]

    def revoke_role(self, telegram_id: int, role: str, group: str | None) -> None:
        with self.files.write(self.registry) as db:
            t = db.table("roles")
            t.remove(doc_ids=[d.doc_id for d in t.all() if d.get("telegram_id") == telegram_id
                              and d.get("role") == role and d.get("group") == group])

    # --- audit ---------------------------------------------------------------------

    def append_audit(self, event: AuditEvent) -> None:
        line = encode_json(to_doc(event), AUDIT) + b"\n"
        path = self.root / AUDIT
        with self._audit_lock, self.files.process_lock(path):
            with open(path, "a+b") as handle:
                end = handle.seek(0, os.SEEK_END)
                if end:
                    handle.seek(end - 1)
                    if handle.read(1) != b"\n":
                        # A crash tore the last line: end it, or this event would be glued
                        # onto the fragment and lost with it.
                        line = b"\n" + line
                handle.write(line)
                handle.flush()
                if self.fsync:
                    os.fsync(handle.fileno())

    def read_audit(self) -> Iterator[AuditEvent]:
        path = self.root / AUDIT
        if not path.exists():
            return
        with open(path, "rb") as handle:
            for raw in handle:
                try:
                    text = raw.decode("utf-8").strip()
                    if text:
                        yield from_doc(AuditEvent, json.loads(text))
                except (ValueError, TypeError, KeyError, AttributeError):
                    # A torn line after a crash (possibly cut inside a UTF-8 sequence):
                    # skip it; every other line stays readable.
                    continue

    # --- secret --------------------------------------------------------------------

    def secret_key(self) -> bytes:
        """The installation key, created once (written whole, then linked into place)."""
        if self._secret is None:
            path = self.root / SECRET
            if not path.exists():
                fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".secret-", suffix=".tmp")
                try:
                    with os.fdopen(fd, "wb") as handle:  # mkstemp: mode 0600
                        handle.write(secrets.token_bytes(32))
                        handle.flush()
                        os.fsync(handle.fileno())
                    with contextlib.suppress(FileExistsError):  # another process won
                        os.link(tmp, path)
                finally:
                    os.unlink(tmp)
                fsync_dir(self.root)
            key = path.read_bytes()
            if len(key) != 32:
                raise StorageError(f"{path} is not a 32-byte key")
            self._secret = key
        return self._secret

    def close(self) -> None:
        return None
