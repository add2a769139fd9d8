"""Facilitators and admins in chat: /newgroup, /invite, /participants."""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import timedelta

from telegram import Update

from bot import groups
from bot.core import parsing, schedule
from bot.core.models import Group, Language, Role, same_name
from bot.handlers.common import CustomContext, reply, requires, send_long, user_language
from bot.i18n import zone_label
from bot.menus import set_command_menus

logger = logging.getLogger(__name__)


async def _lang(update: Update, context: CustomContext) -> Language:
    user = update.effective_user
    participant = await context.jeda.participant(user.id) if user else None
    return user_language(update, participant)


@requires(Role.FACILITATOR, Role.ADMIN)
async def new_group(update: Update, context: CustomContext) -> None:
    """Create a group: /newgroup NAME [TIMEZONE]."""
    user = update.effective_user
    assert user is not None
    lang = await _lang(update, context)
    args = context.args or []
    if not args:
        await reply(update, context, lang, "facilitator.newgroup_usage")
        return
    last = args[-1]
    explicit = last.upper() in ("WIB", "WITA", "WIT") or "/" in last  # "Panti Medan" is a name
    zone = parsing.parse_timezone(last) if len(args) > 1 and explicit else None
    name = " ".join(args[:-1] if zone else args)
    try:
        group = await _create(context, name, zone, user.id)
    except groups.GroupError as exc:
        await reply(update, context, lang, "facilitator.group_error",
                    reason=exc.render(context.t, lang, html.escape))
        return
    await context.jeda.audit("group_created", f"tg:{context.jeda.pid_for(user.id)}",
                             group=group.name)
    await set_command_menus(context.application)  # the creator now gets the staff menu
    await reply(update, context, lang, "facilitator.group_created", name=html.escape(group.name),
                zone=zone_label(group.timezone))


async def _create(context: CustomContext, name: str, zone: str | None, user_id: int) -> Group:
    return await asyncio.to_thread(
        groups.create_group, context.jeda.store.sync, name,
        zone or context.application.bot_data["settings"].timezone, context.jeda.clock(),
        facilitator_ids=[user_id],
    )


async def _my_groups(context: CustomContext, user_id: int) -> list[str]:
    roles = await context.jeda.roles_of(user_id)
    all_groups = await context.jeda.store.list_groups()
    if Role.ADMIN in roles:
        return [g.name for g in all_groups]
    assigned = {a.group for a in await context.jeda.store.list_roles(user_id)
                if a.role is Role.FACILITATOR}
    return [g.name for g in all_groups
            if user_id in g.facilitator_ids or g.name in assigned or None in assigned]


@requires(Role.FACILITATOR, Role.ADMIN)
async def invite(update: Update, context: CustomContext) -> None:
    """Make invite codes: /invite GROUP [COUNT]."""
    user = update.effective_user
    assert user is not None
    lang = await _lang(update, context)
    args = context.args or []
    mine = await _my_groups(context, user.id)
    count = 1
    if args and args[-1].isdigit() and (len(args) > 1 or len(mine) == 1):
        count = int(args[-1])  # "/invite 5" is a count when there is one group to mean
        args = args[:-1]
    wanted = " ".join(args)
    listed = html.escape(", ".join(mine) or "-")
    if not wanted and len(mine) != 1:
        await reply(update, context, lang, "facilitator.invite_usage", groups=listed)
        return
    name = next((g for g in mine if same_name(g, wanted)), None) if wanted else mine[0]
    if name is None:
        await reply(update, context, lang, "facilitator.no_such_group",
                    name=html.escape(wanted), groups=listed)
        return
    try:
        codes = await asyncio.to_thread(
            groups.make_invites, context.jeda.store.sync, name, context.jeda.clock(), count
        )
    except groups.GroupError as exc:
        await reply(update, context, lang, "facilitator.group_error",
                    reason=exc.render(context.t, lang, html.escape))
        return
    username = context.bot.username
    lines = [f"<code>{c}</code>  https://t.me/{username}?start={c}" for c in codes]
    await context.jeda.audit("invites_created", f"tg:{context.jeda.pid_for(user.id)}",
                             group=name, count=count)
    await send_long(context, user.id, context.t(
        lang, "facilitator.invites", group=html.escape(name), days=groups.DEFAULT_INVITE_DAYS,
        codes="\n".join(lines)))


@requires(Role.FACILITATOR, Role.ADMIN)
async def participants(update: Update, context: CustomContext) -> None:
    """List the participants of the facilitator's groups, by pseudonym and status."""
    user = update.effective_user
    assert user is not None
    lang = await _lang(update, context)
    now = context.jeda.clock()
    lines: list[str] = []
    for name in await _my_groups(context, user.id):
        members = await context.jeda.store.list_participants(name)
        lines.append(context.t.plural(lang, "facilitator.group_line", len(members),
                                      group=html.escape(name)))
        for member in members:
            rated = {r.local_date for r in await context.jeda.store.list_ratings(member.pid)}
            today = schedule.local_today(member, now)  # each person's own calendar day
            week = sum(1 for d in range(7) if today - timedelta(days=d) in rated)
            lines.append(context.t(
                lang, "facilitator.participant_line", pid=context.jeda.alias_for(member),
                link=f"tg://user?id={member.telegram_id}",
                status=context.t(lang, f"status.{member.status.value}"), days=week,
            ))
    if not lines:
        await reply(update, context, lang, "facilitator.no_groups")
        return
    await send_long(context, user.id, "\n".join(lines))
