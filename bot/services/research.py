"""The research export's data: every consenting participant's records as rows, read from
the store in one worker thread, and the audit entry of each export.

Who is in it: participants who agreed (active, paused, unreachable, and withdrawn ones who
chose to keep their data). Those who declined, never finished enrolment, or withdrew with
deletion are absent (the last are erased from the store anyway). The export pseudonym is
a keyed hash of the participant's pseudonym, so an export cannot be joined to the bot's
logs or to another installation's export.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.content import Content
from bot.core.dataset import TABLES
from bot.core.exportrows import Person, Row, Rows, Window
from bot.core.models import Participant, ParticipantStatus
from bot.services.base import Base

LEFT_OUT = frozenset({ParticipantStatus.DECLINED, ParticipantStatus.ONBOARDING})


# (table name, rows): called for each participant's rows, in the store's worker thread
Sink = Callable[[str, list[Row]], None]


@dataclass(frozen=True, slots=True)
class Dataset:
    """What an export held: its rows per table and its participants."""

    counts: dict[str, int]
    participants: int

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def exported(participant: Participant) -> bool:
    consent = participant.consent
    if participant.status in LEFT_OUT or consent is None or not consent.agreed:
        return False
    return participant.status is not ParticipantStatus.WITHDRAWN or consent.keep_data is True


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
        store = self._base.store
        groups = {g.name: g for g in await store.list_groups()}
        people = sorted((p for p in await store.list_participants(group) if exported(p)),
                        key=lambda p: self.alias(p.pid))
        instruments = {i.id: i for i in self._content.instruments}
        version = self._content.version
        sync = store.sync

        def collect() -> dict[str, int]:
            counts: Counter[str] = Counter({t.name: 0 for t in TABLES})
            for p in people:
                found = sync.read_all(p.pid)
                person = Person(self.alias(p.pid), p, groups.get(p.group), found.prompts,
                                found.ratings, found.runs, found.responses)
                rows = Rows(person, version, window, instruments, include_text)
                for name, found in (("participants", [rows.participant()]),
                                    *((t.name, getattr(rows, t.name)()) for t in TABLES[1:])):
                    sink(name, found)
                    counts[name] += len(found)
                if progress is not None:
                    progress(1)
            return dict(counts)

        return Dataset(await store.run(collect), len(people))

    async def record(self, actor: str, what: str, dataset: Dataset, **details: object) -> None:
        """The audit entry of an export or report: who, what, how many rows."""
        await self._base.audit(what, actor, None, participants=dataset.participants,
                               rows=dataset.rows, **details)
