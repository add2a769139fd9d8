"""What the operator hears about: data files in quarantine, each reported once."""

from __future__ import annotations

import asyncio

from bot.services.base import Base


class Operations:
    def __init__(self, base: Base) -> None:
        self._base = base
        self._reported: set[str] | None = None
        self._lock = asyncio.Lock()  # the tick and a handler may ask at the same moment

    async def new_quarantines(self) -> list[tuple[str, str]]:
        """The files in quarantine not reported yet, as (original, copy); each is marked
        reported in the audit log, so a restart does not repeat it. A file restored that
        breaks again is a new quarantine (a new copy) and is reported again."""
        async with self._lock:
            return await self._new()

    async def _new(self) -> list[tuple[str, str]]:
        base = self._base
        files = await base.store.quarantined_files()
        if not files:
            return []
        if self._reported is None:
            self._reported = {str(e.data.get("moved")) for e in await base.store.read_audit()
                              if e.kind == "file_quarantined"}
        new = [(original, copy) for original, copy in files if copy not in self._reported]
        for original, copy in new:
            self._reported.add(copy)
            await base.audit("file_quarantined", "bot", None, file=original, moved=copy)
        return new
