"""The same work on each of many participants' records: in worker processes when there
are many and the store can be read from another process, here otherwise.

An export or report of a thousand people spends most of its time in Python (decoding a
year of records, formatting rows, drawing charts), which one process does on one core;
with the store's files readable from other processes (``Store.reader``) the work is
spread over the machine's cores. Results come back in the people's order, a chunk at a
time (so the output is the same however it was made, and memory stays flat).

Workers are started with ``spawn`` (safe beside the bot's threads) and read only; the
work function and its context must be picklable (module-level function, plain data).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from bot.core.models import Participant
from storage import Reader, Records, Store

C = TypeVar("C")
R = TypeVar("R")

# (context, export alias, participant, their records) -> result; module-level, picklable
Work = Callable[[C, str, Participant, Records], R]

PARALLEL_FROM = 150  # participants: below this, starting processes (~1 s) does not pay
CHUNK = 25  # participants per task: few enough tasks, small enough results
MAX_WORKERS = 4


def workers_for(people: int) -> int:
    if people < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def each(store: Store, people: Sequence[tuple[str, Participant]], work: Work[C, R],
         context: C, workers: int | None = None) -> Iterator[R]:
    """``work`` on every ``(alias, participant)``, results in the same order. Blocking:
    call it in a thread. ``workers`` overrides the choice (tests, benchmarks)."""
    reader = store.reader()
    count = workers_for(len(people)) if workers is None else workers
    if reader is None or count <= 1:
        for alias, person in people:
            yield work(context, alias, person, store.read_all(person.pid))
        return
    chunks = [people[i:i + CHUNK] for i in range(0, len(people), CHUNK)]
    job = functools.partial(_chunk, work, context, reader)
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
        for results in pool.map(job, chunks):
            yield from results


def _chunk(work: Work[C, R], context: C, reader: Reader,
           people: Sequence[tuple[str, Participant]]) -> list[R]:
    return [work(context, alias, person, reader(person.pid)) for alias, person in people]
