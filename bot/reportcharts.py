"""The report's charts as PNG bytes (matplotlib, Agg): drawn for an A4 page, readable
when printed in grey (phases told apart by shade and by label, not by colour alone).

A report of a thousand people draws a thousand charts: each worker process draws the fixed
part of a group's chart once and only each participant's line over it (matplotlib's
blitting), and encodes the canvas with Pillow (what matplotlib's own PNG writer uses).
Figures are made on the Agg canvas directly, not through pyplot: no display, and no
registry keeping them alive.
"""

from __future__ import annotations

import functools
import io
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from bot.core.report import Span

WIDTH, HEIGHT, DPI = 7.2, 2.5, 110  # the width of an A4 text column
LINE, SESSION = "#1f4e79", "#a0522d"
LABELLED = 0.06  # a phase narrower than this share of the chart goes unnamed (no overlap)
SHADES = {"before_pre": "#ffffff", "baseline": "#e8e8e8", "module_1": "#f6f6f6",
          "module_2": "#e8e8e8", "module_3": "#f6f6f6", "module_4": "#e8e8e8",
          "post": "#dbe9f4"}


@dataclass(frozen=True, slots=True)
class _Stage:
    """A chart's fixed part (phases, sessions, axes) drawn once, and its line."""

    canvas: FigureCanvasAgg
    ax: Axes
    line: Line2D
    background: object  # the drawn fixed part, restored before each line


def _figure() -> tuple[Figure, FigureCanvasAgg]:
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    return fig, FigureCanvasAgg(fig)


def _encode(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as it is now (as drawn, not redrawn) as PNG."""
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", compress_level=3)
    return out.getvalue()


def _scale(ax: Axes, label: str) -> None:
    ax.set_ylim(-0.3, 10.3)
    ax.set_yticks([0, 5, 10])
    ax.set_ylabel(label, fontsize=8)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


@functools.lru_cache(maxsize=8)
def _stage(spans: tuple[Span, ...], sessions: tuple[date, ...],
           labels: tuple[tuple[str, str], ...]) -> _Stage:
    """The fixed part of the chart of everyone whose chart spans the same days, drawn
    once per process: axes and their labels are most of a chart's drawing time."""
    words = dict(labels)
    fig, canvas = _figure()
    ax = fig.add_axes((0.07, 0.16, 0.91, 0.68))
    days = (spans[-1].last - spans[0].first).days + 1 if spans else 1
    for span in spans:
        start, end = mdates.date2num(span.first) - 0.5, mdates.date2num(span.last) + 0.5
        ax.axvspan(start, end, color=SHADES.get(span.phase, "#ffffff"), linewidth=0)
        if span.phase != "before_pre" and (end - start) / days >= LABELLED:
            ax.text((start + end) / 2, 10.9, words.get(span.phase, span.phase),
                    ha="center", va="bottom", fontsize=8, clip_on=False)
    for day in sessions:
        ax.axvline(mdates.date2num(day) - 0.5, color=SESSION, linestyle="--", linewidth=1)
    if spans:
        ax.set_xlim(mdates.date2num(spans[0].first) - 0.5,
                    mdates.date2num(spans[-1].last) + 0.5)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=9))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m"))
    _scale(ax, words.get("stress", ""))
    (line,) = ax.plot([], [], color=LINE, linewidth=1.4, marker="o", animated=True)
    canvas.draw()
    return _Stage(canvas, ax, line, canvas.copy_from_bbox(fig.bbox))


def programme_png(series: Sequence[tuple[date, int]], spans: Sequence[Span],
                  sessions: Sequence[date], labels: Mapping[str, str]) -> bytes:
    """Daily stress (0-10) over the programme: phases shaded and named, sessions dashed.

    ``labels``: a short name per phase, and ``stress`` (the y axis)."""
    stage = _stage(tuple(spans), tuple(sessions), tuple(sorted(labels.items())))
    stage.canvas.restore_region(stage.background)
    stage.line.set_data([mdates.date2num(d) for d, _ in series], [v for _, v in series])
    stage.line.set_markersize(2.5 if len(series) > 60 else 4)
    stage.ax.draw_artist(stage.line)
    return _encode(stage.canvas)


def phase_means_png(means: Mapping[str, Sequence[float]], labels: Mapping[str, str]) -> bytes:
    """The group: each participant's mean rating per phase as a dot, the phase's median
    as a bar; one scale (0-10) for all."""
    fig, canvas = _figure()
    ax = fig.add_axes((0.07, 0.14, 0.91, 0.76))
    names = list(means)
    for x, phase in enumerate(names):
        values = list(means[phase])  # in participant order: sorted dots would look like a trend
        step = min(0.5 / max(len(values), 1), 0.08)  # spread the dots so none hides another
        offsets = [(k - (len(values) - 1) / 2) * step for k in range(len(values))]
        ax.scatter([x + o for o in offsets], values, s=22, color=LINE, alpha=0.7, zorder=3)
        middle = statistics.median(values)
        ax.plot([x - 0.3, x + 0.3], [middle, middle], color=SESSION, linewidth=2.5)
    ax.set_xticks(range(len(names)), [labels.get(n, n) for n in names])
    ax.set_xlim(-0.6, max(len(names) - 0.4, 0.6))
    _scale(ax, labels.get("stress", ""))
    canvas.draw()
    return _encode(canvas)
