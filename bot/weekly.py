"""The weekly summary as text, in the reader's language: the chat and ``jeda summary``
print the same lines. Plain text (no markup): the chat escapes it as a whole."""

from __future__ import annotations

from bot.core.content import Content
from bot.core.flags import FlagKind
from bot.core.models import Language
from bot.core.summary import GroupWeek, PersonWeek
from bot.i18n import Translator, format_date, format_number


def _signed(lang: Language, value: float) -> str:
    text = format_number(lang, abs(value))
    return ("+" if value > 0.05 else "−" if value < -0.05 else "±") + text


def _person(t: Translator, lang: Language, content: Content, row: PersonWeek) -> list[str]:
    n = lambda v: format_number(lang, v)  # noqa: E731
    lines = [t(lang, "summary.person", alias=row.alias, status=t(lang, f"status.{row.status}"))]
    rated = t(lang, "summary.rated", rated=row.rated, due=row.due)
    if row.mean is not None and row.low is not None and row.high is not None:
        rated += " · " + t(lang, "summary.mean", mean=n(row.mean), low=row.low, high=row.high)
    lines.append("  " + rated)
    compare = []
    if row.vs_previous is not None:
        compare.append(t(lang, "summary.vs_previous", change=_signed(lang, row.vs_previous)))
    if row.vs_baseline is not None:
        compare.append(t(lang, "summary.vs_baseline", change=_signed(lang, row.vs_baseline)))
    if row.trend is not None:
        compare.append(t(lang, "summary.trend", trend=t(lang, f"summary.trend_{row.trend.value}")))
    if compare:
        lines.append("  " + " · ".join(compare))
    titles = {m.id: m.title[lang] for m in content.modules}
    practice = ", ".join(f"{titles.get(m, m)} {k}" for m, k in row.practice)
    line = t(lang, "summary.practice", practice=practice) if practice else t(
        lang, "summary.no_practice")
    if row.before_after is not None:
        line += " · " + t(lang, "summary.before_after", change=_signed(lang, row.before_after))
    lines.append("  " + line)
    if row.flags:
        lines.append("  ⚑ " + ", ".join(t(lang, f"flag.{f.value}") for f in row.flags))
    return lines


def render(t: Translator, lang: Language, content: Content, group: str,
           figures: GroupWeek) -> str:
    """The whole summary: the group's lines, then one block per participant, then the
    rules of the flags that appear, in plain words."""
    week = figures.week
    lines = [t(lang, "summary.title", group=group, week=week.label,
               start=format_date(lang, week.start), end=format_date(lang, week.end))]
    share = f"{round(100 * figures.rated / figures.due)}%" if figures.due else "-"
    group_line = t(lang, "summary.group", rated=figures.rated, due=figures.due, share=share)
    if figures.mean is not None:
        group_line += " · " + t(lang, "summary.group_mean", mean=format_number(lang, figures.mean))
    lines += [group_line, ""]
    if not figures.people:
        lines.append(t(lang, "summary.nobody"))
    for row in figures.people:
        lines += [*_person(t, lang, content, row), ""]
    shown = [f for f in FlagKind if any(f in row.flags for row in figures.people)]
    if shown:
        lines.append(t(lang, "summary.rules"))
        lines += [f"⚑ {t(lang, f'flag.{f.value}')}: {t(lang, f'flag.rule.{f.value}')}"
                  for f in shown]
    lines.append(t(lang, "summary.legend"))
    return "\n".join(lines).rstrip()
