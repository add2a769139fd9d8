"""The research export's data: every consenting participant's records as rows, read from
the store in one worker thread, and the audit entry of each export.

Who is in it: participants who agreed (active, paused, unreachable, and withdrawn ones who
chose to keep their data). Those who declined, never finished enrolment, or withdrew with
deletion are absent (the last are erased from the store anyway). The export pseudonym is
a keyed hash of the participant's pseudonym, so an export cannot be joined to the bot's
logs or to another installation's export.
"""

from __future__ import annotations

import csv
import enum
import functools
import hashlib
import hmac
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.content import Content
from bot.core.content.questionnaires import Instrument
from bot.core.dataset import TABLES
from bot.core.exportrows import Person, Row, Rows, Window
from bot.core.models import Group, Participant, ParticipantStatus
from bot.services import fanout
from bot.services.base import Base
from storage import Records

LEFT_OUT = frozenset({ParticipantStatus.DECLINED, ParticipantStatus.ONBOARDING})


C = TypeVar("C")
R = TypeVar("R")


class Left(enum.Enum):
    """Why a participant gave no result (an enum: it keeps its identity through pickling)."""

    UNREADABLE = "unreadable"  # their file could not be read


# (table name, its rows as CSV lines, how many): called for each participant, in order
Sink = Callable[[str, str, int], None]


@dataclass(frozen=True, slots=True)
class Job:
    """What every participant's rows need besides their records (sent to workers)."""

    groups: dict[str, Group]
    version: str
    window: Window
    instruments: dict[str, Instrument]
    include_text: bool


def csv_lines(rows: list[Row]) -> str:
    """Rows as CSV text: comma-separated, quoted where needed, ``\\n`` line ends."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def tables(job: Job, alias: str, participant: Participant, found: Records
           ) -> list[tuple[str, str, int]]:
    """One participant's rows of every table, as CSV lines (in a worker process when the
    export is large: formatting is most of an export's time)."""
    person = Person(alias, participant, job.groups.get(participant.group), found.prompts,
                    found.ratings, found.runs, found.responses)
    rows = Rows(person, job.version, job.window, job.instruments, job.include_text)
    out = []
    for table in TABLES:
        got = [rows.participant()] if table.name == "participants" else \
            getattr(rows, table.name)()
        out.append((table.name, csv_lines(got), len(got)))
    return out


@dataclass(frozen=True, slots=True)
class Dataset:
    """What an export held: its rows per table and its participants."""

    counts: dict[str, int]
    participants: int
    unreadable: int = 0  # participant files that could not be read: left out

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def exported(participant: Participant) -> bool:
    consent = participant.consent
    if participant.status in LEFT_OUT or consent is None or not consent.agreed:
        return False
    return participant.status is not ParticipantStatus.WITHDRAWN or consent.keep_data is True


def _exported_only(work: Callable[[C, str, Participant, Records], R], group: str | None,
                   context: C, alias: str, found: Records) -> R | Left | None:
    """``work`` if the participant is in the export (and in ``group``), else None: who is
    in it is decided where their file is read, so each file is read once."""
    if found is fanout.UNREADABLE:
        return Left.UNREADABLE
    person = found.participant
    if person is None or not exported(person) or (group is not None and person.group != group):
        return None
    return work(context, alias, person, found)


class Research:
    def __init__(self, base: Base, content: Content) -> None:
        self._base = base
        self._content = content

    def alias(self, pid: str) -> str:
        digest = hmac.new(self._base.secret, b"export:" + pid.encode(), hashlib.sha256)
        return "R" + digest.hexdigest()[:10]

    async def dataset(self, group: str | None, window: Window, include_text: bool,
                      sink: Sink, progress: Callable[[int], None] | None = None) -> Dataset:
        """Every table's rows into ``sink``, one participant at a time (so a year of a
        thousand people never sits in memory at once), in pseudonym order (so the same
        data gives the same files); ``progress`` is called once per participant done."""
        groups = {g.name: g for g in await self._base.store.list_groups()}
        job = Job(groups, self._content.version, window,
                  {i.id: i for i in self._content.instruments}, include_text)
        counts: Counter[str] = Counter({t.name: 0 for t in TABLES})

        def write(found: list[tuple[str, str, int]]) -> None:
            for name, text, n in found:
                sink(name, text, n)
                counts[name] += n

        people, unreadable = await self.each(group, tables, job, write, progress)
        return Dataset(dict(counts), people, unreadable)

    async def each(self, group: str | None,
                   work: Callable[[C, str, Participant, Records], R], context: C,
                   consume: Callable[[R], None],
                   progress: Callable[[int], None] | None = None) -> tuple[int, int]:
        """How many were worked on, and how many files could not be read (left out).

        ``work`` on every exported participant's records (of ``group``, or all), in
        pseudonym order (the same data gives the same files); each result to ``consume``
        as it comes, so a year of a thousand people never sits in memory at once. Runs
        in the store's worker thread; with many people, in worker processes too."""
        store = self._base.store
        people = sorted((self.alias(pid), pid) for pid in await store.participant_ids())
        done = unreadable = 0

        def run() -> None:
            nonlocal done, unreadable
            for result in fanout.each(store.sync, people, functools.partial(
                    _exported_only, work, group), context):
                if result is Left.UNREADABLE:
                    unreadable += 1
                elif result is not None:
                    consume(result)
                    done += 1
                if progress is not None:
                    progress(1)  # every file, in the export or not: the bar's total

        await store.run(run)
        return done, unreadable

    async def record(self, actor: str, what: str, dataset: Dataset, **details: object) -> None:
        """The audit entry of an export or report: who, what, how many rows."""
        await self._base.audit(what, actor, None, participants=dataset.participants,
                               rows=dataset.rows, unreadable=dataset.unreadable, **details)
