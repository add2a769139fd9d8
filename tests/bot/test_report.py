"""``jeda report``: one HTML file that parses, holds every chart inside it, links to
nothing outside, and shows the very figures of ``analysis.csv``."""

from __future__ import annotations

import base64
import csv
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot import cli
from storage.tinydb_store import TinyDBStore
from tests.bot.test_export import TELEGRAM_IDS, seed

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "area", "base", "wbr", "source"}
PNG = b"\x89PNG\r\n\x1a\n"


class Page(HTMLParser):
    """The report's structure: balanced tags, images, and every figure with its place
    (participant, phase or instrument, column)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.images: list[dict[str, str]] = []
        self.links: list[str] = []
        self.figures: dict[tuple[str, str, str, str], str] = {}
        self.places: list[tuple[str, str]] = []  # (alias, phase/instrument) per open tag
        self.shown: list[tuple[str, str, str]] = []  # (column, exact value, text shown)
        self._figure: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        alias, where = self.places[-1] if self.places else ("", "")
        alias = a.get("data-alias", alias)
        where = a.get("data-phase") or a.get("data-instrument") or where
        if tag in ("section", "tr"):
            where = a.get("data-phase") or a.get("data-instrument") or ""
        if tag == "img":
            self.images.append(a)
        for attr in ("href", "src"):
            if attr in a and not a[attr].startswith(("#", "data:image/png;base64,")):
                self.links.append(a[attr])
        if "data-col" in a:
            self.figures[(alias, where, a["data-col"], str(len(self.open)))] = a["data-value"]
            self._figure = [a["data-col"], a["data-value"], ""]
        if tag not in VOID:
            self.open.append(tag)
            self.places.append((alias, where))

    def handle_data(self, data: str) -> None:
        if self._figure is not None:
            self._figure[2] += data

    def handle_endtag(self, tag: str) -> None:
        if self._figure is not None and tag == "span":
            self.shown.append((self._figure[0], self._figure[1], self._figure[2]))
            self._figure = None
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()
        self.places.pop()

    def values(self) -> dict[tuple[str, str, str], set[str]]:
        out: dict[tuple[str, str, str], set[str]] = {}
        for (alias, where, column, _), value in self.figures.items():
            out.setdefault((alias, where, column), set()).add(value)
        return out


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:  # noqa: ANN001
    folder = tmp_path / "data"
    seed(folder).close()
    monkeypatch.setenv("JEDA_DATA_DIR", str(folder))
    monkeypatch.delenv("JEDA_CONTENT_DIR", raising=False)
    return folder


def made(tmp_path: Path, *argv: str) -> tuple[str, Page]:
    out = tmp_path / "report.html"
    assert cli.main(["report", "--group", "Harapan", "--out", str(out), *argv]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    page.close()
    assert page.open == [], "every tag is closed"
    return text, page


def test_it_parses_and_every_chart_is_inside_it(data: Path, tmp_path: Path) -> None:
    text, page = made(tmp_path, "--lang", "en")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text
    assert page.links == []  # opens offline: nothing to fetch
    assert "<script" not in text and "<link" not in text
    people = set(re.findall(r'<section class="person" id="(R[0-9a-f]{10})"', text))
    assert len(people) == 2  # the two who agreed; not the declined or unfinished
    assert len(page.images) == 1 + 2  # the group's chart, and one per participant
    for image in page.images:
        png = base64.b64decode(image["src"].removeprefix("data:image/png;base64,"))
        assert png.startswith(PNG) and len(png) > 5000 and image["alt"]
    assert "@page{size:A4" in text
    assert text.index('class="group"') < text.index('class="person"')  # the group first


@pytest.mark.parametrize("window", [(), ("--from", "2026-11-22", "--to", "2026-12-01")])
def test_its_numbers_are_the_analysis_csv(data: Path, tmp_path: Path,
                                          window: tuple[str, ...]) -> None:
    _, page = made(tmp_path, *window)
    export = tmp_path / "export"
    assert cli.main(["export", "--out", str(export), "--group", "Harapan", *window]) == 0
    with (export / "analysis.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    shown = page.values()
    columns = {"phase": ("n", "mean", "nap", "tau_u", "slope", "days_due", "days_rated",
                         "adherence", "practice_runs", "practice_days"),
               "rci": ("pre", "post", "rci", "rci_class")}
    checked = 0
    for row in rows:
        where = row["phase"] if row["row_type"] == "phase" else row["instrument"]
        for column in columns[row["row_type"]]:
            assert shown[(row["participant"], where, column)] == {row[column]}, (row, column)
            checked += 1
        if row["slope_p"]:
            assert shown[(row["participant"], where, "slope_p")] == {row["slope_p"]}
    assert checked > 15 and any(r["nap"] for r in rows)
    assert any(r["rci"] for r in rows) or window
    for (alias, where, column), values in shown.items():  # nothing shown that the CSV lacks
        match = [r for r in rows if r["participant"] == alias and where in (r["phase"],
                                                                          r["instrument"])]
        assert match and values <= {r[column] for r in match}, (alias, where, column)


def test_what_is_shown_is_the_exact_value_rounded(data: Path, tmp_path: Path) -> None:
    """The reader sees each data-value rounded to 2 places, with a decimal comma in
    Indonesian (a point in English); counts as they are."""
    for lang, mark in (("id", ","), ("en", ".")):
        _, page = made(tmp_path / lang, "--lang", lang)
        numbers = [(c, v, t) for c, v, t in page.shown
                   if c in ("n", "mean", "nap", "tau_u", "rci", "pre", "post", "slope") and v]
        assert len(numbers) > 15
        for column, value, text in numbers:
            want = value if column == "n" else f"{float(value):.2f}".replace(".", mark)
            assert text == want, (column, value, text)


def test_every_participants_chart_has_their_line(data: Path, tmp_path: Path) -> None:
    from io import BytesIO

    from PIL import Image

    _, page = made(tmp_path)
    line = (0x1F, 0x4E, 0x79)
    drawn = []
    for image in page.images[1:]:  # the first is the group's
        png = Image.open(BytesIO(base64.b64decode(image["src"].split(",", 1)[1])))
        raw = png.convert("RGB").tobytes()
        pixels = (raw[i:i + 3] for i in range(0, len(raw), 3))
        drawn.append(sum(1 for p in pixels if all(abs(a - b) < 12 for a, b in zip(
            p, line, strict=True))))
    assert len(drawn) == 2 and all(n > 30 for n in drawn), drawn


def test_an_unreadable_file_is_left_out_and_said(data: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import json

    store = TinyDBStore(data)
    sari = next(p for p in store.list_participants(None) if p.status.value == "active")
    store.close()
    path = data / "participants" / f"{sari.pid}.json"
    doc = json.loads(path.read_text())
    next(iter(doc["profile"].values()))["status"] = "nonsense"  # valid JSON, a bad value
    path.write_text(json.dumps(doc))
    text, page = made(tmp_path, "--lang", "en")
    assert "1 participant file(s) could not be read" in text and len(page.images) == 2
    assert "left out" in capsys.readouterr().err
    assert cli.main(["export", "--out", str(tmp_path / "export")]) == 0
    audit = [e for e in TinyDBStore(data).read_audit() if e.kind in ("report", "export")]
    assert [e.data["unreadable"] for e in audit] == [1, 1]


def test_names_are_escaped_and_an_empty_group_says_so(data: Path, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.core.models import Group

    store = TinyDBStore(data)
    store.add_group(Group('A<b>&"c', "Asia/Jakarta", datetime(2026, 11, 1, tzinfo=UTC)))
    store.close()
    out = tmp_path / "empty.html"
    assert cli.main(["report", "--group", 'A<b>&"c', "--out", str(out), "--lang", "en"]) == 0
    text = out.read_text()
    assert "A&lt;b&gt;&amp;&quot;c" in text and 'A<b>&"c' not in text
    assert "nothing to report" in text and "<img" not in text
    page = Page()
    page.feed(text)
    assert page.open == []


def test_it_speaks_indonesian_by_default_and_is_audited(data: Path, tmp_path: Path) -> None:
    text, _ = made(tmp_path)
    assert '<html lang="id">' in text and "Laporan Jeda: Harapan" in text
    assert "Masa dasar" in text and "membaik" in text and "aktif" in text
    audit = [e for e in TinyDBStore(data).read_audit() if e.kind == "report"]
    assert len(audit) == 1 and audit[0].actor.startswith("cli:")
    assert audit[0].data["group"] == "Harapan" and audit[0].data["participants"] == 2


def test_it_names_nobody(data: Path, tmp_path: Path) -> None:
    text, _ = made(tmp_path, "--lang", "en")
    for telegram_id in TELEGRAM_IDS:
        assert str(telegram_id) not in text
    for record in TinyDBStore(data).list_participants(None):
        assert record.pid not in text  # the bot's own pseudonym stays inside the bot


def test_worker_processes_make_the_same_report(data: Path, tmp_path: Path,
                                               monkeypatch) -> None:  # noqa: ANN001
    from bot.services import fanout

    here, _ = made(tmp_path / "here")
    monkeypatch.setattr(fanout, "PARALLEL_FROM", 1)
    monkeypatch.setattr(fanout, "CHUNK", 1)
    spread, _ = made(tmp_path / "spread")
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")  # the time it was made
    assert stamp.sub("", spread) == stamp.sub("", here)


@pytest.mark.parametrize(("argv", "message"), [
    (["--group", "Nope"], "no group 'Nope'"),
    (["--group", "Harapan", "--from", "soon"], "like 2026-11-20"),
    (["--group", "Harapan", "--from", "2026-12-10", "--to", "2026-12-01"], "is after")])
def test_bad_report_arguments_get_a_clean_message(data: Path, tmp_path: Path, capsys,
                                                  argv: list[str], message: str) -> None:
    out = tmp_path / "r.html"
    assert cli.main(["report", "--out", str(out), *argv]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()
