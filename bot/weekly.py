"""The weekly summary as text, in the reader's language: the chat and ``jeda summary``
print the same lines. Plain text (no markup): the chat escapes it as a whole."""

from __future__ import annotations

from bot.core.content import Content
from bot.core.flags import FlagKind
from bot.core.models import Language
from bot.core.summary import Digest, GroupWeek, PersonWeek
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


def render_digest(t: Translator, lang: Language, content: Content, group: str,
                  digest: Digest) -> str:
    """The day before a session: what helped, then a line per participant."""
    titles = {e.id: e.title[lang] for e in content.exercises.values()}
    lines = [t(lang, "digest.title", session=digest.session, group=group,
               since=format_date(lang, digest.since))]
    if digest.helped:
        lines.append(t(lang, "digest.helped", list="; ".join(
            t(lang, "digest.helped_item", title=titles.get(ex, ex), change=_signed(lang, c), n=n)
            for ex, c, n in digest.helped)))
    lines.append("")
    for p in digest.people:
        practised = ", ".join(f"{titles.get(ex, ex)} {n}" for ex, n in p.practised)
        line = f"{p.alias}: " + (t(lang, "summary.practice", practice=practised) if practised
                                 else t(lang, "digest.no_practice"))
        line += " · " + t(lang, "digest.rated", n=p.rated)
        if p.flags:
            line += " · ⚑ " + ", ".join(t(lang, f"flag.{f.value}") for f in p.flags)
        lines.append(line)
    if not digest.people:
        lines.append(t(lang, "summary.nobody"))
    return "\n".join(lines)
