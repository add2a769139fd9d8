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

import dataclasses
import html
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import reporthtml
from bot.core import report
from bot.core.analysis import Person, Window
from bot.core.content.questionnaires import Instrument
from bot.core.models import Group, Participant
from bot.core.report import Card
from bot.i18n import Translator
from bot.reporthtml import Page
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
    # the group page needs the figures, not the year of daily points behind the chart
    return dataclasses.replace(got, series=()), _page(job, got)


def _page(job: Job, got: Card) -> str:
    from bot import reportcharts  # matplotlib: loaded where charts are drawn (in workers)

    span = report.extent(job.group, got.series, job.window)
    spans = report.spans(job.group, *span) if span else []
    sessions = [d for d in job.group.session_dates if span and span[0] <= d <= span[1]]
    page = Page(job.words)
    chart = reporthtml.png(reportcharts.programme_png(got.series, spans, sessions,
                                                      _short(job.words)),
                           page.w("chart_alt", alias=got.alias)) if got.series else ""
    names = {i: instrument.name for i, instrument in job.instruments.items()}
    return page.person(got, chart, names, job.modules)


def _short(words: Words) -> dict[str, str]:
    return {k.removeprefix("short."): v for k, v in words.items() if k.startswith("short.")}


def _front(job: Job, cards: list[Card], made: datetime, unreadable: int) -> str:
    from bot import reportcharts  # loaded once the workers are gone: their memory is free

    page, group = Page(job.words), job.group
    dates = [(page.w("pre"), group.pre_date)] + [
        (page.w("session", n=n), d) for n, d in enumerate(group.session_dates, 1)] + [
        (page.w("post"), group.post_date)]
    window = page.w("window", start=job.window.start or "…", end=job.window.end or "…") \
        if job.window.start or job.window.end else ""
    local = made.astimezone(_zone(group.timezone))
    about = page.w("made", when=local.strftime("%Y-%m-%d %H:%M %Z"), version=job.version,
                   n=len(cards)) + (f" {window}" if window else "")
    chart = reporthtml.png(reportcharts.phase_means_png(report.phase_means(cards),
                                                        _short(job.words)),
                           page.w("group_alt")) if cards else ""
    return page.front(page.w("title", group=html.escape(group.name)), about,
                      [(name, d.isoformat() if d else "–") for name, d in dates], chart,
                      cards, unreadable)


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return UTC


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

            count, unreadable = await service.each(job.group.name, page, job, keep, progress)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as target, pages.open(encoding="utf-8") as src:
            target.write(f'<!DOCTYPE html>\n<html lang="{job.words["lang"]}"><head>'
                         f'<meta charset="utf-8"><meta name="viewport" content="width=device-'
                         f'width, initial-scale=1"><title>'
                         f'{Page(job.words).w("title", group=html.escape(job.group.name))}'
                         f'</title><style>{reporthtml.STYLE}</style></head><body>\n')
            target.write(_front(job, cards, made, unreadable))
            while chunk := src.read(1 << 20):
                target.write(chunk)
            target.write("</body></html>\n")
    finally:
        pages.unlink(missing_ok=True)
    return Dataset({"ratings": sum(f.n for c in cards for f in c.phases),
                    "figures": sum(len(c.phases) + len(c.changes) for c in cards)}, count,
                   unreadable)
