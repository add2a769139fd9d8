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
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from storage import Reader, Records, StorageError, Store

logger = logging.getLogger(__name__)
UNREADABLE = Records((), (), (), ())  # compared by identity, in the process that read it

C = TypeVar("C")
R = TypeVar("R")

# (context, export alias, their records with their profile) -> result; module-level,
# picklable
Work = Callable[[C, str, Records], R]

PARALLEL_FROM = 150  # participants: below this, starting processes (~1 s) does not pay
CHUNK = 10  # participants per task: the first results come soon, the last worker waits little
MAX_WORKERS = 4
WORKER_NICENESS = 10


def workers_for(people: int) -> int:
    if people < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def each(store: Store, people: Sequence[tuple[str, str]], work: Work[C, R],
         context: C, workers: int | None = None) -> Iterator[R]:
    """``work`` on every ``(alias, pid)``, results in the same order. Blocking: call it
    in a thread. ``workers`` overrides the choice (tests, benchmarks). Each participant's
    file is read once, by whoever works on it (the profile comes with the records)."""
    reader = store.reader()
    count = workers_for(len(people)) if workers is None else workers
    if reader is None or count <= 1:
        for alias, pid in people:
            yield work(context, alias, _read(store.read_all, pid))
        return
    chunks = [people[i:i + CHUNK] for i in range(0, len(people), CHUNK)]
    job = functools.partial(_chunk, work, context, reader)
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_yield_to_the_bot) as pool:
        for results in pool.map(job, chunks):
            yield from results


def _yield_to_the_bot() -> None:
    """Workers run at a lower priority: an export started from the chat must not slow the
    bot's own answers (a breathing exercise's timed edits, a press during a burst)."""
    os.nice(WORKER_NICENESS)


def _chunk(work: Work[C, R], context: C, reader: Reader,
           people: Sequence[tuple[str, str]]) -> list[R]:
    return [work(context, alias, _read(reader, pid)) for alias, pid in people]


def _read(read: Callable[[str], Records], pid: str) -> Records:
    """The participant's records; ``UNREADABLE`` (no records, no profile) when their file
    cannot be read or holds a record that does not decode: one bad file must not stop
    everyone else's export (it is logged; the caller counts and says who is missing)."""
    try:
        return read(pid)
    except (StorageError, ValueError, TypeError, KeyError, AttributeError) as exc:
        logger.error("participant file %s.json is unreadable (%s); left out", pid,
                     type(exc).__name__)
        return UNREADABLE
