"""Storage fixtures: a TinyDBStore in a fresh temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.tinydb_store import TinyDBStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TinyDBStore]:
    s = TinyDBStore(tmp_path / "data")
    yield s
    s.close()
