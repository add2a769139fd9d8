"""Charts as PNG bytes (matplotlib, Agg backend): drawn for a small phone screen."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display: render to memory only

from matplotlib import pyplot as plt  # noqa: E402

from bot.core.progress import Progress, session_lines  # noqa: E402

WIDTH, HEIGHT, DPI = 6.4, 4.0, 150  # 960 x 600 pixels: sharp on a phone, small to send


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
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)
