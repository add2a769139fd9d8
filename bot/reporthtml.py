"""The HTML of ``jeda report``: the group's first page and a participant's page, from
their cards (``bot.core.report``). Every figure carries its exact ``analysis.csv`` cell
in ``data-value``; what is shown is that value rounded, with the reader's decimal mark.
Every text is escaped except the report's own templates (``report.*`` in the locales).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.analysis import Cell, PhaseFigures
from bot.core.exportrows import cell
from bot.core.report import Card

FEW = 5  # a phase with fewer days rated: its NAP and Tau-U are marked "read with care"


@dataclass(frozen=True, slots=True)
class Page:
    """The report's words in one language, and the figures written the way its readers
    write numbers."""

    words: Mapping[str, str]

    def w(self, key: str, **values: object) -> str:
        return self.words[key].format(**values) if values else self.words[key]

    def number(self, value: float, digits: int = 2) -> str:
        return f"{value:.{digits}f}".replace(".", self.words["decimal"])

    def shown(self, value: Cell) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return self.number(value)
        return cell(value)

    def fig(self, column: str, value: Cell, shown: str | None = None) -> str:
        """A figure: its exact analysis.csv cell in ``data-value``, rounded for reading."""
        text = self.shown(value) if shown is None else shown
        return (f'<span data-col="{column}" data-value="{html.escape(cell(value))}">'
                f'{text}</span>')

    def p(self, value: float | None) -> str:
        if value is None:
            return ""
        shown = f"<{self.number(0.01)}" if value < 0.005 else self.number(value)
        return f" (p {self.fig('slope_p', value, shown)})"

    def phase_row(self, f: PhaseFigures) -> str:
        care = f.phase != "baseline" and 0 < f.n < FEW and f.nap is not None
        mark = '<sup class="few">*</sup>' if care else ""
        adherence = self.fig("adherence", f.adherence, "–" if f.adherence is None else
                             self.number(100 * f.adherence, 0) + "%")
        return (f'<tr data-phase="{f.phase}"><th>{self.w("phase." + f.phase)}</th>'
                f'<td>{self.fig("n", f.n)}</td><td>{self.fig("mean", f.mean)}</td>'
                f'<td>{self.fig("nap", f.nap)}{mark}</td>'
                f'<td>{self.fig("tau_u", f.tau_u)}{mark}</td>'
                f'<td>{self.fig("slope", f.slope)}{self.p(f.slope_p)}</td>'
                f'<td>{adherence} ({self.fig("days_rated", f.days_rated)}/'
                f'{self.fig("days_due", f.days_due)})</td>'
                f'<td>{self.fig("practice_runs", f.practice_runs)} '
                f'({self.fig("practice_days", f.practice_days)})</td></tr>')

    def changes(self, got: Card, names: Mapping[str, str]) -> str:
        if not got.changes:
            return f'<p class="quiet">{self.w("no_change")}</p>'
        rows = "".join(
            f'<tr data-instrument="{html.escape(ident)}"><th>'
            f'{html.escape(names.get(ident, ident))}</th><td>{self.fig("pre", pre)}</td>'
            f'<td>{self.fig("post", post)}</td><td>{self.fig("rci", change.rc)}</td>'
            f'<td class="{change.change.value}">{self.verdict(change.change.value)}</td></tr>'
            for ident, pre, post, change in got.changes)
        return (f'<table><thead><tr><th>{self.w("col_instrument")}</th><th>'
                f'{self.w("col_pre")}</th><th>{self.w("col_post")}</th><th>RCI</th><th>'
                f'{self.w("col_change")}</th></tr></thead><tbody>{rows}</tbody></table>')

    def verdict(self, change: str) -> str:
        return self.fig("rci_class", change, self.w("change." + change))

    def person(self, got: Card, chart: str, names: Mapping[str, str],
               modules: Mapping[str, str]) -> str:
        """A participant's page; ``chart`` the ``<img>`` of their ratings, or ""."""
        picture = f'{chart}<p class="legend">{self.w("chart_legend")}</p>' if chart else \
            f'<p class="quiet">{self.w("no_ratings")}</p>'
        few = any(0 < f.n < FEW and f.nap is not None for f in got.phases)
        practice = ", ".join(f"{html.escape(modules.get(m, m))}: {n}"
                             for m, n in got.practice) or self.w("no_practice")
        status = self.words.get("status." + got.status, got.status)
        return (f'<section class="person" id="{got.alias}" data-alias="{got.alias}">'
                f'<h2>{got.alias} <small>{html.escape(status)}</small></h2>{picture}'
                f'<table><thead><tr><th>{self.w("col_phase")}</th><th>{self.w("col_days")}'
                f'</th><th>{self.w("col_mean")}</th><th>NAP</th><th>Tau-U</th><th>'
                f'{self.w("col_trend")}</th><th>{self.w("col_adherence")}</th><th>'
                f'{self.w("col_practice")}</th></tr></thead><tbody>'
                f'{"".join(self.phase_row(f) for f in got.phases)}</tbody></table>'
                + (f'<p class="legend">* {self.w("few", n=FEW)}</p>' if few else "")
                + f'<h3>{self.w("changes")}</h3>{self.changes(got, names)}'
                f'<h3>{self.w("practice_by_module")}</h3><p>{practice}</p></section>\n')

    def summary_row(self, got: Card) -> str:
        base = got.phase("baseline")
        last = next((f for f in reversed(got.phases) if f.n and f.phase not in (
            "baseline", "before_pre")), None)  # the latest phase with ratings
        classes = " ".join(
            f'<span class="{c.change.value}" data-instrument="{html.escape(i)}">'
            f'{self.verdict(c.change.value)}</span>' for i, _, _, c in got.changes) or "–"
        latest = (f'<td>{self.w("phase." + last.phase)}</td><td data-phase="{last.phase}">'
                  f'{self.fig("mean", last.mean)}</td><td data-phase="{last.phase}">'
                  f'{self.fig("nap", last.nap)}</td>') if last else "<td>–</td>" * 3
        baseline = f'<td data-phase="baseline">{self.fig("mean", base.mean)}</td>' \
            if base else "<td>–</td>"
        return (f'<tr data-alias="{got.alias}"><th><a href="#{got.alias}">{got.alias}</a>'
                f'</th>{baseline}{latest}<td>{got.runs}</td><td>{classes}</td></tr>')

    def front(self, title: str, about: str, calendar: list[tuple[str, str]], chart: str,
              cards: list[Card], unreadable: int) -> str:
        """The group's page: ``calendar`` as (what, when), ``chart`` an ``<img>`` or ""."""
        dates = "".join(f"<li>{name}: {when}</li>" for name, when in calendar)
        missing = f'<p class="warning">{self.w("unreadable", n=unreadable)}</p>' \
            if unreadable else ""
        if not cards:
            return (f'<section class="group"><h1>{title}</h1><p class="quiet">{about}</p>'
                    f'{missing}<h2>{self.w("calendar")}</h2><ul>{dates}</ul>'
                    f'<p>{self.w("nobody")}</p></section>\n')
        return (f'<section class="group"><h1>{title}</h1><p class="quiet">{about}</p>'
                f'{missing}<h2>{self.w("calendar")}</h2><ul class="calendar">{dates}</ul>'
                f'<h2>{self.w("reading")}</h2><p>{self.w("how_to_read")}</p>{chart}'
                f'<p class="legend">{self.w("group_legend")}</p>'
                f'<h2>{self.w("summary")}</h2><table><thead><tr><th>'
                f'{self.w("col_participant")}</th><th>{self.w("col_baseline")}</th><th>'
                f'{self.w("col_last_phase")}</th><th>{self.w("col_mean")}</th><th>NAP</th>'
                f'<th>{self.w("col_runs")}</th><th>{self.w("changes")}</th></tr></thead>'
                f'<tbody>{"".join(self.summary_row(c) for c in cards)}</tbody></table>'
                f'</section>\n')


def png(data: bytes, alt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
max-width:52rem;margin:1rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:1.4rem}h3{font-size:1rem}
small,.quiet,.legend{color:#555}.legend{font-size:.85rem}.warning{color:#b02a2a}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:left}
td{font-variant-numeric:tabular-nums}img{width:100%;height:auto}
.improved{color:#1b6e3a;font-weight:600}.deteriorated{color:#b02a2a;font-weight:700}
section.person{margin-top:2rem;border-top:2px solid #888}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;margin:0}section.person{break-before:page;border:0}
table,img{break-inside:avoid}a{color:inherit;text-decoration:none}}
"""
