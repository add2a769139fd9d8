"""Charts as PNG bytes (matplotlib, Agg backend): drawn for a small phone screen."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display: render to memory only

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bot.core.progress import Progress, session_lines  # noqa: E402

WIDTH, HEIGHT, DPI = 6.4, 4.0, 150  # 960 x 600 pixels: sharp on a phone, small to send


def _png(fig: Figure) -> bytes:
    """The figure as PNG bytes, laid out tightly."""
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def progress_png(p: Progress, sessions: Sequence[date], labels: Mapping[str, str]) -> bytes:
    """Daily stress (0-10) over the window; practice days marked; sessions as lines.

    ``labels``: ``title``, ``rating``, ``practice``, ``session`` in the reader's language."""
    fig, ax = plt.subplots(figsize=(WIDTH, HEIGHT), dpi=DPI)
    try:
        xs = list(range(len(p.days)))
        rated = [(x, r) for x, r in zip(xs, p.ratings, strict=True) if r is not None]
        if rated:
            ax.plot([x for x, _ in rated], [r for _, r in rated], marker="o", linewidth=2.5,
                    markersize=7, color="#2a6f97", label=labels["rating"])
        done = [x for x, d in zip(xs, p.days, strict=True) if d in p.practised]
        if done:
            ax.scatter(done, [-0.6] * len(done), marker="^", s=90, color="#4c956c",
                       label=labels["practice"], clip_on=False, zorder=3)
        for n, day in enumerate(session_lines(sessions, p.days)):
            ax.axvline(p.days.index(day), color="#bc6c25", linestyle="--", linewidth=1.5,
                       label=labels["session"] if n == 0 else None)
        ax.set_ylim(-1, 10.5)
        ax.set_yticks(range(0, 11, 2))
        step = 1 if len(xs) <= 7 else 2
        ax.set_xticks(xs[::step], [d.strftime("%d/%m") for d in p.days][::step])
        ax.set_xlim(-0.5, max(len(xs) - 0.5, 0.5))
        ax.set_title(labels["title"], fontsize=15, pad=30)
        ax.tick_params(labelsize=11)
        ax.grid(axis="y", alpha=0.3)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if rated or done:
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=10,
                      frameon=False)  # above the plot: never over a point
        return _png(fig)
    finally:
        plt.close(fig)



def group_png(daily: Mapping[str, Mapping[date, int]], days: Sequence[date],
              sessions: Sequence[date], labels: Mapping[str, str],
              flagged: frozenset[str] = frozenset()) -> bytes:
    """The group's daily stress over ``days`` as small panels, one per participant (by
    alias, two a row, the same scale), group sessions dashed; a flagged participant's line
    in red. Panels rather than one tangle of lines: each person readable on a phone.
    ``labels``: ``title``, ``session``."""
    people = sorted(daily)
    rows = max(1, -(-len(people) // 2))
    fig, axes = plt.subplots(rows, 2, figsize=(WIDTH, 0.6 + 1.7 * rows), dpi=DPI,
                             sharex=True, sharey=True, squeeze=False)
    try:
        index = {d: n for n, d in enumerate(days)}
        marks = session_lines(sessions, days)
        ticks = list(range(0, len(days), 7))
        for n, ax in enumerate(axes.flat):
            if n >= len(people):
                ax.set_visible(False)
                continue
            alias = people[n]
            points = sorted((index[d], v) for d, v in daily[alias].items() if d in index)
            colour = "#c0392b" if alias in flagged else "#2a6f97"
            if points:
                ax.plot([x for x, _ in points], [v for _, v in points], marker="o",
                        linewidth=2, markersize=3.5, color=colour)
            for day in marks:
                ax.axvline(index[day], color="#bc6c25", linestyle="--", linewidth=1.2)
            ax.set_title(("⚑ " if alias in flagged else "") + alias, fontsize=11,
                         color=colour, loc="left")
            ax.set_ylim(-0.5, 10.5)
            ax.set_yticks([0, 5, 10])
            ax.set_xticks(ticks, [days[x].strftime("%d/%m") for x in ticks])
            ax.set_xlim(-0.5, max(len(days) - 0.5, 0.5))
            ax.tick_params(labelsize=9, labelbottom=n + 2 >= len(people))  # lowest of a column
            ax.grid(axis="y", alpha=0.3)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        fig.suptitle(f"{labels['title']}\n- - {labels['session']}", fontsize=12)
        return _png(fig)
    finally:
        plt.close(fig)
