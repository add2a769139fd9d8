"""Facilitators and admins in chat: /newgroup, /invite, /participants."""

from __future__ import annotations

import html
import logging

from telegram import Update

from bot.chat.context import CustomContext, reply, requires, user_language
from bot.chat.menus import set_command_menus
from bot.core import flags, parsing
from bot.core.access import Permission
from bot.core.flags import FlagKind
from bot.core.groups import DEFAULT_INVITE_DAYS, GroupError
from bot.core.models import Language, same_name
from bot.i18n import format_date, zone_label
from bot.services.groups import Member

logger = logging.getLogger(__name__)


async def _lang(update: Update, context: CustomContext) -> Language:
    user = update.effective_user
    participant = await context.jeda.participant(user.id) if user else None
    return user_language(update, participant)


def _name_and_zone(args: list[str]) -> tuple[str, str | None]:
    """ "/newgroup Panti Medan" is a name; "/newgroup Panti Bali WITA" has a zone."""
    last = args[-1]
    explicit = last.upper() in ("WIB", "WITA", "WIT") or "/" in last
    zone = parsing.parse_timezone(last) if len(args) > 1 and explicit else None
    return " ".join(args[:-1] if zone else args), zone


@requires(Permission.MANAGE_GROUPS)
async def new_group(update: Update, context: CustomContext) -> None:
    """Create a group: /newgroup NAME [TIMEZONE]."""
    user = update.effective_user
    assert user is not None
    lang = await _lang(update, context)
    if not context.args:
        await reply(update, context, lang, "facilitator.newgroup_usage")
        return
    name, zone = _name_and_zone(context.args)
    default_zone = context.application.bot_data["settings"].timezone
    try:
        group = await context.jeda.groups.create(name, zone or default_zone,
                                                 facilitator_ids=[user.id],
                                                 by=f"tg:{context.jeda.pid_for(user.id)}")
    except GroupError as exc:
        await reply(update, context, lang, "facilitator.group_error",
                    reason=html.escape(exc.render(context.t, lang)))
        return
    await set_command_menus(context.application)  # the creator now gets the staff menu
    await reply(update, context, lang, "facilitator.group_created", name=html.escape(group.name),
                zone=zone_label(group.timezone))


def _count_and_name(args: list[str], mine: list[str]) -> tuple[int, str]:
    """ "/invite Harapan 5"; "/invite 5" is a count when there is one group to mean."""
    if args and args[-1].isdigit() and (len(args) > 1 or len(mine) == 1):
        return int(args[-1]), " ".join(args[:-1])
    return 1, " ".join(args)


@requires(Permission.INVITE)
async def invite(update: Update, context: CustomContext) -> None:
    """Make invite codes: /invite GROUP [COUNT]."""
    user = update.effective_user
    assert user is not None
    lang = await _lang(update, context)
    mine = [g.name for g in await context.jeda.access.groups_of(user.id)]
    count, wanted = _count_and_name(context.args or [], mine)
    listed = html.escape(", ".join(mine) or "-")
    name = next((g for g in mine if same_name(g, wanted)), None) if wanted else (
        mine[0] if len(mine) == 1 else None)
    if name is None:
        key = "facilitator.no_such_group" if wanted else "facilitator.invite_usage"
        await reply(update, context, lang, key, name=html.escape(wanted), groups=listed)
        return
    try:
        group, codes = await context.jeda.groups.invite(name, count,
                                                        by=f"tg:{context.jeda.pid_for(user.id)}")
    except GroupError as exc:
        await reply(update, context, lang, "facilitator.group_error",
                    reason=html.escape(exc.render(context.t, lang)))
        return
    lines = [f"<code>{c}</code>  https://t.me/{context.bot.username}?start={c}" for c in codes]
    await context.outbox.send_long(user.id, context.t(
        lang, "facilitator.invites", group=html.escape(group.name), days=DEFAULT_INVITE_DAYS,
        codes="\n".join(lines)))


def _member_lines(context: CustomContext, lang: Language, m: Member) -> str:
    """One participant of the delivery view: who, status, ratings, this week's questions,
    reminders, practice, open flags."""
    p = m.participant
    text = context.t(lang, "facilitator.participant_line", pid=m.alias,
                     link=f"tg://user?id={p.telegram_id}",
                     status=context.t(lang, f"status.{p.status.value}"), days=m.rated_last_7,
                     last=format_date(lang, m.last_rated) if m.last_rated else "-")
    text += "\n  " + context.t(
        lang, "facilitator.delivery_line", sent=m.sent, answered=m.answered, expired=m.expired,
        reminder=context.t(lang, "common.on" if p.reminder_enabled else "common.off"),
        practised=m.practised)
    visible = flags.shown([FlagKind(f) for f in p.open_flags], p.share_flags is True)
    if visible:
        text += "\n  ⚑ " + ", ".join(context.t(lang, f"flag.{f.value}") for f in visible)
    return text


@requires(Permission.SEE_PARTICIPANTS)
async def participants(update: Update, context: CustomContext) -> None:
    """List the participants of the facilitator's groups, by alias and status."""
    user = update.effective_user
    assert user is not None
    lang = await _lang(update, context)
    lines: list[str] = []
    for group in await context.jeda.access.groups_of(user.id):
        members = await context.jeda.groups.members(group.name)
        lines.append(context.t.plural(lang, "facilitator.group_line", len(members),
                                      group=html.escape(group.name)))
        lines.extend(_member_lines(context, lang, m) for m in members)
    if not lines:
        await reply(update, context, lang, "facilitator.no_groups")
        return
    await context.outbox.send_long(user.id, "\n".join(lines))
