"""/summary [GROUP] [WEEK]: the weekly summary of one of the facilitator's groups, as a
chart of the last four weeks and the figures in plain lines."""

from __future__ import annotations

import html

from telegram import Update

from bot.chat.context import CustomContext, reply, requires, user_language
from bot.chat.digests import send_summary
from bot.core.access import Permission
from bot.core.models import same_name
from bot.core.summary import Week


def _week_and_name(args: list[str]) -> tuple[Week | None, str, str | None]:
    """ "/summary Harapan 2026-W49": a week at the end is read as one; else all is a name."""
    if args and (week := Week.parse(args[-1])) is not None:
        return week, " ".join(args[:-1]), None
    bad = args[-1] if args and args[-1][:2].isdigit() and "w" in args[-1].lower() else None
    return None, " ".join(args), bad


@requires(Permission.SEE_PARTICIPANTS)
async def summary_command(update: Update, context: CustomContext) -> None:
    """The summary of the named (or only) group, this week or the week given."""
    user = update.effective_user
    assert user is not None
    lang = user_language(update, await context.jeda.participant(user.id))
    mine = await context.jeda.access.groups_of(user.id)
    week, wanted, bad = _week_and_name(context.args or [])
    group = next((g for g in mine if same_name(g.name, wanted)), None) if wanted else (
        mine[0] if len(mine) == 1 else None)
    if bad is not None or group is None:
        key = "summary.bad_week" if bad else "summary.usage"
        await reply(update, context, lang, key, week=html.escape(bad or ""),
                    groups=html.escape(", ".join(g.name for g in mine) or "-"))
        return
    await send_summary(context, user.id, lang, await context.jeda.summaries.of(group, week))
