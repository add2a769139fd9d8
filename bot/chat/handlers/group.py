"""/group NAME [WHAT VALUE]: a group's calendar, facilitators and summary time, seen and
changed from the chat (the same checks and audit as ``jeda group set``)."""

from __future__ import annotations

import html
from typing import Any

from telegram import Update

from bot.chat.context import CustomContext, reply, requires, user_language
from bot.core import parsing
from bot.core.access import Permission
from bot.core.groups import GroupError, Problem, parse_dates
from bot.core.models import Group, Language, same_name
from bot.i18n import format_date

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _changes(what: str, value: str) -> dict[str, Any]:
    """The keyword arguments of ``Groups.change`` for one "/group NAME WHAT VALUE"."""
    if what == "summary":
        day, _, at = value.partition(" ")
        when = parsing.parse_time(at)
        if day.lower()[:3] not in DAYS:
            raise GroupError(Problem("summary_day"))
        if when is None:
            raise GroupError(Problem("time", {"text": at or "-"}))
        return {"summary_day": DAYS.index(day.lower()[:3]), "summary_time": when}
    if what == "sessions":
        return {"sessions": parse_dates(value)}
    if what in ("pre", "post"):
        dates = parse_dates(value)
        if len(dates) != 1:
            raise GroupError(Problem("date", {"text": value}))
        return {what: dates[0]}
    if what == "facilitators":
        given = value.replace(",", " ").split()
        bad = [v for v in given if not v.isdigit() or int(v) <= 0]
        if bad or not given:  # never a list emptied or shortened by a typo
            raise GroupError(*(Problem("facilitator", {"id": v}) for v in bad or ["-"]))
        return {"facilitator_ids": [int(v) for v in given]}
    raise GroupError(Problem("what", {"what": what}))


def _show(context: CustomContext, lang: Language, group: Group) -> str:
    dates = ", ".join(format_date(lang, d) for d in group.session_dates) or "-"
    return context.t(lang, "group.shown", name=html.escape(group.name), sessions=dates,
                     pre=format_date(lang, group.pre_date) if group.pre_date else "-",
                     post=format_date(lang, group.post_date) if group.post_date else "-",
                     day=DAYS[group.summary_day], time=f"{group.summary_time:%H:%M}",
                     facilitators=", ".join(str(f) for f in group.facilitator_ids) or "-")


@requires(Permission.MANAGE_GROUPS)
async def group_command(update: Update, context: CustomContext) -> None:
    """Show one of one's groups, or change one thing of it."""
    user = update.effective_user
    assert user is not None
    lang = user_language(update, await context.jeda.participant(user.id))
    args = context.args or []
    mine = await context.jeda.access.groups_of(user.id)
    group = next((g for g in mine if args and same_name(g.name, args[0])), None)
    if group is None:
        await reply(update, context, lang, "group.usage",
                    groups=html.escape(", ".join(g.name for g in mine) or "-"))
        return
    if len(args) >= 3:
        try:
            group = await context.jeda.groups.change(
                group.name, **_changes(args[1].lower(), " ".join(args[2:])),
                by=f"tg:{context.jeda.pid_for(user.id)}")
        except GroupError as exc:
            await reply(update, context, lang, "facilitator.group_error",
                        reason=html.escape(exc.render(context.t, lang)))
            return
    await context.outbox.send(user.id, _show(context, lang, group))
