"""``jeda report``: one self-contained HTML file for a group (charts embedded as PNG,
no link outside it, so it opens offline and prints on A4). The group comes first: its
calendar, how to read the figures, every participant's phase means in one chart and a
summary table; then a page per participant: the daily ratings over the programme with the
phases shaded and the sessions marked, the figures per phase, the reliable change of
each pre/post instrument, practice per module.

Every figure is made by ``bot.core.analysis`` from the same records as ``analysis.csv``
and carries that file's exact cell in ``data-value`` (what is shown is rounded for
reading). Participants' pages are made in worker processes when there are many
(``bot.services.fanout``): a chart costs tens of milliseconds.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot import reportcharts
from bot.core import report
from bot.core.analysis import Cell, Person, PhaseFigures, Window
from bot.core.content.questionnaires import Instrument
from bot.core.exportrows import cell
from bot.core.models import Group, Participant
from bot.core.report import Card
from bot.i18n import Translator
from bot.services.research import Dataset, Research
from storage import Records

Words = Mapping[str, str]  # the report's texts in its language, by key without "report."


@dataclass(frozen=True, slots=True)
class Job:
    """What every participant's page needs besides their records (sent to workers)."""

    group: Group
    version: str
    window: Window
    instruments: dict[str, Instrument]
    words: dict[str, str]
    modules: dict[str, str]  # module id -> title in the report's language


def words(t: Translator, lang: str) -> dict[str, str]:
    """The report's texts in ``lang``, by key without its ``report.`` prefix."""
    out = t.templates(lang, "report.")
    out["lang"] = lang
    return out


def page(job: Job, alias: str, participant: Participant, found: Records) -> tuple[Card, str]:
    """One participant's card and their page as HTML (a worker process's work)."""
    person = Person(alias, participant, job.group, found.prompts, found.ratings, found.runs,
                    found.responses)
    got = report.card(job.group, person, job.window, job.instruments, job.version)
    return got, _page(job, got)


def _w(words: Words, key: str, **values: object) -> str:
    return words[key].format(**values) if values else words[key]


def figure(column: str, value: Cell, shown: str | None = None) -> str:
    """A figure: its exact analysis.csv cell in ``data-value``, rounded for reading."""
    exact = cell(value)
    if shown is None:
        shown = "–" if value is None else f"{value:.2f}" if isinstance(value, float) \
            else exact
    return f'<span data-col="{column}" data-value="{html.escape(exact)}">{shown}</span>'


def _png(data: bytes, alt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'


def _phase_row(words: Words, f: PhaseFigures) -> str:
    trend = figure("slope", f.slope) + (f" (p {figure('slope_p', f.slope_p)})"
                                        if f.slope_p is not None else "")
    adherence = figure("adherence", f.adherence, "–" if f.adherence is None
                       else f"{f.adherence:.0%}")
    return (f'<tr data-phase="{f.phase}"><th>{_w(words, "phase." + f.phase)}</th>'
            f'<td>{figure("n", f.n)}</td><td>{figure("mean", f.mean)}</td>'
            f'<td>{figure("nap", f.nap)}</td><td>{figure("tau_u", f.tau_u)}</td>'
            f'<td>{trend}</td><td>{adherence} ({figure("days_rated", f.days_rated)}/'
            f'{figure("days_due", f.days_due)})</td><td>{figure("practice_runs", f.practice_runs)}'
            f' ({figure("practice_days", f.practice_days)})</td></tr>')


def _changes(job: Job, got: Card) -> str:
    words = job.words
    if not got.changes:
        return f'<p class="quiet">{_w(words, "no_change")}</p>'
    rows = "".join(
        f'<tr data-instrument="{html.escape(ident)}"><th>'
        f'{html.escape(job.instruments[ident].name if ident in job.instruments else ident)}'
        f'</th><td>{figure("pre", pre)}</td><td>{figure("post", post)}</td>'
        f'<td>{figure("rci", change.rc)}</td><td class="{change.change.value}">'
        f'{figure("rci_class", change.change.value, _w(words, "change." + change.change.value))}'
        f'</td></tr>' for ident, pre, post, change in got.changes)
    return (f'<table><thead><tr><th>{_w(words, "col_instrument")}</th><th>'
            f'{_w(words, "col_pre")}</th><th>{_w(words, "col_post")}</th><th>RCI</th><th>'
            f'{_w(words, "col_change")}</th></tr></thead><tbody>{rows}</tbody></table>')


def _page(job: Job, got: Card) -> str:
    words = job.words
    span = report.extent(job.group, got.series, job.window)
    spans = report.spans(job.group, *span) if span else []
    sessions = [d for d in job.group.session_dates if span and span[0] <= d <= span[1]]
    labels = {k.removeprefix("short."): v for k, v in words.items() if k.startswith("short.")}
    chart = _png(reportcharts.programme_png(got.series, spans, sessions, labels),
                 _w(words, "chart_alt", alias=got.alias)) if got.series \
        else f'<p class="quiet">{_w(words, "no_ratings")}</p>'
    phases = "".join(_phase_row(words, f) for f in got.phases)
    practice = ", ".join(f"{html.escape(job.modules.get(m, m))}: {n}" for m, n in got.practice) \
        or _w(words, "no_practice")
    return (f'<section class="person" id="{got.alias}" data-alias="{got.alias}">'
            f'<h2>{got.alias} <small>{html.escape(got.status)}</small></h2>{chart}'
            f'<p class="legend">{_w(words, "chart_legend")}</p>'
            f'<table><thead><tr><th>{_w(words, "col_phase")}</th><th>{_w(words, "col_days")}'
            f'</th><th>{_w(words, "col_mean")}</th><th>NAP</th><th>Tau-U</th><th>'
            f'{_w(words, "col_trend")}</th><th>{_w(words, "col_adherence")}</th><th>'
            f'{_w(words, "col_practice")}</th></tr></thead><tbody>{phases}</tbody></table>'
            f'<h3>{_w(words, "changes")}</h3>{_changes(job, got)}'
            f'<h3>{_w(words, "practice_by_module")}</h3><p>{practice}</p></section>\n')


def _summary_row(words: Words, got: Card) -> str:
    base = got.phase("baseline")
    last = next((f for f in reversed(got.phases) if f.n and f.phase not in (
        "baseline", "before_pre")), None)  # the latest phase with ratings
    classes = " ".join(
        f'<span class="{c.change.value}" data-instrument="{html.escape(i)}">'
        f'{figure("rci_class", c.change.value, _w(words, "change." + c.change.value))}</span>'
        for i, _, _, c in got.changes) or "–"
    latest = (f'<td>{_w(words, "phase." + last.phase)}</td><td data-phase="{last.phase}">'
              f'{figure("mean", last.mean)}</td><td data-phase="{last.phase}">'
              f'{figure("nap", last.nap)}</td>') if last else "<td>–</td>" * 3
    baseline = f'<td data-phase="baseline">{figure("mean", base.mean)}</td>' \
        if base else "<td>–</td>"
    return (f'<tr data-alias="{got.alias}"><th><a href="#{got.alias}">{got.alias}</a></th>'
            f'{baseline}{latest}'
            f'<td>{got.runs}</td><td>{classes}</td></tr>')


def _front(job: Job, cards: list[Card], made: datetime, chart: str) -> str:
    words, group = job.words, job.group
    dates = [(_w(words, "pre"), group.pre_date)] + [
        (_w(words, "session", n=n), d) for n, d in enumerate(group.session_dates, 1)] + [
        (_w(words, "post"), group.post_date)]
    calendar = "".join(f"<li>{name}: {d.isoformat() if d else '–'}</li>" for name, d in dates)
    window = _w(words, "window", start=job.window.start or "…", end=job.window.end or "…") \
        if job.window.start or job.window.end else ""
    rows = "".join(_summary_row(words, c) for c in cards)
    about = _w(words, "made", when=made.strftime("%Y-%m-%d %H:%M"), version=job.version,
               n=len(cards))
    return (f'<section class="group"><h1>{_w(words, "title", group=html.escape(group.name))}'
            f'</h1><p class="quiet">{about} {window}</p>'
            f'<h2>{_w(words, "calendar")}</h2><ul class="calendar">{calendar}</ul>'
            f'<h2>{_w(words, "reading")}</h2><p>{_w(words, "how_to_read")}</p>{chart}'
            f'<p class="legend">{_w(words, "group_legend")}</p>'
            f'<h2>{_w(words, "summary")}</h2><table><thead><tr><th>'
            f'{_w(words, "col_participant")}</th><th>{_w(words, "col_baseline")}</th><th>'
            f'{_w(words, "col_last_phase")}</th><th>{_w(words, "col_mean")}</th><th>NAP</th>'
            f'<th>{_w(words, "col_practice")}</th><th>{_w(words, "changes")}</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></section>\n')


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
max-width:52rem;margin:1rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.4rem}h3{font-size:1rem}
small,.quiet,.legend{color:#555}.legend{font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:left}
td{font-variant-numeric:tabular-nums}img{width:100%;height:auto}
.improved{color:#1b6e3a;font-weight:600}.deteriorated{color:#b02a2a;font-weight:700}
section.person{margin-top:2rem;border-top:2px solid #888}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;margin:0}section.person{break-before:page;border:0}
table,img{break-inside:avoid}a{color:inherit;text-decoration:none}}
"""


async def write(out: Path, service: Research, job: Job, made: datetime,
                progress: Callable[[int], None] | None = None) -> Dataset:
    """The report into ``out`` (0600): participants' pages first to a temporary file
    beside it (in order, as they come), then the group page above them."""
    cards: list[Card] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".jeda-report-", dir=out.parent)
    pages = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            def keep(result: tuple[Card, str]) -> None:
                cards.append(result[0])
                handle.write(result[1])

            count = await service.each(job.group.name, page, job, keep, progress)
        chart = _png(reportcharts.phase_means_png(report.phase_means(cards), {
            k.removeprefix("short."): v for k, v in job.words.items()
            if k.startswith("short.")}), _w(job.words, "group_alt")) if cards else ""
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as target, pages.open(encoding="utf-8") as src:
            target.write(f'<!DOCTYPE html>\n<html lang="{job.words["lang"]}"><head>'
                         f'<meta charset="utf-8"><meta name="viewport" content="width=device-'
                         f'width, initial-scale=1"><title>'
                         f'{_w(job.words, "title", group=html.escape(job.group.name))}</title>'
                         f'<style>{STYLE}</style></head><body>\n')
            target.write(_front(job, cards, made, chart))
            while chunk := src.read(1 << 20):
                target.write(chunk)
            target.write("</body></html>\n")
    finally:
        pages.unlink(missing_ok=True)
    return Dataset({"ratings": sum(len(c.series) for c in cards),
                    "figures": sum(len(c.phases) + len(c.changes) for c in cards)}, count)
