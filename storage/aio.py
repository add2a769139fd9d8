"""AsyncStore: the Store's methods as coroutines, each run in a worker thread.

Disk I/O never runs on the event loop; the per-file locks inside the store keep
concurrent calls safe. ``sync`` is the wrapped store, for code already in a thread.

Calls run on the store's own small thread pool, and at most ``workers`` are handed to it
at a time; the rest wait on a semaphore. A burst of a thousand calls therefore costs the
loop a thousand cheap waits instead of a thousand executor submissions at once, and only
a few threads compete with the loop for the GIL (the worst loop stall fell from ~30-120 ms
to a few ms with 1000 participants rating at once; see BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import ParamSpec, TypeVar

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
from storage import Reader, Recent, Records, Store

WORKERS = 4
P = ParamSpec("P")
R = TypeVar("R")


class AsyncStore:
    """Wrap a synchronous ``Store``: every method is awaited in a worker thread."""

    def __init__(self, store: Store, workers: int = WORKERS) -> None:
        self.sync = store
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="jeda-store")
        self._workers = workers
        self._slots: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    def _slots_for(self, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
        """One semaphore per event loop (a semaphore cannot be shared between loops)."""
        slots = self._slots.get(loop)
        if slots is None:
            self._slots = {k: v for k, v in self._slots.items() if not k.is_closed()}
            slots = self._slots[loop] = asyncio.Semaphore(self._workers)
        return slots

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run ``fn`` (any blocking store work) on the store's pool and await its result."""
        loop = asyncio.get_running_loop()
        async with self._slots_for(loop):
            call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
            return await loop.run_in_executor(self._pool, call)

    # groups
    async def add_group(self, group: Group) -> None:
        return await self.run(self.sync.add_group, group)

    async def get_group(self, name: str) -> Group | None:
        return await self.run(self.sync.get_group, name)

    async def list_groups(self) -> list[Group]:
        return await self.run(self.sync.list_groups)

    async def save_group(self, group: Group) -> None:
        return await self.run(self.sync.save_group, group)

    # invites
    async def add_invites(self, invites: Iterable[Invite]) -> None:
        return await self.run(self.sync.add_invites, list(invites))

    async def list_invites(self, group: str | None = None) -> list[Invite]:
        return await self.run(self.sync.list_invites, group)

    async def revoke_invite(self, code_hash: str, now: datetime) -> Invite | None:
        return await self.run(self.sync.revoke_invite, code_hash, now)

    async def get_invite(self, code_hash: str) -> Invite | None:
        return await self.run(self.sync.get_invite, code_hash)

    async def claim_invite(self, code_hash: str, pid: str, now: datetime) -> Invite | None:
        return await self.run(self.sync.claim_invite, code_hash, pid, now)

    async def quarantined_files(self) -> list[tuple[str, str]]:
        return await self.run(self.sync.quarantined_files)

    async def spend_invites(self, pid: str, now: datetime) -> None:
        await self.run(self.sync.spend_invites, pid, now)

    # participants
    async def save_participant(self, participant: Participant) -> None:
        return await self.run(self.sync.save_participant, participant)

    async def get_participant(self, pid: str) -> Participant | None:
        return await self.run(self.sync.get_participant, pid)

    async def list_participants(self, group: str | None = None) -> list[Participant]:
        return await self.run(self.sync.list_participants, group)

    async def delete_participant(self, pid: str) -> None:
        return await self.run(self.sync.delete_participant, pid)

    # prompts, ratings, exercise runs, questionnaires
    async def save_prompt(self, prompt: Prompt) -> None:
        return await self.run(self.sync.save_prompt, prompt)

    async def get_prompt(self, pid: str, kind: PromptKind, local_date: date,
                         ref: str = "") -> Prompt | None:
        return await self.run(self.sync.get_prompt, pid, kind, local_date, ref)

    async def list_prompts(self, pid: str) -> list[Prompt]:
        return await self.run(self.sync.list_prompts, pid)

    async def get_flow(self, pid: str) -> Flow | None:
        return await self.run(self.sync.get_flow, pid)

    async def save_flow(self, flow: Flow) -> None:
        return await self.run(self.sync.save_flow, flow)

    async def clear_flow(self, pid: str) -> None:
        return await self.run(self.sync.clear_flow, pid)

    async def add_rating(self, rating: Rating, answered_prompt: Prompt | None = None) -> None:
        return await self.run(self.sync.add_rating, rating, answered_prompt)

    async def read_all(self, pid: str) -> Records:
        return await self.run(self.sync.read_all, pid)

    async def participant_ids(self) -> list[str]:
        return await self.run(self.sync.participant_ids)

    def reader(self) -> Reader | None:
        return self.sync.reader()  # no I/O: a description of where the files are

    async def read_recent(self, pid: str, since: date, baseline_before: date | None) -> Recent:
        return await self.run(self.sync.read_recent, pid, since, baseline_before)

    async def list_ratings(self, pid: str) -> list[Rating]:
        return await self.run(self.sync.list_ratings, pid)

    async def save_exercise_run(self, run: ExerciseRun) -> None:
        return await self.run(self.sync.save_exercise_run, run)

    async def list_exercise_runs(self, pid: str) -> list[ExerciseRun]:
        return await self.run(self.sync.list_exercise_runs, pid)

    async def save_questionnaire_response(self, response: QuestionnaireResponse) -> None:
        return await self.run(self.sync.save_questionnaire_response, response)

    async def list_questionnaire_responses(self, pid: str) -> list[QuestionnaireResponse]:
        return await self.run(self.sync.list_questionnaire_responses, pid)

    # roles
    async def assign_role(self, assignment: RoleAssignment) -> None:
        return await self.run(self.sync.assign_role, assignment)

    async def list_roles(self, telegram_id: int | None = None) -> list[RoleAssignment]:
        return await self.run(self.sync.list_roles, telegram_id)

    async def revoke_role(self, telegram_id: int, role: str, group: str | None) -> None:
        return await self.run(self.sync.revoke_role, telegram_id, role, group)

    # audit and secret
    async def append_audit(self, event: AuditEvent) -> None:
        return await self.run(self.sync.append_audit, event)

    async def read_audit(self) -> list[AuditEvent]:
        """Every audit event, read completely in the worker thread."""
        return await self.run(lambda: list(self.sync.read_audit()))

    async def secret_key(self) -> bytes:
        return await self.run(self.sync.secret_key)

    async def close(self) -> None:
        """Close the wrapped store and stop the worker threads (after running calls end)."""
        await self.run(self.sync.close)
        self._pool.shutdown(wait=True)


class InlineStore(AsyncStore):
    """The async store run in the caller's own task, without worker threads: for a
    simulation in memory with nothing to wait for (``jeda preview``, the protocol tests)."""

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        return fn(*args, **kwargs)
