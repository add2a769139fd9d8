"""/progress: the participant's own last days as a chart and a few plain lines."""

from __future__ import annotations

import asyncio
import html

from telegram import Update

from bot.charts import progress_png
from bot.chat.context import CustomContext, active_participant
from bot.core.models import Language
from bot.core.progress import Progress
from bot.i18n import format_date, format_number


async def progress_command(update: Update, context: CustomContext) -> None:
    """Send the chart (drawn off the event loop) and the summary in the person's language."""
    participant = await active_participant(update, context)
    if participant is None:
        return
    lang = participant.language
    summary, sessions, next_session = await context.jeda.progress.of(participant)
    labels = {k: context.t(lang, f"progress.{key}") for k, key in (
        ("title", "chart_title"), ("rating", "rating"), ("practice", "practice"),
        ("session", "session"))}
    png = await asyncio.to_thread(progress_png, summary, sessions, labels)
    await context.outbox.photo(participant.chat_id, png,
                               context.t.plural(lang, "progress.caption", len(summary.days)))
    text = summary_text(context, lang, summary)
    if next_session is not None:
        text += "\n\n" + context.t(lang, "progress.next_session",
                                   date=format_date(lang, next_session, weekday=True))
    await context.outbox.send(participant.chat_id, text)


def summary_text(context: CustomContext, lang: Language, p: Progress) -> str:
    """Days rated and the sparkline; practice per module; the change around exercises."""
    t = context.t
    lines = [t(lang, "progress.rated", rated=p.rated, days=len(p.days)) + f"\n{p.sparkline}"
             if p.rated else t(lang, "progress.none_rated"), ""]
    if not p.per_module:
        lines.append(t(lang, "progress.no_practice"))
        return "\n".join(lines)
    lines.append(t(lang, "progress.practice_title"))
    titles = {m.id: m.title[lang] for m in context.jeda.content.modules}
    lines += [t(lang, "progress.module_line", module=html.escape(titles.get(mid, mid)), n=n)
              for mid, n in p.per_module]
    for kind, change, n in p.change_per_kind:
        key = "progress.lower" if change < -0.05 else (
            "progress.higher" if change > 0.05 else "progress.same")
        lines.append(t(lang, key, kind=t(lang, f"kind.{kind}"), n=n,
                       value=format_number(lang, abs(change))))
    return "\n".join(lines)
