"""AsyncStore: the same methods as the Store, as coroutines run in worker threads.

Disk I/O never runs on the event loop; the per-file locks inside the store keep
concurrent calls safe. ``sync`` is the wrapped store, for code already in a thread.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any

from storage import Store


class AsyncStore:
    """Wrap a synchronous ``Store`` so every method is awaited in a thread."""

    def __init__(self, store: Store) -> None:
        self.sync = store

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = getattr(self.sync, name)
        if not callable(method):
            raise AttributeError(name)

        @functools.wraps(method)
        async def call(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(method, *args, **kwargs)

        setattr(self, name, call)
        return call
