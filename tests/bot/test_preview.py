"""``jeda preview``: the real tick over the whole programme on a copy in memory: what a
facilitator would see sent, day by day; nothing sent, the real data untouched."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot import cli
from bot.content import default_content_dir, load_content
from bot.core.models import Group
from bot.core.schedule import ScheduleConfig
from bot.services import preview
from storage.tinydb_store import TinyDBStore
from tests.bot.test_export import GROUP, SESSIONS, seed


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.json"))}


async def test_the_whole_programme_day_by_day(tmp_path: Path) -> None:
    store = seed(tmp_path / "data")
    people = store.list_participants("Harapan")
    events, labels = await preview.preview(GROUP, people, load_content(default_content_dir()),
                                           ScheduleConfig())
    assert list(labels) == ["P1"]  # the one active participant (not the withdrawn one)
    first, last = preview.span(GROUP)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    daily = Counter(e.at.date() for e in events if e.kind == "daily_rating")
    assert all(daily[d] == 1 for d in days), "one daily question a day"
    practice = sorted(e.at.date() for e in events if e.kind == "practice")
    assert practice and practice[0] == SESSIONS[0]  # exercises from the first session on
    summaries = [e.at for e in events if e.kind == "summary"]
    assert summaries and all(at.weekday() == 0 and at.hour == 8 for at in summaries)
    assert len({s.isocalendar()[1] for s in summaries}) == len(summaries)  # once a week
    digests = sorted(e.at.date() for e in events if e.kind == "digest")
    assert digests == [s - timedelta(days=1) for s in SESSIONS]
    weekly = [e for e in events if e.kind == "questionnaire"]
    assert weekly and {e.ref.split("@")[0] for e in weekly} == {"weekly-check"}
    assert all(e.at.tzinfo is not None and e.at.utcoffset() == timedelta(hours=7)
               for e in events)
    assert not any(e.kind == "daily_reminder" for e in events)  # everyone answered
    store.close()


def test_the_command_sends_nothing_and_changes_nothing(tmp_path: Path, monkeypatch,  # noqa: ANN001
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    store = seed(data)
    store.add_group(Group("Kosong", "Asia/Makassar", datetime(2026, 11, 1, tzinfo=UTC),
                          session_dates=(date(2027, 1, 8),)))
    store.add_group(Group("Tanpa", "Asia/Jakarta", datetime(2026, 11, 1, tzinfo=UTC)))
    store.close()
    monkeypatch.setenv("JEDA_DATA_DIR", str(data))
    monkeypatch.delenv("JEDA_CONTENT_DIR", raising=False)
    before = digest(data)
    assert cli.main(["preview", "--group", "harapan", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Harapan (Asia/Jakarta): 2026-11-13 to 2027-01-01")
    assert "Friday, 27 November 2026  ── group session 1: Relaxation opens" in out
    assert re.search(r"19:30  daily question  → P1", out)
    assert "weekly summary 2026-W48  → facilitators" in out
    assert digest(data) == before  # a preview, not a run
    assert cli.main(["preview", "--group", "Kosong"]) == 0  # nobody yet: an example person
    shown = capsys.readouterr().out
    assert "Belum ada yang bergabung" in shown and "pertanyaan harian  → P1" in shown
    assert cli.main(["preview", "--group", "Tanpa"]) == 1
    assert "no dates yet" in capsys.readouterr().err
    assert cli.main(["preview", "--group", "Nope"]) == 1
    assert TinyDBStore(data).list_participants("Kosong") == []
