"""A small valid content folder, written into tmp dirs, that tests break one piece at a time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from bot.content import ContentError, Problem, load_content

MODULE = """\
id: m
session: 1
title: {id: Modul, en: Module}
summary: {id: Ringkas, en: Short}
exercises:
  - id: breathe
    kind: steps
    title: {id: Napas, en: Breath}
    summary: {id: Napas pelan, en: Slow breath}
    duration_minutes: 2
    frequency: {times_per_day: 2}
    rate_before_after: true
    steps:
      - text: {id: Tarik napas, en: Breathe in}
        seconds: 10
"""

SAFETY = """\
categories:
  - id: self_harm
    title: {id: Bahaya, en: Danger}
    message: {id: Pesan, en: Message}
    resources: [hotline]
    terms:
      id: [bunuh diri]
      en: [kill myself]
default_message: {id: Pesan, en: Message}
default_resources: [hotline]
grounding: {id: Napas, en: Breathe}
resources:
  - id: hotline
    name: Hotline
    contact: "119"
    what: {id: Bantuan, en: Help}
    verified: 2025-08-07
    source: notes
"""

LOCALE_ID = """\
hello: "Halo {name}"
rate:
  saved: Tersimpan
"""

LOCALE_EN = """\
hello: "Hello {name}"
rate:
  saved: Saved
"""

QUESTIONNAIRE = """\
id: q
name: Q
title: {id: Cek, en: Check}
instructions: {id: Jawab, en: Answer}
time_frame: {id: minggu ini, en: this week}
administer_at: [weekly]
response_options:
  - {value: 0, label: {id: Tidak, en: "No"}}
  - {value: 1, label: {id: Ya, en: "Yes"}}
items:
  - {id: a, text: {id: Satu, en: One}}
  - {id: b, text: {id: Dua, en: Two}, reverse: true}
scoring: {method: sum, range: [0, 2]}
citation: ours
licence: ours
"""

BASE: dict[str, str] = {
    "modules/m.yaml": MODULE,
    "safety.yaml": SAFETY,
    "locales/id.yaml": LOCALE_ID,
    "locales/en.yaml": LOCALE_EN,
    "questionnaires/q.yaml": QUESTIONNAIRE,
}

Files = Mapping[str, str | bytes | None]


def write_content(root: Path, changes: Files = {}) -> Path:  # noqa: B006 - read only
    """Write BASE with ``changes`` applied (None deletes a file); return the folder."""
    files: dict[str, str | bytes | None] = {**BASE, **changes}
    for rel, body in files.items():
        if body is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[Problem]:
    """Load ``root``; return the problems (empty when it loads)."""
    try:
        load_content(root)
    except ContentError as exc:
        return exc.problems
    return []


@pytest.fixture
def content_dir(tmp_path: Path) -> Callable[[Files], Path]:
    def make(changes: Files = {}) -> Path:  # noqa: B006 - read only
        return write_content(tmp_path / "content", changes)

    return make
