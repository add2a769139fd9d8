"""Writing the research export: the CSVs, ``codebook.csv`` and ``codebook.md`` (generated
from ``bot.core.dataset`` and the questionnaires' YAML) and ``datapackage.json`` (a
Frictionless data package with a Table Schema per file); zipped for ``/export``.

Files are UTF-8 with a header row, comma-separated, ``\\n`` line ends, empty cells for
missing values; created readable by the owner only (0600).
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.core.content.questionnaires import Instrument
from bot.core.dataset import TABLES, Column, Table
from bot.services.research import Dataset

CODEBOOK_HEADER = ("file", "column", "type", "unit", "allowed", "meaning")
README = """Jeda research export. Open the CSVs as they are (R: read.csv(..., na = "");
pandas: read_csv(..., keep_default_na=False, na_values=[""])). codebook.md explains every
column; datapackage.json describes the same for tools (frictionless validate).
"""


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _items(instruments: Sequence[Instrument]) -> list[tuple[str, ...]]:
    """Codebook rows of every questionnaire item: its id, answers and wording."""
    out: list[tuple[str, ...]] = []
    for instrument in instruments:
        for n, item in enumerate(instrument.items, 1):
            allowed = "; ".join(f"{o.value}={o.label['en'] or '(label not shipped)'}"
                                for o in item.options)
            wording = item.text["en"] or "(text not shipped: fill in the licensed wording)"
            meaning = (f"{instrument.name} item {n}{' (reverse-scored)' if item.reverse else ''}"
                       f": {wording}")
            out.append(("questionnaires.csv", f"item {instrument.id}/{item.id}", "integer",
                        "", allowed, meaning))
    return out


def _column_row(table: Table, column: Column) -> tuple[str, ...]:
    return (table.file, column.name, column.type, column.unit, "; ".join(column.allowed),
            column.meaning)


def codebook_rows(instruments: Sequence[Instrument]) -> list[tuple[str, ...]]:
    return [_column_row(t, c) for t in TABLES for c in t.columns] + _items(instruments)


def codebook_md(instruments: Sequence[Instrument], version: str) -> str:
    lines = ["# Jeda export codebook", "", f"Content version: `{version}`.", "",
             README.replace("\n", " ").strip(), ""]
    for table in TABLES:
        lines += [f"## {table.file}", "", table.title + ".", "",
                  "| column | type | unit | allowed | meaning |", "|---|---|---|---|---|"]
        lines += [f"| {c.name} | {c.type} | {c.unit} | {', '.join(c.allowed)} | {c.meaning} |"
                  for c in table.columns]
        lines.append("")
    lines += ["## Questionnaire items", "", "| item | answers | meaning |", "|---|---|---|"]
    lines += [f"| {r[1].removeprefix('item ')} | {r[4]} | {r[5]} |" for r in _items(instruments)]
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
        } for t in TABLES],
    }


def files(dataset: Dataset, instruments: Sequence[Instrument],
          version: str) -> dict[str, str]:
    """Every file of the export by name, as text."""
    out = {t.file: csv_text(t.header, dataset.tables[t.name]) for t in TABLES}
    out["codebook.csv"] = csv_text(CODEBOOK_HEADER, codebook_rows(instruments))
    out["codebook.md"] = codebook_md(instruments, version)
    out["datapackage.json"] = json.dumps(datapackage(version), indent=2, ensure_ascii=False) + "\n"
    out["README.txt"] = README
    return out


def write(folder: Path, contents: dict[str, str]) -> list[Path]:
    """Write the files into ``folder`` (made 0700 if new), each 0600."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = []
    for name, text in contents.items():
        path = folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(path, 0o600)
        written.append(path)
    return written


def zipped(contents: dict[str, str]) -> bytes:
    """One zip of the files, with fixed timestamps (the same data gives the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(contents):
            info = zipfile.ZipInfo(f"jeda-export/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, contents[name])
    return out.getvalue()
