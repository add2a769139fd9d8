"""Writing the research export: the CSVs, ``codebook.csv`` and ``codebook.md`` (generated
from ``bot.core.dataset`` and the questionnaires' YAML) and ``datapackage.json`` (a
Frictionless data package with a Table Schema per file); zipped for ``/export``.

Files are UTF-8 with a header row, comma-separated, ``\\n`` line ends, empty cells for
missing values; created readable by the owner only (0600).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

from bot.core.content.questionnaires import Instrument
from bot.core.dataset import CODEBOOK, DESCRIBING, ITEMS, TABLES, Column, Table
from bot.core.exportrows import Window
from bot.services.research import Dataset, Research, csv_lines

README = """Jeda research export. Open the CSVs as they are (R: read.csv(..., na = "");
pandas: read_csv(..., keep_default_na=False, na_values=[""])). codebook.md explains every
column; datapackage.json describes the same for tools (frictionless validate).
"""


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    return csv_lines([tuple(header), *(tuple(r) for r in rows)])


def item_rows(instruments: Sequence[Instrument]) -> list[tuple[str, ...]]:
    """``items.csv``: every questionnaire item, its answers and its wording."""
    out: list[tuple[str, ...]] = []
    for instrument in instruments:
        for n, item in enumerate(instrument.items, 1):
            answers = "; ".join(f"{o.value}={o.label['en']}" for o in item.options)
            out.append((instrument.id, item.id, str(n), "true" if item.reverse else "false",
                        answers, item.text["en"]))
    return out


def _column_row(table: Table, column: Column) -> tuple[str, ...]:
    return (table.file, column.name, column.type, column.unit, "; ".join(column.allowed),
            column.meaning)


def codebook_rows() -> list[tuple[str, ...]]:
    return [_column_row(t, c) for t in (*TABLES, *DESCRIBING) for c in t.columns]


def codebook_md(instruments: Sequence[Instrument], version: str) -> str:
    lines = ["# Jeda export codebook", "", f"Content version: `{version}`.", "",
             README.replace("\n", " ").strip(), ""]
    for table in (*TABLES, *DESCRIBING):
        lines += [f"## {table.file}", "", table.title + ".", "",
                  "| column | type | unit | allowed | meaning |", "|---|---|---|---|---|"]
        lines += [f"| {c.name} | {c.type} | {c.unit} | {', '.join(c.allowed)} | {c.meaning} |"
                  for c in table.columns]
        lines.append("")
    lines += ["## The questionnaire items", "", "| instrument | item | # | reverse | answers "
              "| wording |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r[:5]) + f" | {r[5] or '(not shipped: licensed wording)'} |"
              for r in item_rows(instruments)]
    return "\n".join(lines) + "\n"


def _field(column: Column) -> dict[str, object]:
    field: dict[str, object] = {"name": column.name, "type": column.type,
                                "description": column.meaning}
    if column.type == "datetime":
        field["format"] = "any"
    if column.type == "boolean":
        field.update(trueValues=["true"], falseValues=["false"])
    if column.allowed:
        values: list[object] = [int(v) for v in column.allowed] \
            if column.type == "integer" else list(column.allowed)
        field["constraints"] = {"enum": values}
    return field


def datapackage(version: str) -> dict[str, object]:
    return {
        "name": "jeda-export", "title": "Jeda research export", "version": version,
        "resources": [{
            "name": t.name, "path": t.file, "title": t.title, "profile":
            "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": [_field(c) for c in t.columns], "missingValues": [""]},
        } for t in (*TABLES, *DESCRIBING)],
    }


def described(instruments: Sequence[Instrument], version: str) -> dict[str, str]:
    """The files that describe the tables, by name, as text."""
    return {
        "codebook.csv": csv_text(CODEBOOK.header, codebook_rows()),
        "items.csv": csv_text(ITEMS.header, item_rows(instruments)),
        "codebook.md": codebook_md(instruments, version),
        "datapackage.json": json.dumps(datapackage(version), indent=2,
                                       ensure_ascii=False) + "\n",
        "README.txt": README,
    }


def _private(path: Path) -> IO[str]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its mode through O_CREAT: set it
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


async def export(folder: Path, service: Research, instruments: Sequence[Instrument],
                 version: str, group: str | None, window: Window, include_text: bool,
                 progress: Callable[[int], None] | None = None) -> tuple[Dataset, list[Path]]:
    """Write the whole export into ``folder`` (made 0700 if new), each file 0600: the
    tables as their rows come, participant by participant, then the codebook and the
    datapackage. Returns what it held and the files written."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    handles = {t.name: _private(folder / t.file) for t in TABLES}

    def write(name: str, text: str, _: int) -> None:
        handles[name].write(text)

    try:
        for table in TABLES:
            handles[table.name].write(csv_text(table.header, ()))
        dataset = await service.dataset(group, window, include_text,
                                        write, progress)
    finally:
        for handle in handles.values():
            handle.close()
    for name, text in described(instruments, version).items():
        with _private(folder / name) as handle:
            handle.write(text)
    return dataset, sorted(folder / n for n in (*(t.file for t in TABLES),
                                                 *described(instruments, version)))


def zipped(folder: Path) -> bytes:
    """One zip of the folder's files, with fixed timestamps (the same data gives the same
    bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            info = zipfile.ZipInfo(f"jeda-export/{path.name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            with archive.open(info, "w") as target, path.open("rb") as source:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
    return out.getvalue()
