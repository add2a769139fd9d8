"""AsyncStore: the same methods as the Store, as coroutines run in worker threads.

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
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from storage import Store

WORKERS = 4


class AsyncStore:
    """Wrap a synchronous ``Store`` so every method is awaited in a thread."""

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

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        if name.startswith("_"):
            raise AttributeError(name)
        method = getattr(self.sync, name)
        if not callable(method):
            raise AttributeError(name)

        @functools.wraps(method)
        async def call(*args: Any, **kwargs: Any) -> Any:
            loop = asyncio.get_running_loop()
            async with self._slots_for(loop):
                ctx = contextvars.copy_context()
                run = functools.partial(ctx.run, method, *args, **kwargs)
                return await loop.run_in_executor(self._pool, run)

        setattr(self, name, call)
        return call
