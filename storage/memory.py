"""MemoryStore: the Store contract kept in dictionaries, for tests and throw-away runs.

It behaves like ``TinyDBStore`` wherever the contract says so (keys, replacement,
single-use invites, one flow per participant, erasure), and keeps nothing on disk, so
it has no quarantine, no locks across processes and no schema versions. The storage
contract tests run over both stores (``tests/storage/conftest.py``).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta

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
from storage import Recent, Records, StorageError


class MemoryStore:
    """Everything in memory; safe for threads (one lock), gone when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.groups: dict[str, Group] = {}
        self.invites: dict[str, Invite] = {}
        self.participants: dict[str, Participant] = {}
        self.prompts: dict[str, dict[tuple[PromptKind, date, str], Prompt]] = {}
        self.ratings: dict[str, list[Rating]] = {}
        self.runs: dict[str, dict[str, ExerciseRun]] = {}
        self.responses: dict[str, list[QuestionnaireResponse]] = {}
        self.flows: dict[str, Flow] = {}
        self.roles: list[RoleAssignment] = []
        self.audit: list[AuditEvent] = []
        self._secret = secrets.token_bytes(32)

    # groups
    def add_group(self, group: Group) -> None:
        with self._lock:
            if self.get_group(group.name) is not None:
                raise StorageError(f"a group called {group.name!r} already exists")
            self.groups[group.name] = group

    def get_group(self, name: str) -> Group | None:
        return next((g for g in self.groups.values() if same_name(g.name, name)), None)

    def list_groups(self) -> list[Group]:
        return list(self.groups.values())

    def save_group(self, group: Group) -> None:
        with self._lock:
            self.groups[group.name] = group

    # invites
    def add_invites(self, invites: Iterable[Invite]) -> None:
        with self._lock:
            for invite in invites:
                self.invites[invite.code_hash] = invite

    def get_invite(self, code_hash: str) -> Invite | None:
        return self.invites.get(code_hash)

    def list_invites(self, group: str | None = None) -> list[Invite]:
        return [i for i in self.invites.values() if group is None or i.group == group]

    def revoke_invite(self, code_hash: str, now: datetime) -> Invite | None:
        with self._lock:
            invite = self.invites.get(code_hash)
            if invite is None or invite.used_by is not None or invite.expires_at <= now:
                return None
            self.invites[code_hash] = revoked = replace(invite, expires_at=now)
            return revoked

    def claim_invite(self, code_hash: str, pid: str, now: datetime) -> Invite | None:
        with self._lock:
            invite = self.invites.get(code_hash)
            if invite is None:
                return None
            if invite.used_by == pid:
                return invite if invite.spent_at is None else None
            if not invite.is_usable(now):
                return None
            claimed = self.invites[code_hash] = replace(invite, used_by=pid, used_at=now)
            return claimed

    def spend_invites(self, pid: str, now: datetime) -> None:
        with self._lock:
            for code_hash, invite in self.invites.items():
                if invite.used_by == pid and invite.spent_at is None:
                    self.invites[code_hash] = replace(invite, spent_at=now)

    # participants
    def save_participant(self, participant: Participant) -> None:
        with self._lock:
            self.participants[participant.pid] = participant

    def get_participant(self, pid: str) -> Participant | None:
        return self.participants.get(pid)

    def list_participants(self, group: str | None = None) -> list[Participant]:
        return [p for _, p in sorted(self.participants.items())
                if group is None or p.group == group]

    def delete_participant(self, pid: str) -> None:
        with self._lock:
            for table in (self.participants, self.prompts, self.ratings, self.runs,
                          self.responses, self.flows):
                table.pop(pid, None)
            for code, invite in self.invites.items():
                if invite.used_by == pid and invite.spent_at is not None:
                    self.invites[code] = replace(invite, used_by="erased")

    def quarantined_files(self) -> list[tuple[str, str]]:
        return []  # nothing on disk, nothing in quarantine

    # prompts
    def save_prompt(self, prompt: Prompt) -> None:
        with self._lock:
            key = (prompt.kind, prompt.local_date, prompt.ref)
            self.prompts.setdefault(prompt.pid, {})[key] = prompt

    def get_prompt(self, pid: str, kind: PromptKind, local_date: date,
                   ref: str = "") -> Prompt | None:
        return self.prompts.get(pid, {}).get((kind, local_date, ref))

    def list_prompts(self, pid: str) -> list[Prompt]:
        return list(self.prompts.get(pid, {}).values())

    # flows
    def get_flow(self, pid: str) -> Flow | None:
        return self.flows.get(pid)

    def save_flow(self, flow: Flow) -> None:
        with self._lock:
            self.flows[flow.pid] = flow

    def clear_flow(self, pid: str) -> None:
        with self._lock:
            self.flows.pop(pid, None)

    # ratings, exercise runs, questionnaires
    def add_rating(self, rating: Rating, answered_prompt: Prompt | None = None) -> None:
        with self._lock:
            if answered_prompt is not None:
                if answered_prompt.pid != rating.pid:
                    raise StorageError("a rating and its prompt must belong to one participant")
                self.save_prompt(answered_prompt)
            self.ratings.setdefault(rating.pid, []).append(rating)

    def list_ratings(self, pid: str) -> list[Rating]:
        return list(self.ratings.get(pid, []))

    def save_exercise_run(self, run: ExerciseRun) -> None:
        with self._lock:
            self.runs.setdefault(run.pid, {})[run.run_id] = run

    def list_exercise_runs(self, pid: str) -> list[ExerciseRun]:
        return list(self.runs.get(pid, {}).values())

    def read_all(self, pid: str) -> Records:
        return Records(tuple(self.list_prompts(pid)), tuple(self.list_ratings(pid)),
                       tuple(self.list_exercise_runs(pid)),
                       tuple(self.list_questionnaire_responses(pid)),
                       self.get_participant(pid))

    def participant_ids(self) -> list[str]:
        with self._lock:
            return sorted(self.participants)

    def reader(self) -> None:
        return None  # the records live in this process only

    def read_recent(self, pid: str, since: date, baseline_before: date | None) -> Recent:
        runs_from = since - timedelta(days=1)
        return Recent(
            ratings=tuple(r for r in self.list_ratings(pid) if r.local_date >= since or (
                baseline_before is not None and r.local_date < baseline_before)),
            prompts=tuple(p for p in self.list_prompts(pid) if p.local_date >= since),
            runs=tuple(r for r in self.list_exercise_runs(pid) if r.completed_at is not None
                       and r.completed_at.date() >= runs_from))

    def save_questionnaire_response(self, response: QuestionnaireResponse) -> None:
        with self._lock:
            mine = self.responses.setdefault(response.pid, [])
            at = next((i for i, r in enumerate(mine) if r.key == response.key), None)
            if at is None:
                mine.append(response)
            else:
                mine[at] = response

    def list_questionnaire_responses(self, pid: str) -> list[QuestionnaireResponse]:
        return list(self.responses.get(pid, []))

    # roles
    def assign_role(self, assignment: RoleAssignment) -> None:
        with self._lock:
            self.revoke_role(assignment.telegram_id, assignment.role.value, assignment.group)
            self.roles.append(assignment)

    def list_roles(self, telegram_id: int | None = None) -> list[RoleAssignment]:
        return [r for r in self.roles if telegram_id is None or r.telegram_id == telegram_id]

    def revoke_role(self, telegram_id: int, role: str, group: str | None) -> None:
        with self._lock:
            self.roles = [r for r in self.roles if not (
                r.telegram_id == telegram_id and r.role.value == role and r.group == group)]

    # audit and secret
    def append_audit(self, event: AuditEvent) -> None:
        with self._lock:
            self.audit.append(event)

    def read_audit(self) -> Iterator[AuditEvent]:
        return iter(list(self.audit))

    def secret_key(self) -> bytes:
        return self._secret

    def close(self) -> None:
        return None
